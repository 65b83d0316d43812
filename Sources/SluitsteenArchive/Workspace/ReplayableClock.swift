// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// `SLUITSTEEN_NOW` (ISO 8601) read from the environment: the replayed "now" of a demo archive (see
/// ``WorkspaceClock``, which refuses it for a real archive), or the system clock when it is not set.
public struct ReplayableClock: Sendable {
    /// The fixed instant from `SLUITSTEEN_NOW`, if any.
    public let fixed: Date?

    /// Reads `SLUITSTEEN_NOW` from the environment. An unparseable value is an error, not silently ignored.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) {
        if let raw = environment["SLUITSTEEN_NOW"], !raw.isEmpty {
            guard let date = ISOTimestamp.parse(raw) else {
                throw .cannotRead("SLUITSTEEN_NOW", reason: "'\(raw)' is not an ISO 8601 date-time (e.g. 2026-03-01T12:00:00Z)")
            }
            fixed = date
        } else {
            fixed = nil
        }
    }

    /// A clock fixed at `date` (for tests).
    public init(fixed date: Date) { fixed = date }

    /// The current instant.
    public func now() -> Date { fixed ?? Date() }
}

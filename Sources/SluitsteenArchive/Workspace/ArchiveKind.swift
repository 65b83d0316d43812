// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Whether a workspace is a real archive or a demo/test archive, recorded when it is created and never changed.
///
/// Only a demo archive honours a replayed clock (`SLUITSTEEN_NOW`), and every document it writes says that it is a
/// demo. A real archive refuses a replayed clock: its bedenktijd, opt-out windows and audit entries run on the system
/// clock only.
public enum ArchiveKind: String, Sendable, Codable, CaseIterable {
    case real
    case demo

    /// In Dutch, for documents: "archief" or "demo-/testarchief".
    public var dutch: String {
        switch self {
        case .real: return "archief"
        case .demo: return "demo-/testarchief"
        }
    }

    /// The notice every document of a demo archive carries (nil for a real archive).
    public var documentNotice: String? {
        switch self {
        case .real: return nil
        case .demo:
            return "DEMO-/TESTARCHIEF — dit document komt uit een demonstratie- of testarchief, mogelijk met een "
                + "gesimuleerde klok. Het heeft geen rechtskracht en hoort niet in een echt archief."
        }
    }
}

/// Which clock an audit entry or a document used.
public enum ClockKind: String, Sendable, Codable {
    /// The system clock.
    case system
    /// A replayed clock (`SLUITSTEEN_NOW`), allowed only in a demo archive.
    case replayed
}

/// The clock of a workspace: the system clock, or in a demo archive the time replayed with `SLUITSTEEN_NOW`.
public struct WorkspaceClock: Sendable {
    /// The fixed instant a demo archive replays, if any.
    public let fixed: Date?

    public var kind: ClockKind { fixed == nil ? .system : .replayed }

    /// The system clock.
    public static let system = WorkspaceClock(fixed: nil)

    /// A clock fixed at `date` (demo archives and tests).
    public static func replaying(_ date: Date) -> WorkspaceClock { WorkspaceClock(fixed: date) }

    private init(fixed: Date?) { self.fixed = fixed }

    /// The clock for a workspace of `kind`, from `SLUITSTEEN_NOW` in `environment`. A real archive refuses a replayed
    /// clock with ``ArchiveError/clockReplayRefused(_:value:)``.
    public static func resolve(for kind: ArchiveKind, at path: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) -> WorkspaceClock {
        let replay = try ReplayableClock(environment: environment)
        guard let fixed = replay.fixed else { return .system }
        guard kind == .demo else { throw .clockReplayRefused(path, value: environment["SLUITSTEEN_NOW"] ?? "") }
        return .replaying(fixed)
    }

    /// The current instant.
    public func now() -> Date { fixed ?? Date() }
}

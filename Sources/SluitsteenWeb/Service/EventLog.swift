// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import SluitsteenArchive

/// The service's log of security events: one JSON object per line (to standard error by default), with sorted keys.
///
/// Events: `sign-in`, `sign-in-refused`, `sign-out`, `session-expired`, `request-refused` (401/403/404/405 and forged
/// forms), `server-error`, `listening`. A line never holds a token, a code, a cookie or a secret: only reason codes,
/// methods, paths without their query, person ids and statuses.
public struct EventLog: Sendable {
    /// Where the lines go.
    public typealias Sink = @Sendable (String) -> Void

    let sink: Sink
    let now: @Sendable () -> Date

    public init(sink: @escaping Sink = EventLog.standardError, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sink = sink
        self.now = now
    }

    /// Writes each line to standard error.
    public static let standardError: Sink = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// Records one event with its fields (values are made one-line and cut at 300 characters).
    public func record(_ event: String, _ fields: [String: String] = [:]) {
        var object: [String: String] = [:]
        for (k, v) in fields { object[k] = EventLog.clean(v) }
        object["event"] = event
        object["time"] = ISOTimestamp.format(now())
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        sink(String(decoding: data, as: UTF8.self))
    }

    static func clean(_ value: String) -> String {
        let shown = SafeText.terminal(String(value.prefix(300)))
        return value.count > 300 ? shown + "…" : shown
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The journal state of one item: `listed` or `excluded` before execution; at execution `due` (re-decided and
/// still to be destroyed), `destroying` (the catalog committed to it; bytes may be gone), `destroyed`, or `skipped`.
public enum ItemState: String, Sendable, Codable, CaseIterable {
    case listed, excluded, due, destroying, destroyed, skipped
}

/// One item of a list: a mailbox copy of a message, with the facts the documents and the verklaring need.
public struct ListItem: Sendable, Equatable {
    public var seq: Int64
    public var copyId: Int64
    public var mailbox: String
    public var sha256: String
    public var messageId: String
    /// Message date in Europe/Amsterdam (`YYYY-MM-DD`).
    public var date: String?
    public var size: Int64
    public var messageClass: String
    public var rule: String
    /// Opt-out ground (opt-out purges only).
    public var ground: String?
    public var state: ItemState
    /// Why the item was excluded or skipped.
    public var reason: String?
    public var changedAt: String?
    public var changedBy: String?

    public var category: CategoryKey { CategoryKey(messageClass: messageClass, rule: rule) }
}

extension ListItem {
    /// The item as a JSON object (`subject` only when given).
    public func json(subject: String? = nil) -> String {
        var members: [(String, JSONText.Value)] = [
            ("seq", .int(seq)), ("mailbox", .string(mailbox)), ("sha256", .string(sha256)), ("messageId", .string(messageId)),
            ("date", date.map { .string($0) } ?? .null), ("size", .int(size)), ("class", .string(messageClass)), ("rule", .string(rule)),
            ("state", .string(state.rawValue)),
        ]
        if let reason { members.append(("reason", .string(reason))) }
        if let subject { members.append(("subject", .string(subject))) }
        return JSONText.object(members)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
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

    static let columns = "seq, copyId, mailbox, sha256, messageId, date, size, messageClass, rule, ground, state, reason, changedAt, changedBy"

    init(row: Row) {
        seq = row[0]; copyId = row[1]; mailbox = row[2]; sha256 = row[3]; messageId = row[4]; date = row[5]; size = row[6]
        messageClass = row[7]; rule = row[8]; ground = row[9]; state = ItemState(rawValue: row[10]) ?? .listed
        reason = row[11]; changedAt = row[12]; changedBy = row[13]
    }

    /// The items of a list, in list order.
    static func fetchAll(_ db: Database, listId: String, states: [ItemState]? = nil) throws -> [ListItem] {
        var sql = "SELECT \(columns) FROM destructionItem WHERE listId = ?"
        var args: [any DatabaseValueConvertible] = [listId]
        if let states {
            sql += " AND state IN (\(states.map { _ in "?" }.joined(separator: ",")))"
            args += states.map(\.rawValue)
        }
        sql += " ORDER BY seq"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(ListItem.init(row:))
    }
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

// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// A copy still in the archive with the facts of it and its message that a retention decision needs: what the
/// retention stage streams through its decisions (a plan reads every copy of the archive this way).
public struct CopyDecisionRow: Sendable {
    public var copyId: Int64
    public var mailbox: String
    public var sha256: String
    public var size: Int64
    public var messageId: String
    /// The Date header, ISO 8601 with its offset.
    public var date: String?
    public var dateEpoch: Int64?
    public var capturedEpoch: Int64
    public var folder: String
    public var state: CopyState
    /// The keywords from the mailbox owner's side (a JSON list of strings).
    public var keywordsJSON: String
    public var receivedEpoch: Int64?
    /// The sender, addressee and cc lists (``CatalogAddress`` JSON); `[]` unless asked for.
    public var fromJSON: String
    public var toJSON: String
    public var ccJSON: String
}

extension CopyDecisionRow {
    /// A cursor over every copy still in the archive (present or transferred), in catalog order (mailbox, folder,
    /// position, id): optionally only in `mailboxes`, or only the copies `copyIds`; with `addresses`, the address
    /// lists are read too. Streams: memory does not grow with the archive.
    ///
    /// The plan's hot path: one statement joining every copy to its message by rowid, its columns read by position.
    public static func fetchCursor(_ db: Database, mailboxes: [String]? = nil, copyIds: Set<Int64>? = nil,
                                   addresses: Bool) throws -> MapCursor<RowCursor, CopyDecisionRow> {
        var sql = """
            SELECT c.id, c.mailbox, c.sha256, m.size, m.messageId, m.date, m.dateEpoch, c.capturedEpoch, c.folder, c.state,
                   c.keywordsJSON, m.receivedEpoch\(addresses ? ", m.fromJSON, m.toJSON, m.ccJSON" : "")
            FROM copy c JOIN message m ON m.rowid = c.messageRowid
            WHERE c.state IN ('present', 'transferred')
            """
        var args: [any DatabaseValueConvertible] = []
        if let mailboxes, !mailboxes.isEmpty {
            sql += " AND c.mailbox IN (\(mailboxes.map { _ in "?" }.joined(separator: ",")))"
            args += mailboxes.map { $0.lowercased() }
        }
        if let copyIds {
            sql += " AND c.id IN (SELECT value FROM json_each(?))"
            args.append("[" + copyIds.sorted().map(String.init).joined(separator: ",") + "]")
        }
        sql += " ORDER BY c.mailbox, c.folder, c.position, c.id"
        return try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args)).map { row in
            // The state is read as text and named here: decoding the enum through its DatabaseValueConvertible
            // conformance costs a generic metadata lookup per row. The WHERE clause admits only these two states.
            let state: CopyState = (row[9] as String) == "transferred" ? .transferred : .present
            return CopyDecisionRow(
                copyId: row[0], mailbox: row[1], sha256: row[2], size: row[3], messageId: row[4], date: row[5], dateEpoch: row[6],
                capturedEpoch: row[7], folder: row[8], state: state, keywordsJSON: row[10], receivedEpoch: row[11],
                fromJSON: addresses ? row[12] : "[]", toJSON: addresses ? row[13] : "[]", ccJSON: addresses ? row[14] : "[]")
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import GRDB
import SluitsteenSupport

/// The full-text index in the catalog (`messageText`, FTS5): the subject and text body of every stored message, in a
/// row that takes the rowid of its message, and `message.textIndexed` as its bookkeeping.
///
/// The archive target owns the table, because its rows are personal data that must go with their message (see
/// ``PersonalData``). The index target builds the texts (``waiting(_:after:limit:)`` lists the work, ``store(_:_:)``
/// writes each text) and reads them back (``forEachMatch(_:query:amongCopies:_:)``).
public enum MessageText {
    /// A message waiting for the index: not indexed yet, and its bytes still stored.
    public struct Pending: Sendable, Equatable {
        public var rowid: Int64
        public var sha256: String
        public var size: Int64
        /// Whether the message was read in full already (else only its header block was, by ingest).
        public var parsed: Bool
    }

    /// What the full reading of a message adds to its catalog row: its attachments and every defect, and the flag
    /// they make.
    public struct FullReading: Sendable, Equatable {
        public var attachmentCount: Int
        public var attachmentNamesJSON: String
        public var defectsJSON: String
        public var flagged: Bool

        public init(attachmentCount: Int, attachmentNamesJSON: String, defectsJSON: String, flagged: Bool) {
            self.attachmentCount = attachmentCount
            self.attachmentNamesJSON = attachmentNamesJSON
            self.defectsJSON = defectsJSON
            self.flagged = flagged
        }
    }

    /// A message's text, ready to be written to the index, with its full reading when ingest read only its header.
    public struct Entry: Sendable {
        public var rowid: Int64
        public var sha256: String
        public var text: String
        public var size: Int64
        public var reading: FullReading?

        public init(rowid: Int64, sha256: String, text: String, size: Int64, reading: FullReading? = nil) {
            self.rowid = rowid
            self.sha256 = sha256
            self.text = text
            self.size = size
            self.reading = reading
        }
    }

    /// The SQL condition on `message` of waiting for the index.
    static let waitingCondition = "textIndexed = 0 AND contentState = 'stored'"

    /// How many messages wait for the index.
    public static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE \(waitingCondition)") ?? 0
    }

    /// The SQL condition on `message` (as `m`) of waiting for the full reading: only its header block is read, and
    /// its bytes are still stored.
    public static let parsePendingCondition = "m.parsed = 0 AND m.contentState = 'stored'"

    /// How many stored messages wait for their full reading (attachments, defects) by `index`.
    public static func parsePendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message m WHERE \(parsePendingCondition)") ?? 0
    }

    /// The next messages waiting for the index after rowid `after`, in rowid order: at most `limit` of them, and at
    /// most `bytes` stored bytes (but at least one message).
    public static func waiting(_ db: Database, after: Int64, limit: Int, bytes: Int64) throws -> [Pending] {
        var pending: [Pending] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT rowid, sha256, size, parsed FROM message WHERE \(waitingCondition) AND rowid > ? ORDER BY rowid LIMIT ?
            """, arguments: [after, limit])
        var total: Int64 = 0
        while let row = try rows.next() {
            let size: Int64 = row[2]
            if !pending.isEmpty && total + size > bytes { break }
            total += size
            pending.append(Pending(rowid: row[0], sha256: row[1], size: size, parsed: row[3]))
        }
        return pending
    }

    /// Whether the message (by rowid) still waits for the index with its bytes in the store.
    public static func isWaiting(_ db: Database, messageRowid: Int64) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT \(waitingCondition) FROM message WHERE rowid = ?"), arguments: [messageRowid]) ?? false
    }

    /// Writes the text of a message that still waits for the index (checked here, inside the caller's transaction: a
    /// message destroyed meanwhile is left out) and marks it indexed. Returns whether it was written.
    @discardableResult
    public static func store(_ db: Database, _ entry: Entry) throws -> Bool {
        guard try isWaiting(db, messageRowid: entry.rowid) else { return false }
        // A row can be there already when the store had lost the bytes and ingest put them back.
        try db.cachedStatement(sql: "DELETE FROM messageText WHERE rowid = ?").execute(arguments: [entry.rowid])
        try db.cachedStatement(sql: "INSERT INTO messageText (rowid, sha256, text) VALUES (?, ?, ?)")
            .execute(arguments: [entry.rowid, entry.sha256, entry.text])
        try db.cachedStatement(sql: "UPDATE message SET textIndexed = 1 WHERE rowid = ?").execute(arguments: [entry.rowid])
        if let r = entry.reading {
            // The full reading replaces what the header block alone gave (its defects are among the full reading's).
            try db.cachedStatement(sql: """
                UPDATE message SET attachmentCount = ?, attachmentNamesJSON = ?, defectsJSON = ?, flagged = ?, parsed = 1
                WHERE rowid = ? AND parsed = 0
                """).execute(arguments: [r.attachmentCount, r.attachmentNamesJSON, r.defectsJSON, r.flagged, entry.rowid])
        }
        return true
    }

    /// Removes a message's row from the index.
    static func remove(_ db: Database, messageRowid: Int64) throws {
        try db.execute(sql: "DELETE FROM messageText WHERE rowid = ?", arguments: [messageRowid])
    }

    /// Merges the index into one segment, so that FTS5 keeps no deleted message's words in older segments.
    public static func optimize(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO messageText(messageText) VALUES('optimize')")
    }

    /// Calls `body` with the SHA-256 and text of every message whose text matches the FTS5 `query`; with
    /// `amongCopies`, only among those copies' messages.
    public static func forEachMatch(_ db: Database, query: String, amongCopies copyIds: [Int64]?,
                                    _ body: (_ sha256: String, _ text: String) throws -> Void) throws {
        var sql = "SELECT sha256, text FROM messageText WHERE messageText MATCH ?"
        var args: StatementArguments = [query]
        if let copyIds {
            sql += " AND rowid IN (SELECT messageRowid FROM copy WHERE id IN (SELECT value FROM json_each(?)))"
            args += ["[" + copyIds.sorted().map(String.init).joined(separator: ",") + "]"]
        }
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
        while let row = try cursor.next() { try body(row[0], row[1]) }
    }
}

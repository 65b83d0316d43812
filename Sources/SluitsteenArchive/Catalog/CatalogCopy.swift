// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// One mailbox copy of a message with the message's metadata, as the catalog lists it.
public struct CatalogCopy: Sendable, Equatable {
    public var copyId: Int64
    public var mailbox: String
    public var sha256: String
    public var size: Int64
    public var messageId: String
    public var messageIdSynthetic: Bool
    public var date: String?
    public var dateEpoch: Int64?
    public var dateSource: String
    public var subject: String
    public var fromJSON: String
    public var toJSON: String
    public var ccJSON: String
    public var bccJSON: String
    public var folder: String
    public var keywords: [String]
    public var flags: [String]
    public var attachmentCount: Int
    public var attachmentNames: [String]
    public var defects: [String]
    public var flagged: Bool
    /// Only the message's header block is read yet (ingest): its attachments and the defects of its body follow from
    /// `sluitsteen index`.
    public var parsePending: Bool
    public var capturedAt: String
    public var capturedEpoch: Int64
    public var sourceFile: String
    public var position: Int
    public var state: CopyState

    /// The senders, addressees, cc and bcc addressees.
    public var from: [CatalogAddress] { CatalogAddress.list(json: fromJSON) }
    public var to: [CatalogAddress] { CatalogAddress.list(json: toJSON) }
    public var cc: [CatalogAddress] { CatalogAddress.list(json: ccJSON) }
    public var bcc: [CatalogAddress] { CatalogAddress.list(json: bccJSON) }

    /// The copy as one JSON line for `sluitsteen messages --json`.
    public var jsonLine: String {
        JSONText.object([
            ("mailbox", .string(mailbox)), ("sha256", .string(sha256)), ("size", .int(size)),
            ("messageId", .string(messageId)), ("messageIdSynthetic", .bool(messageIdSynthetic)),
            ("date", date.map { .string($0) } ?? .null), ("dateSource", .string(dateSource)),
            ("subject", .string(subject)), ("from", .raw(fromJSON)), ("to", .raw(toJSON)), ("cc", .raw(ccJSON)), ("bcc", .raw(bccJSON)),
            ("folder", .string(folder)), ("keywords", .strings(keywords)), ("flags", .strings(flags)),
            // Not known before the full reading: null, not a count of none.
            ("attachmentCount", parsePending ? .null : .int(Int64(attachmentCount))),
            ("attachments", parsePending ? .null : .strings(attachmentNames)),
            ("defects", .strings(defects)), ("flagged", .bool(flagged)), ("capturedAt", .string(capturedAt)),
            ("sourceFile", .string(sourceFile)), ("position", .int(Int64(position))), ("state", .string(state.rawValue)),
        ] + (parsePending ? [("parsePending", .bool(true))] : []))
    }

    /// The copy's and its message's columns, named as the properties (a subject is read up to 4000 characters).
    static let columnsSQL = """
        c.id AS copyId, c.mailbox, c.sha256, m.size, m.messageId, m.messageIdSynthetic, m.date, m.dateEpoch, m.dateSource,
               substr(m.subject, 1, 4000) AS subject, m.fromJSON, m.toJSON, m.ccJSON, m.bccJSON, c.folder, c.keywordsJSON,
               m.headerKeywordsJSON, c.flagsJSON, m.attachmentCount, m.attachmentNamesJSON, m.defectsJSON, m.flagged, c.capturedAt,
               c.capturedEpoch, c.sourceFile, c.position, c.state, (\(MessageText.parsePendingCondition)) AS parsePending
        """

    /// The copy with its message's columns, named as the properties.
    static let selectSQL = "SELECT \(columnsSQL) FROM copy c JOIN message m ON m.sha256 = c.sha256"

    /// ``selectSQL`` for the copies of messages found by Message-ID: the message first (by `message_messageId`), then
    /// its copies (by the copy's key, which begins with the message's rowid, or by `copy_sha256`). `CROSS JOIN` keeps
    /// that order: without statistics SQLite would start from every copy in the mailbox (`copy_plan`) and look up
    /// each one's message.
    static let byMessageSQL = "SELECT \(columnsSQL) FROM message m CROSS JOIN copy c ON c.messageRowid = m.rowid AND c.sha256 = m.sha256"

    /// A row of ``selectSQL``.
    init(row: Row) {
        typealias M = MessageRecord.Columns
        typealias C = CopyRecord.Columns
        copyId = row["copyId"]; mailbox = row[C.mailbox]; sha256 = row[C.sha256]; size = row[M.size]; messageId = row[M.messageId]
        messageIdSynthetic = row[M.messageIdSynthetic]; date = row[M.date]; dateEpoch = row[M.dateEpoch]; dateSource = row[M.dateSource]
        subject = row[M.subject]; fromJSON = row[M.fromJSON]; toJSON = row[M.toJSON]; ccJSON = row[M.ccJSON]; bccJSON = row[M.bccJSON]
        folder = row[C.folder]
        // Keywords from the mailbox owner's side first, then those of the message's Keywords header.
        var kw = JSONText.decodeArray(row[C.keywordsJSON])
        for k in JSONText.decodeArray(row[M.headerKeywordsJSON]) where !kw.contains(k) { kw.append(k) }
        keywords = kw
        flags = JSONText.decodeArray(row[C.flagsJSON]); attachmentCount = row[M.attachmentCount]
        attachmentNames = JSONText.decodeArray(row[M.attachmentNamesJSON]); defects = JSONText.decodeArray(row[M.defectsJSON])
        flagged = row[M.flagged]; parsePending = row["parsePending"]
        capturedAt = row[C.capturedAt]; capturedEpoch = row[C.capturedEpoch]; sourceFile = row[C.sourceFile]
        position = row[C.position]; state = row[C.state]
    }
}

extension Catalog {
    /// Calls `body` for every copy (optionally of one mailbox), ordered by mailbox, folder, position, copy id.
    /// Streams: memory does not grow with the catalog.
    public func forEachCopy(mailbox: String? = nil, _ body: (CatalogCopy) throws -> Void) throws {
        try read { db throws in
            var sql = CatalogCopy.selectSQL
            var args: StatementArguments = []
            if let mailbox { sql += " WHERE c.mailbox = ?"; args = [mailbox.lowercased()] }
            sql += " ORDER BY c.mailbox, c.folder, c.position, c.id"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try cursor.next() { try body(CatalogCopy(row: row)) }
        }
    }

    /// The copies of a message (by Message-ID, with or without angle brackets) in a mailbox.
    public func copies(mailbox: String, messageId: String) throws(ArchiveError) -> [CatalogCopy] {
        try read(throwing: ArchiveError.self) { db in
            try Row.fetchAll(db, sql: CatalogCopy.byMessageSQL + " WHERE c.mailbox = ? AND m.messageId = ? ORDER BY c.id",
                             arguments: [mailbox.lowercased(), Catalog.canonicalMessageId(messageId)]).map(CatalogCopy.init(row:))
        }
    }

    /// `<id>` form of a Message-ID as typed by a user (`id`, `<id>`, with spaces).
    public static func canonicalMessageId(_ raw: String) -> String {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasPrefix("<") { s.removeFirst() }
        if s.hasSuffix(">") { s.removeLast() }
        return "<\(s)>"
    }

    /// Mailbox addresses present in the catalog, sorted.
    public func mailboxes() throws(ArchiveError) -> [String] {
        try read(throwing: ArchiveError.self) { db in try CopyRecord.mailboxes(db) }
    }
}

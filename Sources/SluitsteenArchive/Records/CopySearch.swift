// SPDX-License-Identifier: EUPL-1.2
import GRDB
import SluitsteenSupport

/// A search of the catalog's copies by their metadata and the full-text index: what the retention stage's
/// `ArchiveSearch` filters further by decision.
public struct CopySearch: Sendable {
    /// Also copies that are gone (destroyed, purged); else only present ones.
    public var includeGone = false
    /// Only these mailboxes (lowercase); nil = every mailbox.
    public var mailboxes: [String]?
    /// Message date (or capture time) at or after, and before, these instants (seconds since the epoch).
    public var fromEpoch: Int64?
    public var beforeEpoch: Int64?
    /// A part of a sender's (or addressee's, cc's, bcc's) address or name, compared case-insensitively.
    public var sender: String?
    public var recipient: String?
    /// A part of the folder's name, compared case-insensitively (a tombstone's folder digest never matches).
    public var folder: String?
    /// Only copies of messages with (true) or without (false) attachments.
    public var hasAttachments: Bool?
    /// An FTS5 query the message's text must match.
    public var textQuery: String?

    public init() {}

    /// One copy found.
    public struct Hit: Sendable, Equatable {
        public var copyId: Int64
        public var mailbox: String
        public var folder: String
        public var messageId: String
        public var date: String?
        public var dateEpoch: Int64?
        /// The senders (at most 2000 characters of the list).
        public var fromJSON: String
        /// At most 1000 characters.
        public var subject: String
        public var attachmentCount: Int
        public var state: CopyState
    }

    /// The condition of ``folder`` (one argument: the part, lowercased): only copies in the archive, whose folder is a
    /// name and not a tombstone's digest.
    public static let folderCondition = "c.state IN ('present', 'transferred') AND instr(lower(c.folder), ?) > 0"

    /// Every copy that matches, newest message first.
    public func run(_ db: Database) throws -> [Hit] {
        var conditions: [String] = [includeGone ? "1" : "c.state = 'present'"]
        var args: [any DatabaseValueConvertible] = []
        if let mailboxes {
            conditions.append("c.mailbox IN (SELECT value FROM json_each(?))")
            args.append(JSONText.array(mailboxes.sorted()))
        }
        if let fromEpoch {
            conditions.append("COALESCE(m.dateEpoch, c.capturedEpoch) >= ?")
            args.append(fromEpoch)
        }
        if let beforeEpoch {
            conditions.append("COALESCE(m.dateEpoch, c.capturedEpoch) < ?")
            args.append(beforeEpoch)
        }
        if let sender {
            conditions.append("instr(lower(m.fromJSON), ?) > 0")
            args.append(sender.lowercased())
        }
        if let recipient {
            conditions.append("(instr(lower(m.toJSON), ?) > 0 OR instr(lower(m.ccJSON), ?) > 0 OR instr(lower(m.bccJSON), ?) > 0)")
            args += [recipient.lowercased(), recipient.lowercased(), recipient.lowercased()]
        }
        if let folder {
            conditions.append(Self.folderCondition)
            args.append(folder.lowercased())
        }
        if let hasAttachments { conditions.append(hasAttachments ? "m.attachmentCount > 0" : "m.attachmentCount = 0") }
        if let textQuery {
            conditions.append("c.messageRowid IN (SELECT rowid FROM messageText WHERE messageText MATCH ?)")
            args.append(textQuery)
        }
        let sql = """
            SELECT c.id, c.mailbox, c.folder, m.messageId, m.date, m.dateEpoch, substr(m.fromJSON, 1, 2000), substr(m.subject, 1, 1000),
                   m.attachmentCount, c.state
            FROM copy c JOIN message m ON m.rowid = c.messageRowid
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY COALESCE(m.dateEpoch, c.capturedEpoch) DESC, c.id DESC
            """
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
            Hit(copyId: row[0], mailbox: row[1], folder: row[2], messageId: row[3], date: row[4], dateEpoch: row[5], fromJSON: row[6],
                subject: row[7], attachmentCount: row[8], state: row[9])
        }
    }
}

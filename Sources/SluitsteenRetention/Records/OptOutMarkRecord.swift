// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenPolicy
import SluitsteenSupport

/// One row of `optOutMark`: an employee's opt-out of one message in their mailbox, until undone. The retention stage
/// owns the table (``RetentionStore``).
struct OptOutMarkRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "optOutMark"

    var id: Int64?
    var mailbox: String
    /// The message's Message-ID in its `<id>` form.
    var messageId: String
    var ground: String
    var markedAt: String
    var markedEpoch: Int64
    var markedBy: String
    /// How it was made (`optout mark`, `optout import`, …).
    var source: String
    var undoneAt: String?
    var undoneBy: String?
    var undoReason: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let mailbox = Column(CodingKeys.mailbox)
        static let messageId = Column(CodingKeys.messageId)
        static let undoneAt = Column(CodingKeys.undoneAt)
        static let undoneBy = Column(CodingKeys.undoneBy)
        static let undoReason = Column(CodingKeys.undoReason)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The marks in force (not undone), oldest first; a mark with an unknown ground is left out.
    static func inForce(_ db: Database) throws -> [OptOutMark] {
        try filter(Columns.undoneAt == nil).order(Columns.id).fetchAll(db).compactMap { r in
            guard let ground = OptOutGround(rawValue: r.ground) else { return nil }
            return OptOutMark(mailbox: r.mailbox, messageId: r.messageId, ground: ground, markedAt: Instant(secondsSinceEpoch: r.markedEpoch),
                              by: r.markedBy)
        }
    }

    /// Undoes the marks in force of a message in a mailbox. Returns how many were undone.
    static func undo(_ db: Database, mailbox: String, messageId: String, at: String, by: String, reason: String) throws -> Int {
        try filter(Columns.mailbox == mailbox && Columns.messageId == messageId && Columns.undoneAt == nil)
            .updateAll(db, [Columns.undoneAt.set(to: at), Columns.undoneBy.set(to: by), Columns.undoReason.set(to: reason)])
    }

    /// How many of `copies` (mailbox, Message-ID) have an opt-out mark, in force or undone.
    static func markedCount(_ db: Database, copies: [(mailbox: String, messageId: String)]) throws -> Int {
        let pairs = "[" + copies.map { JSONText.array([$0.mailbox, $0.messageId]) }.joined(separator: ",") + "]"
        return try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM json_each(?) j
            WHERE EXISTS (SELECT 1 FROM optOutMark o WHERE o.mailbox = json_extract(j.value, '$[0]') AND o.messageId = json_extract(j.value, '$[1]'))
            """, arguments: [pairs]) ?? 0
    }
}

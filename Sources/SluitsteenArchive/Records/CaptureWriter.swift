// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// Writes captured copies into `message` and `copy`, inside the caller's transaction: ingest's hot path, with its
/// statements prepared once and bound through SQLite's own calls (``BoundStatement``).
///
/// One statement both inserts a new message and restores one whose bytes were destroyed earlier and now arrive again
/// from another export (they were just stored anew, so its metadata comes back too, and the text indexer reads it
/// again). A copy destroyed or purged earlier keeps a tombstone whose folder name is a digest (see ``Tombstone``): the
/// same export taken in again does not bring it back.
public struct CaptureWriter {
    /// What became of one captured copy.
    public enum Outcome: Sendable, Equatable {
        /// The copy was destroyed or purged before: neither it nor (through it) its message comes back.
        case tombstoned
        /// A copy new to the catalog; `flagged` is the flag of its message as stored.
        case added(flagged: Bool)
        /// The catalog had the copy already (a re-run).
        case alreadyPresent(flagged: Bool)
    }

    private let db: Database
    private let mailbox: String
    private let batchId: Int64
    private let capturedAt: String
    private let capturedEpoch: Int64
    private let upsertMessage: BoundStatement
    private let insertCopy: BoundStatement
    private let existing: Statement
    private let tombstone: Statement
    private let hasTombstones: Bool
    private var folderKeys: [String: String] = [:]

    /// Prepares the writer for copies of `mailbox` captured by batch `batchId` at `capturedAt`.
    public init(_ db: Database, mailbox: String, batchId: Int64, capturedAt: String, capturedEpoch: Int64) throws {
        self.db = db
        self.mailbox = mailbox
        self.batchId = batchId
        self.capturedAt = capturedAt
        self.capturedEpoch = capturedEpoch
        upsertMessage = try BoundStatement(db, sql: """
            INSERT INTO message (sha256, size, messageId, messageIdSynthetic, date, dateEpoch, dateSource, subject,
                fromJSON, toJSON, ccJSON, bccJSON, headerKeywordsJSON, attachmentCount, attachmentNamesJSON, defectsJSON, flagged,
                receivedEpoch, parsed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (sha256) DO UPDATE SET messageId = excluded.messageId, messageIdSynthetic = excluded.messageIdSynthetic,
                date = excluded.date, dateEpoch = excluded.dateEpoch, dateSource = excluded.dateSource, subject = excluded.subject,
                fromJSON = excluded.fromJSON, toJSON = excluded.toJSON, ccJSON = excluded.ccJSON, bccJSON = excluded.bccJSON,
                headerKeywordsJSON = excluded.headerKeywordsJSON, attachmentCount = excluded.attachmentCount,
                attachmentNamesJSON = excluded.attachmentNamesJSON, defectsJSON = excluded.defectsJSON,
                flagged = excluded.flagged, receivedEpoch = excluded.receivedEpoch, parsed = excluded.parsed, contentState = 'stored',
                textIndexed = 0
            RETURNING rowid
            """)
        insertCopy = try BoundStatement(db, sql: """
            INSERT OR IGNORE INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, keywordsJSON, flagsJSON,
                capturedAt, capturedEpoch, batchId, messageRowid)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        existing = try db.cachedStatement(sql: "SELECT rowid, flagged, contentState FROM message WHERE sha256 = ?")
        // Tombstones are looked up only when this mailbox has any.
        hasTombstones = try Bool.fetchOne(db, sql: """
            SELECT 1 FROM copy WHERE mailbox = ? AND folder >= '#' AND folder < '$' AND state IN ('destroyed', 'purged') LIMIT 1
            """, arguments: [mailbox]) ?? false
        // The copy's unique key (messageRowid, mailbox, folder, occurrence) finds it.
        tombstone = try db.cachedStatement(sql: "SELECT 1 FROM copy WHERE messageRowid = ? AND mailbox = ? AND folder = ? AND occurrence = ?")
    }

    /// Writes one copy (and its message, unless the catalog has it stored already).
    public mutating func add(_ copy: CapturedCopy) throws -> Outcome {
        // The message as the catalog has it, looked up when needed: a tombstone names its message by rowid, and the
        // flag of a message already stored is its own. Bytes that were just written anew are not in the catalog as
        // stored (or the store had lost them): unless this mailbox has tombstones, no lookup is needed.
        var known: Row?
        if hasTombstones || !copy.newContent { known = try Row.fetchOne(existing, arguments: [copy.sha256]) }
        if hasTombstones, let rowid = known?["rowid"] as Int64? {
            let key = folderKeys[copy.folder] ?? Tombstone.folderKey(mailbox: mailbox, folder: copy.folder)
            folderKeys[copy.folder] = key
            if try Bool.fetchOne(tombstone, arguments: [rowid, mailbox, key, copy.occurrence]) == true {
                // Bytes this run stored for it anyway are left to `store verify --repair` as an orphan, unless another
                // copy needs them.
                return .tombstoned
            }
        }
        let m = copy.message
        var storedFlagged = m.flagged
        let messageRowid: Int64
        if !copy.newContent, let known, known["contentState"] as String? == ContentState.stored.rawValue {
            storedFlagged = known["flagged"]
            messageRowid = known["rowid"]
        } else {
            let u = upsertMessage
            u.bind(1, copy.sha256); u.bind(2, copy.size); u.bind(3, m.messageId); u.bind(4, m.messageIdSynthetic)
            u.bind(5, m.date); u.bind(6, m.dateEpoch); u.bind(7, m.dateSource); u.bind(8, m.subject)
            u.bind(9, m.fromJSON); u.bind(10, m.toJSON); u.bind(11, m.ccJSON); u.bind(12, m.bccJSON)
            u.bind(13, m.headerKeywordsJSON); u.bind(14, m.attachmentCount); u.bind(15, m.attachmentNamesJSON)
            u.bind(16, m.defectsJSON); u.bind(17, m.flagged); u.bind(18, m.receivedEpoch); u.bind(19, m.parsed)
            guard let rowid = try u.step() else { throw ArchiveError.batchNotKept("SQLite gave no row for message \(copy.sha256)") }
            messageRowid = rowid
        }
        let c = insertCopy
        c.bind(1, mailbox); c.bind(2, copy.sha256); c.bind(3, copy.folder); c.bind(4, copy.occurrence)
        c.bind(5, copy.sourceFile); c.bind(6, copy.position); c.bind(7, copy.keywordsJSON); c.bind(8, copy.flagsJSON)
        c.bind(9, capturedAt); c.bind(10, capturedEpoch); c.bind(11, batchId); c.bind(12, messageRowid)
        try c.step()
        return db.changesCount > 0 ? .added(flagged: storedFlagged) : .alreadyPresent(flagged: storedFlagged)
    }
}

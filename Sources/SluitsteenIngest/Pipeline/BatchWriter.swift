// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenSupport

/// Writes one batch of processed messages to the catalog in a single transaction.
struct BatchWriter {
    struct Row {
        var item: Ingestor.Processed
        var occurrence: Int
    }

    let workspace: Workspace
    let mailbox: String
    let batchId: Int64
    let capturedAt: String
    let capturedEpoch: Int64

    func commit(_ rows: [Row], summary: inout IngestSummary) throws(IngestError) {
        CrashPoint.pass("ingest-before-commit")
        var local = summary
        do {
            local = try workspace.catalog.write { db -> IngestSummary in
                var s = summary
                // One statement both inserts a new message and restores one whose bytes were destroyed earlier and
                // now arrive again from another export (they were just stored anew, so its metadata comes back too,
                // and the text indexer reads it again). It returns the row id the copy refers to.
                let upsertMessage = try BoundStatement(db, sql: """
                    INSERT INTO message (sha256, size, messageId, messageIdSynthetic, date, dateEpoch, dateSource, subject,
                        fromJSON, toJSON, ccJSON, bccJSON, headerKeywordsJSON, attachmentCount, attachmentNamesJSON, defectsJSON, flagged,
                        receivedEpoch)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sha256) DO UPDATE SET messageId = excluded.messageId, messageIdSynthetic = excluded.messageIdSynthetic,
                        date = excluded.date, dateEpoch = excluded.dateEpoch, dateSource = excluded.dateSource, subject = excluded.subject,
                        fromJSON = excluded.fromJSON, toJSON = excluded.toJSON, ccJSON = excluded.ccJSON, bccJSON = excluded.bccJSON,
                        headerKeywordsJSON = excluded.headerKeywordsJSON, attachmentCount = excluded.attachmentCount,
                        attachmentNamesJSON = excluded.attachmentNamesJSON, defectsJSON = excluded.defectsJSON,
                        flagged = excluded.flagged, receivedEpoch = excluded.receivedEpoch, contentState = 'stored', textIndexed = 0
                    RETURNING rowid
                    """)
                let insertCopy = try BoundStatement(db, sql: """
                    INSERT OR IGNORE INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, keywordsJSON, flagsJSON,
                        capturedAt, capturedEpoch, batchId, messageRowid)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let existing = try db.cachedStatement(sql: "SELECT rowid, flagged, contentState FROM message WHERE sha256 = ?")
                // A copy destroyed or purged earlier keeps a tombstone whose folder name is a digest (see Tombstone): the
                // same export taken in again must not bring it back. Looked up only when this mailbox has tombstones.
                let hasTombstones = try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM copy WHERE mailbox = ? AND folder >= '#' AND folder < '$' AND state IN ('destroyed', 'purged') LIMIT 1
                    """, arguments: [mailbox]) ?? false
                let tombstone = try db.cachedStatement(sql: "SELECT 1 FROM copy WHERE mailbox = ? AND folder = ? AND sha256 = ? AND occurrence = ?")
                var folderKeys: [String: String] = [:]
                for row in rows {
                    let m = row.item.message
                    let raw = row.item.raw
                    // The flag of the message as stored: a message already in the catalog keeps its own. Bytes that were
                    // just written anew are not in the catalog as stored (or the store had lost them): no lookup needed.
                    var storedFlagged = m.flagged
                    var messageRowid: Int64?
                    if hasTombstones {
                        let key = folderKeys[raw.folder] ?? Tombstone.folderKey(mailbox: mailbox, folder: raw.folder)
                        folderKeys[raw.folder] = key
                        if try Bool.fetchOne(tombstone, arguments: [mailbox, key, row.item.sha256, row.occurrence]) == true {
                            // Destroyed before: neither the copy nor (through it) the message comes back. Bytes this run
                            // stored for it anyway are left to `store verify --repair` as an orphan, unless another copy
                            // needs them.
                            s.found += 1
                            s.bytes += Int64(row.item.size)
                            s.alreadyPresent += 1
                            continue
                        }
                    }
                    if !row.item.newContent, let known = try GRDB.Row.fetchOne(existing, arguments: [row.item.sha256]),
                       known["contentState"] as String? == "stored" {
                        storedFlagged = known["flagged"]
                        messageRowid = known["rowid"]
                    } else {
                        let u = upsertMessage
                        u.bind(1, row.item.sha256); u.bind(2, row.item.size); u.bind(3, m.messageId); u.bind(4, m.messageIdSynthetic)
                        u.bind(5, m.date); u.bind(6, m.dateEpoch); u.bind(7, m.dateSource); u.bind(8, m.subject)
                        u.bind(9, m.fromJSON); u.bind(10, m.toJSON); u.bind(11, m.ccJSON); u.bind(12, m.bccJSON)
                        u.bind(13, m.headerKeywordsJSON); u.bind(14, m.attachmentCount); u.bind(15, m.attachmentNamesJSON)
                        u.bind(16, m.defectsJSON); u.bind(17, m.flagged); u.bind(18, m.receivedEpoch)
                        messageRowid = try u.step()
                    }
                    let c = insertCopy
                    c.bind(1, mailbox); c.bind(2, row.item.sha256); c.bind(3, raw.folder); c.bind(4, row.occurrence)
                    c.bind(5, raw.sourceFile); c.bind(6, raw.position); c.bind(7, row.item.keywordsJSON); c.bind(8, row.item.flagsJSON)
                    c.bind(9, capturedAt); c.bind(10, capturedEpoch); c.bind(11, batchId); c.bind(12, messageRowid)
                    try c.step()
                    s.found += 1
                    s.bytes += Int64(row.item.size)
                    if db.changesCount > 0 { s.storedNew += 1 } else { s.alreadyPresent += 1 }
                    if row.item.newContent { s.newContents += 1 }
                    if storedFlagged { s.flagged += 1 }
                }
                try db.execute(sql: "UPDATE ingestBatch SET found = ?, storedNew = ?, alreadyPresent = ?, flagged = ? WHERE id = ?",
                               arguments: [s.found, s.storedNew, s.alreadyPresent, s.flagged, batchId])
                return s
            }
        } catch { throw .archive("\(error)") }
        summary = local
        CrashPoint.pass("ingest-after-commit")
    }

    /// `[{"name":…,"address":…},…]`, built as bytes (once per address header of every message).
    static func addresses(_ list: [MailAddress]) -> String {
        if list.isEmpty { return "[]" }
        var out: [UInt8] = [0x5B]
        for (i, a) in list.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendRaw("{\"name\":", to: &out)
            if let name = a.name { JSONText.appendString(name, to: &out) } else { JSONText.appendRaw("null", to: &out) }
            JSONText.appendRaw(",\"address\":", to: &out)
            JSONText.appendString(a.address, to: &out)
            out.append(0x7D)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }
}

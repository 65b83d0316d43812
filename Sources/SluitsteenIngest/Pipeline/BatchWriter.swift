// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive

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
    let flush: Bool

    /// Flushes the store to disk when at least `flushEvery` new bytes were written since the last flush (and the
    /// caller flushes once more at the end): one `sync` per 256 MB instead of one `fsync` per file.
    static let flushEvery: Int64 = 256 << 20

    func commit(_ rows: [Row], summary: inout IngestSummary, unflushed: inout Int64, final: Bool = false) throws(IngestError) {
        CrashPoint.pass("ingest-before-commit")
        unflushed += rows.reduce(Int64(0)) { $0 + ($1.item.newContent ? Int64($1.item.raw.bytes.count) : 0) }
        if flush && (unflushed >= BatchWriter.flushEvery || final) && unflushed > 0 {
            workspace.store.flush()
            unflushed = 0
        }
        var local = summary
        do {
            local = try workspace.catalog.write { db -> IngestSummary in
                var s = summary
                // One statement both inserts a new message and restores one whose bytes were destroyed earlier and
                // now arrive again from another export (they were just stored anew, so its metadata comes back too).
                let upsertMessage = try db.cachedStatement(sql: """
                    INSERT INTO message (sha256, size, messageId, messageIdSynthetic, date, dateEpoch, dateSource, subject,
                        fromJSON, toJSON, ccJSON, bccJSON, headerKeywordsJSON, attachmentCount, attachmentNamesJSON, defectsJSON, flagged)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sha256) DO UPDATE SET messageId = excluded.messageId, messageIdSynthetic = excluded.messageIdSynthetic,
                        date = excluded.date, dateEpoch = excluded.dateEpoch, dateSource = excluded.dateSource, subject = excluded.subject,
                        fromJSON = excluded.fromJSON, toJSON = excluded.toJSON, ccJSON = excluded.ccJSON, bccJSON = excluded.bccJSON,
                        headerKeywordsJSON = excluded.headerKeywordsJSON, attachmentCount = excluded.attachmentCount,
                        attachmentNamesJSON = excluded.attachmentNamesJSON, defectsJSON = excluded.defectsJSON,
                        flagged = excluded.flagged, contentState = 'stored'
                    """)
                let insertText = try db.cachedStatement(sql: "INSERT INTO messageText (sha256, text) VALUES (?, ?)")
                let insertCopy = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, keywordsJSON, flagsJSON,
                        capturedAt, capturedEpoch, batchId, messageRowid)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT rowid FROM message WHERE sha256 = ?))
                    """)
                let existing = try db.cachedStatement(sql: "SELECT flagged, contentState FROM message WHERE sha256 = ?")
                for row in rows {
                    let p = row.item.parsed
                    let raw = row.item.raw
                    let flagged = !p.defects.isEmpty || p.messageIdSynthetic || p.dateSource != .header
                    let known = try GRDB.Row.fetchOne(existing, arguments: [row.item.sha256])
                    // The flag of the message as stored: a message already in the catalog keeps its own.
                    var storedFlagged = flagged
                    if let known, known["contentState"] as String? == "stored" {
                        storedFlagged = known["flagged"]
                    } else {
                        try upsertMessage.execute(arguments: [
                            row.item.sha256, raw.bytes.count, p.messageId, p.messageIdSynthetic,
                            p.date.map { ISOTimestamp.format($0, offsetMinutes: p.dateOffsetMinutes) },
                            p.date.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, p.dateSource.rawValue, p.subject,
                            BatchWriter.addresses(p.from), BatchWriter.addresses(p.to), BatchWriter.addresses(p.cc), BatchWriter.addresses(p.bcc),
                            JSONText.array(p.headerKeywords), p.attachmentCount, JSONText.array(p.attachmentNames), JSONText.array(p.defects), flagged,
                        ])
                        if known != nil {
                            try db.execute(sql: "DELETE FROM messageText WHERE sha256 = ?", arguments: [row.item.sha256])
                        }
                        try insertText.execute(arguments: [row.item.sha256, p.text])
                    }
                    try insertCopy.execute(arguments: [
                        mailbox, row.item.sha256, raw.folder, row.occurrence, raw.sourceFile, raw.position,
                        JSONText.array(raw.keywords), JSONText.array(raw.flags), capturedAt, capturedEpoch, batchId, row.item.sha256,
                    ])
                    s.found += 1
                    s.bytes += Int64(raw.bytes.count)
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

    static func addresses(_ list: [MailAddress]) -> String {
        "[" + list.map { a in
            JSONText.object([("name", a.name.map { .string($0) } ?? .null), ("address", .string(a.address))])
        }.joined(separator: ",") + "]"
    }
}

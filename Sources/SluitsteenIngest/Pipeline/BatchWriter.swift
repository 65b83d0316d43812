// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenSupport

/// Writes one batch of processed messages to the catalog in a single transaction, through the archive's
/// ``CaptureWriter``, and counts what became of each.
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
        summary = try workspace.catalog.write(throwing: IngestError.self) { [summary] db -> IngestSummary in
            var s = summary
            var writer = try CaptureWriter(db, mailbox: mailbox, batchId: batchId, capturedAt: capturedAt, capturedEpoch: capturedEpoch)
            for row in rows {
                let item = row.item
                let outcome = try writer.add(CapturedCopy(
                    sha256: item.sha256, size: item.size, newContent: item.newContent, message: item.message, folder: item.raw.folder,
                    occurrence: row.occurrence, sourceFile: item.raw.sourceFile, position: item.raw.position,
                    keywordsJSON: item.keywordsJSON, flagsJSON: item.flagsJSON))
                s.found += 1
                s.bytes += Int64(item.size)
                switch outcome {
                case .tombstoned:
                    s.alreadyPresent += 1
                    continue
                case .added(let flagged):
                    s.storedNew += 1
                    if flagged { s.flagged += 1 }
                case .alreadyPresent(let flagged):
                    s.alreadyPresent += 1
                    if flagged { s.flagged += 1 }
                }
                if item.newContent { s.newContents += 1 }
            }
            try IngestBatchRecord.record(db, id: batchId, counts: s.counts)
            return s
        }
        CrashPoint.pass("ingest-after-commit")
    }

    /// The catalog's address list of a header's addresses (once per address header of every message).
    static func addresses(_ list: [MailAddress]) -> String {
        CatalogAddress.json(list.map { CatalogAddress(name: $0.name, address: $0.address) })
    }
}

extension IngestSummary {
    /// What the batch row records of this summary.
    var counts: IngestBatchRecord.Counts {
        IngestBatchRecord.Counts(found: found, storedNew: storedNew, alreadyPresent: alreadyPresent, flagged: flagged)
    }
}

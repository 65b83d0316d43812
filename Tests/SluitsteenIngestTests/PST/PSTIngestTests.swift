import Foundation
import SluitsteenArchive
@testable import SluitsteenIngest
import Testing

/// PST mail through the whole ingest pipeline: same catalog path, dedup and idempotency as mbox/Maildir/EML,
/// with every item accounted for.
@Suite(.enabled(if: PSTCorpus.available && PSTCorpus.readpstInstalled, "../shared/corpora or readpst is absent: PST ingest skipped"))
struct PSTIngestTests {
    @Test func pstIngestAccountsForEveryItemAndIsIdempotent() throws {
        let sample = try PSTCorpus.sample(named: "SampleOstFile.ost")
        let ws = try Workspace.create(at: PSTCorpus.scratch("ws"))
        defer { try? FileManager.default.removeItem(at: ws.root) }
        let ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T00:00:00Z")!)
        let request = IngestRequest(mailbox: "p.kok@krimpenerwaard.example", paths: [sample.url], actor: "test")
        let first = try ingestor.run(request)
        #expect(first.formats == ["pst"])
        #expect(first.found == sample.messagesTotal, "every mail item of the oracle is stored")
        #expect(first.itemsFound == first.storedNew + first.alreadyPresent + first.notMail.values.reduce(0, +) + first.failed.count)
        // Folder paths of the catalog are those of the oracle (store name stripped), with the oracle's counts.
        var perFolder: [String: Int] = [:]
        try ws.catalog.forEachCopy { perFolder[$0.folder, default: 0] += 1 }
        let expected = Dictionary(sample.mboxCounts.map { (key, value) in
            (key.split(separator: "/").dropFirst().joined(separator: "/"), value)
        }, uniquingKeysWith: +).filter { $0.value > 0 }
        #expect(perFolder == expected)
        // Re-ingesting the same file adds nothing.
        let again = try ingestor.run(request)
        #expect(again.storedNew == 0)
        #expect(again.alreadyPresent == first.found)
        var copies = 0
        try ws.catalog.forEachCopy { _ in copies += 1 }
        #expect(copies == first.found)
    }
}

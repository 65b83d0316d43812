import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
@testable import SluitsteenIngest
import SluitsteenSupport
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

    /// readpst writes a `Date` header only from the item's sent time; an item without one (unsent, some received
    /// ones) is dated by the PST's own time for it, with dateSource `pst-item`, not by the time of capture. The
    /// times are checked against a separate readpst run's trace.
    @Test func itemsWithoutADateHeaderAreDatedByThePST() throws {
        let sample = try PSTCorpus.sample(named: "passwordprotectedPST.pst")
        let ws = try Workspace.create(at: PSTCorpus.scratch("ws"))
        defer { try? FileManager.default.removeItem(at: ws.root) }
        let now = ISOTimestamp.parse("2026-06-01T00:00:00Z")!
        var request = IngestRequest(mailbox: "p.kok@krimpenerwaard.example", paths: [sample.url], actor: "test")
        request.allowPasswordProtectedPST = true
        _ = try Ingestor(workspace: ws, now: now).run(request)

        // Every time libpst traces for any item of this PST, read from a readpst run of the test's own.
        let work = PSTCorpus.scratch("trace")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // Only TZ and LC_ALL from the test's environment matter to the trace; the rest is inherited.
        let trace = try Subprocess.run(try PSTExtractor.locateReadpst(),
                                       ["-e", "-D", "-j", "0", "-q", "-L", "2", "-d", "/dev/stderr", "-o", work.path, sample.url.path],
                                       environment: ["TZ": "UTC", "LC_ALL": "C"]).err
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        let traced = Set(trace.split(separator: "\n").compactMap { line -> Int64? in
            guard line.contains("libpst.c("), let dash = line.range(of: ") - "), line.contains("Date ") else { return nil }
            let text = line[dash.upperBound...].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
        })
        #expect(!traced.isEmpty)

        var withoutDate = 0
        try ws.catalog.forEachCopy { copy in
            let bytes = try ws.store.read(copy.sha256)
            let header = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n")[0]
            guard !header.split(separator: "\n").contains(where: { $0.lowercased().hasPrefix("date:") }) else { return }
            withoutDate += 1
            #expect(copy.dateSource == "pst-item", "\(copy.folder) #\(copy.position)")
            #expect(copy.dateEpoch.map { traced.contains($0) } == true, "\(copy.folder) #\(copy.position): \(copy.date ?? "-")")
        }
        #expect(withoutDate >= 3)
    }
}

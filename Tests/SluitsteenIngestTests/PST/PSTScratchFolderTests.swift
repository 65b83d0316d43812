// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenSupport
import Synchronization
@testable import SluitsteenIngest
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, point 12: a PST is converted in a private folder inside the workspace (`<workspace>/tmp`, 0700), not
/// in the world-readable system temporary folder, and what a killed run left there goes on the next ingest.
@Suite struct PSTScratchFolderTests {
    let now = ISOTimestamp.parse("2026-06-01T00:00:00Z")!

    static func mode(_ url: URL) -> mode_t? {
        var st = stat()
        return lstat(url.path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }

    @Test func leftoversOfAKilledRunAreRemovedByTheNextIngest() throws {
        let ws = try Workspace.create(at: PSTCorpus.scratch("leftover-ws"))
        defer { try? FileManager.default.removeItem(at: ws.root) }
        let scratch = Ingestor.scratchFolder(of: ws)
        #expect(scratch.path == ws.root.appendingPathComponent("tmp").path)
        let leftover = scratch.appendingPathComponent("ingest-pst-4F0C7A5E")
        try FileManager.default.createDirectory(at: leftover.appendingPathComponent("Inbox"), withIntermediateDirectories: true)
        try Data("Subject: half geconverteerd\n\n".utf8).write(to: leftover.appendingPathComponent("Inbox/1.eml"))
        let mbox = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        _ = try Ingestor(workspace: ws, now: now).run(IngestRequest(mailbox: "a@b.example", paths: [mbox], actor: "test"))
        #expect(!FileManager.default.fileExists(atPath: leftover.path), "a killed run's conversion is removed")
    }

    @Test(.enabled(if: PSTCorpus.available && PSTCorpus.readpstInstalled, "../shared/corpora or readpst is absent"))
    func aPSTIsConvertedInAPrivateFolderOfTheWorkspace() throws {
        let sample = try PSTCorpus.sample(named: "SampleOstFile.ost")
        let ws = try Workspace.create(at: PSTCorpus.scratch("private-ws"))
        defer { try? FileManager.default.removeItem(at: ws.root) }
        let scratch = Ingestor.scratchFolder(of: ws)
        // What the conversion folder looks like while the messages are being stored (seen from the progress callback).
        let seen = Mutex<[String]>([])
        let summary = try Ingestor(workspace: ws, now: now).run(
            IngestRequest(mailbox: "p.kok@krimpenerwaard.example", paths: [sample.url], actor: "test")) { _ in
                let names = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
                func octal(_ url: URL) -> String { String(Self.mode(url) ?? 0, radix: 8) }
                let facts = ["tmp \(octal(scratch))"]
                    + names.map { "\($0.hasPrefix("ingest-pst-") ? "ingest-pst-*" : $0) \(octal(scratch.appendingPathComponent($0)))" }
                seen.withLock { if $0.isEmpty { $0 = facts } }
            }
        #expect(summary.found == sample.messagesTotal)
        #expect(seen.withLock { $0 } == ["tmp 700", "ingest-pst-* 700"])
        #expect((try FileManager.default.contentsOfDirectory(atPath: scratch.path)).isEmpty, "the conversion is removed afterwards")
    }
}

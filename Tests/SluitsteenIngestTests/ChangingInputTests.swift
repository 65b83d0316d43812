// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import Synchronization
@testable import SluitsteenIngest
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, point 10: a file that a mail program moves during ingest is skipped with a notice; an mbox that
/// changes while it is read stops the run, which says (and the audit trail records) what was committed.
@Suite struct ChangingInputTests {
    @Test func aMaildirFileThatVanishesAfterListingIsSkippedWithANotice() throws {
        let tmp = try TemporaryDirectory("vanish")
        let root = tmp.appending("Maildir")
        try Hostile.makeMaildir(root)
        for i in 0..<3 { try Hostile.message("bericht \(i)", id: "v\(i)").write(to: root.appendingPathComponent("cur/170000000\(i).m:2,S")) }
        var reader = try MaildirReader(url: root)
        // A mail program moves the second file away between listing and reading.
        let moved = root.appendingPathComponent("cur/1700000001.m:2,S")
        try FileManager.default.removeItem(at: moved)
        var subjects: [String] = []
        while let m = try reader.next() { subjects.append(String(decoding: m.bytes, as: UTF8.self)) }
        #expect(subjects.count == 2)
        #expect(reader.notices.count == 1)
        #expect(reader.notices.first?.hasPrefix(moved.path + ": skipped, it disappeared") == true, "\(reader.notices)")
    }

    @Test func aMaildirFileThatVanishesDuringIngestDoesNotStopTheRun() throws {
        let tmp = try TemporaryDirectory("vanish-run")
        let root = tmp.appending("Maildir")
        try Hostile.makeMaildir(root)
        let count = 60
        for i in 0..<count {
            try Hostile.message("bericht \(i)", id: "r\(i)").write(to: root.appendingPathComponent("cur/\(1_700_000_000 + i).m:2,S"))
        }
        // The reader runs at most a few batches of one message ahead of the commits: removing the last file when the
        // first batch is committed always happens before the reader opens it.
        let last = root.appendingPathComponent("cur/\(1_700_000_000 + count - 1).m:2,S")
        let removed = Mutex(false)
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let summary = try Hostile.ingestor(ws, batchSize: 1).run(IngestRequest(mailbox: "a@b.example", paths: [root], actor: "test")) { _ in
            removed.withLock { done in
                if !done { try? FileManager.default.removeItem(at: last); done = true }
            }
        }
        #expect(summary.found == count - 1)
        #expect(summary.notices.contains { $0.hasPrefix(last.path + ": skipped, it disappeared") }, "\(summary.notices)")
    }

    @Test func anMboxThatShrinksDuringIngestStopsWithWhatWasCommitted() throws {
        let tmp = try TemporaryDirectory("shrink")
        let url = tmp.appending("Postvak.mbox")
        var text = Data()
        for i in 0..<60 {
            text += Data("From a@b.example Mon Jan  1 00:00:00 2024\n".utf8) + Hostile.message("bericht \(i)", id: "s\(i)") + Data("\n".utf8)
        }
        try text.write(to: url)
        let half = off_t(text.count / 2)
        let truncated = Mutex(false)
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var thrown: IngestError?
        do {
            _ = try Hostile.ingestor(ws, batchSize: 1).run(IngestRequest(mailbox: "a@b.example", paths: [url], actor: "test")) { _ in
                truncated.withLock { done in
                    if !done { _ = truncate(url.path, half); done = true }
                }
            }
        } catch {
            thrown = error
        }
        let error = try #require(thrown, "an mbox that changed while it was read must not give a normal ending")
        guard case .stopped(let reason, let committed) = error, case .changedWhileRead(let path, _) = reason else {
            Issue.record("unexpected error: \(error)")
            return
        }
        #expect(path == url.path)
        #expect(committed.found >= 1 && committed.found < 60)
        #expect(try Hostile.copies(ws).count == committed.found, "what the error reports is what the catalog holds")
        #expect(error.description.contains("\(committed.found) message copies"))
        #expect(error.description.contains("changed while it was being read"))
        #expect(!error.description.contains("Nothing was ingested"))
        let (status, found) = try ws.catalog.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT status, found FROM ingestBatch WHERE id = ?",
                                                    arguments: [committed.batchId]))
            return (row["status"] as String, row["found"] as Int)
        }
        #expect(status == "failed")
        #expect(found == committed.found)
        let audit = try ws.catalog.read { db in try AuditTrail.entries(db, kind: .ingest) }
        #expect(audit.map { String($0.outcome.prefix(7)) } == ["started", "failed:"])
        #expect(audit.last?.outcome.contains("found \(committed.found),") == true)
        #expect(try ws.catalog.read { db in try AuditTrail.verify(db).firstBreak } == nil)
    }
}

import Foundation
import SluitsteenTestSupport
import SluitsteenHashing
import Testing

@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct IngestCLITests {
    let mbox = CLI.fixtures.appendingPathComponent("mailboxes/burgemeester.mbox").path
    let maildir = CLI.fixtures.appendingPathComponent("mailboxes/beleidsmedewerker").path

    func listing(_ cli: CLI) throws -> [[String: Any]] {
        cli.jsonLines(try cli.run(["messages", "--json"]).stdout)
    }

    /// A real SIGKILL in the middle of an ingest, at several points; re-running completes with no duplicate
    /// and no half-written entry, and gives the same catalog as an uninterrupted run.
    @Test(arguments: ["ingest-before-commit:2", "ingest-after-commit:1", "ingest-before-commit:4", "store-write:7"])
    func killedIngestCompletesOnRerun(point: String) throws {
        let reference = try CLI()
        try reference.initialise()
        try reference.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", "--batch-size", "2", mbox, maildir])
        let expected = try listing(reference).map { "\($0["folder"]!)|\($0["sha256"]!)|\($0["position"]!)" }.sorted()
        #expect(expected.count == 21)

        let cli = try CLI()
        try cli.initialise()
        let killed = try cli.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", "--batch-size", "2", mbox, maildir],
                                 env: ["SLUITSTEEN_TEST_KILL": point])
        #expect(killed.killed, "the process should have been killed at \(point)")
        let partial = try listing(cli)
        #expect(partial.count < expected.count)
        #expect(partial.count % 2 == 0, "only whole batches are committed")
        let rerun = try cli.run(["ingest", "--json", "--mailbox", "burgemeester@krimpenerwaard.example", "--batch-size", "2", mbox, maildir])
        #expect(rerun.status == 0)
        let summary = try #require(cli.jsonLines(rerun.stdout).first)
        #expect(summary["found"] as? Int == 21)
        #expect(summary["alreadyPresent"] as? Int == partial.count)
        #expect(summary["storedNew"] as? Int == 21 - partial.count)
        let got = try listing(cli).map { "\($0["folder"]!)|\($0["sha256"]!)|\($0["position"]!)" }.sorted()
        #expect(got == expected)
        // Every pack entry matches its SHA-256 and is listed: an entry the kill left torn was cut off and written again.
        let verify = try cli.run(["store", "verify", "--json"])
        let check = try #require(cli.jsonLines(verify.stdout).first)
        #expect(verify.status == 0 && check["sound"] as? Bool == true)
        #expect((check["checked"] as? Int ?? 0) >= 20 && check["leftovers"] as? Int == 0 && (check["orphans"] as? [String])?.isEmpty == true)
    }

    /// A real SIGKILL while a message above the in-memory limit (16 MB) is being copied into the store: the re-run
    /// stores it whole, lists every message once and leaves no half-made copy behind.
    @Test func killedWhileCopyingALargeMessageCompletesOnRerun() throws {
        let tmp = try TemporaryDirectory("large")
        let dir = tmp.url
        let large = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <groot@x>\nSubject: groot\n\n"
            + String(repeating: "regel van een groot bericht\n", count: 700_000) + "\n"
        let small = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <klein@x>\nSubject: klein\n\nklein\n"
        let mboxURL = dir.appendingPathComponent("Groot.mbox")
        try Data((large + small).utf8).write(to: mboxURL)
        let cli = try CLI()
        try cli.initialise()
        let killed = try cli.run(["ingest", "--new-mailbox", "--mailbox", "a@b.example", mboxURL.path], env: ["SLUITSTEEN_TEST_KILL": "store-copy:3"])
        #expect(killed.killed, "the process should have been killed while copying")
        let pack = cli.home.appendingPathComponent("store/packs/000001.pack")
        #expect(try FileManager.default.attributesOfItem(atPath: pack.path)[.size] as? Int ?? 0 > 1 << 20, "a half-made copy is left")
        #expect(try listing(cli).isEmpty)
        let rerun = try cli.run(["ingest", "--json", "--new-mailbox", "--mailbox", "a@b.example", mboxURL.path])
        #expect(rerun.status == 0)
        let listed = try listing(cli)
        #expect(listed.count == 2 && Set(listed.compactMap { $0["subject"] as? String }) == ["groot", "klein"])
        let largeBytes = Data(large.utf8).dropLast()   // the empty line before the next separator is not the message's
        let sha = Digest.hex(Data(largeBytes.dropFirst("From a@b.example Mon Jan  1 00:00:00 2024\n".utf8.count)))
        let verify = try cli.run(["store", "verify", "--json"])
        let check = try #require(cli.jsonLines(verify.stdout).first)
        #expect(verify.status == 0 && check["checked"] as? Int == 2 && check["leftovers"] as? Int == 0, "no half-made copy is left")
        let packBytes = try Data(contentsOf: pack)
        #expect(packBytes.count < 16 + 2 * 48 + largeBytes.count + 200, "the torn copy was cut off, not kept beside the whole one")
        #expect(listed.contains { $0["sha256"] as? String == sha && ($0["size"] as? Int ?? 0) > 16 << 20 })
    }

    @Test func badInputGivesOneClearLineAndNonZeroExit() throws {
        let cli = try CLI()
        try cli.initialise()
        let missing = try cli.run(["ingest", "--new-mailbox", "--mailbox", "a@b.example", "/nonexistent/export.mbox"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/export.mbox"))
        #expect(!missing.stderr.contains("Fatal error"))
        let tmp = try TemporaryDirectory("notmail")
        let notMail = tmp.appending("notmail.bin")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]).write(to: notMail)
        let bad = try cli.run(["ingest", "--new-mailbox", "--mailbox", "a@b.example", mbox, notMail.path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("not a mailbox export"))
        #expect(try listing(cli).isEmpty, "nothing is ingested when one path is bad")
        let noWorkspace = try CLI().run(["messages", "--json"])
        #expect(noWorkspace.status != 0)
        #expect(noWorkspace.stderr.contains("sluitsteen init"))
    }

    /// While another process holds the store lock, ingest says so in one line, exits non-zero, ingests nothing.
    @Test func ingestWhileTheStoreIsLockedIsAClearRefusal() throws {
        let cli = try CLI()
        try cli.initialise()
        // Another process holds the lock on the workspace folder, and names itself in store.lock.
        let fd = open(cli.home.path, O_RDONLY | O_DIRECTORY)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        try Data("destroy execute VL-2026-0001, process 1, since 2026-12-01T09:00:00Z\n".utf8)
            .write(to: cli.home.appendingPathComponent("store.lock"))
        let refused = try cli.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", mbox])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("busy") && refused.stderr.contains("VL-2026-0001"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(!refused.stderr.contains("Fatal error"))
        #expect(try listing(cli).isEmpty)
        flock(fd, LOCK_UN)
        #expect(try cli.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", mbox]).status == 0)
        #expect(!(try listing(cli).isEmpty))
    }

    @Test func messagesJSONHasTheRequiredFields() throws {
        let cli = try CLI()
        try cli.initialise()
        try cli.run(["ingest", "--mailbox", "j.devries@krimpenerwaard.example", maildir])
        let rows = try listing(cli)
        #expect(rows.count == 12)
        for row in rows {
            for key in ["mailbox", "sha256", "size", "messageId", "date", "subject", "from", "to", "cc", "folder", "keywords",
                        "attachments", "defects", "capturedAt"] {
                #expect(row[key] != nil, "missing \(key)")
            }
            #expect((row["capturedAt"] as? String) == "2026-12-01T10:00:00Z")
            if let date = row["date"] as? String { #expect(date.count == 25, "ISO 8601 with offset: \(date)") }
        }
    }

    /// Issue 19: links inside an export are skipped and listed as notes; the run succeeds with the real messages.
    @Test func linksInsideAnExportAreSkippedAndNoted() throws {
        let tmp = try TemporaryDirectory("links")
        let dir = tmp.appending("links")
        let root = dir.appendingPathComponent("Maildir")
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let marker = "GEHEIM-\(UUID().uuidString)"
        try Data("Subject: \(marker)\n\n\(marker)\n".utf8).write(to: dir.appendingPathComponent("geheim.txt"))
        try Data("Subject: gewoon\nMessage-ID: <gewoon@x>\n\ntekst\n".utf8).write(to: root.appendingPathComponent("cur/1700000000.a:2,S"))
        let link = root.appendingPathComponent("cur/1700000001.b:2,S")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: dir.appendingPathComponent("geheim.txt").path)
        let cli = try CLI()
        try cli.initialise()
        let run = try cli.run(["ingest", "--new-mailbox", "--mailbox", "a@b.example", root.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("note: \(link.path): skipped, it is a symbolic link"), "\(run.stdout)")
        let rows = try listing(cli)
        #expect(rows.map { $0["subject"] as? String } == ["gewoon"])
    }

    /// Issue 19: a catalog written before header values were bounded can hold a Subject of megabytes; the listing
    /// shows a bounded part, marked, and stays usable.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs /usr/bin/sqlite3 to write the old catalog"))
    func messagesBoundsHugeHeaderValues() throws {
        let cli = try CLI()
        try cli.initialise()
        try cli.run(["ingest", "--new-mailbox", "--mailbox", "a@b.example", mbox])
        let catalog = cli.home.appendingPathComponent("catalog.sqlite").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [catalog, "UPDATE message SET subject = 'Begroting ' || hex(zeroblob(1500000)) "
                                + "WHERE rowid = (SELECT min(rowid) FROM message)"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let text = try cli.run(["messages"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("Begroting 0000") && $0.contains("[…]") })
        #expect(lines.allSatisfy { $0.utf8.count < 1_500 }, "the longest line is \(lines.map(\.utf8.count).max() ?? 0) bytes")
        let rows = try listing(cli)
        let subjects = rows.compactMap { $0["subject"] as? String }
        #expect(subjects.contains { $0.hasPrefix("Begroting 0000") && $0.hasSuffix(" […]") && $0.count <= 1_005 })
        #expect(subjects.allSatisfy { $0.count <= 1_005 })
    }
}

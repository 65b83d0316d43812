// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `sluitsteen` executable against a real Dovecot: the one-off form with its exact flags, a configuration with
/// two mailboxes of which one fails, a SIGKILL in the middle of a fetch, and secrets that never leave the secret files.
@Suite(.enabled(if: Dovecot.unavailable == nil, "\(Dovecot.unavailable ?? "")"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: CaptureTest.binary.path), "the sluitsteen executable is not built"))
struct CaptureCLITests {
    static let owner = "burgemeester@krimpenerwaard.example"

    /// A workspace made by the CLI (demo, the fixtures' registers), run with a replayed clock.
    struct Home {
        /// The folder holding the workspace and the CLI's output files (removed when the test's last copy goes).
        let tmp: TemporaryDirectory
        let url: URL
        var environment: [String: String] {
            var e = ProcessInfo.processInfo.environment
            e["SLUITSTEEN_HOME"] = url.path
            e["SLUITSTEEN_NOW"] = "2026-12-01T10:00:00Z"
            e.removeValue(forKey: "SLUITSTEEN_TEST_KILL")
            return e
        }

        init() throws {
            tmp = try TemporaryDirectory("capture-cli")
            url = tmp.appending("archief")
            try #require(try run(["init", "--demo"]).status == 0)
            let r = CaptureTest.fixtures.appendingPathComponent("registers")
            let imported = try run(["register", "import"]
                                   + ["people", "roles", "mailboxes", "approvers"].map { r.appendingPathComponent("\($0).csv").path })
            try #require(imported.status == 0, "\(imported.stderr)")
        }

        /// Starts the CLI with its output in files (read after it ends).
        func start(_ args: [String]) throws -> (Process, URL, URL) {
            let p = Process()
            p.executableURL = CaptureTest.binary
            p.arguments = args
            p.environment = environment
            let out = url.deletingLastPathComponent().appendingPathComponent("out-\(UUID().uuidString)")
            let err = url.deletingLastPathComponent().appendingPathComponent("err-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: out)
            p.standardError = try FileHandle(forWritingTo: err)
            try p.run()
            return (p, out, err)
        }

        @discardableResult
        func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let (p, out, err) = try start(args)
            p.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
            return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
        }

        /// Every file of the workspace (catalog, its WAL, the store, logs), to search for a secret.
        func files() -> [URL] {
            (FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])?.allObjects as? [URL] ?? [])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        }

        func catalog() throws -> DatabaseQueue {
            var c = Configuration()
            c.readonly = true
            return try DatabaseQueue(path: url.appendingPathComponent("catalog.sqlite").path, configuration: c)
        }
    }

    static func oneOff(_ dovecot: Dovecot, _ secretFlag: String, _ file: URL, user: String = "alice") -> [String] {
        ["capture", "--server", "127.0.0.1", "--port", "\(dovecot.imapPort)", "--tls", "none", "--user", user, secretFlag, file.path,
         "--mailbox", owner, "--json"]
    }

    static func json(_ text: String) throws -> [String: Any] {
        let line = try #require(text.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Capture and destruction never overlap: while another command (here: the test, as `destroy execute` would) holds
    /// the store lock, the mailbox's capture fails as busy (after its retries; `--retries 0` here), the run says so and
    /// exits 1, and nothing is stored; once the lock is released it captures.
    @Test func captureWaitsForTheStoreLock() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        try dovecot.imap(user: "alice", fixtures.map { CaptureTest.append("INBOX", $0) })
        let home = try Home()
        let passwordFile = dovecot.root.appendingPathComponent("lock-password")
        try (try #require(dovecot.users["alice"]) + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        let workspace = try Workspace.open(at: home.url)
        var lock: StoreLock? = try workspace.lockStore(for: "destroy execute", now: Date())
        let refused = try home.run(Self.oneOff(dovecot, "--password-file", passwordFile) + ["--retries", "0"])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect((refused.stdout + refused.stderr).contains("is busy: another command is changing its stored messages (destroy execute"))
        #expect(try home.catalog().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM copy") } == 0)
        withExtendedLifetime(lock) {}
        lock = nil
        let captured = try home.run(Self.oneOff(dovecot, "--password-file", passwordFile))
        #expect(captured.status == 0, "\(captured.stderr)")
        #expect(try home.catalog().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM copy") } == fixtures.count)
    }

    /// The one-off form with the exact flags: captures everything, a second run adds nothing, the audit trail records
    /// each run with its counts; the password and an OAuth token are nowhere in the output or the workspace's files.
    @Test func oneOffCaptureKeepsSecretsOut() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        try dovecot.imap(user: "alice", fixtures.map { CaptureTest.append("INBOX", $0) })
        let home = try Home()
        let password = try #require(dovecot.users["alice"])
        let passwordFile = dovecot.root.appendingPathComponent("cli-password")
        try (password + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)

        let first = try home.run(Self.oneOff(dovecot, "--password-file", passwordFile))
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require((try Self.json(first.stdout)["mailboxes"] as? [[String: Any]])?.first)
        #expect(summary["ok"] as? Bool == true && summary["fetched"] as? Int == fixtures.count && summary["storedNew"] as? Int == fixtures.count)
        let second = try home.run(Self.oneOff(dovecot, "--password-file", passwordFile))
        #expect(second.status == 0)
        #expect((try Self.json(second.stdout)["mailboxes"] as? [[String: Any]])?.first?["fetched"] as? Int == 0)

        // Stored byte for byte.
        let shas = try home.catalog().read { db in
            try String.fetchAll(db, sql: "SELECT sha256 FROM copy WHERE mailbox = ?",
                                arguments: [Self.owner])
        }
        #expect(shas.sorted() == fixtures.map { Digest.hex($0) }.sorted())

        // OAuth 2.0 through the CLI too.
        let token = dovecot.token(for: "alice", expires: Int(Date().timeIntervalSince1970) + 600)
        let tokenFile = dovecot.root.appendingPathComponent("cli-token")
        try (token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
        let third = try home.run(Self.oneOff(dovecot, "--token-file", tokenFile))
        #expect(third.status == 0, "\(third.stderr)")
        // A wrong password: refused, said clearly, exit non-zero.
        let wrong = dovecot.root.appendingPathComponent("cli-wrong")
        try "Verkeerd-Wachtwoord-77\n".write(to: wrong, atomically: true, encoding: .utf8)
        let refused = try home.run(Self.oneOff(dovecot, "--password-file", wrong))
        #expect(refused.status != 0)
        let refusal = try #require((try Self.json(refused.stdout)["mailboxes"] as? [[String: Any]])?.first?["error"] as? String)
        #expect(refusal.contains("refused the login of alice"), "\(refusal)")

        // The audit trail: one entry per run, with the counts.
        let audit = try home.catalog().read { db in
            try AuditTrail.entries(db).filter { $0.command == "capture" && $0.outcome.hasPrefix("capture run") }
        }
        #expect(audit.count == 4)
        #expect(audit.first?.outcome.contains("fetched \(fixtures.count), stored new \(fixtures.count)") == true)

        // No secret anywhere: output, catalog (and its WAL), audit trail, store, logs.
        let secrets = [password, token, "Verkeerd-Wachtwoord-77"]
        for run in [first, second, third, refused] {
            for s in secrets { #expect(!run.stdout.contains(s) && !run.stderr.contains(s)) }
        }
        let files = home.files()
        #expect(files.contains { $0.lastPathComponent == "catalog.sqlite" })
        // The search finds what is there (the mailbox's address, the user of the account).
        #expect(files.contains { (try? Data(contentsOf: $0))?.range(of: Data("alice@127.0.0.1".utf8)) != nil })
        for file in files {
            let data = try Data(contentsOf: file)
            for s in secrets { #expect(data.range(of: Data(s.utf8)) == nil, "a secret is in \(file.path)") }
        }
        #expect(audit.allSatisfy { e in secrets.allSatisfy { !e.outcome.contains($0) } })
    }

    /// A configuration with two mailboxes, one with a wrong password: the other is captured, the summary names the one
    /// that failed and why, and the exit status is not zero.
    @Test func oneMailboxFailingDoesNotStopTheOther() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        try dovecot.imap(user: "alice", fixtures.map { CaptureTest.append("INBOX", $0) })
        try dovecot.imap(user: "bob", [CaptureTest.append("INBOX", fixtures[0])])
        let home = try Home()
        let good = dovecot.root.appendingPathComponent("alice.secret"), bad = dovecot.root.appendingPathComponent("bob.secret")
        try (dovecot.users["alice"]! + "\n").write(to: good, atomically: true, encoding: .utf8)
        try "niet-het-wachtwoord\n".write(to: bad, atomically: true, encoding: .utf8)
        let config = home.url.appendingPathComponent("capture.toml")
        try """
            [server]
            host = "127.0.0.1"
            port = \(dovecot.imapPort)
            tls = "none"

            [auth]
            method = "password"

            [[mailbox]]
            address = "j.devries@krimpenerwaard.example"
            user = "bob"
            password-file = "\(bad.path)"

            [[mailbox]]
            address = "\(Self.owner)"
            user = "alice"
            password-file = "\(good.path)"

            """.write(to: config, atomically: true, encoding: .utf8)
        let check = try home.run(["capture", "--check"])
        #expect(check.status == 0, "\(check.stderr)")
        let run = try home.run(["capture", "--retries", "0"])
        #expect(run.status != 0)
        #expect(run.stdout.contains("2 mailboxes, 1 failed"), "\(run.stdout)")
        #expect(run.stdout.contains("j.devries@krimpenerwaard.example (bob@127.0.0.1:\(dovecot.imapPort)): FAILED"), "\(run.stdout)")
        #expect(run.stdout.contains("refused the login of bob"))
        #expect(run.stdout.contains("\(Self.owner) (alice@127.0.0.1:\(dovecot.imapPort)): fetched \(fixtures.count), stored new \(fixtures.count)"))
        #expect(!run.stdout.contains("niet-het-wachtwoord") && !run.stderr.contains("niet-het-wachtwoord"))
    }

    /// SIGKILL in the middle of a fetch (sent from outside once the state shows a committed batch, the process frozen
    /// first so that it cannot finish in between): the next run completes, with every message exactly once.
    @Test func killedMidFetchResumesWithoutDuplicatesOrGaps() throws {
        let dovecot = try Dovecot()
        let count = 1200
        try dovecot.imap(user: "alice", [["op": "generate", "folder": "INBOX", "count": count, "tag": "kill", "lines": 20]])
        let server = try #require(try dovecot.imap(user: "alice", [["op": "fetch", "folder": "INBOX"]]).first as? [String])
        #expect(server.count == count)
        let home = try Home()
        let passwordFile = dovecot.root.appendingPathComponent("cli-password")
        try (dovecot.users["alice"]! + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        let args = Self.oneOff(dovecot, "--password-file", passwordFile) + ["--fetch-batch", "20", "--batch-size", "20"]
        let (process, out, err) = try home.start(args)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }

        // Poll the state until a batch is committed but not all of them; then freeze the process, check, kill.
        var captured = 0
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            captured = (try? home.catalog().read { db in try Int.fetchOne(db, sql: "SELECT MAX(lastUid) FROM captureFolder") ?? 0 }) ?? 0
            if captured > 0 { break }
        }
        kill(process.processIdentifier, SIGSTOP)
        let frozenAt = (try? home.catalog().read { db in try Int.fetchOne(db, sql: "SELECT MAX(lastUid) FROM captureFolder") ?? 0 }) ?? 0
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(process.terminationReason == .uncaughtSignal,
                     "the capture ended before it could be killed (\(captured) of \(count) captured); raise the count")
        #expect(frozenAt > 0 && frozenAt < count, "killed after \(frozenAt) of \(count)")

        let resumed = try home.run(args)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let m = try #require((try Self.json(resumed.stdout)["mailboxes"] as? [[String: Any]])?.first)
        #expect((m["fetched"] as? Int ?? 0) <= count - frozenAt, "only what was not committed is fetched again")
        let shas = try home.catalog().read { db in
            try String.fetchAll(db, sql: "SELECT sha256 FROM copy WHERE mailbox = ?",
                                arguments: [Self.owner])
        }
        #expect(shas.count == count, "every message exactly once")
        #expect(shas.sorted() == server.sorted())
        let stateRows = try home.catalog().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM captureMessage") ?? 0 }
        #expect(stateRows == count)
        let again = try home.run(args)
        #expect((try Self.json(again.stdout)["mailboxes"] as? [[String: Any]])?.first?["fetched"] as? Int == 0)
    }

    /// `--every` keeps running (here for two runs: the hidden --runs of the tests) and prints one summary per run.
    @Test func everyRunsAsAService() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        try dovecot.imap(user: "alice", fixtures.map { CaptureTest.append("INBOX", $0) })
        let home = try Home()
        let passwordFile = dovecot.root.appendingPathComponent("cli-password")
        try (dovecot.users["alice"]! + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        let run = try home.run(Self.oneOff(dovecot, "--password-file", passwordFile) + ["--every", "1s", "--runs", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let fetched = lines.compactMap { ($0["mailboxes"] as? [[String: Any]])?.first?["fetched"] as? Int }
        #expect(fetched == [fixtures.count, 0])
    }
}

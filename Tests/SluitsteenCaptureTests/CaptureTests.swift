// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenCapture
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import Testing

/// Capture through the library against a real Dovecot started by each test (see ``Dovecot``): exact bytes, incremental
/// runs, UIDVALIDITY, renames, expunges, opt-out keywords and folders, read-only fetching.
@Suite(.enabled(if: Dovecot.unavailable == nil, "\(Dovecot.unavailable ?? "")"))
struct CaptureTests {
    static let owner = "burgemeester@krimpenerwaard.example"

    /// The decision's opt-out ground of every copy of `mailbox`, by SHA-256.
    func optOuts(_ ws: Workspace) throws -> [String: OptOutGround?] {
        var out: [String: OptOutGround?] = [:]
        let asOf = Instant(CaptureTest.captured.addingTimeInterval(86_400))
        try RetentionEngine(workspace: ws, policy: CaptureTest.policy).forEachDecision(asOf: asOf, mailboxes: [Self.owner]) {
            out[$0.copy.sha256] = $0.decision.optOut
        }
        return out
    }

    /// The fixtures' mail (and, with ../shared, the corpora's .eml files) appended by an independent client (imaplib)
    /// is captured exactly: as many copies as the server holds, each with the SHA-256 of the bytes the server returns
    /// (for the fixtures: of the bytes appended). Nothing is marked as read, and a second run adds nothing.
    @Test func capturesEveryAppendedMessageByteForByte() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        try dovecot.imap(user: "alice", fixtures.map { CaptureTest.append("INBOX", $0) })
        var corpusCount = 0
        if CaptureTest.hasCorpora {
            var seen = Set(fixtures.map { Digest.hex($0) })
            let corpus = try CaptureTest.corpusMessages().filter { seen.insert(Digest.hex($0)).inserted }
            try dovecot.imap(user: "alice", [["op": "create", "folder": "Corpora"]])
            let appended = try dovecot.imap(user: "alice", corpus.map { CaptureTest.append("Corpora", $0) })
            corpusCount = appended.filter { !($0 is NSNull) }.count
            #expect(corpusCount > 200, "the server took only \(corpusCount) of \(corpus.count) corpus messages")
        } else {
            print("capture: ../shared/corpora is absent; only the fixtures are appended")
        }
        let server = try dovecot.imap(user: "alice", [["op": "fetch", "folder": "INBOX"], ["op": "fetch", "folder": "Corpora"]])
        let inbox = try #require(server[0] as? [String])
        let corpora = (server[1] as? [String]) ?? []
        #expect(inbox.sorted() == fixtures.map { Digest.hex($0) }.sorted(), "Dovecot returns the fixtures byte for byte")
        #expect(corpora.count == corpusCount)

        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let run = try CaptureTest.capturer(ws, dovecot).runOnce()
        let m = try #require(run.mailboxes.first)
        #expect(m.error == nil, "\(m.error?.description ?? "")")
        #expect(m.fetched == inbox.count + corpora.count && m.storedNew == m.fetched)
        let copies = try CaptureTest.copies(ws)
        #expect(copies.filter { $0.folder == "INBOX" }.map(\.sha256).sorted() == inbox.sorted())
        #expect(copies.filter { $0.folder == "Corpora" }.map(\.sha256).sorted() == corpora.sorted())
        #expect(copies.count == inbox.count + corpora.count)
        for c in copies {
            let stored = try #require(CaptureTest.storedBytes(ws, c.sha256))
            #expect(Digest.hex(stored) == c.sha256)
        }
        #expect(copies.allSatisfy { $0.source.hasPrefix("imap://alice@127.0.0.1:\(dovecot.imapPort)/") && $0.source.contains(";UIDVALIDITY=") })

        // BODY.PEEK[]: nothing was marked as read on the server.
        let flags = try dovecot.imap(user: "alice", [["op": "flags", "folder": "INBOX"], ["op": "flags", "folder": "Corpora"]])
        let all = flags.compactMap { $0 as? [String] }.joined()
        #expect(all.count == inbox.count + corpora.count)
        #expect(!all.contains { $0.contains("\\Seen") })

        let again = try CaptureTest.capturer(ws, dovecot).runOnce()
        #expect(again.mailboxes[0].error == nil && again.mailboxes[0].fetched == 0)
        #expect(try CaptureTest.copies(ws).count == copies.count)
    }

    /// Between runs the server changes: new mail is picked up; a folder deleted and made anew (a new UIDVALIDITY) with
    /// the same mail adds nothing; a renamed folder adds nothing; an expunged message stays in the archive.
    @Test func incrementalRunsFollowTheServer() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        let firstHalf = Array(fixtures.prefix(fixtures.count / 2)), secondHalf = Array(fixtures.dropFirst(fixtures.count / 2))
        try dovecot.imap(user: "alice", [["op": "create", "folder": "Projecten"]] + firstHalf.map { CaptureTest.append("Projecten", $0) })
        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let first = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(first.error == nil && first.fetched == firstHalf.count && first.newFolders.contains("Projecten"))

        // New mail.
        try dovecot.imap(user: "alice", secondHalf.map { CaptureTest.append("Projecten", $0) })
        let second = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(second.error == nil && second.fetched == secondHalf.count && second.storedNew == secondHalf.count)
        #expect(try CaptureTest.copies(ws).map(\.sha256).sorted() == fixtures.map { Digest.hex($0) }.sorted())

        // A new UIDVALIDITY: the folder deleted and made anew with the same mail.
        try dovecot.imap(user: "alice", [["op": "delete", "folder": "Projecten"], ["op": "create", "folder": "Projecten"]]
                         + fixtures.map { CaptureTest.append("Projecten", $0) })
        let third = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(third.error == nil && third.rescannedFolders == ["Projecten"])
        #expect(third.fetched == fixtures.count && third.storedNew == 0 && third.alreadyPresent == fixtures.count)
        #expect(try CaptureTest.copies(ws).count == fixtures.count)

        // A rename: the same UIDVALIDITY under another name.
        try dovecot.imap(user: "alice", [["op": "rename", "from": "Projecten", "to": "Projecten 2026"]])
        let fourth = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(fourth.error == nil && fourth.renamedFolders == ["Projecten → Projecten 2026"] && fourth.fetched == 0)
        #expect(try CaptureTest.copies(ws).count == fixtures.count)

        // Expunged on the server after capture: stays in the archive, counted as gone.
        try dovecot.imap(user: "alice", [["op": "expunge", "folder": "Projecten 2026", "uid": 1]])
        let fifth = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(fifth.error == nil && fifth.expunged == 1 && fifth.fetched == 0)
        let copies = try CaptureTest.copies(ws)
        #expect(copies.count == fixtures.count)
        #expect(copies.allSatisfy { CaptureTest.storedBytes(ws, $0.sha256) != nil })
    }

    /// The owner's "Privé" tag (the IMAP keyword `Priv&AOk-`, modified UTF-7 as mail programs write a non-ASCII tag;
    /// also plain `Prive`) and a folder named Privé opt a message out; a tag set after capture gives an opt-out mark;
    /// other mail is not opted out.
    @Test func privateKeywordsAndFoldersOptOut() throws {
        let dovecot = try Dovecot()
        // Messages without a Keywords header of their own (a sender's header never opts out; see the retention tests).
        let fixtures = try CaptureTest.fixtureMessages().filter { !String(decoding: $0, as: UTF8.self).contains("Keywords:") }
        try #require(fixtures.count >= 5)
        try dovecot.imap(user: "alice", [
            CaptureTest.append("INBOX", fixtures[0], flags: "(Priv&AOk-)"),
            CaptureTest.append("INBOX", fixtures[1], flags: "(Prive $Forwarded)"),
            CaptureTest.append("INBOX", fixtures[2]),
            CaptureTest.append("INBOX", fixtures[3]),
            ["op": "create", "folder": "Priv&AOk-"],
            CaptureTest.append("Priv&AOk-", fixtures[4]),
        ])
        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let run = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(run.error == nil && run.fetched == 5)
        let copies = try CaptureTest.copies(ws)
        let bySha = Dictionary(copies.map { ($0.sha256, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(bySha[Digest.hex(fixtures[0])]?.keywords.contains("Privé") == true)
        #expect(bySha[Digest.hex(fixtures[1])]?.keywords.contains("Prive") == true)
        #expect(bySha[Digest.hex(fixtures[4])]?.folder == "Privé")
        var decided = try optOuts(ws)
        #expect(decided[Digest.hex(fixtures[0])] == .some(.private))
        #expect(decided[Digest.hex(fixtures[1])] == .some(.private))
        #expect(decided[Digest.hex(fixtures[4])] == .some(.private))
        #expect(decided[Digest.hex(fixtures[2])] == .some(nil))
        #expect(decided[Digest.hex(fixtures[3])] == .some(nil))

        // The owner tags a captured message later, within the window: the next run marks it.
        try dovecot.imap(user: "alice", [["op": "store", "folder": "INBOX", "uid": 3, "flags": "(Priv&AOk-)"]])
        let later = try CaptureTest.capturer(ws, dovecot).runOnce().mailboxes[0]
        #expect(later.error == nil && later.fetched == 0 && later.optOutMarks == 1 && later.flagChanges >= 1)
        decided = try optOuts(ws)
        #expect(decided[Digest.hex(fixtures[2])] == .some(.private))
        #expect(decided[Digest.hex(fixtures[3])] == .some(nil))
    }

    /// As a service: each run waits the interval (an injected wait, which here appends new mail, so nothing sleeps),
    /// and the next run picks up what arrived.
    @Test func serviceRunsPickUpMailThatArrivesBetweenRuns() throws {
        let dovecot = try Dovecot()
        let fixtures = try CaptureTest.fixtureMessages()
        try dovecot.imap(user: "alice", [CaptureTest.append("INBOX", fixtures[0])])
        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let waits = CaptureTest.Waits()
        let capturer = try CaptureTest.capturer(ws, dovecot, waits: waits)
        var options = capturer.options
        options.wait = { seconds in
            waits.record(seconds)
            _ = try? dovecot.imap(user: "alice", [CaptureTest.append("INBOX", fixtures[waits.all.count])])
        }
        let service = Capturer(workspace: ws, configuration: capturer.configuration, options: options)
        var runs: [MailboxCaptureSummary] = []
        service.runService(every: 300, idle: false, report: { outcome in
            if case .success(let run) = outcome { runs.append(run.mailboxes[0]) }
        }, shouldStop: { runs.count >= 3 })
        #expect(runs.map(\.fetched) == [1, 1, 1])
        #expect(runs.allSatisfy { $0.error == nil })
        #expect(waits.all == [300, 300])
        #expect(try CaptureTest.copies(ws).map(\.sha256).sorted() == fixtures.prefix(3).map { Digest.hex($0) }.sorted())
    }
}

import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenIndex
import SluitsteenIngest
import SluitsteenPolicy
@testable import SluitsteenRetention
import SluitsteenSupport
import Testing

/// The rules engine on a real workspace built from the fixtures: registers, opt-outs, hotspots and Woo holds as
/// stored in the catalog, term matching through the full-text index, and the plan.
@Suite struct RetentionWorkspaceTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url = url.deletingLastPathComponent() }
        return url
    }()
    static let fixtures = root.appendingPathComponent("Fixtures")
    let captured = ISOTimestamp.parse("2026-12-01T10:00:00Z")!
    let policy = try! Policy.krimpenerwaard

    func workspace(registers: Bool = true) throws -> Workspace {
        let ws = try Workspace.create(at: FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-ret-\(UUID().uuidString)"),
                                      kind: .demo, environment: [:]).replaying(captured)
        let ingestor = Ingestor(workspace: ws, now: captured)
        let m = Self.fixtures.appendingPathComponent("mailboxes")
        _ = try ingestor.run(IngestRequest(mailbox: "burgemeester@krimpenerwaard.example", paths: [m.appendingPathComponent("burgemeester.mbox")],
                                           actor: "t"))
        _ = try ingestor.run(IngestRequest(mailbox: "j.devries@krimpenerwaard.example", paths: [m.appendingPathComponent("beleidsmedewerker")],
                                           actor: "t"))
        _ = try ingestor.run(IngestRequest(mailbox: "info@krimpenerwaard.example", paths: [m.appendingPathComponent("info")], actor: "t"))
        if registers { _ = try importRegisters(ws) }
        return ws
    }

    static let actor = Actor(personId: nil, name: "t")

    /// The demo workspace `ws` with its clock at `text`.
    func at(_ ws: Workspace, _ text: String) throws -> Workspace { try ws.replaying(ISOTimestamp.parse(text)!) }

    func importRegisters(_ ws: Workspace) throws -> RetentionStore.ImportOutcome {
        let r = Self.fixtures.appendingPathComponent("registers")
        return try RetentionStore(workspace: ws).importRegisters(
            people: r.appendingPathComponent("people.csv"), roles: r.appendingPathComponent("roles.csv"),
            mailboxes: r.appendingPathComponent("mailboxes.csv"), policy: policy, actor: Self.actor)
    }

    /// The decisions as of the end of `asOf`, as `plan` makes them: the full-text index brought up to date first
    /// when terms are matched.
    func decisions(_ ws: Workspace, asOf: String) throws -> [DecidedCopy] {
        var out: [DecidedCopy] = []
        let date = CivilDate(iso: asOf)!
        let engine = RetentionEngine(workspace: ws, policy: policy)
        try engine.prepareTextIndexForTerms()
        let endOfDay = AmsterdamTime.instant(date: date.adding(days: 1), secondOfDay: 0).adding(seconds: -1)
        try engine.forEachDecision(asOf: endOfDay) { out.append($0) }
        return out
    }

    /// Deciding only reads: the engine finds terms through its text-hit source and never writes the index itself
    /// (it did, so `plan` and `explain`, which read, wrote the catalog). The caller brings the index up to date.
    @Test func decidingReadsTheIndexWithoutWritingIt() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try RetentionStore(workspace: ws).addHotspot(
            name: "Brug", status: .designated,
            criteria: MatchCriteria(period: DatePeriod(from: CivilDate(iso: "2024-01-01"), to: CivilDate(iso: "2025-12-31")),
                                    terms: ["n210"]),
            decisionRef: "SIO-1", actor: Self.actor)
        let waiting = try TextIndexer(workspace: ws).pendingCount()
        #expect(waiting > 0)
        let engine = RetentionEngine(workspace: ws, policy: policy)
        #expect(try engine.matchesTerms())
        var unprepared: [DecidedCopy] = []
        try engine.forEachDecision(asOf: Instant(iso: "2040-01-01T12:00:00Z")!) { unprepared.append($0) }
        #expect(try TextIndexer(workspace: ws).pendingCount() == waiting, "deciding wrote the full-text index")
        #expect(!unprepared.contains { $0.decision.rules.map(\.description).contains("hotspot:Brug") })
        // Brought up to date where the caller says so, the same decisions see the term.
        try engine.prepareTextIndexForTerms()
        #expect(try TextIndexer(workspace: ws).pendingCount() == 0)
        var prepared: [DecidedCopy] = []
        try engine.forEachDecision(asOf: Instant(iso: "2040-01-01T12:00:00Z")!) { prepared.append($0) }
        #expect(prepared.contains { $0.decision.rules.map(\.description).contains("hotspot:Brug") })
    }

    /// The engine reads text hits through a ``TextHitSource``: a stand-in gives the hits, and the decisions follow it.
    @Test func textHitsComeFromTheEnginesSource() throws {
        struct OneMessage: TextHitSource {
            let sha256: String
            func hits(for targets: [TextTarget], in db: Database, amongCopies copyIds: [Int64]?) throws -> [String: Set<TextHitKey>] {
                [sha256: Set(targets.map(\.key))]
            }
        }
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try RetentionStore(workspace: ws).addHotspot(
            name: "Nergens", status: .designated,
            criteria: MatchCriteria(period: DatePeriod(from: CivilDate(iso: "2000-01-01"), to: CivilDate(iso: "2030-12-31")),
                                    terms: ["woord-dat-nergens-staat"]),
            decisionRef: "SIO-9", actor: Self.actor)
        let sha = try #require(try ws.catalog.read { try String.fetchOne($0, sql: "SELECT sha256 FROM message ORDER BY rowid LIMIT 1") })
        var engine = RetentionEngine(workspace: ws, policy: policy)
        engine.textHitSource = OneMessage(sha256: sha)
        var hit: [DecidedCopy] = []
        try engine.forEachDecision(asOf: Instant(iso: "2040-01-01T12:00:00Z")!) {
            if $0.decision.rules.map(\.description).contains("hotspot:Nergens") { hit.append($0) }
        }
        #expect(!hit.isEmpty && hit.allSatisfy { $0.copy.sha256 == sha })
        let ids = Set(hit.map(\.copy.copyId))
        let inTransaction = try ws.catalog.read { try engine.decide(copyIds: ids, asOf: Instant(iso: "2040-01-01T12:00:00Z")!, in: $0) }
        #expect(inTransaction.values.allSatisfy { $0.decision.rules.map(\.description).contains("hotspot:Nergens") })
    }

    func subject(_ ws: Workspace, _ d: DecidedCopy) throws -> String {
        try ws.catalog.read { try String.fetchOne($0, sql: "SELECT subject FROM message WHERE sha256 = ?", arguments: [d.copy.sha256]) ?? "" }
    }

    @Test func withoutRegistersNothingIsEverDestroyed() throws {
        let ws = try workspace(registers: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let all = try decisions(ws, asOf: "2060-01-01")
        #expect(all.count == 27)
        #expect(all.allSatisfy { $0.decision.action == .unclassified })
    }

    @Test func registerImportIsIdempotentAndWarnsAboutUnregisteredMailboxes() throws {
        let ws = try workspace(registers: false)
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try Ingestor(workspace: ws, now: captured).run(IngestRequest(
            mailbox: "onbekend@krimpenerwaard.example",
            paths: [Self.fixtures.appendingPathComponent("mailboxes/burgemeester.mbox")], actor: "t"))
        let first = try importRegisters(ws)
        #expect(first.changed)
        #expect(first.warnings.contains { $0.contains("onbekend@krimpenerwaard.example") })
        let second = try importRegisters(ws)
        #expect(!second.changed)
        let versions = try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM registerVersion") }
        #expect(versions == 1)
        // The unregistered mailbox's copies stay unclassified, even long after everything else is due.
        let unregistered = try decisions(ws, asOf: "2060-01-01").filter { $0.copy.mailbox == "onbekend@krimpenerwaard.example" }
        #expect(!unregistered.isEmpty)
        #expect(unregistered.allSatisfy { $0.decision.action == .unclassified })
    }

    @Test func registerErrorsRefuseTheWholeImport() throws {
        let ws = try workspace(registers: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("reg")
        let dir = tmp.url
        try "person_id,name,employed_from,employed_to\nP1,A,2020-01-01,\n".write(to: dir.appendingPathComponent("people.csv"), atomically: true,
                                                                                 encoding: .utf8)
        try "person_id,role,valid_from,valid_to\nP1,wethouders,2020-01-01,\n".write(to: dir.appendingPathComponent("roles.csv"), atomically: true,
                                                                                    encoding: .utf8)
        try "address,kind,person_id\na@b.example,personal,\n".write(to: dir.appendingPathComponent("mailboxes.csv"), atomically: true,
                                                                    encoding: .utf8)
        let error = #expect(throws: RetentionError.self) {
            _ = try RetentionStore(workspace: ws).importRegisters(people: dir.appendingPathComponent("people.csv"),
                                                                  roles: dir.appendingPathComponent("roles.csv"),
                                                                  mailboxes: dir.appendingPathComponent("mailboxes.csv"),
                                                                  policy: policy, actor: Self.actor)
        }
        let text = error?.description ?? ""
        #expect(text.contains("roles.csv:2"))
        #expect(text.contains("wethouders"))
        #expect(text.contains("mailboxes.csv:2"))
        #expect(try RetentionStore(workspace: ws).registers() == nil)
    }

    @Test func fixturesDecideByClass() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let all = try decisions(ws, asOf: "2040-01-01")
        let burgemeester = all.filter { $0.copy.mailbox == "burgemeester@krimpenerwaard.example" }
        #expect(burgemeester.count == 9)
        #expect(burgemeester.allSatisfy {
            $0.decision.messageClass == .keyPerson && $0.decision.waardering == .bewaren && $0.decision.action == .transferDue
        })
        // 29 February 2024 + 10 years lands on 28 February 2034.
        let leap = try #require(burgemeester.first { $0.copy.date?.hasPrefix("2024-02-29") == true })
        #expect(leap.decision.dueDate?.iso == "2034-02-28")
        let info = all.filter { $0.copy.mailbox == "info@krimpenerwaard.example" }
        #expect(info.count == 6)
        #expect(info.allSatisfy {
            $0.decision.messageClass == .functional && $0.decision.action == .destroyDue && $0.decision.rules.map(\.description) == ["functional-1y"]
        })
        let devries = all.filter { $0.copy.mailbox == "j.devries@krimpenerwaard.example" }
        // Privé and Persoonlijk folders and the Privé keywords are opt-outs with ground private, purged after the window.
        for d in devries where d.copy.folder == "Privé" || d.copy.folder == "Persoonlijk" {
            #expect(d.decision.action == .purgeOptout)
            #expect(d.decision.rules.map(\.description).contains("optout:private"))
        }
        #expect(devries.filter { $0.decision.action == .destroyDue }.allSatisfy { $0.decision.rules.map(\.description).contains("staff-7y") })
        // As of the capture day the 10-week window is open for personal mailboxes, not for the functional one.
        let today = try decisions(ws, asOf: "2026-12-01")
        #expect(today.filter { $0.copy.mailbox != "info@krimpenerwaard.example" }.allSatisfy { $0.decision.action == .pendingWindow })
    }

    @Test func optOutMarkWithinAndAfterTheWindow() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        let target = try #require(try decisions(ws, asOf: "2026-12-01").first {
            $0.copy.mailbox == "j.devries@krimpenerwaard.example" && $0.copy.folder == "INBOX"
        })
        // Within the window (captured 2026-12-01, window 10 weeks): accepted.
        let closes = try RetentionStore(workspace: at(ws, "2027-01-15T09:00:00Z")).markOptOut(mailbox: target.copy.mailbox,
                                          messageId: target.copy.messageId, ground: .informal, policy: policy,
                                          actor: Self.actor, source: "mark")
        #expect(closes.iso == "2027-02-09")
        let later = try decisions(ws, asOf: "2040-01-01").first { $0.copy.copyId == target.copy.copyId }
        #expect(later?.decision.action == .purgeOptout)
        #expect(later?.decision.rules.map(\.description).contains("optout:informal") == true)
        // After the window: refused, with the closing date, and nothing recorded.
        let refusal = #expect(throws: RetentionError.self) {
            try RetentionStore(workspace: at(ws, "2027-03-01T09:00:00Z")).markOptOut(mailbox: target.copy.mailbox,
                                 messageId: target.copy.messageId, ground: .private, policy: policy,
                                 actor: Self.actor, source: "mark")
        }
        #expect(refusal?.description.contains("2027-02-09") == true)
        // A functional mailbox has no opt-out.
        let info = try #require(try decisions(ws, asOf: "2026-12-01").first { $0.copy.mailbox == "info@krimpenerwaard.example" })
        #expect(throws: RetentionError.self) {
            try store.markOptOut(mailbox: info.copy.mailbox, messageId: info.copy.messageId, ground: .private, policy: policy,
                                 actor: Self.actor, source: "mark")
        }
        #expect(try store.optOutMarks().count == 1)
        // Undo: the message is decided by the base rule again.
        #expect(try store.undoOptOut(mailbox: target.copy.mailbox, messageId: target.copy.messageId, reason: "vergissing", actor: Self.actor) == 1)
        #expect(try decisions(ws, asOf: "2040-01-01").first { $0.copy.copyId == target.copy.copyId }?.decision.action == .destroyDue)
    }

    @Test func hotspotTermsAreMatchedInSubjectAndBodyAccentAndCaseInsensitive() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        _ = try store.addHotspot(name: "Brug", status: .designated,
                                 criteria: MatchCriteria(period: DatePeriod(from: CivilDate(iso: "2024-01-01"), to: CivilDate(iso: "2025-12-31")),
                                                         terms: ["n210"]), decisionRef: "SIO-1", actor: Self.actor)
        let all = try decisions(ws, asOf: "2040-01-01")
        var matched = 0
        for d in all where d.decision.rules.map(\.description).contains("hotspot:Brug") {
            matched += 1
            let text = try ws.catalog.read {
                try String.fetchOne($0, sql: "SELECT text FROM messageText WHERE sha256 = ?", arguments: [d.copy.sha256]) ?? ""
            }
            #expect(text.contains("N210"))
            if d.decision.messageClass == .staff { #expect(d.decision.action == .transferDue && d.decision.waardering == .bewaren) }
        }
        #expect(matched > 0)
        // Staff mail that does not mention the term is not affected.
        #expect(all.contains { $0.decision.messageClass == .staff && $0.decision.action == .destroyDue })
    }

    /// The index only knows which words a message holds; a term of several words must occur as written.
    @Test func multiWordTermsMatchOnlyAsAPhrase() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        let period = DatePeriod(from: CivilDate(iso: "2020-01-01"), to: CivilDate(iso: "2030-12-31"))
        _ = try store.addHotspot(name: "Brug", status: .designated, criteria: MatchCriteria(period: period, terms: ["Brug Krimpen"]),
                                 decisionRef: "SIO-1", actor: Self.actor)
        _ = try store.addHotspot(name: "Omgekeerd", status: .designated, criteria: MatchCriteria(period: period, terms: ["Krimpen Brug"]),
                                 decisionRef: "SIO-2", actor: Self.actor)
        let all = try decisions(ws, asOf: "2040-01-01")
        #expect(all.contains { $0.decision.rules.map(\.description).contains("hotspot:Brug") })
        #expect(!all.contains { $0.decision.rules.map(\.description).contains("hotspot:Omgekeerd") }, "both words occur, never in this order")
    }

    @Test func wooHoldFreezesAndReleaseEndsIt() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        _ = try store.addHold(zaaknummer: "Z-2024-0815", received: CivilDate(iso: "2024-05-21")!,
                              criteria: MatchCriteria(zaakNumbers: ["Z-2024-0815"]), actor: Self.actor)
        let held = try decisions(ws, asOf: "2040-01-01").filter { $0.decision.action == .hold }
        #expect(!held.isEmpty)
        #expect(held.allSatisfy { $0.decision.rules.first?.description == "woo:Z-2024-0815" })
        for d in held { #expect(try subject(ws, d).isEmpty == false) }
        #expect(held.contains { $0.copy.mailbox == "info@krimpenerwaard.example" }, "the functional mailbox's Woo receipt is held too")
        _ = try RetentionStore(workspace: at(ws, "2027-06-01T10:00:00Z")).releaseHold("Z-2024-0815", reason: "besluit verzonden", actor: Self.actor)
        let after = try decisions(ws, asOf: "2040-01-01")
        for d in held {
            let now = try #require(after.first { $0.copy.copyId == d.copy.copyId })
            #expect(now.decision.action != .hold)
        }
    }

    @Test func proposedHotspotHoldsUntilRejected() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        _ = try store.addHotspot(name: "Kermis", status: .proposed, criteria: MatchCriteria(mailboxes: ["info@krimpenerwaard.example"]),
                                 decisionRef: nil, actor: Self.actor)
        #expect(try decisions(ws, asOf: "2040-01-01").filter { $0.copy.mailbox == "info@krimpenerwaard.example" }
                    .allSatisfy { $0.decision.action == .hold })
        _ = try store.setHotspotStatus("Kermis", to: .rejected, decisionRef: "SIO-2", actor: Self.actor)
        #expect(try decisions(ws, asOf: "2040-01-01").filter { $0.copy.mailbox == "info@krimpenerwaard.example" }
                    .allSatisfy { $0.decision.action == .destroyDue })
        // Every change is in the audit trail, and the trail is intact.
        let check = try ws.catalog.read { try AuditTrail.verify($0) }
        #expect(check.firstBreak == nil && check.isClean)
        #expect(check.checked >= 6)
    }

    @Test func planCountsAndReport() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var plan = RetentionPlan(asOf: CivilDate(iso: "2040-01-01")!, policySource: "test")
        for d in try decisions(ws, asOf: "2040-01-01") { plan.add(d) }
        #expect(plan.total.count == 27)
        #expect(plan.byClassAndAction[.init(messageClass: "key-person", action: "transfer-due")]?.count == 9)
        #expect(plan.transferByYear.values.reduce(0) { $0 + $1.count } == 9)
        let html = plan.html
        #expect(html.contains("<svg"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!html.contains("<script"))
    }

    /// A sender decides nothing: `Keywords: private` written by the sender of a key person's mail does not opt it out;
    /// the mailbox owner's own keyword (a Maildir keyword letter) does.
    @Test func aSendersKeywordsHeaderNeverOptsOut() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("kw")
        let dir = tmp.url
        let mbox = dir.appendingPathComponent("aan-burgemeester.mbox")
        try Data("""
            From buiten@example.org Mon Mar  3 10:00:00 2025
            From: Iemand Buiten <buiten@example.org>
            To: burgemeester@krimpenerwaard.example
            Subject: Dit moet verdwijnen
            Message-ID: <afzender-keywords@example.org>
            Date: Mon, 03 Mar 2025 10:00:00 +0100
            Keywords: private, Privé
            X-Keywords: prive

            Zet dit maar op privé.

            """.utf8).write(to: mbox)
        _ = try Ingestor(workspace: ws, now: captured).run(IngestRequest(mailbox: "burgemeester@krimpenerwaard.example", paths: [mbox], actor: "t"))
        let d = try #require(try decisions(ws, asOf: "2040-01-01").first { $0.copy.messageId == "<afzender-keywords@example.org>" })
        #expect(d.decision.messageClass == .keyPerson && d.decision.waardering == .bewaren && d.decision.action == .transferDue)
        #expect(d.decision.optOut == nil && !d.decision.rules.contains { $0.description.hasPrefix("optout") })
        // The owner's keyword on the same kind of message in j.devries@ (Fixtures: letter a = Prive) still opts out.
        let owned = try #require(try decisions(ws, asOf: "2040-01-01").first {
            $0.copy.mailbox == "j.devries@krimpenerwaard.example" && $0.copy.folder == "INBOX" && $0.decision.optOut == .private
        })
        #expect(owned.decision.action == .purgeOptout)
    }

    /// A hold recorded in the catalog counts for a decision made inside a later transaction.
    @Test func decisionsInsideATransactionSeeTheHoldsCommittedBeforeIt() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let engine = RetentionEngine(workspace: ws, policy: policy)
        let info = try decisions(ws, asOf: "2040-01-01").filter { $0.copy.mailbox == "info@krimpenerwaard.example" }
        let ids = Set(info.map(\.copy.copyId))
        let late = Instant(ISOTimestamp.parse("2040-01-01T12:00:00Z")!)
        try engine.prepareTextIndex()
        #expect(try ws.catalog.read { try engine.decide(copyIds: ids, asOf: late, in: $0) }.values.allSatisfy { $0.decision.action == .destroyDue })
        _ = try RetentionStore(workspace: ws).addHold(zaaknummer: "Z-9", received: CivilDate(iso: "2039-12-01")!,
                                                      criteria: MatchCriteria(terms: ["verkeersveiligheid"]), actor: Self.actor)
        let held = try ws.catalog.read { try engine.decide(copyIds: ids, asOf: late, in: $0) }.values.filter { $0.decision.action == .hold }
        #expect(held.count == 1 && held.first?.decision.rules.first?.description == "woo:Z-9")
    }

    @Test func ingestIntoAnUnknownMailboxIsRefusedWithASuggestion() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        #expect(try store.admitIngest(into: "Burgemeester@krimpenerwaard.example", allowNew: false) == nil)
        let typo = #expect(throws: RetentionError.self) { try store.admitIngest(into: "burgemeestr@krimpenerwaard.example", allowNew: false) }
        #expect(typo?.description.contains("Did you mean burgemeester@krimpenerwaard.example?") == true)
        let far = #expect(throws: RetentionError.self) { try store.admitIngest(into: "iemand@elders.example", allowNew: false) }
        #expect(far?.description.contains("Did you mean") == false)
        #expect(try store.admitIngest(into: "nieuw@krimpenerwaard.example", allowNew: true)?.contains("not in the mailbox register") == true)
        let empty = try workspace(registers: false)
        defer { TemporaryDirectory.remove(empty.root) }
        #expect(throws: RetentionError.self) {
            try RetentionStore(workspace: empty).admitIngest(into: "info@krimpenerwaard.example", allowNew: false)
        }
        #expect(try RetentionStore(workspace: empty).planNotices().first?.contains("geen registers") == true)
        #expect(try store.planNotices().isEmpty)
    }
}

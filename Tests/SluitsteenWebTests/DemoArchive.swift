// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenWeb
import Testing

/// The moments of the demo (scripts/demo.sh): capture on 1 December 2026 (the opt-out windows close ten weeks later),
/// destruction in June 2033, when the fixtures' staff mail is due.
enum DemoMoments {
    static let ingest = ISOTimestamp.parse("2026-12-01T10:00:00Z")!
    /// Still within the opt-out window of everything captured at ``ingest``.
    static let windowOpen = ISOTimestamp.parse("2027-01-15T10:00:00Z")!
    /// After the opt-out window of everything captured at ``ingest``.
    static let windowClosed = ISOTimestamp.parse("2027-03-01T10:00:00Z")!
    static let propose = ISOTimestamp.parse("2033-06-01T09:00:00Z")!
    static let approve = ISOTimestamp.parse("2033-06-01T10:00:00Z")!
}

/// Fixture mailboxes and people (Fixtures/README.md, Fixtures/registers).
enum Demo {
    static let burgemeester = "burgemeester@krimpenerwaard.example"
    static let devries = "j.devries@krimpenerwaard.example"
    static let info = "info@krimpenerwaard.example"
    static let dora = "P0010", arie = "P0011"
    /// The Woo request of the demo (zaak Z-2024-0815) and its hold id.
    static let zaak = "Z-2024-0815"
    static let hold = "woo-1"
}

/// The demo archive of `make demo`, built from the fixtures with the library (as scripts/demo.sh does with the
/// command line): a demo workspace, the registers (with teams.csv; approvers.csv with Dora de Wit also as archivist, so
/// that four eyes, not the approver register, is what refuses her second approval), the three fixture mailboxes, the
/// full-text index, the hotspot "N210 Brug Krimpen" and the Woo hold of Z-2024-0815. Built once per test run and copied
/// for each test.
enum DemoArchive {
    static let actor = Actor(personId: "P0010", name: "Dora de Wit", osUser: "test")

    private static let template: Result<URL, any Error> = Result {
        let dir = try TemporaryDirectory.forProcess("web-demo")
        let (created, _) = try Workspace.initialise(at: dir, kind: .demo, actor: Actor(personId: nil, name: "DIV Krimpenerwaard", osUser: "test"),
                                                    environment: ["SLUITSTEEN_NOW": ISOTimestamp.format(DemoMoments.ingest)])
        let ws = try created.replaying(DemoMoments.ingest)
        let policy = try Policy.krimpenerwaard
        let r = Paths.fixtures.appendingPathComponent("registers")
        let approvers = dir.appendingPathComponent("approvers-test.csv")
        try Data((try String(contentsOf: r.appendingPathComponent("approvers.csv"), encoding: .utf8) + "P0010,archivist,2019-04-01,\n").utf8)
            .write(to: approvers)
        _ = try RetentionStore(workspace: ws).importRegisters(
            people: r.appendingPathComponent("people.csv"), roles: r.appendingPathComponent("roles.csv"),
            mailboxes: r.appendingPathComponent("mailboxes.csv"), approvers: approvers, teams: r.appendingPathComponent("teams.csv"),
            policy: policy, actor: actor)
        let boxes = Paths.fixtures.appendingPathComponent("mailboxes")
        for (mailbox, path) in [(Demo.burgemeester, "burgemeester.mbox"), (Demo.devries, "beleidsmedewerker"), (Demo.info, "info")] {
            _ = try Ingestor(workspace: ws, now: DemoMoments.ingest)
                .run(IngestRequest(mailbox: mailbox, paths: [boxes.appendingPathComponent(path)], actor: actor.auditText))
        }
        let store = RetentionStore(workspace: ws)
        _ = try store.addHotspot(name: "N210 Brug Krimpen", status: .designated,
                                 criteria: MatchCriteria(period: DatePeriod(from: CivilDate(iso: "2024-01-01"), to: CivilDate(iso: "2025-12-31")),
                                                         terms: ["N210", "Brug Krimpen"]),
                                 decisionRef: "SIO 2024-11", actor: actor)
        _ = try store.addHold(zaaknummer: Demo.zaak, received: CivilDate(iso: "2024-05-21")!, criteria: MatchCriteria(zaakNumbers: [Demo.zaak]),
                              actor: Actor(personId: "P0008", name: "Mirjam Kuipers", osUser: "test"))
        try RetentionEngine(workspace: ws, policy: policy).prepareTextIndex()
        try ws.catalog.checkpoint()
        return dir
    }

    /// A fresh copy of the demo archive, its clock at `now`; the caller removes its folder (``TestService/stop()`` does,
    /// or `defer { TemporaryDirectory.remove(ws.root) }`).
    static func make(at now: Date = DemoMoments.ingest) throws -> Workspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-web-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try template.get(), to: dir)
        return try Workspace.open(at: dir, environment: [:]).replaying(now)
    }

    /// Adds one message (an .eml file's bytes) to `mailbox` of the workspace, captured at `now`.
    static func ingest(_ eml: Data, into mailbox: String, of ws: Workspace, at now: Date) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-web-eml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bericht.eml")
        try eml.write(to: file)
        _ = try Ingestor(workspace: ws.replaying(now), now: now).run(IngestRequest(mailbox: mailbox, paths: [folder], format: .eml,
                                                                                 actor: actor.auditText))
    }

    /// The copy ids of `mailbox`, with their subjects and Message-IDs.
    static func copies(_ ws: Workspace, mailbox: String) throws -> [CatalogCopy] {
        var out: [CatalogCopy] = []
        try ws.catalog.forEachCopy(mailbox: mailbox) { out.append($0) }
        return out
    }

    /// The copy whose subject contains `text`.
    static func copy(_ ws: Workspace, mailbox: String, subject text: String) throws -> CatalogCopy {
        try #require(try copies(ws, mailbox: mailbox).first { $0.subject.contains(text) }, "no message '\(text)' in \(mailbox)")
    }

    /// Proposes the destruction list of everything due at ``DemoMoments/propose`` (DIV, as the library does). Returns its id.
    static func proposeList(_ ws: Workspace) throws -> String {
        let at = try ws.replaying(DemoMoments.propose)
        let policy = try PolicyInForce.resolve(explicit: nil, workspace: at)
        let proposal = try DestructionLists(workspace: at).propose(policy: policy, mailboxes: nil, withSubjects: false, actor: actor)
        return try #require(proposal?.snapshot.list.id, "nothing was due at \(DemoMoments.propose)")
    }
}

/// The provider's users for the archive tests: the demo users, and one user per role holding that role only (and one
/// with no role), each matched to a registered person by their e-mail address.
enum TestUsers {
    /// Role → (user name, the person's e-mail claim).
    static let single: [(role: Role?, user: String, email: String)] = [
        (.medewerker, "rol-medewerker", "j.devries@krimpenerwaard.example"),
        (.teammanager, "rol-teammanager", "e.visser@krimpenerwaard.example"),
        (.wooCoordinator, "rol-woo", "m.kuipers@krimpenerwaard.example"),
        (.gemachtigde, "rol-gemachtigde", "f.elamrani@krimpenerwaard.example"),
        (.div, "rol-div", "d.dewit@krimpenerwaard.example"),
        (.archivaris, "rol-archivaris", "a.jansen@krimpenerwaard.example"),
        (.auditor, "rol-auditor", "p.kok@krimpenerwaard.example"),
        (.beheerder, "rol-beheerder", "h.verhoef@krimpenerwaard.example"),
        (nil, "geen-rol", "j.devries@krimpenerwaard.example"),
    ]

    /// The claim value that maps to each role in Fixtures/serve-demo.toml.
    static let group: [Role: String] = [
        .medewerker: "sluitsteen-medewerkers", .teammanager: "sluitsteen-teammanagers", .wooCoordinator: "sluitsteen-woo",
        .gemachtigde: "sluitsteen-gemachtigden", .div: "sluitsteen-div", .archivaris: "sluitsteen-archivarissen",
        .auditor: "sluitsteen-auditors", .beheerder: "sluitsteen-beheer",
    ]

    /// Dora de Wit (P0010) with the roles div and archivaris.
    static let bothApprovers = "dora-beide"

    /// The single-role user of `role`.
    static func user(_ role: Role) -> String { single.first { $0.role == role }!.user }

    /// Writes the users file (demo users + single-role users) and returns it.
    static func file() throws -> URL {
        let demo = try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.browser.appendingPathComponent("demo-users.json"))) as! [String: Any]
        var users = demo["users"] as! [[String: Any]]
        for (n, s) in single.enumerated() {
            users.append(["username": s.user, "sub": "t-\(n)",
                          "claims": ["name": s.user, "email": s.email, "email_verified": true,
                                     "groups": s.role.map { [group[$0]!] } ?? [String]()] as [String: Any]])
        }
        // Dora de Wit holding both approving roles (to show that one person cannot approve a list twice).
        users.append(["username": bothApprovers, "sub": "t-beide",
                      "claims": ["name": "Dora de Wit", "email": "d.dewit@krimpenerwaard.example", "email_verified": true,
                                 "groups": [group[.div]!, group[.archivaris]!]] as [String: Any]])
        let url = URL(fileURLWithPath: try TemporaryDirectory.forProcess("users").path + ".json")
        try JSONSerialization.data(withJSONObject: ["users": users]).write(to: url)
        return url
    }
}

/// A signed-in test browser: the sign-in through the real provider, and the session's CSRF token for forms.
struct Visitor {
    let service: TestService
    let browser = TestBrowser()
    private(set) var csrf = ""

    /// Signs `user` in (over HTTP, through the provider's login form).
    static func signIn(_ user: String, at service: TestService) async throws -> Visitor {
        var v = Visitor(service: service)
        let done = try await SignIn(service: service, browser: v.browser).run(as: user)
        #expect(done.status == 303, "sign-in of \(user): \(done.status) \(done.body.prefix(300))")
        let home = try await v.browser.get(service.base + "/")
        v.csrf = try #require(Self.csrfToken(in: home.body), "no CSRF token on the start page of \(user): \(home.body.prefix(300))")
        return v
    }

    static func csrfToken(in page: String) -> String? {
        guard let r = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    func get(_ path: String) async throws -> Reply { try await browser.get(service.base + path) }

    /// POSTs a form with the session's CSRF token.
    func post(_ path: String, _ form: [String: String] = [:]) async throws -> Reply {
        try await browser.post(service.base + path, form: form.merging([CSRF.fieldName: csrf]) { a, _ in a })
    }
}

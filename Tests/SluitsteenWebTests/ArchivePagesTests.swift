// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
@testable import SluitsteenWeb
import Testing

/// The pages of the archive over HTTP on the demo archive: search, the message view (the inert HTML frame and the
/// attachments), the opt-out page, the destruction lists, DIV's and the auditor's pages, and bad input.
@Suite("The archive's pages", .serialized)
struct ArchivePagesTests {
    /// What the library's search finds (the oracle of the page's count).
    static func found(_ ws: Workspace, _ query: SearchQuery, scope: Set<String>?) throws -> Int {
        try ArchiveSearch(workspace: ws, policy: try Policy.krimpenerwaard).run(query, scope: scope).total
    }

    static func count(in page: String) -> Int? {
        guard let r = page.range(of: "<p class=\"aantal\" role=\"status\"><strong>") else { return nil }
        return Int(page[r.upperBound...].prefix { $0 != "<" }.replacingOccurrences(of: ".", with: ""))
    }

    @Test("Search: scoped by the access policy, with filters, counts and pages; a Woo request scopes a gemachtigde's search")
    func search() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let ws = service.workspace
        let johan = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)
        let bare = try await johan.get("/zoeken")
        #expect(bare.status == 200 && bare.body.contains("<form method=\"get\" action=\"/zoeken\"") && Self.count(in: bare.body) == nil)
        let own = try await johan.get("/zoeken?q=")
        #expect(Self.count(in: own.body) == (try Self.found(ws, SearchQuery(), scope: [Demo.devries])))
        #expect(!own.body.contains(Demo.burgemeester + "</td>"), "only his own mailbox")
        let brug = try await johan.get("/zoeken?q=brug")
        #expect(Self.count(in: brug.body) == (try Self.found(ws, SearchQuery(text: "brug"), scope: [Demo.devries])))
        #expect(try await johan.get("/zoeken?mailbox=\(Demo.burgemeester)").status == 403)
        #expect(try await johan.get("/zoeken?woo=\(Demo.hold)").status == 403)

        let mirjam = try await Visitor.signIn(TestUsers.user(.wooCoordinator), at: service)
        let all = try await mirjam.get("/zoeken?q=")
        let total = try Self.found(ws, SearchQuery(), scope: nil)
        #expect(Self.count(in: all.body) == total && total > SearchPage.pageSize)
        #expect(all.body.contains("Pagina 1 van 2") && all.body.contains("rel=\"next\""))
        let second = try await mirjam.get("/zoeken?q=&pagina=2")
        #expect(second.body.contains("Pagina 2 van 2") && second.body.contains("rel=\"prev\""))
        let held = try await mirjam.get("/zoeken?woo=\(Demo.hold)")
        let heldCount = try Self.found(ws, SearchQuery(wooRequest: Demo.hold), scope: nil)
        #expect(heldCount > 0 && Self.count(in: held.body) == heldCount)
        #expect(held.body.contains("U zoekt binnen Woo-verzoek \(Demo.zaak)"))
        let filtered = try await mirjam.get("/zoeken?q=&bijlagen=ja&klasse=key-person&van=2023-01-01&tot=2024-12-31")
        #expect(Self.count(in: filtered.body) == (try Self.found(ws, SearchQuery(from: CivilDate(iso: "2023-01-01"), to: CivilDate(iso: "2024-12-31"),
                                                                                  hasAttachments: true, messageClass: .keyPerson), scope: nil)))
        let hit = try #require(try ArchiveSearch(workspace: ws, policy: try Policy.krimpenerwaard).run(SearchQuery(), scope: nil).hits.first)
        #expect(all.body.contains("<a href=\"/berichten/\(hit.copyId)\">"), "a result links to its message")
        #expect(all.body.contains("<tr><td>\(hit.copyId)</td>"), "a result shows the copy's number first, as the command line does")

        // A gemachtigde for the Woo request finds what the request covers, and nothing else.
        _ = try AccessStore(workspace: ws).designate("P0005", scope: .wooRequest(holdId: Demo.hold), validTo: CivilDate(iso: "2027-01-31")!,
                                                     reason: "Hulp bij het Woo-verzoek", actor: Actor(personId: "P0008", name: "Mirjam Kuipers"))
        let fatima = try await Visitor.signIn(TestUsers.user(.gemachtigde), at: service)
        #expect(try await fatima.get("/zoeken").body.contains("Kies een Woo-verzoek"))
        #expect(Self.count(in: try await fatima.get("/zoeken?woo=\(Demo.hold)").body) == heldCount)
        #expect(try await fatima.get("/zoeken?mailbox=\(Demo.info)").status == 403)

        // Input that cannot be used: a clear page and a 400.
        let badDate = try await mirjam.get("/zoeken?van=gisteren")
        #expect(badDate.status == 400 && badDate.body.contains("De datum ‘van’ is geen datum"))
        #expect(try await mirjam.get("/zoeken?q=" + String(repeating: "a", count: 600)).status == 400)
        #expect(try await mirjam.get("/zoeken?woo=woo-999").status == 400)
    }

    @Test("Message view: headers, decision and explanation; the HTML part only in a sandboxed frame under its own CSP")
    func messageAndFrame() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let message = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "lijst vóór vrijdag")
        let johan = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)
        let view = try await johan.get("/berichten/\(message.copyId)")
        #expect(view.status == 200)
        #expect(view.body.contains("<h2 id=\"kenmerken\">Kenmerken</h2>")
                && view.body.contains("<code>\(SluitsteenWeb.HTML.escape(message.messageId))</code>"))
        let explained = try RetentionEngine(workspace: service.workspace, policy: try Policy.krimpenerwaard)
            .explain(copyIds: [message.copyId], asOf: Instant(service.workspace.clock.now()))[message.copyId]
        let steps = try #require(explained?.decision.steps)
        #expect(!steps.isEmpty)
        for step in steps { #expect(view.body.contains(SluitsteenWeb.HTML.escape(step.text(.dutch)))) }
        #expect(view.header("Content-Security-Policy") == SecurityHeaders.framingPagePolicy)
        #expect(view.header("X-Frame-Options") == "DENY")

        // The frame's content needs the reason first.
        #expect(try await johan.get("/berichten/\(message.copyId)/html").status == 403)
        let read = try await ContentAccessTests.read(johan, message.copyId, [:])
        #expect(read.body.contains("<iframe class=\"htmlweergave\" sandbox=\"\" src=\"/berichten/\(message.copyId)/html\""))
        let frame = try await johan.get("/berichten/\(message.copyId)/html")
        #expect(frame.status == 200)
        #expect(frame.header("Content-Security-Policy") == SecurityHeaders.sandboxedMailPolicy)
        #expect(frame.header("Content-Security-Policy")?.hasPrefix("sandbox;") == true)
        #expect(frame.header("X-Frame-Options") == "SAMEORIGIN")
        #expect(frame.header("Content-Type") == "text/html; charset=utf-8")
        #expect(!frame.body.lowercased().contains("<script") && !frame.body.contains("href=") && !frame.body.contains("src="))
        // Another person (no grant in their session) gets no frame.
        let other = try await Visitor.signIn(TestUsers.user(.wooCoordinator), at: service)
        #expect(try await other.get("/berichten/\(message.copyId)/html").status == 403)
    }

    @Test("Attachments: downloads only (Content-Disposition attachment, safe names), each download in the access log")
    func attachments() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let message = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "nieuwjaarsreceptie")
        let ellen = try await Visitor.signIn(TestUsers.user(.teammanager), at: service)
        #expect(try await ellen.get("/berichten/\(message.copyId)/bijlagen/1").status == 403, "no download before a reason")
        let page = try await ContentAccessTests.read(ellen, message.copyId, ["reden": "Voorbereiding van de nieuwjaarsreceptie"])
        #expect(page.body.contains("Evaluatie dorpshuis Bergambacht – financiën.pdf"))
        let pdf = try await ellen.get("/berichten/\(message.copyId)/bijlagen/1")
        #expect(pdf.status == 200 && pdf.body.hasPrefix("%PDF"))
        #expect(pdf.header("Content-Type") == "application/octet-stream")
        #expect(pdf.header("Content-Disposition") == "attachment; filename=\"Evaluatie dorpshuis Bergambacht _ financi_n.pdf\"; "
            + "filename*=UTF-8''Evaluatie%20dorpshuis%20Bergambacht%20%E2%80%93%20financi%C3%ABn.pdf")
        let docx = try await ellen.get("/berichten/\(message.copyId)/bijlagen/2")
        #expect(docx.status == 200 && docx.body.hasPrefix("PK"))
        #expect(try await ellen.get("/berichten/\(message.copyId)/bijlagen/3").status == 404)
        #expect(try await ellen.get("/berichten/\(message.copyId)/bijlagen/0").status == 404)
        let log = try ContentAccessTests.reads(service, copy: message.copyId).map(\.outcome)
        #expect(log.count == 3, "the read and two downloads: \(log)")
        #expect(log.contains("bijlage gedownload (Evaluatie dorpshuis Bergambacht – financiën.pdf); rol teammanager; "
            + "grond: mailbox van een lid van team Bestuur; reden: Voorbereiding van de nieuwjaarsreceptie"))
    }

    @Test("A handler can only choose one of the service's own two content policies; anything else gets the default")
    func onlyOwnPolicies() async throws {
        func page(_ policy: String) -> WebHandler {
            { req in
                var response = req.page(title: "Proef", body: "<p>proef</p>")
                response.headers[.contentSecurityPolicy] = policy
                return response
            }
        }
        let group = RouteGroup(name: "proef", routes: [
            .get("/proef/los", access: .signedIn, handler: page("default-src *; script-src 'unsafe-inline'")),
            .get("/proef/kader", access: .signedIn, handler: page(SecurityHeaders.sandboxedMailPolicy)),
        ])
        let service = try await TestService.start(routeGroups: [group])
        defer { service.stop() }
        let v = try await Visitor.signIn("dora", at: service)
        let loose = try await v.get("/proef/los")
        #expect(loose.header("Content-Security-Policy") == SecurityHeaders.contentSecurityPolicy)
        #expect(loose.header("X-Frame-Options") == "DENY")
        let frame = try await v.get("/proef/kader")
        #expect(frame.header("Content-Security-Policy") == SecurityHeaders.sandboxedMailPolicy)
        #expect(frame.header("X-Frame-Options") == "SAMEORIGIN")
    }

    @Test("The policy is read once, and again when the workspace's policy file appears or changes")
    func policyCache() throws {
        let ws = try DemoArchive.make()
        defer { try? FileManager.default.removeItem(at: ws.root) }
        let cache = PolicyCache()
        let shipped = try cache.current(ws)
        let again = try cache.current(ws)
        #expect(shipped.source.hasPrefix("shipped default") && again.source == shipped.source)
        let text = try Policy.krimpenerwaardText()
        try Data(text.utf8).write(to: ws.policyFile)
        #expect(try cache.current(ws).source == ws.policyFile.path, "a new policy file is read")
        let changed = text.replacingOccurrences(of: "bedenktijd = \"P7D\"", with: "bedenktijd = \"P14D\"")
        #expect(changed != text)
        try Data(changed.utf8).write(to: ws.policyFile)
        #expect(try cache.current(ws).policy.destruction.bedenktijd.iso == "P14D", "a changed policy file is read again")
    }

    @Test("Attachment file names are made safe: no path, no control or format characters, no quotes; a fallback name")
    func safeNames() {
        #expect(MessagePage.safeFileName("../../etc/passwd", number: 1, isMessage: false) == "passwd")
        #expect(MessagePage.safeFileName("C:\\Users\\x\\rapport.pdf", number: 1, isMessage: false) == "rapport.pdf")
        #expect(MessagePage.safeFileName("factuur\u{202E}fdp.exe", number: 1, isMessage: false) == "factuurfdp.exe")
        #expect(MessagePage.safeFileName("a\"b;c\r\nd.txt", number: 1, isMessage: false) == "abcd.txt")
        #expect(MessagePage.safeFileName(nil, number: 2, isMessage: false) == "bijlage-2")
        #expect(MessagePage.safeFileName("...", number: 3, isMessage: true) == "bijlage-3.eml")
        #expect(MessagePage.safeFileName(String(repeating: "x", count: 300) + ".pdf", number: 1, isMessage: false).count == 144)
        #expect(MessagePage.contentDisposition("é.pdf") == "attachment; filename=\"_.pdf\"; filename*=UTF-8''%C3%A9.pdf")
    }

    @Test("Opt-out: the employee marks a message private and undoes it within the window; afterwards read only; views logged")
    func optOut() async throws {
        let service = try await TestService.archive(at: DemoMoments.windowOpen)
        defer { service.stop() }
        let message = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Huurcontract")
        let johan = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)
        let page = try await johan.get("/mijn-mail")
        #expect(page.status == 200 && page.body.contains("Huurcontract Voorstraat 14a"))
        #expect(page.body.contains("De eerstvolgende termijn sluit op 9 februari 2027 om 11:00"))
        #expect(try service.audit(.access).last?.outcome == "opt-outpagina bekeken; rol medewerker; grond: eigen mailbox; reden: eigen opt-outpagina")

        let marked = try await johan.post("/mijn-mail/uitzonderen", ["kopie": String(message.copyId), "grond": "private"])
        #expect(marked.status == 303 && marked.location == "/mijn-mail?gedaan=private")
        let mark = try #require(try RetentionStore(workspace: service.workspace).optOutMarks().first { $0.messageId == message.messageId })
        #expect(mark.ground == .private && mark.by == "Johan de Vries (P0003)")
        #expect(try service.audit(.optOut).last?.command == "optout web")
        let after = try await johan.get("/mijn-mail?gedaan=private")
        #expect(after.body.contains("Uitgezonderd als privé") && after.body.contains("uitgezonderd als privé"))
        #expect(try await johan.post("/mijn-mail/uitzonderen", ["kopie": String(message.copyId), "grond": "informal"]).status == 409)
        #expect(try await johan.post("/mijn-mail/terugdraaien", ["kopie": String(message.copyId)]).status == 303)
        #expect(try RetentionStore(workspace: service.workspace).optOutMarks().allSatisfy { $0.messageId != message.messageId })

        // Another person's message, a forged ground, and no copy at all: refused, logged.
        let other = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "Begroting Koningsdag")
        #expect(try await johan.post("/mijn-mail/uitzonderen", ["kopie": String(other.copyId), "grond": "private"]).status == 403)
        #expect(service.events.events("request-refused").contains { $0["reason"] == "optout-not-own-mailbox" })
        #expect(try await johan.post("/mijn-mail/uitzonderen", ["kopie": String(message.copyId), "grond": "zakelijk"]).status == 400)
        #expect(try await johan.post("/mijn-mail/uitzonderen", [:]).status == 400)

        // After the window: read only, with the reason; a mark is refused.
        try await service.restart(at: DemoMoments.windowClosed)
        let late = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)
        let closed = try await late.get("/mijn-mail")
        #expect(closed.body.contains("De termijn is voor al deze berichten gesloten") && !closed.body.contains("value=\"private\""))
        #expect(closed.body.contains("Termijn gesloten op 9 februari 2027 om 11:00"))
        let refused = try await late.post("/mijn-mail/uitzonderen", ["kopie": String(message.copyId), "grond": "private"])
        #expect(refused.status == 409 && refused.body.contains("De termijn is gesloten"))
    }

    @Test("Destruction lists: DIV excludes and approves, the archivaris approves; four eyes; bedenktijd; documents")
    func destructionLists() async throws {
        let ws = try DemoArchive.make(at: DemoMoments.ingest)
        defer { TemporaryDirectory.remove(ws.root) }
        let id = try DemoArchive.proposeList(ws)
        let service = try await TestService.start(routeGroups: ArchivePages.groups, workspace: try ws.replaying(DemoMoments.approve),
                                                  users: try TestUsers.file())
        defer { service.stop() }
        let dora = try await Visitor.signIn(TestUsers.user(.div), at: service)
        let overview = try await dora.get("/vernietigingslijsten")
        #expect(overview.body.contains("<a href=\"/vernietigingslijsten/\(id)\">\(id)</a>"))
        let list = try await dora.get("/vernietigingslijsten/\(id)")
        #expect(list.status == 200 && list.body.contains("Goedkeuren als") && list.body.contains("7 dagen na de laatste goedkeuring"))
        let snapshot = try DestructionLists(workspace: ws).show(id)
        let item = try #require(snapshot.items.first)
        #expect(try await dora.post("/vernietigingslijsten/\(id)/uitzonderen", ["item": String(item.seq)]).status == 400, "a reason is needed")
        #expect(try await dora.post("/vernietigingslijsten/\(id)/uitzonderen", ["item": String(item.seq), "reden": "Nog nodig voor een bezwaar"])
            .status == 303)
        #expect(try DestructionLists(workspace: ws).show(id).excluded.map(\.seq) == [item.seq])

        // The archivaris cannot approve before DIV (the order of the list), nor in a role they do not hold.
        let arie = try await Visitor.signIn(TestUsers.user(.archivaris), at: service)
        #expect(try await arie.post("/vernietigingslijsten/\(id)/goedkeuren", ["rol": "div"]).status == 403)
        #expect(try await arie.post("/vernietigingslijsten/\(id)/goedkeuren", ["rol": "archivist"]).status == 409)
        #expect(try await dora.post("/vernietigingslijsten/\(id)/goedkeuren", ["rol": "div"]).status == 303)
        // Dora also holding the archivaris role: refused, four eyes by person id.
        let both = try await Visitor.signIn(TestUsers.bothApprovers, at: service)
        let twice = try await both.post("/vernietigingslijsten/\(id)/goedkeuren", ["rol": "archivist"])
        #expect(twice.status == 409 && twice.body.contains("vier ogen"))
        #expect(try await dora.post("/vernietigingslijsten/\(id)/uitzonderen", ["item": String(snapshot.items[1].seq), "reden": "te laat"])
            .status == 409, "no exclusions after the first approval")
        #expect(try await arie.post("/vernietigingslijsten/\(id)/goedkeuren", ["rol": "archivist"]).status == 303)
        let approved = try DestructionLists(workspace: ws).show(id)
        #expect(approved.list.status == .approved && approved.approvals.map(\.personId) == ["P0010", "P0011"])
        let page = try await arie.get("/vernietigingslijsten/\(id)")
        #expect(page.body.contains("Uitvoerbaar vanaf") && page.body.contains("(bedenktijd loopt)") && page.body.contains("Dora de Wit (P0010)"))
        let csv = try await arie.get("/vernietigingslijsten/\(id)/documenten/\(ListDocuments.Names(listId: id).csv)")
        #expect(csv.status == 200 && csv.body.hasPrefix("mailbox,date,sha256") && csv.header("Content-Disposition")?.hasPrefix("attachment;") == true)
        #expect(try await arie.get("/vernietigingslijsten/\(id)/documenten/..%2Fcatalog.sqlite").status == 404)
        #expect(try await arie.get("/vernietigingslijsten/VL-1999-001").status == 404)

        // Executed (with the command line's library) after the bedenktijd: the page gives the verklaring.
        let later = try ws.replaying(ISOTimestamp.parse("2033-06-10T09:00:00Z")!)
        _ = try DestructionExecution(workspace: later).execute(id, policy: try PolicyInForce.resolve(explicit: nil, workspace: later),
                                                               actor: DemoArchive.actor)
        let executed = try await arie.get("/vernietigingslijsten/\(id)")
        let verklaring = DestructionExecution.verklaringNames(id).html
        #expect(executed.body.contains("Verklaring van vernietiging") && executed.body.contains(verklaring))
        let document = try await arie.get("/vernietigingslijsten/\(id)/documenten/\(verklaring)")
        #expect(document.status == 200 && document.body.contains(id))
        #expect(try await arie.post("/vernietigingslijsten/\(id)/afwijzen", ["reden": "te laat"]).status == 409)
        // A destroyed copy's page names the list that destroyed it, and what destruction scrubbed as not kept.
        let gone = try #require(try DestructionLists(workspace: ws).show(id).items.first { $0.state == .destroyed })
        let view = try await arie.get("/berichten/\(gone.copyId)")
        #expect(view.status == 200 && view.body.contains("vernietigd volgens \(id) (alleen de beschrijving is bewaard)"))
        #expect(view.body.contains("<dt>Map</dt><dd>(niet bewaard)</dd>") && !view.body.contains("(geen onderwerp)"))
    }

    @Test("DIV's registers, plan and hotspots; the auditor's audit trail, access log and chain check")
    func divAndAuditorPages() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let dora = try await Visitor.signIn(TestUsers.user(.div), at: service)
        let registers = try await dora.get("/registers")
        #expect(registers.status == 200 && registers.body.contains("Arie Jansen") && registers.body.contains("Bestuur"))
        let plan = try await dora.get("/plan")
        let total = try Self.found(service.workspace, SearchQuery(), scope: nil)
        #expect(plan.status == 200 && plan.body.contains("In totaal \(total) kopieën"))
        let forecast = try await dora.get("/plan?peildatum=2033-06-01")
        #expect(forecast.body.contains("Vooruitblik") && forecast.body.contains("vernietiging is aan de orde"))
        #expect(try await dora.get("/plan?peildatum=morgen").status == 400)
        let hotspots = try await dora.get("/hotspots")
        #expect(hotspots.body.contains("N210 Brug Krimpen") && hotspots.body.contains("aangewezen") && hotspots.body.contains("SIO 2024-11"))

        let johan = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)
        let own = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Etentje zaterdag")
        _ = try await ContentAccessTests.read(johan, own.copyId, [:])
        let pieter = try await Visitor.signIn(TestUsers.user(.auditor), at: service)
        let trail = try await pieter.get("/audit")
        #expect(trail.status == 200 && trail.body.contains("register-import") && trail.body.contains("sign-in"))
        let signIns = try await pieter.get("/audit?soort=sign-in")
        #expect(signIns.body.contains("sign-in") && !signIns.body.contains("<td>register-import</td>"))
        #expect(try await pieter.get("/audit?soort=onzin").status == 400)
        let access = try await pieter.get("/audit/toegang")
        #expect(access.body.contains("P0003 Johan de Vries") && access.body.contains("copy:\(own.copyId)")
            && access.body.contains("grond: eigen mailbox"))
        let check = try await pieter.get("/audit/controle")
        #expect(check.body.contains("De keten is ongeschonden"))
    }

    @Test("Bad input: unknown ids, other people's messages, forged forms: a Dutch page and a 4xx, logged, never a stack trace")
    func badInput() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let johan = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)
        let mirjam = try await Visitor.signIn(TestUsers.user(.wooCoordinator), at: service)
        let own = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Etentje zaterdag")
        var replies: [(Reply, Int, String)] = []
        func check(_ r: Reply, _ status: Int, _ reason: String) { replies.append((r, status, reason)) }
        check(try await johan.get("/berichten/999999"), 404, "message-unknown")
        check(try await johan.get("/berichten/abc"), 404, "message-id-invalid")
        check(try await johan.get("/berichten/-1"), 404, "message-id-invalid")
        check(try await mirjam.get("/berichten/\(own.copyId)/bijlagen/x"), 404, "attachment-number-invalid")
        check(try await mirjam.post("/woo/machtigingen/machtiging-77/intrekken"), 404, "designation-unknown")
        check(try await mirjam.post("/woo/machtigingen", ["persoon": "P9999", "soort": "verzoek", "verzoek": Demo.hold, "tot": "2027-01-01",
                                                          "reden": "een goede reden"]), 400, "designation-invalid")
        check(try await mirjam.post("/woo/machtigingen", ["persoon": "P0005", "soort": "verzoek", "verzoek": Demo.hold, "tot": "2030-01-01",
                                                          "reden": "een goede reden"]), 400, "designation-invalid")
        // A forged form (no token, a wrong one, another origin): refused before any handler.
        check(try await johan.browser.post(service.base + "/berichten/\(own.copyId)/lezen", form: [:]), 403, "csrf-token-missing")
        check(try await johan.browser.post(service.base + "/mijn-mail/uitzonderen", form: ["csrf": "vals", "kopie": String(own.copyId),
                                                                                               "grond": "private"]), 403, "csrf-token-wrong")
        check(try await johan.browser.post(service.base + "/mijn-mail/uitzonderen", form: ["csrf": johan.csrf], origin: "http://evil.example"),
              403, "csrf-origin-mismatch")
        for (reply, status, reason) in replies {
            #expect(reply.status == status, "\(reply.url): \(reply.status), expected \(status)")
            #expect(reply.body.contains("<html lang=\"nl\">") && reply.body.contains("Foutcode \(status)"), "\(reply.url): a Dutch page")
            for trace in ["Fatal error", ".swift:", "Thread ", "RetentionError", "DestroyError"] {
                #expect(!reply.body.contains(trace), "\(reply.url): \(trace)")
            }
            #expect(service.events.events("request-refused").contains { $0["reason"] == reason && $0["status"] == String(status) },
                    "\(reply.url): logged as \(reason)")
        }
        #expect(try RetentionStore(workspace: service.workspace).optOutMarks().isEmpty, "no forged form changed anything")
        #expect(try service.audit(.access).filter { $0.command == "read" }.isEmpty)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenWeb
import Testing

/// Who may read what of the demo archive, over HTTP: a medewerker their own mailbox only; a teammanager their team's
/// with a reason; the Woo-coördinator within a Woo request or with a stated reason; a gemachtigde what the designation
/// covers until its end; DIV, the archivaris and the auditor never content. Every read is in the access log with who,
/// role, copy, ground and reason.
@Suite("Reading content by role, and the access log", .serialized)
struct ContentAccessTests {
    /// The access log entries (kind `access`) that name `copy`.
    static func reads(_ service: TestService, copy: Int64) throws -> [AuditEntry] {
        try service.audit(.access).filter { $0.objectIds.split(separator: " ").contains("copy:\(copy)") }
    }

    /// Asks to read `copy` with `form`, and returns the page after it (the content, or the refusal).
    static func read(_ v: Visitor, _ copy: Int64, _ form: [String: String]) async throws -> Reply {
        let posted = try await v.post("/berichten/\(copy)/lezen", form)
        guard posted.status == 303 else { return posted }
        #expect(posted.location == "/berichten/\(copy)#inhoud")
        return try await v.get("/berichten/\(copy)")
    }

    @Test("A medewerker reads their own mailbox (logged, ground: eigen mailbox), but not another's")
    func medewerker() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let own = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Etentje zaterdag")
        let other = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "Begroting Koningsdag")
        let johan = try await Visitor.signIn(TestUsers.user(.medewerker), at: service)

        let before = try await johan.get("/berichten/\(own.copyId)")
        #expect(before.status == 200)
        #expect(before.body.contains("Etentje zaterdag") && before.body.contains("Inhoud tonen"))
        #expect(!before.body.contains("<pre class=\"berichttekst\">"), "no content before the read is asked for")
        #expect(try Self.reads(service, copy: own.copyId).isEmpty)

        let page = try await Self.read(johan, own.copyId, [:])
        #expect(page.status == 200)
        #expect(page.body.contains("<pre class=\"berichttekst\">"), "the text part is shown")
        #expect(page.body.contains("op grond van: eigen mailbox"))
        let log = try Self.reads(service, copy: own.copyId)
        #expect(log.count == 1)
        #expect(log.first?.actor.hasPrefix("P0003 Johan de Vries") == true)
        #expect(log.first?.outcome == "inhoud gelezen; rol medewerker; grond: eigen mailbox; reden: eigen mailbox")
        #expect(log.first?.objectIds.contains("mailbox:\(Demo.devries)") == true)

        // Another person's mailbox: not in the scope at all (403, logged), and reading is refused too.
        let view = try await johan.get("/berichten/\(other.copyId)")
        #expect(view.status == 403)
        #expect(view.body.contains("Geen toegang tot dit bericht"))
        let refused = try await johan.post("/berichten/\(other.copyId)/lezen", ["reden": "ik wil het graag lezen"])
        #expect(refused.status == 403)
        #expect(try Self.reads(service, copy: other.copyId).isEmpty)
        #expect(service.events.events("request-refused").contains { $0["reason"] == "message-not-in-scope" && $0["person"] == "P0003" })
    }

    @Test("A teammanager reads the mail of their team's members with a reason; not without one, not outside the team")
    func teammanager() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        // Ellen Visser manages team Bestuur, of which the burgemeester (P0001) is a member.
        let team = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "Begroting Koningsdag")
        let outside = try DemoArchive.copy(service.workspace, mailbox: Demo.info, subject: "Lekkerkerk")
        let ellen = try await Visitor.signIn(TestUsers.user(.teammanager), at: service)

        #expect(try await ellen.get("/berichten/\(team.copyId)").status == 200, "the team's mail is in her scope (metadata)")
        let none = try await ellen.post("/berichten/\(team.copyId)/lezen", [:])
        #expect(none.status == 403, "no reason: refused")
        let short = try await ellen.post("/berichten/\(team.copyId)/lezen", ["reden": "kort"])
        #expect(short.status == 400, "a reason of fewer than \(AccessPolicy.minimumReasonLength) characters: refused")
        #expect(try Self.reads(service, copy: team.copyId).isEmpty)

        let page = try await Self.read(ellen, team.copyId, ["reden": "Beoordeling begroting voor het MT"])
        #expect(page.status == 200 && page.body.contains("<pre class=\"berichttekst\">"))
        let log = try Self.reads(service, copy: team.copyId)
        #expect(log.count == 1)
        #expect(log.first?.actor.hasPrefix("P0007 Ellen Visser") == true)
        #expect(log.first?.outcome == "inhoud gelezen; rol teammanager; grond: mailbox van een lid van team Bestuur; "
            + "reden: Beoordeling begroting voor het MT")

        #expect(try await ellen.get("/berichten/\(outside.copyId)").status == 403, "a functional mailbox is no team member's")
        #expect(try await ellen.post("/berichten/\(outside.copyId)/lezen", ["reden": "nieuwsgierig naar de inhoud"]).status == 403)
        #expect(try Self.reads(service, copy: outside.copyId).isEmpty)
    }

    @Test("The Woo-coördinator reads within a Woo request, or anything with a stated reason; never without a reason")
    func wooCoordinator() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let held = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "Woo-verzoek Z-2024-0815")
        let other = try DemoArchive.copy(service.workspace, mailbox: Demo.info, subject: "Lekkerkerk")
        let mirjam = try await Visitor.signIn(TestUsers.user(.wooCoordinator), at: service)

        let view = try await mirjam.get("/berichten/\(held.copyId)")
        #expect(view.status == 200)
        #expect(view.body.contains("<option value=\"\(Demo.hold)\">\(Demo.zaak) (\(Demo.hold))</option>"), "the request is offered")
        let page = try await Self.read(mirjam, held.copyId, ["woo": Demo.hold])
        #expect(page.status == 200 && page.body.contains("valt onder Woo-verzoek \(Demo.hold)"))
        #expect(try Self.reads(service, copy: held.copyId).first?.outcome
            == "inhoud gelezen; rol Woo-coördinator; grond: valt onder Woo-verzoek \(Demo.hold); reden: Woo-verzoek \(Demo.hold)")

        // A request that does not cover the message is no ground; a stated reason is.
        #expect(try await mirjam.post("/berichten/\(other.copyId)/lezen", ["woo": Demo.hold]).status == 403)
        #expect(try await mirjam.post("/berichten/\(other.copyId)/lezen", [:]).status == 403)
        #expect(try await mirjam.post("/berichten/\(other.copyId)/lezen", ["woo": "woo-999"]).status == 400)
        let stated = try await Self.read(mirjam, other.copyId, ["reden": "Klacht verkeersveiligheid, verzoek om informatie"])
        #expect(stated.status == 200)
        let log = try Self.reads(service, copy: other.copyId)
        #expect(log.count == 1)
        #expect(log.first?.outcome == "inhoud gelezen; rol Woo-coördinator; grond: opgegeven reden; "
            + "reden: Klacht verkeersveiligheid, verzoek om informatie")
    }

    @Test("A gemachtigde reads what the designation covers, until its end (and not after it is revoked)")
    func gemachtigde() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let message = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "Begroting Koningsdag")
        let fatima = try await Visitor.signIn(TestUsers.user(.gemachtigde), at: service)
        // Before any designation: not in her scope.
        #expect(try await fatima.get("/berichten/\(message.copyId)").status == 403)

        // The Woo-coördinator designates her for the burgemeester's mailbox until 31 December 2026.
        let mirjam = try await Visitor.signIn(TestUsers.user(.wooCoordinator), at: service)
        let designated = try await mirjam.post("/woo/machtigingen", [
            "persoon": "P0005", "soort": "mailboxen", "mailboxen": Demo.burgemeester, "tot": "2026-12-31",
            "reden": "Ondersteuning bij Woo-verzoek over de begroting"])
        #expect(designated.status == 303, "\(designated.status) \(designated.body.prefix(500))")
        let delegation = try #require(try AccessStore(workspace: service.workspace).delegations().first)
        #expect(delegation.delegate == "P0005" && delegation.grantedBy == "P0008" && delegation.validTo.iso == "2026-12-31")

        #expect(try await fatima.get("/berichten/\(message.copyId)").status == 200)
        #expect(try await fatima.post("/berichten/\(message.copyId)/lezen", [:]).status == 403, "a reason is asked for every read")
        let page = try await Self.read(fatima, message.copyId, ["reden": "Uitzoeken voor het Woo-verzoek"])
        #expect(page.status == 200 && page.body.contains("<pre class=\"berichttekst\">"))
        #expect(try Self.reads(service, copy: message.copyId).first?.outcome
            == "inhoud gelezen; rol gemachtigde; grond: machtiging \(delegation.id); reden: Uitzoeken voor het Woo-verzoek")

        // After its end date the designation no longer counts (the archive's clock moved on; a new sign-in).
        try await service.restart(at: ISOTimestamp.parse("2027-01-01T09:00:00Z")!)
        let later = try await Visitor.signIn(TestUsers.user(.gemachtigde), at: service)
        #expect(try await later.get("/berichten/\(message.copyId)").status == 403)
        #expect(try await later.post("/berichten/\(message.copyId)/lezen", ["reden": "Uitzoeken voor het Woo-verzoek"]).status == 403)
        #expect(try Self.reads(service, copy: message.copyId).count == 1)
    }

    @Test("A revoked designation stops at once; the revocation is audited")
    func revoked() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let message = try DemoArchive.copy(service.workspace, mailbox: Demo.burgemeester, subject: "Woo-verzoek Z-2024-0815")
        let mirjam = try await Visitor.signIn(TestUsers.user(.wooCoordinator), at: service)
        #expect(try await mirjam.post("/woo/machtigingen", ["persoon": "P0005", "soort": "verzoek", "verzoek": Demo.hold,
                                                             "tot": "2027-03-31", "reden": "Hulp bij de beantwoording"]).status == 303)
        let fatima = try await Visitor.signIn(TestUsers.user(.gemachtigde), at: service)
        #expect(try await Self.read(fatima, message.copyId, ["reden": "Beantwoorden van het verzoek"]).status == 200)
        let id = try #require(try AccessStore(workspace: service.workspace).delegations().first?.id)
        #expect(try await mirjam.post("/woo/machtigingen/\(id)/intrekken").status == 303)
        #expect(try service.audit(.delegation).last?.command == "revoke designation")
        // The designation was withdrawn today: from today on it no longer counts, the grant in the session neither.
        #expect(try await fatima.get("/berichten/\(message.copyId)").status == 403)
        #expect(try await fatima.post("/berichten/\(message.copyId)/lezen", ["reden": "Beantwoorden van het verzoek"]).status == 403)
        #expect(try await mirjam.post("/woo/machtigingen/\(id)/intrekken").status == 404, "no active designation left")
    }

    @Test("DIV, the archivaris and the auditor never read content: DIV and the archivaris see metadata only",
          arguments: [Role.div, .archivaris, .auditor])
    func noContent(_ role: Role) async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let message = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Etentje zaterdag")
        let v = try await Visitor.signIn(TestUsers.user(role), at: service)
        let view = try await v.get("/berichten/\(message.copyId)")
        if role == .auditor {
            #expect(view.status == 403, "the auditor sees no messages at all")
        } else {
            #expect(view.status == 200)
            #expect(view.body.contains("Etentje zaterdag") && view.body.contains("niet tot hun inhoud"))
            #expect(!view.body.contains("Inhoud tonen"))
        }
        #expect(try await v.post("/berichten/\(message.copyId)/lezen", ["reden": "controle van de lijst"]).status == 403)
        #expect(try await v.get("/berichten/\(message.copyId)/html").status == 403)
        #expect(try await v.get("/berichten/\(message.copyId)/bijlagen/1").status == 403)
        #expect(try Self.reads(service, copy: message.copyId).isEmpty)
    }
}

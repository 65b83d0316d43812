// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import SluitsteenPolicy
import SluitsteenRetention

/// `/woo`: the Woo-coördinator's page. The registered Woo requests (the holds), a search within each, and the
/// gemachtigden: designating a person for one request or a set of mailboxes until an end date (at most a year), and
/// withdrawing a designation. ``AccessStore`` checks and records both in the audit trail.
enum WooPages {
    static var group: RouteGroup {
        RouteGroup(name: "woo", routes: [
            .get("/woo", access: .only(.wooCoordinator), handler: show),
            .post("/woo/machtigingen", access: .only(.wooCoordinator), handler: designate),
            .post("/woo/machtigingen/:id/intrekken", access: .only(.wooCoordinator), handler: revoke),
        ], navigation: [
            NavigationItem(title: "Woo-verzoeken en gemachtigden", path: "/woo",
                           summary: "Verzoeken, vastgehouden mail en gemachtigden.", roles: [.wooCoordinator]),
        ])
    }

    static let notices = ["aangewezen": "De gemachtigde is aangewezen.", "ingetrokken": "De machtiging is ingetrokken."]

    static func delegations(_ ctx: ArchiveContext) throws(WebError) -> [Delegation] {
        do { return try AccessStore(workspace: ctx.workspace).delegations() } catch {
            throw ArchiveContext.unavailable("delegations-unreadable", "De machtigingen kunnen niet worden gelezen.")
        }
    }

    @Sendable static func show(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let holds = try ctx.holds()
        let people = ctx.access.registers.registers.people
        let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func name(_ id: String) -> String { "\(names[id] ?? "?") (\(id))" }
        let holdRows: [HTML] = holds.map { h in
            let state = h.released.map { "vrijgegeven op \(DutchText.date($0))\(h.releaseReason.map { ": \($0)" } ?? "")" } ?? "loopt"
            let search: HTML = h.released == nil ? "<a href=\"/zoeken?woo=\(Parts.formEncode(h.id))\">Zoeken in dit verzoek</a>" : "—"
            return """
                <tr><td>\(h.zaaknummer)</td><td>\(h.id)</td><td>\(DutchText.date(h.received))</td><td>\(state)</td><td>\(search)</td></tr>
                """
        }
        let delegations = try delegations(ctx)
        let delegationRows: [HTML] = delegations.map { d in
            let scope: String
            switch d.scope {
            case .wooRequest(let id): scope = "Woo-verzoek " + (holds.first { $0.id == id }.map { "\($0.zaaknummer) (\(id))" } ?? id)
            case .mailboxes(let boxes): scope = "mailbox(en) " + boxes.joined(separator: ", ")
            }
            let state = d.revokedOn.map { "ingetrokken per \(DutchText.date($0))" }
                ?? (d.isActive(on: ctx.today) ? "actief" : d.validTo < ctx.today ? "verlopen" : "nog niet begonnen")
            let revoke: HTML = d.revokedOn == nil && d.validTo >= ctx.today ? """
                <form method="post" action="/woo/machtigingen/\(d.id)/intrekken">\(ctx.csrf)\
                <button type="submit" class="secundair" aria-label="Machtiging \(d.id) van \(name(d.delegate)) intrekken">Intrekken</button></form>
                """ : HTML.empty
            return """
                <tr><td>\(d.id)</td><td>\(name(d.delegate))</td><td>\(scope)</td><td>\(DutchText.date(d.validFrom)) – \
                \(DutchText.date(d.validTo))</td><td>\(name(d.grantedBy))</td><td>\(state)</td><td>\(revoke)</td></tr>
                """
        }
        let candidates = people.filter { $0.id != ctx.person.personId && ($0.employedTo.map { $0 >= ctx.today } ?? true) }
        let personOptions = Parts.options([("", "Kies een persoon")] + candidates.map { ($0.id, "\($0.name) (\($0.id))") }, selected: nil)
        let requestOptions = Parts.options([("", "Kies een Woo-verzoek")]
            + holds.filter { $0.released == nil }.map { ($0.id, "\($0.zaaknummer) (\($0.id))") }, selected: nil)
        let holdTable: HTML = holdRows.isEmpty ? "<p>Er zijn geen Woo-verzoeken geregistreerd.</p>" : """
            <table><thead><tr><th scope="col">Zaaknummer</th><th scope="col">Id</th><th scope="col">Ontvangen</th><th scope="col">Stand</th>\
            <th scope="col">Mail</th></tr></thead><tbody>\(holdRows)</tbody></table>
            """
        let delegationTable: HTML = delegationRows.isEmpty ? "<p>Er zijn geen machtigingen.</p>" : """
            <table><thead><tr><th scope="col">Id</th><th scope="col">Gemachtigde</th><th scope="col">Voor</th><th scope="col">Periode</th>\
            <th scope="col">Aangewezen door</th><th scope="col">Stand</th><th scope="col"><span class="verborgen">Intrekken</span></th></tr>\
            </thead><tbody>\(delegationRows)</tbody></table>
            """
        return ctx.page(title: "Woo-verzoeken en gemachtigden", body: """
            \(Parts.demoBanner(ctx))\(Parts.notice(req.query("gedaan").flatMap { notices[$0] }))
            <h2>Woo-verzoeken</h2>
            <p>Mail die onder een lopend Woo-verzoek valt, wordt vastgehouden. Verzoeken worden geregistreerd met \
            <code>sluitsteen hold add</code>.</p>
            \(holdTable)
            <h2>Gemachtigden</h2>
            \(delegationTable)
            <h2 id="aanwijzen">Een gemachtigde aanwijzen</h2>
            <form method="post" action="/woo/machtigingen" aria-labelledby="aanwijzen">\(ctx.csrf)
            <label for="persoon">Persoon</label><select id="persoon" name="persoon" required>\(personOptions)</select>
            <fieldset><legend>Waarvoor</legend>
            <p><input type="radio" id="soort-verzoek" name="soort" value="verzoek" checked> <label for="soort-verzoek" class="inline">Eén \
            Woo-verzoek</label></p>
            <label for="verzoek">Woo-verzoek</label><select id="verzoek" name="verzoek">\(requestOptions)</select>
            <p><input type="radio" id="soort-mailboxen" name="soort" value="mailboxen"> <label for="soort-mailboxen" class="inline">Een \
            of meer mailboxen</label></p>
            <label for="mailboxen">Mailboxen (adressen, gescheiden door komma's)</label><input id="mailboxen" name="mailboxen" size="60">
            </fieldset>
            <label for="tot">Tot en met</label><input id="tot" name="tot" type="date" required min="\(ctx.today.iso)" \
            max="\(ctx.today.adding(days: 366).iso)">
            <label for="reden">Reden</label><input id="reden" name="reden" required minlength="\(AccessPolicy.minimumReasonLength)" size="60">
            <p><button type="submit">Aanwijzen</button></p>
            </form>
            """)
    }

    @Sendable static func designate(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let form = req.form
        var problems: [String] = []
        let person = (form["persoon"] ?? "").trimmingCharacters(in: .whitespaces)
        if !ctx.access.registers.registers.people.contains(where: { $0.id == person }) {
            problems.append("Kies een persoon uit het personeelsregister.")
        } else if person == ctx.person.personId {
            problems.append("U kunt uzelf niet aanwijzen.")
        }
        var scope: Delegation.Scope?
        switch form["soort"] ?? "" {
        case "verzoek":
            let id = form["verzoek"] ?? ""
            if try ctx.holds().contains(where: { $0.id == id && $0.released == nil }) { scope = .wooRequest(holdId: id) }
            else { problems.append("Kies een lopend Woo-verzoek.") }
        case "mailboxen":
            let boxes = (form["mailboxen"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
            let known = Set(ctx.access.registers.registers.mailboxes.map(\.address))
            if boxes.isEmpty || !boxes.allSatisfy(known.contains) {
                problems.append("Geef een of meer mailboxen die in het mailboxregister staan, gescheiden door komma's.")
            } else {
                scope = .mailboxes(Array(Set(boxes)).sorted())
            }
        default: problems.append("Kies waarvoor de machtiging geldt: een Woo-verzoek of mailboxen.")
        }
        let until = CivilDate(iso: form["tot"] ?? "")
        if let until {
            if until < ctx.today || until > ctx.today.adding(days: 366) {
                problems.append("De einddatum ligt tussen vandaag (\(DutchText.date(ctx.today))) en een jaar vooruit.")
            }
        } else {
            problems.append("Geef een einddatum (jjjj-mm-dd); een machtiging geldt nooit onbeperkt.")
        }
        let reason = (form["reden"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count < AccessPolicy.minimumReasonLength || reason.count > 500 {
            problems.append("Geef een reden van ten minste \(AccessPolicy.minimumReasonLength) en hoogstens 500 tekens; die wordt vastgelegd.")
        }
        guard problems.isEmpty, let scope, let until else {
            throw WebError(.badRequest, reason: "designation-invalid", title: "De machtiging is niet aangewezen",
                           explanation: problems.joined(separator: " ") + " Ga terug en vul het formulier aan.")
        }
        do {
            _ = try AccessStore(workspace: ctx.workspace).designate(person, scope: scope, validTo: until, reason: reason, actor: ctx.actor)
        } catch {
            throw WebError(.conflict, reason: "designation-refused", title: "De machtiging is niet aangewezen",
                           explanation: "Het archief weigerde de machtiging: \(error.description)")
        }
        return req.redirect(to: "/woo?gedaan=aangewezen")
    }

    @Sendable static func revoke(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let id = req.parameter("id") ?? ""
        guard try delegations(ctx).contains(where: { $0.id == id && $0.revokedOn == nil }) else {
            throw WebError(.notFound, reason: "designation-unknown", title: "Machtiging niet gevonden",
                           explanation: "Er is geen lopende machtiging ‘\(id)’.")
        }
        do { try AccessStore(workspace: ctx.workspace).revoke(id, actor: ctx.actor) } catch {
            throw WebError(.conflict, reason: "designation-revoke-refused", title: "Intrekken is niet gelukt",
                           explanation: "Het archief weigerde het intrekken: \(error.description)")
        }
        return req.redirect(to: "/woo?gedaan=ingetrokken")
    }
}

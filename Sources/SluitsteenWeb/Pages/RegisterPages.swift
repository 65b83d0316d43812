// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import SluitsteenPolicy
import SluitsteenRetention

/// DIV's pages: the registers in force (people, roles, mailboxes, approvers, teams), the retention plan (as of today,
/// or a forecast), and the hotspots. Read only: the registers are imported with `sluitsteen register import`.
enum RegisterPages {
    static var group: RouteGroup {
        RouteGroup(name: "registers", routes: [
            .get("/registers", access: .only(.div), handler: registers),
            .get("/plan", access: .only(.div), handler: plan),
            .get("/hotspots", access: .only(.div), handler: hotspots),
        ], navigation: [
            NavigationItem(title: "Registers", path: "/registers", summary: "Personen, rollen, mailboxen, goedkeurders en teams.", roles: [.div]),
            NavigationItem(title: "Bewaarplan", path: "/plan", summary: "Wat het beleid vraagt: aantallen per klasse, actie en jaar.",
                           roles: [.div]),
            NavigationItem(title: "Hotspots", path: "/hotspots", summary: "Aangewezen en voorgestelde hotspots.", roles: [.div]),
        ])
    }

    static func period(_ from: CivilDate?, _ to: CivilDate?) -> String {
        "\(from.map(DutchText.date) ?? "…") – \(to.map(DutchText.date) ?? "heden")"
    }

    @Sendable static func registers(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let r = ctx.access.registers.registers
        guard !r.people.isEmpty || !r.mailboxes.isEmpty else {
            return ctx.page(title: "Registers", body: """
                <p>Er zijn nog geen registers geïmporteerd. Importeer ze met <code>sluitsteen register import people.csv roles.csv \
                mailboxes.csv approvers.csv teams.csv</code>.</p>
                """)
        }
        let names = Dictionary(r.people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func name(_ id: String?) -> String { id.map { "\(names[$0] ?? "?") (\($0))" } ?? "—" }
        let people: [HTML] = r.people.map { "<tr><td>\($0.id)</td><td>\($0.name)</td><td>\(period($0.employedFrom, $0.employedTo))</td></tr>" }
        let roles: [HTML] = r.roles.map { "<tr><td>\(name($0.personId))</td><td>\($0.role)</td><td>\(period($0.validFrom, $0.validTo))</td></tr>" }
        let boxes: [HTML] = r.mailboxes.map {
            "<tr><td>\($0.address)</td><td>\($0.kind == .personal ? "persoonlijk" : "functioneel")</td><td>\(name($0.personId))</td></tr>"
        }
        let approvers: [HTML] = r.approvers.map {
            "<tr><td>\(name($0.personId))</td><td>\($0.approverRole)</td><td>\(period($0.validFrom, $0.validTo))</td></tr>"
        }
        let teams: [HTML] = r.teams.map {
            """
            <tr><td>\($0.team)</td><td>\(name($0.personId))</td><td>\($0.membership == .manager ? "manager" : "lid")</td>\
            <td>\(period($0.validFrom, $0.validTo))</td></tr>
            """
        }
        let teamTable: HTML = teams.isEmpty ? "<p>Er is geen teamregister geïmporteerd.</p>" : """
            <table aria-labelledby="teams"><thead><tr><th scope="col">Team</th><th scope="col">Persoon</th><th scope="col">Als</th>\
            <th scope="col">Periode</th></tr></thead><tbody>\(teams)</tbody></table>
            """
        return ctx.page(title: "Registers", body: """
            \(Parts.demoBanner(ctx))
            <p>De registers die nu gelden (de laatste import). Wijzigen gaat met <code>sluitsteen register import</code>.</p>
            <h2 id="personen">Personen</h2>
            <table aria-labelledby="personen">\(Parts.head("Nummer", "Naam", "In dienst"))
            <tbody>\(people)</tbody></table>
            <h2 id="functies">Functies</h2>
            <table aria-labelledby="functies">\(Parts.head("Persoon", "Functie", "Periode"))
            <tbody>\(roles)</tbody></table>
            <h2 id="mailboxen">Mailboxen</h2>
            <table aria-labelledby="mailboxen">\(Parts.head("Adres", "Soort", "Eigenaar"))
            <tbody>\(boxes)</tbody></table>
            <h2 id="goedkeurders">Goedkeurders van vernietigingslijsten</h2>
            <table aria-labelledby="goedkeurders">\(Parts.head("Persoon", "Rol", "Periode"))
            <tbody>\(approvers)</tbody></table>
            <h2 id="teams">Teams</h2>
            \(teamTable)
            """)
    }

    @Sendable static func plan(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        var asOf = ctx.today
        if let text = req.query("peildatum"), !text.isEmpty {
            guard let d = CivilDate(iso: text) else {
                throw WebError.badRequest("plan-date-invalid", explanation: "De peildatum ‘\(text)’ is geen datum (jjjj-mm-dd).")
            }
            asOf = d
        }
        let forecast = asOf > ctx.today
        var plan = RetentionPlan(asOf: asOf, policySource: ctx.policy.source, forecastToday: forecast ? ctx.today : nil,
                                 archiveKind: ctx.workspace.kind)
        let engine = RetentionEngine(workspace: ctx.workspace, policy: ctx.policy.policy)
        do {
            plan.notices = try RetentionStore(workspace: ctx.workspace).planNotices()
            try engine.prepareTextIndexForTerms()
            // The end of the day as of which the plan is made (today: now).
            let instant = forecast ? AmsterdamTime.instant(date: asOf.adding(days: 1), secondOfDay: 0).adding(seconds: -1) : ctx.now
            try engine.forEachDecision(asOf: instant) { plan.add($0) }
        } catch {
            throw ArchiveContext.unavailable("plan-failed", "Het bewaarplan kan nu niet worden berekend.")
        }
        let rows: [HTML] = plan.byClassAndAction.sorted { $0.key < $1.key }.map { key, tally in
            let c = MessageClass(rawValue: key.messageClass)
            let a = RetentionAction(rawValue: key.action)
            return """
                <tr><td>\(DutchText.messageClass(c))</td><td>\(a?.dutchName ?? key.action)</td><td>\(DutchText.count(tally.count))</td>\
                <td>\(DutchText.size(tally.bytes))</td></tr>
                """
        }
        func years(_ d: [Int: RetentionPlan.Tally]) -> [HTML] {
            d.sorted { $0.key < $1.key }.map {
                "<tr><td>\($0.key)</td><td>\(DutchText.count($0.value.count))</td><td>\(DutchText.size($0.value.bytes))</td></tr>"
            }
        }
        let notices: [HTML] = plan.notices.map { "<p class=\"melding\" role=\"note\">\($0)</p>" }
        let forecastNote: HTML = forecast
            ? "<p class=\"melding\" role=\"note\"><strong>Vooruitblik:</strong> \(Forecast.notice(asOf: asOf, today: ctx.today))</p>" : HTML.empty
        return ctx.page(title: "Bewaarplan per \(DutchText.date(asOf))", body: """
            \(Parts.demoBanner(ctx))\(forecastNote)\(notices)
            <form method="get" action="/plan"><label for="peildatum">Peildatum</label>\
            <input id="peildatum" name="peildatum" type="date" value="\(asOf.iso)"> <button type="submit">Berekenen</button></form>
            <p>Beleid: \(ctx.policy.source). In totaal \(DutchText.count(plan.total.count)) kopieën (\(DutchText.size(plan.total.bytes))).</p>
            <h2 id="klassen">Per klasse en actie</h2>
            <table aria-labelledby="klassen"><thead><tr><th scope="col">Klasse</th><th scope="col">Actie</th><th scope="col">Aantal</th>\
            <th scope="col">Omvang</th></tr></thead><tbody>\(rows)</tbody></table>
            <h2 id="vernietiging">Te vernietigen, per jaar</h2>
            <table aria-labelledby="vernietiging">\(Parts.head("Jaar", "Aantal", "Omvang"))
            <tbody>\(years(plan.destructionByYear))</tbody></table>
            <h2 id="overbrenging">Over te brengen, per jaar</h2>
            <table aria-labelledby="overbrenging">\(Parts.head("Jaar", "Aantal", "Omvang"))
            <tbody>\(years(plan.transferByYear))</tbody></table>
            """)
    }

    @Sendable static func hotspots(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let list: [Hotspot]
        do { list = try RetentionStore(workspace: ctx.workspace).hotspots() } catch {
            throw ArchiveContext.unavailable("hotspots-unreadable", "De hotspots kunnen niet worden gelezen.")
        }
        let status: [HotspotStatus: String] = [.designated: "aangewezen", .proposed: "voorgesteld", .rejected: "afgewezen"]
        let rows: [HTML] = list.map { h in
            let c = h.criteria
            var criteria: [String] = []
            if !c.terms.isEmpty { criteria.append("woorden: " + c.terms.joined(separator: ", ")) }
            if !c.addresses.isEmpty { criteria.append("adressen: " + c.addresses.joined(separator: ", ")) }
            if !c.mailboxes.isEmpty { criteria.append("mailboxen: " + c.mailboxes.joined(separator: ", ")) }
            if !c.zaakNumbers.isEmpty { criteria.append("zaken: " + c.zaakNumbers.joined(separator: ", ")) }
            return """
                <tr><td>\(h.name)</td><td>\(status[h.status] ?? h.status.rawValue)</td><td>\(period(c.period.from, c.period.to))</td>\
                <td>\(criteria.joined(separator: "; "))</td><td>\(h.decisionRef ?? "—")</td>\
                <td><a href="/zoeken?hotspot=\(Parts.formEncode(h.name))">Berichten</a></td></tr>
                """
        }
        let table: HTML = rows.isEmpty ? "<p>Er zijn geen hotspots.</p>" : """
            <table><caption>Hotspots</caption><thead><tr><th scope="col">Naam</th><th scope="col">Status</th><th scope="col">Periode</th>\
            <th scope="col">Kenmerken</th><th scope="col">Besluit</th><th scope="col">Zoeken</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return ctx.page(title: "Hotspots", body: """
            \(Parts.demoBanner(ctx))
            <p>Mail over een aangewezen hotspot wordt blijvend bewaard; mail over een voorgestelde hotspot wordt vastgehouden tot het \
            besluit. Hotspots worden vastgelegd met <code>sluitsteen hotspot</code>.</p>
            \(table)
            """)
    }
}

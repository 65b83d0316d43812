// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// `/zoeken`: words in the full-text index and filters (mailbox, period, sender, recipient, attachments, hotspot, Woo
/// request, class and action as decided now), paginated with the number found. Only what the access policy lets the
/// person see is searched: their own mailboxes (medewerker), their team's (teammanager), their designations'
/// (gemachtigde), a Woo request they may search within, or every mailbox's metadata (Woo-coördinator, DIV, archivaris).
enum SearchPage {
    /// The roles that find mail (each within their own scope).
    static let roles: Set<Role> = [.medewerker, .teammanager, .wooCoordinator, .gemachtigde, .div, .archivaris]
    static let pageSize = 25
    /// The longest value of a search field.
    static let maximumField = 500

    static var group: RouteGroup {
        RouteGroup(name: "zoeken", routes: [.get("/zoeken", access: .roles(roles), handler: search)], navigation: [
            NavigationItem(title: "Zoeken", path: "/zoeken", summary: "Zoeken in de gearchiveerde mail waartoe uw rol toegang geeft.",
                           roles: roles),
        ])
    }

    /// The fields of the search form, as given in the query.
    struct Fields {
        var text = "", mailbox = "", from = "", to = "", sender = "", recipient = "", attachments = "", hotspot = "", woo = ""
        var messageClass = "", action = "", page = 1
        /// Whether the form was submitted (any field present): a bare `/zoeken` shows the form only.
        var submitted = false

        init(_ req: WebRequest) throws(WebError) {
            func field(_ name: String) throws(WebError) -> String {
                let value = (req.query(name) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard value.count <= SearchPage.maximumField else {
                    throw .badRequest("search-field-too-long", explanation: "Een zoekveld is langer dan \(SearchPage.maximumField) tekens. "
                        + "Maak de zoekvraag korter.")
                }
                return value
            }
            text = try field("q"); mailbox = try field("mailbox"); from = try field("van"); to = try field("tot")
            sender = try field("afzender"); recipient = try field("ontvanger"); attachments = try field("bijlagen")
            hotspot = try field("hotspot"); woo = try field("woo"); messageClass = try field("klasse"); action = try field("actie")
            page = Parts.pageNumber(req.query("pagina"))
            submitted = !req.request.uri.queryParameters.isEmpty
        }

        /// The fields for links to other pages of the results.
        var query: [(String, String)] {
            [("q", text), ("mailbox", mailbox), ("van", from), ("tot", to), ("afzender", sender), ("ontvanger", recipient),
             ("bijlagen", attachments), ("hotspot", hotspot), ("woo", woo), ("klasse", messageClass), ("actie", action)]
                .filter { !$0.1.isEmpty }
        }
    }

    @Sendable static func search(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let fields = try Fields(req)
        let holds = try ctx.holds()
        let requests = ctx.searchableRequests(holds)
        var scope = ctx.searchableMailboxes
        let registers: [String]
        let hotspots: [String]
        do {
            registers = try RetentionStore(workspace: ctx.workspace).registers()?.mailboxes.map(\.address).sorted() ?? []
            hotspots = try RetentionStore(workspace: ctx.workspace).hotspots().map(\.name)
        } catch {
            throw ArchiveContext.unavailable("registers-unreadable", "De registers kunnen niet worden gelezen.")
        }

        var problems: [String] = []
        var query = SearchQuery(page: fields.page, pageSize: pageSize)
        query.text = fields.text.isEmpty ? nil : fields.text
        if !fields.woo.isEmpty {
            guard let hold = holds.first(where: { $0.id == fields.woo }) else {
                throw WebError.badRequest("unknown-woo-request", explanation: "Er is geen Woo-verzoek ‘\(fields.woo)’ in het archief.")
            }
            if requests.contains(hold.id) {
                scope = nil   // the request itself is the scope: what it covers, in any mailbox
            } else if scope != nil {
                throw WebError.forbidden("woo-request-not-allowed", explanation: "U mag niet zoeken binnen Woo-verzoek \(hold.zaaknummer).")
            }
            query.wooRequest = hold.id
        }
        if !fields.mailbox.isEmpty {
            let box = fields.mailbox.lowercased()
            if let scope, !scope.contains(box) {
                throw WebError.forbidden("mailbox-not-in-scope", explanation: "De mailbox \(box) valt buiten wat uw rol mag doorzoeken.")
            }
            query.mailboxes = [box]
        }
        if !fields.from.isEmpty {
            if let d = CivilDate(iso: fields.from) { query.from = d } else { problems.append("De datum ‘van’ is geen datum (jjjj-mm-dd).") }
        }
        if !fields.to.isEmpty {
            if let d = CivilDate(iso: fields.to) { query.to = d } else { problems.append("De datum ‘tot en met’ is geen datum (jjjj-mm-dd).") }
        }
        query.sender = fields.sender.isEmpty ? nil : fields.sender
        query.recipient = fields.recipient.isEmpty ? nil : fields.recipient
        switch fields.attachments {
        case "": break
        case "ja": query.hasAttachments = true
        case "nee": query.hasAttachments = false
        default: problems.append("Kies bij bijlagen ‘ja’, ‘nee’ of niets.")
        }
        if !fields.hotspot.isEmpty {
            if hotspots.contains(fields.hotspot) {
                query.hotspot = fields.hotspot
            } else {
                problems.append("Er is geen hotspot ‘\(fields.hotspot)’.")
            }
        }
        if !fields.messageClass.isEmpty {
            if let c = MessageClass(rawValue: fields.messageClass) { query.messageClass = c } else { problems.append("Onbekende klasse.") }
        }
        if !fields.action.isEmpty {
            if let a = RetentionAction(rawValue: fields.action) { query.action = a } else { problems.append("Onbekende actie.") }
        }

        let mailboxChoices = scope.map { $0.sorted() } ?? registers
        let form = searchForm(fields, mailboxes: mailboxChoices, hotspots: hotspots,
                              requests: holds.filter { requests.contains($0.id) || ctx.searchableMailboxes == nil })
        var scopeNote: HTML
        switch (scope, requests.isEmpty) {
        case (nil, _): scopeNote = "<p>U zoekt in alle mailboxen van het archief.</p>"
        case (let boxes?, _) where !boxes.isEmpty:
            scopeNote = "<p>U zoekt in: \(boxes.sorted().joined(separator: ", ")).</p>"
        case (_, false): scopeNote = "<p>Kies een Woo-verzoek waarvoor u bent aangewezen om daarbinnen te zoeken.</p>"
        default:
            scopeNote = "<p>Uw rol geeft op dit moment geen toegang tot mailboxen van het archief.</p>"
        }
        if query.wooRequest != nil, let hold = holds.first(where: { $0.id == query.wooRequest }) {
            scopeNote = "<p>U zoekt binnen Woo-verzoek \(hold.zaaknummer) (\(hold.id)).</p>"
        }

        guard problems.isEmpty else {
            let list: HTML = "<ul>\(problems.map { p -> HTML in "<li>\(p)</li>" })</ul>"
            return ctx.page(title: "Zoeken", body: """
                \(Parts.demoBanner(ctx))<div class="melding" role="alert"><p>De zoekvraag kan zo niet worden uitgevoerd:</p>\(list)</div>
                \(form)
                """, status: .badRequest)
        }
        guard fields.submitted else {
            return ctx.page(title: "Zoeken", body: "\(Parts.demoBanner(ctx))\(scopeNote)\(form)")
        }
        let result: SearchResult
        do { result = try ArchiveSearch(workspace: ctx.workspace, policy: ctx.policy.policy).runPaged(query, scope: scope) } catch {
            throw ArchiveContext.unavailable("search-failed", "Het zoeken in het archief is mislukt.")
        }
        // Where the copies no longer present stand (the list that destroyed them, the package that transferred them).
        let gone = Set(result.hits.filter { $0.state != .present }.map(\.copyId))
        let standings = (try? ctx.workspace.catalog.standings(copyIds: gone)) ?? [:]
        return ctx.page(title: "Zoeken", body: """
            \(Parts.demoBanner(ctx))\(scopeNote)\(form)
            <section aria-labelledby="resultaten">
            <h2 id="resultaten">Resultaten</h2>
            \(results(result, fields: fields, standings: standings))
            </section>
            """)
    }

    static func searchForm(_ f: Fields, mailboxes: [String], hotspots: [String], requests: [SluitsteenPolicy.WooHold]) -> HTML {
        let boxes = Parts.options([("", "Alle mailboxen waarin u mag zoeken")] + mailboxes.map { ($0, $0) }, selected: f.mailbox)
        let spots = Parts.options([("", "Geen voorkeur")] + hotspots.map { ($0, $0) }, selected: f.hotspot)
        let woo = Parts.options([("", "Geen Woo-verzoek")] + requests.map { ($0.id, "\($0.zaaknummer) (\($0.id))") }, selected: f.woo)
        let classes = Parts.options([("", "Alle klassen")] + MessageClass.allCases.map { ($0.rawValue, DutchText.messageClass($0)) },
                                    selected: f.messageClass)
        let actions = Parts.options([("", "Alle acties")] + RetentionAction.allCases.map { ($0.rawValue, $0.dutchName) }, selected: f.action)
        let attachments = Parts.options([("", "Maakt niet uit"), ("ja", "Met bijlagen"), ("nee", "Zonder bijlagen")], selected: f.attachments)
        let filtersOpen: HTML = f.query.contains(where: { $0.0 != "q" }) ? " open" : HTML.empty
        return """
            <form method="get" action="/zoeken" class="zoekformulier" role="search">
            <label for="q">Woorden of "een zinsdeel"</label><input id="q" name="q" type="search" value="\(f.text)" size="50">
            <details\(filtersOpen)><summary>Filters</summary>
            <label for="mailbox">Mailbox</label><select id="mailbox" name="mailbox">\(boxes)</select>
            <label for="van">Datum van</label><input id="van" name="van" type="date" value="\(f.from)">
            <label for="tot">Datum tot en met</label><input id="tot" name="tot" type="date" value="\(f.to)">
            <label for="afzender">Afzender (adres of naam)</label><input id="afzender" name="afzender" value="\(f.sender)">
            <label for="ontvanger">Ontvanger (adres of naam)</label><input id="ontvanger" name="ontvanger" value="\(f.recipient)">
            <label for="bijlagen">Bijlagen</label><select id="bijlagen" name="bijlagen">\(attachments)</select>
            <label for="hotspot">Hotspot</label><select id="hotspot" name="hotspot">\(spots)</select>
            <label for="woo">Woo-verzoek</label><select id="woo" name="woo">\(woo)</select>
            <label for="klasse">Klasse</label><select id="klasse" name="klasse">\(classes)</select>
            <label for="actie">Actie volgens het beleid</label><select id="actie" name="actie">\(actions)</select>
            </details>
            <p><button type="submit">Zoeken</button></p>
            </form>
            """
    }

    /// The results table: the copy's number (the one `sluitsteen` takes as `--copy`), date, sender, subject, mailbox,
    /// attachments, class, action, and the state of a copy no longer present (e.g. `vernietigd (VL-2033-001)`).
    static func results(_ r: SearchResult, fields: Fields, standings: [Int64: CopyStanding] = [:]) -> HTML {
        guard r.total > 0 else { return "<p>Niets gevonden.</p>" }
        let first = (r.page - 1) * r.pageSize + 1
        let last = first + r.hits.count - 1
        let rows: [HTML] = r.hits.map { h in
            let standing = standings[h.copyId] ?? CopyStanding(state: h.state)
            let subject = h.subject.isEmpty ? (standing.descriptionKept ? "(geen onderwerp)" : "(onderwerp niet bewaard)") : h.subject
            let action = h.state == .present ? DutchText.action(h.action) : standing.dutch
            return """
                <tr><td>\(h.copyId)</td><td>\(DutchText.messageDay(h.dateEpoch))</td><td>\(h.sender)</td>\
                <td><a href="/berichten/\(h.copyId)">\(subject)</a></td><td>\(h.mailbox)</td><td>\(h.attachmentCount)</td>\
                <td>\(DutchText.messageClass(h.messageClass))</td><td>\(action)</td></tr>
                """
        }
        let shown = r.hits.isEmpty ? "Deze pagina is leeg." : "\(DutchText.count(first))–\(DutchText.count(last)) getoond."
        return """
            <p class="aantal" role="status"><strong>\(DutchText.count(r.total))</strong> \(r.total == 1 ? "bericht" : "berichten") \
            gevonden; \(shown)</p>
            <table>
            <caption>Gevonden berichten, nieuwste eerst</caption>
            <thead><tr><th scope="col">Nr.</th><th scope="col">Datum</th><th scope="col">Van</th><th scope="col">Onderwerp</th><th \
            scope="col">Mailbox</th>\
            <th scope="col">Bijlagen</th><th scope="col">Klasse</th><th scope="col">Actie</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(Parts.pagination(path: "/zoeken", query: fields.query, page: r.page, pages: r.pages))
            """
    }
}

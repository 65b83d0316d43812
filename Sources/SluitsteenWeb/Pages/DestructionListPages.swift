// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenPolicy
import SluitsteenRetention

/// `/vernietigingslijsten`: the destruction lists. DIV proposes and takes items off (uitzonderen, before the first
/// approval); DIV and the archivaris approve, each in their own role and as the signed-in person (the approval names their
/// person id, which must have an approver period in approvers.csv; four eyes compares person ids), or reject. The
/// page shows the bedenktijd and, once executed, the verklaring van vernietiging. What is allowed is decided by
/// ``DestructionLists``; this page only binds the approval to the person and the role they hold.
enum DestructionListPages {
    static let roles: Set<Role> = [.div, .archivaris]
    static let itemsPerPage = 100

    static var group: RouteGroup {
        RouteGroup(name: "vernietigingslijsten", routes: [
            .get("/vernietigingslijsten", access: .roles(roles), handler: overview),
            .post("/vernietigingslijsten/voorstellen", access: .only(.div), handler: propose),
            .get("/vernietigingslijsten/:id", access: .roles(roles), handler: show),
            .post("/vernietigingslijsten/:id/uitzonderen", access: .only(.div), handler: exclude),
            .post("/vernietigingslijsten/:id/goedkeuren", access: .roles(roles), handler: approve),
            .post("/vernietigingslijsten/:id/afwijzen", access: .roles(roles), handler: reject),
            .get("/vernietigingslijsten/:id/documenten/:naam", access: .roles(roles), handler: document),
        ], navigation: [
            NavigationItem(title: "Vernietigingslijsten", path: "/vernietigingslijsten",
                           summary: "Lijsten voorstellen, bekijken, uitzonderen, goedkeuren of afwijzen; bedenktijd en verklaring.",
                           roles: roles),
        ])
    }

    /// The approver role (approvers.csv, the policy's approvals) a web role approves in.
    static let approverRole: [Role: String] = [.div: "div", .archivaris: "archivist"]

    static let notices = ["voorgesteld": "De lijst is voorgesteld.", "niets": "Er is op dit moment niets te vernietigen; er is geen lijst gemaakt.",
                          "uitgezonderd": "Het bericht is van de lijst gehaald.", "goedgekeurd": "Uw goedkeuring is vastgelegd.",
                          "afgewezen": "De lijst is afgewezen."]

    static func lists(_ ctx: ArchiveContext) throws(WebError) -> [DestructionList] {
        do { return try DestructionLists(workspace: ctx.workspace).all() } catch {
            throw ArchiveContext.unavailable("lists-unreadable", "De vernietigingslijsten kunnen niet worden gelezen.")
        }
    }

    /// The list of the path's `:id` (404 when there is none).
    static func snapshot(_ ctx: ArchiveContext) throws(WebError) -> ListSnapshot {
        let id = ctx.request.parameter("id") ?? ""
        guard try lists(ctx).contains(where: { $0.id == id && $0.kind == .vernietigingslijst }) else {
            throw WebError(.notFound, reason: "list-unknown", title: "Lijst niet gevonden",
                           explanation: "Er is geen vernietigingslijst ‘\(id)’ in het archief.")
        }
        do { return try DestructionLists(workspace: ctx.workspace).show(id) } catch {
            throw ArchiveContext.unavailable("list-unreadable", "De lijst kan niet worden gelezen.")
        }
    }

    @Sendable static func overview(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let rows: [HTML] = try lists(ctx).filter { $0.kind == .vernietigingslijst }.map { l in
            """
            <tr><td><a href="/vernietigingslijsten/\(l.id)">\(l.id)</a></td><td>\(l.status.dutch)</td><td>\(l.asOf)</td>\
            <td>\(DutchText.timestamp(l.proposedAt))<br>\(l.proposedBy)</td>\
            <td>\(l.approvalsRequired.map { l.roleName($0) }.joined(separator: ", dan "))</td></tr>
            """
        }
        let table: HTML = rows.isEmpty ? "<p>Er zijn nog geen vernietigingslijsten.</p>" : """
            <table><caption>Vernietigingslijsten, nieuwste eerst</caption>
            <thead><tr><th scope="col">Lijst</th><th scope="col">Status</th><th scope="col">Peildatum</th><th scope="col">Voorgesteld</th>\
            <th scope="col">Goedkeuring door</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let proposeForm: HTML = ctx.roles.contains(.div) ? """
            <h2>Nieuwe lijst</h2>
            <form method="post" action="/vernietigingslijsten/voorstellen">\(ctx.csrf)
            <p>Stelt een lijst voor van alle berichten waarvan de vernietiging vandaag (\(DutchText.date(ctx.today))) aan de orde is \
            en die nog niet op een open lijst staan.</p>
            <p><button type="submit">Lijst voorstellen</button></p></form>
            """ : HTML.empty
        return ctx.page(title: "Vernietigingslijsten", body: """
            \(Parts.demoBanner(ctx))\(Parts.notice(req.query("gedaan").flatMap { notices[$0] }))\(table)\(proposeForm)
            """)
    }

    @Sendable static func propose(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let proposal: DestructionLists.Proposal?
        do {
            proposal = try DestructionLists(workspace: ctx.workspace).propose(policy: ctx.policy, asOf: nil, mailboxes: nil, withSubjects: false,
                                                                              actor: ctx.actor)
        } catch {
            throw WebError(.conflict, reason: "list-propose-refused", title: "Voorstellen is niet gelukt",
                           explanation: "Het archief weigerde het voorstel: \(error.description)")
        }
        guard let proposal else { return req.redirect(to: "/vernietigingslijsten?gedaan=niets") }
        return req.redirect(to: "/vernietigingslijsten/\(proposal.snapshot.list.id)?gedaan=voorgesteld")
    }

    @Sendable static func show(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let s = try snapshot(ctx)
        let l = s.list
        let open = l.status == .proposed
        let canExclude = open && s.approvals.isEmpty && ctx.roles.contains(.div)
        let categories: [HTML] = s.categories.map { c in
            """
            <tr><td>\(c.text.description)<br><span class="hulp">\(c.text.selectionRule)</span></td><td>\(DutchText.count(c.count))</td>\
            <td>\(DutchText.size(c.size))</td><td>\(c.periodFrom ?? "…") – \(c.periodTo ?? "…")</td>\
            <td>\(c.mailboxes.joined(separator: ", "))</td></tr>
            """
        }
        let approvals: [HTML] = s.approvals.map { a in
            "<li>\(l.roleName(a.role)): \(a.name)\(a.personId.map { " (\($0))" } ?? "") op \(DutchText.timestamp(a.at))</li>"
        }
        var facts: [HTML] = [
            "<dt>Status</dt><dd>\(l.status.dutch)</dd>",
            "<dt>Peildatum</dt><dd>\(l.asOf)</dd>",
            "<dt>Voorgesteld</dt><dd>\(DutchText.timestamp(l.proposedAt)) door \(l.proposedBy)</dd>",
            "<dt>Grondslag</dt><dd>\(l.legalGround); \(l.selectielijst)</dd>",
            "<dt>Archiefvormer</dt><dd>\(l.archiefvormer.name)</dd>",
            "<dt>Goedkeuring nodig van</dt><dd>\(l.approvalsRequired.map { l.roleName($0) }.joined(separator: ", dan "))</dd>",
            "<dt>Bedenktijd</dt><dd>\(duration(l.bedenktijd)) na de laatste goedkeuring</dd>",
            "<dt>Berichten op de lijst</dt><dd>\(DutchText.count(s.onList.count)) (\(DutchText.count(s.excluded.count)) uitgezonderd)</dd>",
        ]
        if let from = l.executableFrom {
            let over = ctx.now >= from
            let state = over ? " (de bedenktijd is voorbij)" : " (bedenktijd loopt)"
            facts.append("<dt>Uitvoerbaar vanaf</dt><dd>\(DutchText.time(from))\(state)</dd>")
        }
        if let sha = l.itemListSHA256 { facts.append("<dt>SHA-256 van de lijst</dt><dd><code>\(sha)</code></dd>") }
        if let closed = l.closedAt {
            let why = l.closeReason.map { ": \($0)" } ?? ""
            facts.append("<dt>Gesloten</dt><dd>\(DutchText.timestamp(closed)) door \(l.closedBy ?? "?")\(why)</dd>")
        }
        if let executed = l.executedAt {
            facts.append("<dt>Uitgevoerd</dt><dd>\(DutchText.timestamp(executed)) door \(l.executedBy ?? "?")</dd>")
        }
        let docs = ListDocuments.Names(listId: l.id)
        var documents: [HTML] = [
            "<li><a href=\"/vernietigingslijsten/\(l.id)/documenten/\(docs.html)\">De lijst (HTML)</a></li>",
            "<li><a href=\"/vernietigingslijsten/\(l.id)/documenten/\(docs.csv)\">De berichten op de lijst (CSV)</a></li>",
        ]
        if l.status == .executed {
            let v = DestructionExecution.verklaringNames(l.id)
            let sha: HTML = l.verklaringSHA256.map { " — SHA-256 <code>\($0)</code>" } ?? HTML.empty
            documents.append("<li><a href=\"/vernietigingslijsten/\(l.id)/documenten/\(v.html)\">Verklaring van vernietiging (HTML)</a>\(sha)</li>")
        }
        let page = Parts.pageNumber(req.query("pagina"))
        let shown = s.items.dropFirst((page - 1) * itemsPerPage).prefix(itemsPerPage)
        let items: [HTML] = shown.map { i in
            let excludeForm: HTML = canExclude && i.state == .listed ? """
                <form method="post" action="/vernietigingslijsten/\(l.id)/uitzonderen">\(ctx.csrf)\
                <input type="hidden" name="item" value="\(i.seq)">\
                <label for="reden-\(i.seq)" class="klein">Reden</label><input id="reden-\(i.seq)" name="reden" required size="20"> \
                <button type="submit" class="secundair">Uitzonderen</button></form>
                """ : HTML.empty
            return """
                <tr><td>\(i.seq)</td><td><a href="/berichten/\(i.copyId)">\(i.mailbox)</a></td><td>\(i.date ?? "—")</td>\
                <td>\(i.messageClass)</td><td><code>\(i.rule)</code></td><td>\(i.state.rawValue)\(i.reason.map { ": \($0)" } ?? "")</td>\
                <td>\(excludeForm)</td></tr>
                """
        }
        var actions: [HTML] = []
        if open {
            let mine = approverRole.sorted { $0.key < $1.key }.filter { ctx.roles.contains($0.key) && s.pendingRoles.contains($0.value) }
            for (_, approver) in mine {
                actions.append("""
                    <form method="post" action="/vernietigingslijsten/\(l.id)/goedkeuren">\(ctx.csrf)\
                    <input type="hidden" name="rol" value="\(approver)">\
                    <button type="submit">Goedkeuren als \(l.roleName(approver))</button></form>
                    """)
            }
        }
        if l.status == .proposed || l.status == .approved {
            actions.append("""
                <form method="post" action="/vernietigingslijsten/\(l.id)/afwijzen">\(ctx.csrf)
                <label for="afwijsreden">Reden van afwijzen</label><input id="afwijsreden" name="reden" required size="50">
                <button type="submit" class="secundair">Lijst afwijzen</button></form>
                """)
        }
        let approvalList: HTML = approvals.isEmpty ? "<p>Nog geen.</p>" : "<ol>\(approvals)</ol>"
        let excludeHint: HTML = canExclude ? "<p>Haal een bericht van de lijst met een reden; dat kan tot de eerste goedkeuring.</p>" : HTML.empty
        let actionSection: HTML = actions.isEmpty ? HTML.empty
            : "<section aria-labelledby=\"handelingen\"><h2 id=\"handelingen\">Handelingen</h2>\(actions)</section>"
        return ctx.page(title: "Vernietigingslijst \(l.id)", body: """
            \(Parts.demoBanner(ctx))\(Parts.notice(req.query("gedaan").flatMap { notices[$0] }))
            <dl class="gegevens">\(facts)</dl>
            <h2>Goedkeuringen</h2>
            \(approvalList)
            \(actionSection)
            <h2>Categorieën</h2>
            <table><thead><tr><th scope="col">Categorie</th><th scope="col">Aantal</th><th scope="col">Omvang</th><th scope="col">Periode</th>\
            <th scope="col">Mailboxen</th></tr></thead><tbody>\(categories)</tbody></table>
            <h2>Documenten</h2><ul>\(documents)</ul>
            <h2>Berichten</h2>
            \(excludeHint)
            <table><thead><tr><th scope="col">Nr.</th><th scope="col">Mailbox</th><th scope="col">Datum</th><th scope="col">Klasse</th>\
            <th scope="col">Regel</th><th scope="col">Stand</th><th scope="col"><span class="verborgen">Uitzonderen</span></th></tr></thead>
            <tbody>\(items)</tbody></table>
            \(Parts.pagination(path: "/vernietigingslijsten/\(l.id)", query: [], page: page,
                               pages: max(1, (s.items.count + itemsPerPage - 1) / itemsPerPage)))
            """)
    }

    /// `P7D` → `7 dagen`.
    static func duration(_ d: ISODuration) -> String {
        var parts: [String] = []
        if d.years > 0 { parts.append("\(d.years) jaar") }
        if d.months > 0 { parts.append("\(d.months) maand\(d.months == 1 ? "" : "en")") }
        if d.weeks > 0 { parts.append("\(d.weeks) week\(d.weeks == 1 ? "" : "en")") }
        if d.days > 0 { parts.append("\(d.days) dag\(d.days == 1 ? "" : "en")") }
        return parts.isEmpty ? d.iso : parts.joined(separator: " en ")
    }

    @Sendable static func exclude(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let s = try snapshot(ctx)
        guard let seq = Int64(req.form["item"] ?? ""), let item = s.items.first(where: { $0.seq == seq }) else {
            throw WebError.badRequest("list-item-unknown", explanation: "Het formulier noemt geen bericht van deze lijst.")
        }
        let reason = (req.form["reden"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw WebError.badRequest("list-exclusion-reason", explanation: "Geef een reden (hoogstens 500 tekens); die komt op de lijst.")
        }
        do {
            try DestructionLists(workspace: ctx.workspace).exclude(s.list.id, mailbox: item.mailbox, messageId: item.messageId, reason: reason,
                                                                  actor: ctx.actor)
        } catch {
            throw WebError(.conflict, reason: "list-exclusion-refused", title: "Uitzonderen is niet gelukt",
                           explanation: "Het archief weigerde het uitzonderen: \(error.description)")
        }
        return req.redirect(to: "/vernietigingslijsten/\(s.list.id)?gedaan=uitgezonderd")
    }

    @Sendable static func approve(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let s = try snapshot(ctx)
        let wanted = req.form["rol"] ?? ""
        guard let role = approverRole.first(where: { $0.value == wanted })?.key else {
            throw WebError.badRequest("approver-role-unknown", explanation: "Kies de rol waarin u goedkeurt.")
        }
        guard ctx.roles.contains(role) else {
            throw WebError(.forbidden, reason: "approver-role-not-held", title: "Niet in deze rol",
                           explanation: "U bent niet aangemeld met de rol \(role.displayName), dus u kunt niet in die rol goedkeuren.")
        }
        // Four eyes, compared by person id: said here in the pages' words; the archive refuses it in any case.
        if let same = s.approvals.first(where: { $0.personId == ctx.person.personId }) {
            throw WebError(.conflict, reason: "four-eyes", title: "Goedkeuring geweigerd: vier ogen",
                           explanation: "U hebt deze lijst al goedgekeurd als \(s.list.roleName(same.role)). De goedkeuring als "
                               + "\(s.list.roleName(wanted)) moet van een ander persoon komen (vier ogen).")
        }
        do {
            try DestructionLists(workspace: ctx.workspace).approve(s.list.id, role: wanted, actor: ctx.actor)
        } catch {
            throw WebError(.conflict, reason: "approval-refused", title: "Goedkeuring geweigerd",
                           explanation: "Het archief weigerde de goedkeuring: \(error.description)")
        }
        return req.redirect(to: "/vernietigingslijsten/\(s.list.id)?gedaan=goedgekeurd")
    }

    @Sendable static func reject(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let s = try snapshot(ctx)
        let reason = (req.form["reden"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw WebError.badRequest("list-rejection-reason", explanation: "Geef een reden voor het afwijzen (hoogstens 500 tekens).")
        }
        let role = ctx.roles.contains(.archivaris) && !ctx.roles.contains(.div) ? "archivist" : ctx.roles.contains(.div) ? "div" : nil
        do {
            try DestructionLists(workspace: ctx.workspace).reject(s.list.id, reason: reason, role: role, actor: ctx.actor)
        } catch {
            throw WebError(.conflict, reason: "list-rejection-refused", title: "Afwijzen is niet gelukt",
                           explanation: "Het archief weigerde het afwijzen: \(error.description)")
        }
        return req.redirect(to: "/vernietigingslijsten/\(s.list.id)?gedaan=afgewezen")
    }

    /// A document of the list (the list itself, its items, the verklaring), as a download.
    @Sendable static func document(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let s = try snapshot(ctx)
        let docs = ListDocuments.Names(listId: s.list.id)
        let verklaring = DestructionExecution.verklaringNames(s.list.id)
        let name = req.parameter("naam") ?? ""
        let types = [docs.html: "text/html", docs.csv: "text/csv", docs.json: "application/json", verklaring.html: "text/html",
                     verklaring.json: "application/json"]
        guard let type = types[name],
              let data = FileManager.default.contents(atPath: ctx.workspace.documentsDirectory.appendingPathComponent(name).path) else {
            throw WebError(.notFound, reason: "list-document-unknown", title: "Document niet gevonden",
                           explanation: "Deze lijst heeft geen document ‘\(name)’ (een verklaring is er pas na de vernietiging).")
        }
        var headers = HTTPFields()
        headers[.contentType] = type + "; charset=utf-8"
        headers[.contentDisposition] = MessagePage.contentDisposition(name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

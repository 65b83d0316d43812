// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import SluitsteenArchive

/// The auditor's pages: the hash-chained audit trail (by kind, newest first), the access log (every read of content and
/// every view of an opt-out page: who, in which role, which copy, on what ground, why) and the check of the chain.
/// What `sluitsteen audit show` and `audit verify` give, in the browser. Read only.
enum AuditPages {
    static let pageSize = 100

    static var group: RouteGroup {
        RouteGroup(name: "audit", routes: [
            .get("/audit", access: .only(.auditor), handler: trail),
            .get("/audit/toegang", access: .only(.auditor), handler: accessLog),
            .get("/audit/controle", access: .only(.auditor), handler: verify),
        ], navigation: [
            NavigationItem(title: "Audittrail", path: "/audit", summary: "Wie deed wat, wanneer, met welke uitkomst.", roles: [.auditor]),
            NavigationItem(title: "Toegangslogboek", path: "/audit/toegang", summary: "Wie las welke mail, in welke rol, waarom.",
                           roles: [.auditor]),
            NavigationItem(title: "Controle van de audittrail", path: "/audit/controle",
                           summary: "Is de keten van de audittrail ongeschonden?", roles: [.auditor]),
        ])
    }

    static func entries(_ ctx: ArchiveContext, kind: AuditKind?) throws(WebError) -> [AuditEntry] {
        do { return try ctx.workspace.catalog.read { db in try AuditTrail.entries(db, kind: kind) } } catch {
            throw ArchiveContext.unavailable("audit-unreadable", "De audittrail kan niet worden gelezen.")
        }
    }

    static func table(_ entries: ArraySlice<AuditEntry>, caption: String) -> HTML {
        let rows: [HTML] = entries.map { e in
            let objects = e.objectIds.split(separator: " ").joined(separator: ", ")
            return """
                <tr><td>\(e.seq)</td><td>\(DutchText.timestamp(e.at))\(e.clock.map { $0 == "replayed" ? " (gesimuleerde klok)" : "" } ?? "")</td>\
                <td>\(e.kind)</td><td>\(e.actor)</td><td>\(e.command)</td><td>\(objects)</td><td>\(e.outcome)</td></tr>
                """
        }
        return """
            <table class="audit"><caption>\(caption)</caption>
            <thead><tr><th scope="col">Nr.</th><th scope="col">Wanneer</th><th scope="col">Soort</th><th scope="col">Wie</th>\
            <th scope="col">Handeling</th><th scope="col">Betreft</th><th scope="col">Uitkomst</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    @Sendable static func trail(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let text = req.query("soort") ?? ""
        var kind: AuditKind?
        if !text.isEmpty {
            guard let k = AuditKind(rawValue: text) else {
                throw WebError.badRequest("audit-kind-unknown", explanation: "Er is geen soort ‘\(text)’ in de audittrail.")
            }
            kind = k
        }
        let all = try entries(ctx, kind: kind).reversed()
        let page = Parts.pageNumber(req.query("pagina"))
        let shown = Array(all).dropFirst((page - 1) * pageSize).prefix(pageSize)
        let kinds = Parts.options([("", "Alle soorten")] + AuditKind.allCases.map { ($0.rawValue, $0.rawValue) }, selected: text)
        return ctx.page(title: "Audittrail", body: """
            \(Parts.demoBanner(ctx))
            <p>Elke wijziging in het archief, en elke aanmelding en elk lezen van inhoud, staat in de audittrail; elke regel is met \
            de vorige verbonden door haar SHA-256 (<a href="/audit/controle">controle van de keten</a>).</p>
            <form method="get" action="/audit"><label for="soort">Soort</label><select id="soort" name="soort">\(kinds)</select> \
            <button type="submit">Tonen</button></form>
            <p role="status">\(DutchText.count(all.count)) regels.</p>
            \(table(shown, caption: "De audittrail, nieuwste eerst"))
            \(Parts.pagination(path: "/audit", query: text.isEmpty ? [] : [("soort", text)], page: page,
                               pages: max(1, (all.count + pageSize - 1) / pageSize)))
            """)
    }

    @Sendable static func accessLog(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let all = try entries(ctx, kind: .access).reversed()
        let page = Parts.pageNumber(req.query("pagina"))
        let shown = Array(all).dropFirst((page - 1) * pageSize).prefix(pageSize)
        return ctx.page(title: "Toegangslogboek", body: """
            \(Parts.demoBanner(ctx))
            <p>Elk lezen van de inhoud van een bericht, elke gedownloade bijlage en elke keer dat iemand de eigen opt-outpagina \
            bekeek: wie, in welke rol, welke kopie, op welke grond en met welke reden. (In de opdrachtregel: \
            <code>sluitsteen audit show --kind access</code>.)</p>
            <p role="status">\(DutchText.count(all.count)) regels.</p>
            \(table(shown, caption: "Het toegangslogboek, nieuwste eerst"))
            \(Parts.pagination(path: "/audit/toegang", query: [], page: page, pages: max(1, (all.count + pageSize - 1) / pageSize)))
            """)
    }

    @Sendable static func verify(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let check: AuditCheck
        do { check = try ctx.workspace.catalog.read { db in try AuditTrail.verify(db) } } catch {
            throw ArchiveContext.unavailable("audit-unreadable", "De audittrail kan niet worden gelezen.")
        }
        let outcome: HTML
        if let broken = check.firstBreak {
            outcome = """
                <p class="melding" role="alert"><strong>De keten is gebroken bij regel \(broken.seq):</strong> \(broken.reason). \
                Meld dit aan de beheerder en de archivaris.</p>
                """
        } else {
            outcome = "<p role=\"status\"><strong>De keten is ongeschonden:</strong> \(DutchText.count(check.checked)) regels gecontroleerd.</p>"
        }
        let findings: [HTML] = check.timeFindings.map { "<li>\($0.description)</li>" }
        let time: HTML = findings.isEmpty ? HTML.empty : "<h2>Tijden die teruglopen</h2><ul>\(findings)</ul>"
        let replayed: HTML = check.replayedEntries > 0
            ? "<p>\(DutchText.count(check.replayedEntries)) regels zijn gemaakt met een gesimuleerde klok (demo- of testarchief).</p>" : HTML.empty
        return ctx.page(title: "Controle van de audittrail", body: "\(Parts.demoBanner(ctx))\(outcome)\(replayed)\(time)")
    }
}

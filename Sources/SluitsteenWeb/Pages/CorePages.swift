// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import HTTPTypes
import Hummingbird

/// `/` (who you are and what you may use), `/healthz` and the stylesheet.
enum CorePages {
    static var group: RouteGroup {
        RouteGroup(name: "start", routes: [
            .get("/", access: .signedIn, handler: home),
            .get("/healthz", access: .anyone, handler: health),
            .get(Layout.stylesheetPath, access: .anyone, handler: stylesheet),
            .get(Layout.iconPath, access: .anyone, handler: icon),
        ])
    }

    @Sendable static func home(_ req: WebRequest) async throws -> Response {
        guard let person = req.person else { throw WebError(.unauthorized, reason: "sign-in-required") }
        let roles: HTML = person.roles.isEmpty
            ? "<p>U hebt nog geen rol in het mailarchief. Neem contact op met DIV als u toegang nodig hebt.</p>"
            : "<ul class=\"rollen\">\(person.roles.sorted().map { role -> HTML in "<li>\(role.displayName)</li>" })</ul>"
        let items = req.services.navigation.filter { !$0.roles.isDisjoint(with: person.roles) }
        let links: HTML = items.isEmpty ? "<p>Er zijn (nog) geen onderdelen voor uw rollen.</p>" : """
            <ul class="onderdelen">\(items.map { item -> HTML in
                let coming: HTML = req.services.routes.hasPage(item.path) ? HTML.empty : " <span class=\"volgt\">(volgt)</span>"
                return "<li><a href=\"\(item.path)\">\(item.title)</a>\(coming)<br>\(item.summary)</li>"
            })</ul>
            """
        return req.page(title: "Welkom, \(person.name)", body: """
            <h2>Wie u bent</h2>
            <dl class="gegevens">
            <dt>Naam</dt><dd>\(person.name)</dd>
            <dt>Personeelsnummer</dt><dd>\(person.personId)</dd>
            <dt>Aangemeld</dt><dd>\(Self.dutchTime(person.signedInAt))</dd>
            <dt>Sessie geldig tot</dt><dd>\(Self.dutchTime(person.expiresAt))</dd>
            </dl>
            <h2>Uw rollen</h2>
            \(roles)
            <h2>Wat u kunt gebruiken</h2>
            \(links)
            """)
    }

    /// `ok` when the catalog can be read; 503 otherwise.
    @Sendable static func health(_ req: WebRequest) async throws -> Response {
        let healthy = (try? req.services.workspace.catalog.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: healthy ? .ok : .serviceUnavailable, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: healthy ? "ok\n" : "catalogus niet leesbaar\n")))
    }

    @Sendable static func stylesheet(_ req: WebRequest) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
    }

    @Sendable static func icon(_ req: WebRequest) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Icon.svg)))
    }

    /// `4 december 2026 om 14:05` in Amsterdam time.
    static func dutchTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "nl_NL")
        f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        f.dateFormat = "d MMMM yyyy 'om' HH:mm"
        return f.string(from: date)
    }
}

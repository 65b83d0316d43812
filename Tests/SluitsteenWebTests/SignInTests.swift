// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenWeb
import Testing

/// A route only DIV may use, to test the authorisation seam the pages will use.
let divOnly = RouteGroup(name: "proef", routes: [
    .get("/proef/alleen-div", access: .only(.div)) { req in req.page(title: "Alleen DIV", body: "<p>DIV-pagina</p>") },
    .post("/proef/wijzig", access: .signedIn) { req in req.page(title: "Gewijzigd", body: "<p>\(req.form["waarde"])</p>") },
    .get("/proef/bericht/:id", access: .signedIn) { req in
        guard req.parameter("id") == "1" else { throw WebError.notFound("no-such-message") }
        return req.page(title: "Bericht 1", body: "<p>Bericht</p>")
    },
    .get("/proef/fout", access: .signedIn) { _ in
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: "/geheim/pad/catalog.sqlite"])
    },
])

/// Sign-in through a real OpenID provider on loopback, over real HTTP, against a demo workspace.
@Suite("Sign-in, sessions and the security seams", .serialized)
struct SignInTests {
    @Test("A full sign-in: provider login page, callback, session; roles from the mapping; audited; sign-out ends it")
    func fullSignIn() async throws {
        let service = try await TestService.start(routeGroups: [divOnly])
        defer { service.stop() }
        let browser = TestBrowser()
        let signIn = SignIn(service: service, browser: browser)

        let callback = try await signIn.run(as: "ellen")
        #expect(callback.status == 303)
        #expect(callback.location == "/")
        let home = try await browser.get(service.base + "/")
        #expect(home.status == 200)
        #expect(home.body.contains("Ellen Visser"))
        #expect(home.body.contains("P0007"))
        #expect(home.body.contains("<li>Medewerker</li>"))
        #expect(home.body.contains("<li>Teammanager</li>"))
        #expect(!home.body.contains("<li>DIV</li>"))
        #expect(home.body.contains("href=\"/zoeken\""), "the start page links to what a team manager may use")
        #expect(!home.body.contains("href=\"/registers\""), "and not to what only DIV may use")
        #expect(home.body.contains("lang=\"nl\""))
        #expect(home.body.contains("href=\"#inhoud\""), "skip link")

        let signIns = try service.audit(.signIn)
        #expect(signIns.count == 1)
        #expect(signIns.first?.actor.hasPrefix("P0007 Ellen Visser") == true)
        #expect(signIns.first?.outcome.contains("roles: medewerker, teammanager") == true)
        #expect(service.events.events("sign-in").first?["person"] == "P0007")

        // Sign-out is a POST with the session's CSRF token (taken from the page's form).
        let token = try #require(Self.csrfToken(in: home.body))
        let out = try await browser.post(service.base + "/logout", form: ["csrf": token])
        #expect(out.status == 200)
        #expect(out.body.contains("U bent afgemeld"))
        let after = try await browser.get(service.base + "/")
        #expect(after.status == 303)
        #expect(after.location?.hasPrefix("/login") == true)
        #expect(try service.audit(.signOut).first?.actor.hasPrefix("P0007") == true)
        let check = try service.workspace.catalog.read { db in try AuditTrail.verify(db) }
        #expect(check.firstBreak == nil)
    }

    @Test("Staff without a personal mailbox sign in through [identity.people]; a route for DIV lets DIV in and refuses others (403, logged)")
    func roleRoute() async throws {
        let service = try await TestService.start(routeGroups: [divOnly])
        defer { service.stop() }
        let dora = TestBrowser()
        try await SignIn(service: service, browser: dora).run(as: "dora")
        let allowed = try await dora.get(service.base + "/proef/alleen-div")
        #expect(allowed.status == 200)
        #expect(allowed.body.contains("Dora de Wit"))

        let johan = TestBrowser()
        try await SignIn(service: service, browser: johan).run(as: "johan")
        let refused = try await johan.get(service.base + "/proef/alleen-div")
        #expect(refused.status == 403)
        #expect(refused.body.contains("Geen toegang"))
        #expect(refused.body.contains("Foutcode 403"))
        let logged = service.events.events("request-refused").filter { $0["path"] == "/proef/alleen-div" }
        #expect(logged.count == 1)
        #expect(logged.first?["person"] == "P0003")
        #expect(logged.first?["status"] == "403")
    }

    @Test("A person who matches no one in the registers, or who left service, gets a 403 page; both audited")
    func unknownAndLeft() async throws {
        let service = try await TestService.start()
        defer { service.stop() }
        let unknown = try await SignIn(service: service, browser: TestBrowser()).run(as: "onbekend")
        #expect(unknown.status == 403)
        #expect(unknown.body.contains("personeelsregister"))
        let left = try await SignIn(service: service, browser: TestBrowser()).run(as: "sanne")
        #expect(left.status == 403)
        #expect(left.body.contains("niet meer in dienst"))
        let entries = try service.audit(.signIn)
        #expect(entries.map(\.outcome).contains { $0.hasPrefix("refused: person-unknown") && $0.contains("onbekend@krimpenerwaard.example") })
        #expect(entries.contains { $0.outcome == "refused: person-left-service" && $0.actor.hasPrefix("P0004 Sanne Bakker") })
        #expect(service.events.events("sign-in-refused").map { $0["reason"] } == ["person-unknown", "person-left-service"])
    }

    @Test("Wrong ID tokens are refused with a Dutch page and a 4xx, logged and audited",
          arguments: [("verlopen", "id-token-expired"), ("vervalst", "id-token-signature-invalid"),
                      ("anderpubliek", "id-token-wrong-audience"), ("andernonce", "id-token-nonce-mismatch"),
                      ("andereuitgever", "id-token-wrong-issuer")])
    func wrongTokens(user: String, reason: String) async throws {
        let service = try await TestService.start()
        defer { service.stop() }
        let browser = TestBrowser()
        let reply = try await SignIn(service: service, browser: browser).run(as: user)
        #expect(reply.status == 401)
        #expect(reply.body.contains("Uw aanmelding kon niet worden gecontroleerd"))
        #expect(reply.body.contains("lang=\"nl\""))
        #expect(service.events.events("sign-in-refused").map { $0["reason"] } == [reason])
        #expect(try service.audit(.signIn).map(\.outcome) == ["refused: \(reason)"])
        // Not signed in: the start page still sends to the sign-in.
        #expect(try await browser.get(service.base + "/").status == 303)
        // No log line holds a token, a code or the secret.
        let log = service.events.all.map { "\($0)" }.joined(separator: "\n")
        #expect(!log.contains("eyJ"))
        #expect(!log.contains("demo-client-secret"))
    }

    @Test("A state is used once: a replayed callback, a callback in another browser and one without state are refused (400)")
    func stateReplay() async throws {
        let service = try await TestService.start()
        defer { service.stop() }
        let browser = TestBrowser()
        let signIn = SignIn(service: service, browser: browser)
        let callback = try await signIn.authorize(try await signIn.start(), as: "johan")
        #expect(try await browser.get(callback).status == 303)
        let replay = try await browser.get(callback)
        #expect(replay.status == 400)
        #expect(replay.body.contains("al gebruikt"))

        // A second browser starts a sign-in; a third presents its callback (a stolen or planted link).
        let second = TestBrowser()
        let secondSignIn = SignIn(service: service, browser: second)
        let other = try await secondSignIn.authorize(try await secondSignIn.start(), as: "johan")
        let thief = TestBrowser()
        let stolen = try await thief.get(other)
        #expect(stolen.status == 400)
        #expect(stolen.body.contains("andere browser"))
        #expect(try await second.get(other).status == 400, "the state was spent by the refused attempt")

        #expect(try await browser.get(service.base + "/auth/callback?code=x").status == 400)
        #expect(service.events.events("sign-in-refused").map { $0["reason"] }
            == ["state-unknown-or-reused", "state-from-other-browser", "state-unknown-or-reused", "state-missing"])
    }

    @Test("CSRF: a POST without the token, with a wrong one, or from another origin is refused (403, logged); with it, it runs")
    func csrf() async throws {
        let service = try await TestService.start(routeGroups: [divOnly])
        defer { service.stop() }
        let browser = TestBrowser()
        try await SignIn(service: service, browser: browser).run(as: "johan")
        let home = try await browser.get(service.base + "/")
        let token = try #require(Self.csrfToken(in: home.body))

        let missing = try await browser.post(service.base + "/proef/wijzig", form: ["waarde": "a"])
        #expect(missing.status == 403)
        #expect(missing.body.contains("formulier"))
        let wrong = try await browser.post(service.base + "/proef/wijzig", form: ["waarde": "a", "csrf": token + "x"])
        #expect(wrong.status == 403)
        let foreign = try await browser.post(service.base + "/proef/wijzig", form: ["waarde": "a", "csrf": token],
                                             origin: "http://evil.example")
        #expect(foreign.status == 403)
        let anonymous = TestBrowser()
        #expect(try await anonymous.post(service.base + "/proef/wijzig", form: ["csrf": token]).status == 401)
        let ok = try await browser.post(service.base + "/proef/wijzig", form: ["waarde": "<b>hallo</b>", "csrf": token],
                                        origin: service.base)
        #expect(ok.status == 200)
        #expect(ok.body.contains("&lt;b&gt;hallo&lt;/b&gt;"), "form values are escaped on the page")
        let reasons = service.events.events("request-refused").compactMap { $0["reason"] }
        #expect(reasons.contains("csrf-token-missing"))
        #expect(reasons.contains("csrf-token-wrong"))
        #expect(reasons.contains("csrf-origin-mismatch"))
        // Still signed in: the refused forms did nothing.
        #expect(try await browser.get(service.base + "/").status == 200)
    }

    @Test("Every response carries the CSP and security headers; every cookie is HttpOnly and SameSite=Lax (no Secure on http)")
    func headersOnEveryResponse() async throws {
        let service = try await TestService.start(routeGroups: [divOnly])
        defer { service.stop() }
        let browser = TestBrowser()
        try await SignIn(service: service, browser: browser).run(as: "johan")
        for path in ["/", "/healthz", "/static/sluitsteen.css", "/niet/bestaand", "/proef/alleen-div", "/logout", "/login"] {
            _ = try await browser.get(service.base + path)
        }
        _ = try await browser.send("DELETE", service.base + "/", body: nil)
        let ours = browser.replies.filter { $0.url.hasPrefix(service.base) }
        #expect(ours.count >= 10)
        var cookies = 0
        for reply in ours {
            let csp = reply.header("Content-Security-Policy") ?? ""
            #expect(csp.contains("default-src 'none'"), "\(reply.url)")
            #expect(csp.contains("frame-ancestors 'none'"), "\(reply.url)")
            #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(reply.url)")
            #expect(reply.header("Referrer-Policy") == "same-origin", "\(reply.url)")
            for cookie in reply.setCookies {
                cookies += 1
                #expect(cookie.contains("HttpOnly"), "\(cookie)")
                #expect(cookie.contains("SameSite=Lax"), "\(cookie)")
                #expect(!cookie.contains("Secure"), "\(cookie)")
            }
        }
        #expect(cookies >= 2, "the sign-in set cookies")
        let notFound = try #require(ours.first { $0.url.hasSuffix("/niet/bestaand") })
        #expect(notFound.status == 404)
        #expect(notFound.body.contains("Pagina niet gevonden"))
        let wrongMethod = try #require(ours.first { $0.url == service.base + "/" && $0.status == 405 })
        #expect(wrongMethod.header("Allow") == "GET")
        #expect(service.events.events("request-refused").contains { $0["path"] == "/niet/bestaand" && $0["status"] == "404" })
        #expect(try await browser.get(service.base + "/healthz").body == "ok\n")
    }

    @Test("With an https public URL, cookies are Secure with the __Host- prefix, and HSTS is sent")
    func secureCookies() async throws {
        let service = try await TestService.start(https: true)
        defer { service.stop() }
        let browser = TestBrowser()
        let reply = try await SignIn(service: service, browser: browser).run(as: "johan")
        #expect(reply.status == 303)
        let cookies = browser.replies.filter { $0.url.hasPrefix(service.base) }.flatMap(\.setCookies)
        #expect(!cookies.isEmpty)
        for cookie in cookies {
            #expect(cookie.hasPrefix("__Host-sluitsteen="), "\(cookie)")
            #expect(cookie.contains("Secure"), "\(cookie)")
            #expect(cookie.contains("HttpOnly"), "\(cookie)")
            #expect(cookie.contains("SameSite=Lax"), "\(cookie)")
        }
        #expect(reply.header("Strict-Transport-Security") != nil)
        #expect(try await browser.get(service.base + "/").status == 200)
    }

    @Test("The server ends a session when its lifetime is over, whatever the browser sends (audited as expired)")
    func sessionExpiry() async throws {
        let service = try await TestService.start()
        defer { service.stop() }
        let browser = TestBrowser()
        try await SignIn(service: service, browser: browser).run(as: "johan")
        #expect(try await browser.get(service.base + "/").status == 200)
        service.clock.advance(by: 8 * 3600 + 1)
        let expired = try await browser.get(service.base + "/")
        #expect(expired.status == 303)
        #expect(expired.location == "/login?terug=%2F")
        #expect(service.events.events("session-expired").first?["person"] == "P0003")
        #expect(try service.audit(.signOut).map(\.outcome) == ["session expired"])
    }

    @Test("Signing in from a deep link returns there; a return path to another host is not followed")
    func returnPath() async throws {
        let service = try await TestService.start(routeGroups: [divOnly])
        defer { service.stop() }
        let browser = TestBrowser()
        let first = try await browser.get(service.base + "/proef/alleen-div")
        #expect(first.location == "/login?terug=%2Fproef%2Falleen-div")
        let signIn = SignIn(service: service, browser: browser)
        let back = try await browser.get(try await signIn.authorize(try await signIn.start(path: first.location!), as: "dora"))
        #expect(back.location == "/proef/alleen-div")
        let other = TestBrowser()
        let signIn2 = SignIn(service: service, browser: other)
        let away = try await other.get(try await signIn2.authorize(try await signIn2.start(path: "/login?terug=//evil.example/"), as: "dora"))
        #expect(away.location == "/")
    }

    @Test("A handler's refusal gives its page (404 for an unknown id); an unexpected error a 500 page without details; both logged")
    func handlerErrors() async throws {
        let service = try await TestService.start(routeGroups: [divOnly])
        defer { service.stop() }
        let browser = TestBrowser()
        try await SignIn(service: service, browser: browser).run(as: "johan")
        #expect(try await browser.get(service.base + "/proef/bericht/1").status == 200)
        let unknown = try await browser.get(service.base + "/proef/bericht/2")
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("Pagina niet gevonden"))
        let failed = try await browser.get(service.base + "/proef/fout")
        #expect(failed.status == 500)
        #expect(failed.body.contains("Er ging iets mis"))
        #expect(!failed.body.contains("geheim") && !failed.body.contains("CocoaError") && !failed.body.contains(".swift"))
        #expect(failed.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(service.events.events("request-refused").contains { $0["reason"] == "no-such-message" && $0["status"] == "404" })
        #expect(service.events.events("server-error").contains { $0["path"] == "/proef/fout" && $0["status"] == "500" })
    }

    static func csrfToken(in html: String) -> String? {
        guard let r = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return html[r.upperBound...].split(separator: "\"").first.map(String.init)
    }
}

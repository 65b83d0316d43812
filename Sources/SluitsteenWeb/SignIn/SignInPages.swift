// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// `/login`, `/auth/callback` and `/logout`: signing in through the OpenID provider and out again.
struct SignInPages: Sendable {
    let provider: OpenIDProvider
    let attempts: LoginAttempts
    let matcher: PersonMatcher

    /// How long a browser that started a sign-in keeps its pre-sign-in session.
    static let pendingLifetime: Duration = .seconds(600)

    var group: RouteGroup {
        RouteGroup(name: "aanmelden", routes: [
            .get("/login", access: .anyone, handler: login),
            .get("/auth/callback", access: .anyone, handler: callback),
            .get("/logout", access: .anyone, handler: logoutPage),
            .post("/logout", access: .signedIn, handler: logout),
        ])
    }

    /// Starts a sign-in: a new state, nonce and PKCE verifier, remembered for this browser; off to the provider.
    @Sendable func login(_ req: WebRequest) async throws -> Response {
        if req.person != nil { return req.redirect(to: "/") }
        let attempt = LoginAttempt(returnPath: Self.localPath(req.query("terug")), now: req.services.now())
        let url: String
        do { url = try await provider.authorizationURL(for: attempt) } catch {
            req.services.events.record("sign-in-unavailable", ["reason": error.reason])
            return Layout.errorPage(status: error.status, title: error.title, explanation: error.explanation)
        }
        await attempts.add(attempt)
        let sessions = req.context.sessions
        if var session = sessions.session {
            session.loginState = attempt.state
            _ = sessions.updateSession(session, expiresIn: nil)
        } else {
            sessions.createSession(WebSession(loginState: attempt.state), expiresIn: Self.pendingLifetime)
        }
        return Gatekeeper.redirect(to: url)
    }

    /// The provider's answer: checks state (once only, this browser's), exchanges the code, verifies the ID token,
    /// matches the person, and starts a new session.
    @Sendable func callback(_ req: WebRequest) async throws -> Response {
        let services = req.services
        let now = services.now()
        guard let state = req.query("state"), !state.isEmpty else { return refuse(req, .stateMissing) }
        guard let attempt = await attempts.take(state, now: now) else { return refuse(req, .stateUnknown) }
        guard let session = req.context.sessions.session, let expected = session.loginState, constantTimeEquals(expected, state) else {
            return refuse(req, .stateFromOtherBrowser)
        }
        if let error = req.query("error") { return refuse(req, .providerError(String(error.prefix(60)))) }
        guard let code = req.query("code"), !code.isEmpty else { return refuse(req, .missingClaim("code")) }

        let claims: IDTokenClaims
        do { claims = try await provider.completeSignIn(code: code, attempt: attempt, now: now) } catch { return refuse(req, error) }

        let registers: Registers?
        do { registers = try RetentionStore(workspace: services.workspace).registers() } catch {
            services.events.record("server-error", ["path": "/auth/callback", "reason": "registers-unreadable"])
            throw WebError(.serviceUnavailable, reason: "registers-unreadable")
        }
        let today = AmsterdamTime.date(of: Instant(services.workspace.clock.now()))
        let person: Person
        do { person = try matcher.person(for: claims, in: registers, today: today) } catch {
            var actor: Actor?
            if case .leftService(let id) = error, let p = registers?.people.first(where: { $0.id == id }) {
                actor = Actor(personId: p.id, name: p.name)
            }
            return refuse(req, error, actor: actor)
        }
        let roleValues = claims.claims[services.configuration.rolesClaim]?.texts ?? []
        let signedIn = SignedInPerson(
            personId: person.id, name: person.name.isEmpty ? person.id : person.name,
            roles: Set(services.configuration.roles(forClaimValues: roleValues)), signedInAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(services.configuration.sessionLifetime.components.seconds)))
        do { try services.audit.signedIn(signedIn, issuer: services.configuration.issuer) } catch {
            services.events.record("audit-failed", ["person": person.id, "what": "sign-in"])
            throw WebError(.serviceUnavailable, reason: "audit-unwritable", title: "Aanmelden kan nu niet",
                           explanation: "Uw aanmelding kon niet in de audittrail worden vastgelegd, en zonder vastlegging kunt u niet "
                               + "worden aangemeld. Probeer het over enkele minuten opnieuw.")
        }
        // A new session id for the signed-in session (the pre-sign-in one is removed): no session fixation.
        _ = try? await services.sessionStorage.delete(request: req.request)
        req.context.sessions.createSession(WebSession(person: signedIn), expiresIn: services.configuration.sessionLifetime)
        services.events.record("sign-in", ["person": signedIn.personId,
                                           "roles": signedIn.roles.sorted().map(\.rawValue).joined(separator: ",")])
        return Gatekeeper.redirect(to: attempt.returnPath)
    }

    /// GET /logout: the sign-out button (signing out changes state, so it is a form with the CSRF token).
    @Sendable func logoutPage(_ req: WebRequest) async throws -> Response {
        guard req.person != nil, let token = req.csrfToken else {
            return req.page(title: "U bent niet aangemeld", body: "<p><a href=\"/login\">Aanmelden</a></p>")
        }
        return req.page(title: "Afmelden", body: """
            <p>Wilt u zich afmelden bij het mailarchief?</p>
            <form method="post" action="/logout">\(Layout.csrfField(token))<button type="submit">Afmelden</button></form>
            """)
    }

    /// POST /logout: ends the session (server-side; the cookie is expired too).
    @Sendable func logout(_ req: WebRequest) async throws -> Response {
        guard let person = req.person else { throw WebError(.unauthorized, reason: "sign-in-required") }
        do { try req.services.audit.signedOut(person) } catch {
            req.services.events.record("audit-failed", ["person": person.personId, "what": "sign-out"])
        }
        req.context.sessions.clearSession()
        req.services.events.record("sign-out", ["person": person.personId])
        return Layout.response(Layout.page(title: "U bent afgemeld", body: """
            <p>U bent afgemeld bij het mailarchief. Sluit de browser als u een gedeelde computer gebruikt; bij de aanmeldservice \
            van de gemeente kunt u nog aangemeld zijn.</p>
            <p><a href="/login">Opnieuw aanmelden</a></p>
            """, person: nil, csrfToken: nil))
    }

    /// Records a refused sign-in (log and audit trail) and answers with its page.
    private func refuse(_ req: WebRequest, _ refusal: SignInRefusal, actor: Actor? = nil) -> Response {
        var fields = ["reason": refusal.reason, "status": String(refusal.status.code)]
        if let id = actor?.personId { fields["person"] = id }
        req.services.events.record("sign-in-refused", fields)
        do { try req.services.audit.refused(refusal, person: actor) } catch {
            req.services.events.record("audit-failed", ["what": "sign-in-refused"])
        }
        return Layout.errorPage(status: refusal.status, title: refusal.title, explanation: refusal.explanation)
    }

    /// A path on this service to return to after signing in: `/…` but not `//…` (another host), else `/`.
    static func localPath(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"), value.count <= 2000,
              !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return "/" }
        return value
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird
import SluitsteenArchive

/// The headers every response carries, error pages included: a strict Content-Security-Policy (nothing may load but the
/// service's own stylesheet and images, no script at all, forms post only to the service, and no page may be framed),
/// and the headers that stop sniffing, referrers to other sites and caching. With an https public URL, HSTS too.
///
/// A handler may give a response its own policy, only ever one of the two below: ``framingPagePolicy`` for the page
/// that shows a mail's HTML part in a sandboxed frame, ``sandboxedMailPolicy`` for that frame's content.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = WebRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// The message page: the default, and frames from the service itself (the sandboxed HTML part).
    static let framingPagePolicy = contentSecurityPolicy + "; frame-src 'self'"
    /// The HTML part of a mail (already made inert by the sanitizer): a sandbox without scripts, nothing may load but
    /// the inline style of the frame's own wrapper, no form goes anywhere, and only the service's own pages may frame it.
    static let sandboxedMailPolicy =
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'"
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    let strictTransport: Bool
    let events: EventLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ErrorPages answers every error; this is the last resort, so that no response goes out without the headers.
            events.record("server-error", ["path": request.uri.path, "error": String(describing: type(of: error))])
            response = Layout.errorPage(status: .internalServerError)
        }
        // Only the two policies this service defines may replace the default; anything else gets the default.
        let given = response.headers[.contentSecurityPolicy]
        if given == Self.sandboxedMailPolicy {
            response.headers[Self.frameOptions] = "SAMEORIGIN"
        } else {
            if given != Self.framingPagePolicy { response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy }
            response.headers[Self.frameOptions] = "DENY"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // Not `no-referrer`: under it a browser sends `Origin: null` with a form, and the CSRF check refuses every form.
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if strictTransport { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

/// An error a page handler throws to refuse a request with a clear page: the status, and what to tell the person.
/// The reason (a short code, no personal data) goes to the log.
public struct WebError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let title: String?
    public let explanation: String?
    public let reason: String

    public init(_ status: HTTPResponse.Status, reason: String, title: String? = nil, explanation: String? = nil) {
        self.status = status
        self.reason = reason
        self.title = title
        self.explanation = explanation
    }

    /// An unknown id in the path or form: 404.
    public static func notFound(_ reason: String) -> WebError { WebError(.notFound, reason: reason) }
    /// A form or query that cannot be used: 400, with what is wrong.
    public static func badRequest(_ reason: String, explanation: String) -> WebError {
        WebError(.badRequest, reason: reason, explanation: explanation)
    }
    /// Allowed by role, but not for this object (e.g. another person's mailbox): 403.
    public static func forbidden(_ reason: String, explanation: String? = nil) -> WebError {
        WebError(.forbidden, reason: reason, explanation: explanation)
    }
}

/// Turns every error a handler throws into a Dutch error page (never a stack trace) and logs it.
struct ErrorPages: RouterMiddleware {
    typealias Context = WebRequestContext
    let events: EventLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            events.record("request-refused", fields(request, context, status: error.status, reason: error.reason))
            return page(error.status, context, title: error.title, explanation: error.explanation)
        } catch let error as any HTTPResponseError {
            let status = error.status
            events.record(status.code >= 500 ? "server-error" : "request-refused",
                          fields(request, context, status: status, reason: "http-error"))
            return page(status, context)
        } catch {
            events.record("server-error", fields(request, context, status: .internalServerError,
                                                 reason: "\(type(of: error)): \(String(describing: error))"))
            return page(.internalServerError, context)
        }
    }

    private func page(_ status: HTTPResponse.Status, _ context: Context, title: String? = nil, explanation: String? = nil) -> Response {
        let session = context.sessions.session
        return Layout.errorPage(status: status, title: title, explanation: explanation, person: session?.person,
                                csrfToken: session?.person == nil ? nil : session?.csrfToken)
    }

    private func fields(_ request: Request, _ context: Context, status: HTTPResponse.Status, reason: String) -> [String: String] {
        var f = ["method": request.method.rawValue, "path": request.uri.path, "status": String(status.code), "reason": reason]
        if let id = context.sessions.session?.person?.personId { f["person"] = id }
        return f
    }
}

/// The CSRF check of state-changing requests: the form must carry the session's token in the field ``fieldName``,
/// and a browser's `Origin` (when sent) must be the service's own.
public enum CSRF {
    /// The form field that carries the token.
    public static let fieldName = "csrf"
    /// Largest form accepted.
    public static let maximumFormBytes = 1 << 20

    /// Parses an `application/x-www-form-urlencoded` body (the last value of a repeated field wins).
    public static func parseForm(_ body: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            out[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }
}

/// The gatekeeper: every request passes here before any handler. It finds the route (404 and 405 otherwise), ends
/// expired sessions, asks ``RouteTable/decide(_:person:)`` whether the signed-in person may use the route (a sign-in
/// redirect, 401 or 403 otherwise), and checks the CSRF token of every state-changing request. Every refusal is logged.
struct Gatekeeper: RouterMiddleware {
    typealias Context = WebRequestContext
    let services: WebServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let path = request.uri.path
        var session = context.sessions.session
        if let person = session?.person, person.expiresAt <= services.now() {
            services.events.record("session-expired", ["person": person.personId, "path": path])
            do { try services.audit.signedOut(person, expired: true) } catch {
                services.events.record("audit-failed", ["person": person.personId, "what": "session-expired"])
            }
            context.sessions.clearSession()
            session = nil
        }
        context.person = session?.person
        context.csrfToken = session?.csrfToken

        let route: WebRoute
        switch services.routes.match(method: request.method, path: path) {
        case .notFound:
            return refuse(request, context, .notFound, reason: "no-such-route")
        case .methodNotAllowed(let methods):
            var response = refuse(request, context, .methodNotAllowed, reason: "method-not-allowed")
            response.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
            return response
        case .route(let r, let parameters):
            route = r
            context.parameters = parameters
        }

        switch RouteTable.decide(route.access, person: context.person) {
        case .allow: break
        case .signInRequired:
            if request.method == .get || request.method == .head {
                services.events.record("request-refused", ["method": request.method.rawValue, "path": path, "status": "303",
                                                           "reason": "sign-in-required"])
                let target = path + (request.uri.query.map { "?\($0)" } ?? "")
                return Self.redirect(to: "/login?terug=" + OpenIDProvider.formEncode(target))
            }
            return refuse(request, context, .unauthorized, reason: "sign-in-required")
        case .forbidden:
            return refuse(request, context, .forbidden, reason: "role-not-allowed:\(route.access)")
        }

        if !Self.isSafe(request.method) {
            if let origin = request.headers[.origin], origin != services.configuration.publicOrigin {
                return refuse(request, context, .forbidden, reason: "csrf-origin-mismatch", explanation: Self.forgedFormText)
            }
            let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard type == "application/x-www-form-urlencoded" else {
                return refuse(request, context, .badRequest, reason: "form-content-type",
                              explanation: "Dit formulier werd niet als gewoon formulier verstuurd. Ga terug en probeer het opnieuw.")
            }
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: CSRF.maximumFormBytes) } catch {
                return refuse(request, context, .contentTooLarge, reason: "form-too-large")
            }
            let form = CSRF.parseForm(String(buffer: body))
            guard let expected = session?.csrfToken, let given = form[CSRF.fieldName] else {
                return refuse(request, context, .forbidden, reason: "csrf-token-missing", explanation: Self.forgedFormText)
            }
            guard constantTimeEquals(given, expected) else {
                return refuse(request, context, .forbidden, reason: "csrf-token-wrong", explanation: Self.forgedFormText)
            }
            context.form = form
        }
        return try await next(request, context)
    }

    static let forgedFormText = "Dit formulier is verlopen of kwam niet van deze pagina, en is daarom niet uitgevoerd. Ga terug naar de "
        + "pagina, laad haar opnieuw en probeer het nog eens."

    static func isSafe(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head || method == .options }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    private func refuse(_ request: Request, _ context: Context, _ status: HTTPResponse.Status, reason: String,
                        explanation: String? = nil) -> Response {
        var fields = ["method": request.method.rawValue, "path": request.uri.path, "status": String(status.code), "reason": reason]
        if let id = context.person?.personId { fields["person"] = id }
        services.events.record("request-refused", fields)
        return Layout.errorPage(status: status, explanation: explanation, person: context.person,
                                csrfToken: context.person == nil ? nil : context.csrfToken)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import SluitsteenArchive

/// Options of the web service that tests (and only rarely a deployment) change.
public struct WebOptions: Sendable {
    /// Where security events go (default: standard error, one JSON line each).
    public var events: EventLog
    /// "Now" for sessions and ID tokens (default: the system clock).
    public var now: @Sendable () -> Date
    /// The environment the client secret may come from.
    public var environment: [String: String]
    /// The start page's links; pages of the route groups add theirs (same path: theirs win).
    public var navigation: [NavigationItem]
    /// Hummingbird's own log level (its request log; default: warnings and worse).
    public var serverLogLevel: Logger.Level

    public init(events: EventLog = EventLog(), now: @escaping @Sendable () -> Date = { Date() },
                environment: [String: String] = ProcessInfo.processInfo.environment,
                navigation: [NavigationItem] = NavigationItem.planned, serverLogLevel: Logger.Level = .warning) {
        self.events = events
        self.now = now
        self.environment = environment
        self.navigation = navigation
        self.serverLogLevel = serverLogLevel
    }
}

/// The web service: a workspace, its configuration, and route groups, put together into a Hummingbird application.
///
/// Every request passes, in this order: ``SecurityHeaders`` (CSP and the other headers on every response),
/// ``ErrorPages`` (every thrown error becomes a Dutch page and a log line), the session middleware (hummingbird-auth;
/// in-memory sessions, the cookie holds a random id), and the ``Gatekeeper`` (route lookup, session expiry,
/// authorisation from the route table, CSRF). Only then does the route's handler run.
///
/// To add pages, give route groups:
///
/// ```swift
/// let search = RouteGroup(name: "zoeken", routes: [
///     .get("/zoeken", access: .only(.teammanager, .wooCoordinator, .div)) { req in
///         req.page(title: "Zoeken", body: "<p>…\(req.query("q"))</p>")
///     },
///     .post("/zoeken/opslaan", access: .only(.div)) { req in … req.form["naam"] … return req.redirect(to: "/zoeken") },
/// ], navigation: [NavigationItem(title: "Zoeken", path: "/zoeken", summary: "…", roles: [.teammanager, .div])])
/// let app = try WebApp(workspace: ws, configuration: config, routeGroups: [search])
/// ```
public struct WebApp: Sendable {
    public let services: WebServices
    let persist: MemoryPersistDriver<ContinuousClock>
    let serverLogLevel: Logger.Level

    /// Builds the service. Fails when the client secret cannot be read.
    public init(workspace: Workspace, configuration: ServeConfiguration, routeGroups: [RouteGroup] = [],
                options: WebOptions = WebOptions()) throws(ServeConfigurationError) {
        let secret = try configuration.readClientSecret(environment: options.environment)
        let provider = OpenIDProvider(configuration: configuration, secret: secret)
        let signIn = SignInPages(provider: provider, attempts: LoginAttempts(), matcher: PersonMatcher(configuration: configuration))
        let groups = [CorePages.group, signIn.group] + routeGroups
        let routes = RouteTable(groups.flatMap(\.routes))
        var navigation = options.navigation
        for item in groups.flatMap(\.navigation) {
            navigation.removeAll { $0.path == item.path }
            navigation.append(item)
        }
        let persist = MemoryPersistDriver()
        let cookie = SessionCookieParameters(
            name: configuration.secureCookies ? "__Host-sluitsteen" : "sluitsteen", path: "/", secure: configuration.secureCookies,
            sameSite: .lax)
        let storage = SessionStorage<WebSession>(persist, configuration: SessionStorageConfiguration(sessionCookieParameters: cookie,
                                                                                                     keyPrefix: "sessie."))
        services = WebServices(workspace: workspace, configuration: configuration, routes: routes, navigation: navigation,
                               events: options.events, audit: WebAudit(workspace: workspace), now: options.now,
                               sessionStorage: storage)
        self.persist = persist
        serverLogLevel = options.serverLogLevel
    }

    /// The router with the middleware chain and every route.
    public func router() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: SecurityHeaders(strictTransport: services.configuration.secureCookies, events: services.events))
        router.add(middleware: ErrorPages(events: services.events))
        router.add(middleware: SessionMiddleware(sessionStorage: services.sessionStorage,
                                                 defaultSessionExpiration: services.configuration.sessionLifetime))
        router.add(middleware: Gatekeeper(services: services))
        let services = self.services
        for route in services.routes.routes {
            let handler = route.handler
            router.on(RouterPath(Self.hummingbirdPath(route.path)), method: route.method) { request, context in
                try await handler(WebRequest(request: request, context: context, services: services))
            }
        }
        return router
    }

    /// The Hummingbird application listening on `host:port` (port 0: any free port; `onListening` gets the port).
    public func application(host: String, port: Int,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "sluitsteen-serve")
        logger.logLevel = serverLogLevel
        let events = services.events
        return Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: nil), services: [persist],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                events.record("listening", ["address": "\(host):\(port)"])
                await onListening(port)
            }, logger: logger)
    }

    /// Runs the service until SIGTERM or SIGINT (then it finishes the requests in progress and stops).
    public func run(host: String, port: Int) async throws {
        try await application(host: host, port: port).runService()
    }

    /// `/berichten/:id` in Hummingbird's syntax (the same: `:name` segments), kept in one place.
    static func hummingbirdPath(_ path: String) -> String { path }
}

/// `HOST:PORT` of `--listen`: `127.0.0.1:8080`, `localhost:8080`, `[::1]:8080`, `0.0.0.0:8080`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init?(_ text: String) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let p = Int(port), (1...65535).contains(p) else { return nil }
        self.host = String(host)
        self.port = p
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird

/// Who may use a route. Every route declares it; there is no default that lets anyone in.
public enum Access: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not (sign-in pages, the health check, the stylesheet).
    case anyone
    /// Any signed-in person, whatever their roles (the start page, sign-out).
    case signedIn
    /// A signed-in person holding at least one of these roles. An empty set lets no one in.
    case roles(Set<Role>)

    /// Shorthand: `.only(.div, .archivaris)`.
    public static func only(_ roles: Role...) -> Access { .roles(Set(roles)) }

    public var description: String {
        switch self {
        case .anyone: return "iedereen"
        case .signedIn: return "aangemeld"
        case .roles(let roles): return roles.sorted().map(\.rawValue).joined(separator: ",")
        }
    }
}

/// The handler of a route: what a page does, given the request.
public typealias WebHandler = @Sendable (WebRequest) async throws -> Response

/// One route: a method and a path pattern (`/berichten/:id` — a segment starting with `:` matches any one segment and
/// is available as ``WebRequest/parameter(_:)``), who may use it, and its handler.
public struct WebRoute: Sendable {
    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access
    public let handler: WebHandler

    public init(_ method: HTTPRequest.Method, _ path: String, access: Access, handler: @escaping WebHandler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }

    /// A page (GET; HEAD is answered too).
    public static func get(_ path: String, access: Access, handler: @escaping WebHandler) -> WebRoute {
        WebRoute(.get, path, access: access, handler: handler)
    }

    /// A state change (POST): the form must carry the session's CSRF token (checked before the handler runs).
    public static func post(_ path: String, access: Access, handler: @escaping WebHandler) -> WebRoute {
        WebRoute(.post, path, access: access, handler: handler)
    }

    var segments: [Substring] { path.split(separator: "/") }
}

/// A link on the start page to a part of the service, shown to the roles that may use it.
public struct NavigationItem: Sendable, Equatable {
    public let title: String
    public let path: String
    public let summary: String
    public let roles: Set<Role>

    public init(title: String, path: String, summary: String, roles: Set<Role>) {
        self.title = title
        self.path = path
        self.summary = summary
        self.roles = roles
    }

    /// The parts of the service issue 13 plans, for the start page until their pages exist (their links lead to a
    /// "niet gevonden" page until then; the start page marks them as coming).
    public static let planned: [NavigationItem] = [
        NavigationItem(title: "Mijn mail en uitzonderingen", path: "/mijn-mail",
                       summary: "Uw eigen mailboxen; privé of informele mail uitzonderen binnen de termijn.", roles: [.medewerker]),
        NavigationItem(title: "Zoeken", path: "/zoeken", summary: "Zoeken in de gearchiveerde mail waartoe uw rol toegang geeft.",
                       roles: [.teammanager, .wooCoordinator, .gemachtigde, .div, .archivaris]),
        NavigationItem(title: "Woo-verzoeken en gemachtigden", path: "/woo", summary: "Verzoeken, vastgehouden mail en gemachtigden.",
                       roles: [.wooCoordinator]),
        NavigationItem(title: "Vernietigingslijsten", path: "/vernietigingslijsten",
                       summary: "Lijsten bekijken, uitzonderen en goedkeuren.", roles: [.div, .archivaris]),
        NavigationItem(title: "Registers en plan", path: "/registers", summary: "Personen, rollen, mailboxen, het plan en hotspots.",
                       roles: [.div]),
        NavigationItem(title: "Overdracht", path: "/overdracht", summary: "Exports naar het e-depot en overdrachtsbevestigingen.",
                       roles: [.archivaris]),
        NavigationItem(title: "Audittrail en toegangslog", path: "/audit", summary: "Wie deed wat, wanneer; wie las welke mail, waarom.",
                       roles: [.auditor]),
        NavigationItem(title: "Beheer", path: "/beheer", summary: "De dienst en haar instellingen.", roles: [.beheerder]),
    ]
}

/// A group of routes that belong together (a page and its forms), with the start-page links they bring.
public struct RouteGroup: Sendable {
    public let name: String
    public let routes: [WebRoute]
    public let navigation: [NavigationItem]

    public init(name: String, routes: [WebRoute], navigation: [NavigationItem] = []) {
        self.name = name
        self.routes = routes
        self.navigation = navigation
    }
}

/// Every route of the service, and the one place that decides whether a request may reach one.
public struct RouteTable: Sendable {
    public let routes: [WebRoute]

    /// What a request's method and path match.
    public enum Match: Sendable {
        case route(WebRoute, parameters: [String: String])
        /// The path exists, but not for this method; the methods it has.
        case methodNotAllowed([HTTPRequest.Method])
        case notFound
    }

    /// The decision for one request.
    public enum Decision: Sendable, Equatable {
        case allow
        /// Nobody is signed in (or the session expired) and the route needs someone.
        case signInRequired
        /// The signed-in person's roles do not include one the route allows.
        case forbidden
    }

    /// A table of routes; two routes with the same method and path are a programming error.
    public init(_ routes: [WebRoute]) {
        var seen = Set<String>()
        for r in routes {
            precondition(seen.insert("\(r.method.rawValue) \(r.path)").inserted, "route \(r.method.rawValue) \(r.path) is declared twice")
        }
        self.routes = routes
    }

    /// The route for a method and a path. HEAD matches a GET route.
    public func match(method: HTTPRequest.Method, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPRequest.Method] = []
        for route in routes {
            guard let parameters = Self.parameters(route.segments, parts) else { continue }
            if route.method == method || (method == .head && route.method == .get) {
                return .route(route, parameters: parameters)
            }
            methods.append(route.method)
        }
        return methods.isEmpty ? .notFound : .methodNotAllowed(methods)
    }

    /// The authorisation of every route: who may use it, from the signed-in person's roles. Default deny: a route that
    /// names no role lets no one in, and nothing outside this table is reachable at all.
    public static func decide(_ access: Access, person: SignedInPerson?) -> Decision {
        switch access {
        case .anyone: return .allow
        case .signedIn: return person == nil ? .signInRequired : .allow
        case .roles(let allowed):
            guard let person else { return .signInRequired }
            return allowed.isDisjoint(with: person.roles) ? .forbidden : .allow
        }
    }

    /// Whether a GET page exists at `path` (for the start page's links).
    public func hasPage(_ path: String) -> Bool {
        if case .route = match(method: .get, path: path) { return true }
        return false
    }

    private static func parameters(_ pattern: [Substring], _ parts: [Substring]) -> [String: String]? {
        guard pattern.count == parts.count else { return nil }
        var out: [String: String] = [:]
        for (p, s) in zip(pattern, parts) {
            if p.hasPrefix(":") {
                out[String(p.dropFirst())] = String(s).removingPercentEncoding ?? String(s)
            } else if p != s {
                return nil
            }
        }
        return out
    }
}

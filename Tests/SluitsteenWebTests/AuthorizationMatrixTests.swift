// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenWeb
import Testing

/// The authorisation matrix: every route of the running service × every role (and no one signed in), over HTTP.
///
/// The routes come from the service's own route table, so a new route is in the matrix by itself; the expected access
/// of each route is written down here, independently of the table, and a route the table has but this list lacks (or
/// the other way round) fails the test: a new route cannot be added without deciding, here too, who may use it.
@Suite("Authorisation matrix: every route × every role", .serialized)
struct AuthorizationMatrixTests {
    static let readers: Set<Role> = [.medewerker, .teammanager, .wooCoordinator, .gemachtigde, .div, .archivaris]
    static let lists: Set<Role> = [.div, .archivaris]

    /// Who may use each route: the intended access, written down independently of the route table.
    static let intended: [String: Access] = [
        "GET /": .signedIn, "GET /healthz": .anyone, "GET /static/sluitsteen.css": .anyone, "GET /static/sluitsteen.svg": .anyone,
        "GET /login": .anyone, "GET /auth/callback": .anyone, "GET /logout": .anyone, "POST /logout": .signedIn,
        "GET /zoeken": .roles(readers),
        "GET /berichten/:id": .roles(readers), "POST /berichten/:id/lezen": .roles(readers),
        "GET /berichten/:id/html": .roles(readers), "GET /berichten/:id/bijlagen/:nummer": .roles(readers),
        "GET /mijn-mail": .only(.medewerker), "POST /mijn-mail/uitzonderen": .only(.medewerker),
        "POST /mijn-mail/terugdraaien": .only(.medewerker),
        "GET /vernietigingslijsten": .roles(lists), "POST /vernietigingslijsten/voorstellen": .only(.div),
        "GET /vernietigingslijsten/:id": .roles(lists), "POST /vernietigingslijsten/:id/uitzonderen": .only(.div),
        "POST /vernietigingslijsten/:id/goedkeuren": .roles(lists), "POST /vernietigingslijsten/:id/afwijzen": .roles(lists),
        "GET /vernietigingslijsten/:id/documenten/:naam": .roles(lists),
        "GET /registers": .only(.div), "GET /plan": .only(.div), "GET /hotspots": .only(.div),
        "GET /audit": .only(.auditor), "GET /audit/toegang": .only(.auditor), "GET /audit/controle": .only(.auditor),
        "GET /woo": .only(.wooCoordinator), "POST /woo/machtigingen": .only(.wooCoordinator),
        "POST /woo/machtigingen/:id/intrekken": .only(.wooCoordinator),
    ]

    static func key(_ r: WebRoute) -> String { "\(r.method.rawValue) \(r.path)" }

    @Test("The route table and the intended access agree, route by route (a new route must be added here)")
    func tableMatchesIntent() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let table = Dictionary(uniqueKeysWithValues: service.routes.map { (Self.key($0), $0.access) })
        let unplanned = Set(table.keys).subtracting(Self.intended.keys).sorted()
        let missing = Set(Self.intended.keys).subtracting(table.keys).sorted()
        #expect(unplanned.isEmpty && missing.isEmpty, "routes without an intended access: \(unplanned); intended but missing: \(missing)")
        for (route, access) in table { #expect(Self.intended[route] == access, "\(route): the table says \(access)") }
    }

    /// The expected outcome for a signed-in person with `roles` (nil: no one signed in).
    static func expected(_ access: Access, roles: Set<Role>?) -> RouteTable.Decision {
        guard let roles else { return access == .anyone ? .allow : .signInRequired }
        let person = SignedInPerson(personId: "P", name: "P", roles: roles, signedInAt: Date(), expiresAt: Date().addingTimeInterval(60))
        return RouteTable.decide(access, person: person)
    }

    @Test("Every role (and no one) on every route: allowed past the gatekeeper, forbidden (403), or sign-in required")
    func matrix() async throws {
        let service = try await TestService.archive()
        defer { service.stop() }
        let copy = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Etentje zaterdag").copyId
        let samples = ["id": String(copy), "nummer": "1", "naam": "onbekend.html"]
        // Sign-out last: it ends the session the other routes use.
        func order(_ r: WebRoute) -> (Int, String) { (Self.key(r) == "POST /logout" ? 1 : 0, Self.key(r)) }
        let routes = service.routes.sorted { order($0) < order($1) }
        var visitors: [(String, Set<Role>?, Visitor?)] = [("niemand", nil, nil)]
        for user in TestUsers.single {
            visitors.append((user.user, user.role.map { [$0] } ?? [], try await Visitor.signIn(user.user, at: service)))
        }
        var checked = 0
        for (name, roles, visitor) in visitors {
            let anonymous = TestBrowser()
            for route in routes {
                let path = "/" + route.path.split(separator: "/")
                    .map { $0.hasPrefix(":") ? samples[String($0.dropFirst()), default: "1"] : String($0) }
                    .joined(separator: "/")
                let expected = Self.expected(Self.intended[Self.key(route)] ?? .roles([]), roles: roles)
                let refusedBefore = service.events.events("request-refused").count
                let reply: Reply
                switch (route.method, visitor) {
                case (.get, let v?): reply = try await v.get(path)
                case (_, let v?): reply = try await v.post(path)
                case (.get, nil): reply = try await anonymous.get(service.base + path)
                case (_, nil): reply = try await anonymous.post(service.base + path, form: [:])
                }
                let gate = service.events.events("request-refused").dropFirst(refusedBefore)
                    .filter { $0["reason"]?.hasPrefix("role-not-allowed") == true || $0["reason"] == "sign-in-required" }
                let what = "\(name) \(route.method.rawValue) \(path)"
                switch expected {
                case .allow:
                    #expect(gate.isEmpty, "\(what): refused by the gatekeeper (\(reply.status))")
                    #expect(reply.status != 401 && reply.status < 500, "\(what): \(reply.status) \(reply.body.prefix(300))")
                case .forbidden:
                    #expect(reply.status == 403 && gate.count == 1, "\(what): \(reply.status), expected 403 from the gatekeeper")
                    #expect(reply.body.contains("Geen toegang"), "\(what): the Dutch refusal page")
                case .signInRequired:
                    if route.method == .get {
                        #expect(reply.status == 303 && reply.location?.hasPrefix("/login?terug=") == true, "\(what): \(reply.status)")
                    } else {
                        #expect(reply.status == 401, "\(what): \(reply.status)")
                    }
                }
                checked += 1
            }
        }
        #expect(checked == routes.count * visitors.count)
        #expect(routes.count == Self.intended.count)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenWeb
import Testing

@Suite("Service configuration")
struct ConfigurationTests {
    static let demo = Paths.fixtures.appendingPathComponent("serve-demo.toml")

    @Test("The shipped demo configuration is valid and maps a demo group to every role")
    func demoIsValid() throws {
        let text = try String(contentsOf: Self.demo, encoding: .utf8)
        #expect(ServeConfiguration.check(text: text, file: Self.demo.path).isEmpty)
        let c = try ServeConfiguration.load(file: Self.demo.path)
        #expect(Set(c.roleMapping.values.flatMap { $0 }) == Set(Role.allCases))
        #expect(c.redirectURI == "http://127.0.0.1:8080/auth/callback")
        #expect(c.identityClaim == .email)
        #expect(c.peopleByClaim["d.dewit@krimpenerwaard.example"] == "P0010")
        #expect(!c.secureCookies)
        #expect(c.sessionLifetime == .seconds(480 * 60))
        #expect(c.roles(forClaimValues: ["sluitsteen-div", "onbekende-groep", "sluitsteen-medewerkers"]) == [.medewerker, .div])
    }

    @Test("Every error is reported with its line; the secret may not stand in the file")
    func errorsWithLines() throws {
        let text = """
            [service]
            public-url = "http://archief.gemeente.nl"
            session-minutes = 2

            [oidc]
            issuer = "https://login.example.nl"
            client-id = "sluitsteen"
            client-secret = "geheim"
            roles-claim = "groups"
            onbekend = 1

            [identity]
            claim = "naam"

            [identity.people]
            "a.b@gemeente.nl" = "P 1"

            [roles]
            "groep" = ["div", "baas"]
            """
        let d = ServeConfiguration.check(text: text, file: "x.toml", environment: [:])
        let byKey = Dictionary(grouping: d, by: \.key)
        #expect(byKey["service.public-url"]?.first?.line == 2)
        #expect(byKey["service.session-minutes"]?.first?.line == 3)
        #expect(byKey["oidc.client-secret"]?.first?.line == 8)
        #expect(byKey["oidc.client-secret"]?.first?.message.contains("may not be written in this file") == true)
        #expect(byKey["oidc.onbekend"]?.first?.line == 10)
        #expect(byKey["identity.claim"]?.first?.line == 13)
        #expect(byKey["identity.people.a.b@gemeente.nl"]?.first?.line == 16)
        #expect(byKey["roles.groep"]?.first?.line == 19)
        #expect(byKey["roles.groep"]?.first?.message.contains("'baas' is not a role") == true)
        #expect(!d.map(\.description).joined().contains("geheim"), "the secret is never echoed")
    }

    @Test("A secret from the environment must be set; a syntax error stops with its line")
    func environmentAndSyntax() {
        let text = """
            [service]
            public-url = "https://archief.gemeente.nl"
            [oidc]
            issuer = "https://login.example.nl"
            client-id = "sluitsteen"
            client-secret-env = "SLUITSTEEN_OIDC_SECRET"
            roles-claim = "roles"
            [identity]
            claim = "upn"
            [roles]
            "r" = "auditor"
            """
        #expect(ServeConfiguration.check(text: text, file: "x", environment: ["SLUITSTEEN_OIDC_SECRET": "s"]).isEmpty)
        let missing = ServeConfiguration.check(text: text, file: "x", environment: [:])
        #expect(missing.map(\.key) == ["oidc.client-secret-env"])
        #expect(missing.first?.line == 6)
        let broken = ServeConfiguration.check(text: "[service\npublic-url = 1", file: "x")
        #expect(broken.count == 1)
        #expect(broken.first?.line == 1)
        #expect(broken.first?.message.hasPrefix("TOML syntax error") == true)
    }
}

extension ConfigurationTests {
    @Test("The public origin is written as browsers send it (no default port); https means Secure cookies")
    func publicOrigin() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-origin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "s3cret\n".write(to: folder.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("serve.toml")
        try """
            [service]
            public-url = "https://archief.gemeente.nl:443/"
            [oidc]
            issuer = "https://login.example.nl/realms/gemeente"
            client-id = "sluitsteen"
            client-secret-file = "secret"
            roles-claim = "roles"
            [identity]
            claim = "preferred_username"
            [roles]
            "Sluitsteen.Auditor" = "auditor"
            """.write(to: file, atomically: true, encoding: .utf8)
        let c = try ServeConfiguration.load(file: file.path)
        #expect(c.publicOrigin == "https://archief.gemeente.nl")
        #expect(c.redirectURI == "https://archief.gemeente.nl/auth/callback")
        #expect(c.secureCookies)
        #expect(try c.readClientSecret().value == "s3cret")
        #expect("\(try c.readClientSecret())" == "‹geheim›", "the secret never shows in a description")
        #expect(c.identityClaim == .preferredUsername)
    }
}

@Suite("Route table and authorisation")
struct RouteTableTests {
    static let table = RouteTable([
        .get("/", access: .signedIn) { _ in fatalError() },
        .get("/healthz", access: .anyone) { _ in fatalError() },
        .get("/berichten/:id", access: .only(.teammanager, .wooCoordinator)) { _ in fatalError() },
        .post("/berichten/:id/reden", access: .only(.wooCoordinator)) { _ in fatalError() },
        .get("/niemand", access: .roles([])) { _ in fatalError() },
    ])

    static func person(_ roles: Role...) -> SignedInPerson {
        SignedInPerson(personId: "P0001", name: "X", roles: Set(roles), signedInAt: Date(), expiresAt: Date().addingTimeInterval(60))
    }

    @Test("Every role × every route: allowed only where the route names the role; no one on a route naming none")
    func matrix() {
        for role in Role.allCases {
            let p = Self.person(role)
            #expect(RouteTable.decide(.anyone, person: p) == .allow)
            #expect(RouteTable.decide(.signedIn, person: p) == .allow)
            #expect(RouteTable.decide(.only(.teammanager, .wooCoordinator), person: p)
                == ([.teammanager, .wooCoordinator].contains(role) ? .allow : .forbidden))
            #expect(RouteTable.decide(.roles([]), person: p) == .forbidden)
        }
        #expect(RouteTable.decide(.roles([]), person: Self.person()) == .forbidden)
        #expect(RouteTable.decide(.signedIn, person: Self.person()) == .allow, "signed in without roles: the start page only")
        #expect(RouteTable.decide(.only(.div), person: Self.person()) == .forbidden)
        #expect(RouteTable.decide(.anyone, person: nil) == .allow)
        #expect(RouteTable.decide(.signedIn, person: nil) == .signInRequired)
        #expect(RouteTable.decide(.only(.div), person: nil) == .signInRequired)
    }

    @Test("Paths: parameters, 404 for unknown paths, 405 with the methods a path has, HEAD as GET")
    func matching() {
        guard case .route(let r, let params) = Self.table.match(method: .get, path: "/berichten/abc%20d") else {
            Issue.record("no match"); return
        }
        #expect(r.path == "/berichten/:id")
        #expect(params == ["id": "abc d"])
        guard case .methodNotAllowed(let methods) = Self.table.match(method: .post, path: "/berichten/1") else {
            Issue.record("expected 405"); return
        }
        #expect(methods == [.get])
        if case .notFound = Self.table.match(method: .get, path: "/berichten/1/2/3") {} else { Issue.record("expected 404") }
        if case .notFound = Self.table.match(method: .get, path: "/onbekend") {} else { Issue.record("expected 404") }
        if case .route = Self.table.match(method: .head, path: "/healthz") {} else { Issue.record("HEAD should match GET") }
        #expect(Self.table.hasPage("/"))
        #expect(!Self.table.hasPage("/zoeken"))
    }
}

@Suite("Building blocks")
struct BuildingBlockTests {
    @Test("HTML: interpolated text is escaped, markup is not")
    func html() {
        let subject = "<script>alert('x')</script> & \"co\""
        let inner: HTML = "<b>vet</b>"
        let page: HTML = "<p title=\"\(subject)\">\(subject)\(inner)</p>"
        #expect(page.rendered == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;\">"
            + "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;<b>vet</b></p>")
        #expect(HTML.escape("a\u{1B}b") == "a\u{FFFD}b")
    }

    @Test("PKCE S256 challenge (RFC 7636, appendix B)")
    func pkce() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        let hex = "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex { let j = hex.index(i, offsetBy: 2); bytes.append(UInt8(hex[i..<j], radix: 16)!); i = j }
        #expect(Base64URL.encode(bytes) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(LoginAttempt.challenge(forVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test("A sign-in attempt can be taken once, and not after ten minutes")
    func attempts() async {
        let store = LoginAttempts()
        let now = Date()
        let a = LoginAttempt(returnPath: "/", now: now)
        await store.add(a)
        #expect(await store.take(a.state, now: now) == a)
        #expect(await store.take(a.state, now: now) == nil)
        let b = LoginAttempt(returnPath: "/", now: now)
        await store.add(b)
        #expect(await store.take(b.state, now: now.addingTimeInterval(601)) == nil)
        #expect(a.state != b.state && a.nonce != a.state && a.codeVerifier.count == 43)
    }

    @Test("--listen addresses")
    func listen() {
        #expect(ListenAddress("127.0.0.1:8080") == ListenAddress("127.0.0.1:8080"))
        #expect(ListenAddress("[::1]:8443")?.host == "::1")
        #expect(ListenAddress("[::1]:8443")?.port == 8443)
        #expect(ListenAddress("localhost") == nil)
        #expect(ListenAddress("h:0") == nil)
        #expect(ListenAddress("::1:80") == nil)
    }
}

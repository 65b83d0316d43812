// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenWeb
import Testing

/// Paths of the package: the fixtures, the test provider and the test virtualenv (`make deps`).
enum Paths {
    static let packageRoot = PackagePaths.root
    static let fixtures = packageRoot.appendingPathComponent("Fixtures")
    static let browser = packageRoot.appendingPathComponent("Tests/Browser")
    static let python = packageRoot.appendingPathComponent(".venv-tests/bin/python")
    static let binary = packageRoot.appendingPathComponent(".build/debug/sluitsteen")
}

/// Loopback ports: waiting (by polling connect() until a deadline) until one accepts (a free one: ``LoopbackPorts``).
enum Ports {
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Polls connect() until the port accepts or the deadline passes (a short pause between tries).
    static func waitUntilAccepting(_ port: Int, within seconds: Double = 180, while running: () -> Bool = { true }) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if accepts(port) { return true }
            if !running() { return false }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }
}

/// The test OpenID provider (Tests/Browser/oidc_provider.py) in its own process, on a free loopback port.
final class TestProvider: @unchecked Sendable {
    let port: Int
    let process: Process
    let log: URL
    var issuer: String { "http://127.0.0.1:\(port)" }

    /// Starts the provider for a service whose redirect URI is given; cancels the test (skip) when the test virtualenv
    /// is missing.
    static func start(redirectURI: String, users: URL? = nil) async throws -> TestProvider {
        guard FileManager.default.isExecutableFile(atPath: Paths.python.path) else {
            try Test.cancel("skipped: the test virtualenv .venv-tests is missing (run `make deps`); the OpenID provider cannot start")
        }
        let port = try LoopbackPorts.free()
        let process = Process()
        process.executableURL = Paths.python
        process.arguments = [Paths.browser.appendingPathComponent("oidc_provider.py").path, "--port", String(port),
                             "--users", (users ?? Paths.browser.appendingPathComponent("demo-users.json")).path,
                             "--client-id", "sluitsteen-demo",
                             "--client-secret-file", Paths.fixtures.appendingPathComponent("serve-demo.secret").path,
                             "--redirect-uri", redirectURI]
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("oidc-provider-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let provider = TestProvider(port: port, process: process, log: log)
        guard await Ports.waitUntilAccepting(port, while: { process.isRunning }) else {
            provider.stop()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            Issue.record("the test OpenID provider did not start on port \(port): \(text.suffix(2000))")
            throw CancellationError()
        }
        return provider
    }

    private init(port: Int, process: Process, log: URL) {
        self.port = port
        self.process = process
        self.log = log
    }

    /// Stops the provider (SIGKILL: it keeps nothing worth a clean stop, and a signal mask inherited from the test
    /// process could hold back SIGTERM).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }
}

/// Collects the service's event log lines.
final class EventLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[String: String]] = []

    var sink: EventLog.Sink {
        { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else { return }
            self.lock.withLock { self.lines.append(object) }
        }
    }

    func events(_ name: String) -> [[String: String]] { lock.withLock { lines.filter { $0["event"] == name } } }
    var all: [[String: String]] { lock.withLock { lines } }
}

/// A clock a test can move forward.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    func now() -> Date { lock.withLock { Date().addingTimeInterval(offset) } }
    func advance(by seconds: TimeInterval) { lock.withLock { offset += seconds } }
}

/// A demo workspace with the fixtures' registers, the test provider, and the service running in this process on a
/// free loopback port; everything is stopped and removed by ``stop()``.
final class TestService: @unchecked Sendable {
    let home: URL
    private(set) var workspace: Workspace
    let provider: TestProvider
    let port: Int
    let events = EventLines()
    let clock = TestClock()
    let configuration: ServeConfiguration
    let routeGroups: [RouteGroup]
    /// Every route of the running service (its route table).
    private(set) var routes: [WebRoute] = []
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?

    var base: String { "http://127.0.0.1:\(port)" }

    /// - Parameters:
    ///   - https: configure the public URL as https (as behind a TLS-terminating proxy); the test still talks http.
    ///   - edit: changes to the demo configuration text (after the ports are filled in).
    ///   - workspace: a workspace to serve (e.g. ``DemoArchive``'s); without it, an empty demo workspace with the
    ///     fixtures' registers.
    ///   - users: the provider's users file (default: Tests/Browser/demo-users.json).
    static func start(https: Bool = false, routeGroups: [RouteGroup] = [], workspace: Workspace? = nil, users: URL? = nil,
                      edit: (String) -> String = { $0 }) async throws -> TestService {
        let scheme = https ? "https" : "http"
        // Another process may take the port between finding it free and binding it: then the next one is tried.
        for attempt in 1...3 {
            let port = try LoopbackPorts.free()
            let provider = try await TestProvider.start(redirectURI: "\(scheme)://127.0.0.1:\(port)/auth/callback", users: users)
            do {
                return try await TestService(port: port, scheme: scheme, provider: provider, routeGroups: routeGroups, workspace: workspace,
                                             edit: edit)
            } catch let taken as PortTaken where attempt < 3 {
                provider.stop()
                if workspace == nil { try? FileManager.default.removeItem(at: taken.home) }
            } catch {
                provider.stop()
                throw error
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    /// The service could not listen on its port (another process took it after it was found free).
    struct PortTaken: Error, CustomStringConvertible {
        let port: Int
        let home: URL
        let reason: String
        var description: String { "the web service could not listen on port \(port): \(reason)" }
    }

    /// The archive's pages on ``DemoArchive``'s workspace (a fresh copy, its clock at `now`), with the single-role test users.
    static func archive(at now: Date = DemoMoments.ingest) async throws -> TestService {
        try await start(routeGroups: ArchivePages.groups, workspace: try DemoArchive.make(at: now), users: try TestUsers.file())
    }

    private init(port: Int, scheme: String, provider: TestProvider, routeGroups: [RouteGroup], workspace given: Workspace?,
                 edit: (String) -> String) async throws {
        self.port = port
        self.provider = provider
        self.routeGroups = routeGroups
        if let given {
            home = given.root
            workspace = given
        } else {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-web-\(UUID().uuidString)")
            let actor = Actor(personId: nil, name: "webtest")
            (workspace, _) = try Workspace.initialise(at: home, kind: .demo, actor: actor)
            let r = Paths.fixtures.appendingPathComponent("registers")
            _ = try RetentionStore(workspace: workspace).importRegisters(
                people: r.appendingPathComponent("people.csv"), roles: r.appendingPathComponent("roles.csv"),
                mailboxes: r.appendingPathComponent("mailboxes.csv"), approvers: r.appendingPathComponent("approvers.csv"),
                policy: try Policy.krimpenerwaard, actor: actor)
        }
        // The shipped demo configuration, with this test's ports (its secret file path made absolute).
        var text = try String(contentsOf: Paths.fixtures.appendingPathComponent("serve-demo.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "http://127.0.0.1:8080", with: "\(scheme)://127.0.0.1:\(port)")
            .replacingOccurrences(of: "http://127.0.0.1:9400", with: provider.issuer)
            .replacingOccurrences(of: "\"serve-demo.secret\"", with: "\"\(Paths.fixtures.appendingPathComponent("serve-demo.secret").path)\"")
        text = edit(text)
        let file = home.appendingPathComponent("serve.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        configuration = try ServeConfiguration.load(file: file.path)
        try await run()
    }

    /// Starts the application on the service's port (sessions start empty).
    private func run() async throws {
        let clock = self.clock
        let app = try WebApp(workspace: workspace, configuration: configuration, routeGroups: routeGroups,
                             options: WebOptions(events: EventLog(sink: events.sink), now: { clock.now() },
                                                 serverLogLevel: .critical))
        routes = app.services.routes.routes
        // Whether the service itself listens (nil), or stopped before it did (why): something else answering on the
        // port (another test's server that took it) is not taken for the service.
        let (listening, signal) = AsyncStream<String?>.makeStream()
        let application = app.application(host: "127.0.0.1", port: port, onListening: { _ in signal.yield(nil) })
        // Run as a service and stop by graceful shutdown, never by cancelling the task: a cancelled server can drop a
        // connection it accepted but not yet served, and NIO traps on that ("Deinited NIOAsyncWriter without calling
        // finish()", apple/swift-nio#3481).
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: Logger(label: "test")))
        self.group = group
        task = Task {
            do { try await group.run() } catch {
                signal.yield("\(error)")
                throw error
            }
            signal.yield("it stopped")
        }
        var next = listening.makeAsyncIterator()
        if case let reason?? = await next.next() {
            stop(removingHome: false)
            throw PortTaken(port: port, home: home, reason: reason)
        }
    }

    /// Stops the application and starts it again on the same workspace with its clock at `now` (a demo archive's
    /// replayed clock; everyone must sign in again). The provider keeps running.
    func restart(at now: Date) async throws {
        await group?.triggerGracefulShutdown()
        _ = await task?.result
        task = nil
        group = nil
        // Polls until the old listener is closed (as Ports.waitUntilAccepting polls for a new one).
        let deadline = Date().addingTimeInterval(60)
        while Ports.accepts(port), Date() < deadline { try? await Task.sleep(for: .milliseconds(25)) }
        workspace = try workspace.replaying(now)
        try await run()
    }

    func stop() { stop(removingHome: true) }

    private func stop(removingHome: Bool) {
        if let group { Task { await group.triggerGracefulShutdown() } }
        provider.stop()
        if removingHome { try? FileManager.default.removeItem(at: home) }
    }

    /// The audit entries of one kind.
    func audit(_ kind: AuditKind) throws -> [AuditEntry] {
        try workspace.catalog.read { db in try AuditTrail.entries(db, kind: kind) }
    }
}

/// One HTTP response as the test browser saw it.
struct Reply {
    var status: Int
    var headers: [String: String]
    var body: String
    var url: String

    func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    var location: String? { header("Location") }
    /// Each Set-Cookie header (Foundation joins several with ", "; split where a new name=value starts).
    var setCookies: [String] {
        guard let raw = header("Set-Cookie") else { return [] }
        let regex = try! NSRegularExpression(pattern: ", (?=[A-Za-z0-9_-]+=)")
        let marked = regex.stringByReplacingMatches(in: raw, range: NSRange(raw.startIndex..., in: raw), withTemplate: "\u{1F}")
        return marked.split(separator: "\u{1F}").map(String.init)
    }
}

/// A minimal browser for the tests: follows no redirect by itself, keeps cookies per host:port, and remembers every
/// response (so that a test can check headers on all of them).
final class TestBrowser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private var cookies: [String: [String: String]] = [:]   // "host:port" → name → value
    private(set) var replies: [Reply] = []
    private lazy var session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.httpShouldSetCookies = false
        c.httpCookieAcceptPolicy = .never
        c.timeoutIntervalForRequest = 30
        return URLSession(configuration: c, delegate: self, delegateQueue: nil)
    }()

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func get(_ url: String) async throws -> Reply { try await send("GET", url, body: nil) }

    func post(_ url: String, form: [String: String], origin: String? = nil) async throws -> Reply {
        let body = form.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send("POST", url, body: body, origin: origin)
    }

    func send(_ method: String, _ address: String, body: String?, origin: String? = nil) async throws -> Reply {
        let url = URL(string: address)!
        var request = URLRequest(url: url)
        request.httpMethod = method
        let key = "\(url.host ?? ""):\(url.port ?? 80)"
        if let jar = cookies[key], !jar.isEmpty {
            request.setValue(jar.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "), forHTTPHeaderField: "Cookie")
        }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        if let origin { request.setValue(origin, forHTTPHeaderField: "Origin") }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
        let reply = Reply(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self), url: address)
        for cookie in reply.setCookies {
            let pair = cookie.split(separator: ";").first.map(String.init) ?? ""
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: eq)...])
            let expired = cookie.lowercased().contains("max-age=0") || cookie.contains("1970")
                || (Self.expiry(cookie).map { $0 <= Date() } ?? false)
            if expired { cookies[key]?[name] = nil } else { cookies[key, default: [:]][name] = value }
        }
        replies.append(reply)
        return reply
    }

    /// Forgets the cookies of a host:port (a new browser).
    func clearCookies() { cookies = [:] }

    func cookie(_ name: String, port: Int) -> String? { cookies["127.0.0.1:\(port)"]?[name] }

    static func expiry(_ cookie: String) -> Date? {
        guard let range = cookie.range(of: "Expires=", options: .caseInsensitive) else { return nil }
        let text = cookie[range.upperBound...].split(separator: ";").first.map(String.init) ?? ""
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// A query parameter of a URL.
    static func query(_ url: String, _ name: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == name }?.value
    }
}

/// The steps of a sign-in through the real provider, kept apart so that tests can stop, repeat or tamper with one.
struct SignIn {
    let service: TestService
    let browser: TestBrowser

    /// GET /login → the provider's authorization URL.
    func start(path: String = "/login") async throws -> String {
        let r = try await browser.get(service.base + path)
        #expect(r.status == 303, "GET \(path): \(r.status)")
        let location = try #require(r.location)
        #expect(location.hasPrefix(service.provider.issuer + "/authorize?"))
        return location
    }

    /// The provider's login page, then its form posted for `user` → the callback URL (on the service, over http).
    func authorize(_ authorizationURL: String, as user: String) async throws -> String {
        let page = try await browser.get(authorizationURL)
        #expect(page.status == 200, "provider login page: \(page.status) \(page.body.prefix(300))")
        #expect(page.body.contains("name=\"username\""))
        let posted = try await browser.post(authorizationURL, form: ["username": user])
        #expect(posted.status == 302, "provider form: \(posted.status) \(posted.body.prefix(300))")
        let callback = try #require(posted.location)
        // With an https public URL the test plays the TLS-terminating proxy: the same path over http.
        return callback.replacingOccurrences(of: "https://127.0.0.1:\(service.port)", with: service.base)
    }

    /// The whole sign-in; returns the callback's reply.
    @discardableResult
    func run(as user: String) async throws -> Reply {
        let callback = try await authorize(try await start(), as: user)
        return try await browser.get(callback)
    }
}

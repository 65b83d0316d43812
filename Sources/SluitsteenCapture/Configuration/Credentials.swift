// SPDX-License-Identifier: EUPL-1.2
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SluitsteenSupport

/// What the capture signs in with, obtained when needed. A client-credentials token is kept until shortly before it
/// expires; a token from a command or file is read anew for every connection (something else keeps it fresh).
final class Credentials: @unchecked Sendable {
    private let authentication: Authentication
    private let environment: [String: String]
    private let cached = Locked<(token: Secret, until: Date)?>(nil)
    private let clock: @Sendable () -> Date

    init(_ authentication: Authentication, environment: [String: String], clock: @escaping @Sendable () -> Date) {
        self.authentication = authentication
        self.environment = environment
        self.clock = clock
    }

    /// Signs `connection` in as `mailbox.user`.
    func signIn(_ connection: IMAPConnection, as mailbox: MailboxCapture) throws(CaptureError) {
        switch authentication {
        case .password(let shared):
            guard let source = mailbox.password ?? (shared == .environment("") ? nil : shared) else {
                throw .secret("No password is configured for \(mailbox.user).")
            }
            try connection.login(user: mailbox.user, password: source.read(environment: environment))
        case .oauth2(let source):
            try connection.authenticateOAuth2(user: mailbox.user, token: token(source))
        }
    }

    /// The bearer token from `source`.
    func token(_ source: TokenSource) throws(CaptureError) -> Secret {
        switch source {
        case .file(let url):
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw .token("the token file \(url.path) cannot be read")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw .token("the token file \(url.path) is empty") }
            return Secret(value)
        case .command(let arguments):
            return try Credentials.run(arguments)
        case .clientCredentials(let endpoint, let clientId, let secretSource, let scope):
            let now = clock()
            if let c = cached.withLock({ $0 }), c.until > now { return c.token }
            let secret = try secretSource.read(environment: environment)
            let (token, lifetime) = try Credentials.request(endpoint: endpoint, clientId: clientId, secret: secret, scope: scope)
            // Renewed a minute before it expires (or after 5 minutes when the endpoint does not say).
            cached.withLock { $0 = (token, now.addingTimeInterval(max(30, (lifetime ?? 360) - 60))) }
            return token
        }
    }

    /// Runs a token command; its standard output (trimmed) is the token. Its standard error is not shown: it might
    /// hold a secret.
    private static func run(_ arguments: [String]) throws(CaptureError) -> Secret {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .token("the token command \(arguments[0]) cannot be started (\(error.localizedDescription))")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .token("the token command \(arguments[0]) failed with exit status \(process.terminationStatus)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty, !value.contains(where: \.isNewline) else {
            throw .token("the token command \(arguments[0]) printed no token (one line expected)")
        }
        return Secret(value)
    }

    /// A client-credentials request (RFC 6749 §4.4) to `endpoint`: the token and its lifetime in seconds.
    private static func request(endpoint: URL, clientId: String, secret: Secret, scope: String) throws(CaptureError)
        -> (Secret, TimeInterval?) {
        var form = URLComponents()
        form.queryItems = [URLQueryItem(name: "grant_type", value: "client_credentials"), URLQueryItem(name: "client_id", value: clientId),
                           URLQueryItem(name: "client_secret", value: secret.value), URLQueryItem(name: "scope", value: scope)]
        // `+` is a space in a form body: encode it (a secret may hold one).
        let body = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var request = URLRequest(url: endpoint, timeoutInterval: 30)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(body.utf8)
        let outcome = Locked<Result<(Data, Int), CaptureError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let session = URLSession(configuration: .ephemeral)
        session.dataTask(with: request) { data, response, error in
            if let error {
                outcome.withLock { $0 = .failure(.token("the token endpoint \(endpoint.absoluteString) cannot be reached " +
                                                        "(\(error.localizedDescription))")) }
            } else {
                outcome.withLock { $0 = .success((data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0)) }
            }
            done.signal()
        }.resume()
        done.wait()
        session.finishTasksAndInvalidate()
        let (data, status) = try outcome.withLock { $0 }!.get()
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard status == 200, let token = json?["access_token"] as? String, !token.isEmpty else {
            // The provider's error code and description say what is wrong (they never echo the secret).
            let code = json?["error"] as? String ?? "HTTP \(status)"
            let text = (json?["error_description"] as? String).map { ": " + String($0.prefix(300)) } ?? ""
            throw .token("the token endpoint \(endpoint.absoluteString) refused the client credentials of \(clientId) (\(code)\(text))")
        }
        let lifetime = (json?["expires_in"] as? NSNumber)?.doubleValue ?? (json?["expires_in"] as? String).flatMap(Double.init)
        return (Secret(token), lifetime)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JWTKit
import SluitsteenHashing

/// The provider's metadata from its discovery document (`/.well-known/openid-configuration`).
public struct ProviderMetadata: Sendable, Decodable, Equatable {
    public var issuer: String
    public var authorizationEndpoint: String
    public var tokenEndpoint: String
    public var jwksURI: String
    public var codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }
}

/// The relying-party side of OpenID Connect: discovery, the provider's keys (JWKS), the authorization request (code
/// flow with PKCE S256, state and nonce), the token exchange, and the ID token's verification.
///
/// HTTP goes through Foundation's URLSession (FoundationNetworking on Linux), ephemeral: no cookies, no cache. The
/// discovery document and the keys are cached; the keys are fetched again (at most once a minute) when a token names
/// a key id the cache does not hold, so that the provider can rotate its keys.
public actor OpenIDProvider {
    public let configuration: ServeConfiguration
    private let secret: ClientSecret
    private let session: URLSession
    private var metadata: ProviderMetadata?
    private var keys: JWTKeyCollection?
    private var keyIds: Set<String> = []
    private var keysFetchedAt: Date?

    /// Largest response accepted from the provider.
    static let maximumResponseBytes = 1 << 20

    public init(configuration: ServeConfiguration, secret: ClientSecret) {
        self.configuration = configuration
        self.secret = secret
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 15
        c.timeoutIntervalForResource = 30
        c.httpCookieAcceptPolicy = .never
        c.httpShouldSetCookies = false
        c.urlCache = nil
        session = URLSession(configuration: c)
    }

    /// The discovery document (fetched once, then cached). Its `issuer` must be the configured one.
    public func discover() async throws(SignInRefusal) -> ProviderMetadata {
        if let metadata { return metadata }
        let base = configuration.issuer.hasSuffix("/") ? String(configuration.issuer.dropLast()) : configuration.issuer
        let data = try await get(base + "/.well-known/openid-configuration", what: "discovery")
        guard let m = try? JSONDecoder().decode(ProviderMetadata.self, from: data) else { throw .providerUnavailable("discovery-unreadable") }
        guard m.issuer == configuration.issuer else { throw .providerUnavailable("discovery-issuer-mismatch") }
        for endpoint in [m.authorizationEndpoint, m.tokenEndpoint, m.jwksURI] where !Self.acceptable(endpoint) {
            throw .providerUnavailable("discovery-endpoint-not-https")
        }
        metadata = m
        return m
    }

    /// The URL of the authorization request for one sign-in attempt.
    public func authorizationURL(for attempt: LoginAttempt) async throws(SignInRefusal) -> String {
        let m = try await discover()
        guard var components = URLComponents(string: m.authorizationEndpoint) else { throw .providerUnavailable("authorization-endpoint") }
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: configuration.clientId),
            URLQueryItem(name: "redirect_uri", value: configuration.redirectURI),
            URLQueryItem(name: "scope", value: configuration.scopes.joined(separator: " ")),
            URLQueryItem(name: "state", value: attempt.state),
            URLQueryItem(name: "nonce", value: attempt.nonce),
            URLQueryItem(name: "code_challenge", value: attempt.codeChallenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        components.percentEncodedQuery = items.map { "\(Self.formEncode($0.name))=\(Self.formEncode($0.value ?? ""))" }.joined(separator: "&")
        guard let url = components.string else { throw .providerUnavailable("authorization-endpoint") }
        return url
    }

    /// Exchanges the code for tokens and returns the verified ID token's claims.
    public func completeSignIn(code: String, attempt: LoginAttempt, now: Date) async throws(SignInRefusal) -> IDTokenClaims {
        let m = try await discover()
        guard let url = URL(string: m.tokenEndpoint) else { throw .providerUnavailable("token-endpoint") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        var fields = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", configuration.redirectURI),
            ("code_verifier", attempt.codeVerifier),
        ]
        switch configuration.tokenEndpointAuth {
        case .clientSecretBasic:
            // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined.
            let credentials = "\(Self.formEncode(configuration.clientId)):\(Self.formEncode(secret.value))"
            request.setValue("Basic " + Data(credentials.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        case .clientSecretPost:
            fields += [("client_id", configuration.clientId), ("client_secret", secret.value)]
        }
        request.httpBody = Data(fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&").utf8)
        let (data, status) = try await send(request, what: "token")
        guard status == 200 else { throw .tokenExchangeFailed(status) }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw .providerUnavailable("token-unreadable") }
        guard let idToken = object["id_token"] as? String else { throw .missingClaim("id_token") }
        let verifier = IDTokenVerifier(issuer: configuration.issuer, clientId: configuration.clientId)
        let header = try IDTokenVerifier.header(of: idToken)
        let collection = try await signingKeys(kid: header.kid)
        return try await verifier.verify(idToken, keys: collection, nonce: attempt.nonce, now: now)
    }

    /// The provider's keys; fetched again when `kid` is not among them (key rotation), at most once a minute.
    private func signingKeys(kid: String?) async throws(SignInRefusal) -> JWTKeyCollection {
        if let keys, kid.map({ keyIds.contains($0) }) ?? true { return keys }
        if let keys, let fetched = keysFetchedAt, Date().timeIntervalSince(fetched) < 60 { return keys }
        let m = try await discover()
        let data = try await get(m.jwksURI, what: "jwks")
        // Keys jwt-kit cannot use (encryption keys, unknown types) are left out, not fatal.
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = object["keys"] as? [[String: Any]] else { throw .providerUnavailable("jwks-unreadable") }
        let collection = JWTKeyCollection()
        var ids = Set<String>()
        for key in list where (key["use"] as? String ?? "sig") == "sig" {
            guard let keyData = try? JSONSerialization.data(withJSONObject: key), let jwk = try? JSONDecoder().decode(JWK.self, from: keyData)
            else { continue }
            if (try? await collection.add(jwk: jwk)) != nil, let id = key["kid"] as? String { ids.insert(id) }
        }
        keys = collection
        keyIds = ids
        keysFetchedAt = Date()
        return collection
    }

    private func get(_ address: String, what: String) async throws(SignInRefusal) -> Data {
        guard let url = URL(string: address) else { throw .providerUnavailable(what) }
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let (data, status) = try await send(request, what: what)
        guard status == 200 else { throw .providerUnavailable("\(what)-status-\(status)") }
        return data
    }

    private func send(_ request: URLRequest, what: String) async throws(SignInRefusal) -> (Data, Int) {
        let result: Result<(Data, Int), SignInRefusal> = await withCheckedContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if error != nil { return continuation.resume(returning: .failure(.providerUnavailable(what))) }
                guard let http = response as? HTTPURLResponse, let data else {
                    return continuation.resume(returning: .failure(.providerUnavailable(what)))
                }
                guard data.count <= Self.maximumResponseBytes else {
                    return continuation.resume(returning: .failure(.providerUnavailable("\(what)-too-large")))
                }
                continuation.resume(returning: .success((data, http.statusCode)))
            }.resume()
        }
        return try result.get()
    }

    /// https, or http on loopback (a test provider).
    static func acceptable(_ address: String) -> Bool {
        guard let u = URL(string: address), let scheme = u.scheme else { return false }
        return scheme == "https" || (scheme == "http" && ServeConfigurationReader.isLoopback(u.host))
    }

    /// `application/x-www-form-urlencoded` encoding of one name or value.
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// One sign-in in progress: the values sent with the authorization request and needed at the callback.
public struct LoginAttempt: Sendable, Equatable {
    public let state: String
    public let nonce: String
    public let codeVerifier: String
    /// Where to go after signing in (a path on this service).
    public let returnPath: String
    public let startedAt: Date

    public init(returnPath: String, now: Date) {
        state = Randomness.token()
        nonce = Randomness.token()
        codeVerifier = Randomness.token()
        self.returnPath = returnPath
        startedAt = now
    }

    /// The PKCE S256 challenge sent with the authorization request.
    public var codeChallenge: String { Self.challenge(forVerifier: codeVerifier) }

    /// PKCE S256 (RFC 7636 §4.2): base64url(SHA-256(verifier)).
    public static func challenge(forVerifier verifier: String) -> String {
        let hex = Digest.hex(Data(verifier.utf8))
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return Base64URL.encode(bytes)
    }
}

/// The sign-ins in progress, by `state`. Each can be completed once (``take(_:now:)`` removes it), and only within
/// ten minutes; at most 10,000 are kept (the oldest go first), so that unfinished sign-ins cannot fill the memory.
public actor LoginAttempts {
    public static let lifetime: TimeInterval = 600
    static let capacity = 10_000
    private var attempts: [String: LoginAttempt] = [:]
    private var order: [String] = []

    public init() {}

    public func add(_ attempt: LoginAttempt) {
        attempts[attempt.state] = attempt
        order.append(attempt.state)
        if order.count > Self.capacity {
            let excess = order.count - Self.capacity
            for s in order.prefix(excess) { attempts[s] = nil }
            order.removeFirst(excess)
        }
    }

    /// The attempt with this state, removed so that it cannot be used again; nil when unknown, used or expired.
    public func take(_ state: String, now: Date) -> LoginAttempt? {
        guard let attempt = attempts.removeValue(forKey: state) else { return nil }
        if let i = order.firstIndex(of: state) { order.remove(at: i) }
        return now.timeIntervalSince(attempt.startedAt) <= Self.lifetime ? attempt : nil
    }
}

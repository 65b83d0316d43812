// SPDX-License-Identifier: EUPL-1.2
import Foundation
import JWTKit

/// One claim's value, as far as the service needs to read it.
public enum ClaimValue: Sendable, Equatable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case strings([String])
    /// An object, a mixed array or null: present, but not read.
    case other

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .string(s) } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) } else if let a = try? c.decode([String].self) { self = .strings(a) }
        else { self = .other }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .strings(let a): try c.encode(a)
        case .other: try c.encodeNil()
        }
    }

    /// The value as a list of texts: a text is a list of one; anything else is empty.
    public var texts: [String] {
        switch self {
        case .string(let s): return [s]
        case .strings(let a): return a
        default: return []
        }
    }
}

/// The claims of an ID token: every top-level claim, by name. The checks (issuer, audience, times, nonce) are made by
/// ``IDTokenVerifier`` after jwt-kit has checked the signature, so that each failure gets its own reason.
public struct IDTokenClaims: JWTPayload, Equatable {
    public var claims: [String: ClaimValue]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(claims: [String: ClaimValue]) { self.claims = claims }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        var out: [String: ClaimValue] = [:]
        for key in c.allKeys { out[key.stringValue] = try c.decode(ClaimValue.self, forKey: key) }
        claims = out
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in claims { try c.encode(v, forKey: Key(stringValue: k)) }
    }

    /// jwt-kit calls this after the signature holds; the claims are checked by ``IDTokenVerifier``.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    public func string(_ name: String) -> String? {
        if case .string(let s)? = claims[name] { return s }
        return nil
    }

    public func date(_ name: String) -> Date? {
        if case .number(let n)? = claims[name] { return Date(timeIntervalSince1970: n) }
        return nil
    }

    /// `aud`: one text or a list.
    public var audiences: [String] { claims["aud"]?.texts ?? [] }
}

/// Checks an ID token: its signature against the provider's keys (jwt-kit), then `iss`, `aud`, `exp`, `iat` and
/// `nonce`, each refused with its own reason.
public struct IDTokenVerifier: Sendable {
    /// Signing algorithms accepted (asymmetric only: a token "signed" with none or with a shared secret is refused).
    public static let acceptedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
    /// Clock difference tolerated between the provider and this server.
    public static let leeway: TimeInterval = 60

    public let issuer: String
    public let clientId: String

    public init(issuer: String, clientId: String) {
        self.issuer = issuer
        self.clientId = clientId
    }

    /// The header's `kid` and `alg`, read before the signature is checked (to pick the key and refuse `none`).
    public static func header(of token: String) throws(SignInRefusal) -> (kid: String?, alg: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw .malformedToken }
        guard let alg = object["alg"] as? String else { throw .malformedToken }
        return (object["kid"] as? String, alg)
    }

    /// Verifies `token` with `keys` and returns its claims, or the reason it is refused.
    public func verify(_ token: String, keys: JWTKeyCollection, nonce: String, now: Date) async throws(SignInRefusal) -> IDTokenClaims {
        let header = try Self.header(of: token)
        guard Self.acceptedAlgorithms.contains(header.alg) else { throw .unsupportedAlgorithm(header.alg) }
        let claims: IDTokenClaims
        do {
            claims = try await keys.verify(token, as: IDTokenClaims.self)
        } catch let error as JWTError {
            switch error.errorType {
            case .signatureVerificationFailed: throw .signatureInvalid
            case .unknownKID, .missingKIDHeader: throw .unknownKey
            case .malformedToken, .invalidHeaderField, .invalidBool: throw .malformedToken
            default: throw .signatureInvalid
            }
        } catch {
            throw .malformedToken
        }
        guard claims.string("iss") == issuer else { throw .wrongIssuer }
        guard claims.audiences.contains(clientId) else { throw .wrongAudience }
        // With several audiences, the authorised party must be this client (OpenID Connect Core 3.1.3.7).
        if claims.audiences.count > 1, claims.string("azp") != clientId { throw .wrongAudience }
        guard let exp = claims.date("exp") else { throw .missingClaim("exp") }
        guard now.timeIntervalSince(exp) < Self.leeway else { throw .expired }
        guard let iat = claims.date("iat") else { throw .missingClaim("iat") }
        guard iat.timeIntervalSince(now) < Self.leeway else { throw .issuedInFuture }
        guard let tokenNonce = claims.string("nonce") else { throw .missingClaim("nonce") }
        guard constantTimeEquals(tokenNonce, nonce) else { throw .nonceMismatch }
        guard claims.string("sub").map({ !$0.isEmpty }) == true else { throw .missingClaim("sub") }
        return claims
    }
}

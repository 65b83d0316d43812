// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import HummingbirdAuth

/// The person a session belongs to, as the sign-in established it.
public struct SignedInPerson: Sendable, Codable, Equatable {
    /// The person's id in the personnel register (people.csv).
    public var personId: String
    /// The registered name.
    public var name: String
    /// The roles the role mapping gave at sign-in.
    public var roles: Set<Role>
    /// When the sign-in happened, and when the session ends (enforced by the server, whatever the cookie says).
    public var signedInAt: Date
    public var expiresAt: Date

    public init(personId: String, name: String, roles: Set<Role>, signedInAt: Date, expiresAt: Date) {
        self.personId = personId
        self.name = name
        self.roles = roles
        self.signedInAt = signedInAt
        self.expiresAt = expiresAt
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}

/// What the server keeps for one browser session (in memory; the cookie holds only a random id).
public struct WebSession: Sendable, Codable, Equatable {
    /// The token every state-changing form of this session must carry.
    public var csrfToken: String
    /// The `state` of the sign-in this browser started, until the provider sends it back.
    public var loginState: String?
    /// The signed-in person, once the sign-in succeeded.
    public var person: SignedInPerson?
    /// The messages whose content this person asked to read, with the reason they gave (newest last, a few at most).
    public var reads: [ReadGrant]

    public init(csrfToken: String = Randomness.token(), loginState: String? = nil, person: SignedInPerson? = nil,
                reads: [ReadGrant] = []) {
        self.csrfToken = csrfToken
        self.loginState = loginState
        self.person = person
        self.reads = reads
    }

    enum CodingKeys: String, CodingKey { case csrfToken, loginState, person, reads }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        csrfToken = try c.decode(String.self, forKey: .csrfToken)
        loginState = try c.decodeIfPresent(String.self, forKey: .loginState)
        person = try c.decodeIfPresent(SignedInPerson.self, forKey: .person)
        reads = try c.decodeIfPresent([ReadGrant].self, forKey: .reads) ?? []
    }

    /// The grant to read copy `copyId` that is still valid at `now`, if any.
    public func read(of copyId: Int64, at now: Date) -> ReadGrant? {
        reads.last { $0.copyId == copyId && $0.until > now }
    }
}

/// A stated wish to read one message's content: which copy, the reason given (a Woo request or words), and until when
/// the content stays open in this session without asking again. Every use is decided again by the access policy: the
/// grant only remembers the reason, it never allows anything by itself. The read itself is in the access log.
public struct ReadGrant: Sendable, Codable, Equatable {
    public var copyId: Int64
    /// The Woo request (hold id) the person reads for, or nil.
    public var wooRequest: String?
    /// The reason in words, or nil.
    public var statedReason: String?
    public var until: Date

    public init(copyId: Int64, wooRequest: String?, statedReason: String?, until: Date) {
        self.copyId = copyId
        self.wooRequest = wooRequest
        self.statedReason = statedReason
        self.until = until
    }

    /// How long content stays open after the reason was given.
    public static let lifetime: TimeInterval = 15 * 60
    /// The most grants a session keeps (the oldest go first).
    public static let maximum = 20
}

/// The request context of the web service: Hummingbird's, the session, and what the gatekeeper established.
public struct WebRequestContext: RequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<WebSession>
    /// The signed-in person (nil when no one is signed in, or the session expired).
    public internal(set) var person: SignedInPerson?
    /// The session's CSRF token, for the forms of the page (nil without a session).
    public internal(set) var csrfToken: String?
    /// The route this request reached and its path parameters.
    public internal(set) var parameters: [String: String] = [:]
    /// The fields of a submitted form (parsed once by the gatekeeper, for the CSRF check).
    public internal(set) var form: [String: String] = [:]

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
    }
}

/// Random values for tokens, states, nonces and PKCE verifiers: 32 bytes from the system's cryptographic generator
/// (getrandom on Linux), base64url without padding.
public enum Randomness {
    public static func token(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Base64URL.encode(bytes)
    }
}

/// Base64url (RFC 4648 §5) without padding.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: Substring) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// Compares two secrets in time independent of where they differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenSupport

/// One problem in a service configuration file, with its line (the same shape as the policy's diagnostics, so that
/// `sluitsteen serve --check` reports like `sluitsteen policy check`).
public typealias ConfigDiagnostic = PolicyDiagnostic

/// Which ID-token claim names the signed-in person, to match them to the registers.
public enum IdentityClaim: String, Sendable, CaseIterable {
    case email
    case upn
    case preferredUsername = "preferred_username"
}

/// How the service authenticates itself at the provider's token endpoint.
public enum TokenEndpointAuth: String, Sendable, CaseIterable {
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
}

/// The client secret, read from its source. Its description never shows the value, so that it cannot end up in a log.
public struct ClientSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself: only for the token request.
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "‹geheim›" }
    public var debugDescription: String { "‹geheim›" }
}

/// The configuration of `sluitsteen serve`: a TOML file. See `Fixtures/serve-demo.toml` for a documented example.
///
/// ```toml
/// [service]
/// public-url = "https://archief.krimpenerwaard.nl"   # as browsers see it; https → Secure cookies
/// session-minutes = 480
///
/// [oidc]
/// issuer = "https://login.microsoftonline.com/TENANT/v2.0"
/// client-id = "…"
/// client-secret-file = "/etc/sluitsteen/oidc-secret"  # or client-secret-env = "SLUITSTEEN_OIDC_SECRET"
/// roles-claim = "groups"
///
/// [identity]
/// claim = "email"                  # email | upn | preferred_username → the person whose personal mailbox it is
/// [identity.people]                # staff without a personal mailbox: claim value → person_id
/// "d.dewit@krimpenerwaard.nl" = "P0010"
///
/// [roles]                          # claim value → role(s)
/// "GG-Sluitsteen-DIV" = "div"
/// ```
public struct ServeConfiguration: Sendable {
    /// The service's address as browsers see it (scheme, host, port; no path). Redirect URI: `<public-url>/auth/callback`.
    public var publicURL: URL
    /// How long a session lasts after sign-in (absolute; enforced by the server).
    public var sessionLifetime: Duration
    /// The OpenID provider's issuer identifier, exactly as its ID tokens carry it in `iss`.
    public var issuer: String
    /// The client id registered at the provider (the `aud` of the ID tokens).
    public var clientId: String
    /// Where the client secret is kept.
    public var clientSecret: SecretSource
    /// The scopes asked for (always including `openid`).
    public var scopes: [String]
    /// How the service authenticates at the token endpoint.
    public var tokenEndpointAuth: TokenEndpointAuth
    /// The ID-token claim whose values the role mapping maps (e.g. `groups`, `roles`).
    public var rolesClaim: String
    /// The claim that names the person.
    public var identityClaim: IdentityClaim
    /// Claim values (lowercased) of staff without a personal mailbox, mapped to their person id.
    public var peopleByClaim: [String: String]
    /// Claim value (exact) → the roles it gives.
    public var roleMapping: [String: [Role]]

    /// Cookies carry `Secure` (and the `__Host-` name prefix) when browsers reach the service over https.
    public var secureCookies: Bool { publicURL.scheme == "https" }

    /// The `scheme://host[:port]` origin of the public URL (for the redirect URI and the Origin check of forms).
    public var publicOrigin: String {
        let scheme = publicURL.scheme ?? "http"
        var text = "\(scheme)://\(publicURL.host ?? "")"
        // As browsers send it in Origin: without the scheme's default port.
        if let port = publicURL.port, !(scheme == "https" && port == 443 || scheme == "http" && port == 80) { text += ":\(port)" }
        return text
    }

    /// The redirect URI registered at the provider.
    public var redirectURI: String { publicOrigin + "/auth/callback" }

    /// Reads and checks a configuration file. Every problem is reported (with its line) in the error.
    public static func load(file: String) throws(ServeConfigurationError) -> ServeConfiguration {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw .unreadable(file: file, reason: error.localizedDescription)
        }
        let reader = ServeConfigurationReader(text: text, file: file, folder: URL(fileURLWithPath: file).deletingLastPathComponent())
        guard let configuration = reader.read(), reader.diagnostics.isEmpty else { throw .invalid(reader.diagnostics) }
        return configuration
    }

    /// Every problem in a configuration text, each with its line; empty when it is valid. The client secret's source
    /// is checked too (the file exists and is not empty, the variable is set), but the secret is never shown.
    public static func check(text: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [ConfigDiagnostic] {
        let reader = ServeConfigurationReader(text: text, file: file, folder: URL(fileURLWithPath: file).deletingLastPathComponent(),
                                              environment: environment)
        _ = reader.read()
        return reader.diagnostics
    }

    /// Warnings that do not stop the service: a secret file others may read (not for a demo on loopback, whose
    /// secret is public anyway).
    public func warnings() -> [String] {
        var out: [String] = []
        if !ServeConfigurationReader.isLoopback(publicURL.host), case .file(let url) = clientSecret,
           let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
           let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            out.append("warning: the client secret file \(url.path) can be read by others (mode \(String(mode, radix: 8))); "
                + "make it readable for the service's account only (chmod 600)")
        }
        return out
    }

    /// Reads the client secret from its source (a file, relative to the configuration's folder, or the environment).
    public func readClientSecret(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ServeConfigurationError) -> ClientSecret {
        do throws(SecretSource.Failure) {
            return ClientSecret(try clientSecret.value(environment: environment))
        } catch {
            switch error {
            case .unreadable(let path): throw .secretUnavailable("the client secret file \(path) cannot be read")
            case .empty(let path): throw .secretUnavailable("the client secret file \(path) is empty")
            case .unset(let name): throw .secretUnavailable("the environment variable \(name) (the client secret) is not set or empty")
            }
        }
    }

    /// The roles that the values of the roles claim give, through the mapping (values without a mapping give none).
    public func roles(forClaimValues values: [String]) -> [Role] {
        Array(Set(values.flatMap { roleMapping[$0] ?? [] })).sorted()
    }
}

/// Why a service configuration cannot be used.
public enum ServeConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalid([ConfigDiagnostic])
    case secretUnavailable(String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "cannot read the service configuration \(file): \(reason)"
        case .invalid(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
                + "\n\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in the service configuration "
                + "(check it with `sluitsteen serve --check --config FILE`)"
        case .secretUnavailable(let reason): return reason
        }
    }
}

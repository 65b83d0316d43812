// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import SluitsteenPolicy
import TOMLKit

/// Reads a service configuration (TOML) into a ``ServeConfiguration``, collecting every problem with its line.
///
/// TOMLKit gives positions only for syntax errors, so the lines of tables and keys are found by scanning the text
/// (``TOMLKeyLines``).
final class ServeConfigurationReader {
    let file: String
    let folder: URL
    let environment: [String: String]
    let lines: TOMLKeyLines
    let text: String
    private(set) var diagnostics: [ConfigDiagnostic] = []

    init(text: String, file: String, folder: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.text = text
        self.file = file
        self.folder = folder
        self.environment = environment
        self.lines = TOMLKeyLines(text: text)
    }

    private static let schema: [String: Set<String>] = [
        "": ["service", "oidc", "identity", "roles"],
        "service": ["public-url", "session-minutes"],
        "oidc": ["issuer", "client-id", "client-secret-file", "client-secret-env", "client-secret", "scopes",
                 "token-endpoint-auth", "roles-claim"],
        "identity": ["claim", "people"],
    ]

    private func error(_ path: [String], _ key: String?, _ message: String, line: Int? = nil) {
        let dotted = (path + (key.map { [$0] } ?? [])).joined(separator: ".")
        let at = line ?? key.flatMap { lines.line(of: path, key: $0) } ?? lines.tableLine(path)
        diagnostics.append(ConfigDiagnostic(file: file, line: at, key: dotted, message: message))
    }

    func read() -> ServeConfiguration? {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            diagnostics.append(ConfigDiagnostic(
                file: file, line: e.source.begin.line, key: "",
                message: "TOML syntax error: \(e.description) (column \(e.source.begin.column)). "
                    + "Later errors are only reported once this one is fixed."))
            return nil
        } catch {
            diagnostics.append(ConfigDiagnostic(file: file, line: nil, key: "", message: "cannot parse TOML: \(error)"))
            return nil
        }
        for key in root.keys.sorted() where !Self.schema[""]!.contains(key) {
            error([key], nil, "unknown table or key '\(key)'; known tables: \(Self.schema[""]!.sorted().joined(separator: ", "))")
        }
        for table in ["service", "oidc", "identity"] {
            guard let t = root[table]?.table else { continue }
            for key in t.keys.sorted() where !Self.schema[table]!.contains(key) {
                error([table], key, "unknown key '\(key)' in [\(table)]; known keys: \(Self.schema[table]!.sorted().joined(separator: ", "))")
            }
        }

        // [service]
        let service = table(root, "service")
        let publicURL = url(service, ["service"], "public-url", what: "the public URL")
        if let publicURL, publicURL.path != "" && publicURL.path != "/" {
            error(["service"], "public-url", "the public URL may not have a path ('\(publicURL.path)'); the service is served from the root "
                + "of its host name (give a host name of its own to the reverse proxy)")
        }
        if let publicURL, publicURL.scheme == "http", !Self.isLoopback(publicURL.host) {
            error(["service"], "public-url", "http is allowed only on loopback (127.0.0.1, localhost, ::1); browsers elsewhere must reach "
                + "the service over https (TLS ends at the reverse proxy), or session cookies travel unencrypted")
        }
        var minutes = 480
        if let v = service?["session-minutes"] {
            if let n = v.int, (5...1440).contains(n) { minutes = n } else {
                error(["service"], "session-minutes", "must be a whole number of minutes from 5 to 1440 (24 hours), e.g. 480")
            }
        }

        // [oidc]
        let oidc = table(root, "oidc")
        let issuer = string(oidc, ["oidc"], "issuer")
        if let issuer {
            if let u = URL(string: issuer), let scheme = u.scheme, u.host != nil {
                if scheme == "http", !Self.isLoopback(u.host) {
                    error(["oidc"], "issuer", "the issuer must use https (http only for a test provider on loopback)")
                } else if scheme != "http" && scheme != "https" {
                    error(["oidc"], "issuer", "the issuer must be an https URL, e.g. https://login.microsoftonline.com/TENANT/v2.0")
                }
            } else {
                error(["oidc"], "issuer", "'\(issuer)' is not a URL; give the issuer as the provider names it, e.g. "
                    + "https://login.microsoftonline.com/TENANT/v2.0 or https://keycloak.example/realms/gemeente")
            }
        }
        let clientId = string(oidc, ["oidc"], "client-id")
        if oidc?["client-secret"] != nil {
            error(["oidc"], "client-secret", "the client secret may not be written in this file; put it in a file readable only by the "
                + "service (client-secret-file = \"…\") or in an environment variable (client-secret-env = \"NAME\")")
        }
        let secretFile = oidc?["client-secret-file"]
        let secretEnv = oidc?["client-secret-env"]
        var secret: SecretSource?
        switch (secretFile, secretEnv) {
        case (.some, .some):
            error(["oidc"], "client-secret-env", "give the client secret either in a file (client-secret-file) or in an environment "
                + "variable (client-secret-env), not both")
        case (.some(let f), nil):
            if let path = f.string, !path.trimmingCharacters(in: .whitespaces).isEmpty {
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
                let resolved = url.standardizedFileURL
                if let data = FileManager.default.contents(atPath: resolved.path) {
                    if String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        error(["oidc"], "client-secret-file", "the client secret file \(resolved.path) is empty")
                    }
                } else {
                    error(["oidc"], "client-secret-file", "the client secret file \(resolved.path) does not exist or cannot be read "
                        + "(a relative path is relative to the folder of this file)")
                }
                secret = .file(resolved)
            } else {
                error(["oidc"], "client-secret-file", "must be the path of the file holding the client secret, in double quotes")
            }
        case (nil, .some(let e)):
            if let name = e.string, !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                if (environment[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    error(["oidc"], "client-secret-env", "the environment variable \(name) (the client secret) is not set or empty")
                }
                secret = .environment(name)
            } else {
                error(["oidc"], "client-secret-env", "must be the name of an environment variable (letters, digits, _), e.g. SLUITSTEEN_OIDC_SECRET")
            }
        case (nil, nil):
            // Already reported when the secret was written into the file itself.
            if oidc == nil || oidc?["client-secret"] != nil { break }
            error(["oidc"], nil, "the client secret is missing: give client-secret-file = \"PATH\" or client-secret-env = \"NAME\"")
        }
        var scopes = ["openid", "email", "profile"]
        if let v = oidc?["scopes"] {
            if let a = v.array, a.allSatisfy({ $0.string.map { !$0.isEmpty && !$0.contains(" ") } ?? false }) {
                scopes = a.compactMap(\.string)
                if !scopes.contains("openid") {
                    error(["oidc"], "scopes", "the scopes must include \"openid\" (it makes the provider issue an ID token)")
                }
            } else {
                error(["oidc"], "scopes", "must be an array of scope names, e.g. [\"openid\", \"email\", \"profile\"]")
            }
        }
        var auth = TokenEndpointAuth.clientSecretBasic
        if let v = oidc?["token-endpoint-auth"] {
            if let s = v.string, let a = TokenEndpointAuth(rawValue: s) { auth = a } else {
                let allowed = TokenEndpointAuth.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                error(["oidc"], "token-endpoint-auth", "must be one of \(allowed)")
            }
        }
        let rolesClaim = string(oidc, ["oidc"], "roles-claim")

        // [identity]
        let identity = table(root, "identity")
        var identityClaim: IdentityClaim?
        if let s = string(identity, ["identity"], "claim") {
            identityClaim = IdentityClaim(rawValue: s)
            if identityClaim == nil {
                error(["identity"], "claim", "'\(s)' is not a claim the service can match people by; use one of "
                    + IdentityClaim.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
        }
        var people: [String: String] = [:]
        if let v = identity?["people"] {
            if let t = v.table {
                for key in t.keys.sorted() {
                    let line = lines.line(of: ["identity", "people"], key: key)
                    guard let id = t[key]?.string, Self.isPersonId(id) else {
                        error(["identity", "people"], key, "must be a person_id from people.csv in double quotes, e.g. \"P0010\"", line: line)
                        continue
                    }
                    let normalised = key.trimmingCharacters(in: .whitespaces).lowercased()
                    if people[normalised] != nil {
                        error(["identity", "people"], key, "'\(key)' is listed twice (claim values compare without case)", line: line)
                    }
                    people[normalised] = id
                }
            } else {
                error(["identity"], "people", "must be a table ([identity.people]) of claim value = \"person_id\"")
            }
        }

        // [roles]
        var mapping: [String: [Role]] = [:]
        if let v = root["roles"] {
            if let t = v.table {
                if t.keys.isEmpty { error(["roles"], nil, "the role mapping is empty: no one would get a role") }
                for key in t.keys.sorted() {
                    let line = lines.line(of: ["roles"], key: key)
                    let names: [String]?
                    if let s = t[key]?.string { names = [s] } else if let a = t[key]?.array { names = a.map { $0.string ?? "" } } else { names = nil }
                    guard let names, !names.isEmpty else {
                        error(["roles"], key, "must be a role or an array of roles in double quotes", line: line)
                        continue
                    }
                    var roles: [Role] = []
                    for name in names {
                        if let role = Role(rawValue: name) { roles.append(role) } else {
                            error(["roles"], key, "'\(name)' is not a role; the roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                                  line: line)
                        }
                    }
                    mapping[key] = Array(Set(roles)).sorted()
                }
            } else {
                error(["roles"], nil, "'roles' must be a table ([roles]) of claim value = \"role\"")
            }
        } else {
            error(["roles"], nil, "the [roles] table is missing: it maps the values of the roles claim to Sluitsteen roles")
        }

        guard diagnostics.isEmpty, let publicURL, let issuer, let clientId, let secret, let rolesClaim, let identityClaim else {
            return nil
        }
        return ServeConfiguration(
            publicURL: publicURL, sessionLifetime: .seconds(minutes * 60), issuer: issuer, clientId: clientId, clientSecret: secret,
            scopes: scopes, tokenEndpointAuth: auth, rolesClaim: rolesClaim, identityClaim: identityClaim, peopleByClaim: people,
            roleMapping: mapping)
    }

    // MARK: - Pieces

    private func table(_ root: TOMLTable, _ name: String) -> TOMLTable? {
        guard let v = root[name] else {
            error([name], nil, "the [\(name)] table is missing")
            return nil
        }
        guard let t = v.table else {
            error([name], nil, "'\(name)' must be a table ([\(name)]), found a \(v.type)")
            return nil
        }
        return t
    }

    private func string(_ t: TOMLTable?, _ path: [String], _ key: String) -> String? {
        guard let t else { return nil }
        guard let v = t[key] else {
            error(path, nil, "'\(key)' is missing in [\(path.joined(separator: "."))]")
            return nil
        }
        guard let s = v.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            error(path, key, "must be a non-empty text in double quotes, found \(v.type == .string ? "an empty text" : "a \(v.type)")")
            return nil
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    private func url(_ t: TOMLTable?, _ path: [String], _ key: String, what: String) -> URL? {
        guard let s = string(t, path, key) else { return nil }
        guard let u = URL(string: s), let scheme = u.scheme, scheme == "http" || scheme == "https", let host = u.host, !host.isEmpty,
              u.query == nil, u.fragment == nil, u.user == nil
        else {
            error(path, key, "'\(s)' is not \(what) as an http(s) URL without query, e.g. https://archief.gemeente.nl")
            return nil
        }
        return u
    }

    static func isLoopback(_ host: String?) -> Bool {
        guard let host else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func isPersonId(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 40 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// The lines of tables and keys in a TOML text, found by scanning it (TOMLKit gives positions only for syntax errors).
/// The same scan as the policy reader's; kept here because that one is internal to SluitsteenPolicy.
struct TOMLKeyLines {
    private var keys: [String: Int] = [:]     // "a.b\u{0}key" → line
    private var tables: [String: Int] = [:]   // "a.b" → line

    init(text: String) {
        var current: [String] = []
        var inMultilineString = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            let triples = line.components(separatedBy: "\"\"\"").count - 1
            if inMultilineString {
                if triples % 2 == 1 { inMultilineString = false }
                continue
            }
            if line.hasPrefix("["), !line.hasPrefix("[["), let close = line.firstIndex(of: "]") {
                current = Self.splitKey(String(line[line.index(after: line.startIndex)..<close]))
                let name = current.joined(separator: ".")
                if tables[name] == nil { tables[name] = lineNo }
                continue
            }
            guard !line.hasPrefix("#"), let eq = Self.assignment(in: line) else { continue }
            let parts = Self.splitKey(String(line[..<eq]))
            guard !parts.isEmpty else { continue }
            let full = current + parts
            let k = full.dropLast().joined(separator: ".") + "\u{0}" + full.last!
            if keys[k] == nil { keys[k] = lineNo }
            for n in 1..<full.count where tables[full.prefix(n).joined(separator: ".")] == nil {
                tables[full.prefix(n).joined(separator: ".")] = lineNo
            }
            if triples % 2 == 1 { inMultilineString = true }
        }
    }

    /// The `=` of a key/value line, outside a quoted key (keys such as `"a.b@x.nl" = …` hold dots and at-signs).
    private static func assignment(in line: String) -> String.Index? {
        var quote: Character?
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "=" { return i }
            i = line.index(after: i)
        }
        return nil
    }

    /// Splits a dotted key, keeping quoted parts (which may hold dots) whole.
    static func splitKey(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }

    func line(of path: [String], key: String) -> Int? { keys[path.joined(separator: ".") + "\u{0}" + key] }
    func tableLine(_ path: [String]) -> Int? { tables[path.joined(separator: ".")] }
}

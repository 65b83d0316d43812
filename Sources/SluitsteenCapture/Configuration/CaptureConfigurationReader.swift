// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import SluitsteenPolicy
import TOMLKit

/// Reads a capture configuration (TOML), collecting every problem with its line. TOMLKit gives positions only for
/// syntax errors, so the lines of tables and keys are found by scanning the text (``CaptureKeyLines``).
final class CaptureConfigurationReader {
    let file: String
    let folder: URL
    let environment: [String: String]
    let text: String
    private let lines: CaptureKeyLines
    private(set) var diagnostics: [PolicyDiagnostic] = []

    init(text: String, file: String, folder: URL, environment: [String: String]) {
        self.text = text
        self.file = file
        self.folder = folder
        self.environment = environment
        lines = CaptureKeyLines(text: text)
    }

    private static let schema: [String: Set<String>] = [
        "": ["server", "auth", "capture", "mailbox"],
        "server": ["host", "port", "tls", "ca-file", "timeout-seconds"],
        "auth": ["method", "password-file", "password-env", "password", "token-command", "token-file", "token-endpoint", "client-id",
                 "client-secret-file", "client-secret-env", "client-secret", "scope"],
        "capture": ["every", "idle", "skip-folders"],
        "mailbox": ["address", "user", "password-file", "password-env", "password", "new-mailbox"],
    ]

    /// Records a problem at the line of `key` in `table` (`mailbox#2` for the third `[[mailbox]]`), else of the table.
    private func error(_ table: String, _ key: String?, _ message: String) {
        let shown = table.replacingOccurrences(of: "#", with: "[").appending(table.contains("#") ? "]" : "")
        let dotted = ([shown] + (key.map { [$0] } ?? [])).filter { !$0.isEmpty }.joined(separator: ".")
        let at = key.flatMap { lines.line(table, $0) } ?? lines.tableLine(table)
        diagnostics.append(PolicyDiagnostic(file: file, line: at, key: dotted, message: message))
    }

    func read() -> CaptureConfiguration? {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            diagnostics.append(PolicyDiagnostic(file: file, line: e.source.begin.line, key: "",
                message: "TOML syntax error: \(e.description) (column \(e.source.begin.column)). Later errors are only reported once this one is " +
                         "fixed."))
            return nil
        } catch {
            diagnostics.append(PolicyDiagnostic(file: file, line: nil, key: "", message: "cannot parse TOML: \(error)"))
            return nil
        }
        for key in root.keys.sorted() where !Self.schema[""]!.contains(key) {
            error(key, nil, "unknown table or key '\(key)'; known tables: [server], [auth], [capture], [[mailbox]]")
        }
        for table in ["server", "auth", "capture"] {
            guard let t = root[table]?.table else {
                if root[table] != nil { error(table, nil, "must be a table: [\(table)]") }
                continue
            }
            for key in t.keys.sorted() where !Self.schema[table]!.contains(key) {
                error(table, key, "unknown key '\(key)' in [\(table)]; known keys: \(Self.schema[table]!.sorted().joined(separator: ", "))")
            }
        }
        let server = readServer(root["server"]?.table)
        let authentication = readAuthentication(root["auth"]?.table)
        let mailboxes = readMailboxes(root["mailbox"], authentication: authentication)
        let capture = root["capture"]?.table
        var every: TimeInterval?
        if let v = capture?["every"] {
            if let s = v.string, let d = CaptureConfiguration.duration(s), d >= 30 { every = d } else {
                error("capture", "every", "must be a duration of at least 30 seconds in double quotes, e.g. \"5m\", \"30s\" or \"1h\"")
            }
        }
        var idle = false
        if let v = capture?["idle"] {
            if let b = v.bool { idle = b } else { error("capture", "idle", "must be true or false") }
        }
        var skip: [String] = []
        if let v = capture?["skip-folders"] {
            if let a = v.array, a.allSatisfy({ $0.string.map { !$0.isEmpty } ?? false }) { skip = a.compactMap(\.string) } else {
                error("capture", "skip-folders", "must be a list of folder paths in double quotes, e.g. [\"Junk Email\", \"Projecten/Oud\"]")
            }
        }
        guard let server, let authentication, diagnostics.isEmpty else { return nil }
        return CaptureConfiguration(server: server, authentication: authentication, mailboxes: mailboxes, skipFolders: skip,
                                    every: every, idle: idle)
    }

    private func readServer(_ t: TOMLTable?) -> ServerSettings? {
        guard let t else { error("server", nil, "the [server] table is missing: host, port and tls"); return nil }
        let host = t["host"]?.string?.trimmingCharacters(in: .whitespaces)
        if host == nil || host!.isEmpty || host!.contains(where: { $0.isWhitespace || $0 == "/" }) {
            error("server", "host", "must be the server's host name in double quotes, e.g. \"outlook.office365.com\"")
        }
        var tls: TLSMode?
        if let s = t["tls"]?.string, let mode = TLSMode(rawValue: s) { tls = mode } else {
            error("server", "tls", "must be \"implicit\" (TLS from the start, usually port 993), \"starttls\" (usually port 143) or \"none\" "
                + "(only to this machine)")
        }
        var port: UInt16?
        if let v = t["port"] {
            if let n = v.int, (1...65535).contains(n) { port = UInt16(n) } else { error("server", "port", "must be a port number from 1 to 65535") }
        } else if let tls {
            port = tls == .implicit ? 993 : 143
        }
        if tls == TLSMode.none, let host, !ServerSettings(host: host, port: 1, tls: .none).isLoopback {
            error("server", "tls", "\"none\" is only allowed to a server on this machine (localhost, 127.0.0.1, ::1): the password would "
                + "travel unprotected. Use \"implicit\" or \"starttls\"")
        }
        var caFile: URL?
        if let v = t["ca-file"] {
            if let p = v.string, !p.isEmpty {
                let url = resolve(p)
                if FileManager.default.contents(atPath: url.path) == nil {
                    error("server", "ca-file", "the CA file \(url.path) does not exist or cannot be read (a relative path is relative to the " +
                                               "folder of this file)")
                }
                caFile = url
            } else { error("server", "ca-file", "must be the path of a PEM file in double quotes") }
        }
        var timeout = 60
        if let v = t["timeout-seconds"] {
            if let n = v.int, (5...3600).contains(n) {
                timeout = n
            } else {
                error("server", "timeout-seconds", "must be a number of seconds from 5 to 3600")
            }
        }
        guard let host, let tls, let port else { return nil }
        return ServerSettings(host: host, port: port, tls: tls, caFile: caFile, timeout: timeout)
    }

    private func resolve(_ path: String) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)).standardizedFileURL
    }

    /// A secret given as `NAME-file` or `NAME-env` in `table` (never the value itself); nil when neither is given.
    private func secretSource(_ t: TOMLTable, table: String, name: String, what: String) -> SecretSource? {
        if t[name] != nil {
            error(table, name, "the \(what) may not be written in this file; put it in a file only the archive's account can read "
                + "(\(name)-file = \"…\") or in an environment variable (\(name)-env = \"NAME\")")
        }
        switch (t["\(name)-file"], t["\(name)-env"]) {
        case (.some, .some):
            error(table, "\(name)-env", "give the \(what) either in a file (\(name)-file) or in an environment variable (\(name)-env), not both")
            return nil
        case (.some(let f), nil):
            guard let p = f.string, !p.trimmingCharacters(in: .whitespaces).isEmpty else {
                error(table, "\(name)-file", "must be the path of the file holding the \(what), in double quotes")
                return nil
            }
            let url = resolve(p)
            if let data = FileManager.default.contents(atPath: url.path) {
                if String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    error(table, "\(name)-file", "the \(what) file \(url.path) is empty")
                }
            } else {
                error(table, "\(name)-file", "the \(what) file \(url.path) does not exist or cannot be read (a relative path is relative to the " +
                                             "folder of this file)")
            }
            return .file(url)
        case (nil, .some(let e)):
            guard let n = e.string, !n.isEmpty, n.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                error(table, "\(name)-env", "must be the name of an environment variable (letters, digits, _), e.g. SLUITSTEEN_IMAP_PASSWORD")
                return nil
            }
            if (environment[n] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                error(table, "\(name)-env", "the environment variable \(n) (the \(what)) is not set or empty")
            }
            return .environment(n)
        case (nil, nil):
            return nil
        }
    }

    private func readAuthentication(_ t: TOMLTable?) -> Authentication? {
        guard let t else { error("auth", nil, "the [auth] table is missing: method = \"password\" or \"oauth2\""); return nil }
        switch t["method"]?.string {
        case "password":
            for key in ["token-command", "token-file", "token-endpoint", "client-id", "client-secret-file", "client-secret-env", "scope"]
            where t[key] != nil {
                error("auth", key, "belongs to method = \"oauth2\", not \"password\"")
            }
            // The password may also be given per mailbox.
            return .password(secretSource(t, table: "auth", name: "password", what: "password") ?? .environment(""))
        case "oauth2":
            for key in ["password-file", "password-env"] where t[key] != nil {
                error("auth", key, "belongs to method = \"password\", not \"oauth2\"")
            }
            let given = ["token-command", "token-file", "token-endpoint"].filter { t[$0] != nil }
            guard given.count == 1 else {
                error("auth", given.last, given.isEmpty
                      ? "OAuth 2.0 needs one token source: token-endpoint (client credentials), token-command or token-file"
                      : "give one token source, not \(given.joined(separator: " and "))")
                return nil
            }
            switch given[0] {
            case "token-command":
                guard let a = t["token-command"]?.array, !a.isEmpty, a.allSatisfy({ $0.string.map { !$0.isEmpty } ?? false }) else {
                    error("auth", "token-command", "must be the command and its arguments as a list, e.g. [\"/usr/local/bin/imap-token\", " +
                                                   "\"--tenant\", \"gemeente\"]")
                    return nil
                }
                return .oauth2(.command(a.compactMap(\.string)))
            case "token-file":
                guard let p = t["token-file"]?.string, !p.isEmpty else {
                    error("auth", "token-file", "must be the path of the file holding the token, in double quotes")
                    return nil
                }
                return .oauth2(.file(resolve(p)))
            default:
                var endpoint: URL?
                if let s = t["token-endpoint"]?.string, let u = URL(string: s), let scheme = u.scheme, u.host != nil,
                   scheme == "https" || (scheme == "http" && ServerSettings(host: u.host!, port: 1, tls: .none).isLoopback) {
                    endpoint = u
                } else {
                    error("auth", "token-endpoint", "must be the identity provider's https token URL, e.g. "
                        + "\"https://login.microsoftonline.com/TENANT/oauth2/v2.0/token\"")
                }
                let clientId = t["client-id"]?.string
                if clientId == nil || clientId!.isEmpty { error("auth", "client-id", "the client id of the app registration is missing") }
                let secret = secretSource(t, table: "auth", name: "client-secret", what: "client secret")
                if secret == nil && t["client-secret"] == nil {
                    error("auth", nil, "the client secret is missing: client-secret-file = \"PATH\" or client-secret-env = \"NAME\"")
                }
                let scope = t["scope"]?.string ?? "https://outlook.office365.com/.default"
                guard let endpoint, let clientId, let secret else { return nil }
                return .oauth2(.clientCredentials(endpoint: endpoint, clientId: clientId, secret: secret, scope: scope))
            }
        default:
            error("auth", "method", "must be \"password\" or \"oauth2\" (SASL XOAUTH2, e.g. Exchange Online)")
            return nil
        }
    }

    private func readMailboxes(_ value: TOMLValueConvertible?, authentication: Authentication?) -> [MailboxCapture] {
        guard let array = value?.array, !array.isEmpty else {
            error("", nil, "no mailbox to capture: add one [[mailbox]] table per mailbox, with address and user")
            return []
        }
        var out: [MailboxCapture] = []
        var seen = Set<String>()
        for (index, item) in array.enumerated() {
            let table = "mailbox#\(index)"
            guard let t = item.table else { error(table, nil, "must be a table: [[mailbox]]"); continue }
            for key in t.keys.sorted() where !Self.schema["mailbox"]!.contains(key) {
                error(table, key, "unknown key '\(key)' in [[mailbox]]; known keys: \(Self.schema["mailbox"]!.sorted().joined(separator: ", "))")
            }
            let address = t["address"]?.string?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || address.contains(where: \.isWhitespace) {
                error(table, "address", "must be the archive's mailbox address (as in mailboxes.csv), e.g. \"burgemeester@gemeente.nl\"")
            } else if !seen.insert(address).inserted {
                error(table, "address", "\(address) is listed twice")
            }
            let user = t["user"]?.string ?? ""
            if user.isEmpty || user.contains(where: { $0.isNewline }) { error(table, "user", "must be the IMAP user the mailbox is read as") }
            let password = secretSource(t, table: table, name: "password", what: "password")
            if password != nil, case .oauth2 = authentication {
                error(table, "password-file", "a password per mailbox belongs to method = \"password\"")
            }
            if password == nil, case .password(.environment("")) = authentication {
                error(table, nil, "no password for \(user): give password-file or password-env in [auth] or in this [[mailbox]]")
            }
            var newMailbox = false
            if let v = t["new-mailbox"] {
                if let b = v.bool { newMailbox = b } else { error(table, "new-mailbox", "must be true or false") }
            }
            out.append(MailboxCapture(address: address, user: user, password: password, newMailbox: newMailbox))
        }
        return out
    }
}

/// The lines of tables and keys in a capture configuration, found by scanning the text. Array tables are numbered:
/// the third `[[mailbox]]` is `mailbox#2`.
struct CaptureKeyLines {
    private var keys: [String: Int] = [:]
    private var tables: [String: Int] = [:]

    init(text: String) {
        var current = ""
        var counts: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[["), let close = line.range(of: "]]") {
                let name = line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                let n = counts[name, default: 0]
                counts[name] = n + 1
                current = "\(name)#\(n)"
                tables[current] = index + 1
            } else if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                current = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                if tables[current] == nil { tables[current] = index + 1 }
            } else if !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") {
                let key = line[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if keys[current + "\u{0}" + key] == nil { keys[current + "\u{0}" + key] = index + 1 }
                if current.isEmpty, tables[key] == nil { tables[key] = index + 1 }
            }
        }
    }

    func line(_ table: String, _ key: String) -> Int? { keys[table + "\u{0}" + key] }
    func tableLine(_ table: String) -> Int? { tables[table] }
}

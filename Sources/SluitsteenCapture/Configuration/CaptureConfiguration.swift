// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenSupport

extension SecretSource {
    /// Reads the secret (a password or client secret). The error names the source, never a value.
    public func read(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CaptureError) -> Secret {
        do throws(SecretSource.Failure) {
            return Secret(try value(environment: environment))
        } catch {
            switch error {
            case .unreadable(let path):
                throw .secret("The secret file \(path) cannot be read. Check the path and that this account may read it.")
            case .empty(let path): throw .secret("The secret file \(path) is empty.")
            case .unset(let name): throw .secret("The environment variable \(name) is not set or empty.")
            }
        }
    }
}

/// Where an OAuth 2.0 bearer token comes from (SASL XOAUTH2).
public enum TokenSource: Sendable, Equatable {
    /// A command whose standard output is the token (e.g. a script that asks the identity provider).
    case command([String])
    /// A file holding the token (refreshed by something else).
    case file(URL)
    /// A client-credentials request to the token endpoint (Entra ID app-only: `IMAP.AccessAsApp`).
    case clientCredentials(endpoint: URL, clientId: String, secret: SecretSource, scope: String)
}

/// How the capture signs in to the server.
public enum Authentication: Sendable, Equatable {
    case password(SecretSource)
    case oauth2(TokenSource)
}

/// The server to capture from.
public struct ServerSettings: Sendable, Equatable {
    public var host: String
    public var port: UInt16
    public var tls: TLSMode
    /// PEM file of the CA(s) to trust instead of the system's.
    public var caFile: URL?
    /// Network timeout in seconds.
    public var timeout: Int

    public init(host: String, port: UInt16, tls: TLSMode, caFile: URL? = nil, timeout: Int = 60) {
        self.host = host
        self.port = port
        self.tls = tls
        self.caFile = caFile
        self.timeout = timeout
    }

    /// Whether the host is this machine (the only place `tls = none` may go).
    public var isLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}

/// One archive mailbox to capture and the IMAP user it is read as.
public struct MailboxCapture: Sendable, Equatable {
    /// The archive's mailbox (in the mailbox register).
    public var address: String
    /// The IMAP user (for Exchange Online: the mailbox's address; for Dovecot a master user may read it as
    /// `user*master`).
    public var user: String
    /// A password source for this mailbox alone (password authentication only).
    public var password: SecretSource?
    /// Take the mail in although the mailbox is not in the register (it stays unclassified until registered).
    public var newMailbox: Bool

    public init(address: String, user: String, password: SecretSource? = nil, newMailbox: Bool = false) {
        self.address = address.trimmingCharacters(in: .whitespaces).lowercased()
        self.user = user
        self.password = password
        self.newMailbox = newMailbox
    }
}

/// The configuration of `sluitsteen capture`: a TOML file beside the policy, checked by `sluitsteen capture --check`.
///
/// ```toml
/// [server]
/// host = "outlook.office365.com"
/// port = 993
/// tls = "implicit"              # implicit | starttls | none (none: only to this machine)
/// # ca-file = "gemeente-ca.pem" # trust this CA instead of the system's
///
/// [auth]
/// method = "oauth2"             # password | oauth2
/// token-endpoint = "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token"
/// client-id = "00000000-0000-0000-0000-000000000000"
/// client-secret-file = "capture-client.secret"
/// scope = "https://outlook.office365.com/.default"
/// # or: token-command = ["/usr/local/bin/imap-token"], or token-file = "token.txt"
/// # password: password-file = "imap.secret" or password-env = "SLUITSTEEN_IMAP_PASSWORD"
///
/// [capture]
/// every = "5m"                  # the interval of `capture --service`
/// idle = true                   # wait with IDLE on the first mailbox's Inbox between runs
/// skip-folders = ["Junk Email"] # archive folder paths never captured
///
/// [[mailbox]]
/// address = "burgemeester@krimpenerwaard.nl"
/// user = "burgemeester@krimpenerwaard.nl"
/// ```
public struct CaptureConfiguration: Sendable, Equatable {
    public var server: ServerSettings
    public var authentication: Authentication
    public var mailboxes: [MailboxCapture]
    /// Archive folder paths (after decoding, `/`-separated) that are never captured; compared without case.
    public var skipFolders: [String]
    /// The interval of the service mode.
    public var every: TimeInterval?
    /// Wait with IDLE on the first mailbox's Inbox between service runs.
    public var idle: Bool
    /// Where the configuration came from, for the audit trail: the file and its SHA-256, or "command line".
    public var origin: String

    public init(server: ServerSettings, authentication: Authentication, mailboxes: [MailboxCapture], skipFolders: [String] = [],
                every: TimeInterval? = nil, idle: Bool = false, origin: String = "command line") {
        self.server = server
        self.authentication = authentication
        self.mailboxes = mailboxes
        self.skipFolders = skipFolders
        self.every = every
        self.idle = idle
        self.origin = origin
    }

    /// Reads and checks a configuration file: every problem is reported, with its line.
    public static func load(contentsOf url: URL, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(CaptureError) -> CaptureConfiguration {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .unreadableConfiguration(file: url.path, reason: "the file does not exist or cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        let reader = CaptureConfigurationReader(text: text, file: url.path, folder: url.deletingLastPathComponent(),
                                                environment: environment)
        let read = reader.read()
        guard let configuration = read, reader.diagnostics.isEmpty else { throw .configuration(reader.diagnostics) }
        var c = configuration
        c.origin = "\(url.standardizedFileURL.path) (sha256 \(Digest.hex(data).prefix(16))…)"
        return c
    }

    /// Every problem in a configuration text, each with its line; empty when it is valid.
    public static func check(text: String, file: String, folder: URL,
                             environment: [String: String] = ProcessInfo.processInfo.environment) -> [PolicyDiagnostic] {
        let reader = CaptureConfigurationReader(text: text, file: file, folder: folder, environment: environment)
        _ = reader.read()
        return reader.diagnostics
    }

    /// Parses `5m`, `30s`, `2h`, `1d` or a number of seconds.
    public static func duration(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last else { return nil }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = units[last], let n = Double(t.dropLast()), n > 0 { return n * unit }
        if let n = Double(t), n > 0 { return n }
        return nil
    }
}

import SluitsteenHashing

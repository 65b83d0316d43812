// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy

/// Why a capture (or part of one) did not succeed, worded for a records manager: what, where, what to do. No case ever
/// holds a password, token or client secret.
public enum CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file has problems (every one, with its line).
    case configuration([PolicyDiagnostic])
    /// The configuration file cannot be read.
    case unreadableConfiguration(file: String, reason: String)
    /// The command line's one-off form is incomplete or wrong.
    case invalidRequest(String)
    /// A password, token or client secret could not be obtained (its source is named, never its value).
    case secret(String)
    /// The OAuth 2.0 token endpoint or command refused or failed.
    case token(String)
    /// No connection could be made, or it broke off (retried with back-off).
    case connection(server: String, reason: String)
    /// The first connection failed.
    case connect(server: String, reason: String)
    /// The server's certificate is not trusted: nothing was sent.
    case certificate(server: String, reason: String)
    /// STARTTLS was asked for but the server does not offer it: nothing was sent.
    case tlsUnavailable(server: String)
    /// `tls = none` to a server that is not on this machine.
    case cleartextRefused(server: String)
    /// The server refused the login.
    case authentication(server: String, user: String, reason: String)
    /// The server refused a command.
    case command(server: String, command: String, reason: String)
    /// A folder could not be opened.
    case folder(server: String, folder: String, reason: String)
    /// The archive refused the mailbox (not in the register) or could not take the mail in.
    case refused(String)
    /// The archive (catalog, store, lock) failed.
    case archive(String)

    /// Whether trying again later may help (a network or server hiccup), as opposed to a wrong configuration.
    public var isTransient: Bool {
        switch self {
        case .connection, .connect, .command, .folder, .token: return true
        case .archive(let text): return text.contains("holds the store lock") || text.contains("busy")
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .configuration(let diagnostics):
            return "The capture configuration has \(diagnostics.count) error(s); fix them and run `sluitsteen capture --check`:\n"
                + diagnostics.map { "  " + $0.description }.joined(separator: "\n")
        case .unreadableConfiguration(let file, let reason):
            return "Cannot read the capture configuration \(file): \(reason). Check the path and permissions."
        case .invalidRequest(let text): return text
        case .secret(let text): return text
        case .token(let text): return "No OAuth 2.0 token: \(text)"
        case .connection(let server, let reason):
            return "The connection to \(server) failed: \(reason). It is tried again; check the network and the server if it persists."
        case .connect(let server, let reason):
            return "Cannot connect to \(server): \(reason). Check the server name, the port and the TLS setting."
        case .certificate(let server, let reason):
            return "The certificate of \(server) is not trusted (\(reason)); nothing was sent to it. Check the server name, "
                + "or give the CA that issued the certificate with ca-file / --ca-file."
        case .tlsUnavailable(let server):
            return "\(server) does not offer STARTTLS; nothing was sent. Use tls = \"implicit\" (usually port 993), or ask the mail administrator."
        case .cleartextRefused(let server):
            return "tls = none is only allowed to a server on this machine (\(server) is not): the password would travel unprotected. "
                + "Use implicit or starttls."
        case .authentication(let server, let user, let reason):
            return "\(server) refused the login of \(user): \(reason). Check the user name and the password or token source."
        case .command(let server, let command, let reason):
            return "\(server) refused \(command): \(reason)."
        case .folder(let server, let folder, let reason):
            return "\(server) could not open the folder \(folder): \(reason)."
        case .refused(let text): return text
        case .archive(let text): return text
        }
    }
}

/// A password, token or client secret. Its descriptions never show the value, so that it cannot reach a log, the
/// catalog or the audit trail by accident.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The value itself: only for the server or the token endpoint.
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "‹geheim›" }
    public var debugDescription: String { "‹geheim›" }
}

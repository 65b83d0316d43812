// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Where a password, client secret or token is kept: never in a configuration file itself. One type for every
/// configuration that names a secret (the web service's client secret, the capture's IMAP passwords).
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    /// A file holding the secret (surrounding white space is ignored).
    case file(URL)
    /// An environment variable holding the secret.
    case environment(String)

    /// Why a secret could not be read; the cases name the source, never a value.
    public enum Failure: Error, Equatable, Sendable {
        /// The file cannot be read (missing, or not readable by this account).
        case unreadable(path: String)
        /// The file holds nothing but white space.
        case empty(path: String)
        /// The environment variable is not set, or empty.
        case unset(name: String)
    }

    public var description: String {
        switch self {
        case .file(let url): return "file \(url.path)"
        case .environment(let name): return "environment variable \(name)"
        }
    }

    /// Reads the secret's value, without surrounding white space; never an empty value.
    public func value(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> String {
        switch self {
        case .file(let url):
            guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(path: url.path) }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw .empty(path: url.path) }
            return value
        case .environment(let name):
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw .unset(name: name)
            }
            return value
        }
    }
}

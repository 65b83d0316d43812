// SPDX-License-Identifier: EUPL-1.2
import SluitsteenXML

/// Why verification could not take place at all (the CLI exits with 2): the package is unreadable, or the
/// schema needed to judge it is missing.
public enum VerifyError: Error, Sendable, CustomStringConvertible {
    /// The package (folder, tar, zip) cannot be read at all; `check` is `package.unreadable`.
    case unreadable(path: String, reason: String)
    /// A file given with `--sidecar` cannot be read (missing, a folder, a named pipe, a device ...).
    case unreadableFile(path: String, reason: String)
    /// The MDTO or pakbon schema is missing or not the official one.
    case schema(XMLError)
    /// The policy file cannot be read.
    case policy(path: String, reason: String)

    /// The check id reports cite for an unreadable package.
    public static let unreadableCheck = CheckID("package.unreadable")

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "[package.unreadable] \(path): the package cannot be read: \(reason). "
                + "Nothing was verified; ask the sender for a complete copy."
        case .unreadableFile(let path, let reason):
            return "[package.unreadable] \(path): the MDTO file cannot be read: \(reason). Nothing was verified."
        case .schema(let error):
            return error.description
        case .policy(let path, let reason):
            return "\(path): the policy file cannot be read: \(reason)"
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2

/// What can go wrong before the recognisers run: the text file or the grounds list.
public enum WooError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (the system's reason).
    case unreadable(file: String, reason: String)
    /// The file is not UTF-8 text; `offset` is the first byte that is not.
    case notUTF8(file: String, offset: Int)
    /// The shipped grounds list is missing from the installation.
    case missingGrounds
    /// A grounds list that does not decode or leaves a recogniser without a ground.
    case invalidGrounds(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "Cannot read \(file): \(reason). Check the path and the permissions."
        case .notUTF8(let file, let offset):
            return "\(file) is not UTF-8 text (byte \(offset) is not valid UTF-8). Convert it first, for example with "
                + "`iconv -f WINDOWS-1252 -t UTF-8`, and run the command again."
        case .missingGrounds:
            return "The Woo grounds list (woo-grounds.json) is missing from the installation; reinstall Sluitsteen."
        case .invalidGrounds(let file, let reason):
            return "The Woo grounds list \(file) is not valid: \(reason)."
        }
    }
}

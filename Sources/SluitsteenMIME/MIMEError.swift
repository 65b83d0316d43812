// SPDX-License-Identifier: EUPL-1.2

/// Why a stored message could not be read, or an attachment not written, worded for a records manager. The
/// stages that call the MIME layer pass these on in their own errors with the same words.
public enum MIMEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message in the file at the path could not be read.
    case cannotRead(String, reason: String)
    /// The stored message at the path could not be opened for its attachments.
    case cannotOpen(String, reason: String)
    /// An attachment could not be written to the file at the path.
    case cannotWrite(String, reason: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .cannotRead(let path, _), .cannotOpen(let path, _), .cannotWrite(let path, _): return path
        }
    }

    /// Why, in the system's or Sluitsteen's words.
    public var reason: String {
        switch self {
        case .cannotRead(_, let reason), .cannotOpen(_, let reason), .cannotWrite(_, let reason): return reason
        }
    }

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)."
        case .cannotOpen(let path, let reason): return "cannot open \(path): \(reason)."
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)."
        }
    }
}

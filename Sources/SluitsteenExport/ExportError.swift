// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Why an export or a transfer confirmation failed, worded for a records manager: what went wrong, where, and
/// what to do. A failed export leaves nothing at the `--out` location.
public enum ExportError: Error, CustomStringConvertible, Sendable {
    /// The `--out` location already exists.
    case outExists(String)
    /// The `--out` location cannot be written (its folder is missing or not writable).
    case cannotWrite(String, reason: String)
    /// Nothing matched the selection.
    case nothingSelected(String)
    /// A schema is missing or not the official one.
    case schema(String)
    /// A stored message could not be read or is damaged.
    case message(copy: String, reason: String)
    /// A sidecar or the pakbon does not validate against its XSD.
    case invalid(file: String, about: String, rule: String)
    /// A problem in the catalog, retention or policy stage.
    case archive(String)
    /// A value was wrong (option, name).
    case invalidInput(String)
    /// The package is not in the catalog.
    case unknownPackage(String)
    /// The package was already confirmed.
    case alreadyConfirmed(String, at: String)

    public var description: String {
        switch self {
        case .outExists(let path):
            return "\(path) already exists. Choose a new --out location; an export never overwrites anything."
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Check the folder, the disk space and the permissions; nothing was exported."
        case .nothingSelected(let what):
            return "no message copies match the selection (\(what)); nothing was exported. Check --as-of, --mailbox, --hotspot and the registers (`sluitsteen plan`)."
        case .schema(let reason):
            return reason
        case .message(let copy, let reason):
            return "the export stopped at \(Self.brief(copy)): \(Self.brief(reason)). Nothing was exported; restore the message from a "
                + "backup and run the export again."
        case .invalid(let file, let about, let rule):
            return "the export stopped: \(Self.brief(file)) (\(Self.brief(about))) does not validate: \(Self.brief(rule)). Nothing was "
                + "exported; report this as a Sluitsteen bug."
        case .archive(let reason):
            return "the export could not read the archive: \(reason). Nothing was exported."
        case .invalidInput(let reason):
            return reason
        case .unknownPackage(let id):
            return "there is no export package '\(id)' in the catalog. List the packages with `sluitsteen transfer list` or check the id in the pakbon."
        case .alreadyConfirmed(let id, let at):
            return "package \(id) was already confirmed as accepted by the e-depot on \(at); nothing was changed."
        }
    }

    /// `text` cut to at most `max` characters (ending in `…` when cut), so that a message never repeats a huge
    /// value (a Subject of megabytes, a validator's echo of it).
    static func brief(_ text: String, max: Int = 300) -> String {
        guard text.utf8.count > max else { return text }
        return String(text.prefix(max)) + "…"
    }
}

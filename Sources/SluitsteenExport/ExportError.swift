// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenRetention
import SluitsteenXML

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
    /// A schema could not be read.
    case schemaUnreadable(XMLError)
    /// A stored message could not be read or is damaged.
    case message(copy: String, reason: String)
    /// A sidecar or the pakbon does not validate against its XSD.
    case invalid(file: String, about: String, rule: String)
    /// The catalog or the store failed underneath.
    case archive(ArchiveError)
    /// The retention stage failed underneath (registers, policy, decisions).
    case retention(RetentionError)
    /// Anything else that stopped the export (its own scratch database, a file).
    case failed(any Error)
    /// A value was wrong (option, name).
    case invalidInput(String)
    /// The package is not in the catalog.
    case unknownPackage(String)
    /// The package was already confirmed.
    case alreadyConfirmed(String, at: String)
    /// The package was withdrawn (`transfer withdraw`): it cannot be confirmed or withdrawn again.
    case withdrawn(String, at: String)
    /// None of the package's copies is still present: they were transferred with other, confirmed packages (named
    /// with their confirmation time and number of copies) or destroyed since the export.
    case nothingToTransfer(String, elsewhere: [(id: String, confirmedAt: String, copies: Int)], total: Int)

    public var description: String {
        switch self {
        case .outExists(let path):
            return "\(path) already exists. Choose a new --out location; an export never overwrites anything."
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Check the folder, the disk space and the permissions; nothing was exported."
        case .nothingSelected(let what):
            return "no message copies match the selection (\(what)); nothing was exported. Check --as-of, --mailbox, --hotspot and the registers " +
                   "(`sluitsteen plan`)."
        case .schema(let reason):
            return reason
        case .schemaUnreadable(let e):
            return e.description
        case .message(let copy, let reason):
            return "the export stopped at \(Self.brief(copy)): \(Self.brief(reason)). Nothing was exported; restore the message from a "
                + "backup and run the export again."
        case .invalid(let file, let about, let rule):
            return "the export stopped: \(Self.brief(file)) (\(Self.brief(about))) does not validate: \(Self.brief(rule)). Nothing was "
                + "exported; report this as a Sluitsteen bug."
        case .archive(let e):
            return "the export could not read the archive: \(e). Nothing was exported."
        case .retention(let e):
            return "the export could not read the archive: \(e). Nothing was exported."
        case .failed(let e):
            return "the export could not read the archive: \(e). Nothing was exported."
        case .invalidInput(let reason):
            return reason
        case .unknownPackage(let id):
            return "there is no export package '\(id)' in the catalog. List the packages with `sluitsteen transfer list` or check the id in the " +
                   "pakbon."
        case .alreadyConfirmed(let id, let at):
            return "package \(id) was already confirmed as accepted by the e-depot on \(at); nothing was changed."
        case .withdrawn(let id, let at):
            return "package \(id) was withdrawn on \(at); it cannot be confirmed or withdrawn again. Export the copies anew if they are still due."
        case .nothingToTransfer(let id, let elsewhere, let total):
            let others = elsewhere.map { "\($0.id) (confirmed \($0.confirmedAt), \($0.copies) of them)" }.joined(separator: ", ")
            return "package \(id) cannot be confirmed: none of its \(total) copies is still in the archive as present"
                + (others.isEmpty ? " (they were destroyed or purged since the export)"
                   : "; they were already transferred with \(others)")
                + ". Nothing was changed. Withdraw this package (`sluitsteen transfer withdraw \(id) --reason …`) and tell the e-depot it " +
                  "duplicates an earlier transfer."
        }
    }

    /// `text` cut to at most `max` characters (ending in `…` when cut), so that a message never repeats a huge
    /// value (a Subject of megabytes, a validator's echo of it).
    static func brief(_ text: String, max: Int = 300) -> String {
        guard text.utf8.count > max else { return text }
        return String(text.prefix(max)) + "…"
    }
}

extension ExportError: CatalogTransactionError {
    /// An error met in a catalog transaction of the export stage.
    public init(wrapping error: any Error) {
        switch error {
        case let e as ExportError: self = e
        case let e as RetentionError: self = .retention(e)
        default: self = .archive(ArchiveError(wrapping: error))
        }
    }

    /// An error met while building a package: its own errors pass, the archive's and the retention stage's are
    /// wrapped as such, and anything else (the scratch database of the selection, a file) as ``failed(_:)``.
    static func building(_ error: any Error) -> ExportError {
        switch error {
        case let e as ExportError: return e
        case let e as ArchiveError: return .archive(e)
        case let e as RetentionError: return .retention(e)
        default: return .failed(error)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenRetention

/// Errors of the destruction chain (vernietigingslijsten, approvals, execution, opt-out purges), worded for a
/// records manager: what is wrong, for which list, and what to do.
public enum DestroyError: Error, CustomStringConvertible, Sendable {
    /// The catalog or the store failed underneath, or is busy.
    case archive(ArchiveError)
    /// The rules engine failed underneath (registers, policy, decisions).
    case retention(RetentionError)
    /// No list with this id.
    case unknownList(String)
    /// The action is not allowed in the list's current state (already approved, rejected, executed, …).
    case refused(String)
    /// Input that cannot be used (an empty reason, an unknown role, an item not on the list).
    case invalidInput(String)
    /// The words of destroyed messages could not be cleared from the full-text index and the catalog file.
    case textNotErased(ArchiveError)
    /// A document (list, verklaring) could not be written.
    case cannotWrite(String, reason: String)
    /// A destructive command was asked to decide as of a date after today.
    case futureRefused(command: String, asOf: String, today: String)

    public var description: String {
        switch self {
        case .archive(let e): return e.description
        case .retention(let e): return e.description
        case .unknownList(let id):
            return "there is no vernietigingslijst '\(id)' in this archive; `sluitsteen destroy list` shows the lists."
        case .textNotErased(let e): return "the full-text index could not be cleared of destroyed text: \(e)"
        case .refused(let m), .invalidInput(let m): return m
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Check the disk space and permissions, then run the command again."
        case .futureRefused(let command, let asOf, let today):
            return "\(command) refused --as-of \(asOf): that is later than today (\(today)). Destruction and purging work on the real "
                + "present only, so that nothing is destroyed before its term ends. Nothing was changed. To look ahead, use "
                + "`sluitsteen plan --as-of \(asOf)`."
        }
    }
}

extension DestroyError: CatalogTransactionError {
    /// An error met in a catalog transaction of the destruction chain.
    public init(wrapping error: any Error) {
        switch error {
        case let e as DestroyError: self = e
        case let e as RetentionError: self = .retention(e)
        default: self = .archive(ArchiveError(wrapping: error))
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy

/// Errors of the retention stage (registers, opt-outs, hotspots, holds, plans), worded for a records manager.
public enum RetentionError: Error, CustomStringConvertible, Sendable {
    /// The workspace (catalog, store, full-text index) failed underneath.
    case archive(ArchiveError)
    /// The policy in force could not be read.
    case policy(PolicyError)
    /// A policy file was not installed: what is wrong in it.
    case policyNotInstalled([PolicyDiagnostic])
    /// A register file could not be read at all.
    case registerFile(RegisterReadError)
    case registers([String])
    /// The registers kept in the catalog could not be read back.
    case storedRegisters(any Error)
    case noRegisters
    /// An opt-out mark was refused (its window has closed, the mailbox is not registered, …).
    case optOut(OptOutRefusal)
    case refused(String)
    case notFound(String)
    case invalidInput(String)
    /// An error of the caller's own, thrown while decisions were handed to it (``RetentionEngine/forEachDecision(asOf:mailboxes:explain:_:)``).
    case handler(any Error)

    public var description: String {
        switch self {
        case .archive(let e): return e.description
        case .policy(let e): return e.description
        case .policyNotInstalled(let problems):
            return "the policy was not installed:\n" + problems.map { "  \($0.description)" }.joined(separator: "\n")
        case .registerFile(let e): return e.description
        case .registers(let lines): return "the registers were not imported:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
        case .storedRegisters(let e): return "the stored registers cannot be read: \(e)"
        case .noRegisters:
            return "no registers have been imported yet; run `sluitsteen register import people.csv roles.csv mailboxes.csv` first."
        case .optOut(let e): return e.description
        case .refused(let m): return m
        case .notFound(let what): return "\(what) was not found."
        case .invalidInput(let m): return m
        case .handler(let e): return "\(e)"
        }
    }
}

extension RetentionError: CatalogTransactionError {
    /// An error met in a catalog transaction of the retention stage.
    public init(wrapping error: any Error) {
        self = (error as? RetentionError) ?? .archive(ArchiveError(wrapping: error))
    }
}

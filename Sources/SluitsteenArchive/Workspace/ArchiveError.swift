// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// Errors of the archive workspace, worded for a records manager.
public enum ArchiveError: Error, CustomStringConvertible, Sendable {
    case notAWorkspace(String, reason: String)
    case cannotWrite(String, reason: String)
    case cannotRead(String, reason: String)
    /// The catalog (SQLite) failed; the failure carries SQLite's own error (see ``init(wrapping:)``).
    case catalog(CatalogFailure)
    /// SQLite refused a row of a captured batch (SQLite's message): the batch's transaction was rolled back.
    case batchNotKept(String)
    case storeCorrupt(sha256: String, reason: String)
    case notFound(String)
    /// A reference to a copy (a Message-ID without a mailbox) that names copies in more than one mailbox; each
    /// candidate is described with its copy number.
    case ambiguousCopy(String, candidates: [String])
    /// A copy number given with a mailbox that is not the copy's.
    case copyElsewhere(copy: Int64, mailbox: String, actual: String)
    /// Another command is adding bytes to or removing bytes from the store (see ``StoreLock``).
    case busy(String, holder: String)
    /// `SLUITSTEEN_NOW` is set for a real archive.
    case clockReplayRefused(String, value: String)
    /// `init` asked for another kind than the workspace was created as.
    case kindMismatch(String, recorded: ArchiveKind, requested: ArchiveKind)
    /// The workspace's store still has the one-file-per-message layout of earlier versions.
    case legacyStore(String)
    /// The catalog could not be upgraded to this version's schema: the step (a migration's name) that failed and why.
    /// That step changed nothing (each step is one transaction); steps before it are kept.
    case catalogUpgrade(String, step: String, reason: String)

    public var description: String {
        switch self {
        case .notAWorkspace(let path, let reason): return "\(path) is not an archive workspace: \(reason)."
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason). Check the disk space and permissions."
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)."
        case .catalog(let failure): return "the catalog could not be updated: \(failure). Nothing was changed; run the command again."
        case .batchNotKept(let reason):
            return "the catalog could not be updated: \(reason). Nothing of this batch was kept; run the ingest again."
        case .storeCorrupt(let sha, let reason): return "stored message \(sha) is damaged: \(reason). Restore it from a backup."
        case .notFound(let what): return "\(what) was not found in the catalog."
        case .ambiguousCopy(let what, let candidates):
            return "\(what) is in more than one mailbox; name one copy with --copy NUMBER (or give --mailbox):\n  "
                + candidates.joined(separator: "\n  ")
        case .copyElsewhere(let copy, let mailbox, let actual):
            return "copy \(copy) is in mailbox \(actual), not in \(mailbox); check the number (the first column of `sluitsteen messages`) "
                + "or leave out --mailbox."
        case .busy(let path, let holder):
            return "the archive in \(path) is busy: another command is changing its stored messages (\(holder)). Nothing was changed; "
                + "run this command again when that one has finished."
        case .clockReplayRefused(let path, let value):
            return "SLUITSTEEN_NOW is set (\(value.prefix(40))), but \(path) is a real archive: its clock cannot be set, because that would "
                + "skip the bedenktijd and date the audit trail falsely. Unset SLUITSTEEN_NOW; a replayed clock is only for a demo/test "
                + "archive made with `sluitsteen init --demo DIR`."
        case .kindMismatch(let path, let recorded, let requested):
            return "\(path) was created as a \(recorded == .demo ? "demo/test archive" : "real archive"); it cannot become a "
                + "\(requested == .demo ? "demo/test archive" : "real archive"). Create a new workspace in another folder."
        case .catalogUpgrade(let path, let step, let reason):
            return "the catalog of \(path) could not be upgraded to this version of Sluitsteen (step \(step)): \(reason). That step "
                + "changed nothing (steps before it are kept). If the disk is full or another command holds the catalog, free space or "
                + "wait and run the command again; otherwise running it again gives the same result: keep the workspace as it is "
                + "and report this message."
        case .legacyStore(let path):
            return "the store of \(path) still keeps one file per message (made by an earlier version of Sluitsteen); convert it to pack "
                + "files first with `sluitsteen store migrate --home \(path)` (it can be interrupted and run again)."
        }
    }
}

/// What failed in the catalog: SQLite's error (GRDB's `DatabaseError`), or another error met in a catalog
/// transaction, with what was being done when it was not a transaction of the command itself.
public struct CatalogFailure: Error, Sendable, CustomStringConvertible {
    /// What was being done ("cannot open …"), when it is not the command's own work.
    public var context: String?
    /// The error itself: SQLite's `DatabaseError` as a rule.
    public var underlying: any Error

    public init(_ underlying: any Error, context: String? = nil) {
        self.underlying = underlying
        self.context = context
    }

    /// SQLite's error, when SQLite failed.
    public var databaseError: DatabaseError? { underlying as? DatabaseError }

    public var description: String { context.map { "\($0): \(underlying)" } ?? "\(underlying)" }
}

/// An error type of a stage that works on the catalog. A catalog transaction opened with
/// ``Catalog/read(throwing:_:)`` or ``Catalog/write(throwing:_:)`` lets errors of this type pass unchanged and wraps
/// every other error it meets with ``init(wrapping:)``: SQLite's through ``ArchiveError/init(wrapping:)``, the one
/// conversion of GRDB's `DatabaseError`.
public protocol CatalogTransactionError: Error {
    /// This error standing for `error`, met while working on the catalog.
    init(wrapping error: any Error)
}

extension ArchiveError: CatalogTransactionError {
    /// The one conversion of an error met in the catalog: an ``ArchiveError`` stays itself; anything else (SQLite's
    /// `DatabaseError` above all) becomes ``catalog(_:)``.
    public init(wrapping error: any Error) {
        if let archive = error as? ArchiveError { self = archive } else { self = .catalog(CatalogFailure(error)) }
    }
}

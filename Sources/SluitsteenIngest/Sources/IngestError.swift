// SPDX-License-Identifier: EUPL-1.2
import SluitsteenArchive

/// Errors of the ingest stage, worded for a records manager.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case unreadable(String, reason: String)
    case notAMailbox(String, reason: String)
    case formatMismatch(String, expected: MailboxFormat)
    case invalidMailboxAddress(String)
    /// A PST/OST file could not be converted.
    case pst(PSTError)
    /// The workspace (catalog, store, lock) failed, or is busy.
    case archive(ArchiveError)
    /// An mbox changed while it was read (a mail program wrote to it, truncated or replaced it).
    case changedWhileRead(String, detail: String)
    /// The run stopped for `reason` after it had begun: `committed` is what it had committed by then (batch,
    /// counts), which stays in the archive. The failure is in the audit trail and the ingest batch's status.
    indirect case stopped(reason: IngestError, committed: IngestSummary)

    public var description: String {
        switch self {
        case .unreadable: return cause + " Nothing was ingested from it."
        case .stopped(let reason, let s):
            let what = s.found == 0
                ? "Nothing was committed before that"
                : "\(s.found) message copies (\(s.storedNew) new, \(s.alreadyPresent) already present) were committed before that "
                    + "and stay in the archive"
            return "\(reason.cause) The ingest stopped there. \(what) (batch \(s.batchId)). Run the same ingest again once this is "
                + "solved: it adds only what is missing."
        default: return cause
        }
    }

    /// What went wrong, without saying what the run did about it (``stopped(reason:committed:)`` says that).
    public var cause: String {
        switch self {
        case .notFound(let p): return "\(p) does not exist. Check the path and try again."
        case .unreadable(let p, let r): return "cannot read \(p): \(r)."
        case .notAMailbox(let p, let r):
            return "\(p) is not a mailbox export: \(r). Give an mbox file, a Maildir, a folder of .eml files or a PST/OST file."
        case .formatMismatch(let p, let f): return "\(p) cannot be read as \(f.rawValue). Leave out --format to detect the format."
        case .invalidMailboxAddress(let a): return "'\(a)' is not a mailbox address (expected name@domain)."
        case .pst(let e): return e.description
        case .archive(let e): return e.description
        case .changedWhileRead(let p, let d):
            return "\(p) changed while it was being read: \(d). A program (a mail client?) was writing to it, so messages read from it "
                + "may be incomplete or missing. Close that program, or ingest a copy of the file."
        case .stopped(let reason, _): return reason.cause
        }
    }
}

extension IngestError: CatalogTransactionError {
    /// An error met in a catalog transaction of ingest.
    public init(wrapping error: any Error) {
        self = (error as? IngestError) ?? .archive(ArchiveError(wrapping: error))
    }
}

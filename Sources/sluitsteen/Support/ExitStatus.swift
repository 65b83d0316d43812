// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import SluitsteenArchive
import SluitsteenChat
import SluitsteenDestroy
import SluitsteenExport
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention

/// The exit status of a command that failed, decided here and nowhere else from the type of its error (the error
/// a library call threw, looked into through the errors it wraps). `sluitsteen --help` and README.md give the table.
enum ExitStatus: Int32, Sendable {
    /// Refused or invalid: not allowed now, invalid input, not found; or a check found problems.
    case refused = 1
    /// A file or folder the command had to read could not be read (an export, a register, a policy, a stored message).
    case unreadable = 2
    /// Another command is changing the archive's stored messages; run this one again when it has finished.
    case busy = 3
    /// The workspace failed: its catalog or store could not be read or written, or is damaged.
    case workspace = 4

    /// The table for `--help` and the README.
    static let help = """
        Exit status: 0 done; 1 refused or invalid (not allowed now, invalid input, not found, or a check found \
        problems); 2 a file or folder could not be read (an export, a register, a policy, a package, a stored \
        message); 3 busy: another command is changing the stored messages, run again when it has finished; 4 the \
        workspace failed: its catalog or store could not be read or written, or is damaged (check the disk space and \
        permissions; restore from a backup if it is damaged); 64 the command line itself is wrong.
        """

    /// The status for `error`, or nil when it is not an error of the library or the CLI (the argument parser's own
    /// requests and refusals exit as it decides).
    init?(classifying error: any Error) {
        switch error {
        case let e as CLIError: self = e.status
        case let e as ArchiveError: self.init(e)
        case let e as IngestError: self.init(e)
        case let e as PSTError: self.init(e)
        case let e as RetentionError: self.init(e)
        case let e as PolicyError: self.init(e)
        case let e as DestroyError: self.init(e)
        case let e as ExportError: self.init(e)
        case let e as ChatError: self.init(e)
        default: return nil
        }
    }

    /// The status for `error`: ``refused`` for an error of no kind above.
    init(_ error: any Error) { self = ExitStatus(classifying: error) ?? .refused }

    init(_ e: ArchiveError) {
        switch e {
        case .busy: self = .busy
        case .cannotRead: self = .unreadable
        case .cannotWrite, .catalog, .batchNotKept, .storeCorrupt, .catalogUpgrade: self = .workspace
        case .notAWorkspace, .notFound, .ambiguousCopy, .copyElsewhere, .clockReplayRefused, .kindMismatch, .legacyStore: self = .refused
        }
    }

    init(_ e: IngestError) {
        switch e {
        case .archive(let inner): self.init(inner)
        case .pst(let inner): self.init(inner)
        case .stopped(let reason, _): self.init(reason)
        case .notFound, .unreadable, .changedWhileRead: self = .unreadable
        case .notAMailbox, .formatMismatch, .invalidMailboxAddress: self = .refused
        }
    }

    init(_ e: PSTError) {
        switch e {
        case .unreadable, .truncated, .damaged, .conversionFailed, .timedOut: self = .unreadable
        case .workDirectoryUnusable: self = .workspace
        case .readpstMissing, .notAPSTFile, .passwordProtected: self = .refused
        }
    }

    init(_ e: RetentionError) {
        switch e {
        case .archive(let inner): self.init(inner)
        case .policy(let inner): self.init(inner)
        case .handler(let inner): self.init(inner)
        case .registerFile: self = .unreadable
        case .storedRegisters: self = .workspace
        case .policyNotInstalled, .registers, .noRegisters, .optOut, .refused, .notFound, .invalidInput: self = .refused
        }
    }

    init(_ e: PolicyError) {
        switch e {
        case .unreadable, .missingDefault: self = .unreadable
        case .invalid: self = .refused
        }
    }

    init(_ e: DestroyError) {
        switch e {
        case .archive(let inner): self.init(inner)
        case .retention(let inner): self.init(inner)
        case .textNotErased, .cannotWrite: self = .workspace
        case .unknownList, .refused, .invalidInput, .futureRefused: self = .refused
        }
    }

    init(_ e: ChatError) {
        switch e {
        case .archive(let inner): self.init(inner)
        case .unreadable: self = .unreadable
        case .unknownFormat, .brokenLine, .ambiguousDateOrder, .inconsistentDateOrder, .dateOrderContradicted, .zip, .xml, .linkRefused,
             .refused, .notFound:
            self = .refused
        }
    }

    init(_ e: ExportError) {
        switch e {
        case .archive(let inner): self.init(inner)
        case .retention(let inner): self.init(inner)
        case .failed(let inner): self = ExitStatus(inner) == .refused ? .workspace : ExitStatus(inner)
        case .schema, .schemaUnreadable: self = .unreadable
        case .message, .cannotWrite: self = .workspace
        case .outExists, .nothingSelected, .invalid, .invalidInput, .unknownPackage, .alreadyConfirmed, .withdrawn,
             .nothingToTransfer: self = .refused
        }
    }
}

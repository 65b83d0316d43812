// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive

extension Ingestor {
    /// Runs the ingest pipeline on messages that the caller reads itself (live capture over IMAP): the same hashing,
    /// storing, parsing, deduplication, batches and crash safety as ``run(_:progress:)``, as one ingest batch.
    ///
    /// The caller holds the store lock (`lock` proves it) for as long as it needs, e.g. across several mailboxes of one
    /// capture run; leftovers of a killed run are removed first. `origins` name where the messages come from for the
    /// batch and the audit trail (never a secret), `format` is the batch's format label (e.g. `imap`). The sources are
    /// read on the pipeline's reader thread, one after another, in order.
    public func run(sources: sending [any MessageSource], mailbox: String, origins: [String], format: String, actor: String, command: String,
                    holding lock: StoreLock,
                    progress: @escaping @Sendable (IngestProgress) -> Void = { _ in }) throws(IngestError) -> IngestSummary {
        let address = mailbox.trimmingCharacters(in: .whitespaces).lowercased()
        guard Ingestor.isAddress(address) else { throw .invalidMailboxAddress(mailbox) }
        do { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error) }
        var summary = IngestSummary()
        summary.mailbox = address
        summary.formats = [format]
        let request = IngestRequest(mailbox: address, paths: [], actor: actor, command: command)
        return try capture(sources, summary: summary, paths: origins, request: request, mailbox: address, progress: progress)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// Withdraws an ingest batch (`sluitsteen ingest undo BATCH`): the way back from mail taken into the wrong mailbox,
/// as long as nothing was done with it.
///
/// A batch is withdrawn only when none of its copies has been acted on: not exported, not opted out, not held (an
/// active Woo hold or a proposed hotspot covers it), not on a vernietigingslijst, and still present. Otherwise it is
/// refused with the reason. Withdrawing removes the batch's copies from the catalog, and the messages (catalog rows,
/// full-text index and stored bytes) that no other copy holds; the batch row stays, marked withdrawn, and the audit
/// trail records who withdrew it and why. The mail itself is still in the export it came from.
public struct BatchWithdrawal: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// What a withdrawal did.
    public struct Outcome: Sendable, Equatable {
        public var batchId: Int64
        public var mailbox: String
        /// Copies taken out of the catalog.
        public var copies: Int
        /// Distinct messages removed with them (no other copy held them).
        public var contentsRemoved: Int
        public var bytesRemoved: Int64
    }

    /// Withdraws batch `batchId` (see the type's documentation), with a reason for the audit trail.
    public func withdraw(batch batchId: Int64, policy: PolicyInForce, reason: String, actor: Actor) throws(DestroyError) -> Outcome {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw .invalidInput("withdrawing a batch needs a reason (--reason TEXT); it is recorded in the audit trail") }
        return try workspace.withStoreLock(for: "ingest undo \(batchId)", now: workspace.clock.now(),
                                           failure: DestroyError.archive) { lock throws(DestroyError) in
            do throws(ArchiveError) { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error) }
            try Self.finishPendingRemovals(workspace)
            let engine = RetentionEngine(workspace: workspace, policy: policy.policy)
            do throws(RetentionError) { try engine.prepareTextIndex() } catch { throw .retention(error) }
            let outcome = try workspace.catalog.write(throwing: DestroyError.self) { db in
                try withdrawInCatalog(db, batchId: batchId, engine: engine, reason: why, actor: actor)
            }
            try Self.finishPendingRemovals(workspace)
            try DestructionExecution.eraseRemovedText(workspace)
            return outcome
        }
    }

    private func withdrawInCatalog(_ db: Database, batchId: Int64, engine: RetentionEngine, reason: String, actor: Actor) throws -> Outcome {
        guard let batch = try IngestBatchRecord.find(db, id: batchId) else {
            throw DestroyError.invalidInput("there is no ingest batch \(batchId) in this archive; the batch number is printed by `sluitsteen ingest`")
        }
        let mailbox = batch.mailbox
        if let at = batch.withdrawnAt { throw DestroyError.refused("batch \(batchId) was already withdrawn on \(DutchText.time(iso: at))") }
        if batch.status == .running {
            throw DestroyError.refused("batch \(batchId) is still being ingested (or its ingest was killed and not run again); "
                + "run the ingest again to finish it first")
        }
        let copies = try CopyRecord.all(db, batchId: batchId)
        let ids = copies.compactMap(\.id)
        func refuse(_ what: String, _ n: Int) throws -> Never {
            throw DestroyError.refused("batch \(batchId) (\(mailbox)) cannot be withdrawn: \(n) of its \(copies.count) copies \(what). "
                + "Only a batch whose copies were not acted on can be withdrawn; nothing was changed.")
        }
        let notPresent = copies.filter { $0.state != .present }.count
        if notPresent > 0 { try refuse("are no longer present (destroyed, purged or transferred)", notPresent) }
        let exported = try ExportItemRecord.exportedCount(db, copyIds: ids)
        if exported > 0 { try refuse("were exported in a transfer package", exported) }
        let listed = try DestructionItemRecord.listedCount(db, copyIds: ids)
        if listed > 0 { try refuse("are on a vernietigingslijst or opt-out purge run", listed) }
        let messageIds = try MessageRecord.messageIds(db, sha256s: Set(copies.map(\.sha256)))
        let optedOut = try RetentionStore.optOutMarkedCount(db, copies: copies.map { ($0.mailbox, messageIds[$0.sha256] ?? "") })
        if optedOut > 0 { try refuse("have an opt-out mark", optedOut) }
        let decided = try engine.decide(copyIds: Set(ids), asOf: Instant(workspace.clock.now()), in: db)
        let held = decided.values.filter { $0.decision.action == .hold }.count
        if held > 0 { try refuse("are held (an active Woo hold or a proposed hotspot covers them)", held) }

        try CopyRecord.removeAll(db, batchId: batchId)
        var removed: [String] = []
        var bytes: Int64 = 0
        for sha in Set(copies.map(\.sha256)).sorted() {
            guard try CopyRecord.count(db, sha256: sha) == 0, let size = try MessageRecord.remove(db, sha256: sha) else { continue }
            bytes += size
            try PendingRemoval.add(db, sha256: sha, reason: "ingest undo \(batchId)")
            removed.append(sha)
        }
        try IngestBatchRecord.withdraw(db, id: batchId, at: ISOTimestamp.format(workspace.clock.now()), by: actor.documentText, reason: reason)
        try workspace.audit.append(db, kind: .ingestWithdrawal, command: "ingest undo \(batchId)", actor: actor.auditText,
                                   objectIds: ["batch:\(batchId)", "mailbox:\(mailbox)"],
                                   outcome: "withdrawn: \(copies.count) cop\(copies.count == 1 ? "y" : "ies"), \(removed.count) message(s) removed "
                                    + "(\(bytes) bytes): \(reason)")
        return Outcome(batchId: batchId, mailbox: mailbox, copies: copies.count, contentsRemoved: removed.count, bytesRemoved: bytes)
    }

    /// Removes the bytes of contents left without a message by a withdrawal (``pendingRemoval``), unless a message row
    /// names them again (taken in anew since). Call only while holding the store lock.
    static func finishPendingRemovals(_ workspace: Workspace) throws(DestroyError) {
        let pending = try workspace.catalog.read(throwing: DestroyError.self) { db in try PendingRemoval.all(db) }
        guard !pending.isEmpty else { return }
        for sha in pending {
            let named = try workspace.catalog.read(throwing: DestroyError.self) { db in try MessageRecord.exists(db, sha256: sha) }
            if !named { do throws(ArchiveError) { try workspace.store.remove(sha) } catch { throw .archive(error) } }
        }
        do throws(ArchiveError) { try workspace.store.flush() } catch { throw .archive(error) }
        try workspace.catalog.write(throwing: DestroyError.self) { db in try PendingRemoval.remove(db, sha256s: pending) }
    }
}

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
                                           failure: { DestroyError.archive($0.description) }) { lock throws(DestroyError) in
            do throws(ArchiveError) { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error.description) }
            try Self.finishPendingRemovals(workspace)
            let engine = RetentionEngine(workspace: workspace, policy: policy.policy)
            do throws(RetentionError) { try engine.prepareTextIndex() } catch { throw .archive(error.description) }
            let outcome: (Outcome, [String])
            do {
                outcome = try workspace.catalog.write { db in try withdrawInCatalog(db, batchId: batchId, engine: engine, reason: why, actor: actor) }
            } catch let e as DestroyError { throw e } catch { throw .archive("\(error)") }
            try Self.finishPendingRemovals(workspace)
            try DestructionExecution.eraseRemovedText(workspace)
            return outcome.0
        }
    }

    private func withdrawInCatalog(_ db: Database, batchId: Int64, engine: RetentionEngine, reason: String,
                                   actor: Actor) throws -> (Outcome, [String]) {
        guard let batch = try Row.fetchOne(db, sql: "SELECT mailbox, status, withdrawnAt FROM ingestBatch WHERE id = ?", arguments: [batchId]) else {
            throw DestroyError.invalidInput("there is no ingest batch \(batchId) in this archive; the batch number is printed by `sluitsteen ingest`")
        }
        let mailbox: String = batch["mailbox"]
        if let at: String = batch["withdrawnAt"] { throw DestroyError.refused("batch \(batchId) was already withdrawn on \(DutchText.time(iso: at))") }
        if (batch["status"] as String) == "running" {
            throw DestroyError.refused("batch \(batchId) is still being ingested (or its ingest was killed and not run again); run the ingest again to finish it first")
        }
        let copies = try Row.fetchAll(db, sql: "SELECT id, sha256, state, messageRowid FROM copy WHERE batchId = ? ORDER BY id", arguments: [batchId])
        let ids = copies.map { $0["id"] as Int64 }
        func refuse(_ what: String, _ n: Int) throws -> Never {
            throw DestroyError.refused("batch \(batchId) (\(mailbox)) cannot be withdrawn: \(n) of its \(copies.count) copies \(what). "
                + "Only a batch whose copies were not acted on can be withdrawn; nothing was changed.")
        }
        let notPresent = copies.filter { ($0["state"] as String) != "present" }.count
        if notPresent > 0 { try refuse("are no longer present (destroyed, purged or transferred)", notPresent) }
        let idsJSON = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let exported = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT copyId) FROM exportItem WHERE copyId IN (SELECT value FROM json_each(?))",
                                        arguments: [idsJSON]) ?? 0
        if exported > 0 { try refuse("were exported in a transfer package", exported) }
        let listed = try Int.fetchOne(db, sql: """
            SELECT COUNT(DISTINCT i.copyId) FROM destructionItem i JOIN destructionList l ON l.id = i.listId
            WHERE i.copyId IN (SELECT value FROM json_each(?))
            """, arguments: [idsJSON]) ?? 0
        if listed > 0 { try refuse("are on a vernietigingslijst or opt-out purge run", listed) }
        let optedOut = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM copy c JOIN message m ON m.rowid = c.messageRowid
            WHERE c.id IN (SELECT value FROM json_each(?))
              AND EXISTS (SELECT 1 FROM optOutMark o WHERE o.mailbox = c.mailbox AND o.messageId = m.messageId)
            """, arguments: [idsJSON]) ?? 0
        if optedOut > 0 { try refuse("have an opt-out mark", optedOut) }
        let decided = try engine.decide(copyIds: Set(ids), asOf: Instant(workspace.clock.now()), in: db)
        let held = decided.values.filter { $0.decision.action == .hold }.count
        if held > 0 { try refuse("are held (an active Woo hold or a proposed hotspot covers them)", held) }

        try db.execute(sql: "DELETE FROM copy WHERE batchId = ?", arguments: [batchId])
        var removed: [String] = []
        var bytes: Int64 = 0
        for sha in Set(copies.map { $0["sha256"] as String }).sorted() {
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM copy WHERE sha256 = ?", arguments: [sha]) == 0 else { continue }
            guard let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM message WHERE sha256 = ?", arguments: [sha]) else { continue }
            bytes += try Int64.fetchOne(db, sql: "SELECT size FROM message WHERE rowid = ?", arguments: [rowid]) ?? 0
            try db.execute(sql: "DELETE FROM messageText WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "DELETE FROM message WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "INSERT OR IGNORE INTO pendingRemoval (sha256, reason) VALUES (?, ?)", arguments: [sha, "ingest undo \(batchId)"])
            removed.append(sha)
        }
        try db.execute(sql: "UPDATE ingestBatch SET status = 'withdrawn', withdrawnAt = ?, withdrawnBy = ?, withdrawReason = ? WHERE id = ?",
                       arguments: [ISOTimestamp.format(workspace.clock.now()), actor.documentText, reason, batchId])
        try workspace.audit.append(db, kind: .ingestWithdrawal, command: "ingest undo \(batchId)", actor: actor.auditText,
                                   objectIds: ["batch:\(batchId)", "mailbox:\(mailbox)"],
                                   outcome: "withdrawn: \(copies.count) cop\(copies.count == 1 ? "y" : "ies"), \(removed.count) message(s) removed "
                                    + "(\(bytes) bytes): \(reason)")
        return (Outcome(batchId: batchId, mailbox: mailbox, copies: copies.count, contentsRemoved: removed.count, bytesRemoved: bytes), removed)
    }

    /// Removes the bytes of contents left without a message by a withdrawal (``pendingRemoval``), unless a message row
    /// names them again (taken in anew since). Call only while holding the store lock.
    static func finishPendingRemovals(_ workspace: Workspace) throws(DestroyError) {
        let pending: [String]
        do { pending = try workspace.catalog.read { try String.fetchAll($0, sql: "SELECT sha256 FROM pendingRemoval ORDER BY sha256") } } catch {
            throw .archive("\(error)")
        }
        guard !pending.isEmpty else { return }
        for sha in pending {
            let named: Bool
            do { named = try workspace.catalog.read { try Bool.fetchOne($0, sql: "SELECT 1 FROM message WHERE sha256 = ?", arguments: [sha]) ?? false } } catch {
                throw .archive("\(error)")
            }
            if !named { do throws(ArchiveError) { try workspace.store.remove(sha) } catch { throw .archive(error.description) } }
        }
        workspace.store.flush()
        do { try workspace.catalog.write { db in for sha in pending { try db.execute(sql: "DELETE FROM pendingRemoval WHERE sha256 = ?", arguments: [sha]) } } } catch {
            throw .archive("\(error)")
        }
    }
}

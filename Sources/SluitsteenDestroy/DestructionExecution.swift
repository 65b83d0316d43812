// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// Executes an approved vernietigingslijst once its bedenktijd is over, re-deciding every item first, and writes
/// the verklaring van vernietiging. Running it again after an interruption (even `kill -9`) finishes the list.
public struct DestructionExecution: Sendable {
    public let workspace: Workspace
    /// Items per transaction pair (tests may lower it).
    public var batchSize = 256

    public init(workspace: Workspace) { self.workspace = workspace }

    /// What an execution did.
    public struct Outcome: Sendable {
        public var listId: String
        /// Items destroyed by the list (all runs together).
        public var destroyed: Int
        /// Items skipped at execution, with their reasons.
        public var skipped: [ListItem]
        public var verklaring: Verklaring
        public var verklaringHtml: URL
        public var verklaringJson: URL
        /// True when this run finished an interrupted execution.
        public var resumed: Bool
    }

    /// File names of the verklaring of a list.
    public static func verklaringNames(_ listId: String) -> (html: String, json: String) {
        ("verklaring-van-vernietiging-\(listId).html", "verklaring-van-vernietiging-\(listId).json")
    }

    /// Executes (or finishes executing) the list. Refused unless it is fully approved and the bedenktijd is over,
    /// or when it was rejected, cancelled or already executed. Every item is decided again at the moment of
    /// execution (never as of the proposal's date), on the workspace's clock: once before the run starts, and once
    /// more in the transaction that deletes it.
    public func execute(_ listId: String, policy: PolicyInForce, actor: Actor) throws(DestroyError) -> Outcome {
        try execute(listId, policy: policy, actor: actor, afterBatch: { _ in })
    }

    /// ``execute(_:policy:actor:)``, calling `afterBatch` with the number of batches carried out after each (tests).
    func execute(_ listId: String, policy: PolicyInForce, actor: Actor, afterBatch: (Int) -> Void) throws(DestroyError) -> Outcome {
        // No ingest may decide "already stored" about bytes this run removes (see StoreLock).
        try workspace.withStoreLock(for: "destroy execute \(listId)", now: workspace.clock.now(),
                                    failure: DestroyError.archive) { lock throws(DestroyError) in
            // What an interrupted ingest left half-copied in the store goes first: no bytes outlive a destruction.
            do throws(ArchiveError) { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error) }
            try BatchWithdrawal.finishPendingRemovals(workspace)
            return try executeLocked(listId, policy: policy, actor: actor, afterBatch: afterBatch)
        }
    }

    private func executeLocked(_ listId: String, policy: PolicyInForce, actor: Actor, afterBatch: (Int) -> Void) throws(DestroyError) -> Outcome {
        let snapshot = try DestructionLists(workspace: workspace).read(listId, subjects: false).0
        let list = snapshot.list
        guard list.kind == .vernietigingslijst else {
            throw .refused("\(listId) is an opt-out purge run; run `sluitsteen optout purge` to finish it")
        }
        let engine = RetentionEngine(workspace: workspace, policy: policy.policy)
        var journal = ExecutionJournal(workspace: workspace, engine: engine, listId: listId, expected: .destroyDue, finalCopyState: .destroyed)
        journal.batchSize = batchSize
        let resumed: Bool
        let now = workspace.clock.now()
        switch list.status {
        case .proposed:
            throw .refused("list \(listId) is not approved: it still needs approval as \(snapshot.pendingRoles.joined(separator: ", then ")) " +
                           "(`sluitsteen destroy approve \(listId) --role \(snapshot.pendingRoles.first ?? "?") --by PERSON_ID`).")
        case .rejected, .cancelled, .executed:
            throw .refused(DestructionLists.notOpen(list, action: "execute"))
        case .approved:
            guard let from = list.executableFrom else { throw .refused("list \(listId) is approved but has no approval time") }
            guard Instant(now) >= from else {
                throw .refused("the bedenktijd of list \(listId) (\(DutchText.duration(list.bedenktijd)) after the last approval on " +
                               "\(DutchText.time(iso: list.approvedAt))) is not over: execution is allowed from \(DutchText.time(from)).")
            }
            let moment = DecisionMoment(instant: Instant(now))
            try journal.confirm { db, due, skipped in
                let status = try DestructionListRecord.status(db, id: listId)
                guard status == .approved else {
                    throw DestroyError.refused("list \(listId) changed while it was being prepared (now \(status?.rawValue ?? "?")); run the " +
                                               "command again")
                }
                let entry = try workspace.audit.append(db, kind: .destruction, command: "destroy execute", actor: actor.auditText,
                                                       objectIds: ["list:\(listId)"],
                                                       outcome: "execution started as of \(ISOTimestamp.format(now)): \(due) item(s) to destroy, " +
                                                                "\(skipped) skipped")
                try DestructionListRecord.startExecution(db, id: listId, asOf: moment.date, asOfEpoch: moment.instant.secondsSinceEpoch,
                                                         at: ISOTimestamp.format(now), by: actor.documentText, anchor: entry)
            }
            CrashPoint.pass("destroy-confirmed")
            resumed = false
        case .executing:
            // An interrupted run: re-check, as of now, the items it had not started on.
            try journal.confirm { _, _, _ in }
            resumed = true
        }

        _ = try journal.carryOut(afterBatch: afterBatch)
        return try finish(listId, actor: actor, resumed: resumed)
    }

    /// Makes what was deleted from the catalog unreadable in its files: the full-text index is merged into one segment
    /// (FTS5 keeps a deleted message's words in older segments until they are merged), freed pages are zeroed
    /// (`secure_delete` is on for every catalog connection), and the write-ahead log is checkpointed and truncated.
    static func eraseRemovedText(_ workspace: Workspace) throws(DestroyError) {
        do throws(ArchiveError) {
            try workspace.catalog.write(throwing: ArchiveError.self) { db in try MessageText.optimize(db) }
            try workspace.catalog.checkpoint()
        } catch { throw .textNotErased(error) }
    }

    /// Writes the verklaring and records the list as executed.
    private func finish(_ listId: String, actor: Actor, resumed: Bool) throws(DestroyError) -> Outcome {
        let now = workspace.clock.now()
        let (s, kept) = try workspace.catalog.read(throwing: DestroyError.self) { db in
            (try ListSnapshot.read(db, id: listId), try DestructionItemRecord.destroyedKeepingBytes(db, listId: listId))
        }
        let destroyed = s.items.filter { $0.state == .destroyed }
        let skipped = s.items.filter { $0.state == .skipped }
        let names = ListDocuments.Names(listId: listId)
        let csv = ListDocuments.canonicalCSV(s.items)
        var list = s.list
        list.status = .executed
        var verklaring = Verklaring(
            list: list, approvals: s.approvals, categories: CategoryTotals.group(destroyed, texts: list.categoryTexts),
            destroyedCount: destroyed.count, destroyedSize: destroyed.reduce(0) { $0 + $1.size }, contentKeptForOtherCopies: kept,
            skipped: skipped, excluded: s.excluded, itemListFile: names.csv,
            itemListSHA256: list.itemListSHA256 ?? DocumentFiles.sha256(csv), itemListCount: s.onList.count,
            executionStartedAt: list.executionStartedAt ?? ISOTimestamp.format(now), executedAt: ISOTimestamp.format(now),
            executedBy: list.executedBy ?? actor.documentText, executionAsOf: list.executionAsOf ?? "", archiveKind: workspace.kind)
        (verklaring.madeAt, verklaring.madeBy) = DocumentFiles.made(by: verklaring.executedBy, at: ISOTimestamp.format(now), in: workspace)
        let files = Self.verklaringNames(listId)
        let json = verklaring.json()
        let htmlURL = try DocumentFiles.write(verklaring.html(), name: files.html, in: workspace)
        let jsonURL = try DocumentFiles.write(json, name: files.json, in: workspace)
        CrashPoint.pass("destroy-verklaring-written")
        try workspace.catalog.write(throwing: DestroyError.self) { db in
            guard try DestructionListRecord.finishExecution(db, id: listId, at: ISOTimestamp.format(now), verklaringHtml: htmlURL.path,
                                                            verklaringJson: jsonURL.path, verklaringSHA256: DocumentFiles.sha256(json))
            else { throw DestroyError.refused("list \(listId) was finished by another run") }
            try workspace.audit.append(db, kind: .destruction, command: "destroy execute", actor: actor.auditText, objectIds: ["list:\(listId)"],
                                       outcome: "executed\(resumed ? " (resumed after an interruption)" : ""): \(destroyed.count) destroyed " +
                                                "(\(destroyed.reduce(0) { $0 + $1.size }) bytes), \(skipped.count) skipped; verklaring sha256 " +
                                                "\(DocumentFiles.sha256(json))")
        }
        // Subjects must not outlive the messages: the approvers' list with subjects goes, and so do the destroyed
        // messages' subjects on any other list; the words of the full-text index are purged from the catalog file.
        try DestructionLists(workspace: workspace).refreshSubjectLists()
        try Self.eraseRemovedText(workspace)
        return Outcome(listId: listId, destroyed: destroyed.count, skipped: skipped, verklaring: verklaring,
                       verklaringHtml: htmlURL, verklaringJson: jsonURL, resumed: resumed)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// Purges every copy whose action is `purge-optout` (opted out by the employee, window closed), through the same
/// crash-safe journal as a vernietigingslijst but without approvals: it was the employee's own choice.
///
/// What remains is a tombstone per copy and, per run, counts per mailbox and ground; never subjects, addresses
/// or Message-IDs. An interrupted run is finished first when the command runs again.
public struct OptOutPurge: Sendable {
    public let workspace: Workspace
    /// Items per transaction pair (tests may lower it).
    public var batchSize = 256

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Copies and bytes purged in one mailbox on one ground.
    public struct Count: Sendable, Equatable {
        public var mailbox: String
        /// `private` or `informal`.
        public var ground: String
        public var copies: Int
        public var bytes: Int64
    }

    /// One purge run.
    public struct Run: Sendable, Equatable {
        public var id: String
        public var counts: [Count]
        /// Copies that were no longer `purge-optout` when purged (e.g. a Woo hold came in meanwhile).
        public var skipped: Int
        public var resumed: Bool
    }

    /// Finishes any interrupted run, then purges what is `purge-optout` now, on the workspace's clock. With `asOf`
    /// (not later than today) only what was already `purge-optout` at the end of that day is purged; every copy is
    /// decided again as of now before it goes, and once more in the transaction that deletes it. Returns the runs
    /// carried out (none when there was nothing to purge).
    public func purge(policy: PolicyInForce, asOf: CivilDate? = nil, actor: Actor) throws(DestroyError) -> [Run] {
        let moment = try DecisionMoment.present(asOf: asOf, now: workspace.clock.now(), command: "optout purge")
        // No ingest may decide "already stored" about bytes this run removes (see StoreLock).
        return try workspace.withStoreLock(for: "optout purge", now: workspace.clock.now(),
                                           failure: DestroyError.archive) { lock throws(DestroyError) in
            // What an interrupted ingest left half-copied in the store goes first: no bytes outlive a destruction.
            do throws(ArchiveError) { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error) }
            try BatchWithdrawal.finishPendingRemovals(workspace)
            return try purgeLocked(policy: policy, moment: moment, actor: actor)
        }
    }

    private func purgeLocked(policy: PolicyInForce, moment: DecisionMoment, actor: Actor) throws(DestroyError) -> [Run] {
        let engine = RetentionEngine(workspace: workspace, policy: policy.policy)
        let now = workspace.clock.now()
        var runs: [Run] = []
        let unfinished = try workspace.catalog.read(throwing: DestroyError.self) { db in try DestructionListRecord.unfinishedPurges(db) }
        for run in unfinished {
            let journal = journal(run.id, engine: engine)
            try journal.confirm { _, _, _ in }
            _ = try journal.carryOut()
            runs.append(try finish(run.id, actor: actor, resumed: true))
        }

        var due: [DecidedCopy] = []
        do {
            try engine.prepareTextIndexForTerms()
            try engine.forEachDecision(asOf: moment.instant) { d in
                if d.decision.action == .purgeOptout, d.copy.state == .present { due.append(d) }
            }
        } catch { throw .retention(error) }
        guard !due.isEmpty else { return runs }
        let p = policy.policy
        let year = AmsterdamTime.date(of: Instant(now)).year
        let id = try workspace.catalog.write(throwing: DestroyError.self) { db -> String in
            let id = try DestructionListRecord.nextId(db, prefix: "OP-\(year)-")
            let stamp = ISOTimestamp.format(now)
            var run = DestructionListRecord(
                id: id, kind: .optOutPurge, status: .executing, asOf: moment.date, asOfEpoch: moment.instant.secondsSinceEpoch, mailboxes: [],
                policyName: p.name, policySource: policy.source, approvals: [], bedenktijd: "P0D", legalGround: p.destruction.legalGround,
                selectielijst: p.destruction.selectielijst, archiefvormer: p.archiefvormer, proposedAt: stamp, proposedBy: actor.documentText,
                withSubjects: false, categoriesJSON: "[]", roleNamesJSON: "{}")
            run.executionAsOf = moment.date.iso
            run.executionAsOfEpoch = moment.instant.secondsSinceEpoch
            run.executionStartedAt = stamp
            run.executedBy = actor.documentText
            try run.insert(db)
            // The journal needs copy, mailbox, SHA-256 and size; no Message-ID, date or subject is recorded.
            for (n, d) in due.enumerated() {
                let ground = d.decision.optOut?.rawValue ?? "private"
                try DestructionItemRecord(listId: id, seq: Int64(n + 1), copyId: d.copy.copyId, mailbox: d.copy.mailbox, sha256: d.copy.sha256,
                                          messageId: "", date: nil, size: d.copy.size, messageClass: d.decision.messageClass.rawValue,
                                          rule: "optout:" + ground, ground: ground, state: .due, reason: nil, changedAt: stamp, changedBy: nil,
                                          removeBytes: nil).insert(db)
            }
            try workspace.audit.append(db, kind: .optOutPurge, command: "optout purge", actor: actor.auditText, objectIds: ["purge:\(id)"],
                                       outcome: "purge started as of \(moment.date.iso): \(due.count) opted-out cop\(due.count == 1 ? "y" : "ies")")
            return id
        }
        CrashPoint.pass("purge-started")
        _ = try journal(id, engine: engine).carryOut()
        runs.append(try finish(id, actor: actor, resumed: false))
        try DestructionLists(workspace: workspace).refreshSubjectLists()
        try DestructionExecution.eraseRemovedText(workspace)
        return runs
    }

    /// The counts recorded for every purge run, by run id.
    public func recorded() throws(DestroyError) -> [String: [Count]] {
        try workspace.catalog.read(throwing: DestroyError.self) { db in try OptOutPurgeCountRecord.all(db) }
    }

    private func journal(_ id: String, engine: RetentionEngine) -> ExecutionJournal {
        var j = ExecutionJournal(workspace: workspace, engine: engine, listId: id, expected: .purgeOptout, finalCopyState: .purged)
        j.batchSize = batchSize
        return j
    }

    /// Replaces the run's items by counts per mailbox and ground, and records the run as executed.
    private func finish(_ id: String, actor: Actor, resumed: Bool) throws(DestroyError) -> Run {
        let now = workspace.clock.now()
        return try workspace.catalog.write(throwing: DestroyError.self) { db -> Run in
            let counts = try DestructionItemRecord.purgeCounts(db, listId: id)
            let skipped = try DestructionItemRecord.count(db, listId: id, state: .skipped)
            for c in counts {
                try OptOutPurgeCountRecord(runId: id, mailbox: c.mailbox, ground: c.ground, copies: c.copies, bytes: c.bytes).insert(db)
            }
            try DestructionItemRecord.removeAll(db, listId: id)
            try DestructionListRecord.finishPurge(db, id: id, at: ISOTimestamp.format(now))
            let summary = counts.map { "\($0.mailbox) \($0.ground) \($0.copies)" }.joined(separator: "; ")
            let copies = counts.reduce(0) { $0 + $1.copies }
            let outcome = "purged\(resumed ? " (resumed after an interruption)" : ""): \(copies) cop(ies)"
                + "\(summary.isEmpty ? "" : " — " + summary); \(skipped) skipped"
            try workspace.audit.append(db, kind: .optOutPurge, command: "optout purge", actor: actor.auditText, objectIds: ["purge:\(id)"],
                                       outcome: outcome)
            return Run(id: id, counts: counts, skipped: skipped, resumed: resumed)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
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
                                           failure: { DestroyError.archive($0.description) }) { lock throws(DestroyError) in
            // What an interrupted ingest left half-copied in the store goes first: no bytes outlive a destruction.
            do throws(ArchiveError) { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error.description) }
            try BatchWithdrawal.finishPendingRemovals(workspace)
            return try purgeLocked(policy: policy, moment: moment, actor: actor)
        }
    }

    private func purgeLocked(policy: PolicyInForce, moment: DecisionMoment, actor: Actor) throws(DestroyError) -> [Run] {
        let engine = RetentionEngine(workspace: workspace, policy: policy.policy)
        let now = workspace.clock.now()
        var runs: [Run] = []
        let unfinished: [DestructionList]
        do {
            unfinished = try workspace.catalog.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM destructionList WHERE kind = ? AND status = 'executing' ORDER BY id",
                                 arguments: [ListKind.optOutPurge.rawValue]).map(DestructionList.init(row:))
            }
        } catch { throw .archive("\(error)") }
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
                if d.decision.action == .purgeOptout, d.copy.state == "present" { due.append(d) }
            }
        } catch { throw .archive(error.description) }
        guard !due.isEmpty else { return runs }
        let p = policy.policy
        let year = AmsterdamTime.date(of: Instant(now)).year
        let id: String
        do {
            id = try workspace.catalog.write { db -> String in
                let prefix = "OP-\(year)-"
                let n = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM destructionList WHERE id LIKE ?", arguments: [prefix + "%"]) ?? 0) + 1
                let id = prefix + String(format: "%03d", n)
                let stamp = ISOTimestamp.format(now)
                try db.execute(sql: """
                    INSERT INTO destructionList (id, kind, status, asOf, asOfEpoch, policyName, policySource, bedenktijd, legalGround,
                        selectielijst, archiefvormer, archiefvormerTooi, proposedAt, proposedBy, executionAsOf, executionAsOfEpoch,
                        executionStartedAt, executedBy)
                    VALUES (?, ?, 'executing', ?, ?, ?, ?, 'P0D', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, ListKind.optOutPurge.rawValue, moment.date.iso, moment.instant.secondsSinceEpoch, p.name, policy.source,
                                     p.destruction.legalGround, p.destruction.selectielijst, p.archiefvormer.name, p.archiefvormer.tooi,
                                     stamp, actor.documentText, moment.date.iso, moment.instant.secondsSinceEpoch, stamp, actor.documentText])
                // The journal needs copy, mailbox, SHA-256 and size; no Message-ID, date or subject is recorded.
                let insert = try db.makeStatement(sql: """
                    INSERT INTO destructionItem (listId, seq, copyId, mailbox, sha256, size, messageClass, rule, ground, state, changedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'due', ?)
                    """)
                for (n, d) in due.enumerated() {
                    let ground = d.decision.optOut?.rawValue ?? "private"
                    try insert.execute(arguments: [id, n + 1, d.copy.copyId, d.copy.mailbox, d.copy.sha256, d.copy.size,
                                                   d.decision.messageClass.rawValue, "optout:" + ground, ground, stamp])
                }
                try workspace.audit.append(db, kind: .optOutPurge, command: "optout purge", actor: actor.auditText, objectIds: ["purge:\(id)"],
                                      outcome: "purge started as of \(moment.date.iso): \(due.count) opted-out cop\(due.count == 1 ? "y" : "ies")")
                return id
            }
        } catch let e as DestroyError { throw e } catch { throw .archive("\(error)") }
        CrashPoint.pass("purge-started")
        _ = try journal(id, engine: engine).carryOut()
        runs.append(try finish(id, actor: actor, resumed: false))
        try DestructionLists(workspace: workspace).refreshSubjectLists()
        try DestructionExecution.eraseRemovedText(workspace)
        return runs
    }

    /// The counts recorded for every purge run, by run id.
    public func recorded() throws(DestroyError) -> [String: [Count]] {
        do {
            return try workspace.catalog.read { db in
                var out: [String: [Count]] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT runId, mailbox, ground, copies, bytes FROM optOutPurgeCount ORDER BY runId, mailbox, ground") {
                    out[r[0], default: []].append(Count(mailbox: r[1], ground: r[2], copies: r[3], bytes: r[4]))
                }
                return out
            }
        } catch { throw .archive("\(error)") }
    }

    private func journal(_ id: String, engine: RetentionEngine) -> ExecutionJournal {
        var j = ExecutionJournal(workspace: workspace, engine: engine, listId: id, expected: .purgeOptout, finalCopyState: "purged")
        j.batchSize = batchSize
        return j
    }

    /// Replaces the run's items by counts per mailbox and ground, and records the run as executed.
    private func finish(_ id: String, actor: Actor, resumed: Bool) throws(DestroyError) -> Run {
        let now = workspace.clock.now()
        do {
            return try workspace.catalog.write { db -> Run in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT mailbox, COALESCE(ground, 'private'), COUNT(*), SUM(size) FROM destructionItem
                    WHERE listId = ? AND state = 'destroyed' GROUP BY mailbox, ground ORDER BY mailbox, ground
                    """, arguments: [id])
                let counts = rows.map { Count(mailbox: $0[0], ground: $0[1], copies: $0[2], bytes: $0[3]) }
                let skipped = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM destructionItem WHERE listId = ? AND state = 'skipped'", arguments: [id]) ?? 0
                for c in counts {
                    try db.execute(sql: "INSERT INTO optOutPurgeCount (runId, mailbox, ground, copies, bytes) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [id, c.mailbox, c.ground, c.copies, c.bytes])
                }
                try db.execute(sql: "DELETE FROM destructionItem WHERE listId = ?", arguments: [id])
                try db.execute(sql: "UPDATE destructionList SET status = 'executed', executedAt = ? WHERE id = ?",
                               arguments: [ISOTimestamp.format(now), id])
                let summary = counts.map { "\($0.mailbox) \($0.ground) \($0.copies)" }.joined(separator: "; ")
                try workspace.audit.append(db, kind: .optOutPurge, command: "optout purge", actor: actor.auditText, objectIds: ["purge:\(id)"],
                                      outcome: "purged\(resumed ? " (resumed after an interruption)" : ""): \(counts.reduce(0) { $0 + $1.copies }) cop(ies)\(summary.isEmpty ? "" : " — " + summary); \(skipped) skipped")
                return Run(id: id, counts: counts, skipped: skipped, resumed: resumed)
            }
        } catch let e as DestroyError { throw e } catch { throw .archive("\(error)") }
    }
}

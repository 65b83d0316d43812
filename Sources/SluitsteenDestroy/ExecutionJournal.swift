// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// The crash-safe execution machinery shared by vernietigingslijsten and opt-out purges.
///
/// Each item goes through a journal in the catalog: `due` → `destroying` → `destroyed` (or `skipped`). The bytes
/// of an item are removed from the store only after the catalog has committed the item as `destroying`, and the
/// item is recorded as `destroyed` only after the bytes are gone. After `kill -9` at any point, running again
/// finishes the `destroying` items (removing bytes twice is harmless) and then the `due` ones; nothing is
/// destroyed twice and nothing that is not an item of the list is touched. Bytes are removed only when no other
/// copy that is still in the archive (another mailbox, another state) needs them; the catalog keeps only a
/// tombstone: the copy row (state `destroyed` or `purged`) and the message's SHA-256, size, Message-ID and date.
///
/// Every item is decided again at the real moment of its deletion: in the very transaction that commits its batch as
/// `destroying`, with the registers, holds, hotspots and opt-out marks read in that transaction. A hold recorded while
/// an execution runs therefore stops every item it covers that is not yet deleted.
struct ExecutionJournal {
    let workspace: Workspace
    let engine: RetentionEngine
    let listId: String
    /// The action an item must still have at execution (`destroy-due` or `purge-optout`).
    let expected: RetentionAction
    /// The copy state a carried-out item gets (`destroyed` or `purged`).
    let finalCopyState: CopyState
    /// Items per transaction pair (mark, finalise).
    var batchSize = 256

    /// Re-decides the items still `listed` or `due` as of now: those still `expected` become `due`, the others
    /// `skipped` with the reason. Runs `extra` in the same transaction (status change and audit entry). (Each item is
    /// decided once more when it is deleted: see ``carryOut()``.)
    func confirm(extra: (Database, _ due: Int, _ skipped: Int) throws -> Void) throws(DestroyError) {
        do { try engine.prepareTextIndex() } catch { throw .retention(error) }
        let now = workspace.clock.now()
        let stamp = ISOTimestamp.format(now)
        try workspace.catalog.write(throwing: DestroyError.self) { db in
            let pending = try DestructionItemRecord.items(db, listId: listId, states: [.listed, .due])
            let decided = try engine.decide(copyIds: Set(pending.map(\.copyId)), asOf: Instant(now), in: db)
            var due = 0, skipped = 0
            for item in pending {
                if let reason = skipReason(item, decided[item.copyId]) {
                    try DestructionItemRecord.skip(db, listId: listId, copyId: item.copyId, reason: reason, at: stamp)
                    skipped += 1
                } else {
                    if let g = decided[item.copyId]?.decision.optOut, expected == .purgeOptout {
                        try DestructionItemRecord.setGround(db, listId: listId, copyId: item.copyId, ground: g.rawValue)
                    }
                    try DestructionItemRecord.markDue(db, listId: listId, copyId: item.copyId, at: stamp)
                    due += 1
                }
            }
            try extra(db, due, skipped)
        }
    }

    /// Why an item is not carried out, or nil when it still has the expected action.
    func skipReason(_ item: ListItem, _ d: DecidedCopy?) -> String? {
        guard let d else {
            return "de kopie is niet meer in het archief (al vernietigd, verwijderd of overgebracht)"
        }
        guard d.copy.state == .present else { return "de kopie heeft nu de status ‘\(d.copy.state.rawValue)’" }
        let decision = d.decision
        if decision.action == expected { return nil }
        let rules = decision.rules.map(\.description).joined(separator: ", ")
        switch decision.action {
        case .hold:
            let holds = decision.rules.filter { $0.zaaknummer != nil || $0.hotspotName != nil }.map(\.description)
            return "vastgehouden (\(holds.isEmpty ? rules : holds.joined(separator: ", "))): actie nu ‘hold’"
        case .retain:
            return "nog niet vervallen: bewaren tot \(decision.dueDate?.iso ?? "?") (\(rules))"
        case .transferDue, .retainPermanent:
            return "nu waardering B, blijvend te bewaren (\(rules))"
        case .pendingWindow:
            return "de opt-out-termijn loopt nog (\(rules))"
        case .purgeOptout:
            return "uitgezonderd door de medewerker (opt-out, \(rules)); wordt verwijderd met `optout purge`"
        case .destroyDue:
            return "geen opt-out meer (ingetrokken); valt nu onder \(rules) en komt op een vernietigingslijst"
        case .unclassified:
            return "de mailbox staat niet (meer) in het register (\(rules))"
        case .transferred:
            return "overgebracht naar het e-depot"
        }
    }

    /// Carries out every `destroying` and `due` item, in list order. Returns the number of items carried out by
    /// this run.
    func carryOut(afterBatch: (Int) -> Void = { _ in }) throws(DestroyError) -> Int {
        var done = 0
        var batches = 0
        // First finish what a killed run left `destroying`, then the `due` items, in batches.
        while true {
            let batch = try workspace.catalog.read(throwing: DestroyError.self) { db in
                try DestructionItemRecord.toCarryOut(db, listId: listId, limit: batchSize)
            }
            if batch.isEmpty { return done }
            done += try carryOut(batch)
            batches += 1
            afterBatch(batches)
        }
    }

    private func carryOut(_ batch: [ListItem]) throws(DestroyError) -> Int {
        // 1. Commit the batch as `destroying`, deciding per item, at this moment and in this transaction, whether it is
        //    still to go and whether its bytes may go.
        var removals = try workspace.catalog.write(throwing: DestroyError.self) { db -> [(item: ListItem, removeBytes: Bool)] in
            let now = workspace.clock.now()
            let stamp = ISOTimestamp.format(now)
            let decided = try engine.decide(copyIds: Set(batch.filter { $0.state == .due }.map(\.copyId)), asOf: Instant(now), in: db)
            var out: [(item: ListItem, removeBytes: Bool)] = []
            for item in batch {
                if item.state == .due, let reason = skipReason(item, decided[item.copyId]) {
                    try DestructionItemRecord.skip(db, listId: listId, copyId: item.copyId, reason: reason, at: stamp)
                    continue
                }
                // Another copy still in the archive (any mailbox, any state but destroyed/purged) keeps the bytes,
                // unless it is itself being destroyed (then the last of them removes the bytes).
                let remove = try keepers(db, sha256: item.sha256, other: item.copyId) == 0
                try DestructionItemRecord.markDestroying(db, listId: listId, copyId: item.copyId, removeBytes: remove, at: stamp)
                if remove {
                    // Bytes about to go are never read for the full-text index (a killed run may resume later,
                    // after the bytes are gone); the message's index row, if any, goes in step 3.
                    try MessageRecord.setTextIndexed(db, sha256: item.sha256, true)
                }
                out.append((item, remove))
            }
            return out
        }
        CrashPoint.pass("destroy-marked")

        // 2. Remove the bytes no remaining copy needs, then make the removals durable. Each removal happens inside a
        //    write transaction that first checks again that no copy of the content has appeared since step 1 (no other
        //    command can commit one while it runs); if one has, the bytes stay.
        for (i, r) in removals.enumerated() where r.removeBytes {
            let kept = try workspace.catalog.write(throwing: DestroyError.self) { db -> Bool in
                if try keepers(db, sha256: r.item.sha256, other: nil) > 0 {
                    try DestructionItemRecord.keepBytes(db, listId: listId, copyId: r.item.copyId)
                    try MessageRecord.setTextIndexed(db, sha256: r.item.sha256, false)
                    return true
                }
                try workspace.store.remove(r.item.sha256, in: db)
                return false
            }
            if kept { removals[i].removeBytes = false }
            CrashPoint.pass("destroy-bytes-removed")
        }
        do throws(ArchiveError) { try workspace.store.flush() } catch { throw .archive(error) }

        // 3. Record completion: tombstone the copy; scrub the message when no copy in the archive remains.
        try workspace.catalog.write(throwing: DestroyError.self) { db in
            let stamp = ISOTimestamp.format(workspace.clock.now())
            for r in removals {
                // The tombstone keeps no folder name (see Tombstone), no keywords, flags or source path.
                try PersonalData.scrubCopy(db, id: r.item.copyId, state: finalCopyState)
                if try CopyRecord.liveCopyIds(db, sha256: r.item.sha256).isEmpty {
                    try PersonalData.scrubMessage(db, sha256: r.item.sha256, state: finalContentState)
                }
                try DestructionItemRecord.markDestroyed(db, listId: listId, copyId: r.item.copyId, at: stamp)
            }
        }
        CrashPoint.pass("destroy-finalized")
        return removals.count
    }

    /// The content state a message gets when its last copy goes with this journal.
    private var finalContentState: ContentState { finalCopyState == .purged ? .purged : .destroyed }

    /// How many copies of these bytes other than `other` keep them: copies still in the archive (any mailbox, present
    /// or transferred) that no item of any list is destroying right now.
    private func keepers(_ db: Database, sha256: String, other: Int64?) throws -> Int {
        let live = try CopyRecord.liveCopyIds(db, sha256: sha256, excluding: other)
        return live.count - (try DestructionItemRecord.destroyingCopyIds(db, among: live)).count
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import Testing
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
@testable import SluitsteenDestroy

/// Crash safety with a real SIGKILL: the built CLI is killed at a crash point during `destroy execute` or
/// `optout purge`, then run again; the outcome must be exactly that of an uninterrupted run.
@Suite(.enabled(if: TestArchive.hasBinary, "needs the built CLI (.build/debug/sluitsteen); run `swift build` first"))
struct CrashTests {
    /// What an uninterrupted execution of the fixture list leaves (reasoned from Fixtures/README.md): the 12 listed
    /// copies destroyed; every other copy present with its bytes; the bytes of all destroyed content gone except
    /// the message the burgemeester's copy shares with info@; one "executed" audit entry; an intact trail.
    func expectFinished(_ a: TestArchive, listId: String, listed: Set<Int64>,
                        before: [(id: Int64, mailbox: String, sha256: String, state: String, subject: String, messageId: String)]) throws {
        let after = try a.copies()
        for c in after {
            if listed.contains(c.id) {
                #expect(c.state == "destroyed", "copy \(c.id) should be destroyed")
            } else {
                #expect(c.state == "present", "copy \(c.id) is not on the list and must be untouched")
                #expect(a.workspace.store.contains(c.sha256))
                #expect(c.subject == before.first { $0.id == c.id }?.subject)
            }
        }
        let live = Set(after.filter { $0.state == "present" }.map(\.sha256))
        for c in after where listed.contains(c.id) {
            #expect(a.workspace.store.contains(c.sha256) == live.contains(c.sha256))
        }
        // The packs hold exactly the live bytes: every pack that held destroyed bytes was rewritten without them, and
        // nothing a killed rewrite left (a new pack not switched to, an old one not unlinked) remains.
        let check = try StoreCheck(workspace: a.workspace).run(repair: false)
        #expect(check.isSound && check.leftovers == 0 && check.orphans.isEmpty && check.checked == live.count)
        let items = try a.workspace.catalog.read { try DestructionItemRecord.items($0, listId: listId) }
        #expect(items.count == 12 && items.allSatisfy { $0.state == .destroyed })
        let status: String? = try a.sql("SELECT status FROM destructionList WHERE id = ?", [listId])
        #expect(status == "executed")
        let executed = try a.workspace.catalog.read { try AuditTrail.entries($0, kind: .destruction) }.filter { $0.outcome.hasPrefix("executed") }
        #expect(executed.count == 1)
        #expect(try a.workspace.catalog.read { try AuditTrail.verify($0) }.firstBreak == nil)
        let names = DestructionExecution.verklaringNames(listId)
        let json = try Data(contentsOf: a.workspace.documentsDirectory.appendingPathComponent(names.json))
        let v = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(v["destroyed"] as? Int == 12)
    }

    func crashAndResume(points: [String]) throws {
        let a = try TestArchive.make()
        let before = try a.copies()
        let id = try a.proposeAndApprove()
        let listed = Set(try a.lists.show(id).onList.map(\.copyId))
        for point in points {
            let run = try a.cli(["destroy", "execute", id, "--as-of", "2033-01-01"], now: Moments.execute, kill: point)
            #expect(run.killed, "the run should have been killed at \(point); stdout: \(run.stdout) stderr: \(run.stderr)")
        }
        let finish = try a.cli(["destroy", "execute", id, "--as-of", "2033-01-01", "--json"], now: Moments.execute)
        #expect(finish.status == 0, "\(finish.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(finish.stdout.utf8)) as? [String: Any])
        #expect(out["destroyed"] as? Int == 12)
        #expect((out["skipped"] as? [Any])?.isEmpty == true)
        #expect(FileManager.default.fileExists(atPath: out["verklaringHtml"] as? String ?? "/nonexistent"))
        try expectFinished(a, listId: id, listed: listed, before: before)
        // Running once more is refused: nothing is destroyed twice.
        let again = try a.cli(["destroy", "execute", id], now: Moments.execute)
        #expect(again.status != 0 && again.stderr.contains("already executed"))
    }

    @Test func killedAfterTheItemsWereConfirmed() throws { try crashAndResume(points: ["destroy-confirmed:1"]) }
    @Test func killedAfterTheBatchWasMarkedDestroying() throws { try crashAndResume(points: ["destroy-marked:1"]) }
    @Test func killedAfterTheFirstBytesWereRemoved() throws { try crashAndResume(points: ["destroy-bytes-removed:1"]) }
    @Test func killedHalfwayThroughTheBytes() throws { try crashAndResume(points: ["destroy-bytes-removed:6"]) }
    @Test func killedAfterTheRewrittenPackWasWritten() throws { try crashAndResume(points: ["pack-rewrite-written:1"]) }
    @Test func killedAfterTheMapWasSwitchedToTheRewrittenPack() throws { try crashAndResume(points: ["pack-rewrite-switched:1"]) }
    @Test func killedAfterTheOldPackWasUnlinkedBeforeTheNewOneWasMoved() throws {
        try crashAndResume(points: ["pack-rewrite-old-unlinked:1"])
    }
    /// Between the switch and the move the catalog names a pack that is still in `.rewrite/`: a reader that does not
    /// take the store lock (the web service, export) reads every listed message there, before anyone resumes.
    @Test(arguments: ["pack-rewrite-switched:1", "pack-rewrite-old-unlinked:1"])
    func aReaderWithoutTheLockReadsAPackStillBeingMoved(point: String) throws {
        let a = try TestArchive.make()
        let id = try a.proposeAndApprove()
        let run = try a.cli(["destroy", "execute", id, "--as-of", "2033-01-01"], now: Moments.execute, kill: point)
        #expect(run.killed)
        let rewriting = a.workspace.store.root.appendingPathComponent("packs/.rewrite")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: rewriting.path).isEmpty, "the rewritten pack is not moved yet")
        let listed: [String] = try a.workspace.catalog.read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM packEntry WHERE removing = 0") }
        #expect(!listed.isEmpty)
        for sha in listed { #expect(throws: Never.self, "\(sha)") { _ = try a.workspace.store.read(sha) } }
    }

    @Test func killedInTwoRewritesInARow() throws { try crashAndResume(points: ["pack-rewrite-written:1", "pack-rewrite-written:1"]) }
    @Test func killedAfterCompletionWasRecorded() throws { try crashAndResume(points: ["destroy-finalized:1"]) }
    @Test func killedAfterTheVerklaringWasWritten() throws { try crashAndResume(points: ["destroy-verklaring-written:1"]) }
    @Test func killedTwiceInARow() throws { try crashAndResume(points: ["destroy-bytes-removed:3", "destroy-bytes-removed:2", "destroy-marked:1"]) }

    /// Killed after bytes were removed, before any full-text index was built; a Woo hold with terms is added
    /// before the run is resumed. Matching its terms (in a plan, and in the resumed run) indexes the archive first,
    /// and must not read the bytes that are already gone.
    @Test func resumedAfterATermHoldWasAddedWithTheIndexNotBuilt() throws {
        let a = try TestArchive.make()
        try a.workspace.catalog.write { db in
            try db.execute(sql: "DELETE FROM messageText")
            try db.execute(sql: "UPDATE message SET textIndexed = 0 WHERE contentState = 'stored'")
        }
        let id = try a.proposeAndApprove()
        let killed = try a.cli(["destroy", "execute", id, "--as-of", "2033-01-01"], now: Moments.execute, kill: "destroy-bytes-removed:2")
        #expect(killed.killed)
        let hold = try a.cli(["hold", "add", "--woo", "Z-2099-0001", "--received", "2026-01-14", "--zaak", "Z-2099-0001",
                              "--terms", "kermis"], now: Moments.execute)
        #expect(hold.status == 0, "\(hold.stderr)")
        let plan = try a.cli(["plan", "--as-of", "2033-01-01"], now: Moments.execute)
        #expect(plan.status == 0, "\(plan.stderr)")
        let finish = try a.cli(["destroy", "execute", id, "--as-of", "2033-01-01", "--json"], now: Moments.execute)
        #expect(finish.status == 0, "\(finish.stderr)")
        let indexedGone: Int? = try a.sql("""
            SELECT COUNT(*) FROM messageText t JOIN message m ON m.rowid = t.rowid WHERE m.contentState <> 'stored'
            """)
        #expect(indexedGone == 0, "no destroyed message is in the index")
    }

    @Test func optOutPurgeKilledAndRerun() throws {
        let a = try TestArchive.make()
        let before = try a.copies()
        let kill = try a.cli(["optout", "purge", "--as-of", "2033-01-01"], now: Moments.execute, kill: "destroy-bytes-removed:2")
        #expect(kill.killed, "\(kill.stderr)")
        let rerun = try a.cli(["optout", "purge", "--as-of", "2033-01-01", "--json"], now: Moments.execute)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        #expect(out["purged"] as? Int == 6)
        let runs = try #require(out["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs.first?["resumed"] as? Bool == true)
        let after = try a.copies()
        #expect(after.filter { $0.state == "purged" }.count == 6)
        #expect(after.filter { $0.state == "present" }.count == before.count - 6)
        for c in after where c.state == "purged" { #expect(!a.workspace.store.contains(c.sha256)) }
        for c in after where c.state == "present" { #expect(a.workspace.store.contains(c.sha256)) }
        let counts = try OptOutPurge(workspace: a.workspace).recorded()
        #expect(counts.values.flatMap { $0 }.map(\.copies) == [6])
        #expect(try a.workspace.catalog.read { try AuditTrail.verify($0) }.firstBreak == nil)
    }
}

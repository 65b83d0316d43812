// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import Testing
import SluitsteenArchive
import SluitsteenHashing

/// Tampering with the audit trail by raw SQL: every kind is detected and the first break is named.
@Suite struct AuditTamperTests {
    /// A fixture archive whose trail has the three ingests, the register import, a proposal and two approvals.
    func archive() throws -> TestArchive {
        let a = try TestArchive.make()
        _ = try a.proposeAndApprove()
        let n: Int? = try a.sql("SELECT COUNT(*) FROM auditEntry")
        #expect((n ?? 0) >= 7)
        return a
    }

    func firstBreak(_ a: TestArchive) throws -> AuditBreak? {
        try a.workspace.catalog.read { try AuditTrail.verify($0) }.firstBreak
    }

    func tamper(_ a: TestArchive, _ sql: String...) throws {
        try a.workspace.catalog.write { db in for s in sql { try db.execute(sql: s) } }
    }

    @Test func intactTrailVerifies() throws {
        let a = try archive()
        #expect(try firstBreak(a) == nil)
    }

    @Test func editedEntryIsNamed() throws {
        let a = try archive()
        try tamper(a, "UPDATE auditEntry SET actor = 'iemand anders' WHERE seq = 5")
        let b = try #require(try firstBreak(a))
        #expect(b.seq == 5 && b.reason.contains("changed"))
    }

    @Test func removedEntryIsNamed() throws {
        let a = try archive()
        try tamper(a, "DELETE FROM auditEntry WHERE seq = 3")
        let b = try #require(try firstBreak(a))
        #expect(b.seq == 4 && b.reason.contains("missing"))
    }

    @Test func removedAndRenumberedEntryIsNamed() throws {
        // Hiding the gap by renumbering the later entries still breaks the chain where the entry was removed.
        let a = try archive()
        try tamper(a, "DELETE FROM auditEntry WHERE seq = 3", "UPDATE auditEntry SET seq = seq + 1000 WHERE seq > 3",
                   "UPDATE auditEntry SET seq = seq - 1001 WHERE seq > 1000")
        let b = try #require(try firstBreak(a))
        #expect(b.seq == 3)
    }

    @Test func insertedEntryIsNamed() throws {
        // A forged entry that chains correctly to entry 2 is slipped in as entry 3; the old entry 3 (now 4) no longer chains.
        let a = try archive()
        let second = try #require(try a.workspace.catalog.read { try AuditTrail.entries($0) }.first { $0.seq == 2 })
        try tamper(a, "UPDATE auditEntry SET seq = seq + 1000 WHERE seq >= 3", "UPDATE auditEntry SET seq = seq - 999 WHERE seq >= 1003")
        var forged = second
        forged.seq = 3
        forged.actor = "indringer"
        forged.command = "destroy approve"
        forged.kind = "list-approval"
        forged.premisEventType = "appraisal"
        forged.objectIds = "list:VL-2026-001"
        forged.outcome = "approved as div"
        forged.previousHash = second.hash
        forged.hash = Digest.hex(Data(forged.canonicalText.utf8))
        try a.workspace.catalog.write { try forged.insert($0) }
        let b = try #require(try firstBreak(a))
        #expect(b.seq == 4 && b.reason.contains("chain"))
    }

    @Test func reorderedEntriesAreNamed() throws {
        let a = try archive()
        try tamper(a, "UPDATE auditEntry SET seq = 1000 WHERE seq = 3", "UPDATE auditEntry SET seq = 3 WHERE seq = 4",
                   "UPDATE auditEntry SET seq = 4 WHERE seq = 1000")
        let b = try #require(try firstBreak(a))
        #expect(b.seq == 3)
    }

    @Test(.enabled(if: TestArchive.hasBinary, "needs the built CLI"))
    func cliVerifyExitsNonZeroAndNamesTheBreak() throws {
        let a = try archive()
        let ok = try a.cli(["audit", "verify"], now: Moments.execute)
        #expect(ok.status == 0 && ok.stdout.contains("intact"))
        let shown = try a.cli(["audit", "show", "--kind", "list-approval", "--json"], now: Moments.execute)
        let lines = shown.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["actor"] as? String == "P0010 Dora de Wit (OS-account test)" && first["premisEventType"] as? String == "appraisal")
        #expect(first["clock"] as? String == "replayed")
        let since = try a.cli(["audit", "show", "--since", "2033-01-06", "--json"], now: Moments.execute)
        #expect(since.stdout.split(separator: "\n").count == 1)
        try tamper(a, "UPDATE auditEntry SET outcome = 'approved as archivist (2 of 2)' WHERE seq = 6")
        let broken = try a.cli(["audit", "verify"], now: Moments.execute)
        #expect(broken.status != 0)
        #expect((broken.stdout + broken.stderr).contains("entry 6"))
        let json = try a.cli(["audit", "verify", "--json"], now: Moments.execute)
        let v = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(v["intact"] as? Bool == false && (v["firstBreak"] as? [String: Any])?["seq"] as? Int == 6)
    }
}

import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenIngest
import SluitsteenSupport
import Testing

/// `store verify`: the store against its names and against the catalog, and the repair of what a kill left behind.
@Suite struct StoreCheckTests {
    @Test func findsMissingDamagedAndOrphanFilesAndRepairsOnlyWhatIsSafe() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
        ingestor.flushToDisk = false
        _ = try ingestor.run(IngestRequest(mailbox: "info@krimpenerwaard.example", paths: [TestPaths.fixtures.appendingPathComponent("info")],
                                           actor: "t"))
        let clean = try StoreCheck(workspace: ws).run(repair: false)
        #expect(clean.isSound && clean.checked == 6 && clean.orphans.isEmpty && clean.strays.isEmpty)

        let shas = try ws.catalog.read { try String.fetchAll($0, sql: "SELECT sha256 FROM message ORDER BY sha256") }
        // One entry the map lost (its bytes still in the pack), one damaged, one orphan (stored and listed, never
        // committed), one entry in the pack no one lists (a leftover).
        try ws.catalog.write { db in try db.execute(sql: "DELETE FROM packEntry WHERE sha256 = ?", arguments: [shas[0]]) }
        try StoreDamage.flipByte(in: try ws.store.range(of: shas[1]))
        let leftoverBytes = Data("Subject: half\n\nnooit genoemd\n".utf8)
        _ = try leftoverBytes.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(leftoverBytes)) }
        let orphanBytes = Data("Subject: nooit vastgelegd\n\nwees\n".utf8)
        let orphan = Digest.hex(orphanBytes)
        _ = try orphanBytes.withUnsafeBytes { try ws.store.put($0, sha256: orphan) }
        try ws.store.flush()
        try ws.catalog.write { db in try db.execute(sql: "DELETE FROM packEntry WHERE sha256 = ?", arguments: [Digest.hex(leftoverBytes)]) }

        // The recovery of the lock holder lists every whole unlisted entry again: the lost map entry is whole again,
        // and the entry no one lists becomes an orphan (nothing whole is deleted for being unlisted).
        let found = try StoreCheck(workspace: ws).run(repair: false)
        #expect(!found.isSound)
        #expect(found.missing.isEmpty && found.damaged == [shas[1]] && found.leftovers == 0)
        #expect(found.orphans == [orphan, Digest.hex(leftoverBytes)].sorted())
        #expect(found.relisted.isEmpty, "the lost map entry was listed again by the recovery")
        #expect(try ws.store.read(shas[0]).count > 0)
        #expect(ws.store.contains(orphan), "without --repair nothing is removed")

        let repaired = try StoreCheck(workspace: ws).run(repair: true)
        #expect(repaired.repaired && !ws.store.contains(orphan))
        #expect(try ws.store.read(shas[0]).count > 0, "the message whose map entry was lost is listed again from its pack")
        // What is lost is reported, never "repaired" away.
        let after = try StoreCheck(workspace: ws).run(repair: false)
        #expect(after.missing.isEmpty && after.damaged == [shas[1]] && after.orphans.isEmpty && after.leftovers == 0)
        #expect(after.checked == 6, "the orphan and the leftover are gone from the packs")
    }

    /// A torn entry at the end of the last pack (a kill in the middle of a write) is cut off by the next holder of
    /// the store lock; nothing listed is touched.
    @Test func aTornTailIsCutOffByTheNextLockHolder() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
        ingestor.flushToDisk = false
        _ = try ingestor.run(IngestRequest(mailbox: "info@krimpenerwaard.example", paths: [TestPaths.fixtures.appendingPathComponent("info")],
                                           actor: "t"))
        let sha = try #require(try ws.catalog.read { try String.fetchOne($0, sql: "SELECT sha256 FROM message LIMIT 1") })
        let pack = try ws.store.range(of: sha).path
        let size = try #require(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: pack))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("SLEN\u{1}\0\0\0half an entry".utf8))
        try handle.close()
        let report = try StoreCheck(workspace: ws).run(repair: false)
        #expect(report.isSound && report.checked == 6)
        #expect(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int == size)
    }

    @Test func runsOnlyWhileNoOtherCommandHoldsTheStore() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let lock = try ws.lockStore(for: "ingest --mailbox x@example.org", now: Date())
        let refused = #expect(throws: ArchiveError.self) { try StoreCheck(workspace: ws).run(repair: true) }
        #expect(refused?.description.contains("busy") == true)
        withExtendedLifetime(lock) {}
    }
}

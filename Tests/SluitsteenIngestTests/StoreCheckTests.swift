import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenIngest
import SluitsteenSupport
import Testing

/// `store verify`: the store against its names and against the catalog, and the repair of what a kill left behind.
@Suite struct StoreCheckTests {
    @Test func findsMissingDamagedAndOrphanFilesAndRepairsOnlyWhatIsSafe() throws {
        let ws = try TestPaths.workspace()
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
        ingestor.flushToDisk = false
        _ = try ingestor.run(IngestRequest(mailbox: "info@krimpenerwaard.example", paths: [TestPaths.fixtures.appendingPathComponent("info")],
                                           actor: "t"))
        let clean = try StoreCheck(workspace: ws).run(repair: false)
        #expect(clean.isSound && clean.checked == 6 && clean.orphans.isEmpty && clean.strays.isEmpty)

        let shas = try ws.catalog.read { try String.fetchAll($0, sql: "SELECT sha256 FROM message ORDER BY sha256") }
        // One file gone, one damaged, one orphan (written, never committed), one half-written copy in .incoming.
        try FileManager.default.removeItem(at: ws.store.url(for: shas[0]))
        let damaged = ws.store.url(for: shas[1])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: damaged.path)
        try Data("Subject: vervalst\n\n".utf8).write(to: damaged)
        let orphanBytes = Data("Subject: nooit vastgelegd\n\nwees\n".utf8)
        let orphan = Digest.hex(orphanBytes)
        _ = try orphanBytes.withUnsafeBytes { try ws.store.put($0, sha256: orphan) }
        let incoming = ws.store.root.appendingPathComponent(".incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: incoming.appendingPathComponent("x-1"))

        let found = try StoreCheck(workspace: ws).run(repair: false)
        #expect(!found.isSound)
        #expect(found.missing == [shas[0]] && found.damaged == [shas[1]] && found.orphans == [orphan] && found.leftovers == 1)
        #expect(ws.store.contains(orphan), "without --repair nothing is removed")

        let repaired = try StoreCheck(workspace: ws).run(repair: true)
        #expect(repaired.repaired && !ws.store.contains(orphan))
        #expect(try FileManager.default.contentsOfDirectory(atPath: incoming.path).isEmpty)
        // What is lost is reported, never "repaired" away.
        let after = try StoreCheck(workspace: ws).run(repair: false)
        #expect(after.missing == [shas[0]] && after.damaged == [shas[1]] && after.orphans.isEmpty)
    }

    @Test func runsOnlyWhileNoOtherCommandHoldsTheStore() throws {
        let ws = try TestPaths.workspace()
        let lock = try ws.lockStore(for: "ingest --mailbox x@example.org", now: Date())
        let refused = #expect(throws: ArchiveError.self) { try StoreCheck(workspace: ws).run(repair: true) }
        #expect(refused?.description.contains("busy") == true)
        withExtendedLifetime(lock) {}
    }
}

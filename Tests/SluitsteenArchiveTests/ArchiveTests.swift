import Foundation
import SluitsteenTestSupport
import GRDB
@testable import SluitsteenArchive
import SluitsteenHashing
import SluitsteenSupport
import Testing

@Suite struct ArchiveTests {
    @Test(arguments: [
        ("2024-03-01T23:30:00Z", 1_709_335_800.0),
        ("2024-03-02T00:30:00+01:00", 1_709_335_800.0),
        ("2024-03-01T18:30:00-05:00", 1_709_335_800.0),
        ("2024-03-01", 1_709_251_200.0),
        ("1970-01-01T00:00:00Z", 0.0),
    ])
    func isoTimestampsParse(text: String, epoch: Double) {
        #expect(ISOTimestamp.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: ["2024-13-01", "2024-03-01T25:00:00Z", "01-03-2024", "2024-03-01T10:00:00", "yesterday", "",
                      "2024-02-30", "2024-02-30T10:00:00Z", "2023-02-29", "2024-04-31T00:00:00Z"])
    func invalidTimestampsAreRefused(text: String) {
        #expect(ISOTimestamp.parse(text) == nil)
    }

    @Test func timestampsFormatInUTCAndWithOffset() {
        let date = Date(timeIntervalSince1970: 1_709_335_800)
        #expect(ISOTimestamp.format(date) == "2024-03-01T23:30:00Z")
        #expect(ISOTimestamp.format(date, offsetMinutes: 60) == "2024-03-02T00:30:00+01:00")
        #expect(ISOTimestamp.format(date, offsetMinutes: -330) == "2024-03-01T18:00:00-05:30")
    }

    @Test func replayableClockReadsSluitsteenNow() throws {
        let clock = try ReplayableClock(environment: ["SLUITSTEEN_NOW": "2030-01-02T03:04:05Z"])
        #expect(ISOTimestamp.format(clock.now()) == "2030-01-02T03:04:05Z")
        #expect(throws: ArchiveError.self) { try ReplayableClock(environment: ["SLUITSTEEN_NOW": "morgen"]) }
    }

    @Test func workspaceResolutionOrder() {
        #expect(Workspace.resolveDirectory(explicit: "/a/b", environment: ["SLUITSTEEN_HOME": "/c"]).path == "/a/b")
        #expect(Workspace.resolveDirectory(explicit: nil, environment: ["SLUITSTEEN_HOME": "/c"]).path == "/c")
        #expect(Workspace.resolveDirectory(explicit: nil, environment: [:]).lastPathComponent == "archief")
    }

    @Test func openingANonWorkspaceIsAClearError() throws {
        let tmp = try TemporaryDirectory("archive")
        let dir = tmp.url
        let error = #expect(throws: ArchiveError.self) { try Workspace.open(at: dir) }
        #expect(error?.description.contains("sluitsteen init") == true)
    }

    @Test func contentStoreIsAddressedByHashAndIdempotent() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let bytes = Data("Subject: x\n\nbody\n".utf8)
        let sha = Digest.hex(bytes)
        let first = try bytes.withUnsafeBytes { try ws.store.put($0, sha256: sha) }
        let second = try bytes.withUnsafeBytes { try ws.store.put($0, sha256: sha) }
        #expect(first && !second)
        try ws.store.flush()
        let third = try bytes.withUnsafeBytes { try ws.store.put($0, sha256: sha) }
        #expect(!third, "listed bytes are not stored again")
        let range = try ws.store.range(of: sha)
        #expect(range.path.hasSuffix("store/packs/000001.pack") && range.length == Int64(bytes.count))
        #expect(try ws.store.read(sha) == bytes)
        // Stored bytes that no longer match their SHA-256 are reported as damaged, not returned.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: range.path))
        try handle.seek(toOffset: UInt64(range.offset))
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        #expect(throws: ArchiveError.self) { try ws.store.read(sha) }
        try ws.store.remove(sha)
        try ws.store.remove(sha)
        try ws.store.flush()
        #expect(!ws.store.contains(sha))
    }

    /// A batch's listing, taken once before it is stored, stays right while flushes list entries meanwhile (the
    /// writer remembers what they listed) and after a rewrite (the catalog is asked again): bytes are never stored
    /// twice, and bytes that were removed are stored again.
    @Test func aBatchListingSeesWhatWasListedSince() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        func message(_ n: Int) -> Data { Data("Subject: \(n)\n\nbody \(n)\n".utf8) }
        func put(_ n: Int, _ listing: ContentStore.Listing) throws -> Bool {
            try message(n).withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(message(n)), listing: listing) }
        }
        let shas = (0..<4).map { Digest.hex(message($0)) }
        #expect(try message(0).withUnsafeBytes { try ws.store.put($0, sha256: shas[0]) })
        try ws.store.flush()
        let listing = try ws.store.listing(of: shas)
        #expect(!(try put(0, listing)), "listed before the listing was taken")
        // Stored and listed by a flush after the listing was taken (by another batch of the same run).
        #expect(try message(1).withUnsafeBytes { try ws.store.put($0, sha256: shas[1]) })
        try ws.store.flush()
        #expect(!(try put(1, listing)), "listed by a flush after the listing was taken")
        #expect(try put(2, listing), "never stored")
        try ws.store.flush()
        #expect(try ws.store.locations(of: shas).count == 3)
        // More flushes than the writer remembers: the catalog is asked.
        for n in 10..<40 {
            #expect(try message(n).withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(message(n))) })
            try ws.store.flush()
        }
        #expect(!(try put(1, listing)), "asked the catalog")
        // A rewrite removes bytes: a listing that saw them no longer counts.
        let before = try ws.store.listing(of: shas)
        try ws.store.remove(shas[0])
        try ws.store.flush()
        #expect(try put(0, before), "removed bytes that arrive again are stored again")
        try ws.store.flush()
        #expect(try ws.store.read(shas[0]) == message(0))
        #expect(try ws.store.read(shas[1], at: ws.store.locations(of: [shas[1]])[shas[1]]) == message(1))
    }

    /// SQLite's plan for `sql`, its steps joined by "; ".
    private func queryPlan(_ ws: Workspace, _ sql: String) throws -> String {
        try ws.catalog.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String? ?? "" }.joined(separator: "; ")
        }
    }

    /// Each flush asks which packs hold bytes marked for removal: the question reads a partial index, not the whole map
    /// (which made a million-message ingest quadratic).
    @Test func packsWithRemovalsReadsTheirIndexOnly() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let plan = try queryPlan(ws, PackEntryRecord.removalsSQL)
        #expect(plan.contains("INDEX packEntryRemoving") && !plan.contains("TEMP B-TREE"), "\(plan)")
        let bytes = Data("Subject: x\n\nweg\n".utf8)
        _ = try bytes.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(bytes)) }
        try ws.store.flush()
        try ws.catalog.write { db in
            try PackEntryRecord.markRemoving(db, sha256: Digest.hex(bytes))
            #expect(try PackEntryRecord.packsWithRemovals(db) == [1])
        }
    }

    /// Recovery, at the start of every ingest, asks per pack what the catalog lists: the question reads one index and
    /// never the map's rows (which cost six seconds on a 1,000,000-message archive), and its answer is right.
    @Test func packSummariesReadTheIndexOnly() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let plan = try queryPlan(ws, PackEntryRecord.summarySQL)
        #expect(plan.contains("COVERING INDEX packEntryByPack") && !plan.contains("TEMP B-TREE"), "\(plan)")
        let messages = (0..<3).map { Data("Subject: \($0)\n\nbody \($0)\n".utf8) }
        for m in messages { _ = try m.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(m)) } }
        try ws.store.flush()
        let summary = try ws.catalog.read { db in try PackEntryRecord.packSummaries(db) }
        let locations = try ws.store.locations(of: messages.map { Digest.hex($0) })
        #expect(summary.count == 1)
        #expect(summary[1]?.count == 3)
        #expect(summary[1]?.bytes == Int64(messages.map(\.count).reduce(0, +)))
        #expect(summary[1]?.end == locations.values.map { $0.offset + $0.length }.max())
    }

    /// A bulk load sets two secondary indexes aside; a catalog left that way (a bulk load killed before its end leaves
    /// exactly this committed state) gets them back, with the migrations' definitions, when it is next opened, and
    /// lookups by SHA-256 and Message-ID use them again.
    @Test func indexesSetAsideAreBuiltAtTheNextOpening() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let bySha = "SELECT id FROM copy WHERE sha256 = 'x'"
        let byMessageId = "SELECT rowid FROM message WHERE messageId = 'x'"
        let definitions = "SELECT name, sql FROM sqlite_master WHERE name IN ('copy_sha256', 'message_messageId') ORDER BY name"
        let before = try ws.catalog.read { db in try Row.fetchAll(db, sql: definitions) }
        #expect(before.count == 2)
        #expect(try queryPlan(ws, bySha).contains("INDEX copy_sha256"))
        // The connection that writes checkpoints the log every 32 MiB, and every 512 MiB during a bulk load.
        func checkpointPages() throws -> Int? { try ws.catalog.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } }
        #expect(try checkpointPages() == 8_192)
        try ws.catalog.setIndexesAside()
        #expect(try checkpointPages() == 131_072)
        #expect(try ws.catalog.setAsideIndexes() == ["message_messageId", "copy_sha256"])
        #expect(!(try queryPlan(ws, bySha).contains("copy_sha256")))
        #expect(!(try queryPlan(ws, byMessageId).contains("message_messageId")))
        let reopened = try Catalog(path: ws.catalog.path)
        #expect(try reopened.setAsideIndexes() == [])
        #expect(try ws.catalog.setAsideIndexes() == [])
        let after = try ws.catalog.read { db in try Row.fetchAll(db, sql: definitions) }
        // The same definitions as the migrations' (apart from the guard against building twice).
        #expect(after.map { ($0["sql"] as String).replacingOccurrences(of: "IF NOT EXISTS ", with: "") } == before.map { $0["sql"] as String })
        #expect(try queryPlan(ws, bySha).contains("INDEX copy_sha256"))
        #expect(try queryPlan(ws, byMessageId).contains("INDEX message_messageId"))
        try ws.catalog.setIndexesAside()
        try ws.catalog.restoreIndexes()
        #expect(try ws.catalog.setAsideIndexes() == [])
        #expect(try checkpointPages() == 8_192)
    }

    /// Removal rewrites the pack without the removed bytes: they are in no file of the store afterwards, and the
    /// bytes that stay are read from their new place.
    @Test func removalRewritesThePackWithoutTheBytes() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let gone = Data("Subject: weg\n\nUNIEK-MERKTEKEN-7f3a9\n".utf8), kept = Data("Subject: blijft\n\nbody\n".utf8)
        for b in [gone, kept] { _ = try b.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(b)) } }
        try ws.store.flush()
        let before = try ws.store.range(of: Digest.hex(kept))
        try ws.store.remove(Digest.hex(gone))
        try ws.store.flush()
        #expect(!ws.store.contains(Digest.hex(gone)))
        #expect(try ws.store.read(Digest.hex(kept)) == kept)
        #expect(try ws.store.range(of: Digest.hex(kept)).path != before.path, "the survivor moved to a new pack")
        #expect(!FileManager.default.fileExists(atPath: before.path), "the old pack is unlinked")
        let packs = ws.store.root.appendingPathComponent("packs")
        #expect(!FileManager.default.fileExists(atPath: packs.appendingPathComponent(".rewrite").path), "the rewritten pack was moved into place")
        for name in try FileManager.default.contentsOfDirectory(atPath: packs.path) {
            let data = try Data(contentsOf: packs.appendingPathComponent(name))
            #expect(data.range(of: Data("UNIEK-MERKTEKEN-7f3a9".utf8)) == nil, "\(name) still holds the removed bytes")
        }
    }

    /// What a killed run appended after the last listed entry (a torn entry) is cut off by the next holder of the
    /// store lock, and what the one-file store of earlier versions left in store/.incoming is removed.
    @Test func leftoversAreRemovedByTheNextLockHolder() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let bytes = Data("Subject: x\n\nbody\n".utf8)
        let sha = Digest.hex(bytes)
        #expect(try bytes.withUnsafeBytes { try ws.store.put($0, sha256: sha) })
        try ws.store.flush()
        let pack = try ws.store.range(of: sha).path
        let size = try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: pack))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("SLEN\u{1}\0\0\0 the first half of an entry".utf8))
        try handle.close()
        let incoming = ws.store.root.appendingPathComponent(".incoming")
        try FileManager.default.createDirectory(at: incoming.appendingPathComponent("odd-folder"), withIntermediateDirectories: true)
        try Data("half".utf8).write(to: incoming.appendingPathComponent("\(sha)-12345"))
        try ws.withStoreLock(for: "test", now: Date(), failure: { $0 }) { lock throws(ArchiveError) in
            try ws.store.removeLeftovers(holding: lock)
        }
        #expect(!FileManager.default.fileExists(atPath: incoming.path))
        #expect(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int == size)
        #expect(try ws.store.read(sha) == bytes)
    }

    /// A pack whose map rows are gone (a catalog restored from an older backup) keeps every byte after the next lock
    /// holder's recovery, and its entries are listed again.
    @Test func aPackTheMapListsNothingInKeepsItsBytesAndIsListedAgain() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let messages = (1...3).map { Data("Subject: \($0)\n\nbewaren\n".utf8) }
        for m in messages { _ = try m.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(m)) } }
        try ws.store.flush()
        let pack = try ws.store.range(of: Digest.hex(messages[0])).path
        let before = try Data(contentsOf: URL(fileURLWithPath: pack))
        try ws.catalog.write { db in try db.execute(sql: "DELETE FROM packEntry") }
        #expect(!ws.store.contains(Digest.hex(messages[0])))
        try ws.withStoreLock(for: "test", now: Date(), failure: { $0 }) { lock throws(ArchiveError) in
            try ws.store.removeLeftovers(holding: lock)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: pack)) == before, "the pack keeps all its bytes")
        for m in messages { #expect(try ws.store.read(Digest.hex(m)) == m, "the entry is listed again") }
        let recovery = try recoveryEntries(ws)
        #expect(recovery.count == 1 && recovery.first?.command == "test" && recovery.first?.premisEventType == "recovery")
        #expect(recovery.first?.outcome.contains("listed again 3 whole pack entries") == true)
        #expect(recovery.first?.objectIds.contains("pack:000001.pack") == true)
        // Nothing left to recover: no second entry.
        try ws.withStoreLock(for: "test", now: Date(), failure: { $0 }) { lock throws(ArchiveError) in
            try ws.store.removeLeftovers(holding: lock)
        }
        #expect(try recoveryEntries(ws).count == 1)
    }

    func recoveryEntries(_ ws: Workspace) throws -> [AuditEntry] {
        try ws.catalog.read { db in try AuditEntry.filter(Column("kind") == AuditKind.storeRecovery.rawValue).fetchAll(db) }
    }

    /// An unlisted entry in the middle of a pack whose bytes no longer match its SHA-256 is neither listed nor cut:
    /// the recovery records it in the audit trail and `store verify` reports it; the entries after it are listed again.
    @Test func aDamagedUnlistedEntryIsReportedAndKept() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let messages = (1...3).map { Data("Subject: \($0)\n\nMERKTEKEN-\($0)\n".utf8) }
        for m in messages { _ = try m.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(m)) } }
        try ws.store.flush()
        let middle = try ws.store.range(of: Digest.hex(messages[1]))
        try ws.catalog.write { db in try db.execute(sql: "DELETE FROM packEntry WHERE sha256 <> ?", arguments: [Digest.hex(messages[0])]) }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: middle.path))
        try handle.seek(toOffset: UInt64(middle.offset))
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        let size = try FileManager.default.attributesOfItem(atPath: middle.path)[.size] as? Int
        try ws.withStoreLock(for: "test", now: Date(), failure: { $0 }) { lock throws(ArchiveError) in
            try ws.store.removeLeftovers(holding: lock)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: middle.path)[.size] as? Int == size, "nothing is cut")
        #expect(!ws.store.contains(Digest.hex(messages[1])), "the damaged entry is not listed")
        #expect(try ws.store.read(Digest.hex(messages[2])) == messages[2], "the entry after it is listed again")
        let outcome = try #require(try recoveryEntries(ws).first?.outcome)
        #expect(outcome.contains("listed again 1 whole pack entry") && outcome.contains("found 1 unlisted pack entry whose bytes do not match"))
        #expect(outcome.contains("000001.pack at \(middle.offset)"))
        let report = try StoreCheck(workspace: ws).run(repair: false)
        #expect(report.unlistedDamaged == ["000001.pack at \(middle.offset)"])
    }

    /// After the last listed entry, a whole entry the map does not list (a kill between the sync and the catalog's
    /// commit) is kept and listed again, and a half-written entry after it is cut off.
    @Test func aWholeUnlistedEntryIsListedAgainAndAHalfOneAfterItIsCut() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let listed = Data("Subject: genoemd\n\nbody\n".utf8), unlisted = Data("Subject: niet genoemd\n\nbody\n".utf8)
        _ = try listed.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(listed)) }
        try ws.store.flush()
        _ = try unlisted.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(unlisted)) }
        try ws.store.flush()
        try ws.catalog.write { db in try db.execute(sql: "DELETE FROM packEntry WHERE sha256 = ?", arguments: [Digest.hex(unlisted)]) }
        let pack = try ws.store.range(of: Digest.hex(listed)).path
        let whole = try #require(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: pack))
        try handle.seekToEnd()
        // A whole header stating more bytes than follow, then half of them.
        var torn = Data("SLEN\u{1}\0\0\0".utf8)
        torn.append(contentsOf: [100, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 7, count: 32))
        torn.append(Data("half of the bytes".utf8))
        try handle.write(contentsOf: torn)
        try handle.close()
        try ws.withStoreLock(for: "test", now: Date(), failure: { $0 }) { lock throws(ArchiveError) in
            try ws.store.removeLeftovers(holding: lock)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int == whole, "only the half entry is cut")
        let outcome = try #require(try recoveryEntries(ws).first?.outcome)
        #expect(outcome.contains("listed again 1 whole pack entry") && outcome.contains("cut an incomplete tail of \(torn.count) bytes"))
        #expect(try ws.store.read(Digest.hex(unlisted)) == unlisted, "the whole unlisted entry is kept and listed again")
        #expect(try ws.store.read(Digest.hex(listed)) == listed)
        // A re-run storing the same bytes finds them stored.
        #expect(try !unlisted.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(unlisted)) })
    }

    /// One command at a time holds the store lock; a second is refused at once with the holder named; the lock
    /// goes with its holder.
    @Test func storeLockIsHeldByOneCommandAtATime() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let now = ISOTimestamp.parse("2026-12-01T10:00:00Z")!
        var first: StoreLock? = try ws.lockStore(for: "ingest --mailbox a@b.example", now: now)
        do {
            _ = try ws.lockStore(for: "destroy execute VL-1", now: now)
            Issue.record("a second lock was granted while the first was held")
        } catch {
            guard case .busy(_, let holder) = error else { Issue.record("unexpected \(error)"); return }
            #expect(holder.contains("ingest --mailbox a@b.example") && holder.contains("process \(getpid())")
                    && holder.contains("2026-12-01T10:00:00Z"))
            #expect(error.description.contains("busy") && error.description.contains("run this command again"))
        }
        #expect(first != nil)
        first = nil
        let second = try ws.lockStore(for: "destroy execute VL-1", now: now)
        withExtendedLifetime(second) {}
    }

    /// withStoreLock holds the lock exactly while its body runs, and lets go of it when the body throws.
    @Test func withStoreLockHoldsTheLockForItsBodyOnly() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        let now = ISOTimestamp.parse("2026-12-01T10:00:00Z")!
        func probe() -> String {
            do { let lock = try ws.lockStore(for: "probe", now: now); withExtendedLifetime(lock) {}; return "free" } catch { return "busy" }
        }
        let inside = try ws.withStoreLock(for: "ingest", now: now, failure: { $0 }) { _ throws(ArchiveError) in probe() }
        #expect(inside == "busy")
        #expect(probe() == "free")
        struct Stop: Error {}
        #expect(throws: Stop.self) { try ws.withStoreLock(for: "ingest", now: now, failure: { _ in Stop() }) { _ throws(Stop) in throw Stop() } }
        #expect(probe() == "free")
        // A second run under the lock, inside the first, does not start: its body never runs.
        var ran = false
        let nested = try ws.withStoreLock(for: "ingest", now: now, failure: { $0 }) { _ throws(ArchiveError) -> String in
            do {
                try ws.withStoreLock(for: "destroy execute", now: now, failure: { $0 }) { _ throws(ArchiveError) in ran = true }
                return "ran"
            } catch { return "\(error)" }
        }
        #expect(!ran && nested.contains("busy") && nested.contains("ingest"))
    }

    @Test func leapDaysAreDates() {
        #expect(ISOTimestamp.parse("2024-02-29") != nil && ISOTimestamp.parse("2000-02-29T12:00:00Z") != nil)
        #expect(ISOTimestamp.parse("1900-02-29") == nil)
    }

    @Test func auditTrailChainsAndDetectsEdits() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"))
        try ws.catalog.write { db in
            for i in 1...3 {
                try ws.audit.append(db, kind: .ingest, command: "ingest", actor: "DIV", objectIds: ["batch:\(i)"], outcome: "ok")
            }
        }
        let intact = try ws.catalog.read { try AuditTrail.verify($0) }
        #expect(intact.checked == 3 && intact.firstBreak == nil && intact.isClean)
        let entries = try ws.catalog.read { try AuditTrail.entries($0) }
        #expect(entries[1].previousHash == entries[0].hash)
        #expect(entries.allSatisfy { $0.premisEventType == "ingestion" })
        try ws.catalog.write { try $0.execute(sql: "UPDATE auditEntry SET actor = 'iemand anders' WHERE seq = 2") }
        let broken = try ws.catalog.read { try AuditTrail.verify($0) }
        #expect(broken.firstBreak?.seq == 2)
    }

    @Test func jsonTextEscapesAndRoundTrips() {
        let values = ["gewoon", "met \"quotes\" en \\ backslash", "regel\nnieuw", "tab\t", "\u{01}", "één € 🚲"]
        let text = JSONText.array(values)
        #expect(JSONText.decodeArray(text) == values)
        #expect(JSONText.object([("a", .int(1)), ("b", .null), ("c", .bool(true))]) == #"{"a":1,"b":null,"c":true}"#)
    }

    /// A catalog written before the text index was deferred keeps its index: rows move to their message's rowid,
    /// indexed messages are marked, the rest wait for the indexer, and the redundant mailbox index is gone.
    @Test func deferredTextIndexMigrationKeepsTheIndex() throws {
        let tmp = try TemporaryDirectory("archive")
        let path = tmp.appending("archief").path + ".sqlite"
        let old = try DatabaseQueue(path: path)
        try Catalog.migrator.migrate(old, upTo: "v6-copy-message-rowid")
        try old.write { db in
            for (sha, subject) in [("a", "gemeenteraad"), ("b", "kermis"), ("c", "nog niet geïndexeerd")] {
                try db.execute(sql: "INSERT INTO message (sha256, size, messageId, dateSource, subject) VALUES (?, 1, ?, 'date', ?)",
                               arguments: [String(repeating: sha, count: 64), "<\(sha)@x>", subject])
            }
            // The old index numbered its rows on its own: deliberately out of step with the messages.
            try db.execute(sql: "INSERT INTO messageText (rowid, sha256, text) VALUES (7, ?, 'kermis Lekkerkerk')",
                           arguments: [String(repeating: "b", count: 64)])
            try db.execute(sql: "INSERT INTO messageText (rowid, sha256, text) VALUES (3, ?, 'gemeenteraad')",
                           arguments: [String(repeating: "a", count: 64)])
        }
        try old.close()

        let catalog = try Catalog(path: path)
        try catalog.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.sha256, m.textIndexed, t.rowid AS textRowid, m.rowid AS messageRowid
                FROM message m LEFT JOIN messageText t ON t.rowid = m.rowid ORDER BY m.sha256
                """)
            #expect(rows.map { $0["textIndexed"] as Int } == [1, 1, 0])
            #expect(rows.map { $0["textRowid"] as Int64? } == rows.prefix(2).map { $0["messageRowid"] as Int64? } + [nil])
            #expect(try String.fetchAll(db, sql: "SELECT sha256 FROM messageText WHERE messageText MATCH 'lekkerkerk'")
                    == [String(repeating: "b", count: 64)])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'copy_mailbox'") == 0)
        }
    }

    // MARK: Real and demo archives, the clock

    @Test func aRealArchiveRefusesAReplayedClockAndADemoArchiveHonoursIt() throws {
        let tmp = try TemporaryDirectory("archive")
        let real = tmp.appending("echt"), demo = tmp.appending("demo")
        _ = try Workspace.create(at: real, environment: [:])
        let refusal = #expect(throws: ArchiveError.self) { try Workspace.open(at: real, environment: ["SLUITSTEEN_NOW": "2033-06-01T09:00:00Z"]) }
        #expect(refusal?.description.contains("real archive") == true && refusal?.description.contains("init --demo") == true)
        #expect(try Workspace.open(at: real, environment: [:]).clock.kind == .system)

        let ws = try Workspace.create(at: demo, kind: .demo, environment: ["SLUITSTEEN_NOW": "2033-06-01T09:00:00Z"])
        #expect(ws.kind == .demo && ws.clock.kind == .replayed)
        #expect(ISOTimestamp.format(ws.clock.now()) == "2033-06-01T09:00:00Z")
        // A replayed date that does not exist is refused, not read as the next day.
        #expect(throws: ArchiveError.self) { try Workspace.open(at: demo, environment: ["SLUITSTEEN_NOW": "2024-02-30T10:00:00Z"]) }
    }

    @Test func theArchiveKindCannotChange() throws {
        let tmp = try TemporaryDirectory("archive")
        let dir = tmp.appending("archief")
        let ws = try Workspace.create(at: dir, environment: [:])
        let mismatch = #expect(throws: ArchiveError.self) { try Workspace.create(at: dir, kind: .demo, environment: [:]) }
        #expect(mismatch?.description.contains("cannot become") == true)
        // Not through the catalog either: the kind is fixed by a trigger.
        #expect(throws: (any Error).self) {
            try ws.catalog.write { try $0.execute(sql: "UPDATE workspaceSetting SET value = 'demo' WHERE key = 'archiveKind'") }
        }
        #expect(throws: (any Error).self) {
            try ws.catalog.write { try $0.execute(sql: "DELETE FROM workspaceSetting WHERE key = 'archiveKind'") }
        }
        #expect(try Workspace.open(at: dir, environment: [:]).kind == .real)
    }

    @Test func auditEntriesRecordTheirClockAndTimeRunningBackwardsIsAFinding() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"), kind: .demo, environment: [:])
        func append(at text: String) throws {
            let clocked = try ws.replaying(ISOTimestamp.parse(text)!)
            _ = try clocked.catalog.write { try clocked.audit.append($0, kind: .hold, command: "hold add", actor: "W", objectIds: [], outcome: "ok") }
        }
        try append(at: "2030-01-01T10:00:00Z")
        try append(at: "2030-01-01T10:01:00Z")
        try append(at: "2030-01-01T09:59:30Z")  // 90 s back: within the tolerance
        try append(at: "2029-12-31T10:00:00Z")  // a day back: a finding
        try append(at: "2030-01-02T00:00:00Z")
        let check = try ws.catalog.read { try AuditTrail.verify($0) }
        #expect(check.firstBreak == nil && !check.isClean)
        #expect(check.timeFindings.map(\.seq) == [4] && check.timeFindings[0].latestSeq == 2)
        #expect(check.replayedEntries == 5)
        let entries = try ws.catalog.read { try AuditTrail.entries($0) }
        #expect(entries.allSatisfy { $0.clock == "replayed" })
        // Changing the recorded clock breaks the chain.
        try ws.catalog.write { try $0.execute(sql: "UPDATE auditEntry SET clock = 'system' WHERE seq = 3") }
        #expect(try ws.catalog.read { try AuditTrail.verify($0) }.firstBreak?.seq == 3)
    }

    @Test func entriesWrittenBeforeTheClockWasRecordedStillVerify() throws {
        let tmp = try TemporaryDirectory("archive")
        let ws = try Workspace.create(at: tmp.appending("archief"), environment: [:])
        var old = AuditEntry(seq: 1, at: "2025-01-01T10:00:00Z", actor: "DIV", command: "init", kind: "workspace", premisEventType: "creation",
                             objectIds: "workspace", outcome: "created", previousHash: AuditTrail.genesis, hash: "", clock: nil)
        old.hash = Digest.hex(Data(old.canonicalText.utf8))
        try ws.catalog.write { db in
            try old.insert(db)
            try ws.audit.append(db, kind: .hold, command: "hold add", actor: "W", objectIds: [], outcome: "ok")
        }
        let check = try ws.catalog.read { try AuditTrail.verify($0) }
        #expect(check.checked == 2 && check.firstBreak == nil)
        let entries = try ws.catalog.read { try AuditTrail.entries($0) }
        #expect(!old.canonicalText.contains("\tsystem") && entries[1].clock == "system")
    }

    @Test func aWorkspaceIsPrivateWhateverTheUmask() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let tmp = try TemporaryDirectory("archive")
        let dir = tmp.appending("archief")
        let ws = try Workspace.create(at: dir, environment: [:])
        let bytes = Data("Subject: x\n\nbody\n".utf8)
        _ = try bytes.withUnsafeBytes { try ws.store.put($0, sha256: Digest.hex(bytes)) }
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(dir.path) == 0o700)
        #expect(try mode(dir.appendingPathComponent("catalog.sqlite").path) == 0o600)
        let pack = try ws.store.range(of: Digest.hex(bytes)).path
        #expect(try mode(pack) == 0o600)
        #expect(try mode(URL(fileURLWithPath: pack).deletingLastPathComponent().path) == 0o700)
        #expect(try mode(ws.store.root.path) == 0o700)
    }

    // MARK: Names and terminal output

    @Test func namesWithControlCharactersOrEmptyAreRefused() {
        #expect(throws: SafeText.Refusal.self) { try SafeText.checkedName("", field: "--by") }
        #expect(throws: SafeText.Refusal.self) { try SafeText.checkedName("   ", field: "--by") }
        #expect(throws: SafeText.Refusal.self) { try SafeText.checkedName("Dora\n2  2033  destruction  Eva", field: "--by") }
        #expect(throws: SafeText.Refusal.self) { try SafeText.checkedName("Dora\u{1B}[2J", field: "--by") }
        #expect(throws: SafeText.Refusal.self) { try SafeText.checkedName("Dora\u{202E}tiW", field: "--by") }
        let name = try? SafeText.checkedName("  Dora de Wit (DIV)  ", field: "--by")
        #expect(name == "Dora de Wit (DIV)")
    }

    @Test func terminalOutputShowsControlCharactersInsteadOfObeyingThem() {
        let forged = "AFGEKEURD\u{1B}[2K\rGOEDGEKEURD\nnieuwe regel"
        let shown = SafeText.terminal(forged)
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 })
        #expect(shown == "AFGEKEURD\\u{1B}[2K\\u{D}GOEDGEKEURD\\u{A}nieuwe regel")
        #expect(SafeText.terminal("één € 🚲") == "één € 🚲")
    }
}

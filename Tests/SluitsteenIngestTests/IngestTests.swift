import Foundation
import GRDB
import SluitsteenSupport
import SluitsteenTestSupport
import Synchronization
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenIndex
@testable import SluitsteenIngest
@testable import SluitsteenMIME
import Testing

@Suite struct IngestTests {
    let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!

    func ingest(_ ws: Workspace, _ mailbox: String, _ paths: [URL], format: MailboxFormat? = nil, batchSize: Int = 512) throws -> IngestSummary {
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.batchSize = batchSize
        return try ingestor.run(IngestRequest(mailbox: mailbox, paths: paths, format: format, actor: "test"))
    }

    func copies(_ ws: Workspace, _ mailbox: String? = nil) throws -> [CatalogCopy] {
        var out: [CatalogCopy] = []
        try ws.catalog.forEachCopy(mailbox: mailbox) { out.append($0) }
        return out
    }

    /// A catalog transaction covers 4,096 messages by default, read and parsed in parts of 512 (one transaction per
    /// 512 wrote each page of the SHA-256-keyed indexes eight times as often); progress comes once per transaction.
    @Test func aTransactionCoversManyParts() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let mbox = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-parts-\(UUID().uuidString).mbox")
        defer { try? FileManager.default.removeItem(at: mbox) }
        var text = ""
        for i in 0..<5000 {
            text += "From a@b.example Mon Jun  1 10:00:00 2026\nMessage-ID: <\(i)@parts.example>\nSubject: \(i)\n\nbody \(i)\n\n"
        }
        try Data(text.utf8).write(to: mbox)
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        #expect(ingestor.batchSize == Ingestor.defaultBatchSize && Ingestor.defaultBatchSize == 4096)
        let committed = Mutex<[Int]>([])
        let summary = try ingestor.run(IngestRequest(mailbox: "a@b.example", paths: [mbox], actor: "test")) { p in
            committed.withLock { $0.append(p.messages) }
        }
        #expect(summary.found == 5000 && summary.storedNew == 5000)
        #expect(committed.withLock { $0 } == [4096, 5000])
    }

    /// A bulk load (exports of at least `bulkLoadBytes` and twice what the store holds) takes messages in with the
    /// catalog's indexes by SHA-256 and Message-ID set aside and builds them at its end: the same copies and messages
    /// as an ordinary ingest, the indexes there afterwards; a later, smaller ingest is no bulk load.
    @Test func aBulkLoadBuildsItsIndexesAtTheEnd() throws {
        let mbox = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        func run(_ ws: Workspace, bulkLoadBytes: Int64, paths: [URL]) throws -> (IngestSummary, [[String]]) {
            var ingestor = Ingestor(workspace: ws, now: now)
            ingestor.batchSize = 2
            ingestor.flushToDisk = false
            ingestor.bulkLoadBytes = bulkLoadBytes
            let seen = Mutex<[[String]]>([])
            let summary = try ingestor.run(IngestRequest(mailbox: "burgemeester@krimpenerwaard.example", paths: paths, actor: "test")) { _ in
                let aside = (try? ws.catalog.setAsideIndexes()) ?? ["?"]
                seen.withLock { $0.append(aside) }
            }
            return (summary, seen.withLock { $0 })
        }
        func contents(_ ws: Workspace) throws -> [String] {
            try copies(ws).map { "\($0.copyId) \($0.sha256) \($0.folder) \($0.messageId) \($0.subject)" }
        }
        let bulk = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(bulk.root) }
        let (summary, during) = try run(bulk, bulkLoadBytes: 0, paths: [mbox])
        #expect(summary.storedNew > 2)
        #expect(!during.isEmpty && during.allSatisfy { $0 == ["message_messageId", "copy_sha256"] }, "\(during)")
        #expect(try bulk.catalog.setAsideIndexes() == [])
        // … and its log checkpointed as usual again (a bulk load lets it grow larger).
        #expect(try bulk.catalog.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 8_192)
        let ordinary = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ordinary.root) }
        let (_, duringOrdinary) = try run(ordinary, bulkLoadBytes: Int64.max, paths: [mbox])
        #expect(duringOrdinary.allSatisfy { $0.isEmpty })
        #expect(try contents(bulk) == contents(ordinary))
        #expect(try bulk.catalog.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM copy WHERE sha256 = 'x'").map { $0["detail"] as String }
        }.joined().contains("copy_sha256"))
        // Less than twice what the store holds now: no bulk load, whatever the threshold.
        let (_, again) = try run(bulk, bulkLoadBytes: 0, paths: [mbox])
        #expect(!again.isEmpty && again.allSatisfy { $0.isEmpty }, "\(again)")
    }

    /// A bulk load whose last catalog write (the batch marked complete) fails still builds the indexes it set aside and
    /// checkpoints its log as usual again, on the connection the process goes on using.
    @Test func aBulkLoadWhoseLastWriteFailsRestoresItsIndexes() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        try ws.catalog.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuseComplete BEFORE UPDATE OF status ON ingestBatch WHEN NEW.status = 'complete'
                BEGIN SELECT RAISE(ABORT, 'the disk is full'); END
                """)
        }
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.batchSize = 2
        ingestor.flushToDisk = false
        ingestor.bulkLoadBytes = 0
        let mbox = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        let aside = Mutex<[[String]]>([])
        let error = #expect(throws: IngestError.self) {
            try ingestor.run(IngestRequest(mailbox: "burgemeester@krimpenerwaard.example", paths: [mbox], actor: "test")) { _ in
                aside.withLock { $0.append((try? ws.catalog.setAsideIndexes()) ?? ["?"]) }
            }
        }
        #expect(error?.description.contains("the disk is full") == true, "\(String(describing: error))")
        #expect(aside.withLock { $0 }.contains(["message_messageId", "copy_sha256"]), "it was a bulk load")
        #expect(try ws.catalog.setAsideIndexes() == [])
        #expect(try ws.catalog.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 8_192)
    }

    @Test func ingestIsIdempotentAndDeduplicates() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let mbox = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        let first = try ingest(ws, "Burgemeester@Krimpenerwaard.example", [mbox], batchSize: 3)
        #expect(first.found > 0)
        #expect(first.found == first.storedNew + first.alreadyPresent)
        #expect(first.alreadyPresent == 0)
        let again = try ingest(ws, "burgemeester@krimpenerwaard.example", [mbox])
        #expect(again.found == first.found)
        #expect(again.storedNew == 0)
        #expect(again.alreadyPresent == first.found)
        #expect(try copies(ws).count == first.found)

        // The same bytes in another mailbox: one more copy each, no new content.
        let other = try ingest(ws, "archief@krimpenerwaard.example", [mbox])
        #expect(other.storedNew == first.found)
        #expect(other.newContents == 0)
        let distinct = try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") }
        #expect(distinct == first.found)
        // Every stored file is named by the SHA-256 of its bytes.
        for c in try copies(ws) { #expect(Digest.hex(try ws.store.read(c.sha256)) == c.sha256) }
    }

    @Test func metadataOfFixtures() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try ingest(ws, "burgemeester@krimpenerwaard.example", [TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")])
        _ = try ingest(ws, "j.devries@krimpenerwaard.example", [TestPaths.fixtures.appendingPathComponent("beleidsmedewerker")])
        // Ingest reads the header blocks; the attachments are known once the indexer has read the messages in full.
        #expect(try copies(ws).allSatisfy { $0.parsePending && $0.attachmentCount == 0 })
        try TextIndexer(workspace: ws).run()
        let all = try copies(ws)
        #expect(all.allSatisfy { !$0.parsePending })
        // A message without Message-ID gets a stable synthetic one, flagged.
        let synthetic = all.filter(\.messageIdSynthetic)
        #expect(!synthetic.isEmpty)
        #expect(synthetic.allSatisfy { $0.flagged && $0.messageId == MessageParser.synthetic($0.sha256) })
        // A message without Date falls back to a Received header (flagged with the source).
        #expect(all.contains { $0.dateSource == DateSource.received.rawValue && $0.flagged })
        // RFC 2047 subjects are decoded: the fixture has a subject with the euro sign in ISO-8859-15.
        #expect(all.contains { $0.subject.contains("€") })
        // Maildir++ folder names are decoded from modified UTF-7.
        #expect(all.contains { $0.folder == "Privé" })
        #expect(all.contains { $0.folder == "Projecten/Brug" })
        // Keywords from headers and flags from Maildir file names.
        #expect(all.contains { $0.keywords.contains("Privé") })
        #expect(all.contains { $0.flags.contains("flagged") })
        // The malformed message is stored with its defects, not dropped.
        #expect(all.contains { !$0.defects.filter { !$0.hasPrefix("missing-") }.isEmpty })
        // Attachments with their names.
        #expect(all.contains { $0.attachmentCount >= 2 && $0.attachmentNames.contains { $0.lowercased().hasSuffix(".pdf") } })
    }

    @Test func badInputIsRefusedWithNothingIngested() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("bad")
        let dir = tmp.url
        let notMail = dir.appendingPathComponent("foto.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).write(to: notMail)
        let good = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        #expect(throws: IngestError.self) { try ingest(ws, "a@b.example", [good, notMail]) }
        #expect(throws: IngestError.self) { try ingest(ws, "a@b.example", [dir.appendingPathComponent("missing.mbox")]) }
        #expect(throws: IngestError.self) { try ingest(ws, "not-an-address", [good]) }
        #expect(try copies(ws).isEmpty)
        do { _ = try ingest(ws, "a@b.example", [notMail]) } catch let error as IngestError {
            #expect(error.description.contains("foto.jpg"))
        }
    }

    @Test func dateFallbackToFromLine() throws {
        let tmp = try TemporaryDirectory("fl")
        let dir = tmp.url
        let url = dir.appendingPathComponent("x.mbox")
        try Data("From someone@example.org Tue Mar  5 14:02:03 2024\nSubject: no date\n\nhi\n".utf8).write(to: url)
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try ingest(ws, "a@b.example", [url])
        let c = try #require(try copies(ws).first)
        #expect(c.dateSource == "from-line")
        #expect(c.date == "2024-03-05T14:02:03+00:00")
        #expect(c.defects.contains("missing-date"))
    }
}

/// The same bytes twice in one folder are two copies (occurrence 0 and 1); in another folder they count from 0
/// again; a re-run maps every copy to the row it had.
@Suite struct OccurrenceTests {
    /// The counter's numbers are what a plain count per (folder, SHA-256) gives, for many repeats in several
    /// folders, with its fingerprints in memory and with most of them in its scratch file (runs of 1,000).
    @Test(arguments: [786_432, 1_000])
    func numbersEveryFoldersRepeatsFromZero(memoryLimit: Int) throws {
        let folders = ["Inbox", "Archief", "Verzonden items", "Inbox/Sub"]
        let shas = (0..<5_000).map { Digest.hex(Data("message \($0)".utf8)) }
        let tmp = try TemporaryDirectory("occurrences")
        let scratch = tmp.url
        var counter = OccurrenceCounter(memoryLimit: memoryLimit) { () throws(IngestError) -> URL in
            let folder = scratch.appendingPathComponent(UUID().uuidString)
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw .archive(.cannotWrite(folder.path, reason: "\(error)"))
            }
            return folder
        }
        var reference: [String: Int] = [:]
        var generator = SeededGenerator(seed: 2026)
        var repeats = 0
        for _ in 0..<40_000 {
            let folder = folders[Int(generator.next() % UInt64(folders.count))]
            let sha = shas[Int(generator.next() % UInt64(shas.count))]
            let key = folder + "\u{0}" + sha
            let expected = reference[key, default: 0]
            reference[key] = expected + 1
            if expected > 0 { repeats += 1 }
            #expect(try counter.next(folder: folder, sha256: sha) == expected, "\(folder) \(sha)")
        }
        #expect(repeats > 20_000)
        // Every full set of `memoryLimit` fingerprints went to the file.
        #expect(counter.spilled == reference.count / memoryLimit * memoryLimit, "\(counter.spilled) of \(reference.count)")
        // The scratch file and its folder were unlinked when made: nothing is left.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?.isEmpty ?? true)
    }

    @Test func duplicatesWithinAFolderAreNumberedStably() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("dup")
        let dir = tmp.url
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let one = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <same@x>\nSubject: twee keer\n\nzelfde\n\n"
        let other = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <other@x>\nSubject: anders\n\nanders\n\n"
        try Data((one + other + one).utf8).write(to: dir.appendingPathComponent("Inbox.mbox"))
        try Data((one).utf8).write(to: dir.appendingPathComponent("Archief.mbox"))
        let paths = ["Inbox.mbox", "Archief.mbox"].map { dir.appendingPathComponent($0) }
        func run() throws -> IngestSummary {
            var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
            ingestor.flushToDisk = false
            return try ingestor.run(IngestRequest(mailbox: "a@b.example", paths: paths, actor: "test"))
        }
        let first = try run()
        #expect(first.found == 4 && first.storedNew == 4 && first.newContents == 2)
        let rows = try ws.catalog.read { db in
            try Row.fetchAll(db, sql: "SELECT folder, occurrence, position FROM copy ORDER BY folder, position").map {
                "\($0["folder"] as String)#\($0["occurrence"] as Int)@\($0["position"] as Int)"
            }
        }
        #expect(rows == ["Archief#0@0", "Inbox#0@0", "Inbox#0@1", "Inbox#1@2"])
        let again = try run()
        #expect(again.storedNew == 0 && again.alreadyPresent == 4)
        #expect(try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM copy") } == 4)
    }

    /// Fifty copies of the same bytes in one batch: one file written, one new content, fifty copies, every time.
    @Test func manyCopiesInOneBatchStoreOneFile() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("dup50")
        let dir = tmp.url
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let one = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <same@x>\nSubject: vaak\n\n"
            + String(repeating: "tekst ", count: 5000) + "\n\n"
        let mbox = dir.appendingPathComponent("Inbox.mbox")
        try Data(String(repeating: one, count: 50).utf8).write(to: mbox)
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
        ingestor.flushToDisk = false
        let summary = try ingestor.run(IngestRequest(mailbox: "a@b.example", paths: [mbox], actor: "test"))
        #expect(summary.found == 50 && summary.storedNew == 50 && summary.newContents == 1)
        let occurrences = try ws.catalog.read { try Int.fetchAll($0, sql: "SELECT occurrence FROM copy ORDER BY position") }
        #expect(occurrences == Array(0..<50))
        let check = try StoreCheck(workspace: ws).run(repair: false)
        #expect(check.isSound && check.checked == 1 && check.leftovers == 0, "the bytes are stored once, nothing half-copied")
    }
}

/// Ingest holds the store lock: while destruction (or another ingest) holds it, ingest is refused with nothing
/// written; once it is free, ingest runs and first clears what an interrupted run left in store/.incoming.
@Suite struct StoreLockIngestTests {
    @Test func ingestIsRefusedWhileAnotherCommandHoldsTheStore() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let mbox = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        let request = IngestRequest(mailbox: "burgemeester@krimpenerwaard.example", paths: [mbox], actor: "test")
        // What an interrupted run (or a running destruction) has in .incoming is not touched by a refused ingest.
        let incoming = ws.store.root.appendingPathComponent(".incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        try Data("half a message".utf8).write(to: incoming.appendingPathComponent("leftover-1"))
        var held: StoreLock? = try ws.lockStore(for: "destroy execute VL-7", now: now)
        do {
            _ = try ingestor.run(request)
            Issue.record("ingest ran while the store was locked")
        } catch {
            #expect(error.description.contains("busy") && error.description.contains("destroy execute VL-7"))
        }
        #expect(try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT (SELECT COUNT(*) FROM copy) + (SELECT COUNT(*) FROM ingestBatch)") } == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: incoming.path) == ["leftover-1"])
        #expect(held != nil)
        held = nil

        let summary = try ingestor.run(request)
        #expect(summary.found > 0 && summary.found == summary.storedNew)
        #expect(!FileManager.default.fileExists(atPath: incoming.path))
    }
}

/// Ingest holds the store lock for its whole run: a command trying to take it after any batch is refused.
@Suite struct StoreLockDuringIngestTests {
    @Test func theLockIsHeldAfterEveryBatch() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
        ingestor.flushToDisk = false
        ingestor.batchSize = 1
        let probes = Mutex<[String]>([])
        let summary = try ingestor.run(IngestRequest(mailbox: "burgemeester@krimpenerwaard.example",
                                                     paths: [TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")], actor: "test")) { _ in
            let outcome: String
            do { let lock = try ws.lockStore(for: "probe", now: Date()); withExtendedLifetime(lock) {}; outcome = "free" } catch {
                outcome = "\(error)".contains("busy") ? "busy" : "\(error)"
            }
            // And the lock itself, as another process sees it: a new open file description of the workspace folder
            // cannot take it.
            let fd = open(ws.root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            let osLock = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK ? "busy" : "free"
            if fd >= 0 { close(fd) }
            // Deleting store.lock (it looks stale) does not release the lock.
            unlink(ws.root.appendingPathComponent("store.lock").path)
            let afterDelete: String
            do { let lock = try ws.lockStore(for: "probe", now: Date()); withExtendedLifetime(lock) {}; afterDelete = "free" } catch {
                afterDelete = "\(error)".contains("busy") ? "busy" : "\(error)"
            }
            probes.withLock { $0.append(outcome); $0.append(osLock); $0.append(afterDelete) }
        }
        let seen = probes.withLock { $0 }
        #expect(seen.count == 3 * summary.found && summary.found > 5)
        #expect(seen.allSatisfy { $0 == "busy" }, "\(seen)")
        let after = try ws.lockStore(for: "probe", now: Date())
        withExtendedLifetime(after) {}
    }
}

/// Messages too large for memory (above `inMemoryLimit`) go through the store as files: with the limit at 0 every
/// fixture message takes that path, and the archive must be the same as with every message in memory.
@Suite struct LargeMessageTests {
    let sources: [(String, [URL], MailboxFormat?)] = [
        ("burgemeester@krimpenerwaard.example", [TestPaths.fixtures.appendingPathComponent("burgemeester.mbox"),
                                                 TestPaths.fixtures.appendingPathComponent("beleidsmedewerker")], nil),
        ("info@krimpenerwaard.example", [TestPaths.fixtures.appendingPathComponent("info")], nil),
    ]

    @Test func messagesHeldInFilesGiveTheSameArchiveAsMessagesInMemory() throws {
        let (inMemory, inFiles) = try BothPaths.bothWays(sources)
        #expect(inMemory.copies.count > 20)
        #expect(inFiles.copies == inMemory.copies)
        #expect(!inMemory.files.isEmpty && inFiles.files == inMemory.files)
        #expect(inFiles.text == inMemory.text)
        #expect(!inMemory.text.isEmpty)
    }

    /// The mbox reader hands out a message above the limit as a range of the file: the same bytes, never copied.
    @Test func mboxReaderHandsOutLargeMessagesAsFileRanges() throws {
        let url = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        var small = try MboxReader(url: url)
        var large = try MboxReader(url: url, inMemoryLimit: 0)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var count = 0
        while let a = try small.next() {
            let b = try #require(try large.next())
            #expect(a.file == nil && b.bytes.isEmpty)
            let range = try #require(b.file)
            #expect(range.path == url.path && b.position == a.position && b.fromLine == a.fromLine)
            try handle.seek(toOffset: UInt64(range.offset))
            #expect(try handle.read(upToCount: Int(range.length)) ?? Data() == a.bytes, "message \(a.position)")
            count += 1
        }
        #expect(try large.next() == nil)
        #expect(count > 5)
    }

    /// A stored copy of a large message is made once: a copy of the same bytes finds it in place and leaves nothing
    /// appended; a range past the end of its file is an error that leaves nothing appended either.
    @Test func copyingIntoTheStoreIsIdempotentAndRepairs() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("large")
        let source = tmp.appending("message.eml")
        let bytes = Data(("Subject: groot\n\n" + String(repeating: "regel tekst\n", count: 100_000)).utf8)
        try bytes.write(to: source)
        let first = try ws.store.put(copyOf: source.path, offset: 0, length: Int64(bytes.count))
        #expect(first.isNew && first.sha256 == Digest.hex(bytes))
        let again = try ws.store.put(copyOf: source.path, offset: 0, length: Int64(bytes.count))
        #expect(!again.isNew && again.sha256 == first.sha256)
        let pack = try ws.store.range(of: first.sha256).path
        let packSize = { try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int }
        let size = try packSize()
        #expect(size == 16 + 48 + bytes.count, "one pack header, one entry header, the bytes once")
        #expect(try ws.store.read(first.sha256) == bytes)
        try ws.store.verify(first.sha256)
        // A range that runs past the end of the file (the export changed meanwhile) is an error, not a short copy.
        #expect(throws: ArchiveError.self) { try ws.store.put(copyOf: source.path, offset: 10, length: Int64(bytes.count)) }
        #expect(try packSize() == size)
        try ws.store.flush()
        #expect(try ws.store.read(first.sha256) == bytes)
    }
}

import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
@testable import SluitsteenIndex
@testable import SluitsteenIngest
@testable import SluitsteenMIME
import SluitsteenSupport
import Testing

/// The full-text index is built after capture, from the store, and only for what is still stored.
@Suite struct TextIndexTests {
    let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!
    let mbox = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")

    func ingest(_ ws: Workspace) throws -> IngestSummary {
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        return try ingestor.run(IngestRequest(mailbox: "burgemeester@krimpenerwaard.example", paths: [mbox], actor: "test"))
    }

    func hits(_ ws: Workspace, _ query: String) throws -> [String] {
        try ws.catalog.read {
            try String.fetchAll($0, sql: "SELECT sha256 FROM messageText WHERE messageText MATCH ? ORDER BY sha256", arguments: [query])
        }
    }

    /// A workspace with the fixture mbox ingested: its message count, and the rowid and SHA-256 of the message
    /// about the kermis.
    func ingestedWithKermis() throws -> (Workspace, messages: Int, rowid: Int64, sha256: String) {
        let ws = try TestPaths.workspace()
        _ = try ingest(ws)
        let row = try #require(try ws.catalog.read {
            try Row.fetchOne($0, sql: "SELECT rowid, sha256 FROM message WHERE subject LIKE '%kermis%'")
        })
        return (ws, try stored(ws), row[0], row[1])
    }

    /// Ingests one mbox text (as Inbox.mbox of a@b.example) into `ws` and builds the full-text index.
    func ingestAndIndex(_ mbox: String, into ws: Workspace) throws {
        let tmp = try TemporaryDirectory("mbox")
        let url = tmp.appending("Inbox.mbox")
        try Data(mbox.utf8).write(to: url)
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        _ = try ingestor.run(IngestRequest(mailbox: "a@b.example", paths: [url], actor: "test"))
        try TextIndexer(workspace: ws).run()
    }

    func stored(_ ws: Workspace) throws -> Int {
        try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") ?? 0 }
    }

    @Test func ingestCapturesAndTheIndexerCatchesUpOnce() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try ingest(ws)
        let messages = try stored(ws)
        let indexer = TextIndexer(workspace: ws)
        #expect(try indexer.pendingCount() == messages, "ingest leaves the text to the indexer")
        #expect(try hits(ws, "kermis").isEmpty)

        let first = try indexer.run()
        #expect(first.messages == messages)
        #expect(try indexer.pendingCount() == 0)
        // Subject words (decoded from RFC 2047) and body words are both found; diacritics are folded.
        #expect(try hits(ws, "kermis").count == 1)
        #expect(try hits(ws, "cafe").count == 1, "the ISO-8859-1 subject 'café' is decoded and folded")
        // Each index row carries the rowid and SHA-256 of its message.
        let mismatched = try ws.catalog.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM messageText t JOIN message m ON m.rowid = t.rowid WHERE m.sha256 <> t.sha256")
        }
        #expect(mismatched == 0)

        // A second run, and a re-ingest of the same export, add nothing.
        #expect(try indexer.run().messages == 0)
        _ = try ingest(ws)
        #expect(try indexer.pendingCount() == 0)
    }

    /// A destruction that removes bytes between the listing of a batch and the reading of its bytes: the indexer
    /// skips that message and indexes the rest (bytes missing from a message still waiting for the index are
    /// damage: see aMissingStoredMessageStopsTheIndexerWithItsName).
    @Test func bytesDestroyedWhileTheIndexerReadsAreSkipped() throws {
        let (ws, messages, rowid, sha) = try ingestedWithKermis()
        defer { TemporaryDirectory.remove(ws.root) }
        var indexer = TextIndexer(workspace: ws)
        indexer.beforeReading = { [ws] rowids in
            guard rowids.contains(rowid) else { return }
            // What ExecutionJournal does: mark the message as not for the index, then remove its bytes.
            try? ws.catalog.write { try $0.execute(sql: "UPDATE message SET textIndexed = 1 WHERE rowid = ?", arguments: [rowid]) }
            try? ws.store.remove(sha)
        }
        #expect(try indexer.run().messages == messages - 1)
        #expect(try hits(ws, "kermis").isEmpty)
        #expect(try indexer.pendingCount() == 0)
    }

    /// Bytes that vanish while a batch is read and are back (an ingest of the same message) before the indexer
    /// looks into the failed read: the message is read once more and indexed, not reported as damaged.
    @Test func bytesBackBeforeTheCheckAreReadAgain() throws {
        let (ws, messages, rowid, sha) = try ingestedWithKermis()
        defer { TemporaryDirectory.remove(ws.root) }
        let stored = URL(fileURLWithPath: try ws.store.range(of: sha).path), aside = stored.appendingPathExtension("aside")
        var indexer = TextIndexer(workspace: ws)
        indexer.beforeReading = { rowids in if rowids.contains(rowid) { try? FileManager.default.moveItem(at: stored, to: aside) } }
        indexer.afterReading = { rowids in if rowids.contains(rowid) { try? FileManager.default.moveItem(at: aside, to: stored) } }
        #expect(try indexer.run().messages == messages)
        #expect(try hits(ws, "kermis").count == 1)
    }

    /// A text part larger than the text limit (4 MB) is decoded as a stream (base64, then ISO-8859-1 to UTF-8) and
    /// cut at the limit: its beginning is indexed, its end is not, and it is never decoded into memory whole.
    @Test func hugeTextPartIsDecodedAsAStreamAndCut() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var body = Data()
        body.append(contentsOf: Array("Verslag over de kermis in het caf".utf8) + [0xE9] + Array(" Lekkerkerk\n".utf8))
        let filler = Data(String(repeating: "regel zonder betekenis\n", count: (MessageParser.maxTextBytes / 23) + 1000).utf8)
        body.append(filler)
        body.append(contentsOf: Array("slotwoord\n".utf8))
        let encoded = body.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let message = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <groot@x>\nSubject: groot\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n"
        try ingestAndIndex(message, into: ws)
        #expect(try hits(ws, "kermis").count == 1)
        #expect(try hits(ws, "cafe").count == 1, "decoded from ISO-8859-1")
        #expect(try hits(ws, "slotwoord").isEmpty, "the text past the limit is not indexed")
        let length = try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT length(CAST(text AS BLOB)) FROM messageText") } ?? 0
        #expect(length > MessageParser.maxTextBytes / 2 && length <= MessageParser.maxTextBytes + 100)
    }

    /// Encoded content that decodes to nothing for a while (blank base64 lines, quoted-printable soft line
    /// breaks) does not end the text of a large part: the words after it are indexed.
    @Test(arguments: ["base64", "quoted-printable"])
    func largePartWithEmptyDecodingStretchIsIndexedWhole(encoding: String) throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let text = String(repeating: "regel zonder betekenis\n", count: (MessageParser.maxTextBytes / 23) + 100) + "kermis\n"
        let encoded: String
        if encoding == "base64" {
            encoded = String(repeating: "\n", count: 5000)
                + Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        } else {
            encoded = String(repeating: "=\n", count: 2500) + "kermis eerst\n" + text
        }
        let message = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <leeg@x>\nSubject: x\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: \(encoding)\n\n" + encoded + "\n"
        try ingestAndIndex(message, into: ws)
        #expect(try hits(ws, encoding == "base64" ? "betekenis" : "kermis").count == 1)
        let length = try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT length(CAST(text AS BLOB)) FROM messageText") } ?? 0
        #expect(length > MessageParser.maxTextBytes / 2)
    }

    /// A NUL byte in a text part does not hide the words after it.
    @Test func wordsAfterANulByteAreIndexed() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let message = "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <nul@x>\nSubject: x\n\nbegin\u{0}verborgen kermis\n\n"
        try ingestAndIndex(message, into: ws)
        #expect(try hits(ws, "kermis").count == 1)
    }

    @Test func destroyedContentIsNeverIndexedAndReturnsWhenIngestedAgain() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try ingest(ws)
        let target = try #require(try ws.catalog.read {
            try String.fetchOne($0, sql: "SELECT sha256 FROM message WHERE subject LIKE '%kermis%'")
        })
        // What the destruction journal does to a message whose last copy is destroyed (before any index run).
        try ws.store.remove(target)
        try ws.catalog.write { db in
            try db.execute(sql: "UPDATE copy SET state = 'destroyed' WHERE sha256 = ?", arguments: [target])
            try db.execute(sql: "UPDATE message SET subject = '', contentState = 'destroyed', textIndexed = 1 WHERE sha256 = ?", arguments: [target])
        }
        let indexer = TextIndexer(workspace: ws)
        #expect(try indexer.pendingCount() == (try stored(ws)) - 1)
        _ = try indexer.run()
        #expect(try hits(ws, "kermis").isEmpty, "the destroyed message's words are not in the index")

        // The same bytes arrive again from an export: stored anew, and indexed again.
        _ = try ingest(ws)
        #expect(ws.store.contains(target))
        #expect(try indexer.pendingCount() == 1)
        _ = try indexer.run()
        #expect(try hits(ws, "kermis") == [target])
    }

    @Test func aMissingStoredMessageStopsTheIndexerWithItsName() throws {
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        _ = try ingest(ws)
        let victim = try #require(try ws.catalog.read { try String.fetchOne($0, sql: "SELECT sha256 FROM message ORDER BY rowid LIMIT 1") })
        try ws.store.remove(victim)
        #expect {
            try TextIndexer(workspace: ws).run()
        } throws: { error in
            "\(error)".contains(victim)
        }
    }
}

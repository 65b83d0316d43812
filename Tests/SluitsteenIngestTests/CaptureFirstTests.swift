import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenHashing
@testable import SluitsteenIndex
@testable import SluitsteenIngest
@testable import SluitsteenMIME
import SluitsteenSupport
import Testing

/// Capture first, parse later (issue 17): ingest reads each message's header block only; `index` reads it in full.
/// The header block alone must give exactly the header values the full reading gives, and ingest + index the same
/// catalog as a full reading at capture, on the fixtures and on the corpora of ../shared.
@Suite struct CaptureFirstTests {
    let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!

    /// The fixtures' exports, and (when ../shared is there) every corpus file, as ingest sources.
    static func sources() throws -> [(String, [URL], MailboxFormat?)] {
        let f = TestPaths.fixtures
        var sources: [(String, [URL], MailboxFormat?)] = [
            ("burgemeester@krimpenerwaard.example", [f.appendingPathComponent("burgemeester.mbox")], nil),
            ("j.devries@krimpenerwaard.example", [f.appendingPathComponent("beleidsmedewerker")], nil),
            ("info@krimpenerwaard.example", [f.appendingPathComponent("info")], nil),
        ]
        guard TestPaths.hasCorpora else { return sources }
        let fm = FileManager.default
        var n = 0
        for dir in try fm.contentsOfDirectory(atPath: TestPaths.corpora.path).sorted() {
            let oracle = TestPaths.corpora.appendingPathComponent(dir).appendingPathComponent("oracle.jsonl")
            guard let text = try? String(contentsOf: oracle, encoding: .utf8) else { continue }
            var files: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let file = o["file"] as? String, let kind = o["kind"] as? String else { continue }
                files[file] = kind
            }
            for (file, kind) in files.sorted(by: { $0.key < $1.key }) {
                n += 1
                sources.append(("file\(n)@corpus.example", [TestPaths.corpora.appendingPathComponent(dir).appendingPathComponent(file)],
                                kind == "mbox" ? .mbox : .eml))
            }
        }
        return sources
    }

    /// Every message of `sources`, as the readers give them.
    static func messages(_ sources: [(String, [URL], MailboxFormat?)]) throws -> [RawMessage] {
        var out: [RawMessage] = []
        for (_, urls, format) in sources {
            for url in urls {
                var source: any MessageSource
                let detected = try format ?? MailboxFormat.detect(url)
                switch detected {
                case .mbox: source = try MboxReader(url: url)
                case .maildir: source = try MaildirReader(url: url)
                default: source = try EMLTreeReader(url: url)
                }
                while let m = try source.next() { out.append(m) }
            }
        }
        return out
    }

    /// The header values of a reading, as one comparable text.
    static func headerValues(_ p: ParsedMessage) -> String {
        let addresses = [p.from, p.to, p.cc, p.bcc].map { $0.map { "\($0.name ?? "-") <\($0.address)>" }.joined(separator: ", ") }
        return [p.messageId, "\(p.messageIdSynthetic)", p.date.map { ISOTimestamp.format($0) } ?? "-", "\(p.dateOffsetMinutes)",
                p.dateSource.rawValue, p.receivedDate.map { ISOTimestamp.format($0) } ?? "-", p.subject,
                p.headerKeywords.joined(separator: ",")].joined(separator: " | ") + " | " + addresses.joined(separator: " | ")
    }

    /// The header block alone gives every header value the full reading gives (in memory and from a file), counts no
    /// attachment, and records only defects the full reading records too, none of them about the body.
    @Test func theHeaderBlockAloneGivesTheFullReadingsHeaderValues() throws {
        let all = try Self.messages(try Self.sources())
        #expect(all.count > (TestPaths.hasCorpora ? 600 : 25))
        let fallback = (now, DateSource.captureTime)
        let tmp = try TemporaryDirectory("header")
        let dir = tmp.url
        var differing: [String] = []
        var withBodyDefects = 0
        for (i, m) in all.enumerated() {
            let sha = Digest.hex(m.bytes)
            let (full, head) = m.bytes.withUnsafeBytes { b in
                (MessageParser.parse(b, fromLine: m.fromLine, sha256: sha, fallbackDate: fallback),
                 MessageParser.parseHeader(b, fromLine: m.fromLine, sha256: sha, fallbackDate: fallback))
            }
            let file = dir.appendingPathComponent("\(i).eml")
            try m.bytes.write(to: file)
            let fromFile = try MessageParser.parseHeader(file: file.path, fromLine: m.fromLine, sha256: sha, fallbackDate: fallback)
            try? FileManager.default.removeItem(at: file)
            let place = "\(m.sourceFile) #\(m.position)"
            if Self.headerValues(head) != Self.headerValues(full) {
                differing.append("\(place): \(Self.headerValues(head)) ≠ \(Self.headerValues(full))")
            }
            if Self.headerValues(fromFile) != Self.headerValues(full) || fromFile.defects != head.defects {
                differing.append("\(place) from its file: \(Self.headerValues(fromFile)) \(fromFile.defects) ≠ \(head.defects)")
            }
            if head.attachmentCount != 0 || !head.attachmentNames.isEmpty { differing.append("\(place): attachments counted") }
            if !Set(head.defects).isSubset(of: Set(full.defects)) {
                differing.append("\(place): header defects \(head.defects) not among \(full.defects)")
            }
            if Set(full.defects) != Set(head.defects) { withBodyDefects += 1 }
        }
        #expect(differing.isEmpty, "\(differing.count) differ: \(differing.prefix(5))")
        if TestPaths.hasCorpora { #expect(withBodyDefects > 0, "the corpora hold messages with defects of the body") }
    }

    /// Runs an ingest of `sources` into a new workspace, reading in full at capture or not, with batches of 16.
    func ingest(_ sources: [(String, [URL], MailboxFormat?)], inFull: Bool) throws -> Workspace {
        let ws = try TestPaths.workspace()
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        ingestor.batchSize = 16
        ingestor.parseInFull = inFull
        for (mailbox, paths, format) in sources {
            _ = try ingestor.run(IngestRequest(mailbox: mailbox, paths: paths, format: format, actor: "test"))
        }
        return ws
    }

    /// Ingest + index gives, copy for copy, the catalog (every column `messages --json` shows) and the full-text index
    /// that a full reading at capture + index gives; before `index`, every new message says it is pending, with
    /// its attachments unknown (null), and `index` reads each exactly once.
    @Test func ingestThenIndexGivesTheCatalogOfAFullReadingAtCapture() throws {
        let sources = try Self.sources()
        let reference = try ingest(sources, inFull: true)
        defer { TemporaryDirectory.remove(reference.root) }
        #expect(try reference.catalog.read { try MessageText.parsePendingCount($0) } == 0)
        try TextIndexer(workspace: reference).run()
        let expected = try BothPaths.contents(reference)

        let ws = try ingest(sources, inFull: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let messages = try ws.catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") ?? 0 }
        #expect(try ws.catalog.read { try MessageText.parsePendingCount($0) } == messages)
        var pendingLines = 0
        try ws.catalog.forEachCopy { c in
            #expect(c.parsePending)
            let line = try #require(try JSONSerialization.jsonObject(with: Data(c.jsonLine.utf8)) as? [String: Any])
            #expect(line["parsePending"] as? Bool == true && line["attachmentCount"] is NSNull && line["attachments"] is NSNull)
            pendingLines += 1
        }
        #expect(pendingLines == expected.copies.count)

        let summary = try TextIndexer(workspace: ws).run()
        #expect(summary.parsed == messages)
        #expect(try ws.catalog.read { try MessageText.parsePendingCount($0) } == 0)
        let got = try BothPaths.contents(ws)
        let differing = zip(got.copies, expected.copies).filter { $0 != $1 }
        #expect(got.copies.count == expected.copies.count && differing.isEmpty, "\(differing.prefix(3))")
        #expect(got.text == expected.text)
        #expect(got.files == expected.files)
        // Some message of the fixtures has attachments: the comparison covers what only the full reading finds.
        #expect(expected.copies.contains { !$0.contains("\"attachmentCount\":0") })
    }
}

import CGMime
import Foundation
import SluitsteenArchive
import SluitsteenHashing
@testable import SluitsteenIngest
import Testing

/// Ingests ~700 hostile and real messages from other mail projects' test suites (../shared/corpora) and
/// compares count, size and SHA-256 of every message with the oracle computed by Python's standard library.
@Suite(.enabled(if: TestPaths.hasCorpora, "../shared/corpora is absent: corpus conformance skipped"))
struct CorpusConformanceTests {
    struct Record: Decodable {
        var source: String
        var file: String
        var kind: String
        var index: Int?
        var size: Int
        var sha256: String
    }

    func records() throws -> [Record] {
        let fm = FileManager.default
        var out: [Record] = []
        for dir in try fm.contentsOfDirectory(atPath: TestPaths.corpora.path).sorted() {
            let oracle = TestPaths.corpora.appendingPathComponent(dir).appendingPathComponent("oracle.jsonl")
            guard let text = try? String(contentsOf: oracle, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                var r = try JSONDecoder().decode(Record.self, from: Data(line.utf8))
                r.source = dir
                out.append(r)
            }
        }
        return out
    }

    @Test func everyMessageByteForByte() throws {
        let all = try records()
        #expect(all.count > 600)
        let byFile = Dictionary(grouping: all) { "\($0.source)/\($0.file)" }
        let ws = try TestPaths.workspace()
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T00:00:00Z")!)
        ingestor.batchSize = 64
        ingestor.flushToDisk = false
        var expectedCopies = 0
        var mismatches: [String] = []
        var fileNumber = 0
        for (key, recs) in byFile.sorted(by: { $0.key < $1.key }) {
            let url = TestPaths.corpora.appendingPathComponent(key)
            let kind = recs[0].kind
            // Compare the reader's messages with the oracle, message by message.
            var got: [RawMessage] = []
            if kind == "mbox" {
                var r = try MboxReader(url: url)
                while let m = try r.next() { got.append(m) }
            } else {
                var r = try EMLTreeReader(url: url)
                while let m = try r.next() { got.append(m) }
            }
            let want = recs.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
            if got.count != want.count { mismatches.append("\(key): \(got.count) messages, oracle \(want.count)"); continue }
            for (g, w) in zip(got, want) where g.bytes.count != w.size || Digest.hex(g.bytes) != w.sha256 {
                mismatches.append("\(key)#\(w.index ?? 0): size \(g.bytes.count) vs \(w.size)")
            }
            // And through the whole pipeline: one mailbox per corpus file (identical files in one folder of one
            // mailbox are one copy when ingested separately; here every file must stay listed).
            fileNumber += 1
            let summary = try ingestor.run(IngestRequest(mailbox: "file\(fileNumber)@corpus.example", paths: [url],
                                                          format: kind == "mbox" ? .mbox : .eml, actor: "test"))
            #expect(summary.found == want.count, "\(key)")
            #expect(summary.found == summary.storedNew + summary.alreadyPresent)
            expectedCopies += want.count
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        // Every message can be listed, with the size and hash of the oracle.
        var listed = 0
        var listedHashes = Set<String>()
        try ws.catalog.forEachCopy { c in
            listed += 1
            listedHashes.insert(c.sha256)
            #expect(!c.jsonLine.isEmpty)
        }
        #expect(listed == expectedCopies)
        #expect(listedHashes == Set(all.map(\.sha256)))
    }

    /// Every hostile message parses the same when it is too large for memory (read through GMime's file stream from
    /// the store) as when it is in memory: the same catalog, store and full-text index.
    @Test func largeMessagePathGivesTheSameArchiveOnTheCorpus() throws {
        let byFile = Dictionary(grouping: try records()) { "\($0.source)/\($0.file)" }
        var sources: [(String, [URL], MailboxFormat?)] = []
        for (n, (key, recs)) in byFile.sorted(by: { $0.key < $1.key }).enumerated() {
            sources.append(("file\(n)@corpus.example", [TestPaths.corpora.appendingPathComponent(key)], recs[0].kind == "mbox" ? .mbox : .eml))
        }
        let inMemory = try BothPaths.contents(try BothPaths.ingest(sources, inMemoryLimit: RawMessage.defaultInMemoryLimit))
        let inFiles = try BothPaths.contents(try BothPaths.ingest(sources, inMemoryLimit: 0))
        #expect(inMemory.copies.count > 600)
        #expect(inFiles.files == inMemory.files)
        let differing = zip(inFiles.copies, inMemory.copies).filter { $0 != $1 }
        #expect(inFiles.copies.count == inMemory.copies.count && differing.isEmpty, "\(differing.prefix(3))")
        let differingText = zip(inFiles.text, inMemory.text).filter { $0 != $1 }.map { String($0.0.prefix(200)) + " | " + String($0.1.prefix(200)) }
        #expect(inFiles.text.count == inMemory.text.count && differingText.isEmpty, "\(differingText.prefix(3))")
    }

    /// The text Sluitsteen reads from a text part (through a filter stream, on the read side) is, byte for byte,
    /// what GMime writes when it decodes the part into memory the way g_mime_text_part_get_text does (data wrapper
    /// written through a charset filter), with NUL bytes as spaces; also when cut at 1, 7 and 4096 bytes. That
    /// oracle is itself checked against get_text up to get_text's first NUL. Every text part of every corpus
    /// message.
    @Test func streamedTextEqualsGMimeGetText() throws {
        // GMime is initialised by Sluitsteen's parser (once, thread-safely) before it is used directly here.
        _ = Data("Subject: x\n\ny\n".utf8).withUnsafeBytes { MessageParser.parse($0, sha256: "", fallbackDate: (Date(), .captureTime)) }
        var compared = 0
        var differing: [String] = []
        func decoded(_ object: UnsafeMutablePointer<GMimeObject>) -> [UInt8] {
            guard let content = g_mime_part_get_content(sls_as_part(object)) else { return [] }
            let mem = g_mime_stream_mem_new()
            defer { sls_unref(mem) }
            if let charset = g_mime_object_get_content_type_parameter(object, "charset"), let filter = g_mime_filter_charset_new(charset, "utf-8") {
                let filtered = g_mime_stream_filter_new(mem)
                _ = g_mime_stream_filter_add(sls_as_stream_filter(filtered), filter)
                sls_unref(filter)
                _ = g_mime_data_wrapper_write_to_stream(content, filtered)
                _ = g_mime_stream_flush(filtered)
                sls_unref(filtered)
            } else {
                _ = g_mime_data_wrapper_write_to_stream(content, mem)
            }
            guard let array = g_mime_stream_mem_get_byte_array(UnsafeMutableRawPointer(mem!).assumingMemoryBound(to: GMimeStreamMem.self)),
                  let data = array.pointee.data else { return [] }
            return Array(UnsafeBufferPointer(start: data, count: Int(array.pointee.len)))
        }
        func walk(_ object: UnsafeMutablePointer<GMimeObject>, _ where_: String, depth: Int) {
            guard depth < 32 else { return }
            if sls_is_multipart(object) != 0, let mp = sls_as_multipart(object) {
                for i in 0..<g_mime_multipart_get_count(mp) {
                    if let child = g_mime_multipart_get_part(mp, i) { walk(child, where_, depth: depth + 1) }
                }
            } else if sls_is_message_part(object) != 0, let mp = sls_as_message_part(object),
                      let inner = g_mime_message_part_get_message(mp), let body = g_mime_message_get_mime_part(inner) {
                walk(body, where_, depth: depth + 1)
            } else if sls_is_text_part(object) != 0, let tp = sls_as_text_part(object) {
                let oracle = decoded(object)
                guard let raw = g_mime_text_part_get_text(tp) else { return }
                let getText = String(cString: raw)
                g_free(raw)
                compared += 1
                if String(decoding: oracle.prefix(while: { $0 != 0 }), as: UTF8.self) != getText { differing.append("\(where_): the oracle is not get_text") }
                let spaced = oracle.map { $0 == 0 ? 0x20 : $0 }
                for limit in [1, 7, 4096, Int.max] {
                    let streamed = PartWalker.text(of: object, limit: limit) ?? ""
                    if streamed != String(decoding: spaced.prefix(limit), as: UTF8.self) {
                        differing.append("\(where_): limit \(limit): \(streamed.utf8.count) vs \(min(limit, spaced.count)) bytes")
                    }
                }
            }
        }
        for record in try records() {
            let url = TestPaths.corpora.appendingPathComponent(record.source).appendingPathComponent(record.file)
            var messages: [Data] = []
            if record.kind == "mbox" {
                guard record.index == 0 else { continue }
                var reader = try MboxReader(url: url, inMemoryLimit: Int.max)
                while let m = try reader.next() { messages.append(m.bytes) }
            } else {
                messages = [try Data(contentsOf: url)]
            }
            for (n, bytes) in messages.enumerated() {
                bytes.withUnsafeBytes { raw in
                    let stream = g_mime_stream_mem_new_with_buffer(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
                    let parser = g_mime_parser_new_with_stream(stream)
                    sls_unref(stream)
                    defer { sls_unref(parser) }
                    guard let message = g_mime_parser_construct_message(parser, nil) else { return }
                    defer { sls_unref(message) }
                    if let body = g_mime_message_get_mime_part(message) { walk(body, "\(record.file)#\(n)", depth: 0) }
                }
            }
        }
        #expect(compared > 500)
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    /// Why Sluitsteen cuts an mbox with the rule that defines its bytes (MboxReader) and then parses each message
    /// with GMime, instead of cutting with GMime's own mbox mode: on MimeKit's issue-1189 mbox (an attachment part
    /// whose base64 starts right after its headers) GMime's mbox mode stops after two of the four messages, and
    /// the other two would be lost. Sluitsteen keeps all four, byte for byte as Python's mailbox cuts them.
    @Test func gmimeMboxModeLosesMessagesThatTheReaderKeeps() throws {
        let file = "UnitTests/TestData/mbox/issue1189.mbox.txt"
        let want = try records().filter { $0.source == "github-jstedfast-MimeKit" && $0.file == file }.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
        try #require(want.count == 4, "the oracle lists four messages in \(file)")
        let url = TestPaths.corpora.appendingPathComponent("github-jstedfast-MimeKit").appendingPathComponent(file)

        var reader = try MboxReader(url: url)
        var got: [RawMessage] = []
        while let m = try reader.next() { got.append(m) }
        #expect(got.map { Digest.hex($0.bytes) } == want.map(\.sha256))

        // GMime's mbox mode over the same file, as its documentation shows it.
        // GMime is initialised by Sluitsteen's parser (once, thread-safely) before it is used directly here.
        _ = Data("Subject: x\n\ny\n".utf8).withUnsafeBytes { MessageParser.parse($0, sha256: "", fallbackDate: (Date(), .captureTime)) }
        let stream = try #require(g_mime_stream_fs_open(url.path, O_RDONLY, 0, nil))
        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX)
        var parsedByGMime = 0
        while g_mime_parser_eos(parser) == 0, let message = g_mime_parser_construct_message(parser, nil) {
            parsedByGMime += 1
            sls_unref(message)
        }
        #expect(parsedByGMime == 2,
                "GMime's mbox mode now finds \(parsedByGMime) of \(want.count) messages: if it finds all, reconsider cutting with it")
    }
}

import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenHashing
@testable import SluitsteenIngest
import Testing

/// Stored bytes must be exactly what Python's `mailbox` module (an independent implementation) returns.
@Suite struct ByteExactnessTests {
    struct OracleRecord: Decodable { var index: Int?; var path: String?; var sha256: String; var size: Int }

    func oracle(_ path: URL, format: String? = nil) throws -> [OracleRecord] {
        var args = [TestPaths.packageRoot.appendingPathComponent("scripts/mbox-oracle.py").path, path.path]
        if let format { args += ["--format", format] }
        let out = try Python.run(args)
        return try out.split(separator: "\n").map { try JSONDecoder().decode(OracleRecord.self, from: Data($0.utf8)) }
    }

    func readAll(_ source: inout some MessageSource) throws -> [RawMessage] {
        var out: [RawMessage] = []
        while let m = try source.next() { out.append(m) }
        return out
    }

    @Test(.enabled(if: Python.available)) func mboxFixtureMatchesPython() throws {
        let url = TestPaths.fixtures.appendingPathComponent("burgemeester.mbox")
        var reader = try MboxReader(url: url)
        let ours = try readAll(&reader)
        let expected = try oracle(url)
        #expect(ours.count == expected.count)
        #expect(ours.count > 0)
        for (m, e) in zip(ours, expected) {
            #expect(m.bytes.count == e.size)
            #expect(Digest.hex(m.bytes) == e.sha256)
            #expect(m.position == e.index)
        }
        // The fixture deliberately has a quoted ">From " body line: it must be stored as found, not unquoted.
        let all = ours.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
        #expect(all.contains("\n>From "))
    }

    /// Messages cut across many small reads, in memory or handed out as file ranges at several limits, are still
    /// exactly Python's: CRLF lines, a message without the empty line before the next separator, bytes before the
    /// first separator, and a last message without a final newline.
    @Test(.enabled(if: Python.available), arguments: [1, 7, 64, 4096])
    func smallReadsAndRangesMatchPython(blockSize: Int) throws {
        let tmp = try TemporaryDirectory("blocks")
        let dir = tmp.url
        let fixture = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("burgemeester.mbox"))
        var text = Data("voorloop zonder scheiding\n".utf8) + fixture
        text += Data("From x@y Mon Jan  1 00:00:00 2024\r\nSubject: crlf\r\n\r\nregel\r\n\r\n".utf8)
        text += Data("From x@y Mon Jan  1 00:00:00 2024\nSubject: geen lege regel\n\ntekst\n".utf8)
        text += Data("From x@y Mon Jan  1 00:00:00 2024\nSubject: laatste\n\nzonder nieuwe regel".utf8)
        let url = dir.appendingPathComponent("blokken.mbox")
        try text.write(to: url)
        let expected = try oracle(url)
        #expect(expected.count > 10)
        let file = try FileHandle(forReadingFrom: url)
        defer { try? file.close() }
        for limit in [0, 50, 500, 1 << 20] {
            var reader = try MboxReader(url: url, inMemoryLimit: limit, blockSize: blockSize)
            let ours = try readAll(&reader)
            #expect(ours.count == expected.count, "limit \(limit)")
            for (m, e) in zip(ours, expected) {
                var bytes = m.bytes
                if let range = m.file {
                    try file.seek(toOffset: UInt64(range.offset))
                    bytes = try file.read(upToCount: Int(range.length)) ?? Data()
                }
                #expect(m.size == e.size && Digest.hex(bytes) == e.sha256, "message \(m.position), limit \(limit), block \(blockSize)")
                #expect((m.file != nil) == (m.size > limit), "a message goes to a file exactly when it is larger than the limit")
            }
        }
    }

    @Test(.enabled(if: Python.available)) func maildirAndEMLFilesAreStoredWhole() throws {
        for (name, format) in [("beleidsmedewerker", "maildir"), ("info", "eml")] {
            let url = TestPaths.fixtures.appendingPathComponent(name)
            let expected = try oracle(url, format: format)
            var ours: [RawMessage] = []
            if format == "maildir" { var r = try MaildirReader(url: url); ours = try readAll(&r) } else {
                var r = try EMLTreeReader(url: url); ours = try readAll(&r)
            }
            #expect(ours.count == expected.count, "\(name)")
            #expect(Set(ours.map { Digest.hex($0.bytes) }) == Set(expected.map(\.sha256)), "\(name)")
        }
    }

    /// Boundary rules on hand-made mboxes, reasoned from the mbox convention (not from our output).
    @Test func mboxBoundaries() throws {
        let tmp = try TemporaryDirectory("mbox")
        let dir = tmp.url
        let cases: [(String, [String])] = [
            // Two messages separated by one blank line: the blank line belongs to neither.
            ("From a Mon Jan  1 00:00:00 2024\nSubject: 1\n\nbody1\n\nFrom b Mon Jan  1 00:00:00 2024\nSubject: 2\n\nbody2\n",
             ["Subject: 1\n\nbody1\n", "Subject: 2\n\nbody2\n"]),
            // No blank line before the next From_: everything up to it is kept.
            ("From a x\nA: 1\n\nx\nFrom b y\nB: 2\n\ny", ["A: 1\n\nx\n", "B: 2\n\ny"]),
            // '>From ' is not a separator and is kept quoted; 'From' inside a line is not a separator.
            ("From a x\nA: 1\n\n>From here\nsay From me\n", ["A: 1\n\n>From here\nsay From me\n"]),
            // Final message ending in a blank line loses exactly that one newline.
            ("From a x\nA: 1\n\nz\n\n", ["A: 1\n\nz\n"]),
            // CRLF lines: "\r\n" is not an empty line for the separator rule.
            ("From a x\r\nA: 1\r\n\r\nz\r\nFrom b y\r\nB: 2\r\n", ["A: 1\r\n\r\nz\r\n", "B: 2\r\n"]),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let url = dir.appendingPathComponent("case\(i).mbox")
            try Data(text.utf8).write(to: url)
            var reader = try MboxReader(url: url)
            let got = try readAll(&reader).map { String(decoding: $0.bytes, as: UTF8.self) }
            #expect(got == expected, "case \(i)")
        }
    }

    /// A message larger than the read block is still split correctly (buffer growth path).
    @Test func mboxWithHugeMessage() throws {
        let tmp = try TemporaryDirectory("mbox")
        let dir = tmp.url
        let big = String(repeating: "abcdefghij", count: (MboxReader.defaultBlockSize / 10) * 2 + 7) + "\n"
        let text = "From a x\nA: 1\n\n" + big + "\nFrom b y\nB: 2\n\nsmall\n"
        let url = dir.appendingPathComponent("big.mbox")
        try Data(text.utf8).write(to: url)
        let length = "A: 1\n\n".utf8.count + big.utf8.count
        var reader = try MboxReader(url: url, inMemoryLimit: 64 << 20)
        let got = try readAll(&reader)
        #expect(got.count == 2)
        #expect(got.first?.bytes.count == length)
        #expect(String(decoding: got.last!.bytes, as: UTF8.self) == "B: 2\n\nsmall\n")
        // Above the default in-memory limit the message is handed out as a range of the file, not as bytes.
        #expect(length > ContentStore.defaultInMemoryLimit)
        var spilling = try MboxReader(url: url)
        let ranged = try readAll(&spilling)
        #expect(ranged.count == 2)
        #expect(ranged.first?.bytes.isEmpty == true)
        #expect(ranged.first?.file == FileRange(path: url.path, offset: Int64("From a x\n".utf8.count), length: Int64(length)))
        #expect(String(decoding: ranged.last!.bytes, as: UTF8.self) == "B: 2\n\nsmall\n")
    }

    @Test func leadingGarbageIsReported() throws {
        let tmp = try TemporaryDirectory("mbox")
        let dir = tmp.url
        let url = dir.appendingPathComponent("lead.mbox")
        try Data("junk line\nFrom a x\nA: 1\n".utf8).write(to: url)
        var reader = try MboxReader(url: url)
        let got = try readAll(&reader)
        #expect(got.count == 1)
        #expect(reader.notices.count == 1)
    }
}

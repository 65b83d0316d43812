// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenHashing
@testable import SluitsteenIngest
import Testing

/// Issue 19, point 13: memory does not grow with the length of a line in an mbox.
@Suite struct MboxLongLineTests {
    /// A line longer than the in-memory limit is never held whole: the reader's buffer stays at its first size
    /// while a 3 MB line (in a message body, and as an mbox separator line) goes by; the bytes are still exact.
    @Test(arguments: [4096, 100_000])
    func longLinesAreNotHeldInMemory(blockSize: Int) throws {
        let tmp = try TemporaryDirectory("lines")
        let url = tmp.appending("Lang.mbox")
        let longLine = String(repeating: "x", count: 3 << 20)
        let first = "Subject: lang\n\n" + longLine + "\n"
        let second = "Subject: na de lange regel\n\nkort\n"
        let third = "Subject: na een lange scheidingsregel\n\nkort\n"
        let text = "From a@b.example Mon Jan  1 00:00:00 2024\n" + first + "\nFrom a@b.example Mon Jan  1 00:00:00 2024\n" + second
            + "\nFrom a@b.example " + longLine + " Mon Jan  1 00:00:00 2024\n" + third
        try Data(text.utf8).write(to: url)
        var reader = try MboxReader(url: url, inMemoryLimit: 64 << 10, blockSize: blockSize)
        let initial = reader.bufferCapacity
        var got: [RawMessage] = []
        while let m = try reader.next() {
            got.append(m)
            #expect(reader.bufferCapacity == initial, "the buffer grew to \(reader.bufferCapacity) bytes")
        }
        #expect(got.count == 3)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let range = try #require(got.first?.file)
        try handle.seek(toOffset: UInt64(range.offset))
        #expect(try handle.read(upToCount: Int(range.length)) == Data(first.utf8))
        #expect(got.dropFirst().map { String(decoding: $0.bytes, as: UTF8.self) } == [second, third])
        // The separator line is cut for its date; a notice says so.
        #expect((got.last?.fromLine?.utf8.count ?? 0) <= MboxReader.fromLineMax)
        #expect(reader.notices.contains { $0.contains("'From ' line before message 2") })
    }

    /// The line-by-line reading that never holds a line whole still cuts exactly as Python's mailbox does, across
    /// block sizes and in-memory limits, with long lines, long separator lines, CRLF and a missing last newline.
    @Test(.enabled(if: Python.available), arguments: [1, 7, 4096])
    func longLinesAreCutLikePython(blockSize: Int) throws {
        let tmp = try TemporaryDirectory("lines-oracle")
        let url = tmp.appending("lang.mbox")
        let long = String(repeating: "abc", count: 30_000)
        var text = "voorloop " + long + "\n"
        text += "From a " + long + "\n" + "Subject: 1\n\n" + long + "\n\n"
        text += "From b Mon Jan  1 00:00:00 2024\r\nSubject: 2\r\n\r\n" + long + "\r\nFrom in een regel\r\n\r\n"
        text += "From c Mon Jan  1 00:00:00 2024\nSubject: 3\n\n\n\n"
        text += "From d Mon Jan  1 00:00:00 2024\nSubject: 4\n\n" + long
        try Data(text.utf8).write(to: url)
        let out = try Python.run([TestPaths.packageRoot.appendingPathComponent("scripts/mbox-oracle.py").path, url.path])
        let expected = out.split(separator: "\n").compactMap { line -> (String, Int)? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let sha = o["sha256"] as? String, let size = o["size"] as? Int else { return nil }
            return (sha, size)
        }
        #expect(expected.count == 5)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        for limit in [0, 50, 1 << 20] {
            var reader = try MboxReader(url: url, inMemoryLimit: limit, blockSize: blockSize)
            var got: [(String, Int)] = []
            while let m = try reader.next() {
                var bytes = m.bytes
                if let range = m.file {
                    try handle.seek(toOffset: UInt64(range.offset))
                    bytes = try handle.read(upToCount: Int(range.length)) ?? Data()
                }
                got.append((Digest.hex(bytes), bytes.count))
            }
            #expect(got.map(\.0) == expected.map(\.0), "limit \(limit), block \(blockSize)")
            #expect(got.map(\.1) == expected.map(\.1), "limit \(limit), block \(blockSize)")
        }
    }
}

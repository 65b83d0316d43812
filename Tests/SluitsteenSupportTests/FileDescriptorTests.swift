import Foundation
import SluitsteenSupport
import Testing

@Suite("File descriptors: full reads and writes, syncs, errno text")
struct FileDescriptorTests {
    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-fd-\(UUID().uuidString)").path
    }

    @Test func writeAllThenReadFullyGivesTheSameBytes() throws {
        let path = temporaryFile()
        defer { unlink(path) }
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let out = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600)
        try bytes.withUnsafeBytes { try out.writeAll($0) }
        try out.dataSync()
        try out.syncFileSystem()
        try out.close()
        let input = try FileDescriptor.open(path, O_RDONLY | O_CLOEXEC)
        defer { try? input.close() }
        #expect(try input.status().st_size == bytes.count)
        var back = [UInt8](repeating: 0, count: bytes.count + 10)
        let n = try back.withUnsafeMutableBytes { try input.readFully(into: $0, at: 0) }
        #expect(n == bytes.count)
        #expect(Array(back.prefix(n)) == bytes)
        var tail = [UInt8](repeating: 0, count: 4)
        #expect(try tail.withUnsafeMutableBytes { try input.read(into: $0, at: Int64(bytes.count - 2)) } == 2)
        #expect(try tail.withUnsafeMutableBytes { try input.read(into: $0, at: Int64(bytes.count)) } == 0)
    }

    /// A write at an offset leaves the bytes before it and the position alone.
    @Test func writeAllAtAnOffsetPlacesTheBytesThere() throws {
        let path = temporaryFile()
        defer { unlink(path) }
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600)
        defer { try? fd.close() }
        try Array("begin".utf8).withUnsafeBytes { try fd.writeAll($0) }
        let middle = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try middle.withUnsafeBytes { try fd.writeAll($0, at: 3) }
        try Array("!".utf8).withUnsafeBytes { try fd.writeAll($0) }
        var back = [UInt8](repeating: 0, count: middle.count + 3)
        #expect(try back.withUnsafeMutableBytes { try fd.readFully(into: $0, at: 0) } == middle.count + 3)
        #expect(Array(back.prefix(3)) == Array("beg".utf8))
        // The position stayed after "begin": the "!" lands at 5, inside what was written at 3.
        #expect(Array(back[3..<5]) == Array(middle[0..<2]))
        #expect(back[5] == UInt8(ascii: "!"))
        #expect(Array(back[6...]) == Array(middle[3...]))
    }

    @Test func failuresCarryTheSystemsWords() {
        #expect(throws: Errno(ENOENT)) { try FileDescriptor.open("/nonexistent/sluitsteen", O_RDONLY) }
        #expect(Errno(ENOENT).description == String(cString: strerror(ENOENT)))
        #expect(Errno.text(EACCES) == String(cString: strerror(EACCES)))
        let path = temporaryFile()
        defer { unlink(path) }
        #expect(throws: Errno(EEXIST)) {
            for _ in 0..<2 { try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, permissions: 0o600).close() }
        }
    }
}

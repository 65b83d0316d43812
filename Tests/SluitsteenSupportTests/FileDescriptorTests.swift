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

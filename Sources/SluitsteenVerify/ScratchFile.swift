// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// Bytes the verifier writes once and reads back by offset: kept in memory up to ``spillAt`` bytes, beyond that in a
/// temporary file that is unlinked at once (it disappears with the process). Stays in memory when no temporary file
/// can be made. Read from several threads once written (`pread` only).
final class ScratchFile: @unchecked Sendable {
    static let spillAt = 1 << 20
    private var fd: Int32 = -1
    private var memory: [UInt8] = []
    private var failed = false
    private(set) var count: Int64 = 0

    deinit { if fd >= 0 { close(fd) } }

    /// An unlinked temporary file in `$TMPDIR` (else `/tmp`), or -1 when none can be made.
    static func makeTemporary() -> Int32 {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/sluitsteen-verify-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        return fd
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if fd < 0 && !failed && memory.count + bytes.count > Self.spillAt {
            fd = Self.makeTemporary()
            if fd < 0 {
                failed = true
            } else {
                try memory.withUnsafeBytes { try write($0) }
                memory = []
            }
        }
        if fd >= 0 { try write(bytes) } else { memory.append(contentsOf: bytes) }
        count += Int64(bytes.count)
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        do { try FileDescriptor(rawValue: fd).writeAll(bytes) } catch {
            throw StoreError("the temporary file of the verifier could not be written: \(error)")
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if fd >= 0 {
            do { return try FileDescriptor(rawValue: fd).readFully(into: buffer, at: offset) } catch {
                throw StoreError("the temporary file of the verifier could not be read back: \(error)")
            }
        }
        let start = Int(offset)
        let n = max(0, min(buffer.count, memory.count - start))
        if n > 0 { memory.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: n) } }
        return n
    }
}

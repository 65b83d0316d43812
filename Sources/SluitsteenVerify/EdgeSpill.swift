// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// Fixed-size records (references of a ``RelationIndex`` or of one MDTO file, keyed identifications), kept in memory up
/// to one block and spilled beyond that to a temporary file that is unlinked at once (it disappears with the process).
/// Falls back to memory when no temporary file can be made. Filled by one thread, then handed over and only read.
final class RecordSpill<Record: BitwiseCopyable>: @unchecked Sendable {
    private static var block: Int { 8192 }
    private var buffer: [Record] = []
    private var fd: Int32 = -1
    private var spilled = 0
    private var failed = false

    deinit { if fd >= 0 { close(fd) } }

    /// How many records were appended.
    var count: Int { spilled + buffer.count }

    func append(_ record: Record) {
        buffer.append(record)
        if buffer.count >= Self.block && !failed { spill() }
    }

    private func spill() {
        if fd < 0 {
            fd = ScratchFile.makeTemporary()
            guard fd >= 0 else { failed = true; return }
        }
        let ok = buffer.withUnsafeBytes { raw -> Bool in (try? FileDescriptor(rawValue: fd).writeAll(raw)) != nil }
        guard ok else {
            // Keep what is in memory; what was spilled before stays readable.
            failed = true
            return
        }
        spilled += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads spilled records `start..<start + n` into `into`.
    private func readBack(_ start: Int, _ n: Int, into raw: UnsafeMutableRawBufferPointer) throws {
        let bytes = n * MemoryLayout<Record>.stride
        let read = (try? FileDescriptor(rawValue: fd).readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<bytes]),
            at: Int64(start) * Int64(MemoryLayout<Record>.stride))) ?? -1
        guard read == bytes else { throw StoreError("the temporary file of the verifier could not be read back") }
    }

    /// Visits every record in the order appended.
    func forEach(_ body: (Record) throws -> Void) throws {
        if spilled > 0 {
            let chunk = UnsafeMutableBufferPointer<Record>.allocate(capacity: Self.block)
            defer { chunk.deallocate() }
            var done = 0
            while done < spilled {
                let n = min(spilled - done, Self.block)
                try readBack(done, n, into: UnsafeMutableRawBufferPointer(chunk))
                for i in 0..<n { try body(chunk[i]) }
                done += n
            }
        }
        for record in buffer { try body(record) }
    }

    /// Every record in the order appended, in an array of exactly that size.
    func all() throws -> [Record] {
        try [Record](unsafeUninitializedCapacity: count) { out, initialized in
            if spilled > 0 { try readBack(0, spilled, into: UnsafeMutableRawBufferPointer(out)) }
            _ = UnsafeMutableBufferPointer(rebasing: out[spilled...]).initialize(fromContentsOf: buffer)
            initialized = count
        }
    }
}

/// Reference records (``RelationIndex/Edge``).
typealias EdgeSpill = RecordSpill<RelationIndex.Edge>

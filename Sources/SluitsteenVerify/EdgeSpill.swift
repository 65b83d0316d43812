// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// Reference records of a ``RelationIndex``, kept in memory up to one block and spilled beyond that to a
/// temporary file that is unlinked at once (it disappears with the process). Falls back to memory when no
/// temporary file can be made.
final class EdgeSpill {
    typealias Edge = RelationIndex.Edge
    private static let block = 8192
    private var buffer: [Edge] = []
    private var fd: Int32 = -1
    private var spilled = 0
    private var failed = false

    deinit { if fd >= 0 { close(fd) } }

    func append(_ edge: Edge) {
        buffer.append(edge)
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

    /// Visits every record in the order appended.
    func forEach(_ body: (Edge) throws -> Void) throws {
        if spilled > 0 {
            var chunk = [Edge](repeating: Edge(from: 0, index: 0, target: 0, line: 0, kind: .isOnderdeelVan,
                byNaam: false, isDoel: false), count: Self.block)
            var offset: off_t = 0
            var remaining = spilled
            while remaining > 0 {
                let want = min(remaining, Self.block)
                let bytes = want * MemoryLayout<Edge>.stride
                let read = chunk.withUnsafeMutableBytes { raw -> Int in
                    (try? FileDescriptor(rawValue: fd).readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<bytes]),
                                                                 at: Int64(offset))) ?? -1
                }
                guard read == bytes else { throw StoreError("the temporary file of the verifier could not be read back") }
                for i in 0..<want { try body(chunk[i]) }
                offset += off_t(bytes)
                remaining -= want
            }
        }
        for edge in buffer { try body(edge) }
    }
}

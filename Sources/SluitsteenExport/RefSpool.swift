// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// A list of object references kept in a file of the export's working folder instead of in memory: what a dossier
/// names (one `bevatOnderdeel` per message, one reference per copy filed elsewhere) grows with the mailbox, and is
/// only read back once, in order, when the dossier's sidecar is written.
///
/// Records: for `naam`, `kenmerk` and `bron` in turn a 32-bit little-endian length and the UTF-8 bytes.
final class RefSpool {
    let path: String
    private let fd: FileDescriptor
    private var pending: [UInt8] = []
    private(set) var count = 0
    private static let flushAt = 64 << 10

    /// Creates the spool file at `path` (it must not exist).
    init(path: String) throws(ExportError) {
        self.path = path
        do { fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
            throw .cannotWrite(path, reason: error.description)
        }
        pending.reserveCapacity(Self.flushAt + 4096)
    }

    deinit {
        try? fd.close()
        unlink(path)
    }

    func append(_ ref: ObjectRef) throws(ExportError) {
        for field in [ref.naam, ref.id.kenmerk, ref.id.bron] {
            let bytes = Array(field.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { pending.append(contentsOf: $0) }
            pending.append(contentsOf: bytes)
        }
        count += 1
        if pending.count >= Self.flushAt { try flush() }
    }

    private func flush() throws(ExportError) {
        guard !pending.isEmpty else { return }
        let written = pending.withUnsafeBytes { raw in Result { () throws(Errno) in try fd.writeAll(raw) } }
        if case .failure(let error) = written { throw .cannotWrite(path, reason: PackageFiles.writeFailure(error)) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Reads the references back in the order they were appended.
    func reader() throws(ExportError) -> Reader {
        try flush()
        return Reader(spool: self)
    }

    /// Sequential reading in blocks; the first failure ends the list and is kept in ``failure``.
    final class Reader {
        private let spool: RefSpool
        private var buffer: [UInt8] = []
        private var at = 0
        private var offset: Int64 = 0
        private var remaining: Int
        private(set) var failure: ExportError?

        init(spool: RefSpool) {
            self.spool = spool
            remaining = spool.count
        }

        func next() -> ObjectRef? {
            guard remaining > 0, failure == nil else { return nil }
            guard let naam = field(), let kenmerk = field(), let bron = field() else {
                if failure == nil { failure = .cannotWrite(spool.path, reason: "the working file ended early") }
                return nil
            }
            remaining -= 1
            return ObjectRef(naam: naam, id: ObjectId(kenmerk: kenmerk, bron: bron))
        }

        private func field() -> String? {
            guard let head = take(4) else { return nil }
            let length = head.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
            guard let bytes = take(length) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }

        private func take(_ n: Int) -> ArraySlice<UInt8>? {
            while buffer.count - at < n {
                buffer.removeFirst(at)
                at = 0
                let want = max(n - buffer.count, RefSpool.flushAt)
                var chunk = [UInt8](repeating: 0, count: want)
                let read = chunk.withUnsafeMutableBytes { raw in Result { () throws(Errno) in try spool.fd.readFully(into: raw, at: offset) } }
                guard case .success(let got) = read else {
                    if case .failure(let error) = read { failure = .cannotWrite(spool.path, reason: "it cannot be read back: \(error)") }
                    return nil
                }
                guard got > 0 else { return nil }
                offset += Int64(got)
                buffer.append(contentsOf: chunk.prefix(got))
            }
            defer { at += n }
            return buffer[at..<(at + n)]
        }
    }
}

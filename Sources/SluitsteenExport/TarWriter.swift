// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a POSIX tar (ustar, with a pax extended header for paths that do not fit ustar's name fields), with
/// deterministic metadata: one modification time, owner and group 0 without names, modes 0644 / 0755. Every entry
/// lies in one top-level folder `root` (the package id), so that unpacking gives one folder named after the package.
enum TarWriter {
    /// Where a batch's stored messages are, by SHA-256: their pack entries and the ranges of the files that hold them.
    typealias Located = [String: (entry: PackEntryRecord, range: FileRange)]

    static func pack(folder: URL, into file: URL, root: String, mtime: Int64) throws {
        let out = try TarStream(file)
        try out.emit(header(path: root + "/", size: 0, directory: true, mtime: mtime))
        let base = folder.path
        try FolderWalk.visit(base) { rel, isDirectory in
            if isDirectory {
                try out.emit(header(path: root + "/" + rel + "/", size: 0, directory: true, mtime: mtime))
                return
            }
            try out.copyFile(base + "/" + rel, rel: rel, root: root, mtime: mtime)
        }
        try out.finish()
    }

    /// Writes the tar of an export built without a staging folder of per-message files: the members recorded in
    /// `selection`, in the tar's order, each copied from where it is: a file of the staging folder `folder`, a sidecar
    /// in `spool`, or a message's bytes read from the store's packs by offset in chunks (never whole) and checked
    /// against their SHA-256 while they are copied. The bytes are those ``pack(folder:into:root:mtime:)`` writes of
    /// the same package as a folder.
    ///
    /// The members go in batches. Before a batch is copied, the next one is looked up in the catalog and its messages'
    /// ranges are announced to the kernel (``FileDescriptor/willNeed(offset:length:)``): in the tar's order they lie
    /// scattered over the packs, and read one by one from a cold disk they cost the tar 9 s against 5 s from the cache.
    static func pack(members selection: ExportSelection, folder: URL, spool: SidecarSpool, store: ContentStore, into file: URL,
                     root: String, mtime: Int64, batchSize: Int = 1024) throws {
        let out = try TarStream(file)
        try out.emit(header(path: root + "/", size: 0, directory: true, mtime: mtime))
        let base = folder.path
        var packs: [String: FileDescriptor] = [:]
        defer { for fd in packs.values { try? fd.close() } }
        /// The open pack file at `path` (opened once), or why it cannot be opened.
        func pack(_ path: String) -> Result<FileDescriptor, Errno> {
            if let open = packs[path] { return .success(open) }
            let opened = Result { () throws(Errno) in try FileDescriptor.open(path, O_RDONLY | O_CLOEXEC) }
            if case .success(let fd) = opened { packs[path] = fd }
            return opened
        }
        /// Where a batch's messages are stored now (in one catalog read) and their ranges, announced to the kernel.
        func prepare(_ batch: [TarMember]) throws -> Located {
            let shas = batch.filter { $0.source == .stored }.map(\.sha256)
            let entries: [String: PackEntryRecord]
            do { entries = try store.locations(of: shas) } catch { throw ExportError.archive(error) }
            var located: Located = [:]
            for (sha, entry) in entries {
                let range = store.range(of: entry)
                if case .success(let fd) = pack(range.path) { fd.willNeed(offset: range.offset, length: entry.length) }
                located[sha] = (entry, range)
            }
            return located
        }
        func write(_ batch: [TarMember], _ locations: Located) throws {
            for m in batch {
                if m.isDirectory {
                    try out.emit(header(path: root + "/" + m.path + "/", size: 0, directory: true, mtime: mtime))
                    continue
                }
                switch m.source {
                case .staged:
                    try out.copyFile(base + "/" + m.path, rel: m.path, root: root, mtime: mtime)
                case .spool:
                    try out.emit(header(path: root + "/" + m.path, size: m.size, directory: false, mtime: mtime))
                    try out.copy(from: spool.fd, spool.path, at: m.offset, size: m.size, rel: m.path)
                case .stored:
                    guard let location = locations[m.sha256] else {
                        throw ExportError.message(copy: selection.about(sha256: m.sha256), reason: "the stored message \(m.sha256) is missing")
                    }
                    let range = location.range
                    let fd: FileDescriptor
                    switch pack(range.path) {
                    case .success(let open): fd = open
                    case .failure(let error):
                        throw ExportError.message(copy: selection.about(sha256: m.sha256),
                                                  reason: "the pack holding it cannot be opened (\(range.path): \(error))")
                    }
                    guard location.entry.length == m.size else {
                        throw ExportError.message(copy: selection.about(sha256: m.sha256),
                                                  reason: ArchiveError.storeCorrupt(sha256: m.sha256, reason: "its size changed").description)
                    }
                    try out.emit(header(path: root + "/" + m.path, size: m.size, directory: false, mtime: mtime))
                    var hasher = StreamingHasher(.sha256)
                    try out.copy(from: fd, range.path, at: range.offset, size: m.size, rel: m.path) { hasher.update($0) }
                    guard hasher.finalizeHex() == m.sha256 else {
                        throw ExportError.message(copy: selection.about(sha256: m.sha256),
                                                  reason: ArchiveError.storeCorrupt(sha256: m.sha256, reason: "its SHA-256 no longer matches")
                                                    .description)
                    }
                }
            }
        }
        var batch: [TarMember] = []
        var ready: (batch: [TarMember], locations: Located)?
        try selection.forEachMember { m in
            batch.append(m)
            guard batch.count >= batchSize else { return }
            let locations = try prepare(batch)
            if let ready { try write(ready.batch, ready.locations) }
            ready = (batch, locations)
            batch = []
        }
        let locations = try prepare(batch)
        if let ready { try write(ready.batch, ready.locations) }
        try write(batch, locations)
        try out.finish()
    }

    /// The header block(s) for one entry: a pax `x` header first when the path does not fit ustar.
    static func header(path: String, size: Int64, directory: Bool, mtime: Int64) -> Data {
        var path = path
        return path.withUTF8 { bytes in
            var name = bytes
            var prefix = UnsafeBufferPointer<UInt8>(start: bytes.baseAddress, count: 0)
            var out = Data()
            if bytes.count > 100 {
                // Split at a '/' so that prefix ≤ 155 and name ≤ 100.
                var split: Int? = nil
                for i in stride(from: min(bytes.count - 1, 155), through: 1, by: -1) where bytes[i] == UInt8(ascii: "/") {
                    if bytes.count - i - 1 <= 100 && bytes.count - i - 1 > 0 { split = i; break }
                }
                if let split {
                    prefix = UnsafeBufferPointer(rebasing: bytes[..<split])
                    name = UnsafeBufferPointer(rebasing: bytes[(split + 1)...])
                } else {
                    var record = " path=" + String(decoding: bytes, as: UTF8.self) + "\n"
                    var length = record.utf8.count
                    while String(length).utf8.count + record.utf8.count != length { length = String(length).utf8.count + record.utf8.count }
                    record = String(length) + record
                    let body = Data(record.utf8)
                    Array("PaxHeaders/entry".utf8).withUnsafeBufferPointer { pax in
                        out.append(block(name: pax, prefix: prefix, size: Int64(body.count), type: UInt8(ascii: "x"), mode: 0o644, mtime: mtime))
                    }
                    out.append(body)
                    out.append(Data(count: (512 - body.count % 512) % 512))
                    name = UnsafeBufferPointer(rebasing: bytes[(bytes.count - 100)...])
                }
            }
            out.append(block(name: name, prefix: prefix, size: size, type: directory ? UInt8(ascii: "5") : UInt8(ascii: "0"),
                             mode: directory ? 0o755 : 0o644, mtime: mtime))
            return out
        }
    }

    /// One 512-byte ustar header block, filled in place: 400,000 of them (a message's folder and its three files)
    /// built from arrays took two fifths of the tar writer's time.
    private static func block(name: UnsafeBufferPointer<UInt8>, prefix: UnsafeBufferPointer<UInt8>, size: Int64, type: UInt8,
                              mode: Int, mtime: Int64) -> Data {
        var data = Data(count: 512)
        data.withUnsafeMutableBytes { h in
            func put(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ len: Int) {
                for i in 0..<min(bytes.count, len) { h[at + i] = bytes[i] }
            }
            func put(_ text: StaticString, _ at: Int) {
                text.withUTF8Buffer { put($0, at, $0.count) }
            }
            // `v` in octal, zero-padded to `len - 1` digits and ended by the NUL already there (as `%0*llo` writes it);
            // a value with more digits keeps its leading ones.
            func octal(_ v: Int64, _ at: Int, _ len: Int) {
                let width = len - 1
                var rest = UInt64(bitPattern: v)
                var digits = 1
                while rest >> UInt64(3 * digits) > 0 && digits < 22 { digits += 1 }
                if digits > width { rest >>= UInt64(3 * (digits - width)) }
                for i in stride(from: width - 1, through: 0, by: -1) {
                    h[at + i] = UInt8(ascii: "0") + UInt8(rest & 7)
                    rest >>= 3
                }
            }
            put(name, 0, 100)
            octal(Int64(mode), 100, 8)
            octal(0, 108, 8)
            octal(0, 116, 8)
            octal(size, 124, 12)
            octal(mtime, 136, 12)
            for i in 148..<156 { h[i] = 0x20 }
            h[156] = type
            put("ustar", 257)
            put("00", 263)
            octal(0, 329, 8)
            octal(0, 337, 8)
            put(prefix, 345, 155)
            var sum = 0
            for b in h { sum += Int(b) }
            octal(Int64(sum), 148, 7)
            h[154] = 0
            h[155] = 0x20
        }
        return data
    }
}

/// The tar file being written: 4 MB buffers that headers and contents are copied into, each written when full; a
/// failed write (a full disk) is named as a failure to write the tar.
///
/// The full buffers are written around the page cache (`O_DIRECT`) where the file system allows it: the tar is written
/// once and read by someone else later, and copying 1.6 GB into the page cache cost a third of the tar's time
/// (2.8–5.8 s against 1.3–1.7 s direct for `dd` of that size on the bench machine). A direct write returns only when
/// the disk has the bytes, so the writes are made by a thread of their own (a ``PipelineCommitter`` with a backlog of
/// one) while the next buffer is filled: two buffers, one being filled and one being written. The last, partial buffer
/// goes through the page cache, and ``finish()`` makes all of it durable with `fdatasync` as before.
final class TarStream {
    let path: String
    private let out: FileDescriptor
    private let capacity = 4 << 20
    /// The buffer being filled, and the other one (being written, or free).
    private var buffer: UnsafeMutableRawBufferPointer
    private var spare: UnsafeMutableRawBufferPointer
    private var fill = 0
    /// Where the next flush goes.
    private var offset: Int64 = 0
    private let writer: PipelineCommitter<Write, Written, ExportError>
    /// How many bytes went around the page cache (known once ``finish()`` has returned).
    private(set) var directBytes: Int64 = 0
    /// The block size that a direct write's offset and length must be multiples of (the buffers are aligned to it).
    private static let directBlock = 4096

    /// One buffer's bytes and where they go; the buffer is not touched again until the next write has been queued.
    private struct Write: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        let offset: Int64
    }

    /// The writing thread's own state: whether it still writes direct, and how much it wrote so.
    private struct Written: Sendable {
        var direct: Bool
        var directBytes: Int64 = 0
    }

    init(_ file: URL, direct wantDirect: Bool = true) throws {
        let path = file.path
        self.path = path
        let out: FileDescriptor
        do { out = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o644) } catch {
            throw ExportError.cannotWrite(path, reason: "cannot create the tar file (\(error))")
        }
        self.out = out
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: Self.directBlock)
        spare = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: Self.directBlock)
        let direct = wantDirect && out.setDirect(true)
        writer = PipelineCommitter(name: "tar-writer", backlog: 1, state: Written(direct: direct)) {
            (write: Write, state: inout Written) throws(ExportError) in
            try Self.write(write, to: out, path: path, state: &state)
        }
    }

    deinit {
        writer.drain()  // a tar left unfinished (an error): the write in progress ends before its buffer goes
        try? out.close()
        buffer.deallocate()
        spare.deallocate()
    }

    /// Writes one buffer, on the writer's thread.
    private static func write(_ write: Write, to out: FileDescriptor, path: String, state: inout Written) throws(ExportError) {
        // Writes from here on through the page cache.
        func useCache() { if out.setDirect(false) { state.direct = false } }
        if state.direct && write.bytes.count % directBlock != 0 { useCache() }
        var written = Result { () throws(Errno) in try out.writeAll(write.bytes, at: write.offset) }
        if case .failure(let error) = written, error.code == EINVAL, state.direct {
            // A file system that takes the flag but not these blocks: the same bytes again, through the cache.
            useCache()
            written = Result { () throws(Errno) in try out.writeAll(write.bytes, at: write.offset) }
        }
        if case .failure(let error) = written { throw .cannotWrite(path, reason: PackageFiles.writeFailure(error)) }
        if state.direct { state.directBytes += Int64(write.bytes.count) }
    }

    /// Hands the filled buffer to the writer and goes on in the other one, once the writer is done with it.
    private func flush() throws {
        guard fill > 0 else { return }
        // Returns once the earlier write (of `spare`) is done: the backlog is one.
        try writer.submit(Write(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<fill]), offset: offset))
        offset += Int64(fill)
        fill = 0
        swap(&buffer, &spare)
    }

    func emit(_ d: Data) throws {
        var at = d.startIndex
        while at < d.endIndex {
            if fill == capacity { try flush() }
            let n = min(capacity - fill, d.endIndex - at)
            d.withUnsafeBytes { raw in
                let from = raw.baseAddress! + (at - d.startIndex)
                (buffer.baseAddress! + fill).copyMemory(from: from, byteCount: n)
            }
            fill += n
            at += n
        }
    }

    func zeros(_ count: Int) throws {
        var left = count
        while left > 0 {
            if fill == capacity { try flush() }
            let n = min(capacity - fill, left)
            (buffer.baseAddress! + fill).initializeMemory(as: UInt8.self, repeating: 0, count: n)
            fill += n
            left -= n
        }
    }

    /// One regular file of a folder being packed: its header, its bytes and the padding.
    func copyFile(_ source: String, rel: String, root: String, mtime: Int64) throws {
        let fd: FileDescriptor
        let size: Int64
        do {
            fd = try FileDescriptor.open(source, O_RDONLY | O_CLOEXEC)
            size = Int64(try fd.status().st_size)
        } catch {
            throw ExportError.cannotWrite(source, reason: "it cannot be read back: \(error)")
        }
        defer { try? fd.close() }
        try emit(TarWriter.header(path: root + "/" + rel, size: size, directory: false, mtime: mtime))
        try copy(from: fd, source, at: 0, size: size, rel: rel)
    }

    /// Copies `size` bytes of `fd` from `offset` into the tar, then the padding to the next block; `each` sees the bytes
    /// on the way (to hash them).
    func copy(from fd: FileDescriptor, _ source: String, at offset: Int64, size: Int64, rel: String,
              each: (UnsafeRawBufferPointer) -> Void = { _ in }) throws {
        var written: Int64 = 0
        while written < size {
            if fill == capacity { try flush() }
            let want = Int(min(Int64(capacity - fill), size - written))
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[fill..<(fill + want)])
            let n: Int
            do { n = try fd.read(into: target, at: offset + written) } catch {
                throw ExportError.cannotWrite(source, reason: "it cannot be read back: \(error)")
            }
            if n == 0 { break }
            each(UnsafeRawBufferPointer(rebasing: target[0..<n]))
            fill += n
            written += Int64(n)
        }
        guard written == size else {
            throw ExportError.cannotWrite(path, reason: "\(rel) changed while it was packed")
        }
        try zeros(Int((512 - size % 512) % 512))
    }

    /// The end-of-archive blocks, the last write and an `fdatasync`.
    func finish() throws {
        try zeros(1024)
        try flush()
        directBytes = try writer.finish().directBytes
        do { try out.dataSync() } catch { throw ExportError.cannotWrite(path, reason: PackageFiles.writeFailure(error)) }
    }
}

/// The sidecars (and extracted attachments) of a tar export's messages, appended to one file of the working folder
/// instead of one file each; the tar writer copies them from it by offset.
///
/// Used by one thread at a time: the export's recorder appends while messages are written, and the export's own
/// thread flushes and reads it only after the recorder has finished (``PipelineCommitter/finish()`` waits for it).
final class SidecarSpool: @unchecked Sendable {
    let path: String
    let fd: FileDescriptor
    private var pending: [UInt8] = []
    private var size: Int64 = 0
    private static let flushAt = 1 << 20

    init(path: String) throws(ExportError) {
        self.path = path
        do { fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
            throw .cannotWrite(path, reason: error.description)
        }
    }

    deinit { try? fd.close() }

    /// Appends `data`; returns where it starts.
    func append(_ data: Data) throws(ExportError) -> Int64 {
        let at = size
        pending.append(contentsOf: data)
        size += Int64(data.count)
        if pending.count >= Self.flushAt { try flush() }
        return at
    }

    /// Writes what is pending (before the spool is read).
    func flush() throws(ExportError) {
        guard !pending.isEmpty else { return }
        let written = pending.withUnsafeBytes { raw in Result { () throws(Errno) in try fd.writeAll(raw) } }
        if case .failure(let error) = written { throw .cannotWrite(path, reason: PackageFiles.writeFailure(error)) }
        pending.removeAll(keepingCapacity: true)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenHashing
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed store: the bytes of each distinct message (or chat export, or chat media file), once,
/// appended to pack files (`store/packs/000001.pack`, at most ``packSizeLimit`` each; see ``PackFormat``), and the
/// catalog's map (`packEntry`) from SHA-256 to pack, offset and length.
///
/// Durability: an entry is listed in the catalog only after its pack was synced (`fdatasync`, by ``flush()``), so
/// the catalog never names bytes that are not whole on disk. Nothing whole is ever lost: the next holder of the store
/// lock (``removeLeftovers(holding:)``) lists again every whole entry the map does not list (a killed run's, or one
/// whose map row a restored catalog lacks) and cuts off only an incomplete tail of the last pack. The same bytes are
/// stored once. Removal (destruction, purge, withdrawal) marks the entry, and the next ``flush()`` rewrites its pack
/// without it: the survivors are copied to a new pack in `store/packs/.rewrite/`, which is synced, the catalog is
/// switched to it, the old pack is unlinked and the new one moved into place — so removed bytes are in no file
/// afterwards. An unswitched rewrite output is the only file recovery deletes.
///
/// One writer at a time: only the holder of the ``StoreLock`` appends (tests aside); in one process, every
/// `ContentStore` of the same folder shares one writer.
public struct ContentStore: Sendable {
    /// The store folder.
    public let root: URL
    private let rootPath: String
    private let packsPath: String
    let catalog: Catalog
    private let writer: PackWriter
    /// Dates the audit entry of a recovery that changed anything (nil: none is written, for stores outside a workspace).
    private let clock: WorkspaceClock?

    /// Messages larger than this (16 MiB) are never held in memory whole: ingest copies them into the store in chunks
    /// and parses them from their stored range, and the indexer and export read them from it. The one definition of
    /// the limit; each stage has a setting that defaults to it (tests lower it to send every message that way).
    public static let defaultInMemoryLimit = 16 << 20

    /// A pack is closed for appending once it holds this much (256 MiB; `SLUITSTEEN_TEST_PACK_LIMIT` lowers it in
    /// tests). A larger entry gets a pack of its own.
    public static let packSizeLimit: Int64 = {
        if let raw = ProcessInfo.processInfo.environment["SLUITSTEEN_TEST_PACK_LIMIT"], let n = Int64(raw), n > 0 { return n }
        return 256 << 20
    }()

    /// The folder where the one-file store of earlier versions wrote replacement files (removed when found).
    static let incomingName = ".incoming"
    /// The folder of the pack files.
    static let packsName = "packs"

    /// Creates a store rooted at `root` whose map is in `catalog` (the folders are created on first write); recoveries
    /// are recorded in the audit trail dated by `clock`.
    public init(root: URL, catalog: Catalog, clock: WorkspaceClock? = nil) {
        self.root = root
        self.clock = clock
        rootPath = root.standardizedFileURL.path
        packsPath = rootPath + "/" + ContentStore.packsName
        self.catalog = catalog
        writer = PackWriter.shared(for: packsPath)
    }

    // MARK: Finding bytes

    /// Where the bytes with this SHA-256 are: a range of a pack file (nil when they are not stored).
    public func location(of sha256: String) throws(ArchiveError) -> PackEntryRecord? {
        if let pending = writer.state.withLock({ $0.pending[sha256] }) { return pending }
        return try catalog.readForStore { db in try PackEntryRecord.find(db, sha256: sha256) }
    }

    /// The range of the pack file that holds the bytes with this SHA-256, for readers that stream them (GMime's
    /// bounded file stream, the web service's range of a file). Throws when they are not stored.
    public func range(of sha256: String) throws(ArchiveError) -> FileRange {
        guard let entry = try location(of: sha256) else { throw .cannotRead(rootPath, reason: "the stored message \(sha256) is missing") }
        return range(of: entry)
    }

    /// The range of the pack file that holds a listed entry. A pack the catalog names may still be in `.rewrite/` when
    /// a rewrite was stopped between the switch and the move (until the next holder of the store lock moves it):
    /// readers that do not hold the lock (the web service, export) read it there.
    public func range(of entry: PackEntryRecord) -> FileRange {
        let path = path(ofPack: entry.pack)
        if access(path, F_OK) != 0, let moved = rewriteOutput(new: entry.pack) {
            return FileRange(path: moved, offset: entry.offset, length: entry.length)
        }
        return FileRange(path: path, offset: entry.offset, length: entry.length)
    }

    /// The rewrite output that becomes pack `new`, when one is in `.rewrite/`.
    private func rewriteOutput(new: Int) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rewritePath)) ?? []
        return names.sorted().first { ContentStore.rewriteNumbers($0)?.new == new }.map { rewritePath + "/" + $0 }
    }

    /// The path of pack `number`.
    func path(ofPack number: Int) -> String { packsPath + "/" + PackFormat.name(number) }

    /// Where the bytes of each of `shas` are (those not stored are absent from the result), in one catalog read: for
    /// callers that read many messages, such as the indexer.
    public func locations(of shas: some Collection<String>) throws(ArchiveError) -> [String: PackEntryRecord] {
        var found = writer.state.withLock { st in
            var f: [String: PackEntryRecord] = [:]
            for sha in shas { if let e = st.pending[sha] { f[sha] = e } }
            return f
        }
        let rest = shas.filter { found[$0] == nil }
        if rest.isEmpty { return found }
        let listed = try catalog.readForStore { db in try rest.compactMap { sha in try PackEntryRecord.find(db, sha256: sha) } }
        for e in listed { found[e.sha256] = e }
        return found
    }

    /// What the catalog listed of a batch of SHA-256s, taken once for the batch (see ``listing(of:)``), so that
    /// ``put(_:sha256:listing:)`` need not look each one up under the writer's lock.
    public struct Listing: Sendable {
        fileprivate let listed: Set<String>
        fileprivate let generation: Int
    }

    /// One catalog read for a batch about to be stored: which of `shas` the catalog lists now. The writer's listing
    /// generation is taken first, so that ``put(_:sha256:listing:)`` can tell what a flush listed since.
    public func listing(of shas: some Sequence<String>) throws(ArchiveError) -> Listing {
        let generation = writer.state.withLock { $0.generation }
        let listed = try catalog.readForStore { db in try shas.filter { sha in try PackEntryRecord.find(db, sha256: sha) != nil } }
        return Listing(listed: Set(listed), generation: generation)
    }

    /// Whether bytes with this SHA-256 are present.
    public func contains(_ sha256: String) -> Bool {
        ((try? location(of: sha256)) ?? nil) != nil
    }

    /// The size of the stored bytes, or nil when they are missing.
    public func size(of sha256: String) -> Int64? {
        ((try? location(of: sha256)) ?? nil)?.length
    }

    // MARK: Writing

    /// Stores `bytes` under `sha256` unless already present. Returns true when they were written.
    ///
    /// The bytes are appended to the current pack under the writer's lock; they are listed in the catalog by the
    /// next ``flush()``, after the pack was synced. Callers store each SHA-256 once per batch.
    ///
    /// With a `listing` of the batch taken before (``listing(of:)``), the catalog is not read again unless more was
    /// listed or rewritten since than the writer remembers.
    @discardableResult
    public func put(_ bytes: UnsafeRawBufferPointer, sha256: String, listing: Listing? = nil) throws(ArchiveError) -> Bool {
        return try writer.state.withLock { (st: inout PackWriter.State) throws(ArchiveError) -> Bool in
            // Pending first, then the catalog: a flush lists entries before it forgets them as pending.
            if st.pending[sha256] != nil { return false }
            switch listing.flatMap({ st.listed(sha256, since: $0) }) {
            case true?: return false
            case false?: break
            case nil:
                if try catalog.readForStore({ db in try PackEntryRecord.find(db, sha256: sha256) }) != nil { return false }
            }
            let length = Int64(bytes.count)
            let pack = try openForAppend(&st, room: PackFormat.entryHeaderSize + length)
            let start = pack.size
            let header = PackFormat.entryHeader(length: length, sha256: sha256)
            // Tests kill the process between two halves of a write, to leave a torn entry behind (the crash point is
            // passed after each half).
            let halves = CrashPoint.isArmed("store-write") && bytes.count > 1
            let half = halves ? bytes.count / 2 : 0
            do throws(Errno) {
                try ContentStore.writeAll(pack.fd, header, at: start)
                let dataStart = start + PackFormat.entryHeaderSize
                try pack.fd.writeAll(UnsafeRawBufferPointer(rebasing: bytes[..<half]), at: dataStart)
                if halves { CrashPoint.pass("store-write") }
                try pack.fd.writeAll(UnsafeRawBufferPointer(rebasing: bytes[half...]), at: dataStart + Int64(half))
                if halves { CrashPoint.pass("store-write") }
            } catch {
                _ = ftruncate(pack.fd.rawValue, off_t(start))
                throw .cannotWrite(path(ofPack: pack.number), reason: error.description)
            }
            st.current?.size = start + PackFormat.entryHeaderSize + length
            st.pending[sha256] = PackEntryRecord(sha256: sha256, pack: pack.number, offset: start + PackFormat.entryHeaderSize, length: length)
            return true
        }
    }

    /// Stores `length` bytes of the file at `path` from `offset`, a message too large to hold in memory, and
    /// returns their SHA-256 and whether they were written. The bytes are hashed as they are copied, once, into the
    /// pack (its entry's SHA-256 is filled in at the end), so what is stored is exactly what was hashed even if the
    /// source changes meanwhile; bytes already stored are cut off again. Memory use is one 1 MB chunk whatever the
    /// size.
    public func put(copyOf path: String, offset: Int64, length: Int64) throws(ArchiveError) -> (sha256: String, isNew: Bool) {
        let source: FileDescriptor
        do throws(Errno) { source = try .open(path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(path, reason: error.description) }
        defer { try? source.close() }
        return try writer.state.withLock { (st: inout PackWriter.State) throws(ArchiveError) -> (sha256: String, isNew: Bool) in
            let pack = try openForAppend(&st, room: PackFormat.entryHeaderSize + length)
            let packPath = self.path(ofPack: pack.number)
            let start = pack.size
            let dataStart = start + PackFormat.entryHeaderSize
            let sha: String
            do throws(ArchiveError) {
                let placeholder = PackFormat.entryHeader(length: length, sha256: "")
                do throws(Errno) { try ContentStore.writeAll(pack.fd, placeholder, at: start) } catch {
                    throw .cannotWrite(packPath, reason: error.description)
                }
                sha = try ContentStore.hashingCopy(from: source, path, offset: offset, length: length, to: pack.fd, packPath,
                                                   at: dataStart, crashPoint: "store-copy").sha256
                let listed = try catalog.readForStore { db in try PackEntryRecord.find(db, sha256: sha) }
                if st.pending[sha] != nil || listed != nil {
                    _ = ftruncate(pack.fd.rawValue, off_t(start))
                    return (sha, false)
                }
                let header = PackFormat.entryHeader(length: length, sha256: sha)
                do throws(Errno) { try ContentStore.writeAll(pack.fd, header, at: start) } catch {
                    throw .cannotWrite(packPath, reason: error.description)
                }
            } catch {
                _ = ftruncate(pack.fd.rawValue, off_t(start))
                throw error
            }
            st.current?.size = dataStart + length
            st.pending[sha] = PackEntryRecord(sha256: sha, pack: pack.number, offset: dataStart, length: length)
            return (sha, true)
        }
    }

    /// The pack to append `room` bytes to: the current one while it has room (or is empty), else a new one (the
    /// full one is synced and kept open until the next flush).
    private func openForAppend(_ st: inout PackWriter.State, room: Int64) throws(ArchiveError) -> PackWriter.OpenPack {
        if st.current == nil {
            try makeFolders()
            let numbers = try packNumbers()
            if let last = numbers.last {
                let p = path(ofPack: last)
                do {
                    let fd = try FileDescriptor.open(p, O_RDWR | O_CLOEXEC)
                    let size = Int64(try fd.status().st_size)
                    st.current = PackWriter.OpenPack(number: last, fd: fd, size: size)
                } catch { throw .cannotWrite(p, reason: error.description) }
            }
        }
        if let current = st.current, current.size <= PackFormat.fileHeaderSize || current.size + room <= ContentStore.packSizeLimit {
            return current
        }
        let next = (st.current?.number ?? 0) + 1
        if let full = st.current {
            do { try full.fd.dataSync() } catch { throw .cannotWrite(path(ofPack: full.number), reason: error.description) }
            st.retired.append(full.fd)
        }
        st.current = nil
        let p = path(ofPack: next)
        let fd: FileDescriptor
        do throws(Errno) { fd = try .open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
            throw .cannotWrite(p, reason: error.description)
        }
        do throws(Errno) {
            try ContentStore.writeAll(fd, PackFormat.fileHeader, at: 0)
        } catch {
            try? fd.close(); unlink(p)
            throw .cannotWrite(p, reason: error.description)
        }
        // The new name must survive a power loss as well as the bytes (fdatasync does not sync the folder).
        try syncFolder(packsPath)
        let pack = PackWriter.OpenPack(number: next, fd: fd, size: PackFormat.fileHeaderSize)
        st.current = pack
        return pack
    }

    /// Makes the store folder and its packs folder (0700) unless they exist.
    private func makeFolders() throws(ArchiveError) {
        for dir in [rootPath, packsPath] where mkdir(dir, 0o700) != 0 && errno != EEXIST {
            throw .cannotWrite(dir, reason: Errno.currentText)
        }
    }

    /// The bytes of every pack file together (entry headers included): what the store holds, from the file system.
    public func packBytes() throws(ArchiveError) -> Int64 {
        try packNumbers().reduce(Int64(0)) { total, number in
            var info = stat()
            return stat(path(ofPack: number), &info) == 0 ? total + Int64(info.st_size) : total
        }
    }

    /// The numbers of the pack files, in order.
    func packNumbers() throws(ArchiveError) -> [Int] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: packsPath) } catch {
            if !FileManager.default.fileExists(atPath: packsPath) { return [] }
            throw .cannotRead(packsPath, reason: error.localizedDescription)
        }
        return names.compactMap(PackFormat.number).sorted()
    }

    /// Syncs a folder (new or removed names in it).
    private func syncFolder(_ path: String) throws(ArchiveError) {
        do {
            let fd = try FileDescriptor.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { try? fd.close() }
            try fd.dataSync()
        } catch { throw .cannotWrite(path, reason: error.description) }
    }

    /// Writes all of `bytes` to `fd` at `offset`.
    static func writeAll(_ fd: FileDescriptor, _ bytes: [UInt8], at offset: Int64) throws(Errno) {
        try bytes.withUnsafeBytes { raw in Result { () throws(Errno) in try fd.writeAll(raw, at: offset) } }.get()
    }

    /// Copies `length` bytes (or, when nil, everything up to the end) from `input` at `offset` to `output` (at
    /// `outputOffset`, or at its current position when nil) in 1 MB chunks, hashing them on the way; returns their
    /// SHA-256 and size. A source that ends early is an error.
    static func hashingCopy(from input: FileDescriptor, _ inputPath: String, offset: Int64, length: Int64?,
                            to output: FileDescriptor, _ outputPath: String, at outputOffset: Int64? = nil,
                            crashPoint: String? = nil) throws(ArchiveError) -> (sha256: String, size: Int64) {
        var hasher = StreamingHasher()
        let chunkSize = 1 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        var done: Int64 = 0
        while length.map({ done < $0 }) ?? true {
            let wanted = length.map { Int(min(Int64(chunkSize), $0 - done)) } ?? chunkSize
            let n: Int
            do { n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<wanted]), at: offset + done) } catch {
                throw .cannotRead(inputPath, reason: error.description)
            }
            if n == 0 {
                if length == nil { break }
                throw .cannotRead(inputPath, reason: "the file ended before the message did (was it changed meanwhile?)")
            }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[..<n])
            hasher.update(bytes)
            do {
                if let outputOffset { try output.writeAll(bytes, at: outputOffset + done) } else { try output.writeAll(bytes) }
            } catch { throw .cannotWrite(outputPath, reason: error.description) }
            done += Int64(n)
            // Tests kill the process here, after a chunk, to leave a half-made copy behind.
            if let crashPoint { CrashPoint.pass(crashPoint) }
        }
        return (hasher.finalizeHex(), done)
    }

    // MARK: Reading

    /// Copies the stored bytes to a new file at `path` in 1 MB chunks, checking them against their SHA-256 on the
    /// way (for messages too large to hold in memory). Returns the size. On any failure, including bytes that no
    /// longer match, the new file is removed and nothing is left behind.
    public func copy(_ sha256: String, to path: String) throws(ArchiveError) -> Int64 {
        let range = try range(of: sha256)
        guard let input = try? FileDescriptor.open(range.path, O_RDONLY | O_CLOEXEC) else {
            throw .cannotRead(range.path, reason: "the pack holding stored message \(sha256) is missing")
        }
        defer { try? input.close() }
        let output: FileDescriptor
        do throws(Errno) { output = try .open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
            throw .cannotWrite(path, reason: error.description)
        }
        let copied: (sha256: String, size: Int64)
        do throws(ArchiveError) {
            copied = try ContentStore.hashingCopy(from: input, range.path, offset: range.offset, length: range.length, to: output, path)
            guard copied.sha256 == sha256 else { throw ArchiveError.storeCorrupt(sha256: sha256, reason: "its SHA-256 no longer matches") }
        } catch {
            try? output.close(); unlink(path)
            throw error
        }
        do { try output.close() } catch {
            unlink(path)
            throw .cannotWrite(path, reason: error.description)
        }
        return copied.size
    }

    /// Checks the stored bytes against their SHA-256 without reading them into memory (for messages too large to
    /// hold there); throws like ``read(_:)`` when they are missing or damaged.
    public func verify(_ sha256: String) throws(ArchiveError) {
        let range = try range(of: sha256)
        guard try ContentStore.digest(of: range) == sha256 else {
            throw .storeCorrupt(sha256: sha256, reason: "its SHA-256 no longer matches")
        }
    }

    /// The SHA-256 of a range of a file, read in 1 MB chunks (nil when the file ends before the range does).
    static func digest(of range: FileRange) throws(ArchiveError) -> String? {
        let fd: FileDescriptor
        do throws(Errno) { fd = try .open(range.path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(range.path, reason: error.description) }
        defer { try? fd.close() }
        var hasher = StreamingHasher()
        let chunkSize = 1 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        let length = range.length ?? Int64.max
        var done: Int64 = 0
        while done < length {
            let wanted = Int(min(Int64(chunkSize), length - done))
            let n: Int
            do { n = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<wanted]), at: range.offset + done) } catch {
                throw .cannotRead(range.path, reason: error.description)
            }
            if n == 0 {
                if range.length == nil { break }
                return nil
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[..<n]))
            done += Int64(n)
        }
        return hasher.finalizeHex()
    }

    /// Reads the stored bytes and checks them against their SHA-256.
    /// With its `location` already known (``locations(of:)``), the catalog is not asked again.
    public func read(_ sha256: String, at location: PackEntryRecord? = nil) throws(ArchiveError) -> Data {
        let range: FileRange
        if let location { range = self.range(of: location) } else { range = try self.range(of: sha256) }
        let length = Int(range.length ?? 0)
        var data = Data(count: length)
        let n: Int
        do throws(Errno) {
            let fd = try FileDescriptor.open(range.path, O_RDONLY | O_CLOEXEC)
            defer { try? fd.close() }
            n = try data.withUnsafeMutableBytes { buffer in Result { () throws(Errno) in try fd.readFully(into: buffer, at: range.offset) } }.get()
        } catch {
            throw .cannotRead(range.path, reason: "the stored message \(sha256) cannot be read: \(error.description)")
        }
        guard n == length, Digest.hex(data) == sha256 else { throw .storeCorrupt(sha256: sha256, reason: "its SHA-256 no longer matches") }
        return data
    }

    // MARK: Removing

    /// Gives up the stored bytes (destruction, purge, withdrawal): the next ``flush()`` rewrites their pack without
    /// them. Removing bytes that are not stored is not an error.
    public func remove(_ sha256: String) throws(ArchiveError) {
        try catalog.write(throwing: ArchiveError.self) { db in try remove(sha256, in: db) }
    }

    /// ``remove(_:)`` inside the caller's write transaction (so the removal commits with the caller's journal).
    public func remove(_ sha256: String, in db: Database) throws {
        try PackEntryRecord.markRemoving(db, sha256: sha256)
    }

    // MARK: Durability and recovery

    /// Makes what was appended durable and lists it, then carries out removals: `fdatasync` of the packs written since
    /// the last flush, then one catalog transaction listing their entries; then every pack holding removed bytes is
    /// rewritten without them (see ``ContentStore``). Ingest calls it on a flusher thread before each batch's commit;
    /// destruction after removing bytes. `durable` false (tests only) lists the entries without syncing them.
    public func flush(durable: Bool = true) throws(ArchiveError) {
        try writer.flushing.withLock { (_: inout Int) throws(ArchiveError) in
            typealias Snapshot = ([String: PackEntryRecord], PackWriter.OpenPack?, [FileDescriptor])
            let (snapshot, current, retired) = writer.state.withLock { (st: inout PackWriter.State) -> Snapshot in
                let r = st.retired
                st.retired = []
                return (st.pending, st.current, r)
            }
            if durable, let current, !snapshot.isEmpty {
                do throws(Errno) { try current.fd.dataSync() } catch { throw .cannotWrite(path(ofPack: current.number), reason: error.description) }
            }
            for fd in retired { try? fd.close() }
            if !snapshot.isEmpty {
                try catalog.write(throwing: ArchiveError.self) { db in try PackEntryRecord.record(db, Array(snapshot.values)) }
                writer.state.withLock { st in
                    for (sha, entry) in snapshot where st.pending[sha] == entry { st.pending.removeValue(forKey: sha) }
                    st.didList(snapshot.keys)
                }
            }
            let packs = try catalog.read(throwing: ArchiveError.self) { db in try PackEntryRecord.packsWithRemovals(db) }
            for pack in packs { try rewrite(pack: pack) }
        }
    }

    /// Rewrites pack `pack` without the entries marked for removal: the survivors are copied into a new pack written
    /// in `store/packs/.rewrite/` under a name that says what it replaces (`000007-000003.pack`: new pack 7 for
    /// pack 3), which is synced; one catalog transaction moves the survivors there and deletes the removed entries;
    /// then the old pack is unlinked and the new one moved into `store/packs/`. A kill before the switch leaves the
    /// unswitched output in `.rewrite/` (deleted by the next lock holder) and the old pack as it was; a kill after it
    /// leaves a switched output, which the next lock holder moves into place after unlinking the old pack. Nothing
    /// else is ever deleted for being unlisted (see ``removeLeftovers(holding:)``).
    func rewrite(pack: Int) throws(ArchiveError) {
        try writer.state.withLock { (st: inout PackWriter.State) throws(ArchiveError) in
            // Whatever this process appended and has not listed yet is synced and listed first.
            if let current = st.current, !st.pending.isEmpty {
                do throws(Errno) { try current.fd.dataSync() } catch { throw .cannotWrite(path(ofPack: current.number), reason: error.description) }
                let pending = Array(st.pending.values)
                try catalog.write(throwing: ArchiveError.self) { db in try PackEntryRecord.record(db, pending) }
                st.pending = [:]
            }
            // Entries move and go: a listing taken before says nothing any more.
            st.forgetListings()
            let entries = try catalog.read(throwing: ArchiveError.self) { db in try PackEntryRecord.entries(db, pack: pack) }
            let survivors = entries.filter { !$0.removing }
            if let current = st.current { try? current.fd.close() }
            for fd in st.retired { try? fd.close() }
            st.current = nil
            st.retired = []
            var moved: [PackEntryRecord] = []
            let oldPath = path(ofPack: pack)
            let next = (try packNumbers().last ?? 0) + 1
            try makeFolders()
            if mkdir(rewritePath, 0o700) != 0 && errno != EEXIST { throw .cannotWrite(rewritePath, reason: Errno.currentText) }
            let newPath = rewritePath + "/" + ContentStore.rewriteName(new: next, old: pack)
            let out: FileDescriptor
            do throws(Errno) { out = try .open(newPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
                throw .cannotWrite(newPath, reason: error.description)
            }
            defer { try? out.close() }
            // An output that fails before the switch is removed at once (the old pack is as it was).
            var switched = false
            defer { if !switched { unlink(newPath); rmdir(rewritePath) } }
            do throws(Errno) { try ContentStore.writeAll(out, PackFormat.fileHeader, at: 0) } catch {
                throw .cannotWrite(newPath, reason: error.description)
            }
            if !survivors.isEmpty {
                let input: FileDescriptor
                do throws(Errno) { input = try .open(oldPath, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(oldPath, reason: error.description) }
                defer { try? input.close() }
                var at = PackFormat.fileHeaderSize
                for s in survivors {
                    let header = PackFormat.entryHeader(length: s.length, sha256: s.sha256)
                    do throws(Errno) { try ContentStore.writeAll(out, header, at: at) } catch {
                        throw .cannotWrite(newPath, reason: error.description)
                    }
                    let dataAt = at + PackFormat.entryHeaderSize
                    _ = try ContentStore.hashingCopy(from: input, oldPath, offset: s.offset, length: s.length, to: out, newPath, at: dataAt)
                    moved.append(PackEntryRecord(sha256: s.sha256, pack: next, offset: dataAt, length: s.length))
                    at = dataAt + s.length
                }
            }
            do throws(Errno) { try out.dataSync() } catch { throw .cannotWrite(newPath, reason: error.description) }
            try syncFolder(rewritePath)
            CrashPoint.pass("pack-rewrite-written")
            try catalog.write(throwing: ArchiveError.self) { db in try PackEntryRecord.switchPack(db, from: pack, survivors: moved) }
            switched = true
            CrashPoint.pass("pack-rewrite-switched")
            try finishRewrite(new: next, old: pack)
        }
    }

    /// The folder where a rewrite writes its new pack until the catalog is switched to it.
    private var rewritePath: String { packsPath + "/" + ContentStore.rewriteName }
    /// The name of that folder, in `store/packs/`.
    static let rewriteName = ".rewrite"

    /// The name of the output of a rewrite of pack `old` into pack `new`, in `.rewrite/`.
    static func rewriteName(new: Int, old: Int) -> String {
        String(PackFormat.name(new).dropLast(5)) + "-" + PackFormat.name(old)
    }

    /// The new and old pack numbers a rewrite output's name states (nil for any other name).
    static func rewriteNumbers(_ name: String) -> (new: Int, old: Int)? {
        let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2, let new = PackFormat.number(parts[0] + ".pack"), let old = PackFormat.number(parts[1]) else { return nil }
        return (new, old)
    }

    /// After the switch: unlinks the old pack and moves the new one from `.rewrite/` into `store/packs/`.
    private func finishRewrite(new: Int, old: Int) throws(ArchiveError) {
        let oldPath = path(ofPack: old)
        if unlink(oldPath) != 0 && errno != ENOENT { throw .cannotWrite(oldPath, reason: Errno.currentText) }
        CrashPoint.pass("pack-rewrite-old-unlinked")
        let from = rewritePath + "/" + ContentStore.rewriteName(new: new, old: old)
        let to = path(ofPack: new)
        if access(to, F_OK) == 0 { throw .cannotWrite(to, reason: "a pack of that name exists already; the rewritten pack stays at \(from)") }
        if rename(from, to) != 0 { throw .cannotWrite(to, reason: Errno.currentText) }
        try removeRewriteFolder()
    }

    /// Removes `.rewrite/` when it is empty (so the packs folder holds only packs) and syncs the packs folder.
    private func removeRewriteFolder() throws(ArchiveError) {
        if rmdir(rewritePath) != 0 && errno != ENOENT { try syncFolder(rewritePath) }
        try syncFolder(packsPath)
    }

    /// What the holder of the store lock does first. Nothing whole is ever deleted for being unlisted (a catalog
    /// restored from an older backup, or a lost map row, must not cost bytes):
    ///
    /// - a rewrite output in `store/packs/.rewrite/` is finished (old pack unlinked, output moved into place) when the
    ///   catalog was switched to it, and deleted when it was not (the only file recovery deletes);
    /// - every whole entry (its bytes match the SHA-256 in its header) the map does not list is listed again, unless
    ///   the map lists the same bytes elsewhere (then `store verify --repair` removes the copy); entries no message
    ///   names become orphans, which `store verify` reports and `--repair` removes;
    /// - only an incomplete tail of the last pack is cut off: a trailing entry whose header is partial, whose length
    ///   runs past the end of the file, or whose bytes do not match its SHA-256, after the last listed entry. Damage
    ///   elsewhere is left for `store verify` to report.
    ///
    /// Then removals a killed run left are finished, and what the one-file store of earlier versions left in
    /// `store/.incoming/` is removed. Only the holder of the ``StoreLock`` may: no other command can be appending then.
    public func removeLeftovers(holding lock: StoreLock) throws(ArchiveError) {
        withExtendedLifetime(lock) {}
        try writer.state.withLock { (st: inout PackWriter.State) throws(ArchiveError) in
            if let current = st.current { try? current.fd.close() }
            for fd in st.retired { try? fd.close() }
            st = PackWriter.State()
            try finishRewrites()
            let numbers = try packNumbers()
            let summaries = try catalog.read(throwing: ArchiveError.self) { db in try PackEntryRecord.packSummaries(db) }
            var findings = RecoveryFindings()
            for n in numbers {
                try recover(pack: n, isLast: n == numbers.last, summary: summaries[n], into: &findings)
            }
            if !findings.isEmpty {
                try catalog.write(throwing: ArchiveError.self) { db in
                    var relisted: [PackEntryRecord] = []
                    for e in findings.relist where try !PackEntryRecord.isListed(db, sha256: e.sha256) { relisted.append(e) }
                    try PackEntryRecord.record(db, relisted)
                    findings.relist = relisted
                    guard let clock, !findings.isEmpty else { return }
                    try AuditTrail(clock: clock).append(db, kind: .storeRecovery, command: lock.command,
                                                        actor: "Sluitsteen (OS-account \(Actor.currentOSUser))",
                                                        objectIds: findings.packs.map { "pack:" + PackFormat.name($0) },
                                                        outcome: findings.outcome)
                }
            }
        }
        let removals = try catalog.read(throwing: ArchiveError.self) { db in try PackEntryRecord.packsWithRemovals(db) }
        if !removals.isEmpty { try flush() }
        let incoming = root.appendingPathComponent(ContentStore.incomingName, isDirectory: true)
        if FileManager.default.fileExists(atPath: incoming.path) {
            do { try FileManager.default.removeItem(at: incoming) } catch { throw .cannotWrite(incoming.path, reason: error.localizedDescription) }
        }
    }

    /// Finishes or deletes the rewrite outputs a killed rewrite left in `.rewrite/` (see ``rewrite(pack:)``). The
    /// catalog was switched when it names the new pack, or names nothing in the old one any more (which it did before
    /// the switch: the old pack held entries marked for removal).
    private func finishRewrites() throws(ArchiveError) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: rewritePath) else { return }
        let listed = try catalog.read(throwing: ArchiveError.self) { db in try PackEntryRecord.listedPacks(db) }
        for name in names.sorted() {
            guard let (new, old) = ContentStore.rewriteNumbers(name) else { continue }
            if listed.contains(new) || !listed.contains(old) {
                try finishRewrite(new: new, old: old)
            } else {
                let p = rewritePath + "/" + name
                if unlink(p) != 0 && errno != ENOENT { throw .cannotWrite(p, reason: Errno.currentText) }
            }
        }
        try removeRewriteFolder()
    }

    /// Recovery of one pack: adds its whole entries the map does not list (synced first) to `findings`, and its
    /// unlisted entries whose bytes do not match their SHA-256 (left in place); in the last pack cuts off an
    /// incomplete tail after the last listed entry. A pack whose listed entries fill it exactly is not read.
    private func recover(pack n: Int, isLast: Bool, summary: (count: Int64, bytes: Int64, end: Int64)?,
                         into findings: inout RecoveryFindings) throws(ArchiveError) {
        let p = path(ofPack: n)
        var info = stat()
        guard stat(p, &info) == 0 else { throw .cannotRead(p, reason: Errno.currentText) }
        let size = Int64(info.st_size)
        let listedEnd = summary?.end ?? PackFormat.fileHeaderSize
        if let summary, PackFormat.fileHeaderSize + summary.count * PackFormat.entryHeaderSize + summary.bytes == size, summary.end == size {
            return
        }
        let listed = try catalog.read(throwing: ArchiveError.self) { db in Set(try PackEntryRecord.entries(db, pack: n).map(\.offset)) }
        let fd: FileDescriptor
        do throws(Errno) { fd = try .open(p, O_RDWR | O_CLOEXEC) } catch { throw .cannotWrite(p, reason: error.description) }
        defer { try? fd.close() }
        func read(_ count: Int64, at offset: Int64) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: Int(count))
            let got = buffer.withUnsafeMutableBytes { b in (try? fd.readFully(into: b, at: offset)) ?? 0 }
            return Array(buffer[..<got])
        }
        func cut(at offset: Int64) throws(ArchiveError) {
            do throws(Errno) {
                if ftruncate(fd.rawValue, off_t(offset)) != 0 { throw Errno.current }
                try fd.dataSync()
            } catch { throw .cannotWrite(p, reason: error.description) }
            findings.cut.append((n, size - offset))
        }
        let fileHeader = read(PackFormat.fileHeaderSize, at: 0)
        guard PackFormat.isFileHeader(fileHeader) else {
            // A pack created by a killed run before its header was whole holds nothing: its header is written again.
            if isLast, summary == nil, size < PackFormat.fileHeaderSize, PackFormat.fileHeader.starts(with: fileHeader) {
                do throws(Errno) {
                    try ContentStore.writeAll(fd, PackFormat.fileHeader, at: 0)
                    try fd.dataSync()
                } catch { throw .cannotWrite(p, reason: error.description) }
            }
            return
        }
        var found = 0
        var at = PackFormat.fileHeaderSize
        while at < size {
            let header = read(PackFormat.entryHeaderSize, at: at)
            guard let h = PackFormat.parseEntryHeader(header), h.length <= size - at - PackFormat.entryHeaderSize else {
                if isLast, at >= listedEnd { try cut(at: at) }
                break
            }
            let dataAt = at + PackFormat.entryHeaderSize
            let next = dataAt + h.length
            if !listed.contains(dataAt) {
                let digest = try ContentStore.digest(of: FileRange(path: p, offset: dataAt, length: h.length))
                if digest == h.sha256 {
                    if findings.relisting.insert(h.sha256).inserted {
                        findings.relist.append(PackEntryRecord(sha256: h.sha256, pack: n, offset: dataAt, length: h.length))
                        found += 1
                    }
                } else if isLast, next == size, at >= listedEnd {
                    try cut(at: at)
                    break
                } else {
                    findings.damaged.append((n, dataAt))
                }
            }
            at = next
        }
        if found > 0 {
            do throws(Errno) { try fd.dataSync() } catch { throw .cannotWrite(p, reason: error.description) }
        }
    }
}

/// The one appender of a store folder in this process: the pack being appended to, entries appended but not yet
/// listed in the catalog, and full packs waiting to be closed.
/// What the recovery of the store lock's holder found and did (see ``ContentStore/removeLeftovers(holding:)``).
struct RecoveryFindings {
    /// Whole entries the map did not list, listed again.
    var relist: [PackEntryRecord] = []
    var relisting = Set<String>()
    /// Incomplete tails cut off: pack and bytes.
    var cut: [(pack: Int, bytes: Int64)] = []
    /// Unlisted entries whose bytes do not match their SHA-256, left in place: pack and offset.
    var damaged: [(pack: Int, offset: Int64)] = []

    var isEmpty: Bool { relist.isEmpty && cut.isEmpty && damaged.isEmpty }

    /// The packs concerned, in order.
    var packs: [Int] { Set(relist.map(\.pack) + cut.map(\.pack) + damaged.map(\.pack)).sorted() }

    /// The audit trail's outcome: what was done, in counts and pack names (never the messages' contents).
    var outcome: String {
        var parts: [String] = []
        if !relist.isEmpty {
            let bytes = relist.reduce(Int64(0)) { $0 + $1.length }
            parts.append("listed again \(relist.count) whole pack entr\(relist.count == 1 ? "y" : "ies") (\(bytes) bytes) that the catalog's "
                + "map did not list (a run stopped between syncing its pack and committing, or a catalog older than the packs)")
        }
        for c in cut {
            parts.append("cut an incomplete tail of \(c.bytes) bytes from pack \(PackFormat.name(c.pack)) (written by a run that stopped "
                + "before listing it)")
        }
        if !damaged.isEmpty {
            let places = damaged.prefix(20).map { "\(PackFormat.name($0.pack)) at \($0.offset)" }.joined(separator: ", ")
            parts.append("found \(damaged.count) unlisted pack entr\(damaged.count == 1 ? "y" : "ies") whose bytes do not match their SHA-256 "
                + "(\(places)\(damaged.count > 20 ? ", …" : "")), left in place: run `sluitsteen store verify`")
        }
        return "store recovery: " + parts.joined(separator: "; ")
    }
}

final class PackWriter: Sendable {
    struct OpenPack: Sendable {
        var number: Int
        var fd: FileDescriptor
        var size: Int64
    }

    struct State: Sendable {
        var current: OpenPack?
        var pending: [String: PackEntryRecord] = [:]
        var retired: [FileDescriptor] = []
        /// Counts the changes to what the catalog lists (each flush's listing, each rewrite).
        var generation = 0
        /// What the last few flushes listed, by the generation they made, for ``ContentStore/Listing``s taken before.
        var recent: [(generation: Int, shas: Set<String>)] = []

        /// How many flushes' listings are remembered (a batch's listing is at most a few flushes old).
        static let remembered = 16

        /// Records that a flush listed `shas` in the catalog (after forgetting them as pending).
        mutating func didList(_ shas: some Sequence<String>) {
            generation += 1
            recent.append((generation, Set(shas)))
            if recent.count > State.remembered { recent.removeFirst() }
        }

        /// Records a change the log cannot describe (a rewrite moves and deletes entries).
        mutating func forgetListings() {
            generation += 1
            recent = []
        }

        /// Whether the catalog lists `sha256` now, judged from a listing taken at an earlier generation; nil when
        /// the catalog must be asked (more changed since than is remembered).
        func listed(_ sha256: String, since listing: ContentStore.Listing) -> Bool? {
            if listing.generation == generation { return listing.listed.contains(sha256) }
            guard let oldest = recent.first?.generation, oldest <= listing.generation + 1 else { return nil }
            if listing.listed.contains(sha256) { return true }
            return recent.contains { $0.generation > listing.generation && $0.shas.contains(sha256) }
        }
    }

    let state = Locked(State())
    /// Held by a flush throughout, so that two flushes do not interleave.
    let flushing = Locked(0)

    private static let writers = Locked([String: PackWriter]())

    /// The writer of the packs folder `path`.
    static func shared(for path: String) -> PackWriter {
        writers.withLock { all in
            if let w = all[path] { return w }
            let w = PackWriter()
            all[path] = w
            return w
        }
    }
}

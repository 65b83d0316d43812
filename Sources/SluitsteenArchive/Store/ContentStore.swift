// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed store: each distinct message is one file named by the SHA-256 of its bytes,
/// under a two-character fan-out folder (`store/ab/ab12…`).
///
/// The catalog commits a message only after its file is written whole and flushed to disk; a file an interrupted
/// run left half-written is never referred to, and is rewritten when its message comes again. The same bytes are
/// stored once, however many mailboxes hold them. Replacement files are written in `store/.incoming/` and renamed
/// into place; whatever an interrupted run left there is removed by ``removeLeftovers(holding:)``.
public struct ContentStore: Sendable {
    /// The store folder.
    public let root: URL
    private let rootPath: String

    /// Messages larger than this (16 MiB) are never held in memory whole: ingest copies them into the store in chunks
    /// and parses them from their stored file, and the indexer and export read them from it. The one definition of
    /// the limit; each stage has a setting that defaults to it (tests lower it to send every message that way).
    public static let defaultInMemoryLimit = 16 << 20

    /// The folder where replacement files are written before they are renamed into place.
    static let incomingName = ".incoming"

    /// Creates a store rooted at `root` (the folder is created on first write).
    public init(root: URL) {
        self.root = root
        rootPath = root.standardizedFileURL.path
    }

    /// The file that holds (or would hold) the bytes with this SHA-256.
    public func url(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    /// Whether bytes with this SHA-256 are present.
    public func contains(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: url(for: sha256).path)
    }

    /// Stores `bytes` under `sha256` unless already present. Returns true when the file was written.
    ///
    /// A new file is created under its final name (one directory operation per message, the dominant cost of a
    /// large ingest). A file that exists already is compared with `bytes` before it is trusted: one left
    /// half-written by an interrupted run, which the catalog never committed, is replaced whole (written in `.incoming/` and
    /// renamed over it), so a stored file the catalog refers to is always whole. A file that cannot be read for the
    /// comparison is an error, never a reason to replace it. Callers store each SHA-256 once per batch: two
    /// threads writing the same new file at once would each find the other's half-written file.
    /// Paths are plain strings: this runs once per message on every core.
    @discardableResult
    public func put(_ bytes: UnsafeRawBufferPointer, sha256: String) throws(ArchiveError) -> Bool {
        let dir = rootPath + "/" + sha256.prefix(2)
        let target = dir + "/" + sha256
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
        var created = Result { () throws(Errno) in try FileDescriptor.open(target, flags, permissions: 0o400) }
        if case .failure(let e) = created, e.code == ENOENT {
            try ContentStore.makeFolder(rootPath)
            try ContentStore.makeFolder(dir)
            created = Result { () throws(Errno) in try FileDescriptor.open(target, flags, permissions: 0o400) }
        }
        switch created {
        case .success(let fd):
            try ContentStore.write(bytes, to: fd, path: target)
            return true
        case .failure(let e) where e.code != EEXIST:
            throw .cannotWrite(target, reason: e.description)
        case .failure:
            break
        }
        if try ContentStore.file(target, holds: bytes) { return false }
        let incoming = rootPath + "/" + ContentStore.incomingName
        try ContentStore.makeFolder(incoming)
        let tmp = incoming + "/" + sha256 + "-" + String(UInt32.random(in: 0...UInt32.max))
        let replacement: FileDescriptor
        do { replacement = try .open(tmp, flags, permissions: 0o400) } catch { throw .cannotWrite(tmp, reason: error.description) }
        try ContentStore.write(bytes, to: replacement, path: tmp)
        try ContentStore.rename(tmp, to: target)
        return true
    }

    /// Makes the folder `path` (0700) unless it exists.
    private static func makeFolder(_ path: String) throws(ArchiveError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw .cannotWrite(path, reason: Errno.currentText) }
    }

    /// Renames `tmp` over `target`; on failure removes `tmp`.
    private static func rename(_ tmp: String, to target: String) throws(ArchiveError) {
        if Glibc.rename(tmp, target) != 0 {
            let reason = Errno.currentText
            unlink(tmp)
            throw .cannotWrite(target, reason: reason)
        }
    }

    /// Stores `length` bytes of the file at `path` from `offset`, a message too large to hold in memory, and
    /// returns their SHA-256 and whether the file was written. The bytes are hashed as they are copied, once, into
    /// `.incoming/`, so what is stored is exactly what was hashed even if the source changes meanwhile; the copy is
    /// then linked into place (or, where a different file sits under the name, renamed over it). Memory use is
    /// one 1 MB chunk whatever the size.
    public func put(copyOf path: String, offset: Int64, length: Int64) throws(ArchiveError) -> (sha256: String, isNew: Bool) {
        let source: FileDescriptor
        do { source = try .open(path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(path, reason: error.description) }
        defer { try? source.close() }
        let incoming = rootPath + "/" + ContentStore.incomingName
        try ContentStore.makeFolder(rootPath)
        try ContentStore.makeFolder(incoming)
        let tmp = incoming + "/copy-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let fd: FileDescriptor
        do { fd = try .open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o400) } catch {
            throw .cannotWrite(tmp, reason: error.description)
        }
        let sha: String
        do throws(ArchiveError) {
            sha = try ContentStore.hashingCopy(from: source, path, offset: offset, length: length, to: fd, tmp, crashPoint: "store-copy").sha256
        } catch {
            try? fd.close(); unlink(tmp)
            throw error
        }
        do { try fd.close() } catch {
            unlink(tmp)
            throw .cannotWrite(tmp, reason: error.description)
        }
        let dir = rootPath + "/" + sha.prefix(2)
        let target = dir + "/" + sha
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
            let reason = Errno.currentText
            unlink(tmp)
            throw .cannotWrite(dir, reason: reason)
        }
        // link() places the copy only where no file is: two threads storing the same bytes place it once.
        if link(tmp, target) == 0 {
            unlink(tmp)
            return (sha, true)
        }
        // EEXIST, or a file system without hard links: a file already there with these bytes is kept.
        if try ContentStore.sameContent(tmp, target) {
            unlink(tmp)
            return (sha, false)
        }
        try ContentStore.rename(tmp, to: target)
        return (sha, true)
    }

    /// Whether two files hold the same bytes (read in chunks); false when `other` is missing.
    private static func sameContent(_ path: String, _ other: String) throws(ArchiveError) -> Bool {
        let a: FileDescriptor
        do { a = try .open(path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(path, reason: error.description) }
        defer { try? a.close() }
        let b: FileDescriptor
        do { b = try .open(other, O_RDONLY | O_CLOEXEC) } catch {
            if error.code == ENOENT { return false }
            throw .cannotRead(other, reason: error.description)
        }
        defer { try? b.close() }
        let size: Int64
        do {
            let (sa, sb) = (try a.status(), try b.status())
            guard sa.st_size == sb.st_size else { return false }
            size = Int64(sa.st_size)
        } catch { throw .cannotRead(other, reason: error.description) }
        let chunkSize = 1 << 20
        let x = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        let y = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { x.deallocate(); y.deallocate() }
        var offset: Int64 = 0
        while offset < size {
            let n: Int, m: Int
            do { (n, m) = (try a.read(into: x, at: offset), try b.read(into: y, at: offset)) } catch {
                throw .cannotRead(other, reason: error.description)
            }
            guard n > 0, n == m, memcmp(x.baseAddress!, y.baseAddress!, n) == 0 else { return false }
            offset += Int64(n)
        }
        return true
    }

    /// Copies the stored bytes to a new file at `path` in 1 MB chunks, checking them against their name on the way
    /// (for messages too large to hold in memory). Returns the size. On any failure, including bytes that no longer
    /// match their name, the new file is removed and nothing is left behind.
    public func copy(_ sha256: String, to path: String) throws(ArchiveError) -> Int64 {
        let source = url(for: sha256).path
        guard let input = try? FileDescriptor.open(source, O_RDONLY | O_CLOEXEC) else {
            throw .cannotRead(source, reason: "the stored message is missing")
        }
        defer { try? input.close() }
        let output: FileDescriptor
        do { output = try .open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
            throw .cannotWrite(path, reason: error.description)
        }
        let copied: (sha256: String, size: Int64)
        do throws(ArchiveError) {
            copied = try ContentStore.hashingCopy(from: input, source, offset: 0, length: nil, to: output, path)
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

    /// Copies `length` bytes (or, when nil, everything up to the end) from `input` at `offset` to `output` in 1 MB
    /// chunks, hashing them on the way; returns their SHA-256 and size. A source that ends early is an error.
    private static func hashingCopy(from input: FileDescriptor, _ inputPath: String, offset: Int64, length: Int64?,
                                    to output: FileDescriptor, _ outputPath: String,
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
            do { try output.writeAll(bytes) } catch { throw .cannotWrite(outputPath, reason: error.description) }
            done += Int64(n)
            // Tests kill the process here, after a chunk, to leave a half-made copy behind.
            if let crashPoint { CrashPoint.pass(crashPoint) }
        }
        return (hasher.finalizeHex(), done)
    }

    /// The size of the stored bytes, or nil when they are missing.
    public func size(of sha256: String) -> Int64? {
        var st = stat()
        return stat(url(for: sha256).path, &st) == 0 ? Int64(st.st_size) : nil
    }

    /// Checks the stored bytes against their name without reading them into memory (for messages too large to
    /// hold there); throws like ``read(_:)`` when they are missing or damaged.
    public func verify(_ sha256: String) throws(ArchiveError) {
        let file = url(for: sha256)
        let digest: String
        do { digest = try Digest.file(at: file).hex } catch {
            let missing = !FileManager.default.fileExists(atPath: file.path)
            throw .cannotRead(file.path, reason: missing ? "the stored message is missing" : error.localizedDescription)
        }
        guard digest == sha256 else { throw .storeCorrupt(sha256: sha256, reason: "its SHA-256 no longer matches") }
    }

    /// Writes all of `bytes` to `fd` and closes it; on failure removes `path`.
    private static func write(_ bytes: UnsafeRawBufferPointer, to fd: FileDescriptor, path: String) throws(ArchiveError) {
        // Tests kill the process between two halves of a write, to leave a half-written file behind (the crash point
        // is passed after each half).
        let halves = CrashPoint.isArmed("store-write") && bytes.count > 1
        let half = halves ? bytes.count / 2 : 0
        do {
            try fd.writeAll(UnsafeRawBufferPointer(rebasing: bytes[..<half]))
            if halves { CrashPoint.pass("store-write") }
            try fd.writeAll(UnsafeRawBufferPointer(rebasing: bytes[half...]))
            if halves { CrashPoint.pass("store-write") }
        } catch {
            try? fd.close(); unlink(path)
            throw .cannotWrite(path, reason: error.description)
        }
        do { try fd.close() } catch {
            unlink(path)
            throw .cannotWrite(path, reason: error.description)
        }
    }

    /// Whether the file at `path` holds exactly `bytes` (false when it is shorter, longer, different, or gone).
    private static func file(_ path: String, holds bytes: UnsafeRawBufferPointer) throws(ArchiveError) -> Bool {
        let fd: FileDescriptor
        do { fd = try .open(path, O_RDONLY | O_CLOEXEC) } catch {
            if error.code == ENOENT { return false }
            throw .cannotRead(path, reason: error.description)
        }
        defer { try? fd.close() }
        do {
            guard Int(try fd.status().st_size) == bytes.count else { return false }
        } catch { throw .cannotRead(path, reason: error.description) }
        guard bytes.count > 0 else { return true }
        let chunkSize = min(bytes.count, 1 << 20)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < bytes.count {
            let n: Int
            do { n = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<min(chunkSize, bytes.count - offset)])) } catch {
                throw .cannotRead(path, reason: error.description)
            }
            guard n > 0, memcmp(chunk.baseAddress!, bytes.baseAddress! + offset, n) == 0 else { return false }
            offset += n
        }
        return true
    }

    /// Reads the stored bytes and checks them against their name.
    public func read(_ sha256: String) throws(ArchiveError) -> Data {
        let data: Data
        do { data = try Data(contentsOf: url(for: sha256)) } catch {
            throw .cannotRead(url(for: sha256).path, reason: "the stored message is missing")
        }
        guard Digest.hex(data) == sha256 else { throw .storeCorrupt(sha256: sha256, reason: "its SHA-256 no longer matches") }
        return data
    }

    /// Removes the stored bytes (destruction). Removing bytes that are already gone is not an error.
    public func remove(_ sha256: String) throws(ArchiveError) {
        if unlink(url(for: sha256).path) != 0 && errno != ENOENT {
            throw .cannotWrite(url(for: sha256).path, reason: Errno.currentText)
        }
    }

    /// Removes what an interrupted run left in `store/.incoming/` (half-written copies). Only the holder of the
    /// ``StoreLock`` may: no other command can be writing there then.
    public func removeLeftovers(holding lock: StoreLock) throws(ArchiveError) {
        withExtendedLifetime(lock) {}
        let incoming = root.appendingPathComponent(ContentStore.incomingName, isDirectory: true)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: incoming.path) } catch {
            if !FileManager.default.fileExists(atPath: incoming.path) { return }
            throw .cannotRead(incoming.path, reason: error.localizedDescription)
        }
        for name in names.sorted() {
            let path = incoming.appendingPathComponent(name).path
            if unlink(path) == 0 || errno == ENOENT { continue }
            if errno == EISDIR || errno == EPERM {
                do { try FileManager.default.removeItem(atPath: path); continue } catch {}
            }
            throw .cannotWrite(path, reason: Errno.currentText)
        }
    }

    /// Flushes written files (and removals) to disk: one `syncfs` of the store's file system instead of one `fsync`
    /// per file (and instead of a `sync` of every file system on the machine). Ingest calls it on a flusher thread
    /// before each batch's commit (unless `Ingestor.flushToDisk` is off, as in some tests), and destruction after
    /// removing bytes. After a power loss, only files not yet flushed can be incomplete, and the catalog never refers
    /// to those: running the same ingest again rewrites them, because an existing file is compared byte for byte
    /// before it is trusted. When the store's file system cannot be synced on its own, every file system is.
    public func flush() {
        if let folder = try? FileDescriptor.open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC) {
            defer { try? folder.close() }
            if (try? folder.syncFileSystem()) != nil { return }
        }
        sync()
    }
}

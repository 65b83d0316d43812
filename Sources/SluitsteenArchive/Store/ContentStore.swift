// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed store: each distinct message is one file named by the SHA-256 of its bytes,
/// under a two-character fan-out folder (`store/ab/ab12…`).
///
/// The catalog commits a message only after its file is written whole and flushed to disk; a file an interrupted
/// run left half-written is never referred to, and is rewritten when its message comes again. The same bytes are
/// stored once, however many mailboxes hold them. Replacement files are written in `store/.incoming/` and renamed
/// into place; whatever an interrupted run left there is removed by ``removeLeftovers()``.
public struct ContentStore: Sendable {
    /// The store folder.
    public let root: URL
    private let rootPath: String

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
        var fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        if fd < 0 && errno == ENOENT {
            if mkdir(rootPath, 0o755) != 0 && errno != EEXIST { throw .cannotWrite(rootPath, reason: String(cString: strerror(errno))) }
            if mkdir(dir, 0o755) != 0 && errno != EEXIST { throw .cannotWrite(dir, reason: String(cString: strerror(errno))) }
            fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        }
        if fd >= 0 {
            try ContentStore.write(bytes, to: fd, path: target)
            return true
        }
        guard errno == EEXIST else { throw .cannotWrite(target, reason: String(cString: strerror(errno))) }
        if try ContentStore.file(target, holds: bytes) { return false }
        let incoming = rootPath + "/" + ContentStore.incomingName
        if mkdir(incoming, 0o755) != 0 && errno != EEXIST { throw .cannotWrite(incoming, reason: String(cString: strerror(errno))) }
        let tmp = incoming + "/" + sha256 + "-" + String(UInt32.random(in: 0...UInt32.max))
        let replacement = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard replacement >= 0 else { throw .cannotWrite(tmp, reason: String(cString: strerror(errno))) }
        try ContentStore.write(bytes, to: replacement, path: tmp)
        if rename(tmp, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw .cannotWrite(target, reason: reason)
        }
        return true
    }

    /// Writes all of `bytes` to `fd` and closes it; on failure removes `path`.
    private static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(ArchiveError) {
        // Tests kill the process between two halves of a write, to leave a half-written file behind.
        let halves = CrashPoint.isArmed("store-write") && bytes.count > 1
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, halves && offset == 0 ? bytes.count / 2 : bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd); unlink(path)
                throw .cannotWrite(path, reason: reason)
            }
            offset += n
            if halves { CrashPoint.pass("store-write") }
        }
        if close(fd) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .cannotWrite(path, reason: reason)
        }
    }

    /// Whether the file at `path` holds exactly `bytes` (false when it is shorter, longer, different, or gone).
    private static func file(_ path: String, holds bytes: UnsafeRawBufferPointer) throws(ArchiveError) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return false }
            throw .cannotRead(path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(path, reason: String(cString: strerror(errno))) }
        guard Int(st.st_size) == bytes.count else { return false }
        guard bytes.count > 0 else { return true }
        let chunkSize = min(bytes.count, 1 << 20)
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.read(fd, chunk, min(chunkSize, bytes.count - offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path, reason: String(cString: strerror(errno)))
            }
            guard n > 0, memcmp(chunk, bytes.baseAddress! + offset, n) == 0 else { return false }
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
            throw .cannotWrite(url(for: sha256).path, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes the replacement files an interrupted run left in `store/.incoming/`. Call it only while holding the
    /// ``StoreLock``, so that no running command is writing there.
    public func removeLeftovers() throws(ArchiveError) {
        let incoming = root.appendingPathComponent(ContentStore.incomingName, isDirectory: true)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: incoming.path) } catch {
            if !FileManager.default.fileExists(atPath: incoming.path) { return }
            throw .cannotRead(incoming.path, reason: error.localizedDescription)
        }
        for name in names.sorted() where unlink(incoming.appendingPathComponent(name).path) != 0 && errno != ENOENT {
            throw .cannotWrite(incoming.appendingPathComponent(name).path, reason: String(cString: strerror(errno)))
        }
    }

    /// Flushes written files to disk: one `sync` instead of one `fsync` per file (a flusher thread calls it while
    /// ingest goes on; see the ingest pipeline). After a power loss, only files not yet flushed can be incomplete,
    /// and the catalog never refers to those: running the same ingest again rewrites them, because an existing
    /// file is compared byte for byte before it is trusted.
    public func flush() {
        sync()
    }
}

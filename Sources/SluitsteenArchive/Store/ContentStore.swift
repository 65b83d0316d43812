// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
#if canImport(Glibc)
import Glibc
#endif

/// The content-addressed store: each distinct message is one file named by the SHA-256 of its bytes,
/// under a two-character fan-out folder (`store/ab/ab12…`).
///
/// Files are written to a temporary name and renamed into place, so a reader (or a crash) never sees a partial
/// file under a hash name. The same bytes are stored once, however many mailboxes hold them.
public struct ContentStore: Sendable {
    /// The store folder.
    public let root: URL

    /// Creates a store rooted at `root` (the folder is created on first write).
    public init(root: URL) { self.root = root }

    /// The file that holds (or would hold) the bytes with this SHA-256.
    public func url(for sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    /// Whether bytes with this SHA-256 are present.
    public func contains(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: url(for: sha256).path)
    }

    /// Stores `bytes` under `sha256` unless already present. Returns true when a new file was written.
    @discardableResult
    public func put(_ bytes: UnsafeRawBufferPointer, sha256: String) throws(ArchiveError) -> Bool {
        let target = url(for: sha256)
        if FileManager.default.fileExists(atPath: target.path) { return false }
        let dir = target.deletingLastPathComponent()
        if mkdir(dir.path, 0o755) != 0 && errno != EEXIST {
            if mkdir(root.path, 0o755) != 0 && errno != EEXIST { throw .cannotWrite(root.path, reason: String(cString: strerror(errno))) }
            if mkdir(dir.path, 0o755) != 0 && errno != EEXIST { throw .cannotWrite(dir.path, reason: String(cString: strerror(errno))) }
        }
        let tmp = dir.appendingPathComponent(".tmp-\(sha256)-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw .cannotWrite(tmp.path, reason: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd); unlink(tmp.path)
                throw .cannotWrite(tmp.path, reason: reason)
            }
            offset += n
        }
        close(fd)
        if rename(tmp.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp.path)
            throw .cannotWrite(target.path, reason: reason)
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

    /// Flushes written files to disk (one `sync` per batch rather than one `fsync` per file), called before a
    /// catalog commit so that the catalog never refers to bytes a power loss could take away.
    public func flush() {
        sync()
    }

    /// Removes temporary files left behind by an interrupted write.
    public func removeLeftovers() {
        guard let subdirs = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for sub in subdirs {
            let dir = root.appendingPathComponent(sub)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for name in names where name.hasPrefix(".tmp-") { unlink(dir.appendingPathComponent(name).path) }
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// The right to add bytes to, or remove bytes from, a workspace's store: held by one command at a time.
///
/// Ingest decides that a message's bytes are "already present" before it commits its copy, and destruction decides
/// that no copy needs some bytes before it removes them. Run side by side, the two could leave a copy pointing at
/// removed bytes; two ingests would also mark each other's batch as interrupted. So ingest, destruction and the
/// opt-out purge each hold this lock while they run, and a second one is refused at once with a message naming
/// the holder. It is an advisory `flock` on the workspace folder itself, so the system releases it when its process
/// ends, even by `kill -9` (a lock is never left behind), and no file can be deleted to break it: `store.lock` only
/// names the holder, for the message a second command gets. Reading commands (messages, plan, export, verify) do not
/// take it.
public final class StoreLock: Sendable {
    private let path: String
    /// The command that holds the lock (`ingest`, `destroy execute 3`, …), as the audit trail names it.
    public let command: String

    static let fileName = "store.lock"
    /// What `store.lock` says besides the holder: that deleting it changes nothing.
    static let notice = "This file only names the command that holds the store lock. The lock is held on the workspace folder "
        + "itself and is released when that command ends (even when it is killed); deleting this file does not release it.\n"

    /// The lock files this process has opened, by path, and whether one of its commands holds the lock. A lock file
    /// stays open for the life of the process and is unlocked with `LOCK_UN`, never by closing it: a child process
    /// started meanwhile (readpst, a test's subprocess) shares the open file until it execs, and closing our copy
    /// would leave the lock held by the child's copy for that moment.
    private static let open = Locked<[String: OpenLockFile]>([:])

    /// A lock file this process has open, and whether one of its commands holds the lock.
    private struct OpenLockFile: Sendable {
        var descriptor: Int32
        var held: Bool
    }

    /// Takes the lock for `command`, or throws ``ArchiveError/busy(_:holder:)`` when another command holds it.
    init(root: URL, command: String, now: Date) throws(ArchiveError) {
        let path = root.standardizedFileURL.path
        let namePath = root.appendingPathComponent(StoreLock.fileName).path
        let outcome: Result<Void, ArchiveError> = StoreLock.open.withLock { files in
            var fd: Int32
            if let known = files[path] {
                if known.held { return .failure(.busy(root.path, holder: StoreLock.holder(namePath))) }
                fd = known.descriptor
                // A folder replaced since (a workspace restored from a backup) is opened anew.
                var open = stat(), named = stat()
                if fstat(fd, &open) != 0 || stat(path, &named) != 0 || open.st_ino != named.st_ino || open.st_dev != named.st_dev {
                    Glibc.close(fd)
                    files[path] = nil
                    fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard fd >= 0 else { return .failure(.cannotWrite(path, reason: Errno.currentText)) }
                    files[path] = OpenLockFile(descriptor: fd, held: false)
                }
            } else {
                fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard fd >= 0 else { return .failure(.cannotWrite(path, reason: Errno.currentText)) }
                files[path] = OpenLockFile(descriptor: fd, held: false)
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let failure = errno
                guard failure == EWOULDBLOCK else { return .failure(.cannotWrite(path, reason: Errno.text(failure))) }
                return .failure(.busy(root.path, holder: StoreLock.holder(namePath)))
            }
            files[path] = OpenLockFile(descriptor: fd, held: true)
            // Who holds it, for the message a second command gets (informative only; the flock is the lock).
            let text = "\(command), process \(getpid()), since \(ISOTimestamp.format(now))\n" + StoreLock.notice
            let tmp = namePath + ".new"
            if let data = text.data(using: .utf8), (try? data.write(to: URL(fileURLWithPath: tmp))) != nil {
                _ = rename(tmp, namePath)
            }
            return .success(())
        }
        try outcome.get()
        // Set only once the lock is ours: a refused lock must not run deinit, which releases the holder's lock.
        self.path = path
        self.command = command
    }

    deinit {
        StoreLock.open.withLock { files in
            guard let known = files[path] else { return }
            _ = flock(known.descriptor, LOCK_UN)
            files[path] = OpenLockFile(descriptor: known.descriptor, held: false)
        }
    }

    private static func holder(_ namePath: String) -> String {
        let first = (try? String(contentsOfFile: namePath, encoding: .utf8))?.split(separator: "\n").first.map(String.init) ?? ""
        let text = first.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "another Sluitsteen command" : String(text.prefix(300))
    }
}

extension Workspace {
    /// Runs `body` holding the store lock for `command` (ingest, destroy execute, optout purge) and releases it when
    /// `body` returns or throws. When another command holds the lock, `body` does not run: the
    /// ``ArchiveError/busy(_:holder:)`` error, passed through `failure`, is thrown at once.
    public func withStoreLock<T, E: Error>(for command: String, now: Date, failure: (ArchiveError) -> E,
                                           _ body: (StoreLock) throws(E) -> T) throws(E) -> T {
        let lock: StoreLock
        do { lock = try StoreLock(root: root, command: command, now: now) } catch { throw failure(error) }
        defer { withExtendedLifetime(lock) {} }
        // The lock holder first cuts off what a killed run appended to the store and never listed.
        do { try store.removeLeftovers(holding: lock) } catch { throw failure(error) }
        return try body(lock)
    }

    /// Takes the store lock for `command` until the returned value is released; prefer ``withStoreLock(for:now:failure:_:)``,
    /// which cannot let go of it early.
    public func lockStore(for command: String, now: Date) throws(ArchiveError) -> StoreLock {
        try StoreLock(root: root, command: command, now: now)
    }
}

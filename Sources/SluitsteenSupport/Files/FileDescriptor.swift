// SPDX-License-Identifier: EUPL-1.2
import CSluitsteenSystem
#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor, with the system calls the package makes on it: each retried when a signal interrupts
/// it (`EINTR`), each throwing the ``Errno`` it failed with.
///
/// Like swift-system's type of the same name it does not own the descriptor: ``close()`` it when done (with
/// `defer`). Every read, write and sync of a file in the package goes through here, so no caller needs a loop of
/// its own for interrupted or short calls.
public struct FileDescriptor: Sendable, Hashable {
    /// The descriptor number.
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Opens `path` with `flags` (`O_RDONLY | O_CLOEXEC`, …) and, when a file is created, `permissions`.
    public static func open(_ path: String, _ flags: Int32, permissions: mode_t = 0) throws(Errno) -> FileDescriptor {
        while true {
            let fd = Glibc.open(path, flags, permissions)
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            if errno != EINTR { throw .current }
        }
    }

    /// Reads at most `buffer.count` bytes at the current position; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        while true {
            let n = Glibc.read(rawValue, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw .current }
        }
    }

    /// Reads at most `buffer.count` bytes at `offset` (the position is not moved); 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        while true {
            let n = pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw .current }
        }
    }

    /// Reads at `offset` until `buffer` is full or the file ends; returns how many bytes were read.
    public func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes at most `bytes.count` bytes at the current position; returns how many were written.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Errno) -> Int {
        while true {
            let n = Glibc.write(rawValue, bytes.baseAddress, bytes.count)
            if n >= 0 { return n }
            if errno != EINTR { throw .current }
        }
    }

    /// Writes all of `bytes` at the current position (a short write is continued; a write that makes no progress
    /// is a full disk, `ENOSPC`).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let n = try write(UnsafeRawBufferPointer(rebasing: bytes[done...]))
            if n == 0 { throw Errno(ENOSPC) }
            done += n
        }
    }

    /// Writes all of `bytes` at `offset` (`pwrite`: the position is not moved; short writes are continued, one that
    /// makes no progress is a full disk, `ENOSPC`).
    public func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(rawValue, bytes.baseAddress! + done, bytes.count - done, off_t(offset + Int64(done)))
            if n > 0 { done += n } else if n == 0 { throw Errno(ENOSPC) } else if errno != EINTR { throw .current }
        }
    }

    /// Turns writing around the page cache (`O_DIRECT`) on or off; false when the file system (or this processor's
    /// Linux flags) does not offer it, and the descriptor is then left as it was. A direct write must start at an
    /// offset, come from an address and have a length that are all multiples of the file system's block size; any
    /// other is refused with `EINVAL`. It is not durable by itself: ``dataSync()`` still makes it so.
    @discardableResult
    public func setDirect(_ on: Bool) -> Bool {
        guard let direct = Self.directFlag else { return !on }
        let flags = fcntl(rawValue, F_GETFL)
        guard flags >= 0 else { return false }
        return fcntl(rawValue, F_SETFL, on ? flags | direct : flags & ~direct) == 0
    }

    /// Asks the kernel to start reading `length` bytes at `offset` into the page cache now, without waiting for them:
    /// a reader that knows which scattered ranges it reads next lets the disk fetch them together instead of one at a
    /// time. Only a hint: where it is not taken, the reads later are as they would have been.
    public func willNeed(offset: Int64, length: Int64) {
        _ = posix_fadvise(rawValue, off_t(offset), off_t(length), Int32(POSIX_FADV_WILLNEED))
    }

    /// Linux's `O_DIRECT`, whose value differs per processor family (Swift's Glibc does not show it).
    private static var directFlag: Int32? {
        #if os(Linux) && (arch(x86_64) || arch(i386))
        return 0o40000
        #elseif os(Linux) && (arch(arm64) || arch(arm))
        return 0o200000
        #else
        return nil
        #endif
    }

    /// The file's status (`fstat`).
    public func status() throws(Errno) -> stat {
        var st = stat()
        guard fstat(rawValue, &st) == 0 else { throw .current }
        return st
    }

    /// Makes the file's data (and the metadata needed to read it back) durable (`fdatasync`).
    public func dataSync() throws(Errno) {
        while fdatasync(rawValue) != 0 {
            if errno != EINTR { throw .current }
        }
    }

    /// Makes everything written to the file system that holds this file durable (`syncfs`): a scoped `sync`,
    /// which leaves the machine's other file systems alone.
    public func syncFileSystem() throws(Errno) {
        while syncfs(rawValue) != 0 {
            if errno != EINTR { throw .current }
        }
    }

    /// Closes the descriptor. Not retried on `EINTR`: on Linux the descriptor is released even then, and a retry
    /// could close a descriptor another thread has just opened.
    public func close() throws(Errno) {
        if Glibc.close(rawValue) != 0 && errno != EINTR { throw .current }
    }
}

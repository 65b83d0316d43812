// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// An open file of a mailbox export. It stays open while a message that refers to it waits to be stored, and is
/// closed when the last reference goes.
///
/// A message too large to hold in memory is copied into the store later, from ``path``: `/proc/self/fd/N` opens
/// the very file that was checked when it was opened, whatever happens to its name meanwhile (a mail program
/// renaming it, someone putting a symbolic link in its place).
public final class InputHandle: Sendable {
    /// The file descriptor (read-only, close-on-exec).
    public let fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { _ = Glibc.close(fd) }

    /// A path that opens this same file again.
    public var path: String { "/proc/self/fd/\(fd)" }

    /// The file's status now.
    func status() -> stat? {
        var st = stat()
        return fstat(fd, &st) == 0 ? st : nil
    }
}

/// How the readers take files and folders out of a mailbox export without letting the export choose what the
/// operator's account reads.
///
/// The rule: a path named on the command line is the operator's own choice and is followed if it is a symbolic
/// link (ingest reports that it did). Everything found inside a folder that is walked (a Maildir's folders,
/// `cur/` and `new/`, their files, `dovecot-keywords`, the files and folders of an `.eml` tree) is taken only if it
/// is itself a regular file or folder: a symbolic link is never followed, a FIFO, socket or device is never opened,
/// and each one skipped is reported by name. Files are opened with `O_NOFOLLOW` through folders opened with
/// `O_NOFOLLOW | O_DIRECTORY`, relative to the export's root, so a link put in place between listing and reading
/// is refused too; a file that disappeared meanwhile (a mail program moved it) is skipped with a notice.
enum InputFiles {
    /// What an entry of a walked folder is, by `lstat` (never following a link).
    enum Entry: Equatable {
        case file(size: Int64)
        case directory
        case link(target: String)
        case other(String)
        case missing
    }

    /// Looks at `path` without following it.
    static func entry(_ path: String) -> Entry {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file(size: Int64(st.st_size))
        case S_IFDIR: return .directory
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink(path, &buffer, buffer.count - 1)
            return .link(target: n >= 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?")
        default: return .other(typeName(st.st_mode))
        }
    }

    /// The names in the folder at `path` (without `.` and `..`), sorted by their UTF-8 bytes; nil when it cannot be
    /// listed.
    static func names(in path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Opens the folder named on the command line (following a link there: the operator chose it).
    static func openRoot(_ path: String) throws(IngestError) -> InputHandle {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, reason: Errno.currentText) }
        return InputHandle(fd: fd)
    }

    /// Opens a file named on the command line (following a link there: the operator chose it). It must be a
    /// regular file.
    static func openNamedFile(_ path: String) throws(IngestError) -> (InputHandle, stat) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(path, reason: Errno.currentText) }
        let handle = InputHandle(fd: fd)
        guard let st = handle.status(), st.st_mode & S_IFMT == S_IFREG else {
            throw .unreadable(path, reason: "it is not a regular file")
        }
        return (handle, st)
    }

    /// Why an entry of a walked folder was not read.
    enum Skip: Error, Equatable {
        /// It is a symbolic link.
        case link(target: String)
        /// It is not a regular file (FIFO, socket, device, folder).
        case notRegular(String)
        /// It was there when the folder was listed and is gone now.
        case vanished
        /// It (or a folder on its way) was replaced by a link or another kind of file after the folder was listed.
        case replaced

        /// The notice for `path`, worded for a records manager.
        func notice(_ path: String) -> String {
            switch self {
            case .link(let target):
                return "\(path): skipped, it is a symbolic link (to \(target)); links inside a mailbox export are never followed"
            case .notRegular(let kind):
                return "\(path): skipped, it is \(kind), not a regular file"
            case .vanished:
                return "\(path): skipped, it disappeared between listing and reading (moved by a mail program?); "
                    + "run the same ingest again to take it from its new place"
            case .replaced:
                return "\(path): skipped, it or its folder was replaced by a symbolic link or another kind of file while the "
                    + "export was read; links inside a mailbox export are never followed"
            }
        }
    }

    /// Opens the regular file at `components` below `root` without following any link on the way. Throws
    /// ``Skip`` for what is skipped with a notice, and `IngestError` (inside ``Failure``) for a file that is there
    /// but cannot be read (permissions, I/O), which stops the run.
    static func openFile(below root: InputHandle, _ components: [String], path: String) throws(Failure) -> (InputHandle, stat) {
        var dir = root
        for name in components.dropLast() {
            let fd = openat(dir.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw Failure(errno: errno, path: path) }
            dir = InputHandle(fd: fd)
        }
        let fd = openat(dir.fd, components.last ?? ".", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(errno: errno, path: path) }
        let handle = InputHandle(fd: fd)
        guard let st = handle.status() else { throw Failure(errno: errno, path: path) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .skip(.notRegular(typeName(st.st_mode))) }
        return (handle, st)
    }

    /// A file of a walked folder that was not read: skipped with a notice, or an error that stops the run.
    enum Failure: Error {
        case skip(Skip)
        case error(IngestError)

        init(errno code: Int32, path: String) {
            switch code {
            case ENOENT: self = .skip(.vanished)
            // O_NOFOLLOW on a link gives ELOOP; O_DIRECTORY | O_NOFOLLOW on a link to a folder gives ENOTDIR.
            case ELOOP, ENOTDIR: self = .skip(.replaced)
            case ENXIO: self = .skip(.notRegular("a socket"))
            default: self = .error(.unreadable(path, reason: Errno.text(code)))
            }
        }
    }

    /// The content of the open regular file `handle` of `size` bytes: read into memory up to `inMemoryLimit`
    /// bytes, else referred to through the handle (which then travels with the message).
    static func content(of handle: InputHandle, size: Int64, path: String,
                        inMemoryLimit: Int) throws(IngestError) -> (RawMessage.Content, InputHandle?) {
        if size > Int64(inMemoryLimit) { return (.file(FileRange(path: path, offset: 0, length: size)), handle) }
        var data = Data(count: Int(size))
        let read = data.withUnsafeMutableBytes { buffer in
            Result { () throws(Errno) in try FileDescriptor(rawValue: handle.fd).readFully(into: buffer, at: 0) }
        }
        let done: Int
        switch read {
        case .success(let count): done = count
        case .failure(let error): throw .unreadable(path, reason: error.description)
        }
        // A file that shrank between fstat and read (it should not: a message file is never rewritten) keeps what
        // it holds now; one that grew is read as it was when opened.
        if done < data.count { data.removeSubrange(done...) }
        return (.bytes(data), nil)
    }

    /// A word for a file type, for notices.
    static func typeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// What kind of file system object a path names; used to say what an input is when it is not what was expected.
enum FileKind: Sendable, Equatable {
    case regular, directory, symlink, fifo, characterDevice, blockDevice, socket, unknown

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socket
        default: self = .unknown
        }
    }

    /// English, with an article ("a named pipe (FIFO)"), for error messages of the command line.
    var english: String {
        switch self {
        case .regular: return "a regular file"
        case .directory: return "a folder"
        case .symlink: return "a symbolic link"
        case .fifo: return "a named pipe (FIFO)"
        case .characterDevice: return "a character device (such as /dev/zero)"
        case .blockDevice: return "a block device (a disk)"
        case .socket: return "a socket"
        case .unknown: return "a special file"
        }
    }

    /// Dutch, with an article, for findings.
    var dutch: String {
        switch self {
        case .regular: return "een gewoon bestand"
        case .directory: return "een map"
        case .symlink: return "een symbolische koppeling"
        case .fifo: return "een named pipe (FIFO)"
        case .characterDevice, .blockDevice: return "een apparaatbestand"
        case .socket: return "een socket"
        case .unknown: return "een speciaal bestand"
        }
    }
}

/// Why an input named on the command line (or a file of a folder package) cannot be read.
enum InputError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missing
    /// The path is a symbolic link whose target does not exist.
    case danglingLink(target: String)
    /// The path exists but is the wrong kind of thing; `expected` says what was wanted ("a regular file").
    case wrongKind(FileKind, expected: String)
    /// The file is larger than the limit for its role.
    case tooLarge(size: Int64, limit: Int64)
    /// The operating system refused (for example: permission denied).
    case system(String)

    var description: String {
        switch self {
        case .missing: return "no such file or folder"
        case .danglingLink(let target): return "it is a symbolic link to \(target), which does not exist"
        case .wrongKind(let kind, let expected):
            return "it is \(kind.english), not \(expected)"
        case .tooLarge(let size, let limit): return "it is \(size) bytes, more than the limit of \(limit) bytes"
        case .system(let reason): return reason
        }
    }

    /// The operating system's wording for `code` (an `errno` value).
    static func posix(_ code: Int32) -> InputError { .system(Errno.text(code)) }
}

/// Opens inputs without ever blocking or following a trap: the file type is checked on the open descriptor, and
/// the open itself uses `O_NONBLOCK`, so a named pipe without a writer (or a device) is refused instead of hanging.
enum InputFile {
    /// What `path` is, following symbolic links (a dangling link is an error that names its target).
    static func kind(of path: String) throws(InputError) -> FileKind {
        var info = stat()
        if stat(path, &info) == 0 { return FileKind(mode: info.st_mode) }
        let code = errno
        var link = stat()
        if code == ENOENT, lstat(path, &link) == 0, FileKind(mode: link.st_mode) == .symlink {
            throw .danglingLink(target: linkTarget(path) ?? "?")
        }
        throw code == ENOENT ? .missing : .posix(code)
    }

    /// Where the symbolic link `path` points, as written in the link.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A read-only descriptor for `path`, which must be a regular file; with `followLinks: false` a symbolic link
    /// is refused too (used for the files of a folder package, which were listed with `lstat`).
    static func openRegular(_ path: String, followLinks: Bool = true) throws(InputError) -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP && !followLinks { throw .wrongKind(.symlink, expected: "a regular file") }
            if code == ENOENT { _ = try kind(of: path) }  // names a dangling link
            throw code == ENOENT ? .missing : .posix(code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .posix(code)
        }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else {
            close(fd)
            throw .wrongKind(kind, expected: "a regular file")
        }
        // Regular files never block; clear the flag anyway so that reads behave normally.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// The whole content of the regular file `path`, refused (before reading) when larger than `limit` bytes.
    static func read(_ path: String, limit: Int64) throws(InputError) -> Data {
        let fd = try openRegular(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .posix(errno) }
        guard Int64(info.st_size) <= limit else { throw .tooLarge(size: Int64(info.st_size), limit: limit) }
        var data = Data()
        do {
            try readFD(fd, limit: nil, sizeHint: Int64(info.st_size)) { bytes in
                guard Int64(data.count + bytes.count) <= limit else {
                    throw InputError.tooLarge(size: Int64(data.count + bytes.count), limit: limit)
                }
                data.append(contentsOf: bytes)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw .system("\(error)")
        }
        return data
    }
}

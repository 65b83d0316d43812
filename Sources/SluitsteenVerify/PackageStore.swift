// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// One entry of a package container: its `/`-separated path relative to the container root, kind and size.
struct PackageEntry: Sendable {
    enum Kind: Sendable, Equatable { case file, directory, other(String) }
    var path: String
    var kind: Kind
    var size: Int64
    /// Where the bytes start (tar: byte offset of the content); unused for folders and zips.
    var offset: Int64 = 0
}

/// Reads the bytes of entries; one per worker thread (not shared between threads).
protocol EntryReader {
    /// Streams the entry's bytes to `body` in blocks.
    func read(_ entry: PackageEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

extension EntryReader {
    /// The whole entry, refused when larger than `limit` (by its listed size, and again while reading, so an entry
    /// that turns out larger than listed never grows the buffer past the limit).
    func readAll(_ entry: PackageEntry, limit: Int64) throws -> Data {
        guard entry.size <= limit else { throw StoreError("\(entry.path) is \(entry.size) bytes, over \(limit)") }
        var data = Data()
        data.reserveCapacity(Int(entry.size))
        try read(entry) { bytes in
            guard Int64(data.count + bytes.count) <= limit else {
                throw StoreError("\(entry.path) is larger than \(limit) bytes")
            }
            data.append(contentsOf: bytes)
        }
        return data
    }
}

struct StoreError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A member of a tar or zip that is left out of the package tree, and why (Dutch, for the finding).
struct MemberProblem: Sendable, Equatable {
    /// The member's name as stored in the container.
    let name: String
    let reason: String
}

/// A package container: a folder, a tar or a zip, listed one folder at a time; bytes read on demand by
/// per-thread readers. The package is never listed as a whole, and a folder is read one part at a time
/// (``listing(of:)``); a tar's or zip's members, and a wide folder of a folder package, are sorted on disk
/// (``MemberTable``), so that memory does not grow with the number of files.
protocol PackageStore: Sendable {
    /// `folder`, `tar` or `zip`.
    var kind: String { get }
    /// The direct children of `folder` (`""` is the container root), in walk order (``PackageStores/walkSort(_:)``);
    /// empty when the folder does not exist.
    func children(of folder: String) throws -> [PackageEntry]
    /// The same children, read one at a time, so that a wide folder is never held whole.
    func listing(of folder: String) throws -> FolderListing
    func makeReader() throws -> any EntryReader
    /// Members of a tar or zip whose names cannot be placed in the package (absolute, `..`, duplicate ...).
    var problems: [MemberProblem] { get }
}

extension PackageStore {
    var problems: [MemberProblem] { [] }
    func listing(of folder: String) throws -> FolderListing { FolderListing(try children(of: folder)) }
}

/// The children of one folder in walk order, read one at a time: from a list, or from a ``MemberTable``.
struct FolderListing {
    private var entries: [PackageEntry]
    private var index = 0
    private let table: MemberTable?
    private var cursor: MemberTable.Cursor?
    private var lookahead: PackageEntry?

    init(_ entries: [PackageEntry]) {
        self.entries = entries
        self.table = nil
    }

    init(table: MemberTable, folder: String) throws {
        self.entries = []
        self.table = table
        self.cursor = try table.cursor(folder)
    }

    mutating func next() throws -> PackageEntry? {
        if let entry = lookahead {
            lookahead = nil
            return entry
        }
        if cursor != nil { return try cursor!.next() }
        guard index < entries.count else { return nil }
        defer { index += 1 }
        return entries[index]
    }

    /// Up to `count` next children, and whether more follow.
    mutating func take(_ count: Int) throws -> (entries: [PackageEntry], more: Bool) {
        if cursor == nil && index == 0 && entries.count <= count {
            index = entries.count
            return (entries, false)
        }
        var part: [PackageEntry] = []
        while part.count < count, let entry = try next() { part.append(entry) }
        lookahead = try next()
        return (part, lookahead != nil)
    }
}

enum PackageStores {
    /// Folders deeper than this are not read: the NA's 255-character path limit cannot be met below it, and a
    /// deeper tree only multiplies findings (a 5,000-level tar made a 51 MB report).
    static let maxDepth = 128

    /// Opens `url` as a folder, tar or zip, judged by what it is (not only by its name). A named pipe, a device or
    /// a socket is refused without being opened for a blocking read.
    static func open(_ url: URL, wideFolder: Int = FolderStore.wide) throws(VerifyError) -> any PackageStore {
        let kind: FileKind
        do { kind = try InputFile.kind(of: url.path) } catch { throw .unreadable(path: url.path, reason: error.description) }
        do {
            switch kind {
            case .directory:
                return try FolderStore(root: url, wide: wideFolder)
            case .regular:
                let fd = try InputFile.openRegular(url.path)
                defer { close(fd) }
                var head = [UInt8](repeating: 0, count: 512)
                let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
                head = Array(head.prefix(max(0, n)))
                if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
                    return try ZipStore(url: url)
                }
                if head.count == 512 || url.pathExtension.lowercased() == "tar" { return try TarStore(url: url) }
                throw StoreError("not a folder, tar or zip file")
            default:
                throw InputError.wrongKind(kind, expected: "a package (a folder, a .tar or a .zip file)")
            }
        } catch let error as VerifyError {
            throw error
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
    }

    /// Where a tar or zip member goes in the package tree.
    enum MemberPath: Equatable {
        /// The container root itself (`.` or `./`).
        case root
        /// The `/`-separated path without leading `./` or trailing `/`.
        case path(String)
        /// Not placed: why (Dutch).
        case refused(String)
    }

    /// Judges a stored member name: an absolute name, `..`, an empty or `.` step, or more than ``maxDepth`` levels
    /// keep the member out of the package tree (unpacking it would write outside the package, or somewhere else
    /// than where the verifier looked).
    static func memberPath(_ raw: String) -> MemberPath {
        if raw.isEmpty { return .refused("de naam is leeg") }
        if raw.hasPrefix("/") {
            return .refused("de naam is een absoluut pad (begint met '/'); uitpakken zou buiten het pakket schrijven")
        }
        var path = Substring(raw)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        if path.hasSuffix("/") { path = path.dropLast() }
        if path.isEmpty || path == "." { return .root }
        let steps = path.split(separator: "/", omittingEmptySubsequences: false)
        if steps.contains("..") {
            return .refused("de naam bevat '..'; uitpakken zou buiten het pakket kunnen schrijven")
        }
        if steps.contains("") || steps.contains(".") {
            return .refused("de naam bevat een lege of '.'-stap ('//' of '/./'), zodat niet eenduidig is waar het hoort")
        }
        if steps.count > maxDepth {
            return .refused("het ligt \(steps.count) niveaus diep; meer dan \(maxDepth) niveaus wordt niet gelezen")
        }
        return .path(String(path))
    }

    /// Sorts the children of one folder so that a depth-first walk visits files in the byte order of their full
    /// paths (the order of the package hash): a folder sorts as its name followed by `/`, because every path
    /// below it continues with `/` (so `a.txt` comes before the folder `a`'s content, `a/b`).
    static func walkSort(_ entries: inout [PackageEntry]) {
        func key(_ e: PackageEntry) -> [UInt8] {
            var bytes = Array(e.path.utf8)
            if e.kind == .directory { bytes.append(0x2F) }
            return bytes
        }
        let keyed = entries.map { (key($0), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        entries = keyed.map(\.1)
    }
}

// MARK: - Folder

struct FolderStore: PackageStore {
    let root: URL
    let wide: Int
    var kind: String { "folder" }

    init(root: URL, wide: Int = Self.wide) throws {
        self.root = root.standardizedFileURL
        self.wide = wide
    }

    /// A folder with more entries than this is sorted through a ``MemberTable`` (on disk), not in memory.
    static let wide = 8192

    func children(of relative: String) throws -> [PackageEntry] {
        var listing = try self.listing(of: relative)
        var list: [PackageEntry] = []
        while let entry = try listing.next() { list.append(entry) }
        return list
    }

    /// Lists one folder with readdir and lstat (symbolic links are reported, never followed).
    func listing(of relative: String) throws -> FolderListing {
        let path = relative.isEmpty ? root.path : root.path + "/" + relative
        guard let dir = opendir(path) else {
            if errno == ENOENT && !relative.isEmpty { return FolderListing([]) }
            throw StoreError("\(relative.isEmpty ? path : relative): \(Errno.currentText)")
        }
        defer { closedir(dir) }
        var list: [PackageEntry] = []
        var table: MemberTable?
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = path + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0 else { throw StoreError("\(rel): \(Errno.currentText)") }
            switch info.st_mode & S_IFMT {
            case S_IFREG: list.append(PackageEntry(path: rel, kind: .file, size: Int64(info.st_size)))
            case S_IFDIR: list.append(PackageEntry(path: rel, kind: .directory, size: 0))
            case S_IFLNK: list.append(PackageEntry(path: rel, kind: .other("symbolische koppeling"), size: 0))
            case S_IFIFO: list.append(PackageEntry(path: rel, kind: .other("named pipe (FIFO)"), size: 0))
            case S_IFCHR, S_IFBLK: list.append(PackageEntry(path: rel, kind: .other("apparaatbestand"), size: 0))
            default: list.append(PackageEntry(path: rel, kind: .other("speciaal bestand"), size: 0))
            }
            if list.count >= max(1, wide) {
                if table == nil { table = MemberTable(tree: false) }
                for e in list { try table!.append(path: e.path, kind: e.kind, size: e.size) }
                list.removeAll(keepingCapacity: true)
            }
        }
        if let table {
            for e in list { try table.append(path: e.path, kind: e.kind, size: e.size) }
            var ignored: [MemberProblem] = []
            try table.finish(container: "folder", problems: &ignored)
            return try FolderListing(table: table, folder: relative)
        }
        PackageStores.walkSort(&list)
        return FolderListing(list)
    }

    func makeReader() throws -> any EntryReader { Reader(root: root.path) }

    struct Reader: EntryReader {
        let root: String
        /// Opens the file without following a link or blocking on a pipe: it was listed as a regular file, and
        /// anything else now (swapped while verifying) is refused.
        func read(_ entry: PackageEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            let fd = try InputFile.openRegular(root + "/" + entry.path, followLinks: false)
            defer { close(fd) }
            try readFD(fd, limit: nil, sizeHint: entry.size, body)
        }
    }
}

/// Reads up to `limit` bytes (all when nil) from `fd` in 1 MiB blocks.
func readFD(_ fd: Int32, limit: Int64?, sizeHint: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    // Small files get a small buffer (a 1 MiB allocation per file costs more than reading it).
    let blockSize = Int(max(4096, min(Int64(1 << 20), sizeHint + 1)))
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { buffer.deallocate() }
    var remaining = limit ?? Int64.max
    while remaining > 0 {
        let want = Int(min(Int64(blockSize), remaining))
        let n: Int
        do { n = try FileDescriptor(rawValue: fd).read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<want])) } catch {
            throw StoreError(error.description)
        }
        if n == 0 {
            if limit != nil { throw StoreError("unexpected end of file") }
            break
        }
        try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        remaining -= Int64(n)
    }
}

// MARK: - Tar (POSIX ustar, pax and GNU long names)

struct TarStore: PackageStore {
    let url: URL
    /// The tar's entries by parent folder (a tar has no index, so it is listed whole, once, into a sorted temporary
    /// file).
    let table: MemberTable
    let problems: [MemberProblem]
    var kind: String { "tar" }

    func children(of folder: String) throws -> [PackageEntry] { try table.children(of: folder) }
    func listing(of folder: String) throws -> FolderListing { try FolderListing(table: table, folder: folder) }

    init(url: URL) throws {
        self.url = url
        let fd = try InputFile.openRegular(url.path)
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let fileSize = Int64(info.st_size)
        let list = MemberTable()
        var problems: [MemberProblem] = []
        var offset: Int64 = 0
        var pendingPath: [UInt8]?
        var pendingSize: Int64?
        var header = [UInt8](repeating: 0, count: 512)
        var sawEnd = false
        while offset + 512 <= fileSize {
            let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, off_t(offset)) }
            guard n == 512 else { throw StoreError("truncated tar header at byte \(offset)") }
            offset += 512
            if header.allSatisfy({ $0 == 0 }) { sawEnd = true; break }
            guard Self.checksumOK(header) else { throw StoreError("damaged tar header at byte \(offset - 512)") }
            let type = header[156]
            var size = try Self.number(header[124..<136])
            if let s = pendingSize { size = s }
            guard size >= 0, size <= fileSize - offset else {
                throw StoreError("the tar is truncated: an entry needs \(size) bytes at byte \(offset), "
                    + "but the file ends at \(fileSize)")
            }
            let padded = (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "x"):  // pax extended header for the next entry
                let data = try Self.readBytes(fd, offset, Int(size))
                let (p, s) = Self.parsePax(data)
                pendingPath = p ?? pendingPath
                pendingSize = s
                offset += padded
                continue
            case UInt8(ascii: "g"), UInt8(ascii: "K"):  // global pax header, GNU long link target: not needed
                offset += padded
                continue
            case UInt8(ascii: "L"):  // GNU long name
                let data = try Self.readBytes(fd, offset, Int(size))
                pendingPath = Array(data.prefix { $0 != 0 })
                offset += padded
                continue
            default:
                break
            }
            let rawPath = pendingPath ?? Self.headerPath(header)
            pendingPath = nil
            pendingSize = nil
            defer { offset += padded }
            guard let name = String(validating: rawPath, as: UTF8.self) else {
                problems.append(MemberProblem(name: String(decoding: rawPath, as: UTF8.self),
                    reason: "de naam is geen geldige UTF-8"))
                continue
            }
            let path: String
            switch PackageStores.memberPath(name) {
            case .root: continue
            case .refused(let reason): problems.append(MemberProblem(name: name, reason: reason)); continue
            case .path(let p): path = p
            }
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                try list.append(path: path, kind: .file, size: size, offset: offset)
            case UInt8(ascii: "5"):
                try list.append(path: path, kind: .directory)
            case UInt8(ascii: "1"):
                try list.append(path: path, kind: .other("harde koppeling"))
            case UInt8(ascii: "2"):
                try list.append(path: path, kind: .other("symbolische koppeling"))
            case UInt8(ascii: "3"), UInt8(ascii: "4"):
                try list.append(path: path, kind: .other("apparaatbestand"))
            case UInt8(ascii: "6"):
                try list.append(path: path, kind: .other("named pipe (FIFO)"))
            default:
                try list.append(path: path, kind: .other("speciaal bestand"))
            }
        }
        guard sawEnd else {
            throw StoreError("the tar is truncated: it ends at byte \(fileSize) without the end-of-archive blocks")
        }
        try list.finish(container: "tar", problems: &problems)
        self.table = list
        self.problems = problems
    }

    func makeReader() throws -> any EntryReader {
        Reader(descriptor: Descriptor(try InputFile.openRegular(url.path)))
    }

    struct Reader: EntryReader {
        let descriptor: Descriptor
        func read(_ entry: PackageEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            guard lseek(descriptor.fd, off_t(entry.offset), SEEK_SET) >= 0 else { throw StoreError("seek failed") }
            try readFD(descriptor.fd, limit: entry.size, sizeHint: entry.size, body)
        }
    }

    private static func readBytes(_ fd: Int32, _ offset: Int64, _ count: Int) throws -> [UInt8] {
        guard count <= 1 << 20 else { throw StoreError("tar extension header too large") }
        var data = [UInt8](repeating: 0, count: count)
        let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard n == count else { throw StoreError("truncated tar extension header") }
        return data
    }

    private static func checksumOK(_ h: [UInt8]) -> Bool {
        guard let stored = try? number(h[148..<156]) else { return false }
        var sum: Int64 = 0
        for (i, b) in h.enumerated() { sum += (148..<156).contains(i) ? 32 : Int64(b) }
        return sum == stored
    }

    private static func number(_ field: ArraySlice<UInt8>) throws -> Int64 {
        if let first = field.first, first & 0x80 != 0 {  // GNU base-256
            var v: Int64 = Int64(first & 0x7f)
            for b in field.dropFirst() { v = (v << 8) | Int64(b) }
            return v
        }
        let text = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self).xmlTrimmed
        if text.isEmpty { return 0 }
        guard let v = Int64(text, radix: 8) else { throw StoreError("bad number in tar header") }
        return v
    }

    private static func headerPath(_ h: [UInt8]) -> [UInt8] {
        let name = Array(h[0..<100].prefix { $0 != 0 })
        let isUstar = h[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? Array(h[345..<500].prefix { $0 != 0 }) : []
        return prefix.isEmpty ? name : prefix + [0x2F] + name
    }

    private static func parsePax(_ data: [UInt8]) -> ([UInt8]?, Int64?) {
        var path: [UInt8]?
        var size: Int64?
        var i = 0
        while i < data.count {
            guard let space = data[i...].firstIndex(of: 0x20),
                let length = Int(String(decoding: data[i..<space], as: UTF8.self)), length > 0, i + length <= data.count
            else { break }
            let record = data[(space + 1)..<(i + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[..<eq], as: UTF8.self)
                let value = Array(record[(eq + 1)...])
                if key == "path" { path = value }
                if key == "size" { size = Int64(String(decoding: value, as: UTF8.self)) }
            }
            i += length
        }
        return (path, size)
    }
}

/// An open file descriptor, closed when the last reader that uses it goes away.
final class Descriptor {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import ZIPFoundation

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
    /// The whole entry, refused when larger than `limit`.
    func readAll(_ entry: PackageEntry, limit: Int64) throws -> Data {
        guard entry.size <= limit else { throw StoreError("\(entry.path) is \(entry.size) bytes, over \(limit)") }
        var data = Data()
        data.reserveCapacity(Int(entry.size))
        try read(entry) { data.append(contentsOf: $0) }
        return data
    }
}

struct StoreError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A package container: a folder, a tar or a zip, listed one folder at a time; bytes read on demand by
/// per-thread readers. A folder is never listed as a whole, so memory depends on the widest folder, not on
/// the size of the package.
protocol PackageStore: Sendable {
    /// `folder`, `tar` or `zip`.
    var kind: String { get }
    /// The direct children of `folder` (`""` is the container root), in walk order (``PackageStores/walkSort(_:)``);
    /// empty when the folder does not exist.
    func children(of folder: String) throws -> [PackageEntry]
    func makeReader() throws -> any EntryReader
}

enum PackageStores {
    /// Opens `url` as a folder, tar or zip, judged by what it is (not only by its name).
    static func open(_ url: URL) throws(VerifyError) -> any PackageStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .unreadable(path: url.path, reason: "no such file or folder")
        }
        do {
            if isDirectory.boolValue { return try FolderStore(root: url) }
            let handle = try FileHandle(forReadingFrom: url)
            let head = try handle.read(upToCount: 512) ?? Data()
            try? handle.close()
            if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
                return try ZipStore(url: url)
            }
            if head.count == 512 || url.pathExtension.lowercased() == "tar" { return try TarStore(url: url) }
            throw StoreError("not a folder, tar or zip file")
        } catch let error as VerifyError {
            throw error
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
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

    /// Groups a complete entry list (tar, zip) by parent folder, adding folders that appear only in paths.
    static func treeIndex(_ list: [PackageEntry]) -> [String: [PackageEntry]] {
        var index: [String: [PackageEntry]] = [:]
        var folders = Set<String>()
        for entry in list where entry.kind == .directory { folders.insert(entry.path) }
        for entry in list {
            index[parent(of: entry.path), default: []].append(entry)
            var folder = parent(of: entry.path)
            while !folder.isEmpty, folders.insert(folder).inserted {
                index[parent(of: folder), default: []].append(PackageEntry(path: folder, kind: .directory, size: 0))
                folder = parent(of: folder)
            }
        }
        for key in Array(index.keys) { walkSort(&index[key]!) }
        return index
    }

    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "" }
        return String(path[..<slash])
    }
}

// MARK: - Folder

struct FolderStore: PackageStore {
    let root: URL
    var kind: String { "folder" }

    init(root: URL) throws {
        self.root = root.standardizedFileURL
    }

    /// Lists one folder with readdir and lstat (symbolic links are reported, never followed).
    func children(of relative: String) throws -> [PackageEntry] {
        let path = relative.isEmpty ? root.path : root.path + "/" + relative
        guard let dir = opendir(path) else {
            if errno == ENOENT && !relative.isEmpty { return [] }
            throw StoreError("\(relative.isEmpty ? path : relative): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var list: [PackageEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = path + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0 else { throw StoreError("\(rel): \(String(cString: strerror(errno)))") }
            switch info.st_mode & S_IFMT {
            case S_IFREG: list.append(PackageEntry(path: rel, kind: .file, size: Int64(info.st_size)))
            case S_IFDIR: list.append(PackageEntry(path: rel, kind: .directory, size: 0))
            case S_IFLNK: list.append(PackageEntry(path: rel, kind: .other("symbolische koppeling"), size: 0))
            default: list.append(PackageEntry(path: rel, kind: .other("speciaal bestand"), size: 0))
            }
        }
        PackageStores.walkSort(&list)
        return list
    }

    func makeReader() throws -> any EntryReader { Reader(root: root.path) }

    struct Reader: EntryReader {
        let root: String
        func read(_ entry: PackageEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            let fd = Foundation.open(root + "/" + entry.path, O_RDONLY)
            guard fd >= 0 else { throw StoreError("\(entry.path): \(String(cString: strerror(errno)))") }
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
        let n = Foundation.read(fd, buffer.baseAddress, want)
        if n < 0 {
            if errno == EINTR { continue }
            throw StoreError(String(cString: strerror(errno)))
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
    /// The tar's entries by parent folder (a tar has no index, so it is listed whole, once).
    let index: [String: [PackageEntry]]
    var kind: String { "tar" }

    func children(of folder: String) throws -> [PackageEntry] { index[folder] ?? [] }

    init(url: URL) throws {
        self.url = url
        let fd = Foundation.open(url.path, O_RDONLY)
        guard fd >= 0 else { throw StoreError(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let fileSize = Int64(info.st_size)
        var list: [PackageEntry] = []
        var offset: Int64 = 0
        var pendingPath: String?
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
            guard size >= 0, offset + size <= fileSize else {
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
            case UInt8(ascii: "g"):  // global pax header: nothing we need
                offset += padded
                continue
            case UInt8(ascii: "L"):  // GNU long name
                let data = try Self.readBytes(fd, offset, Int(size))
                pendingPath = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                offset += padded
                continue
            default:
                break
            }
            var path = pendingPath ?? Self.headerPath(header)
            pendingPath = nil
            pendingSize = nil
            while path.hasPrefix("./") { path.removeFirst(2) }
            if path.hasSuffix("/") { path.removeLast() }
            if !path.isEmpty && path != "." {
                switch type {
                case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                    list.append(PackageEntry(path: path, kind: .file, size: size, offset: offset))
                case UInt8(ascii: "5"):
                    list.append(PackageEntry(path: path, kind: .directory, size: 0))
                case UInt8(ascii: "1"), UInt8(ascii: "2"):
                    list.append(PackageEntry(path: path, kind: .other("koppeling"), size: 0))
                default:
                    list.append(PackageEntry(path: path, kind: .other("speciaal bestand"), size: 0))
                }
            }
            offset += padded
        }
        guard sawEnd else {
            throw StoreError("the tar is truncated: it ends at byte \(fileSize) without the end-of-archive blocks")
        }
        self.index = PackageStores.treeIndex(list)
    }

    func makeReader() throws -> any EntryReader {
        let fd = Foundation.open(url.path, O_RDONLY)
        guard fd >= 0 else { throw StoreError(String(cString: strerror(errno))) }
        return Reader(descriptor: Descriptor(fd))
    }

    final class Descriptor {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { close(fd) }
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

    private static func headerPath(_ h: [UInt8]) -> String {
        let name = String(decoding: h[0..<100].prefix { $0 != 0 }, as: UTF8.self)
        let isUstar = h[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? String(decoding: h[345..<500].prefix { $0 != 0 }, as: UTF8.self) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    private static func parsePax(_ data: [UInt8]) -> (String?, Int64?) {
        var path: String?
        var size: Int64?
        var i = 0
        while i < data.count {
            guard let space = data[i...].firstIndex(of: 0x20),
                let length = Int(String(decoding: data[i..<space], as: UTF8.self)), length > 0, i + length <= data.count
            else { break }
            let record = data[(space + 1)..<(i + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[..<eq], as: UTF8.self)
                let value = String(decoding: record[(eq + 1)...], as: UTF8.self)
                if key == "path" { path = value }
                if key == "size" { size = Int64(value) }
            }
            i += length
        }
        return (path, size)
    }
}

// MARK: - Zip

struct ZipStore: PackageStore {
    let url: URL
    /// The zip's entries by parent folder (from its central directory).
    let index: [String: [PackageEntry]]
    var kind: String { "zip" }

    func children(of folder: String) throws -> [PackageEntry] { index[folder] ?? [] }

    init(url: URL) throws {
        self.url = url
        let archive = try Archive(url: url, accessMode: .read)
        var list: [PackageEntry] = []
        for entry in archive {
            var path = entry.path
            while path.hasPrefix("./") { path.removeFirst(2) }
            if path.hasSuffix("/") { path.removeLast() }
            guard !path.isEmpty else { continue }
            switch entry.type {
            case .file: list.append(PackageEntry(path: path, kind: .file, size: Int64(entry.uncompressedSize)))
            case .directory: list.append(PackageEntry(path: path, kind: .directory, size: 0))
            case .symlink: list.append(PackageEntry(path: path, kind: .other("symbolische koppeling"), size: 0))
            }
        }
        self.index = PackageStores.treeIndex(list)
    }

    func makeReader() throws -> any EntryReader {
        let archive = try Archive(url: url, accessMode: .read)
        var index: [String: Entry] = [:]
        for entry in archive {
            var path = entry.path
            while path.hasPrefix("./") { path.removeFirst(2) }
            if path.hasSuffix("/") { path.removeLast() }
            index[path] = entry
        }
        return Reader(archive: archive, index: index)
    }

    struct Reader: EntryReader {
        let archive: Archive
        let index: [String: Entry]
        func read(_ entry: PackageEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            guard let zipEntry = index[entry.path] else { throw StoreError("\(entry.path) not in the zip") }
            _ = try archive.extract(zipEntry, bufferSize: 1 << 20, skipCRC32: false) { data in
                try data.withUnsafeBytes { try body($0) }
            }
        }
    }
}

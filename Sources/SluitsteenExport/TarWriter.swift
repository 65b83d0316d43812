// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a POSIX tar (ustar, with a pax extended header for paths that do not fit ustar's name fields), with
/// deterministic metadata: one modification time, owner and group 0 without names, modes 0644 / 0755. Every entry
/// lies in one top-level folder `root` (the package id), so that unpacking gives one folder named after the package.
enum TarWriter {
    static func pack(folder: URL, into file: URL, root: String, mtime: Int64) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw ExportError.cannotWrite(file.path, reason: "cannot create the tar file")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var pending = Data()
        // A write that fails (a full disk) is a failure to write the tar, named as such, not a failure to read.
        func flush() throws {
            do { try handle.write(contentsOf: pending) } catch {
                throw ExportError.cannotWrite(file.path, reason: PackageFiles.writeFailure(error))
            }
            pending.removeAll(keepingCapacity: true)
        }
        func emit(_ d: Data) throws {
            pending.append(d)
            if pending.count >= 1 << 20 { try flush() }
        }
        try emit(header(path: root + "/", size: 0, directory: true, mtime: mtime))
        for entry in try FolderWalk.entries(folder) {
            let path = root + "/" + (entry.isDirectory ? entry.rel + "/" : entry.rel)
            try emit(header(path: path, size: entry.isDirectory ? 0 : entry.size, directory: entry.isDirectory, mtime: mtime))
            if !entry.isDirectory {
                let source = try FileHandle(forReadingFrom: folder.appendingPathComponent(entry.rel))
                defer { try? source.close() }
                var written: Int64 = 0
                while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try emit(chunk)
                    written += Int64(chunk.count)
                }
                guard written == entry.size else {
                    throw ExportError.cannotWrite(file.path, reason: "\(entry.rel) changed while it was packed")
                }
                let padding = Int((512 - entry.size % 512) % 512)
                if padding > 0 { try emit(Data(count: padding)) }
            }
        }
        try emit(Data(count: 1024))
        try flush()
        do { try handle.synchronize() } catch { throw ExportError.cannotWrite(file.path, reason: PackageFiles.writeFailure(error)) }
    }

    /// The header block(s) for one entry: a pax `x` header first when the path does not fit ustar.
    static func header(path: String, size: Int64, directory: Bool, mtime: Int64) -> Data {
        let bytes = Array(path.utf8)
        var name = bytes
        var prefix: [UInt8] = []
        var out = Data()
        if bytes.count > 100 {
            // Split at a '/' so that prefix ≤ 155 and name ≤ 100.
            var split: Int? = nil
            for i in stride(from: min(bytes.count - 1, 155), through: 1, by: -1) where bytes[i] == UInt8(ascii: "/") {
                if bytes.count - i - 1 <= 100 && bytes.count - i - 1 > 0 { split = i; break }
            }
            if let split {
                prefix = Array(bytes[..<split])
                name = Array(bytes[(split + 1)...])
            } else {
                var record = " path=" + path + "\n"
                var length = record.utf8.count
                while String(length).utf8.count + record.utf8.count != length { length = String(length).utf8.count + record.utf8.count }
                record = String(length) + record
                let body = Data(record.utf8)
                out.append(block(name: Array("PaxHeaders/entry".utf8), prefix: [], size: Int64(body.count), type: UInt8(ascii: "x"),
                                 mode: 0o644, mtime: mtime))
                out.append(body)
                out.append(Data(count: (512 - body.count % 512) % 512))
                name = Array(bytes.suffix(100))
                prefix = []
            }
        }
        out.append(block(name: name, prefix: prefix, size: size, type: directory ? UInt8(ascii: "5") : UInt8(ascii: "0"),
                         mode: directory ? 0o755 : 0o644, mtime: mtime))
        return out
    }

    private static func block(name: [UInt8], prefix: [UInt8], size: Int64, type: UInt8, mode: Int, mtime: Int64) -> Data {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], _ at: Int, _ len: Int) { for (i, b) in bytes.prefix(len).enumerated() { h[at + i] = b } }
        func octal(_ v: Int64, _ at: Int, _ len: Int) { put(Array(String(format: "%0\(len - 1)llo", v).utf8), at, len - 1) }
        put(name, 0, 100)
        octal(Int64(mode), 100, 8)
        octal(0, 108, 8)
        octal(0, 116, 8)
        octal(size, 124, 12)
        octal(mtime, 136, 12)
        for i in 148..<156 { h[i] = 0x20 }
        h[156] = type
        put(Array("ustar".utf8) + [0], 257, 6)
        put(Array("00".utf8), 263, 2)
        octal(0, 329, 8)
        octal(0, 337, 8)
        put(prefix, 345, 155)
        let sum = h.reduce(0) { $0 + Int($1) }
        put(Array(String(format: "%06o", sum).utf8) + [0, 0x20], 148, 8)
        return Data(h)
    }
}

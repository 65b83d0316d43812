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
        let out: FileDescriptor
        do { out = try FileDescriptor.open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o644) } catch {
            throw ExportError.cannotWrite(file.path, reason: "cannot create the tar file (\(error))")
        }
        defer { try? out.close() }
        // One buffer for the whole tar: headers and file contents are read into it and it is written when full.
        let capacity = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 4096)
        defer { buffer.deallocate() }
        var fill = 0
        // A write that fails (a full disk) is a failure to write the tar, named as such, not a failure to read.
        func flush() throws {
            do { try out.writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<fill])) } catch {
                throw ExportError.cannotWrite(file.path, reason: PackageFiles.writeFailure(error))
            }
            fill = 0
        }
        func emit(_ d: Data) throws {
            var at = d.startIndex
            while at < d.endIndex {
                if fill == capacity { try flush() }
                let n = min(capacity - fill, d.endIndex - at)
                d.withUnsafeBytes { raw in
                    let from = raw.baseAddress! + (at - d.startIndex)
                    (buffer.baseAddress! + fill).copyMemory(from: from, byteCount: n)
                }
                fill += n
                at += n
            }
        }
        func zeros(_ count: Int) throws {
            var left = count
            while left > 0 {
                if fill == capacity { try flush() }
                let n = min(capacity - fill, left)
                (buffer.baseAddress! + fill).initializeMemory(as: UInt8.self, repeating: 0, count: n)
                fill += n
                left -= n
            }
        }
        try emit(header(path: root + "/", size: 0, directory: true, mtime: mtime))
        let base = folder.path
        try FolderWalk.visit(base) { rel, isDirectory in
            if isDirectory {
                try emit(header(path: root + "/" + rel + "/", size: 0, directory: true, mtime: mtime))
                return
            }
            let path = base + "/" + rel
            let source: FileDescriptor
            let size: Int64
            do {
                source = try FileDescriptor.open(path, O_RDONLY | O_CLOEXEC)
                size = Int64(try source.status().st_size)
            } catch {
                throw ExportError.cannotWrite(path, reason: "it cannot be read back: \(error)")
            }
            defer { try? source.close() }
            try emit(header(path: root + "/" + rel, size: size, directory: false, mtime: mtime))
            var written: Int64 = 0
            while true {
                if fill == capacity { try flush() }
                let n: Int
                do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[fill..<capacity])) } catch {
                    throw ExportError.cannotWrite(path, reason: "it cannot be read back: \(error)")
                }
                if n == 0 { break }
                fill += n
                written += Int64(n)
                guard written <= size else { break }
            }
            guard written == size else {
                throw ExportError.cannotWrite(file.path, reason: "\(rel) changed while it was packed")
            }
            try zeros(Int((512 - size % 512) % 512))
        }
        try zeros(1024)
        try flush()
        do { try out.dataSync() } catch { throw ExportError.cannotWrite(file.path, reason: PackageFiles.writeFailure(error)) }
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
        func octal(_ v: Int64, _ at: Int, _ len: Int) { put(octalDigits(v, width: len - 1), at, len - 1) }
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
        put(octalDigits(Int64(sum), width: 6) + [0, 0x20], 148, 8)
        return Data(h)
    }

    /// `v` in octal ASCII digits, zero-padded to at least `width` (as `%0*llo` writes it).
    static func octalDigits(_ v: Int64, width: Int) -> [UInt8] {
        var digits: [UInt8] = []
        var rest = UInt64(bitPattern: v)
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest & 7))
            rest >>= 3
        } while rest > 0
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return digits.reversed()
    }
}

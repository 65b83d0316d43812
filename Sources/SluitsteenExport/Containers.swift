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

/// Lists a folder tree deterministically: directories before their contents, names in UTF-8 byte order.
enum FolderWalk {
    static func entries(_ folder: URL) throws -> [(rel: String, isDirectory: Bool, size: Int64)] {
        var out: [(String, Bool, Int64)] = []
        func walk(_ url: URL, _ rel: String) throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
                .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for name in names {
                let child = url.appendingPathComponent(name)
                let childRel = rel.isEmpty ? name : rel + "/" + name
                var info = stat()
                guard lstat(child.path, &info) == 0 else { throw ExportError.cannotWrite(child.path, reason: Errno.currentText) }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    out.append((childRel, true, 0))
                    try walk(child, childRel)
                } else {
                    out.append((childRel, false, Int64(info.st_size)))
                }
            }
        }
        try walk(folder, "")
        return out
    }
}

/// Writes a POSIX tar (ustar, with a pax extended header for paths that do not fit ustar's name fields), with
/// deterministic metadata: one modification time, owner and group 0 without names, modes 0644 / 0755.
enum TarWriter {
    static func pack(folder: URL, into file: URL, mtime: Int64) throws {
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
        for entry in try FolderWalk.entries(folder) {
            let path = entry.isDirectory ? entry.rel + "/" : entry.rel
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
                out.append(block(name: Array("PaxHeaders/entry".utf8), prefix: [], size: Int64(body.count), type: UInt8(ascii: "x"), mode: 0o644, mtime: mtime))
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

/// Packs a folder into a zip with ZIPFoundation (deflate, one fixed modification time).
enum ZipPacking {
    static func pack(folder: URL, into file: URL, date: Date) throws {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .create) } catch {
            throw ExportError.cannotWrite(file.path, reason: "\(error)")
        }
        for entry in try FolderWalk.entries(folder) {
            if entry.isDirectory {
                try archive.addEntry(with: entry.rel + "/", type: .directory, uncompressedSize: Int64(0), modificationDate: date,
                                     permissions: 0o755, provider: { _, _ in Data() })
            } else {
                let source = try FileHandle(forReadingFrom: folder.appendingPathComponent(entry.rel))
                defer { try? source.close() }
                try archive.addEntry(with: entry.rel, type: .file, uncompressedSize: entry.size, modificationDate: date,
                                     permissions: 0o644, compressionMethod: .deflate) { position, size in
                    try source.seek(toOffset: UInt64(position))
                    return try source.read(upToCount: size) ?? Data()
                }
            }
        }
    }
}

/// Wraps the package as a BagIt 1.0 bag (RFC 8493): `bagit.txt`, `bag-info.txt` with Payload-Oxum,
/// `manifest-sha256.txt` over the payload (`data/`), and `tagmanifest-sha256.txt` over the tag files.
enum BagIt {
    static func write(bag: URL, selection: ExportSelection, packageId: String, policy: Policy, now: Date) throws {
        let manifestURL = bag.appendingPathComponent("manifest-sha256.txt")
        guard FileManager.default.createFile(atPath: manifestURL.path, contents: nil) else {
            throw ExportError.cannotWrite(manifestURL.path, reason: "cannot create the file")
        }
        let handle = try FileHandle(forWritingTo: manifestURL)
        defer { try? handle.close() }
        var hasher = StreamingHasher(.sha256)
        var buffer = Data()
        var octets: Int64 = 0
        var count = 0
        try selection.forEachFile { f in
            buffer.append(Data("\(f.sha256)  data/\(escape(f.path))\n".utf8))
            octets += f.size
            count += 1
            if buffer.count >= 1 << 20 {
                hasher.update(buffer)
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(buffer)
        try handle.write(contentsOf: buffer)
        let manifestHash = hasher.finalizeHex()
        let declaration = Data("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)
        let date = String(ISOTimestamp.format(now).prefix(10))
        let info = Data("""
            Source-Organization: \(policy.archiefvormer.name)
            External-Identifier: \(packageId)
            External-Description: MDTO-overdrachtspakket met blijvend te bewaren e-mail
            Bagging-Date: \(date)
            Bag-Software-Agent: Sluitsteen
            Payload-Oxum: \(octets).\(count)

            """.utf8)
        var tags = Data()
        for (name, data) in [("bag-info.txt", info), ("bagit.txt", declaration)] {
            try PackageFiles.write(data, to: bag.appendingPathComponent(name))
            tags.append(Data("\(Digest.hex(data))  \(name)\n".utf8))
        }
        tags.append(Data("\(manifestHash)  manifest-sha256.txt\n".utf8))
        try PackageFiles.write(tags, to: bag.appendingPathComponent("tagmanifest-sha256.txt"))
    }

    /// RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded.
    static func escape(_ path: String) -> String {
        guard path.contains(where: { $0 == "%" || $0 == "\n" || $0 == "\r" }) else { return path }
        return path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A")
            .replacingOccurrences(of: "\r", with: "%0D")
    }
}

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

    /// Visits a folder tree in the order of ``entries(_:)`` without listing it all first (one folder's names at a
    /// time): `body` gets each entry's path relative to `folder` and whether it is a folder.
    static func visit(_ folder: String, _ body: (_ rel: String, _ isDirectory: Bool) throws -> Void) throws {
        func walk(_ path: String, _ rel: String) throws {
            guard let dir = opendir(path) else { throw ExportError.cannotWrite(path, reason: Errno.currentText) }
            var names: [(name: [UInt8], isDirectory: Bool?)] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                let type = entry.pointee.d_type
                names.append((name, type == UInt8(DT_UNKNOWN) ? nil : type == UInt8(DT_DIR)))
            }
            closedir(dir)
            names.sort { $0.name.lexicographicallyPrecedes($1.name) }
            for (bytes, known) in names {
                let name = String(decoding: bytes, as: UTF8.self)
                let child = path + "/" + name
                let childRel = rel.isEmpty ? name : rel + "/" + name
                var isDirectory = known ?? false
                if known == nil {
                    var info = stat()
                    guard lstat(child, &info) == 0 else { throw ExportError.cannotWrite(child, reason: Errno.currentText) }
                    isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
                }
                try body(childRel, isDirectory)
                if isDirectory { try walk(child, childRel) }
            }
        }
        try walk(folder, "")
    }
}

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

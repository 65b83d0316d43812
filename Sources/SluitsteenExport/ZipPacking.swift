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

/// Packs a folder into a zip with ZIPFoundation (deflate, one fixed modification time), every entry in one top-level
/// folder `root` (the package id).
enum ZipPacking {
    static func pack(folder: URL, into file: URL, root: String, date: Date) throws {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .create) } catch {
            throw ExportError.cannotWrite(file.path, reason: "\(error)")
        }
        try archive.addEntry(with: root + "/", type: .directory, uncompressedSize: Int64(0), modificationDate: date,
                             permissions: 0o755, provider: { _, _ in Data() })
        for entry in try FolderWalk.entries(folder) {
            if entry.isDirectory {
                try archive.addEntry(with: root + "/" + entry.rel + "/", type: .directory, uncompressedSize: Int64(0), modificationDate: date,
                                     permissions: 0o755, provider: { _, _ in Data() })
            } else {
                let source = try FileHandle(forReadingFrom: folder.appendingPathComponent(entry.rel))
                defer { try? source.close() }
                try archive.addEntry(with: root + "/" + entry.rel, type: .file, uncompressedSize: entry.size, modificationDate: date,
                                     permissions: 0o644, compressionMethod: .deflate) { position, size in
                    try source.seek(toOffset: UInt64(position))
                    return try source.read(upToCount: size) ?? Data()
                }
            }
        }
    }
}

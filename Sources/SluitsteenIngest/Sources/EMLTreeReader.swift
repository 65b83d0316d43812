// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Reads a directory tree of `.eml` files (or one `.eml` file) in a fixed order: relative paths by byte order.
///
/// The folder recorded for each message is its directory relative to the root (empty for the root itself).
public struct EMLTreeReader: MessageSource {
    private var files: [(url: URL, folder: String, position: Int)] = []
    private var index = 0
    public let expectedBytes: Int64?
    public let notices: [String] = []
    private let inMemoryLimit: Int

    /// Lists the `.eml` files at `url`; files larger than `inMemoryLimit` are not read into memory.
    public init(url: URL, inMemoryLimit: Int = RawMessage.defaultInMemoryLimit) throws(IngestError) {
        self.inMemoryLimit = inMemoryLimit
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { throw .notFound(url.path) }
        if !isDir.boolValue {
            files = [(url, "", 0)]
            expectedBytes = ((try? fm.attributesOfItem(atPath: url.path)[.size]) as? NSNumber)?.int64Value
            return
        }
        guard let walker = fm.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: []) else {
            throw .unreadable(url.path, reason: "the folder cannot be listed")
        }
        var found: [(String, URL, Int64)] = []
        let rootPath = url.standardizedFileURL.path
        for case let f as URL in walker {
            guard f.pathExtension.lowercased() == "eml" else { continue }
            let values = try? f.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values?.isRegularFile == true else { continue }
            var rel = f.standardizedFileURL.path
            if rel.hasPrefix(rootPath + "/") { rel = String(rel.dropFirst(rootPath.count + 1)) }
            found.append((rel, f, Int64(values?.fileSize ?? 0)))
        }
        found.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var positions: [String: Int] = [:]
        for (rel, f, _) in found {
            let folder = (rel as NSString).deletingLastPathComponent
            let p = positions[folder, default: 0]
            positions[folder] = p + 1
            files.append((f, folder, p))
        }
        expectedBytes = found.reduce(0) { $0 + $1.2 }
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        guard index < files.count else { return nil }
        let f = files[index]
        index += 1
        return RawMessage(content: try RawMessage.Content.of(file: f.url, inMemoryLimit: inMemoryLimit), folder: f.folder,
                          sourceFile: f.url.path, position: f.position)
    }
}

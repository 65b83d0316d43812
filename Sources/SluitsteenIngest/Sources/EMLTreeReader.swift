// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// Reads a directory tree of `.eml` files (or one `.eml` file) in a fixed order: relative paths by byte order.
///
/// The folder recorded for each message is its directory relative to the root (empty for the root itself).
/// The root may be a symbolic link named on the command line; nothing inside it is followed (see ``InputFiles``):
/// every symbolic link in the tree, and every `.eml` that is not a regular file, is skipped and reported in
/// ``notices``, as is a file that disappears between listing and reading.
public struct EMLTreeReader: MessageSource {
    private struct Entry {
        /// Path components below the root (empty when the root is the file itself).
        var components: [String]
        var path: String
        var folder: String
        var position: Int
    }
    private var files: [Entry] = []
    private var index = 0
    /// The root folder, or the file itself when one `.eml` file was given.
    private let root: InputHandle
    private let rootIsFile: Bool
    public let expectedBytes: Int64?
    public private(set) var notices: [String] = []
    private let inMemoryLimit: Int

    /// Lists the `.eml` files at `url`; files larger than `inMemoryLimit` are not read into memory.
    public init(url: URL, inMemoryLimit: Int = ContentStore.defaultInMemoryLimit) throws(IngestError) {
        self.inMemoryLimit = inMemoryLimit
        var st = stat()
        guard stat(url.path, &st) == 0 else { throw .notFound(url.path) }
        if st.st_mode & S_IFMT != S_IFDIR {
            let (handle, opened) = try InputFiles.openNamedFile(url.path)
            root = handle
            rootIsFile = true
            files = [Entry(components: [], path: url.path, folder: "", position: 0)]
            expectedBytes = Int64(opened.st_size)
            return
        }
        root = try InputFiles.openRoot(url.path)
        rootIsFile = false
        var found: [(rel: String, components: [String], size: Int64)] = []
        var skipped: [String] = []
        EMLTreeReader.walk(url.path, [], into: &found, notices: &skipped)
        notices = skipped
        found.sort { $0.rel.utf8.lexicographicallyPrecedes($1.rel.utf8) }
        var positions: [String: Int] = [:]
        for f in found {
            let folder = f.components.dropLast().joined(separator: "/")
            let p = positions[folder, default: 0]
            positions[folder] = p + 1
            files.append(Entry(components: f.components, path: url.path + "/" + f.rel, folder: folder, position: p))
        }
        expectedBytes = found.reduce(0) { $0 + $1.size }
    }

    /// Collects the regular `.eml` files below `path` (never following a link), with notices for what is skipped.
    private static func walk(_ path: String, _ components: [String], into found: inout [(rel: String, components: [String], size: Int64)],
                             notices: inout [String]) {
        guard let names = InputFiles.names(in: path) else {
            notices.append("\(path): skipped, the folder cannot be listed")
            return
        }
        for name in names {
            let child = path + "/" + name
            let isEML = (name as NSString).pathExtension.lowercased() == "eml"
            switch InputFiles.entry(child) {
            case .directory: walk(child, components + [name], into: &found, notices: &notices)
            case .file(let size) where isEML:
                found.append(((components + [name]).joined(separator: "/"), components + [name], size))
            case .link(let target): notices.append(InputFiles.Skip.link(target: target).notice(child))
            case .other(let kind) where isEML: notices.append(InputFiles.Skip.notRegular(kind).notice(child))
            case .missing where isEML: notices.append(InputFiles.Skip.vanished.notice(child))
            default: break
            }
        }
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        while index < files.count {
            let f = files[index]
            index += 1
            let opened: (InputHandle, stat)
            if rootIsFile {
                guard let st = root.status() else { throw .unreadable(f.path, reason: Errno.currentText) }
                opened = (root, st)
            } else {
                do throws(InputFiles.Failure) { opened = try InputFiles.openFile(below: root, f.components, path: f.path) } catch {
                    switch error {
                    case .skip(let skip): notices.append(skip.notice(f.path)); continue
                    case .error(let e): throw e
                    }
                }
            }
            let (content, input) = try InputFiles.content(of: opened.0, size: Int64(opened.1.st_size), path: f.path,
                                                          inMemoryLimit: inMemoryLimit)
            return RawMessage(content: content, folder: f.folder, sourceFile: f.path, position: f.position, input: input)
        }
        return nil
    }
}

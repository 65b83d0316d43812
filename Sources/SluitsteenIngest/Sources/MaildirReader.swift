// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive

/// Reads a Maildir (with Maildir++ subfolders) in a fixed order: folders by name, then files by name.
///
/// The top-level folder is recorded as `INBOX`; a subfolder `.Projecten.Brug` as `Projecten/Brug`, with IMAP
/// modified UTF-7 names decoded (`.Priv&AOk-` is `Privé`). Info flags (`:2,FS`) become copy flags, and Dovecot
/// keyword letters are translated through `dovecot-keywords` when present.
///
/// The Maildir folder itself may be a symbolic link named on the command line; nothing inside it is followed
/// (see ``InputFiles``): a linked subfolder, `cur`, `new`, message file or `dovecot-keywords` is skipped and
/// reported in ``notices``, as is anything that is not a regular file, and a file that disappears between
/// listing and reading (a mail program moved it).
public struct MaildirReader: MessageSource {
    private struct Entry {
        /// Path components below the root: the subfolder (if any), `cur` or `new`, the file name.
        var components: [String]
        var path: String
        var folder: String
        var position: Int
        var keywordNames: [Int: String]
    }
    private var files: [Entry] = []
    private var index = 0
    private let root: InputHandle
    public let expectedBytes: Int64?
    public private(set) var notices: [String] = []
    private let inMemoryLimit: Int

    /// Lists the messages of the Maildir at `url`; files larger than `inMemoryLimit` are not read into memory.
    public init(url: URL, inMemoryLimit: Int = ContentStore.defaultInMemoryLimit) throws(IngestError) {
        self.inMemoryLimit = inMemoryLimit
        root = try InputFiles.openRoot(url.path)
        let rootPath = url.path
        var folders: [(components: [String], folder: String)] = []
        if MaildirReader.isMaildirFolder(url) { folders.append(([], "INBOX")) }
        guard let children = InputFiles.names(in: rootPath) else {
            throw .unreadable(rootPath, reason: "the folder cannot be listed")
        }
        for name in children where name.hasPrefix(".") {
            let sub = url.appendingPathComponent(name, isDirectory: true)
            guard MaildirReader.isMaildirFolder(sub) else {
                // A Maildir++ folder without cur and new holds no messages a reader could know of: say so, unless it is
                // plainly not a folder of mail (a file such as .DS_Store, or an empty folder).
                if case .directory = InputFiles.entry(sub.path), !(InputFiles.names(in: sub.path) ?? []).isEmpty {
                    notices.append("\(sub.path): skipped, a folder without cur or new is not a Maildir folder; its files were not read")
                }
                continue
            }
            if case .link(let target) = InputFiles.entry(sub.path) {
                notices.append(InputFiles.Skip.link(target: target).notice(sub.path))
                continue
            }
            let parts = name.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map { ModifiedUTF7.decode(String($0)) }
            folders.append(([name], parts.joined(separator: "/")))
        }
        folders.sort { $0.folder.utf8.lexicographicallyPrecedes($1.folder.utf8) }
        var total: Int64 = 0
        for (components, folder) in folders {
            let dir = components.reduce(rootPath) { $0 + "/" + $1 }
            let keywordNames = MaildirReader.dovecotKeywords(below: root, components, path: dir, notices: &notices)
            var names: [(name: String, components: [String], path: String)] = []
            for sub in ["cur", "new"] {
                let subPath = dir + "/" + sub
                switch InputFiles.entry(subPath) {
                case .directory: break
                case .link(let target):
                    notices.append(InputFiles.Skip.link(target: target).notice(subPath))
                    continue
                default: continue
                }
                for e in InputFiles.names(in: subPath) ?? [] where !e.hasPrefix(".") {
                    let path = subPath + "/" + e
                    switch InputFiles.entry(path) {
                    case .file(let size):
                        names.append((e, components + [sub, e], path))
                        total += size
                    case .link(let target): notices.append(InputFiles.Skip.link(target: target).notice(path))
                    case .directory: notices.append(InputFiles.Skip.notRegular("a folder").notice(path))
                    case .other(let kind): notices.append(InputFiles.Skip.notRegular(kind).notice(path))
                    case .missing: notices.append(InputFiles.Skip.vanished.notice(path))
                    }
                }
            }
            names.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            for (position, entry) in names.enumerated() {
                files.append(Entry(components: entry.components, path: entry.path, folder: folder, position: position,
                                   keywordNames: keywordNames))
            }
        }
        expectedBytes = total
    }

    /// Whether `url` is a Maildir folder (has `cur` and `new`). A `cur` or `new` that is a symbolic link counts
    /// here, so that the reader can report it instead of passing over the folder in silence.
    /// A Maildir folder holds `cur` or `new` (or both): an export that dropped an empty one (git keeps no empty
    /// folder, some exporters leave them out) is still a Maildir, and its messages are read.
    public static func isMaildirFolder(_ url: URL) -> Bool {
        let fm = FileManager.default
        var a: ObjCBool = false, b: ObjCBool = false
        return (fm.fileExists(atPath: url.appendingPathComponent("cur").path, isDirectory: &a) && a.boolValue)
            || (fm.fileExists(atPath: url.appendingPathComponent("new").path, isDirectory: &b) && b.boolValue)
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        while index < files.count {
            let f = files[index]
            index += 1
            let opened: (InputHandle, stat)
            do throws(InputFiles.Failure) { opened = try InputFiles.openFile(below: root, f.components, path: f.path) } catch {
                switch error {
                case .skip(let skip): notices.append(skip.notice(f.path)); continue
                case .error(let e): throw e
                }
            }
            let (content, input) = try InputFiles.content(of: opened.0, size: Int64(opened.1.st_size), path: f.path,
                                                          inMemoryLimit: inMemoryLimit)
            return message(f, content: content, input: input)
        }
        return nil
    }

    private func message(_ f: Entry, content: RawMessage.Content, input: InputHandle?) -> RawMessage {
        let name = f.components.last ?? ""
        var flags: [String] = []
        var keywords: [String] = []
        if let range = name.range(of: ":2,") {
            for ch in name[range.upperBound...] {
                switch ch {
                case "D": flags.append("draft")
                case "F": flags.append("flagged")
                case "P": flags.append("passed")
                case "R": flags.append("replied")
                case "S": flags.append("seen")
                case "T": flags.append("trashed")
                case "a"..."z":
                    let n = Int(ch.asciiValue! - 97)
                    if let kw = f.keywordNames[n] { keywords.append(kw) }
                default: break
                }
            }
        }
        if f.components.dropLast().last == "new" { flags.append("new") }
        var delivery: Date?
        if let digits = name.split(separator: ".").first, let seconds = Int(digits), seconds > 0 {
            delivery = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return RawMessage(content: content, folder: f.folder, sourceFile: f.path, position: f.position,
                          keywords: keywords, flags: flags, deliveryTime: delivery, input: input)
    }

    /// Dovecot's keyword names of the folder at `components`, read from its `dovecot-keywords` file (at most 1 MB:
    /// Dovecot allows 26 keywords), which is skipped with a notice when it is a link or not a regular file.
    private static func dovecotKeywords(below root: InputHandle, _ components: [String], path dir: String,
                                        notices: inout [String]) -> [Int: String] {
        let path = dir + "/dovecot-keywords"
        switch InputFiles.entry(path) {
        case .missing: return [:]
        case .file: break
        case .link(let target): notices.append(InputFiles.Skip.link(target: target).notice(path)); return [:]
        case .directory: notices.append(InputFiles.Skip.notRegular("a folder").notice(path)); return [:]
        case .other(let kind): notices.append(InputFiles.Skip.notRegular(kind).notice(path)); return [:]
        }
        let opened: (InputHandle, stat)
        do throws(InputFiles.Failure) {
            opened = try InputFiles.openFile(below: root, components + ["dovecot-keywords"], path: path)
        } catch {
            if case .skip(let skip) = error, skip != .vanished { notices.append(skip.notice(path)) }
            if case .error(let e) = error { notices.append("\(path): not read (\(e.cause))") }
            return [:]
        }
        guard let (content, _) = try? InputFiles.content(of: opened.0, size: min(Int64(opened.1.st_size), 1 << 20), path: path,
                                                         inMemoryLimit: 1 << 20),
              case .bytes(let data) = content else { return [:] }
        let text = String(decoding: data, as: UTF8.self)
        var map: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let n = Int(parts[0]) { map[n] = String(parts[1]) }
        }
        return map
    }
}

/// IMAP's modified UTF-7 (RFC 3501 §5.1.3), used for non-ASCII Maildir++ folder names.
public enum ModifiedUTF7 {
    /// Decodes `Priv&AOk-` to `Privé`; text that is not valid modified UTF-7 is returned unchanged.
    public static func decode(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "&" {
                guard let end = s[i...].firstIndex(of: "-") else { return s }
                let encoded = s[s.index(after: i)..<end]
                if encoded.isEmpty {
                    out.append("&")
                } else {
                    var b64 = encoded.replacingOccurrences(of: ",", with: "/")
                    while b64.count % 4 != 0 { b64.append("=") }
                    guard let data = Data(base64Encoded: b64) else { return s }
                    let bytes = Array(data)
                    var units: [UInt16] = []
                    var k = 0
                    while k + 1 < bytes.count { units.append(UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1])); k += 2 }
                    out.append(String(decoding: units, as: UTF16.self))
                }
                i = s.index(after: end)
            } else {
                out.append(c)
                i = s.index(after: i)
            }
        }
        return out
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Reads a Maildir (with Maildir++ subfolders) in a fixed order: folders by name, then files by name.
///
/// The top-level folder is recorded as `INBOX`; a subfolder `.Projecten.Brug` as `Projecten/Brug`, with IMAP
/// modified UTF-7 names decoded (`.Priv&AOk-` is `Privé`). Info flags (`:2,FS`) become copy flags, and Dovecot
/// keyword letters are translated through `dovecot-keywords` when present.
public struct MaildirReader: MessageSource {
    private var files: [(url: URL, folder: String, position: Int, keywordNames: [Int: String])] = []
    private var index = 0
    public let expectedBytes: Int64?
    public let notices: [String] = []
    private let inMemoryLimit: Int

    /// Lists the messages of the Maildir at `url`; files larger than `inMemoryLimit` are not read into memory.
    public init(url: URL, inMemoryLimit: Int = RawMessage.defaultInMemoryLimit) throws(IngestError) {
        self.inMemoryLimit = inMemoryLimit
        let fm = FileManager.default
        var folders: [(URL, String)] = []
        if MaildirReader.isMaildirFolder(url) { folders.append((url, "INBOX")) }
        let children: [String]
        do { children = try fm.contentsOfDirectory(atPath: url.path) } catch {
            throw .unreadable(url.path, reason: "\(error.localizedDescription)")
        }
        for name in children.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        where name.hasPrefix(".") && name != "." && name != ".." {
            let sub = url.appendingPathComponent(name, isDirectory: true)
            guard MaildirReader.isMaildirFolder(sub) else { continue }
            let parts = name.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map { ModifiedUTF7.decode(String($0)) }
            folders.append((sub, parts.joined(separator: "/")))
        }
        folders.sort { $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
        var total: Int64 = 0
        for (dir, folder) in folders {
            let keywordNames = MaildirReader.dovecotKeywords(dir)
            var names: [(String, URL)] = []
            for sub in ["cur", "new"] {
                let d = dir.appendingPathComponent(sub, isDirectory: true)
                let entries = (try? fm.contentsOfDirectory(atPath: d.path)) ?? []
                for e in entries where !e.hasPrefix(".") {
                    let f = d.appendingPathComponent(e)
                    var isDir: ObjCBool = false
                    guard fm.fileExists(atPath: f.path, isDirectory: &isDir), !isDir.boolValue else { continue }
                    names.append((e, f))
                    if let size = (try? fm.attributesOfItem(atPath: f.path)[.size]) as? NSNumber { total += size.int64Value }
                }
            }
            names.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (position, entry) in names.enumerated() {
                files.append((entry.1, folder, position, keywordNames))
            }
        }
        expectedBytes = total
    }

    /// Whether `url` is a Maildir folder (has `cur` and `new`).
    public static func isMaildirFolder(_ url: URL) -> Bool {
        let fm = FileManager.default
        var a: ObjCBool = false, b: ObjCBool = false
        return fm.fileExists(atPath: url.appendingPathComponent("cur").path, isDirectory: &a) && a.boolValue
            && fm.fileExists(atPath: url.appendingPathComponent("new").path, isDirectory: &b) && b.boolValue
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        guard index < files.count else { return nil }
        let f = files[index]
        index += 1
        let content = try RawMessage.Content.of(file: f.url, inMemoryLimit: inMemoryLimit)
        let name = f.url.lastPathComponent
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
        if f.url.deletingLastPathComponent().lastPathComponent == "new" { flags.append("new") }
        var delivery: Date?
        if let digits = name.split(separator: ".").first, let seconds = Int(digits), seconds > 0 {
            delivery = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return RawMessage(content: content, folder: f.folder, sourceFile: f.url.path, position: f.position,
                          keywords: keywords, flags: flags, deliveryTime: delivery)
    }

    private static func dovecotKeywords(_ dir: URL) -> [Int: String] {
        guard let text = try? String(contentsOf: dir.appendingPathComponent("dovecot-keywords"), encoding: .utf8) else { return [:] }
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

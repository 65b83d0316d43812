// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import ZIPFoundation

/// Reads one export file: its bytes (kept byte for byte by ingest) and what they hold.
///
/// The kind is recognised from the bytes: a zip (WhatsApp "Export chat" with media: one chat text and the media files),
/// XML (SMS Backup & Restore), or text (WhatsApp "Export chat" without media). The bytes are read once; what is parsed
/// is exactly what is stored.
public struct ChatExportReader: Sendable {
    /// Largest export accepted (2 GiB): a zip is unpacked in memory.
    public static let maxBytes: Int64 = 2 << 30

    public let dateOrder: DateOrder?
    /// The sender of SMS written on the phone (the person who hands the backup over).
    public let ownerName: String

    public init(dateOrder: DateOrder? = nil, ownerName: String = "eigenaar van de telefoon") {
        self.dateOrder = dateOrder
        self.ownerName = ownerName
    }

    /// The export's bytes and what they hold.
    public func read(_ url: URL) throws(ChatError) -> (bytes: Data, chat: ParsedChat) {
        let path = url.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw .unreadable(file: path, reason: "there is no such file")
        }
        guard !isDir.boolValue else { throw .unknownFormat(file: path, reason: "it is a folder; give the export file itself") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber, size.int64Value > Self.maxBytes {
            throw .unknownFormat(file: path, reason: "it is larger than \(Self.maxBytes >> 30) GiB")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch { throw .unreadable(file: path, reason: error.localizedDescription) }
        return (bytes, try parse(bytes, source: path, fileName: url.lastPathComponent))
    }

    /// What `bytes` hold; `source` names them in errors, `fileName` gives the chat's title.
    public func parse(_ bytes: Data, source: String, fileName: String) throws(ChatError) -> ParsedChat {
        guard !bytes.isEmpty else { throw .unknownFormat(file: source, reason: "the file is empty") }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try zip(bytes, source: source, fileName: fileName)
        }
        if Self.looksLikeXML(bytes) {
            return try SMSBackupParser(source: source, ownerName: ownerName).parse(bytes, title: Self.title(fileName))
        }
        let read = try WhatsAppParser(source: source, dateOrder: dateOrder).parse(bytes)
        return ParsedChat(format: read.format, dateOrder: read.dateOrder, title: Self.title(fileName), messages: read.messages)
    }

    /// Whether the bytes begin (after a byte-order mark and white space) with `<`.
    static func looksLikeXML(_ bytes: Data) -> Bool {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        return rest.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "<")
    }

    /// The chat's name from an export's file name: `WhatsApp Chat met Dijkteam.txt` → `Dijkteam`.
    static func title(_ fileName: String) -> String {
        var t = fileName
        for ext in [".zip", ".txt", ".xml"] where t.lowercased().hasSuffix(ext) { t = String(t.dropLast(ext.count)) }
        for prefix in ["WhatsApp Chat met ", "WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-chat met "] where t.hasPrefix(prefix) {
            t = String(t.dropFirst(prefix.count))
        }
        let trimmed = t.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? fileName : trimmed
    }

    /// A WhatsApp zip: its one chat text (`_chat.txt`, or `WhatsApp Chat … .txt`) and every other file as media.
    private func zip(_ bytes: Data, source: String, fileName: String) throws(ChatError) -> ParsedChat {
        let archive: Archive
        do { archive = try Archive(data: bytes, accessMode: .read) } catch {
            throw .zip(file: source, reason: "it is not a readable zip (\(error))")
        }
        var files: [(path: String, name: String, entry: Entry)] = []
        for entry in archive where entry.type == .file {
            let name = (entry.path as NSString).lastPathComponent
            if name.hasPrefix(".") || entry.path.hasPrefix("__MACOSX/") { continue }
            files.append((entry.path, name, entry))
        }
        let texts = files.filter { $0.name.lowercased().hasSuffix(".txt") }
        let chosen = texts.first { $0.name == "_chat.txt" } ?? texts.first { $0.name.hasPrefix("WhatsApp") }
            ?? (texts.count == 1 ? texts[0] : nil)
        guard let chat = chosen else {
            throw .zip(file: source, reason: texts.isEmpty ? "it holds no chat text (_chat.txt or \"WhatsApp Chat … .txt\")"
                : "it holds \(texts.count) text files and none is named _chat.txt or \"WhatsApp Chat … .txt\"")
        }
        var total: Int64 = 0
        func extract(_ entry: Entry, _ path: String) throws(ChatError) -> Data {
            total += Int64(entry.uncompressedSize)
            guard total <= Self.maxBytes else { throw .zip(file: source, reason: "it unpacks to more than \(Self.maxBytes >> 30) GiB") }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if Int64(data.count) > Int64(entry.uncompressedSize) { throw CocoaError(.fileReadCorruptFile) }
                }
            } catch {
                throw .zip(file: source, reason: "its member \(path) cannot be unpacked (\(error))")
            }
            return data
        }
        let text = try extract(chat.entry, chat.path)
        let read = try WhatsAppParser(source: source + ": " + chat.path, dateOrder: dateOrder).parse(text)
        var media: [ChatMediaFile] = []
        var names = Set<String>()
        for f in files where f.path != chat.path {
            guard names.insert(f.name).inserted else {
                throw .zip(file: source, reason: "it holds two files named \(f.name); the messages cannot tell which one they mean")
            }
            media.append(ChatMediaFile(name: f.name, data: try extract(f.entry, f.path)))
        }
        let title = fileName.lowercased().hasSuffix(".zip") ? Self.title(fileName) : Self.title(chat.name)
        return ParsedChat(format: read.format, dateOrder: read.dateOrder, title: title, messages: read.messages,
                          mediaFiles: media.sorted { $0.name < $1.name })
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Identifies the format of an extracted attachment from its leading bytes (a small signature table with
/// PRONOM ids), never from its name or declared MIME type. Unknown content is reported as unknown, without a
/// PRONOM id, rather than guessed.
public enum FormatIdentification {
    /// The format of an RFC 5322 / MIME message (`.eml`).
    static let email = FileFormat(label: "Internet Message Format", pronom: "fmt/950", fileExtension: "eml")

    static func identify(_ data: Data) -> FileFormat {
        data.withUnsafeBytes { raw -> FileFormat in
            let b = raw.bindMemory(to: UInt8.self)
            func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
                guard b.count >= offset + sig.count else { return false }
                for (i, v) in sig.enumerated() where b[offset + i] != v { return false }
                return true
            }
            func contains(_ text: String, within limit: Int) -> Bool {
                let needle = Array(text.utf8)
                let n = min(b.count, limit)
                guard n >= needle.count else { return false }
                var i = 0
                while i + needle.count <= n {
                    if b[i] == needle[0] {
                        var j = 1
                        while j < needle.count && b[i + j] == needle[j] { j += 1 }
                        if j == needle.count { return true }
                    }
                    i += 1
                }
                return false
            }
            if starts(Array("%PDF-".utf8)) {
                let version = b.count >= 8 ? String(decoding: [b[5], b[6], b[7]], as: UTF8.self) : ""
                let ids = ["1.0": "fmt/14", "1.1": "fmt/15", "1.2": "fmt/16", "1.3": "fmt/17", "1.4": "fmt/18",
                           "1.5": "fmt/19", "1.6": "fmt/20", "1.7": "fmt/276", "2.0": "fmt/1129"]
                if let id = ids[version] {
                    return FileFormat(label: "Acrobat PDF \(version) - Portable Document Format", pronom: id, fileExtension: "pdf")
                }
                return FileFormat(label: "Portable Document Format (versie onbekend)", pronom: nil, fileExtension: "pdf")
            }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                return FileFormat(label: "Portable Network Graphics", pronom: "fmt/13", fileExtension: "png")
            }
            if starts([0xFF, 0xD8, 0xFF]) {
                if starts(Array("JFIF".utf8), at: 6), b.count >= 13 {
                    switch (b[11], b[12]) {
                    case (1, 0): return FileFormat(label: "JPEG File Interchange Format 1.00", pronom: "fmt/42", fileExtension: "jpg")
                    case (1, 1): return FileFormat(label: "JPEG File Interchange Format 1.01", pronom: "fmt/43", fileExtension: "jpg")
                    case (1, 2): return FileFormat(label: "JPEG File Interchange Format 1.02", pronom: "fmt/44", fileExtension: "jpg")
                    default: break
                    }
                }
                return FileFormat(label: "Raw JPEG Stream", pronom: "fmt/41", fileExtension: "jpg")
            }
            if starts(Array("GIF87a".utf8)) { return FileFormat(label: "Graphics Interchange Format 87a", pronom: "fmt/3", fileExtension: "gif") }
            if starts(Array("GIF89a".utf8)) { return FileFormat(label: "Graphics Interchange Format 89a", pronom: "fmt/4", fileExtension: "gif") }
            if starts([0x50, 0x4B, 0x03, 0x04]) {
                if contains("word/", within: 1 << 20) {
                    return FileFormat(label: "Microsoft Word for Windows 2007 onwards", pronom: "fmt/412", fileExtension: "docx")
                }
                if contains("xl/", within: 1 << 20) {
                    return FileFormat(label: "Microsoft Excel for Windows 2007 onwards", pronom: "fmt/214", fileExtension: "xlsx")
                }
                if contains("ppt/", within: 1 << 20) {
                    return FileFormat(label: "Microsoft PowerPoint for Windows 2007 onwards", pronom: "fmt/215", fileExtension: "pptx")
                }
                return FileFormat(label: "ZIP Format", pronom: "x-fmt/263", fileExtension: "zip")
            }
            if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                return FileFormat(label: "OLE2 Compound Document Format", pronom: "fmt/111", fileExtension: "bin")
            }
            let head = String(decoding: UnsafeBufferPointer(rebasing: b[0..<min(b.count, 512)]), as: UTF8.self).lowercased()
            let trimmed = head.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
            if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") {
                return FileFormat(label: "Hypertext Markup Language", pronom: "fmt/96", fileExtension: "html")
            }
            if b.count > 0, String(validating: Array(b.prefix(65536)), as: UTF8.self) != nil,
               !b.prefix(65536).contains(where: { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20 && $0 != 0x1B) }) {
                return FileFormat(label: "Plain Text File", pronom: "x-fmt/111", fileExtension: "txt")
            }
            return FileFormat(label: "Onbekend bestandsformaat", pronom: nil, fileExtension: "bin")
        }
    }
}

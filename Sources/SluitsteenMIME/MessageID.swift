// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// The Message-ID as the header writes it.
///
/// GMime's reading of a Message-ID decodes RFC 2047 words in it (`<=?utf-8?B?Zm9v?=@x>` became `<foo@x>`) and
/// parses it as an address, which drops a trailing dot (`<id@example.com.>`) and everything after a double dot.
/// A Message-ID is an opaque identifier: it is taken from the raw value, between the first `<` and the next `>`,
/// byte for byte. Only when that holds white space or a comment (RFC 5322's obsolete syntax allows folding white
/// space and comments between its parts, `<1234 @ local(blah) .machine .example>`) is GMime asked to take them out.
enum MessageID {
    /// `<id>` from a raw Message-ID value, or nil when it holds no identifier.
    static func extract(_ raw: UnsafePointer<CChar>) -> String? {
        let length = strlen(raw)
        let value = raw.withMemoryRebound(to: UInt8.self, capacity: length) { UnsafeBufferPointer(start: $0, count: length) }
        var start = 0, end = length
        while start < end, isSpace(value[start]) { start += 1 }
        while end > start, isSpace(value[end - 1]) { end -= 1 }
        let bytes = value[start..<end]
        if let open = bytes.firstIndex(of: 0x3C), let close = bytes[(open + 1)...].firstIndex(of: 0x3E) {
            let inner = bytes[(open + 1)..<close]
            if inner.isEmpty { return nil }
            if plain(inner) { return "<" + String(decoding: inner, as: UTF8.self) + ">" }
        } else if !bytes.contains(0x3C), !bytes.isEmpty, plain(bytes) {
            return "<" + String(decoding: bytes, as: UTF8.self) + ">"
        }
        guard let unfolded = g_mime_utils_header_unfold(raw) else { return nil }
        defer { g_free(unfolded) }
        guard let id = g_mime_utils_decode_message_id(unfolded) else { return nil }
        defer { g_free(id) }
        let text = String(cString: id)
        return text.isEmpty ? nil : "<\(text)>"
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    /// No white space (folding included) and no comment.
    private static func plain(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        !bytes.contains { isSpace($0) || $0 == 0x28 }
    }
}

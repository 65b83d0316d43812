// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// Header values read from their raw text, where GMime's own reading loses something. Each helper is one small,
/// well-defined step in front of or after GMime; GMime still does the parsing and the charset conversion.
enum HeaderText {
    /// An unstructured header value (Subject, Keywords) decoded as GMime decodes it, but with every encoded-word
    /// decoded whole (see ``EncodedWords``): unfolded, white space at both ends removed, RFC 2047 decoded, 8-bit
    /// text read as UTF-8 or GMime's fallback charset.
    static func unstructured(_ raw: UnsafePointer<CChar>, options: OpaquePointer?) -> String {
        withNormalised(raw) { value in
            guard let unfolded = g_mime_utils_header_unfold(value) else { return "" }
            defer { g_free(unfolded) }
            guard let decoded = g_mime_utils_header_decode_text(options, unfolded) else { return "" }
            defer { g_free(decoded) }
            return String(cString: decoded)
        }
    }

    /// Calls `body` with `raw`, or with its encoded-words rewritten when GMime would not decode them whole.
    static func withNormalised<T>(_ raw: UnsafePointer<CChar>, _ body: (UnsafePointer<CChar>) -> T) -> T {
        let length = strlen(raw)
        let normalised = raw.withMemoryRebound(to: UInt8.self, capacity: length) {
            EncodedWords.normalise(UnsafeBufferPointer(start: $0, count: length))
        }
        guard var normalised else { return body(raw) }
        normalised.append(0)
        return normalised.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }
}

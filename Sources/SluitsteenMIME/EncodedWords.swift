// SPDX-License-Identifier: EUPL-1.2
import CGMime

/// RFC 2047 encoded-words in a raw header value, prepared so that GMime decodes every word whole.
///
/// GMime 3.2 joins adjacent encoded-words of one charset and decodes their base64 text with one decoder state, so
/// the `=` padding at the end of the first word stops it: `=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?=`
/// came out as "Confirm the transact". It also drops a base64 word without its padding (`=?UTF-8?B?w7w?=`), alone or
/// glued inside a word. RFC 2047 §6 decodes word by word; a character split over two words (common, though not
/// allowed) only comes out whole when the words' bytes are joined before the charset conversion.
///
/// So each run of encoded-words in one charset that are adjacent (nothing but white space between them, which RFC
/// 2047 §6.2 ignores) and hold a base64 word is rewritten as one base64 encoded-word: every word is decoded on its
/// own (base64 with GMime's decoder and a fresh state per word, padding added where it is missing; Q as RFC 2047
/// §4.2 defines it), the bytes are joined and encoded again. GMime then parses the header as usual (unstructured
/// text, address lists, parameters) and converts the charset, so nothing else about header decoding changes.
/// Words of different charsets, Q-only runs and text that only looks like an encoded-word are left alone.
enum EncodedWords {
    /// `raw` with its encoded-word runs rewritten, or nil when there is nothing to rewrite (the common case:
    /// a value without `=?` is not looked at further).
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard raw.count >= 8, contains(raw, 0x3D, 0x3F) else { return nil }
        let words = scan(raw)
        guard !words.isEmpty else { return nil }
        var out: [UInt8] = []
        var copied = 0
        var changed = false
        var i = 0
        while i < words.count {
            // The run: words[i...j], each next one in the same charset with only white space before it.
            var j = i
            while j + 1 < words.count, words[j + 1].start >= words[j].end,
                  raw[words[j].end..<words[j + 1].start].allSatisfy(isWhiteSpace),
                  sameCharset(raw, words[i], words[j + 1]) {
                j += 1
            }
            let run = words[i...j]
            if run.contains(where: \.base64) {
                if !changed { out.reserveCapacity(raw.count + 16) }
                changed = true
                out.append(contentsOf: raw[copied..<words[i].start])
                var bytes: [UInt8] = []
                for word in run { decode(raw, word, into: &bytes) }
                out.append(contentsOf: "=?".utf8)
                out.append(contentsOf: raw[words[i].charset])
                out.append(contentsOf: "?B?".utf8)
                out.append(contentsOf: base64(bytes))
                out.append(contentsOf: "?=".utf8)
                copied = words[j].end
            }
            i = j + 1
        }
        guard changed else { return nil }
        out.append(contentsOf: raw[copied...])
        return out
    }

    /// One encoded-word: `=?charset?B|Q?text?=` from `start` to `end` (exclusive).
    struct Word {
        var start: Int
        var end: Int
        var charset: Range<Int>
        var text: Range<Int>
        var base64: Bool
    }

    /// The encoded-words of `raw`, in order, as RFC 2047 §2 shapes them: a charset token (with an optional
    /// RFC 2231 `*language`), `B` or `Q`, and text without white space or `?`.
    static func scan(_ raw: UnsafeBufferPointer<UInt8>) -> [Word] {
        var words: [Word] = []
        var i = 0
        let n = raw.count
        while i + 1 < n {
            guard raw[i] == 0x3D, raw[i + 1] == 0x3F else { i += 1; continue }  // "=?"
            let charsetStart = i + 2
            var k = charsetStart
            while k < n, isTokenByte(raw[k]) { k += 1 }
            guard k > charsetStart, k + 3 < n, raw[k] == 0x3F, raw[k + 2] == 0x3F else { i += 2; continue }
            let encoding = raw[k + 1] | 0x20
            guard encoding == 0x62 || encoding == 0x71 else { i += 2; continue }  // b, q
            let textStart = k + 3
            var t = textStart
            while t < n, raw[t] != 0x3F, raw[t] > 0x20, raw[t] < 0x7F { t += 1 }
            guard t + 1 < n, raw[t] == 0x3F, raw[t + 1] == 0x3D else { i += 2; continue }  // "?="
            words.append(Word(start: i, end: t + 2, charset: charsetStart..<k, text: textStart..<t, base64: encoding == 0x62))
            i = t + 2
        }
        return words
    }

    /// The bytes one word encodes, appended to `out`.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>, _ word: Word, into out: inout [UInt8]) {
        if word.base64 {
            // Only the base64 alphabet counts; the padding is put back as the length needs it (a word without it is
            // still decoded, as RFC 2045 decoders and Python do), and a lone trailing sextet, which holds no byte,
            // is dropped.
            var text = raw[word.text].filter { isBase64Byte($0) }
            if text.count % 4 == 1 { text.removeLast() }
            if text.count % 4 != 0 { text += Array(repeating: 0x3D, count: 4 - text.count % 4) }
            var decoded = [UInt8](repeating: 0, count: text.count / 4 * 3 + 3)
            var state: Int32 = 0
            var save: UInt32 = 0
            let count = text.withUnsafeBufferPointer { input in
                decoded.withUnsafeMutableBufferPointer { output in
                    g_mime_encoding_base64_decode_step(input.baseAddress, input.count, output.baseAddress, &state, &save)
                }
            }
            out.append(contentsOf: decoded.prefix(count))
        } else {
            // RFC 2047 §4.2: "_" is a space, "=XX" a byte in hexadecimal, anything else itself.
            var k = word.text.lowerBound
            while k < word.text.upperBound {
                let byte = raw[k]
                if byte == 0x5F {
                    out.append(0x20)
                } else if byte == 0x3D, k + 2 < word.text.upperBound, let high = hexValue(raw[k + 1]), let low = hexValue(raw[k + 2]) {
                    out.append(high << 4 | low)
                    k += 2
                } else {
                    out.append(byte)
                }
                k += 1
            }
        }
    }

    private static func base64(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty, let encoded = bytes.withUnsafeBufferPointer({ g_base64_encode($0.baseAddress, gsize($0.count)) }) else {
            return []
        }
        defer { g_free(encoded) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(encoded).assumingMemoryBound(to: UInt8.self), count: strlen(encoded)))
    }

    /// True when `raw` holds the byte `a` followed by `b`.
    private static func contains(_ raw: UnsafeBufferPointer<UInt8>, _ a: UInt8, _ b: UInt8) -> Bool {
        guard let base = raw.baseAddress else { return false }
        var offset = 0
        while offset + 1 < raw.count, let hit = memchr(base + offset, Int32(a), raw.count - offset - 1) {
            let i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            if raw[i + 1] == b { return true }
            offset = i + 1
        }
        return false
    }

    /// Two words are in the same charset when their charset names match without regard to case or language.
    private static func sameCharset(_ raw: UnsafeBufferPointer<UInt8>, _ a: Word, _ b: Word) -> Bool {
        func name(_ w: Word) -> ArraySlice<UInt8> {
            let slice = ArraySlice(raw[w.charset])
            return slice.prefix { $0 != 0x2A }  // up to "*language"
        }
        let x = name(a), y = name(b)
        return x.count == y.count && zip(x, y).allSatisfy { ($0 | 0x20) == ($1 | 0x20) }
    }

    private static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// RFC 2047 `token` bytes (no space, control or especial), plus `*` for an RFC 2231 language suffix.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        return !"()<>@,;:\"/[]?.=\\".utf8.contains(byte)
    }

    private static func isBase64Byte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2F
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

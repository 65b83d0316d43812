// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// Address-list header values as Outlook and readpst write them.
enum AddressText {
    /// The addresses in one raw address-list value: split at stray `;`, each part read by GMime; a part GMime finds
    /// no address in, or only bare words, is kept as one name (decoded, outer quotes removed) with an empty
    /// address, so nothing is lost.
    static func read(_ raw: UnsafePointer<CChar>, options: OpaquePointer?) -> [MailAddress] {
        HeaderText.withNormalised(raw) { value in
            let length = strlen(value)
            let bytes = value.withMemoryRebound(to: UInt8.self, capacity: length) { UnsafeBufferPointer(start: $0, count: length) }
            let parts = splitAtSemicolons(bytes) ?? [ArraySlice(bytes)]
            var out: [MailAddress] = []
            for part in parts {
                let text = Array(part) + [0]
                text.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { buffer in
                    let cString = buffer.baseAddress!
                    if let list = internet_address_list_parse(options, cString) {
                        defer { sls_unref(list) }
                        let found = MailAddress.list(list)
                        if internet_address_list_length(list) > 0 && !MailAddress.onlyBareWords(found) {
                            out += found
                            return
                        }
                    }
                    let name = HeaderText.unstructured(cString, options: options)
                    let quoted = name.count >= 2 && name.hasPrefix("\"") && name.hasSuffix("\"")
                    let unquoted = quoted ? String(name.dropFirst().dropLast()) : name
                    let trimmed = unquoted.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !trimmed.isEmpty { out.append(MailAddress(name: trimmed, address: "")) }
                } }
            }
            return out
        }
    }

    /// The parts of a raw address list separated by `;` where RFC 5322 has no group to close: readpst writes the
    /// recipients of a PST item as `a@x.nl; b@y.nl; …`, and GMime (like RFC 5322) reads only the first of them.
    /// A `;` inside quotes, a comment or angle brackets, or one that closes a group (`team: a@x, b@y;`), is kept.
    /// Returns nil when the value has no such `;`.
    static func splitAtSemicolons(_ raw: UnsafeBufferPointer<UInt8>) -> [ArraySlice<UInt8>]? {
        guard let base = raw.baseAddress, memchr(base, 0x3B, raw.count) != nil else { return nil }
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        var quoted = false, escaped = false, comment = 0, angle = false, group = false
        for (i, byte) in raw.enumerated() {
            if escaped { escaped = false; continue }
            if byte == 0x5C, quoted || comment > 0 { escaped = true; continue }
            if quoted { if byte == 0x22 { quoted = false }; continue }
            if comment > 0 {
                if byte == 0x28 { comment += 1 } else if byte == 0x29 { comment -= 1 }
                continue
            }
            switch byte {
            case 0x22: quoted = true
            case 0x28: comment = 1
            case 0x3C: angle = true
            case 0x3E: angle = false
            case 0x3A where !angle: group = true
            case 0x3B where !angle:
                if group {
                    group = false
                } else {
                    parts.append(ArraySlice(raw[start..<i]))
                    start = i + 1
                }
            default: break
            }
        }
        guard !parts.isEmpty else { return nil }
        parts.append(ArraySlice(raw[start...]))
        return parts
    }
}

// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// The header fields of one message that Sluitsteen records, found in one pass over its header list. The raw values
/// point into GMime's message and are valid while it is.
///
/// Subject, Message-ID and Date are taken from their first field, as RFC 5322 (which allows one of each) and
/// Python's email package read them; GMime keeps the last one. A duplicate still shows as GMime's
/// `conflicting-header` defect. Where GMime's own reading of a field is right (one field, nothing it misreads),
/// it is used as it is, so that ordinary mail costs no second reading.
struct HeaderFields {
    enum AddressKind { case from, to, cc, bcc }

    /// The first Subject, Message-ID and Date fields (raw values), and how many of each there are.
    private(set) var subject: UnsafePointer<CChar>?
    private(set) var messageId: UnsafePointer<CChar>?
    private(set) var date: UnsafePointer<CChar>?
    private var subjects = 0
    private var dates = 0
    /// Raw `Received` values, newest first.
    private(set) var received: [UnsafePointer<CChar>] = []
    /// Keywords from `Keywords` and `X-Keywords` fields.
    private(set) var keywords: [String] = []
    private var from: [UnsafePointer<CChar>] = []
    private var to: [UnsafePointer<CChar>] = []
    private var cc: [UnsafePointer<CChar>] = []
    private var bcc: [UnsafePointer<CChar>] = []
    private var pstBcc: [UnsafePointer<CChar>] = []

    init(_ object: UnsafeMutablePointer<GMimeObject>, options: OpaquePointer?) {
        guard let headers = g_mime_object_get_header_list(object) else { return }
        for i in 0..<g_mime_header_list_get_count(headers) {
            guard let header = g_mime_header_list_get_header_at(headers, i), let name = g_mime_header_get_name(header),
                  let value = g_mime_header_get_raw_value(header) else { continue }
            let raw = UnsafePointer(value)
            // Compared as C strings, after a look at the first letter: this runs for every header of every message.
            switch name.pointee | 0x20 {
            case 0x73 /* s */ where strcasecmp(name, "subject") == 0:
                if subject == nil { subject = raw }
                subjects += 1
            case 0x6D /* m */ where strcasecmp(name, "message-id") == 0:
                if messageId == nil { messageId = raw }
            case 0x64 /* d */ where strcasecmp(name, "date") == 0:
                if date == nil { date = raw }
                dates += 1
            case 0x72 /* r */ where strcasecmp(name, "received") == 0:
                received.append(raw)
            case 0x66 /* f */ where strcasecmp(name, "from") == 0:
                from.append(raw)
            case 0x74 /* t */ where strcasecmp(name, "to") == 0:
                to.append(raw)
            case 0x63 /* c */ where strcasecmp(name, "cc") == 0:
                cc.append(raw)
            case 0x62 /* b */ where strcasecmp(name, "bcc") == 0:
                bcc.append(raw)
            case 0x6B /* k */ where strcasecmp(name, "keywords") == 0, 0x78 /* x */ where strcasecmp(name, "x-keywords") == 0:
                keywords += HeaderText.unstructured(raw, options: options)
                    .split(whereSeparator: { $0 == "," || $0 == ";" })
                    .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            case 0x78 /* x */ where strcasecmp(name, "x-libpst-forensic-bcc") == 0:
                pstBcc.append(raw)
            default:
                break
            }
        }
    }

    /// The decoded subject (its first field), or "" when there is none.
    func subject(of message: UnsafeMutablePointer<GMimeMessage>, options: OpaquePointer?) -> String {
        Self.decodeSubject(subject, fields: subjects, of: message, options: options)
    }

    private static func decodeSubject(_ first: UnsafePointer<CChar>?, fields: Int, of message: UnsafeMutablePointer<GMimeMessage>,
                                      options: OpaquePointer?) -> String {
        guard let first else { return "" }
        if fields == 1, strstr(first, "=?") == nil, let decoded = g_mime_message_get_subject(message) {
            return String(cString: decoded)  // GMime's reading: the same steps, already done
        }
        return HeaderText.unstructured(first, options: options)
    }

    /// The date of the first Date field, nil when there is none or it cannot be read.
    func dateReading(of message: UnsafeMutablePointer<GMimeMessage>) -> MailDate.Reading? {
        guard let date else { return nil }
        if dates == 1 {
            guard let dt = g_mime_message_get_date(message) else { return nil }
            return MailDate.reading(dt, raw: date)
        }
        return MailDate.read(date)
    }

    /// The decoded subject of `message` (its first Subject field), or "".
    static func subject(of message: UnsafeMutablePointer<GMimeMessage>, options: OpaquePointer?) -> String {
        guard let headers = g_mime_object_get_header_list(sls_message_as_object(message)) else { return "" }
        var first: UnsafePointer<CChar>?
        var fields = 0
        for i in 0..<g_mime_header_list_get_count(headers) {
            guard let header = g_mime_header_list_get_header_at(headers, i), let name = g_mime_header_get_name(header),
                  strcasecmp(name, "subject") == 0, let raw = g_mime_header_get_raw_value(header) else { continue }
            if first == nil { first = UnsafePointer(raw) }
            fields += 1
        }
        return decodeSubject(first, fields: fields, of: message, options: options)
    }

    /// The addresses of one kind. GMime's reading (`gmime`, all fields of the kind) is kept unless a field needs
    /// more: an encoded-word GMime would not decode whole, a `;` between addresses (``AddressText``), or a value
    /// GMime finds no address in, or only bare words (readpst writes recipients it knows only by their Outlook
    /// name: `To: Jan Jansen`, `Jansen, Kees`; see ``MailAddress/onlyBareWords(_:)``). Such a kind is read again
    /// field by field, and a part without an address is kept as a name. Bcc recipients of a PST item are in
    /// readpst's `X-libpst-forensic-bcc` field (read when the message has no `Bcc` field).
    func addresses(_ kind: AddressKind, gmime: UnsafeMutablePointer<InternetAddressList>?,
                   options: OpaquePointer?) -> [MailAddress] {
        var fields: [UnsafePointer<CChar>]
        switch kind {
        case .from: fields = from
        case .to: fields = to
        case .cc: fields = cc
        case .bcc: fields = bcc
        }
        var known = MailAddress.list(gmime)
        if kind == .bcc, fields.isEmpty, !pstBcc.isEmpty {
            fields = pstBcc
            known = []
        }
        let needsReading = fields.contains { strstr($0, "=?") != nil || strchr($0, 0x3B) != nil }
            || (known.isEmpty && fields.contains { !isBlank($0) }) || MailAddress.onlyBareWords(known)
        guard needsReading else { return known }
        return fields.flatMap { AddressText.read($0, options: options) }
    }

    private func isBlank(_ raw: UnsafePointer<CChar>) -> Bool {
        var p = raw
        while p.pointee != 0 {
            if p.pointee != 0x20 && p.pointee != 0x09 && p.pointee != 0x0D && p.pointee != 0x0A { return false }
            p += 1
        }
        return true
    }
}

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

/// A `Date` (or `Received`) date: read by GMime, with its zone checked, because GMime reads a zone it does not
/// understand as UTC without saying so (`-0060`, `+0480`, `-600`, lower-case `cst`, `+01:00`, `MEZ`).
///
/// The zone is read as Python's `email.utils` reads it, which for a numeric zone is sign × (hours × 60 + minutes)
/// whatever the digits are (`-0060` is −01:00, `+0480` is +05:20, `-600` is −06:00), and the RFC 5322 zone names
/// in any case. Where RFC 5322 does not define the zone, the date gets the defect `invalid-date-zone`:
/// - numeric zones with other than four digits or with minutes of 60 or more: Python's reading;
/// - `+hh:mm` (not RFC 5322; Python reads it as unknown): read as written;
/// - `AST`/`ADT` (Python's table, not RFC 5322): Python's reading;
/// - no zone, an unknown name (`MEZ`, `CET`, `GMT+1`, `H0500`), a military letter other than `Z` (RFC 5322
///   §4.3 says their meaning is unreliable) or an offset of 24 hours or more: UTC, as GMime and Python take it.
enum MailDate {
    struct Reading: Equatable {
        var date: Date
        var offsetMinutes: Int
        /// True when the zone is not one RFC 5322 defines (see above).
        var invalidZone: Bool
    }

    /// Reads a raw date value, or nil when GMime cannot read it.
    static func read(_ raw: UnsafePointer<CChar>) -> Reading? {
        guard let dt = g_mime_utils_header_decode_date(raw) else { return nil }
        defer { g_date_time_unref(dt) }
        return reading(dt, raw: raw)
    }

    /// GMime's reading `dt` of the raw date value `raw`, with the zone read from `raw`. GMime reads the wall-clock
    /// time right; only its zone is replaced.
    static func reading(_ dt: OpaquePointer, raw: UnsafePointer<CChar>) -> Reading {
        let unix = Int64(g_date_time_to_unix(dt))
        let gmimeOffset = Int(g_date_time_get_utc_offset(dt) / 60_000_000)
        let length = strlen(raw)
        let (offset, invalid) = raw.withMemoryRebound(to: UInt8.self, capacity: length) {
            zone(of: UnsafeBufferPointer(start: $0, count: length))
        }
        let instant = unix + Int64(gmimeOffset - offset) * 60
        return Reading(date: Date(timeIntervalSince1970: TimeInterval(instant)), offsetMinutes: offset, invalidZone: invalid)
    }

    /// The zone of a date value as (offset in minutes, not RFC 5322): the first word after the time that is not a
    /// number (a year in asctime order comes between) or AM/PM, else, when there is no time this can see (GMime
    /// reads some with comments or spaces inside), the last word if it has the shape of a zone. No zone is UTC.
    static func zone(of value: UnsafeBufferPointer<UInt8>) -> (minutes: Int, invalid: Bool) {
        let words = self.words(value)
        var zone: ArraySlice<UInt8>?
        if let time = words.firstIndex(where: isTime) {
            // A zone glued to the time ("10:00:00+0200") is split off.
            var rest = Array(words[(time + 1)...])
            if let sign = words[time].firstIndex(where: { $0 == 0x2B || $0 == 0x2D }) { rest.insert(words[time][sign...], at: 0) }
            zone = rest.first { word in !word.allSatisfy(isDigit) && !isAMPM(word) }
        } else if let last = words.last, last.first == 0x2B || last.first == 0x2D || last.allSatisfy(isLetter) {
            zone = last
        }
        guard let zone, let first = zone.first else { return (0, true) }
        if first == 0x2B || first == 0x2D {
            let sign = first == 0x2D ? -1 : 1
            let body = zone.dropFirst()
            var minutes: Int?
            var rfc = false
            if !body.isEmpty, body.count <= 4, body.allSatisfy(isDigit) {
                let n = body.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                minutes = n / 100 * 60 + n % 100
                rfc = body.count == 4 && n % 100 < 60
            } else if let colon = body.firstIndex(of: 0x3A), (1...2).contains(colon - body.startIndex), body.endIndex - colon == 3,
                      body[..<colon].allSatisfy(isDigit), body[(colon + 1)...].allSatisfy(isDigit) {
                let h = body[..<colon].reduce(0) { $0 * 10 + Int($1 - 0x30) }
                let m = body[(colon + 1)...].reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if m < 60 { minutes = h * 60 + m }
            }
            guard let minutes, minutes < 24 * 60 else { return (0, true) }
            return (sign * minutes, !rfc)
        }
        if zone.count <= 3, zone.allSatisfy(isLetter), let known = names[String(decoding: zone, as: UTF8.self).uppercased()] {
            return (known.minutes, !known.rfc)
        }
        return (0, true)
    }

    /// RFC 5322 zone names with their offsets in minutes, and the two Python adds (marked not RFC).
    private static let names: [String: (minutes: Int, rfc: Bool)] = [
        "UT": (0, true), "UTC": (0, true), "GMT": (0, true), "Z": (0, true),
        "EST": (-300, true), "EDT": (-240, true), "CST": (-360, true), "CDT": (-300, true),
        "MST": (-420, true), "MDT": (-360, true), "PST": (-480, true), "PDT": (-420, true),
        "AST": (-240, false), "ADT": (-180, false),
    ]

    /// The words of a date value, comments left out, split at white space and commas.
    private static func words(_ value: UnsafeBufferPointer<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var current: [UInt8] = []
        var depth = 0
        var escaped = false
        for byte in value {
            if depth > 0 {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x28 {
                    depth += 1
                } else if byte == 0x29 {
                    depth -= 1
                }
            } else if byte == 0x28 || byte == 0x20 || byte == 0x09 || byte == 0x2C || byte == 0x0D || byte == 0x0A {
                if !current.isEmpty { out.append(current[...]); current = [] }
                if byte == 0x28 { depth = 1 }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { out.append(current[...]) }
        return out
    }

    /// `h:mm`, `hh:mm:ss`, possibly with a zone glued on.
    private static func isTime(_ word: ArraySlice<UInt8>) -> Bool {
        let time = word.prefix { $0 != 0x2B && $0 != 0x2D }
        let parts = time.split(separator: 0x3A, omittingEmptySubsequences: false)
        return (parts.count == 2 || parts.count == 3) && parts.allSatisfy { (1...2).contains($0.count) && $0.allSatisfy(isDigit) }
    }

    private static func isAMPM(_ word: ArraySlice<UInt8>) -> Bool {
        word.count == 2 && (word.first! | 0x20 == 0x61 || word.first! | 0x20 == 0x70) && word.last! | 0x20 == 0x6D
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}

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

extension MailAddress {
    /// True when `list` holds two or more bare words and nothing else: no display name and no `@` (GMime reads the
    /// Outlook name `Jansen, Kees` as the local addresses "Jansen" and "Kees"). One bare word (`To: noone`) stays
    /// the local address GMime reads.
    static func onlyBareWords(_ list: [MailAddress]) -> Bool {
        list.count >= 2 && list.allSatisfy { $0.name == nil && !$0.address.contains("@") }
    }

    /// The mailboxes of a GMime address list, group members included (groups nested at most eight deep).
    static func list(_ list: UnsafeMutablePointer<InternetAddressList>?) -> [MailAddress] {
        guard let list else { return [] }
        var out: [MailAddress] = []
        collect(list, into: &out, depth: 0)
        return out
    }

    private static func collect(_ list: UnsafeMutablePointer<InternetAddressList>, into out: inout [MailAddress], depth: Int) {
        guard depth < 8 else { return }
        for i in 0..<internet_address_list_length(list) {
            guard let ia = internet_address_list_get_address(list, i) else { continue }
            if sls_is_mailbox(ia) != 0, let mb = sls_as_mailbox(ia) {
                let addr = internet_address_mailbox_get_addr(mb).map { String(cString: $0) } ?? ""
                let name = internet_address_get_name(ia).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
                if !addr.isEmpty || name != nil { out.append(MailAddress(name: name, address: addr)) }
            } else if sls_is_group(ia) != 0, let group = sls_as_group(ia), let members = internet_address_group_get_members(group) {
                collect(members, into: &out, depth: depth + 1)
            }
        }
    }
}


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

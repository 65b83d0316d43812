// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenArchive
import SluitsteenSupport

/// Reads the metadata of one message with GMime 3.
///
/// Thread-safe: each call uses its own parser, options and stream, so ingest can parse on every core.
/// A message GMime cannot make sense of still yields a ``ParsedMessage`` with defect codes: nothing is dropped.
public enum MessageParser {
    private static let initialised: Bool = {
        g_mime_init()
        // GMime opens an iconv converter for every encoded header it decodes, and glibc unloads a charset's
        // module when its last converter closes: without a converter that stays open, every such header cost a
        // dlopen/dlclose. One converter per common mail charset is opened here and never closed.
        for charset in ["ISO-8859-1", "ISO-8859-2", "ISO-8859-15", "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252",
                        "UTF-16", "KOI8-R", "ISO-2022-JP", "SHIFT_JIS", "EUC-JP", "GB18030", "BIG5", "EUC-KR"] {
            _ = iconv_open("UTF-8", charset)
        }
        return true
    }()

    /// Limits that keep hostile messages from exhausting memory or the stack.
    static let maxDepth = 48
    static let maxTextBytes = 4 << 20

    /// Parses `bytes` (one message; for mbox, `fromLine` is its separator line without the trailing newline).
    /// `fallbackDate` is used when neither the `Date` header, a `Received` header nor the From_ line gives a date.
    public static func parse(_ bytes: UnsafeRawBufferPointer, fromLine: String? = nil, sha256: String,
                             fallbackDate: (Date, DateSource)) -> ParsedMessage {
        _ = initialised
        let (stream, cut) = memoryStream(bytes)
        return parse(stream: stream, persist: false, headerCut: cut, fromLine: fromLine, sha256: sha256, fallbackDate: fallbackDate)
    }

    /// Parses the message in the file at `path` (a stored message too large to hold in memory), through GMime's
    /// file stream: the parts' contents stay in the file, so memory does not grow with the message.
    public static func parse(file path: String, fromLine: String? = nil, sha256: String,
                             fallbackDate: (Date, DateSource)) throws(ArchiveError) -> ParsedMessage {
        _ = initialised
        let (stream, cut) = try fileStream(path)
        return parse(stream: stream, persist: true, headerCut: cut, fromLine: fromLine, sha256: sha256, fallbackDate: fallbackDate)
    }

    /// A GMime stream of the message in memory, with its header block cut when it is too large (``HeaderBlock``).
    private static func memoryStream(_ bytes: UnsafeRawBufferPointer) -> (UnsafeMutablePointer<GMimeStream>?, HeaderBlock.Cut?) {
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        guard let cut = HeaderBlock.cut(bytes) else { return (g_mime_stream_mem_new_with_buffer(base, bytes.count), nil) }
        let offset = Int(cut.bodyOffset)
        return (HeaderBlock.stream(cut, body: g_mime_stream_mem_new_with_buffer(base.map { $0 + offset }, bytes.count - offset)), cut)
    }

    /// A GMime stream of the message in the file at `path`, with its header block cut when it is too large.
    private static func fileStream(_ path: String) throws(ArchiveError) -> (UnsafeMutablePointer<GMimeStream>?, HeaderBlock.Cut?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path, reason: String(cString: strerror(errno))) }
        let cut: HeaderBlock.Cut?
        do throws(ArchiveError) { cut = try HeaderBlock.cut(fileDescriptor: fd) } catch {
            close(fd)
            throw .cannotRead(path, reason: error.description)
        }
        // The stream owns the descriptor from here on.
        let stream = g_mime_stream_fs_new(fd)
        guard let cut else { return (stream, nil) }
        let body = g_mime_stream_substream(stream, gint64(cut.bodyOffset), -1)
        sls_unref(stream)
        return (HeaderBlock.stream(cut, body: body), cut)
    }

    /// Parses the message in `stream` (taking over the caller's reference).
    private static func parse(stream: UnsafeMutablePointer<GMimeStream>?, persist: Bool, headerCut: HeaderBlock.Cut?,
                              fromLine: String?, sha256: String, fallbackDate: (Date, DateSource)) -> ParsedMessage {
        var result = ParsedMessage(
            messageId: "", messageIdSynthetic: false, date: nil, dateOffsetMinutes: 0, dateSource: .header,
            subject: "", from: [], to: [], cc: [], bcc: [], headerKeywords: [], attachmentNames: [],
            attachmentCount: 0, defects: headerCut?.defects ?? [])
        let collector = DefectCollector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }

        let options = g_mime_parser_options_new()
        defer { g_mime_parser_options_free(options) }
        g_mime_parser_options_set_warning_callback(options, { _, code, _, userData in
            guard let userData else { return }
            Unmanaged<DefectCollector>.fromOpaque(userData).takeUnretainedValue().add(code)
        }, unmanaged.toOpaque())

        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        g_mime_parser_set_persist_stream(parser, persist ? 1 : 0)

        guard let message = g_mime_parser_construct_message(parser, options) else {
            result.defects = collector.codes + result.defects + [MessageDefect.unparseable.rawValue]
            result.messageId = synthetic(sha256)
            result.messageIdSynthetic = true
            result.defects.append(MessageDefect.missingMessageId.rawValue)
            applyFallbackDate(&result, fromLine: fromLine, received: [], fallback: fallbackDate)
            return result
        }
        defer { sls_unref(message) }

        let fields = HeaderFields(sls_message_as_object(message), options: options)
        result.headerKeywords = fields.keywords
        if let raw = fields.messageId, let id = MessageID.extract(raw) {
            result.messageId = id
        } else {
            result.messageId = synthetic(sha256)
            result.messageIdSynthetic = true
            result.defects.append(MessageDefect.missingMessageId.rawValue)
        }
        result.subject = fields.subject(of: message, options: options)
        result.from = fields.addresses(.from, gmime: g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_FROM), options: options)
        result.to = fields.addresses(.to, gmime: g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), options: options)
        result.cc = fields.addresses(.cc, gmime: g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), options: options)
        result.bcc = fields.addresses(.bcc, gmime: g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_BCC), options: options)

        if let reading = fields.dateReading(of: message) {
            result.date = reading.date
            result.dateOffsetMinutes = reading.offsetMinutes
            result.dateSource = .header
            if reading.invalidZone { result.defects.append(MessageDefect.invalidDateZone.rawValue) }
        } else {
            result.defects.append(fields.date != nil ? MessageDefect.unparseableDate.rawValue : MessageDefect.missingDate.rawValue)
            applyFallbackDate(&result, fromLine: fromLine, received: fields.received, fallback: fallbackDate)
        }

        result.receivedDate = newestReceived(fields.received)

        var walker = PartWalker(collectText: false)
        if let body = g_mime_message_get_mime_part(message) {
            walker.walk(body, depth: 0)
        }
        if walker.depthExceeded { result.defects.append(MessageDefect.nestingTooDeep.rawValue) }
        result.attachmentNames = walker.attachmentNames
        result.attachmentCount = walker.attachmentCount
        result.defects = collector.codes + result.defects
        applyStoredLimits(&result)
        return result
    }

    /// Cuts the recorded values to ``StoredLimits``, with a defect for each kind of value that was cut.
    static func applyStoredLimits(_ result: inout ParsedMessage) {
        var cut: [MessageDefect] = []
        func note(_ defect: MessageDefect) { if !cut.contains(defect) { cut.append(defect) } }
        if let s = StoredLimits.cut(result.subject, bytes: StoredLimits.subjectBytes) {
            result.subject = s
            note(.subjectCut)
        }
        if !result.messageIdSynthetic, let s = StoredLimits.cut(result.messageId, bytes: StoredLimits.valueBytes - 1) {
            result.messageId = s + ">"
            note(.messageIdCut)
        }
        func limit(_ list: inout [MailAddress]) {
            if list.count > StoredLimits.addresses {
                list.removeLast(list.count - StoredLimits.addresses)
                note(.addressesCut)
            }
            for i in list.indices {
                if let name = list[i].name, let s = StoredLimits.cut(name, bytes: StoredLimits.valueBytes) {
                    list[i].name = s
                    note(.addressCut)
                }
                if let s = StoredLimits.cut(list[i].address, bytes: StoredLimits.valueBytes) {
                    list[i].address = s
                    note(.addressCut)
                }
            }
        }
        limit(&result.from)
        limit(&result.to)
        limit(&result.cc)
        limit(&result.bcc)
        func limit(_ list: inout [String], count: Int, defect: MessageDefect) {
            if list.count > count {
                list.removeLast(list.count - count)
                note(defect)
            }
            for i in list.indices {
                if let s = StoredLimits.cut(list[i], bytes: StoredLimits.valueBytes) {
                    list[i] = s
                    note(defect)
                }
            }
        }
        limit(&result.headerKeywords, count: StoredLimits.keywords, defect: .keywordsCut)
        limit(&result.attachmentNames, count: StoredLimits.attachmentNames, defect: .attachmentNamesCut)
        guard !cut.isEmpty else { return }
        // In the order MessageDefect lists them, so the record is the same whatever order the cuts came in.
        result.defects += MessageDefect.allCases.filter { cut.contains($0) }.map(\.rawValue)
    }

    /// The subject and the decoded text of the text parts (HTML reduced to its visible text), in UTF-8: what the
    /// full-text index holds for hotspot and Woo term matching. Attachments are not read. A huge header block is
    /// read cut, as ``parse(_:fromLine:sha256:fallbackDate:)`` reads it.
    public static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        _ = initialised
        return text(stream: memoryStream(bytes).0, persist: false)
    }

    /// ``text(_:)`` of the message in the file at `path`, read through GMime's file stream (for messages too large
    /// to hold in memory).
    public static func text(file path: String) throws(ArchiveError) -> String {
        _ = initialised
        return text(stream: try fileStream(path).0, persist: true)
    }

    private static func text(stream: UnsafeMutablePointer<GMimeStream>?, persist: Bool) -> String {
        let options = g_mime_parser_options_new()
        defer { g_mime_parser_options_free(options) }
        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        g_mime_parser_set_persist_stream(parser, persist ? 1 : 0)
        guard let message = g_mime_parser_construct_message(parser, options) else { return "" }
        defer { sls_unref(message) }
        var walker = PartWalker(collectText: true)
        let subject = HeaderFields.subject(of: message, options: options)
        if !subject.isEmpty {
            walker.text.append(subject)
            walker.text.append("\n")
        }
        if let body = g_mime_message_get_mime_part(message) { walker.walk(body, depth: 0) }
        return walker.text
    }

    /// A stable synthetic Message-ID for a message without one: derived from its content hash.
    public static func synthetic(_ sha256: String) -> String {
        "<sluitsteen.\(sha256.prefix(32))@synthetic.invalid>"
    }

    /// The date of the newest `Received` header that has one (the first in the header block: each hop prepends its own).
    private static func newestReceived(_ received: [UnsafePointer<CChar>]) -> Date? {
        for value in received {
            guard let semicolon = strrchr(value, 0x3B) else { continue }
            if let reading = MailDate.read(semicolon + 1) { return reading.date }
        }
        return nil
    }

    private static func applyFallbackDate(_ result: inout ParsedMessage, fromLine: String?, received: [UnsafePointer<CChar>],
                                          fallback: (Date, DateSource)) {
        // The newest Received header is the first one in the header block (each hop prepends its own).
        for value in received {
            guard let semicolon = strrchr(value, 0x3B) else { continue }
            if let reading = MailDate.read(semicolon + 1) {
                result.date = reading.date
                result.dateOffsetMinutes = reading.offsetMinutes
                result.dateSource = .received
                if reading.invalidZone { result.defects.append(MessageDefect.invalidDateZone.rawValue) }
                return
            }
        }
        if let fromLine, let date = FromLine.date(in: fromLine) {
            result.date = date
            result.dateOffsetMinutes = 0
            result.dateSource = .fromLine
            return
        }
        result.date = fallback.0
        result.dateOffsetMinutes = 0
        result.dateSource = fallback.1
    }
}

/// Collects GMime's parser warnings for one message (reached through the C callback's `user_data`).
private final class DefectCollector: @unchecked Sendable {
    // Only touched by the one thread parsing this message.
    private(set) var codes: [String] = []

    func add(_ code: GMimeParserWarning) {
        let name = DefectCollector.name(code)
        if !codes.contains(name) { codes.append(name) }
    }

    static func name(_ code: GMimeParserWarning) -> String {
        switch code {
        case GMIME_WARN_DUPLICATED_HEADER: return "duplicated-header"
        case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated-parameter"
        case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded-8bit-header"
        case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid-content-type"
        case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid-rfc2047-header"
        case GMIME_WARN_INVALID_PARAMETER: return "invalid-parameter"
        case GMIME_WARN_MALFORMED_MULTIPART: return "malformed-multipart"
        case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated-message"
        case GMIME_WARN_MALFORMED_MESSAGE: return "malformed-message"
        case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid-address-list"
        case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid-header-name"
        case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting-header"
        case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting-parameter"
        case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart-without-boundary"
        case GMIME_CRIT_NESTING_OVERFLOW: return "nesting-overflow"
        case GMIME_WARN_PART_WITHOUT_CONTENT: return "part-without-content"
        case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "part-without-headers-or-content"
        default: return "gmime-warning-\(code.rawValue)"
        }
    }
}

/// Walks a MIME tree: counts attachments, collects their names and (for the text index) the decoded text parts.
struct PartWalker {
    let collectText: Bool
    var attachmentNames: [String] = []
    var attachmentCount = 0
    var text = ""
    var depthExceeded = false

    mutating func walk(_ object: UnsafeMutablePointer<GMimeObject>, depth: Int) {
        guard depth < MessageParser.maxDepth else { depthExceeded = true; return }
        if sls_is_multipart(object) != 0, let mp = sls_as_multipart(object) {
            let n = g_mime_multipart_get_count(mp)
            var i: Int32 = 0
            while i < n {
                if let child = g_mime_multipart_get_part(mp, i) { walk(child, depth: depth + 1) }
                i += 1
            }
        } else if sls_is_message_part(object) != 0, let mp = sls_as_message_part(object) {
            attachmentCount += 1
            var name = filename(object)
            if name == nil, let inner = g_mime_message_part_get_message(mp) {
                let subject = HeaderFields.subject(of: inner, options: nil)
                if !subject.isEmpty { name = subject + ".eml" }
            }
            if let name { attachmentNames.append(name) }
        } else if sls_is_part(object) != 0 {
            let disposition = g_mime_object_get_content_disposition(object)
            let isAttachment = disposition.map { g_mime_content_disposition_is_attachment($0) != 0 } ?? false
            let name = filename(object)
            if isAttachment || name != nil {
                attachmentCount += 1
                if let name { attachmentNames.append(name) }
            } else if collectText, sls_is_text_part(object) != 0, text.utf8.count < MessageParser.maxTextBytes,
                      let ct = g_mime_object_get_content_type(object),
                      g_mime_content_type_is_type(ct, "text", "plain") != 0 || g_mime_content_type_is_type(ct, "text", "html") != 0,
                      let body = PartWalker.text(of: object, limit: MessageParser.maxTextBytes) {
                let isHTML = g_mime_content_type_is_type(ct, "text", "html") != 0
                text.append(isHTML ? HTMLText.visibleText(body) : body)
                text.append("\n")
            }
        }
    }

    /// The decoded text of a text part in UTF-8, at most `limit` bytes of it: the content is read through a filter
    /// stream (transfer decoding, then the part's charset to UTF-8, as `g_mime_text_part_get_text` does it), so a
    /// huge part is never decoded into memory whole, and a NUL byte in the text does not end it (it becomes a space).
    static func text(of object: UnsafeMutablePointer<GMimeObject>, limit: Int) -> String? {
        guard let content = g_mime_part_get_content(sls_as_part(object)), let source = g_mime_data_wrapper_get_stream(content) else {
            return nil
        }
        _ = g_mime_stream_reset(source)
        guard let filtered = g_mime_stream_filter_new(source) else { return nil }
        defer { sls_unref(filtered) }
        let filter = sls_as_stream_filter(filtered)
        let encoding = g_mime_data_wrapper_get_encoding(content)
        if encoding != GMIME_CONTENT_ENCODING_DEFAULT, let decoder = g_mime_filter_basic_new(encoding, 0) {
            _ = g_mime_stream_filter_add(filter, decoder)
            sls_unref(decoder)
        }
        if let charset = g_mime_object_get_content_type_parameter(object, "charset"),
           let converter = g_mime_filter_charset_new(charset, "utf-8") {
            _ = g_mime_stream_filter_add(filter, converter)
            sls_unref(converter)
        }
        var out = [UInt8]()
        var chunk = [CChar](repeating: 0, count: 64 << 10)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBufferPointer { g_mime_stream_read(filtered, $0.baseAddress, min($0.count, limit - out.count)) }
            // A read can give nothing while the filters still have input to go (blank base64 lines, soft line
            // breaks): only the end of the stream ends the text.
            if n < 0 || (n == 0 && g_mime_stream_eos(filtered) != 0) { break }
            if n > 0 { chunk.withUnsafeBufferPointer { $0.withMemoryRebound(to: UInt8.self) { out.append(contentsOf: $0.prefix(n)) } } }
        }
        // A NUL byte would end the text for SQLite: it becomes a space, as it separates words anyway.
        for i in out.indices where out[i] == 0 { out[i] = 0x20 }
        return String(decoding: out, as: UTF8.self)
    }

    /// The file name of a part: GMime's (the Content-Disposition `filename`, else the Content-Type `name`, RFC 2231
    /// and RFC 2047 decoded), read again from the raw fields when they hold an encoded-word GMime would not decode
    /// whole (``EncodedWords``); else a Content-Disposition `name` (not standard, but written by some mailers).
    private func filename(_ object: UnsafeMutablePointer<GMimeObject>) -> String? {
        var name: String?
        if sls_is_part(object) != 0, let part = sls_as_part(object), let f = g_mime_part_get_filename(part) {
            name = String(cString: f)
        } else if let disposition = g_mime_object_get_content_disposition(object),
                  let f = g_mime_content_disposition_get_parameter(disposition, "filename") {
            name = String(cString: f)
        }
        if name != nil, let reread = PartWalker.filenameFromRawFields(object) { name = reread }
        if name == nil || name?.isEmpty == true, let disposition = g_mime_object_get_content_disposition(object),
           let f = g_mime_content_disposition_get_parameter(disposition, "name") {
            name = String(cString: f)
        }
        return name?.isEmpty == false ? name : nil
    }

    /// The file name from the part's raw Content-Disposition and Content-Type fields, when one of them holds `=?`.
    private static func filenameFromRawFields(_ object: UnsafeMutablePointer<GMimeObject>) -> String? {
        guard let headers = g_mime_object_get_header_list(object) else { return nil }
        var disposition: UnsafePointer<CChar>?
        var type: UnsafePointer<CChar>?
        for i in 0..<g_mime_header_list_get_count(headers) {
            guard let header = g_mime_header_list_get_header_at(headers, i), let name = g_mime_header_get_name(header),
                  let raw = g_mime_header_get_raw_value(header) else { continue }
            if disposition == nil, strcasecmp(name, "content-disposition") == 0 { disposition = UnsafePointer(raw) }
            if type == nil, strcasecmp(name, "content-type") == 0 { type = UnsafePointer(raw) }
        }
        guard [disposition, type].contains(where: { $0.map { strstr($0, "=?") != nil } ?? false }) else { return nil }
        if let disposition {
            let f: String? = HeaderText.withNormalised(disposition) { value in
                guard let parsed = g_mime_content_disposition_parse(nil, value) else { return nil }
                defer { sls_unref(parsed) }
                return g_mime_content_disposition_get_parameter(parsed, "filename").map { String(cString: $0) }
            }
            if let f, !f.isEmpty { return f }
        }
        if let type {
            return HeaderText.withNormalised(type) { value in
                guard let parsed = g_mime_content_type_parse(nil, value) else { return nil }
                defer { sls_unref(parsed) }
                return g_mime_content_type_get_parameter(parsed, "name").map { String(cString: $0) }
            }
        }
        return nil
    }
}

/// Text visible in an HTML body part, for term matching only (tags and entities are dropped, not interpreted).
enum HTMLText {
    static func visibleText(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        var inTag = false
        for scalar in html.unicodeScalars {
            if inTag {
                if scalar == ">" { inTag = false; out.append(" ") }
            } else if scalar == "<" {
                inTag = true
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

/// The mbox `From_` separator line: `From sender Tue Mar  1 12:00:00 2024`.
public enum FromLine {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date at the end of a From_ line (asctime format, taken as UTC), if any.
    public static func date(in line: String) -> Date? {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Look for "Mon DD HH:MM:SS YYYY" anywhere after the sender.
        guard words.count >= 5 else { return nil }
        for i in 1..<(words.count - 3) {
            guard let m = months.firstIndex(of: words[i].lowercased().prefix(3).description), words[i].count == 3,
                  let d = Int(words[i + 1]), (1...31).contains(d) else { continue }
            let hms = words[i + 2].split(separator: ":").compactMap { Int($0) }
            guard hms.count >= 2, let y = Int(words[i + 3].prefix(4)), y > 1900 else { continue }
            let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m + 1, d, hms[0], hms[1], hms.count > 2 ? hms[2] : 0)
            return ISOTimestamp.parse(iso)
        }
        return nil
    }
}

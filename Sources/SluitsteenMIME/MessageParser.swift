// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenSupport

/// Reads the metadata of one message with GMime 3.
///
/// Thread-safe: each call uses its own parser, options and stream, so ingest can parse on every core.
/// A message GMime cannot make sense of still yields a ``ParsedMessage`` with defect codes: nothing is dropped.
public enum MessageParser {
    /// The most text kept for the full-text index per message (a hostile message must not exhaust memory).
    static let maxTextBytes = 4 << 20

    /// Parses `bytes` (one message; for mbox, `fromLine` is its separator line without the trailing newline).
    /// `fallbackDate` is used when neither the `Date` header, a `Received` header nor the From_ line gives a date.
    public static func parse(_ bytes: UnsafeRawBufferPointer, fromLine: String? = nil, sha256: String,
                             fallbackDate: (Date, DateSource)) -> ParsedMessage {
        _ = GMimeRuntime.ready
        let (stream, cut) = memoryStream(bytes)
        return parse(stream: stream, persist: false, headerCut: cut, depth: .full, fromLine: fromLine, sha256: sha256,
                     fallbackDate: fallbackDate).message
    }

    /// Parses the message in the file at `path` (a stored message too large to hold in memory), through GMime's
    /// file stream: the parts' contents stay in the file, so memory does not grow with the message.
    public static func parse(file path: String, fromLine: String? = nil, sha256: String,
                             fallbackDate: (Date, DateSource)) throws(MIMEError) -> ParsedMessage {
        try parse(file: FileRange(path: path), fromLine: fromLine, sha256: sha256, fallbackDate: fallbackDate)
    }

    /// Parses the message in a range of a file (a stored message inside a pack), through GMime's file stream bounded
    /// to the range: the parts' contents stay in the file, so memory does not grow with the message.
    public static func parse(file range: FileRange, fromLine: String? = nil, sha256: String,
                             fallbackDate: (Date, DateSource)) throws(MIMEError) -> ParsedMessage {
        _ = GMimeRuntime.ready
        let (stream, cut) = try fileStream(range)
        return parse(stream: stream, persist: true, headerCut: cut, depth: .full, fromLine: fromLine, sha256: sha256,
                     fallbackDate: fallbackDate).message
    }

    /// Reads only the header block of `bytes` (up to the empty line that ends it) with GMime: the metadata a
    /// decision needs (Message-ID, date, addresses, subject, keywords, the newest Received date), as
    /// ``parse(_:fromLine:sha256:fallbackDate:)`` reads them, without walking the body. Attachments are not counted,
    /// and only defects found in the header block are recorded (Sluitsteen's own, and GMime's warnings about header
    /// fields): the full reading (``parseWithText(_:sha256:fallbackDate:)``) records the rest later. What ingest does.
    public static func parseHeader(_ bytes: UnsafeRawBufferPointer, fromLine: String? = nil, sha256: String,
                                   fallbackDate: (Date, DateSource)) -> ParsedMessage {
        _ = GMimeRuntime.ready
        let stream: UnsafeMutablePointer<GMimeStream>?
        let cut = HeaderBlock.cut(bytes)
        if let cut {
            stream = HeaderBlock.stream(cut, body: nil)
        } else {
            stream = g_mime_stream_mem_new_with_buffer(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), HeaderBlock.end(bytes))
        }
        return parse(stream: stream, persist: false, headerCut: cut, depth: .header, fromLine: fromLine, sha256: sha256,
                     fallbackDate: fallbackDate).message
    }

    /// ``parseHeader(_:fromLine:sha256:fallbackDate:)`` of the message in the file at `path`: only its header block is read.
    public static func parseHeader(file path: String, fromLine: String? = nil, sha256: String,
                                   fallbackDate: (Date, DateSource)) throws(MIMEError) -> ParsedMessage {
        try parseHeader(file: FileRange(path: path), fromLine: fromLine, sha256: sha256, fallbackDate: fallbackDate)
    }

    /// ``parseHeader(_:fromLine:sha256:fallbackDate:)`` of the message in a range of a file (a stored message inside a
    /// pack): only its header block is read.
    public static func parseHeader(file range: FileRange, fromLine: String? = nil, sha256: String,
                                   fallbackDate: (Date, DateSource)) throws(MIMEError) -> ParsedMessage {
        _ = GMimeRuntime.ready
        let path = range.path
        let file: FileDescriptor
        do { file = try .open(path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(path, reason: error.description) }
        let scan: (cut: HeaderBlock.Cut?, end: Int64)
        do throws(MIMEError) { scan = try HeaderBlock.scan(fileDescriptor: file, range: range) } catch {
            try? file.close()
            throw .cannotRead(path, reason: error.description)
        }
        let stream: UnsafeMutablePointer<GMimeStream>?
        if let cut = scan.cut {
            try? file.close()
            stream = HeaderBlock.stream(cut, body: nil)
        } else {
            // The stream owns the descriptor from here on.
            stream = g_mime_stream_fs_new_with_bounds(file.rawValue, gint64(range.offset), gint64(range.offset + scan.end))
        }
        return parse(stream: stream, persist: false, headerCut: scan.cut, depth: .header, fromLine: fromLine, sha256: sha256,
                     fallbackDate: fallbackDate).message
    }

    /// The full reading of a message in memory, in one GMime parse: its metadata with the attachments and every
    /// defect (as ``parse(_:fromLine:sha256:fallbackDate:)``), and the text the full-text index holds (as
    /// ``text(_:)``). What `sluitsteen index` does for a message ingest read only the header block of.
    public static func parseWithText(_ bytes: UnsafeRawBufferPointer, sha256: String,
                                     fallbackDate: (Date, DateSource)) -> (message: ParsedMessage, text: String) {
        _ = GMimeRuntime.ready
        let (stream, cut) = memoryStream(bytes)
        let r = parse(stream: stream, persist: false, headerCut: cut, depth: .fullWithText, fromLine: nil, sha256: sha256,
                      fallbackDate: fallbackDate)
        return (r.message, r.text)
    }

    /// ``parseWithText(_:sha256:fallbackDate:)`` of the message in a range of a file (a stored message inside a pack),
    /// read through GMime's file stream bounded to the range.
    public static func parseWithText(file range: FileRange, sha256: String,
                                     fallbackDate: (Date, DateSource)) throws(MIMEError) -> (message: ParsedMessage, text: String) {
        _ = GMimeRuntime.ready
        let (stream, cut) = try fileStream(range)
        let r = parse(stream: stream, persist: true, headerCut: cut, depth: .fullWithText, fromLine: nil, sha256: sha256,
                      fallbackDate: fallbackDate)
        return (r.message, r.text)
    }

    /// How much of a message a parse reads.
    enum Depth {
        /// The header block only (the stream holds nothing more).
        case header
        /// Every part: attachments and all defects.
        case full
        /// Every part, and the text of the message's own text parts for the index.
        case fullWithText
    }

    /// GMime's warnings that are about a header field (of the message's own header block): the ones a reading of the
    /// header block alone records. The others (a multipart without its end, a truncated message, a part without
    /// content, …) are about the body, and a header block read alone would show them falsely.
    static let headerWarnings: Set<String> = [
        "duplicated-header", "unencoded-8bit-header", "invalid-rfc2047-header", "invalid-address-list", "invalid-header-name",
        "conflicting-header", "invalid-content-type", "duplicated-parameter", "invalid-parameter", "conflicting-parameter",
    ]

    /// A GMime stream of the message in memory, with its header block cut when it is too large (``HeaderBlock``).
    static func memoryStream(_ bytes: UnsafeRawBufferPointer) -> (UnsafeMutablePointer<GMimeStream>?, HeaderBlock.Cut?) {
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        guard let cut = HeaderBlock.cut(bytes) else { return (g_mime_stream_mem_new_with_buffer(base, bytes.count), nil) }
        let offset = Int(cut.bodyOffset)
        return (HeaderBlock.stream(cut, body: g_mime_stream_mem_new_with_buffer(base.map { $0 + offset }, bytes.count - offset)), cut)
    }

    /// A GMime stream of the message in a range of a file (bounded to it), with its header block cut when it is too
    /// large.
    static func fileStream(_ range: FileRange) throws(MIMEError) -> (UnsafeMutablePointer<GMimeStream>?, HeaderBlock.Cut?) {
        let path = range.path
        let file: FileDescriptor
        do { file = try .open(path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(path, reason: error.description) }
        let fd = file.rawValue
        let cut: HeaderBlock.Cut?
        do throws(MIMEError) { cut = try HeaderBlock.cut(fileDescriptor: file, range: range) } catch {
            try? file.close()
            throw .cannotRead(path, reason: error.description)
        }
        // The stream owns the descriptor from here on.
        let stream = g_mime_stream_fs_new_with_bounds(fd, gint64(range.offset), gint64(range.end))
        guard let cut else { return (stream, nil) }
        let body = g_mime_stream_substream(stream, gint64(range.offset + cut.bodyOffset), gint64(range.end))
        sls_unref(stream)
        return (HeaderBlock.stream(cut, body: body), cut)
    }

    /// Parses the message in `stream` (taking over the caller's reference) to `depth`; the text is empty unless the
    /// depth is ``Depth/fullWithText``.
    private static func parse(stream: UnsafeMutablePointer<GMimeStream>?, persist: Bool, headerCut: HeaderBlock.Cut?, depth: Depth,
                              fromLine: String?, sha256: String,
                              fallbackDate: (Date, DateSource)) -> (message: ParsedMessage, text: String) {
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
            return (result, "")
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

        var text = ""
        if case .fullWithText = depth, !result.subject.isEmpty {
            text.append(result.subject)
            text.append("\n")
        }
        var depthExceeded = false
        if depth != .header, let body = g_mime_message_get_mime_part(message) {
            let withText = depth == .fullWithText
            depthExceeded = PartWalker.walk(body) { part in
                switch part {
                case .attachment(_, let name), .message(_, let name):
                    result.attachmentCount += 1
                    if let name { result.attachmentNames.append(name) }
                case .body(let object):
                    if withText { appendText(of: object, to: &text) }
                }
                return true
            }
        }
        if depthExceeded { result.defects.append(MessageDefect.nestingTooDeep.rawValue) }
        result.defects = (depth == .header ? collector.codes.filter(headerWarnings.contains) : collector.codes) + result.defects
        applyStoredLimits(&result)
        return (result, text)
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
private final class DefectCollector {
    // Only touched by the one thread parsing this message (through the parser's warning callback).
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

// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenSupport

extension MessageParser {
    /// The subject and the decoded text of the text parts (HTML reduced to its visible text), in UTF-8: what the
    /// full-text index holds for hotspot and Woo term matching. Attachments are not read. A huge header block is
    /// read cut, as ``parse(_:fromLine:sha256:fallbackDate:)`` reads it.
    public static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        _ = GMimeRuntime.ready
        return text(stream: memoryStream(bytes).0, persist: false)
    }

    /// ``text(_:)`` of the message in the file at `path`, read through GMime's file stream (for messages too large
    /// to hold in memory).
    public static func text(file path: String) throws(MIMEError) -> String {
        try text(file: FileRange(path: path))
    }

    /// ``text(_:)`` of the message in a range of a file (a stored message inside a pack).
    public static func text(file range: FileRange) throws(MIMEError) -> String {
        _ = GMimeRuntime.ready
        return text(stream: try fileStream(range).0, persist: true)
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
        var text = ""
        let subject = HeaderFields.subject(of: message, options: options)
        if !subject.isEmpty {
            text.append(subject)
            text.append("\n")
        }
        guard let body = g_mime_message_get_mime_part(message) else { return text }
        PartWalker.walk(body) { part in
            // Only the message's own text parts: attachments (also text ones) are not read.
            if case .body(let object) = part { appendText(of: object, to: &text) }
            return true
        }
        return text
    }

    /// Appends the visible text of a body part to `text` when it is a plain or HTML text part (and the text is not
    /// at its limit yet).
    static func appendText(of object: UnsafeMutablePointer<GMimeObject>, to text: inout String) {
        guard sls_is_text_part(object) != 0, text.utf8.count < maxTextBytes, let ct = g_mime_object_get_content_type(object) else { return }
        let isHTML = g_mime_content_type_is_type(ct, "text", "html") != 0
        guard isHTML || g_mime_content_type_is_type(ct, "text", "plain") != 0,
              let decoded = MessageParser.text(of: object, limit: maxTextBytes) else { return }
        text.append(isHTML ? HTMLText.visibleText(decoded) : decoded)
        text.append("\n")
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

// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenSupport

/// The readable bodies of a message, for a person who reads it: the first plain-text part and the first HTML part of
/// the message's own body (not of its attachments), decoded to UTF-8.
public struct MessageBodies: Sendable, Equatable {
    public var plain: String?
    /// The HTML as the sender wrote it: never show it without making it inert first (SluitsteenXML's HTMLSanitizer).
    public var html: String?
    /// True when a body was longer than the limit and was cut.
    public var cut: Bool

    public init(plain: String?, html: String?, cut: Bool) {
        self.plain = plain
        self.html = html
        self.cut = cut
    }
}

extension MessageParser {
    /// The most text of one body part read for a person (2 MB of plain text, 4 MB of HTML are far more than any
    /// real message has; the stored message keeps everything).
    public static let bodyLimit = 4 << 20

    /// The bodies of the message `bytes`.
    public static func bodies(_ bytes: UnsafeRawBufferPointer) -> MessageBodies {
        _ = GMimeRuntime.ready
        return bodies(stream: memoryStream(bytes).0, persist: false)
    }

    /// The bodies of the message in the file at `path`, read through GMime's file stream.
    public static func bodies(file path: String) throws(MIMEError) -> MessageBodies {
        try bodies(file: FileRange(path: path))
    }

    /// The bodies of the message in a range of a file (a stored message inside a pack).
    public static func bodies(file range: FileRange) throws(MIMEError) -> MessageBodies {
        _ = GMimeRuntime.ready
        return bodies(stream: try fileStream(range).0, persist: true)
    }

    private static func bodies(stream: UnsafeMutablePointer<GMimeStream>?, persist: Bool) -> MessageBodies {
        var result = MessageBodies(plain: nil, html: nil, cut: false)
        let options = g_mime_parser_options_new()
        defer { g_mime_parser_options_free(options) }
        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        g_mime_parser_set_persist_stream(parser, persist ? 1 : 0)
        guard let message = g_mime_parser_construct_message(parser, options), let body = g_mime_message_get_mime_part(message) else {
            return result
        }
        defer { sls_unref(message) }
        PartWalker.walk(body) { part in
            guard case .body(let object) = part, sls_is_text_part(object) != 0, let ct = g_mime_object_get_content_type(object) else { return true }
            let isHTML = g_mime_content_type_is_type(ct, "text", "html") != 0
            let isPlain = g_mime_content_type_is_type(ct, "text", "plain") != 0
            if isPlain, result.plain == nil, let text = MessageParser.text(of: object, limit: bodyLimit + 1) {
                result.cut = result.cut || text.utf8.count > bodyLimit
                result.plain = String(decoding: text.utf8.prefix(bodyLimit), as: UTF8.self)
            } else if isHTML, result.html == nil, let text = MessageParser.text(of: object, limit: bodyLimit + 1) {
                result.cut = result.cut || text.utf8.count > bodyLimit
                result.html = String(decoding: text.utf8.prefix(bodyLimit), as: UTF8.self)
            }
            return result.plain == nil || result.html == nil
        }
        return result
    }
}

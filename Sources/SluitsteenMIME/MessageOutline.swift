// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenSupport

/// What a Woo request needs to know of a message before anyone reads it: where it stands in its conversation
/// (Message-ID, In-Reply-To, References) and its attachments in the order ``AttachmentExtraction`` takes them out
/// (names and types only: no content is decoded).
public struct MessageOutline: Sendable, Equatable {
    /// One attachment as ``PartWalker`` sees it.
    public struct Attachment: Sendable, Equatable {
        /// The decoded file name, if it has one (an attached message without one is named by its subject + `.eml`).
        public var name: String?
        /// The MIME type in lower case (`application/pdf`; `message/rfc822` for an attached message).
        public var mimeType: String
        /// True for an attached message.
        public var isMessage: Bool
        /// Its place in the list ``AttachmentExtraction`` returns for the same message, or nil when extraction
        /// leaves it out (an attached message in which GMime found no message: there are no bytes to take out).
        public var extractionIndex: Int?

        public init(name: String?, mimeType: String, isMessage: Bool, extractionIndex: Int?) {
            self.name = name
            self.mimeType = mimeType
            self.isMessage = isMessage
            self.extractionIndex = extractionIndex
        }
    }

    /// The Message-ID as `<id>`, nil when the message has none.
    public var messageId: String?
    /// The Message-IDs of In-Reply-To, each as `<id>`, in header order.
    public var inReplyTo: [String]
    /// The Message-IDs of References, each as `<id>`, oldest first (as the header lists them).
    public var references: [String]
    public var attachments: [Attachment]

    public init(messageId: String?, inReplyTo: [String], references: [String], attachments: [Attachment]) {
        self.messageId = messageId
        self.inReplyTo = inReplyTo
        self.references = references
        self.attachments = attachments
    }

    /// The outline of the message in the file at `path`, read through GMime's file stream (memory does not grow
    /// with the message; attachment contents are never decoded).
    public static func read(file path: String) throws(MIMEError) -> MessageOutline {
        try read(file: FileRange(path: path))
    }

    /// The outline of the message in a range of a file (a stored message inside a pack).
    public static func read(file range: FileRange) throws(MIMEError) -> MessageOutline {
        _ = GMimeRuntime.ready
        return outline(stream: try MessageParser.fileStream(range).0, persist: true)
    }

    /// The outline of the message `bytes`.
    public static func read(_ bytes: UnsafeRawBufferPointer) -> MessageOutline {
        _ = GMimeRuntime.ready
        return outline(stream: MessageParser.memoryStream(bytes).0, persist: false)
    }

    /// Visible text of an HTML body, as the full-text index reads it (tags dropped, entities left as written): the
    /// body of a disclosure when a mail has no plain-text part. It is not an HTML renderer; a reader checks it.
    public static func visibleText(ofHTML html: String) -> String { HTMLText.visibleText(html) }

    private static func outline(stream: UnsafeMutablePointer<GMimeStream>?, persist: Bool) -> MessageOutline {
        var result = MessageOutline(messageId: nil, inReplyTo: [], references: [], attachments: [])
        let options = g_mime_parser_options_new()
        defer { g_mime_parser_options_free(options) }
        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        g_mime_parser_set_persist_stream(parser, persist ? 1 : 0)
        guard let message = g_mime_parser_construct_message(parser, options) else { return result }
        defer { sls_unref(message) }
        if let headers = g_mime_object_get_header_list(sls_message_as_object(message)) {
            for i in 0..<g_mime_header_list_get_count(headers) {
                guard let header = g_mime_header_list_get_header_at(headers, i), let name = g_mime_header_get_name(header),
                      let value = g_mime_header_get_raw_value(header) else { continue }
                if strcasecmp(name, "message-id") == 0 {
                    if result.messageId == nil { result.messageId = MessageID.extract(value) }
                } else if strcasecmp(name, "in-reply-to") == 0 {
                    result.inReplyTo += identifiers(value, options: options)
                } else if strcasecmp(name, "references") == 0 {
                    result.references += identifiers(value, options: options)
                }
            }
        }
        guard let body = g_mime_message_get_mime_part(message) else { return result }
        var extracted = 0
        PartWalker.walk(body) { part in
            switch part {
            case .attachment(let p, let name):
                result.attachments.append(Attachment(name: name, mimeType: mimeType(objectOf(p)), isMessage: false,
                                                     extractionIndex: extracted))
                extracted += 1
            case .message(let inner, let name):
                result.attachments.append(Attachment(name: name, mimeType: "message/rfc822", isMessage: true,
                                                     extractionIndex: inner == nil ? nil : extracted))
                if inner != nil { extracted += 1 }
            case .body:
                break
            }
            return true
        }
        return result
    }

    /// The Message-IDs in a raw In-Reply-To or References value (GMime's reading: unfolded, comments and phrases
    /// left out), each as `<id>`.
    private static func identifiers(_ raw: UnsafePointer<CChar>, options: OpaquePointer?) -> [String] {
        guard let unfolded = g_mime_utils_header_unfold(raw) else { return [] }
        defer { g_free(unfolded) }
        guard let refs = g_mime_references_parse(options, unfolded) else { return [] }
        defer { g_mime_references_free(refs) }
        var out: [String] = []
        for i in 0..<g_mime_references_length(refs) {
            guard let id = g_mime_references_get_message_id(refs, i) else { continue }
            let text = String(cString: id)
            if !text.isEmpty { out.append("<\(text)>") }
        }
        return out
    }

    private static func mimeType(_ object: UnsafeMutablePointer<GMimeObject>?) -> String {
        guard let object, let ct = g_mime_object_get_content_type(object), let text = g_mime_content_type_get_mime_type(ct) else {
            return "application/octet-stream"
        }
        defer { g_free(text) }
        return String(cString: text).lowercased()
    }
}

/// A GMime part seen as its object (GObject casts do not import into Swift).
private func objectOf(_ part: UnsafeMutablePointer<GMimePart>) -> UnsafeMutablePointer<GMimeObject>? {
    UnsafeMutableRawPointer(part).assumingMemoryBound(to: GMimeObject.self)
}

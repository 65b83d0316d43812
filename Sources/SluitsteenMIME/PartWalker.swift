// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// The one walk over a message's MIME tree, and the one rule for what is an attachment and what it is called: the
/// catalog's attachment count and names (``MessageParser``), the text the full-text index holds (body parts only)
/// and the attachments an export takes out (``AttachmentExtraction``) all come from here, so they always agree.
///
/// Parts are visited depth first, in the order they are in the message; multiparts are opened (up to
/// ``GMimeRuntime/maxDepth`` levels), every other part is one ``Part``.
enum PartWalker {
    /// One part of the tree.
    enum Part {
        /// An attachment: a part with `Content-Disposition: attachment`, or one with a file name.
        case attachment(UnsafeMutablePointer<GMimePart>, name: String?)
        /// An attached message (`message/rfc822`), with its file name, else its subject with `.eml`; `message` is
        /// nil when GMime found no message in it (it still counts as an attachment).
        case message(UnsafeMutablePointer<GMimeMessage>?, name: String?)
        /// A part of the message's own body (text, or anything else without a file name or attachment disposition).
        case body(UnsafeMutablePointer<GMimeObject>)
    }

    /// Visits every part under `root`; `visit` returns false to stop the walk. Returns true when parts were nested
    /// deeper than the walk follows (they were not visited).
    @discardableResult
    static func walk(_ root: UnsafeMutablePointer<GMimeObject>, _ visit: (Part) -> Bool) -> Bool {
        var depthExceeded = false
        _ = walk(root, depth: 0, depthExceeded: &depthExceeded, visit)
        return depthExceeded
    }

    /// Returns false when `visit` stopped the walk.
    private static func walk(_ object: UnsafeMutablePointer<GMimeObject>, depth: Int, depthExceeded: inout Bool,
                             _ visit: (Part) -> Bool) -> Bool {
        guard depth < GMimeRuntime.maxDepth else { depthExceeded = true; return true }
        if sls_is_multipart(object) != 0, let mp = sls_as_multipart(object) {
            let n = g_mime_multipart_get_count(mp)
            var i: Int32 = 0
            while i < n {
                if let child = g_mime_multipart_get_part(mp, i),
                   !walk(child, depth: depth + 1, depthExceeded: &depthExceeded, visit) { return false }
                i += 1
            }
            return true
        }
        if sls_is_message_part(object) != 0, let mp = sls_as_message_part(object) {
            let inner = g_mime_message_part_get_message(mp)
            var name = filename(object)
            if name == nil, let inner {
                let subject = HeaderFields.subject(of: inner, options: nil)
                if !subject.isEmpty { name = subject + ".eml" }
            }
            return visit(.message(inner, name: name))
        }
        if sls_is_part(object) != 0, let part = sls_as_part(object) {
            let disposition = g_mime_object_get_content_disposition(object)
            let isAttachment = disposition.map { g_mime_content_disposition_is_attachment($0) != 0 } ?? false
            let name = filename(object)
            if isAttachment || name != nil { return visit(.attachment(part, name: name)) }
            return visit(.body(object))
        }
        return true
    }

    /// The file name of a part: GMime's (the Content-Disposition `filename`, else the Content-Type `name`, RFC 2231
    /// and RFC 2047 decoded), read again from the raw fields when they hold an encoded-word GMime would not decode
    /// whole (``EncodedWords``); else a Content-Disposition `name` (not standard, but written by some mailers).
    static func filename(_ object: UnsafeMutablePointer<GMimeObject>) -> String? {
        var name: String?
        if sls_is_part(object) != 0, let part = sls_as_part(object), let f = g_mime_part_get_filename(part) {
            name = String(cString: f)
        } else if let disposition = g_mime_object_get_content_disposition(object),
                  let f = g_mime_content_disposition_get_parameter(disposition, "filename") {
            name = String(cString: f)
        }
        if name != nil, let reread = filenameFromRawFields(object) { name = reread }
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

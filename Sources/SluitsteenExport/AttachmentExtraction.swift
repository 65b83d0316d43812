// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// One attachment taken out of a message: its (decoded) file name, if any, and its decoded bytes.
struct ExtractedAttachment: Sendable {
    let filename: String?
    let bytes: Data
    /// True for an attached message (message/rfc822).
    let isMessage: Bool
}

/// Takes the attachments out of a message with GMime 3: parts with a `Content-Disposition: attachment` or a file
/// name, and attached messages, with their content transfer encoding undone. The only GMime code of the export.
enum AttachmentExtraction {
    private static let initialised: Bool = {
        g_mime_init()
        return true
    }()
    static let maxDepth = 48

    static func attachments(of bytes: Data) -> [ExtractedAttachment] {
        _ = initialised
        return bytes.withUnsafeBytes { raw -> [ExtractedAttachment] in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return [] }
            let stream = g_mime_stream_mem_new_with_buffer(base, raw.count)
            let parser = g_mime_parser_new_with_stream(stream)
            sls_unref(stream)
            defer { sls_unref(parser) }
            g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
            guard let message = g_mime_parser_construct_message(parser, nil) else { return [] }
            defer { sls_unref(message) }
            guard let body = g_mime_message_get_mime_part(message) else { return [] }
            var out: [ExtractedAttachment] = []
            walk(body, depth: 0, into: &out)
            return out
        }
    }

    private static func walk(_ object: UnsafeMutablePointer<GMimeObject>, depth: Int, into out: inout [ExtractedAttachment]) {
        guard depth < maxDepth else { return }
        if sls_is_multipart(object) != 0, let mp = sls_as_multipart(object) {
            let n = g_mime_multipart_get_count(mp)
            var i: Int32 = 0
            while i < n {
                if let child = g_mime_multipart_get_part(mp, i) { walk(child, depth: depth + 1, into: &out) }
                i += 1
            }
        } else if sls_is_message_part(object) != 0, let mp = sls_as_message_part(object) {
            guard let inner = g_mime_message_part_get_message(mp) else { return }
            var name = filename(object)
            if name == nil, let s = g_mime_message_get_subject(inner) { name = String(cString: s) + ".eml" }
            out.append(ExtractedAttachment(filename: name, bytes: write(sls_message_as_object(inner)), isMessage: true))
        } else if sls_is_part(object) != 0, let part = sls_as_part(object) {
            let disposition = g_mime_object_get_content_disposition(object)
            let isAttachment = disposition.map { g_mime_content_disposition_is_attachment($0) != 0 } ?? false
            let name = filename(object)
            guard isAttachment || name != nil else { return }
            var data = Data()
            if let wrapper = g_mime_part_get_content(part) {
                let mem = g_mime_stream_mem_new()
                defer { sls_unref(mem) }
                g_mime_data_wrapper_write_to_stream(wrapper, mem)
                data = bytes(of: mem)
            }
            out.append(ExtractedAttachment(filename: name, bytes: data, isMessage: false))
        }
    }

    private static func write(_ object: UnsafeMutablePointer<GMimeObject>?) -> Data {
        guard let object else { return Data() }
        let mem = g_mime_stream_mem_new()
        defer { sls_unref(mem) }
        g_mime_object_write_to_stream(object, nil, mem)
        return bytes(of: mem)
    }

    private static func bytes(of stream: UnsafeMutablePointer<GMimeStream>?) -> Data {
        guard let stream, let mem = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: GMimeStreamMem.self) as UnsafeMutablePointer<GMimeStreamMem>?,
              let array = g_mime_stream_mem_get_byte_array(mem) else { return Data() }
        let length = Int(array.pointee.len)
        guard length > 0, let data = array.pointee.data else { return Data() }
        return Data(bytes: data, count: length)
    }

    private static func filename(_ object: UnsafeMutablePointer<GMimeObject>) -> String? {
        if sls_is_part(object) != 0, let part = sls_as_part(object), let f = g_mime_part_get_filename(part) {
            let s = String(cString: f)
            if !s.isEmpty { return s }
        }
        if let disposition = g_mime_object_get_content_disposition(object),
           let f = g_mime_content_disposition_get_parameter(disposition, "filename") {
            let s = String(cString: f)
            return s.isEmpty ? nil : s
        }
        return nil
    }
}

// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// One attachment taken out of a message: its (decoded) file name, if any, and its decoded bytes (in memory, or
/// in a file when the message was too large to hold in memory).
struct ExtractedAttachment: Sendable {
    let filename: String?
    let bytes: Data
    /// True for an attached message (message/rfc822).
    let isMessage: Bool
    /// Where the decoded bytes were written, in file mode (``bytes`` is then empty).
    var file: String? = nil
}

/// Takes the attachments out of a message with GMime 3: parts with a `Content-Disposition: attachment` or a file
/// name, and attached messages, with their content transfer encoding undone. The only GMime code of the export.
enum AttachmentExtraction {
    private static let initialised: Bool = {
        g_mime_init()
        return true
    }()
    static let maxDepth = 48

    /// The attachments of the message in the file at `path`, each decoded straight into a new file named
    /// `scratchPrefix` + its number: memory does not grow with the message. Throws when a file cannot be written.
    static func attachments(ofFile path: String, scratchPrefix: String) throws(ExportError) -> [ExtractedAttachment] {
        _ = initialised
        guard let stream = g_mime_stream_fs_open(path, O_RDONLY | O_CLOEXEC, 0, nil) else {
            throw .cannotWrite(path, reason: "the stored message cannot be opened: \(String(cString: strerror(errno)))")
        }
        var sink = Sink.files(prefix: scratchPrefix, failure: nil)
        let out = attachments(in: stream, sink: &sink)
        if case .files(_, let failure?) = sink {
            for a in out { if let f = a.file { unlink(f) } }
            throw failure
        }
        return out
    }

    /// Where decoded attachments go: into memory, or each into a new file (the first write failure is kept).
    private enum Sink {
        case memory
        case files(prefix: String, failure: ExportError?)
    }

    static func attachments(of bytes: Data) -> [ExtractedAttachment] {
        _ = initialised
        return bytes.withUnsafeBytes { raw -> [ExtractedAttachment] in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return [] }
            var sink = Sink.memory
            return attachments(in: g_mime_stream_mem_new_with_buffer(base, raw.count), sink: &sink)
        }
    }

    /// Parses the message in `stream` (taking over the caller's reference) and walks its parts into `sink`.
    private static func attachments(in stream: UnsafeMutablePointer<GMimeStream>?, sink: inout Sink) -> [ExtractedAttachment] {
        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        guard let message = g_mime_parser_construct_message(parser, nil) else { return [] }
        defer { sls_unref(message) }
        guard let body = g_mime_message_get_mime_part(message) else { return [] }
        var out: [ExtractedAttachment] = []
        walk(body, depth: 0, into: &out, sink: &sink)
        return out
    }

    private static func walk(_ object: UnsafeMutablePointer<GMimeObject>, depth: Int, into out: inout [ExtractedAttachment], sink: inout Sink) {
        guard depth < maxDepth else { return }
        if case .files(_, _?) = sink { return }
        if sls_is_multipart(object) != 0, let mp = sls_as_multipart(object) {
            let n = g_mime_multipart_get_count(mp)
            var i: Int32 = 0
            while i < n {
                if let child = g_mime_multipart_get_part(mp, i) { walk(child, depth: depth + 1, into: &out, sink: &sink) }
                i += 1
            }
        } else if sls_is_message_part(object) != 0, let mp = sls_as_message_part(object) {
            guard let inner = g_mime_message_part_get_message(mp) else { return }
            var name = filename(object)
            if name == nil, let s = g_mime_message_get_subject(inner) { name = String(cString: s) + ".eml" }
            out.append(emit(name: name, isMessage: true, index: out.count, sink: &sink) { stream in
                g_mime_object_write_to_stream(sls_message_as_object(inner), nil, stream)
            })
        } else if sls_is_part(object) != 0, let part = sls_as_part(object) {
            let disposition = g_mime_object_get_content_disposition(object)
            let isAttachment = disposition.map { g_mime_content_disposition_is_attachment($0) != 0 } ?? false
            let name = filename(object)
            guard isAttachment || name != nil else { return }
            let wrapper = g_mime_part_get_content(part)
            out.append(emit(name: name, isMessage: false, index: out.count, sink: &sink) { stream in
                wrapper.map { g_mime_data_wrapper_write_to_stream($0, stream) } ?? 0
            })
        }
    }

    /// Writes one attachment through `write` into memory or a new file, as the sink says.
    private static func emit(name: String?, isMessage: Bool, index: Int, sink: inout Sink,
                             _ write: (UnsafeMutablePointer<GMimeStream>?) -> Int) -> ExtractedAttachment {
        switch sink {
        case .memory:
            let mem = g_mime_stream_mem_new()
            defer { sls_unref(mem) }
            _ = write(mem)
            return ExtractedAttachment(filename: name, bytes: bytes(of: mem), isMessage: isMessage)
        case .files(let prefix, _):
            let path = prefix + String(index + 1)
            guard let file = g_mime_stream_fs_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644, nil) else {
                sink = .files(prefix: prefix, failure: .cannotWrite(path, reason: String(cString: strerror(errno))))
                return ExtractedAttachment(filename: name, bytes: Data(), isMessage: isMessage, file: nil)
            }
            // GMime does not report every short write (a message's last boundary line, say): the attachment is
            // first written to a null stream to learn its size, and the file must come out exactly that long.
            let counter = g_mime_stream_null_new()
            let expected = write(counter)
            sls_unref(counter)
            let written = write(file)
            let ended = g_mime_stream_eos(file) != 0
            let closed = g_mime_stream_close(file)
            sls_unref(file)
            var st = stat()
            let size = stat(path, &st) == 0 ? Int(st.st_size) : -1
            if written < 0 || ended || closed != 0 || size != expected {
                sink = .files(prefix: prefix, failure: .cannotWrite(path, reason: "the attachment could not be written whole (disk full?)"))
            }
            return ExtractedAttachment(filename: name, bytes: Data(), isMessage: isMessage, file: path)
        }
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

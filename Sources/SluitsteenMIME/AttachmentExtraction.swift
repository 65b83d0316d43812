// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenSupport

/// One attachment taken out of a message: its (decoded) file name, if any, and its decoded bytes (in memory, or
/// in a file when the message was too large to hold in memory).
public struct ExtractedAttachment: Sendable {
    public let filename: String?
    public let bytes: Data
    /// True for an attached message (message/rfc822).
    public let isMessage: Bool
    /// Where the decoded bytes were written, in file mode (``bytes`` is then empty).
    public var file: String? = nil
}

/// Takes the attachments out of a message with GMime 3: the parts ``PartWalker`` calls attachments (as the
/// catalog counts and names them), with their content transfer encoding undone, and attached messages as they
/// are. An attached message in which GMime found no message is left out (there is nothing to write).
public enum AttachmentExtraction {
    /// The attachments of the message in the file at `path`, each decoded straight into a new file named
    /// `scratchPrefix` + its number: memory does not grow with the message. Throws when the message cannot be
    /// opened or a file cannot be written (the files written until then are removed).
    public static func attachments(ofFile path: String, scratchPrefix: String) throws(MIMEError) -> [ExtractedAttachment] {
        try attachments(ofFile: FileRange(path: path), scratchPrefix: scratchPrefix)
    }

    /// ``attachments(ofFile:scratchPrefix:)`` of the message in a range of a file (a stored message inside a pack),
    /// through a file stream bounded to the range.
    public static func attachments(ofFile range: FileRange, scratchPrefix: String) throws(MIMEError) -> [ExtractedAttachment] {
        _ = GMimeRuntime.ready
        let fd = open(range.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let stream = g_mime_stream_fs_new_with_bounds(fd, gint64(range.offset), gint64(range.end)) else {
            let reason = Errno.currentText
            if fd >= 0 { close(fd) }
            throw .cannotOpen(range.path, reason: reason)
        }
        var sink = Sink.files(prefix: scratchPrefix, failure: nil)
        let out = attachments(in: stream, sink: &sink)
        if case .files(_, let failure?) = sink {
            for a in out { if let f = a.file { unlink(f) } }
            throw failure
        }
        return out
    }

    /// The attachments of the message `bytes`, decoded into memory.
    public static func attachments(of bytes: Data) -> [ExtractedAttachment] {
        _ = GMimeRuntime.ready
        return bytes.withUnsafeBytes { raw -> [ExtractedAttachment] in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return [] }
            var sink = Sink.memory
            return attachments(in: g_mime_stream_mem_new_with_buffer(base, raw.count), sink: &sink)
        }
    }

    /// Where decoded attachments go: into memory, or each into a new file (the first write failure is kept).
    private enum Sink {
        case memory
        case files(prefix: String, failure: MIMEError?)

        var failed: Bool {
            if case .files(_, _?) = self { return true }
            return false
        }
    }

    /// Parses the message in `stream` (taking over the caller's reference) and writes its attachments into `sink`.
    private static func attachments(in stream: UnsafeMutablePointer<GMimeStream>?, sink: inout Sink) -> [ExtractedAttachment] {
        let parser = g_mime_parser_new_with_stream(stream)
        sls_unref(stream)
        defer { sls_unref(parser) }
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        guard let message = g_mime_parser_construct_message(parser, nil) else { return [] }
        defer { sls_unref(message) }
        guard let body = g_mime_message_get_mime_part(message) else { return [] }
        var out: [ExtractedAttachment] = []
        PartWalker.walk(body) { part in
            switch part {
            case .message(let inner?, let name):
                out.append(emit(name: name, isMessage: true, index: out.count, sink: &sink) { stream in
                    g_mime_object_write_to_stream(sls_message_as_object(inner), nil, stream)
                })
            case .attachment(let part, let name):
                let wrapper = g_mime_part_get_content(part)
                out.append(emit(name: name, isMessage: false, index: out.count, sink: &sink) { stream in
                    wrapper.map { g_mime_data_wrapper_write_to_stream($0, stream) } ?? 0
                })
            case .message(nil, _), .body:
                break
            }
            return !sink.failed
        }
        return out
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
                sink = .files(prefix: prefix, failure: .cannotWrite(path, reason: Errno.currentText))
                return ExtractedAttachment(filename: name, bytes: Data(), isMessage: isMessage, file: nil)
            }
            // GMime does not report every short write (a message's last boundary line, say): the attachment is
            // first written to a null stream to learn its size, and the file must come out exactly that long. The
            // size is the bytes the null stream received: what a write returns counts the bytes before GMime's own
            // filters (an attached message with CRLF line ends is written with LF, so it returns more).
            let counter = g_mime_stream_null_new()
            _ = write(counter)
            let expected = counter.map {
                Int(UnsafeMutableRawPointer($0).assumingMemoryBound(to: GMimeStreamNull.self).pointee.written)
            } ?? -1
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
        guard let stream,
              let mem = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: GMimeStreamMem.self) as UnsafeMutablePointer<GMimeStreamMem>?,
              let array = g_mime_stream_mem_get_byte_array(mem) else { return Data() }
        let length = Int(array.pointee.len)
        guard length > 0, let data = array.pointee.data else { return Data() }
        return Data(bytes: data, count: length)
    }
}

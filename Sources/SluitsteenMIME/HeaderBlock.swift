// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation
import SluitsteenSupport

/// Keeps the memory of parsing bounded when a message's header block is huge.
///
/// GMime holds every header field of the message whole, and decodes it again for its value: a 300 MB `Subject`
/// took 1.9 GB to parse. So GMime is given a copy of the header block in which every field (with its continuation
/// lines) longer than ``maxFieldBytes`` is cut to that length and fields after the first ``maxBlockBytes`` are left
/// out, followed by the message's body as it is. Only the reading of the metadata sees the cut copy: the stored
/// message stays byte for byte what was found, and the defects `header-field-cut` / `header-block-cut` say that
/// its recorded values come from a cut copy. Messages within the limits (nearly all) are parsed as they are; one
/// no longer than the limits is not even looked at.
enum HeaderBlock {
    /// A header field is read up to this many bytes (1 MiB: room for some 15,000 recipients in one `To`).
    static let maxFieldBytes = 1 << 20
    /// Fields that start after this many bytes of (cut) header block are left out (4 MiB: a huge field before the
    /// others does not take them away).
    static let maxBlockBytes = 4 << 20

    /// The header block as GMime is given it, and where the body starts in the message.
    struct Cut {
        var header: [UInt8]
        var bodyOffset: Int64
        var fieldCut: Bool
        var blockCut: Bool

        var defects: [String] {
            (fieldCut ? [MessageDefect.headerFieldCut.rawValue] : []) + (blockCut ? [MessageDefect.headerBlockCut.rawValue] : [])
        }
    }

    /// The cut header block of a message in memory, or nil when it is within the limits.
    static func cut(_ bytes: UnsafeRawBufferPointer) -> Cut? {
        guard bytes.count > min(maxFieldBytes, maxBlockBytes) else { return nil }
        var scanner = Scanner()
        _ = scanner.feed(bytes)
        return scanner.result(end: Int64(bytes.count))
    }

    /// The cut header block of the message in the file open as `fd`, read in chunks from its start, or nil when it
    /// is within the limits. Reads only as far as the header block goes.
    static func cut(fileDescriptor file: FileDescriptor, range: FileRange = FileRange(path: "")) throws(MIMEError) -> Cut? {
        try scan(fileDescriptor: file, range: range).cut
    }

    /// The cut header block of the message in `range` of the file open as `fd` (nil when it is within the limits), and
    /// where the header block ends (relative to the range's start): just after the empty line that ends it, or at the
    /// end of what was read when there is none. Reads only as far as the header block goes.
    static func scan(fileDescriptor file: FileDescriptor, range: FileRange = FileRange(path: "")) throws(MIMEError) -> (cut: Cut?, end: Int64) {
        var scanner = Scanner()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var offset: Int64 = 0
        let limit = range.length ?? Int64.max
        while offset < limit {
            let wanted = Int(min(Int64(chunk.count), limit - offset))
            let read = chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(Errno) in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]), at: range.offset + offset)
                }
            }
            let n: Int
            switch read {
            case .success(let count): n = count
            case .failure(let error): throw .cannotRead("a stored message", reason: error.description)
            }
            if n == 0 { break }
            offset += Int64(n)
            if chunk.withUnsafeBytes({ scanner.feed(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) { break }
        }
        return (scanner.result(end: offset), scanner.blockEnd ?? offset)
    }

    /// Where the header block of a message in memory ends: just after the empty line (LF or CRLF) that ends it, or
    /// at the end of the message when it has none. Only looks for that line; reading the fields is GMime's.
    static func end(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count {
            guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
            let newline = base.distance(to: UnsafeRawPointer(found))
            let length = newline - start
            if length == 0 || (length == 1 && bytes[start] == 0x0D) { return newline + 1 }
            start = newline + 1
        }
        return bytes.count
    }

    /// A stream of the cut header block followed by `body` (the message from ``Cut/bodyOffset`` on); takes over
    /// the caller's reference to `body`.
    static func stream(_ cut: Cut, body: UnsafeMutablePointer<GMimeStream>?) -> UnsafeMutablePointer<GMimeStream>? {
        let cat = g_mime_stream_cat_new()
        let head = cut.header.withUnsafeBufferPointer {
            g_mime_stream_mem_new_with_buffer(UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count)
        }
        _ = g_mime_stream_cat_add_source(sls_as_stream_cat(cat), head)
        sls_unref(head)
        if let body {
            _ = g_mime_stream_cat_add_source(sls_as_stream_cat(cat), body)
            sls_unref(body)
        }
        return cat
    }

    /// Follows the header block line by line (a line starting with a space or tab continues the field before it;
    /// an empty line ends the block) and builds the cut copy as it goes, within the limits.
    struct Scanner {
        private var out: [UInt8] = []
        private var consumed: Int64 = 0
        private var lineLength = 0
        private var lineEmitted = 0
        private var lineFirst: UInt8 = 0
        private var fieldLength = 0
        private var dropping = false
        private var fieldCut = false
        private var blockCut = false
        private var bodyOffset: Int64?

        /// Takes the next bytes of the message; true once the header block has ended (later bytes are not needed).
        mutating func feed(_ chunk: UnsafeRawBufferPointer) -> Bool {
            guard bodyOffset == nil, let base = chunk.baseAddress else { return bodyOffset != nil }
            var p = 0
            while p < chunk.count {
                let newline = memchr(base + p, 0x0A, chunk.count - p).map { base.distance(to: UnsafeRawPointer($0)) }
                let end = newline ?? chunk.count
                if end > p { take(UnsafeRawBufferPointer(rebasing: chunk[p..<end])) }
                guard let newline else { consumed += Int64(chunk.count - p); return false }
                consumed += Int64(newline + 1 - p)
                p = newline + 1
                if isBlankLine {
                    // The empty line (LF or CRLF) that ends the header block.
                    if lineLength == 1 && lineEmitted == 0 { out.append(0x0D) }
                    out.append(0x0A)
                    bodyOffset = consumed
                    return true
                }
                if dropping { blockCut = true }
                if lineEmitted > 0 { out.append(0x0A) }
                fieldLength += 1
                lineLength = 0
                lineEmitted = 0
            }
            return false
        }

        /// Where the header block ended (just after its empty line), once it has.
        var blockEnd: Int64? { bodyOffset }

        private var isBlankLine: Bool { lineLength == 0 || (lineLength == 1 && lineFirst == 0x0D) }

        /// Bytes of the current line (no newline among them).
        private mutating func take(_ bytes: UnsafeRawBufferPointer) {
            if lineLength == 0 {
                lineFirst = bytes[0]
                if lineFirst != 0x20 && lineFirst != 0x09 {
                    // A new field (or a line GMime will judge); left out once the block is long enough.
                    fieldLength = 0
                    dropping = out.count >= HeaderBlock.maxBlockBytes
                }
            }
            lineLength += bytes.count
            guard !dropping else { return }
            let count = min(max(0, HeaderBlock.maxFieldBytes - fieldLength), bytes.count)
            if count < bytes.count { fieldCut = true }
            out.append(contentsOf: bytes[..<count])
            lineEmitted += count
            fieldLength += bytes.count
        }

        /// The cut copy, or nil when nothing had to be cut (`end` is the length of what was read).
        func result(end: Int64) -> Cut? {
            let blockCut = blockCut || (bodyOffset == nil && dropping && !isBlankLine)
            guard fieldCut || blockCut else { return nil }
            return Cut(header: out, bodyOffset: bodyOffset ?? end, fieldCut: fieldCut, blockCut: blockCut)
        }
    }
}

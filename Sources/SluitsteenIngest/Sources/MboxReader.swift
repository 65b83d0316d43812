// SPDX-License-Identifier: EUPL-1.2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads an mbox file message by message, streaming (memory does not grow with the file).
///
/// Message boundaries follow the mboxo/mboxrd convention as Python's `mailbox.mbox` applies it on Linux: a line
/// starting with `From ` begins a message; the stored bytes are everything after that line up to the next one,
/// minus the single empty line that separates two messages. `>From ` quoting is kept as found: the stored bytes are
/// the bytes of the file.
public struct MboxReader: MessageSource {
    private let fd: Int32
    private let path: String
    private let folder: String
    private var buffer: [UInt8] = []
    private var scan = 0
    private var messageStart = -1
    private var fromLine: String?
    private var lastWasEmpty = false
    private var eof = false
    private var index = 0
    private var finished = false
    public let expectedBytes: Int64?
    public private(set) var notices: [String] = []
    private var leadingBytes = 0

    static let blockSize = 8 << 20

    /// Opens `url`; the folder recorded for its messages is the file name without an `.mbox`/`.mbx` extension.
    public init(url: URL) throws(IngestError) {
        path = url.path
        fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(url.path, reason: String(cString: strerror(errno))) }
        var st = stat()
        fstat(fd, &st)
        expectedBytes = Int64(st.st_size)
        let name = url.lastPathComponent
        let lower = name.lowercased()
        folder = (lower.hasSuffix(".mbox") || lower.hasSuffix(".mbx")) ? String(name.dropLast(lower.hasSuffix(".mbox") ? 5 : 4)) : name
        posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
    }

    /// Closes the file. (Also closed when the reader reaches the end.)
    public func close() { _ = Glibc.close(fd) }

    private mutating func fill() throws(IngestError) {
        // Drop what no longer matters: everything before the current message (or the scan point).
        let keep = messageStart >= 0 ? min(messageStart, scan) : scan
        if keep > 0 {
            buffer.removeSubrange(0..<keep)
            scan -= keep
            if messageStart >= 0 { messageStart -= keep }
        }
        let old = buffer.count
        buffer.reserveCapacity(old + MboxReader.blockSize)
        buffer.append(contentsOf: repeatElement(0, count: MboxReader.blockSize))
        var n = 0
        let requested = MboxReader.blockSize
        buffer.withUnsafeMutableBytes { raw in
            while true {
                n = read(fd, raw.baseAddress! + old, requested)
                if n < 0 && errno == EINTR { continue }
                break
            }
        }
        if n < 0 {
            buffer.removeSubrange(old...)
            throw .unreadable(path, reason: String(cString: strerror(errno)))
        }
        buffer.removeSubrange((old + n)...)
        if n == 0 { eof = true }
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        if finished { return nil }
        while true {
            // Find the end of the line starting at `scan`.
            var lineEnd = -1
            if scan < buffer.count {
                lineEnd = buffer.withUnsafeBytes { raw -> Int in
                    guard let p = memchr(raw.baseAddress! + scan, 0x0A, raw.count - scan) else { return -1 }
                    return raw.baseAddress!.distance(to: UnsafeRawPointer(p)) + 1
                }
            }
            if lineEnd < 0 {
                if !eof {
                    try fill()
                    continue
                }
                if scan < buffer.count { lineEnd = buffer.count } else {
                    // End of file: the last message ends here.
                    finished = true
                    _ = Glibc.close(fd)
                    if leadingBytes > 0 {
                        notices.append("\(path): \(leadingBytes) bytes before the first 'From ' line belong to no message and were not stored")
                    }
                    guard messageStart >= 0 else { return nil }
                    let stop = lastWasEmpty ? buffer.count - 1 : buffer.count
                    return emit(stop: stop)
                }
            }
            let lineStart = scan
            let length = lineEnd - lineStart
            scan = lineEnd
            let isFrom = length >= 5 && buffer[lineStart] == 0x46 && buffer[lineStart + 1] == 0x72 && buffer[lineStart + 2] == 0x6F
                && buffer[lineStart + 3] == 0x6D && buffer[lineStart + 4] == 0x20
            if isFrom {
                var result: RawMessage?
                if messageStart >= 0 {
                    let stop = lastWasEmpty ? lineStart - 1 : lineStart
                    result = emit(stop: stop)
                }
                var lineBytes = buffer[lineStart..<lineEnd]
                if lineBytes.last == 0x0A { lineBytes = lineBytes.dropLast() }
                if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
                fromLine = String(decoding: lineBytes, as: UTF8.self)
                messageStart = lineEnd
                lastWasEmpty = false
                if let result { return result }
            } else {
                if messageStart < 0 { leadingBytes += length }
                lastWasEmpty = length == 1 && buffer[lineStart] == 0x0A
            }
        }
    }

    private mutating func emit(stop: Int) -> RawMessage {
        let bytes = Data(buffer[messageStart..<max(stop, messageStart)])
        let message = RawMessage(bytes: bytes, folder: folder, sourceFile: path, position: index, fromLine: fromLine)
        index += 1
        return message
    }
}

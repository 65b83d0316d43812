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
/// the bytes of the file. Each message is then parsed by GMime (``MessageParser``), on every core. GMime's own mbox
/// mode is not used to cut the file: it is sequential, its end offsets include the separating empty line, and on a
/// hostile file (MimeKit's issue-1189 mbox) it stops after two of four messages, where this reader keeps all four
/// (tested in the corpus conformance tests).
public struct MboxReader: MessageSource {
    private let fd: Int32
    private let path: String
    private let folder: String
    private let buffer = ReadBuffer()
    private var scan = 0
    /// Where the current message starts in `buffer`, or -1 when it is not (or no longer) held there.
    private var messageStart = -1
    /// Where the current message starts in the file; meaningful while `inMessage`.
    private var messageStartOffset: Int64 = 0
    private var inMessage = false
    /// The file offset of the first byte in `buffer`.
    private var bufferOffset: Int64 = 0
    private let inMemoryLimit: Int
    private var fromLine: String?
    private var lastWasEmpty = false
    private var eof = false
    private var index = 0
    private var finished = false
    public let expectedBytes: Int64?
    public private(set) var notices: [String] = []
    private var leadingBytes = 0

    /// How much is read from the file at a time (tests make it small, to cut messages across many reads).
    public static let defaultBlockSize = 8 << 20
    private let blockSize: Int

    /// Opens `url`; the folder recorded for its messages is the file name without an `.mbox`/`.mbx` extension.
    /// A message that grows beyond `inMemoryLimit` bytes is no longer held in memory: it is handed out as a range
    /// of the file.
    public init(url: URL, inMemoryLimit: Int = RawMessage.defaultInMemoryLimit, blockSize: Int = MboxReader.defaultBlockSize) throws(IngestError) {
        self.inMemoryLimit = inMemoryLimit
        self.blockSize = max(1, blockSize)
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
        // Drop what no longer matters: everything before the current message (or the scan point). A message that
        // has grown beyond the in-memory limit is let go of too: it will be handed out as a range of the file.
        // (One byte of slack: the empty line before the next separator is not part of the message, and a message
        // of exactly the limit must stay in memory, so that the same bytes always take the same path.)
        if messageStart >= 0 && scan - messageStart - 1 > inMemoryLimit { messageStart = -1 }
        let keep = messageStart >= 0 ? min(messageStart, scan) : scan
        if keep > 0 {
            buffer.dropFirst(keep)
            scan -= keep
            bufferOffset += Int64(keep)
            if messageStart >= 0 { messageStart -= keep }
        }
        let n = buffer.read(from: fd, upTo: blockSize)
        if n < 0 { throw .unreadable(path, reason: String(cString: strerror(errno))) }
        if n == 0 { eof = true }
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        if finished { return nil }
        while true {
            // Find the end of the line starting at `scan`.
            var lineEnd = -1
            if scan < buffer.count, let p = memchr(buffer.base + scan, 0x0A, buffer.count - scan) {
                lineEnd = buffer.base.distance(to: UnsafeMutableRawPointer(p)) + 1
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
                    guard inMessage else { return nil }
                    let stop = lastWasEmpty ? buffer.count - 1 : buffer.count
                    return emit(stop: stop)
                }
            }
            let lineStart = scan
            let length = lineEnd - lineStart
            scan = lineEnd
            let line = buffer.base + lineStart
            let isFrom = length >= 5 && memcmp(line, "From ", 5) == 0
            if isFrom {
                var result: RawMessage?
                if inMessage {
                    let stop = lastWasEmpty ? lineStart - 1 : lineStart
                    result = emit(stop: stop)
                }
                var lineLength = length
                if lineLength > 0 && line.load(fromByteOffset: lineLength - 1, as: UInt8.self) == 0x0A { lineLength -= 1 }
                if lineLength > 0 && line.load(fromByteOffset: lineLength - 1, as: UInt8.self) == 0x0D { lineLength -= 1 }
                fromLine = String(decoding: UnsafeRawBufferPointer(start: line, count: lineLength), as: UTF8.self)
                messageStart = lineEnd
                messageStartOffset = bufferOffset + Int64(lineEnd)
                inMessage = true
                lastWasEmpty = false
                if let result { return result }
            } else {
                if !inMessage { leadingBytes += length }
                lastWasEmpty = length == 1 && line.load(as: UInt8.self) == 0x0A
            }
        }
    }

    private mutating func emit(stop: Int) -> RawMessage {
        let stopOffset = bufferOffset + Int64(stop)
        let length = max(stopOffset, messageStartOffset) - messageStartOffset
        let content: RawMessage.Content
        if messageStart >= 0 && length <= Int64(inMemoryLimit) {
            content = .bytes(Data(bytes: buffer.base + messageStart, count: Int(length)))
        } else {
            content = .file(FileRange(path: path, offset: messageStartOffset, length: length))
        }
        let message = RawMessage(content: content, folder: folder, sourceFile: path, position: index, fromLine: fromLine)
        index += 1
        return message
    }
}

/// A growable read buffer that is neither zero-filled nor copied as a whole: reading appends into spare capacity,
/// and dropping the consumed front moves only the unconsumed tail.
final class ReadBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 20) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Discards the first `n` bytes.
    func dropFirst(_ n: Int) {
        precondition(n <= count)
        if n < count { memmove(base, base + n, count - n) }
        count -= n
    }

    /// Reads up to `wanted` more bytes (growing the buffer when needed); returns what read(2) returned.
    func read(from fd: Int32, upTo wanted: Int) -> Int {
        if capacity - count < wanted {
            var newCapacity = capacity
            while newCapacity - count < wanted { newCapacity *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        while true {
            let n = Glibc.read(fd, base + count, min(capacity - count, wanted))
            if n < 0 && errno == EINTR { continue }
            if n > 0 { count += n }
            return n
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenSupport
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
    private let file: InputHandle
    private let path: String
    private let folder: String
    private let buffer = ReadBuffer()
    private var scan = 0
    /// Where `scan` is: at the start of a line, or inside a separator line or another line.
    private enum Line { case start, separator, other }
    private var line = Line.start
    /// The first bytes of the separator line being read (at most ``fromLineMax``) and its full length.
    private var separator = Data()
    private var separatorLength = 0
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
    /// The file as it was when opened, to tell whether it changed while it was read.
    private let opened: stat

    /// How much is read from the file at a time (tests make it small, to cut messages across many reads).
    public static let defaultBlockSize = 8 << 20
    private let blockSize: Int
    /// How much of a separator (`From `) line is kept for its date; the rest of an absurdly long one is skipped.
    static let fromLineMax = 4096

    /// Opens `url`; the folder recorded for its messages is the file name without an `.mbox`/`.mbx` extension.
    /// A message that grows beyond `inMemoryLimit` bytes is no longer held in memory: it is handed out as a range
    /// of the file. Memory does not grow with the length of a line either: a line is never held whole, only the
    /// message it belongs to, and only up to the limit.
    ///
    /// `url` is the path named on the command line; if it is a symbolic link it is followed (the operator chose
    /// it), but it must lead to a regular file.
    public init(url: URL, inMemoryLimit: Int = ContentStore.defaultInMemoryLimit,
                blockSize: Int = MboxReader.defaultBlockSize) throws(IngestError) {
        self.inMemoryLimit = inMemoryLimit
        self.blockSize = max(1, blockSize)
        path = url.path
        (file, opened) = try InputFiles.openNamedFile(url.path)
        expectedBytes = Int64(opened.st_size)
        let name = url.lastPathComponent
        let lower = name.lowercased()
        folder = (lower.hasSuffix(".mbox") || lower.hasSuffix(".mbx")) ? String(name.dropLast(lower.hasSuffix(".mbox") ? 5 : 4)) : name
        posix_fadvise(file.fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
    }

    /// Throws ``IngestError/changedWhileRead(_:detail:)`` when the mbox is no longer as it was when opened: another
    /// size or modification time (a mail program wrote to it, compacted or truncated it), or another file under its
    /// name (it was replaced). Messages cut from a changing mbox may be incomplete or missing.
    public func checkUnchanged() throws(IngestError) {
        guard let now = file.status() else { throw .unreadable(path, reason: Errno.currentText) }
        if now.st_size != opened.st_size {
            throw .changedWhileRead(path, detail: "its size went from \(opened.st_size) to \(now.st_size) bytes")
        }
        if now.st_mtim.tv_sec != opened.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened.st_mtim.tv_nsec {
            throw .changedWhileRead(path, detail: "it was written to (its modification time changed)")
        }
        var named = stat()
        if stat(path, &named) != 0 || named.st_ino != opened.st_ino || named.st_dev != opened.st_dev {
            throw .changedWhileRead(path, detail: "another file was put in its place, or it was removed")
        }
    }

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
        let n: Int
        do { n = try buffer.read(from: FileDescriptor(rawValue: file.fd), upTo: blockSize) } catch {
            throw .unreadable(path, reason: error.description)
        }
        if n == 0 { eof = true }
    }

    /// The size of the read buffer (tests check that a long line does not make it grow).
    var bufferCapacity: Int { buffer.capacity }

    /// The offset in the buffer of the next newline at or after `scan`, if the buffer holds one.
    private func newline() -> Int? {
        guard scan < buffer.count, let p = memchr(buffer.base + scan, 0x0A, buffer.count - scan) else { return nil }
        return buffer.base.distance(to: UnsafeMutableRawPointer(p))
    }

    public mutating func next() throws(IngestError) -> RawMessage? {
        if finished { return nil }
        while true {
            switch line {
            case .start:
                // A line is told apart by its first bytes: an empty line by its newline, a separator by `From `.
                let available = buffer.count - scan
                if available == 0 {
                    if !eof { try fill(); continue }
                    return try finish()
                }
                if buffer.base.load(fromByteOffset: scan, as: UInt8.self) == 0x0A {
                    if !inMessage { leadingBytes += 1 }
                    scan += 1
                    lastWasEmpty = true
                    continue
                }
                if available < 5 && newline() == nil && !eof { try fill(); continue }
                if available >= 5 && memcmp(buffer.base + scan, "From ", 5) == 0 {
                    line = .separator
                    separator.removeAll(keepingCapacity: true)
                    separatorLength = 0
                    if inMessage {
                        // The previous message ends where this line starts (less the empty line before it).
                        let message = emit(stopOffset: bufferOffset + Int64(scan) - (lastWasEmpty ? 1 : 0))
                        inMessage = false
                        messageStart = -1
                        return message
                    }
                } else {
                    line = .other
                }
            case .separator:
                let end = newline()
                let stop = end ?? buffer.count
                let room = max(0, MboxReader.fromLineMax - separator.count)
                separator.append(buffer.base.assumingMemoryBound(to: UInt8.self) + scan, count: min(room, stop - scan))
                separatorLength += stop - scan
                scan = stop
                if end == nil && !eof { try fill(); continue }
                if let end { scan = end + 1 }
                if separator.last == 0x0D { separator.removeLast() }
                fromLine = String(decoding: separator, as: UTF8.self)
                if separatorLength > MboxReader.fromLineMax {
                    notices.append("\(path): the 'From ' line before message \(index) is \(separatorLength) bytes long; only its first "
                        + "\(MboxReader.fromLineMax) bytes were read (for its date)")
                }
                messageStart = scan
                messageStartOffset = bufferOffset + Int64(scan)
                inMessage = true
                lastWasEmpty = false
                line = .start
            case .other:
                let end = newline()
                let stop = end.map { $0 + 1 } ?? buffer.count
                if !inMessage { leadingBytes += stop - scan }
                scan = stop
                if end == nil && !eof { try fill(); continue }
                lastWasEmpty = false
                line = .start
            }
        }
    }

    /// The end of the file: the last message ends here, unless the file changed while it was read.
    private mutating func finish() throws(IngestError) -> RawMessage? {
        finished = true
        if leadingBytes > 0 {
            notices.append("\(path): \(leadingBytes) bytes before the first 'From ' line belong to no message and were not stored")
        }
        try checkUnchanged()
        guard inMessage else { return nil }
        return emit(stopOffset: bufferOffset + Int64(buffer.count) - (lastWasEmpty ? 1 : 0))
    }

    private mutating func emit(stopOffset: Int64) -> RawMessage {
        let length = max(stopOffset, messageStartOffset) - messageStartOffset
        let content: RawMessage.Content
        var input: InputHandle?
        if messageStart >= 0 && length <= Int64(inMemoryLimit) {
            content = .bytes(Data(bytes: buffer.base + messageStart, count: Int(length)))
        } else {
            content = .file(FileRange(path: path, offset: messageStartOffset, length: length))
            input = file
        }
        let message = RawMessage(content: content, folder: folder, sourceFile: path, position: index, fromLine: fromLine, input: input)
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

    /// Reads up to `wanted` more bytes (growing the buffer when needed); returns how many (0 at the end of the file).
    func read(from fd: FileDescriptor, upTo wanted: Int) throws(Errno) -> Int {
        if capacity - count < wanted {
            var newCapacity = capacity
            while newCapacity - count < wanted { newCapacity *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        let n = try fd.read(into: UnsafeMutableRawBufferPointer(start: base + count, count: min(capacity - count, wanted)))
        count += n
        return n
    }
}

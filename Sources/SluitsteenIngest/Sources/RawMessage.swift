// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenMIME
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// A range of a file that holds one message's bytes: how a message too large to hold in memory travels.
public struct FileRange: Sendable, Equatable {
    public var path: String
    public var offset: Int64
    public var length: Int64

    public init(path: String, offset: Int64, length: Int64) {
        self.path = path
        self.offset = offset
        self.length = length
    }
}

/// One message as found in a mailbox export, before parsing: its exact bytes and where it came from.
///
/// A message up to the in-memory limit (``ContentStore/defaultInMemoryLimit`` unless a reader is given another)
/// travels as ``bytes``; a larger one as a ``file`` range of its export,
/// which ingest copies into the store while hashing it and parses from the stored file, so that memory does not
/// grow with the size of a message.
public struct RawMessage: Sendable {
    /// The message bytes, exactly as they will be stored (empty when ``file`` is set).
    public var bytes: Data
    /// Where the bytes are, for a message too large to hold in memory.
    public var file: FileRange?
    /// The size of the message in bytes.
    public var size: Int { file.map { Int($0.length) } ?? bytes.count }
    /// The folder path inside the mailbox (mbox file name, Maildir folder, relative directory, PST folder).
    public var folder: String
    /// The file the message was read from.
    public var sourceFile: String
    /// The position of the message within its folder (mbox index, or order of files by name).
    public var position: Int
    /// The mbox separator line (without newline), when the message came from an mbox.
    public var fromLine: String?
    /// Keywords attached to this copy by the mailbox (Maildir keywords, Outlook categories).
    public var keywords: [String]
    /// State flags of this copy (`seen`, `flagged`, `replied`, …).
    public var flags: [String]
    /// A delivery time known from outside the message (Maildir file name, PST item), used only when the message has
    /// no date.
    public var deliveryTime: Date?
    /// The export's file that ``file`` lies in, kept open until the message is stored: ingest copies the bytes
    /// from `input.path`, the very file the reader checked, not from whatever the name points to by then.
    public var input: InputHandle?
    /// Where ``deliveryTime`` comes from.
    public var deliveryTimeSource: DateSource = .maildirName

    public init(bytes: Data, folder: String, sourceFile: String, position: Int, fromLine: String? = nil,
                keywords: [String] = [], flags: [String] = [], deliveryTime: Date? = nil) {
        self.init(content: .bytes(bytes), folder: folder, sourceFile: sourceFile, position: position, fromLine: fromLine,
                  keywords: keywords, flags: flags, deliveryTime: deliveryTime)
    }

    /// The bytes of a message, in memory or in a file.
    public enum Content: Sendable {
        case bytes(Data)
        case file(FileRange)

        /// The content of the regular file at `url` (a symbolic link is refused, not followed): read into memory up
        /// to `inMemoryLimit` bytes, else referred to by its path. For files Sluitsteen wrote itself (readpst's
        /// output in the workspace's private folder); the readers of exports open through ``InputFiles``.
        public static func of(file url: URL, inMemoryLimit: Int) throws(IngestError) -> Content {
            let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw .unreadable(url.path, reason: Errno.currentText) }
            let handle = InputHandle(fd: fd)
            guard let st = handle.status(), st.st_mode & S_IFMT == S_IFREG else {
                throw .unreadable(url.path, reason: "it is not a regular file")
            }
            return try InputFiles.content(of: handle, size: Int64(st.st_size), path: url.path, inMemoryLimit: inMemoryLimit).0
        }
    }

    public init(content: Content, folder: String, sourceFile: String, position: Int, fromLine: String? = nil,
                keywords: [String] = [], flags: [String] = [], deliveryTime: Date? = nil, input: InputHandle? = nil) {
        switch content {
        case .bytes(let data): bytes = data; file = nil
        case .file(let range): bytes = Data(); file = range
        }
        self.folder = folder
        self.sourceFile = sourceFile
        self.position = position
        self.fromLine = fromLine
        self.keywords = keywords
        self.flags = flags
        self.deliveryTime = deliveryTime
        self.input = input
    }
}

/// A reader of one mailbox export that hands out its messages in a fixed, deterministic order.
public protocol MessageSource {
    /// The next message, or nil at the end. Throws when the export cannot be read further.
    mutating func next() throws(IngestError) -> RawMessage?
    /// Total size in bytes when known in advance (for progress and ETA).
    var expectedBytes: Int64? { get }
    /// Findings about the export that are not messages (e.g. bytes before the first mbox separator).
    var notices: [String] { get }
    /// Throws when the export changed since it was opened, in a way that can make what was read wrong or
    /// incomplete. Ingest asks after every message was stored. (Only an mbox can: a message file never changes.)
    func checkUnchanged() throws(IngestError)
}

extension MessageSource {
    public func checkUnchanged() throws(IngestError) {}
}

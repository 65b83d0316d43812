// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// One message as found in a mailbox export, before parsing: its exact bytes and where it came from.
public struct RawMessage: Sendable {
    /// The message bytes, exactly as they will be stored.
    public var bytes: Data
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
    /// A delivery time known from outside the message (Maildir file name), used only when the message has no date.
    public var deliveryTime: Date?

    public init(bytes: Data, folder: String, sourceFile: String, position: Int, fromLine: String? = nil,
                keywords: [String] = [], flags: [String] = [], deliveryTime: Date? = nil) {
        self.bytes = bytes
        self.folder = folder
        self.sourceFile = sourceFile
        self.position = position
        self.fromLine = fromLine
        self.keywords = keywords
        self.flags = flags
        self.deliveryTime = deliveryTime
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
}

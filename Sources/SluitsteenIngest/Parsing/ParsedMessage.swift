// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Where a message's date came from, recorded because a fallback date is less certain than a `Date` header.
public enum DateSource: String, Sendable, Codable {
    /// The message's own `Date` header.
    case header = "date"
    /// The newest `Received` header (the `Date` header was missing or unparseable).
    case received
    /// The mbox `From_` separator line.
    case fromLine = "from-line"
    /// The delivery time encoded in a Maildir file name.
    case maildirName = "maildir-filename"
    /// No date anywhere in the message: the capture time is used, so retention never starts earlier than it should.
    case captureTime = "capture-time"
}

/// A mailbox address as found in a header: the address and the display name, both decoded.
public struct MailAddress: Sendable, Codable, Equatable, Hashable {
    public var name: String?
    public var address: String
    public init(name: String?, address: String) { self.name = name; self.address = address }
}

/// What the ingest stage reads from one message with GMime: the metadata the catalog keeps.
public struct ParsedMessage: Sendable {
    /// Message-ID with angle brackets; a synthetic one when the message has none (see ``messageIdSynthetic``).
    public var messageId: String
    public var messageIdSynthetic: Bool
    /// The message date as an instant, with the UTC offset it was written in (minutes), and where it came from.
    public var date: Date?
    public var dateOffsetMinutes: Int
    public var dateSource: DateSource
    /// The decoded subject (RFC 2047, any charset).
    public var subject: String
    public var from: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var bcc: [MailAddress]
    /// Keywords from `Keywords` and `X-Keywords` headers.
    public var headerKeywords: [String]
    /// File names of the attachments (parts with a file name, attachment disposition, or attached messages).
    public var attachmentNames: [String]
    public var attachmentCount: Int
    /// GMime's parse warnings and Sluitsteen's own findings (``MessageDefect``), as stable codes (e.g.
    /// `malformed-multipart`).
    public var defects: [String]
}

/// The defect codes Sluitsteen itself records for a message (GMime's parse warnings come in addition). The message's
/// bytes are always stored as found; a defect says what could not be read from them, or how it was read.
public enum MessageDefect: String, Sendable, CaseIterable {
    /// GMime could not read the message at all.
    case unparseable
    /// No Message-ID: a synthetic one, derived from the content hash, is recorded.
    case missingMessageId = "missing-message-id"
    /// No `Date` header: the date comes from elsewhere (see ``DateSource``).
    case missingDate = "missing-date"
    /// A `Date` header that cannot be read as a date: the date comes from elsewhere (see ``DateSource``).
    case unparseableDate = "unparseable-date"
    /// The date's zone is not one RFC 5322 defines. A numeric zone is read as Python reads it (sign × (hours × 60 +
    /// minutes): `-0060` as −01:00, `+0480` as +05:20), `+hh:mm` as written, no zone or an unknown one as UTC.
    case invalidDateZone = "invalid-date-zone"
    /// MIME parts nested deeper than Sluitsteen follows; attachments below that depth are not counted.
    case nestingTooDeep = "nesting-too-deep"
}


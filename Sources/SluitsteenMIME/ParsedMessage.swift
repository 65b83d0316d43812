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
    /// The PST item's own time, for an item that has no date in its headers (readpst writes a `Date` only from
    /// the item's sent time): its delivery time, else its creation time, else its last modification time.
    case pstItem = "pst-item"
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
    /// The date of the newest (topmost) `Received` header: when the last server, normally the organisation's own,
    /// received the message. A sender writes the `Date` header and can backdate it; this one a sender cannot set.
    public var receivedDate: Date?
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
    /// A header field longer than 1 MiB: the metadata were read from its first 1 MiB (see ``HeaderBlock``).
    case headerFieldCut = "header-field-cut"
    /// A header block longer than 4 MiB: fields after that were not read (see ``HeaderBlock``).
    case headerBlockCut = "header-block-cut"
    /// The subject is longer than ``StoredLimits/subjectBytes``: its beginning is recorded.
    case subjectCut = "subject-cut"
    /// The Message-ID is longer than ``StoredLimits/valueBytes``: its beginning is recorded.
    case messageIdCut = "message-id-cut"
    /// A display name or address longer than ``StoredLimits/valueBytes``: its beginning is recorded.
    case addressCut = "address-cut"
    /// More than ``StoredLimits/addresses`` addresses in From, To, Cc or Bcc: the first ones are recorded.
    case addressesCut = "addresses-cut"
    /// A keyword longer than ``StoredLimits/valueBytes``, or more than ``StoredLimits/keywords`` of them.
    case keywordsCut = "keywords-cut"
    /// An attachment name longer than ``StoredLimits/valueBytes``, or more than ``StoredLimits/attachmentNames``.
    case attachmentNamesCut = "attachment-names-cut"
}

extension MessageDefect {
    /// What the defect means, in Dutch words for a records office (the reason a listing gives for a flag).
    public var dutch: String {
        switch self {
        case .unparseable: return "bericht onleesbaar voor de MIME-lezer (bytes wel bewaard)"
        case .missingMessageId: return "geen Message-ID (een afgeleide is vastgelegd)"
        case .missingDate: return "geen datum in het bericht (datum van elders genomen)"
        case .unparseableDate: return "datum onleesbaar (datum van elders genomen)"
        case .invalidDateZone: return "ongeldige tijdzone in de datum"
        case .nestingTooDeep: return "onderdelen te diep genest (niet alle bijlagen geteld)"
        case .headerFieldCut: return "een kopregel langer dan 1 MiB (begin gelezen)"
        case .headerBlockCut: return "kop langer dan 4 MiB (rest niet gelezen)"
        case .subjectCut: return "onderwerp ingekort in de catalogus"
        case .messageIdCut: return "Message-ID ingekort in de catalogus"
        case .addressCut: return "een naam of adres ingekort in de catalogus"
        case .addressesCut: return "te veel adressen (de eerste vastgelegd)"
        case .keywordsCut: return "trefwoorden ingekort"
        case .attachmentNamesCut: return "bijlagenamen ingekort"
        }
    }

    /// The Dutch words for a defect code as the catalog records it: a Sluitsteen defect in words, a GMime warning
    /// (another code) as "MIME-waarschuwing: code".
    public static func dutch(code: String) -> String {
        MessageDefect(rawValue: code)?.dutch ?? "MIME-waarschuwing: \(code)"
    }
}

/// How much of each header value the catalog keeps. Real mail stays far below these; a hostile message (a 300 MB
/// subject) must not fill the catalog. A value cut to its limit carries a ``MessageDefect``; the full text remains
/// in the stored message. The full-text index holds the subject up to ``HeaderBlock/maxFieldBytes``.
public enum StoredLimits {
    /// Bytes of UTF-8 kept of the subject.
    public static let subjectBytes = 8 << 10
    /// Bytes of UTF-8 kept of a Message-ID, a display name, an address, a keyword or an attachment name.
    public static let valueBytes = 1 << 10
    /// Addresses kept per kind (From, To, Cc, Bcc).
    public static let addresses = 10_000
    /// Keywords kept.
    public static let keywords = 1_000
    /// Attachment names kept.
    public static let attachmentNames = 10_000

    /// `text` cut to at most `bytes` of UTF-8 at a Unicode scalar boundary, or nil when it fits.
    static func cut(_ text: String, bytes: Int) -> String? {
        let utf8 = text.utf8
        guard utf8.count > bytes else { return nil }
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}

extension ParsedMessage {
    /// Whether the catalog flags the message: a defect, a synthetic Message-ID, or a date not from its Date header.
    public var isFlagged: Bool { !defects.isEmpty || messageIdSynthetic || dateSource != .header }
}

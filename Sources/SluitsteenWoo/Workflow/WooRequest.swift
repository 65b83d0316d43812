// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy

/// What a Woo request covers, as the coordinator registers it: a period, persons (their personal mailboxes, from the
/// registers) or mailboxes, and terms, addresses or zaak numbers. Only the mailboxes the scope names are searched; with
/// neither persons nor mailboxes every mailbox is, and then terms or addresses are required.
public struct WooScope: Sendable, Hashable, Codable {
    /// The message dates covered (Amsterdam days, both included); open ends allowed.
    public var period: DatePeriod
    /// Person ids (people.csv) whose personal mailboxes are searched.
    public var persons: [String]
    /// Mailbox addresses (lowercase) searched besides the persons'.
    public var mailboxes: [String]
    /// Words or phrases that must occur in the subject or the text (any one of them).
    public var terms: [String]
    /// Sender or recipient addresses (lowercase; any one of them).
    public var addresses: [String]
    /// Zaak numbers to find in the subject or the text.
    public var zaakNumbers: [String]

    public init(period: DatePeriod = DatePeriod(from: nil, to: nil), persons: [String] = [], mailboxes: [String] = [],
                terms: [String] = [], addresses: [String] = [], zaakNumbers: [String] = []) {
        self.period = period
        self.persons = persons
        self.mailboxes = mailboxes.map { $0.lowercased() }
        self.terms = terms
        self.addresses = addresses.map { $0.lowercased() }
        self.zaakNumbers = zaakNumbers
    }
}

/// Where a request stands.
public enum WooRequestStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Registered, being handled: review, redaction and production.
    case open = "in behandeling"
    /// The decision is made; the hold lasts through the objection period.
    case decided = "besloten"
    /// An objection (bezwaar) was lodged: the hold lasts until the request is closed again.
    case objection = "bezwaar"
}

/// The kinds of Woo decision (besluit), as Dutch publishers name them.
public enum WooDecisionType: String, Sendable, Hashable, Codable, CaseIterable {
    case disclosure = "Openbaarmaking"
    case partialDisclosure = "Gedeeltelijke openbaarmaking"
    case noDisclosure = "Geen openbaarmaking"
    case alreadyPublic = "Reeds openbaar"
    case noDocuments = "Geen documenten aangetroffen"

    /// Reads a type as typed on a command line: the Dutch name in any case, or a short form (`openbaarmaking`,
    /// `gedeeltelijk`, `geen`, `reeds`, `geen-documenten`).
    public init?(spelling: String) {
        let s = spelling.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: " ")
        switch s {
        case "openbaarmaking", "openbaar": self = .disclosure
        case "gedeeltelijke openbaarmaking", "gedeeltelijk", "deels", "deels openbaar": self = .partialDisclosure
        case "geen openbaarmaking", "geen", "niet openbaar": self = .noDisclosure
        case "reeds openbaar", "reeds": self = .alreadyPublic
        case "geen documenten aangetroffen", "geen documenten": self = .noDocuments
        default: return nil
        }
    }
}

/// A registered Woo request.
public struct WooRequest: Sendable, Hashable {
    /// The request's number (zaaknummer): its identity in every command and document.
    public var zaaknummer: String
    /// The Woo hold (`wooHold` id) that freezes the mail it covers from the day of receipt.
    public var holdId: String
    /// The subject of the request, in words (for lists and the production); may be empty.
    public var title: String
    public var received: CivilDate
    /// The decision deadline in force (four weeks after receipt, two more after an extension).
    public var deadline: CivilDate
    /// The day the deadline was extended (once, Woo art. 4.4), and why.
    public var extendedOn: CivilDate?
    public var extensionReason: String?
    public var scope: WooScope
    public var status: WooRequestStatus
    public var decisionDate: CivilDate?
    public var decisionType: WooDecisionType?
    /// The last day the hold still applies after the decision (end of the objection period plus the margin).
    public var holdUntil: CivilDate?
    public var createdAt: String
    public var createdBy: String
}

/// The assessment (beoordeling) of a document.
public enum WooAssessment: String, Sendable, Hashable, Codable, CaseIterable {
    case disclosed = "openbaar"
    case partlyDisclosed = "deels openbaar"
    case withheld = "niet openbaar"
    case alreadyPublic = "reeds openbaar"

    /// As the inventarislijst writes it: Openbaar, Deels openbaar, Niet openbaar, Reeds openbaar.
    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// Reads an assessment as typed: `openbaar`, `deels` / `deels-openbaar`, `niet` / `niet-openbaar`, `reeds`.
    public init?(spelling: String) {
        let s = spelling.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: " ")
            .replacingOccurrences(of: "_", with: " ")
        switch s {
        case "openbaar": self = .disclosed
        case "deels openbaar", "deels", "gedeeltelijk openbaar": self = .partlyDisclosed
        case "niet openbaar", "niet": self = .withheld
        case "reeds openbaar", "reeds": self = .alreadyPublic
        default: return nil
        }
    }
}

/// What a document is.
public enum WooDocumentKind: String, Sendable, Hashable, Codable {
    case email
    case attachment
    /// A conversation (chat or text messages, `sluitsteen chat`): its messages are its text.
    case chat
}

/// How a document relates to the one it takes its review from.
public enum WooRelation: String, Sendable, Hashable, Codable {
    /// The same bytes in another mailbox (or a folder of the same one).
    case duplicate
    /// The same message (same Message-ID, same attachments) stored with other bytes, e.g. other transport headers.
    case nearDuplicate = "near-duplicate"

    public var dutch: String { self == .duplicate ? "duplicaat" : "bijna-duplicaat" }
}

/// The review (beoordeling) of one document: relevant or not, the assessment, its grounds and a note.
public struct WooReview: Sendable, Hashable {
    /// nil: not yet decided (counted as relevant until someone says it is not).
    public var relevant: Bool?
    public var assessment: WooAssessment?
    /// Ground codes from the grounds list (`5.1.2e`, …), besides those of the accepted redactions.
    public var grounds: [String]
    /// Toelichting.
    public var note: String
    /// Opgeschort: disclosure suspended (e.g. while a third party may object).
    public var suspended: Bool
    /// Where the document is public already (for `reeds openbaar`).
    public var publicLink: String
    public var reviewedAt: String?
    public var reviewedBy: String?

    public init(relevant: Bool? = nil, assessment: WooAssessment? = nil, grounds: [String] = [], note: String = "",
                suspended: Bool = false, publicLink: String = "", reviewedAt: String? = nil, reviewedBy: String? = nil) {
        self.relevant = relevant
        self.assessment = assessment
        self.grounds = grounds
        self.note = note
        self.suspended = suspended
        self.publicLink = publicLink
        self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy
    }

    /// True when the document needs an assessment before production (relevant, or not yet said otherwise).
    public var countsAsRelevant: Bool { relevant != false }
}

/// One document of the verzameling: a mail copy, one attachment of it, or a conversation (chat, sms).
public struct WooDocument: Sendable, Hashable {
    /// Its number in the request; ``id`` is the number as the inventarislijst writes it.
    public var number: Int
    public var kind: WooDocumentKind
    /// The mail the document belongs to (its own number for a mail): the Family ID.
    public var family: Int
    /// The first mail of its conversation in the verzameling: the Email Thread ID.
    public var thread: Int
    /// The mail copy (0 for a conversation).
    public var copyId: Int64
    /// The mail copy's mailbox ("" for a conversation).
    public var mailbox: String
    /// The stored message (the mail, or the mail that holds the attachment); for a conversation its export file.
    public var sha256: String
    public var messageId: String
    /// The mail's date as written (ISO 8601 with its offset), and as seconds since the epoch.
    public var date: String?
    public var dateEpoch: Int64?
    /// The subject (mail) or file name (attachment), as stored; the inventarislijst shows it with its redactions.
    public var title: String
    /// `email`, or the attachment's file type by its extension (`pdf`, `docx`, …).
    public var fileType: String
    public var mimeType: String?
    /// For an attachment: its place among the mail's attachments, and among those extraction takes out.
    public var attachmentIndex: Int?
    public var extractionIndex: Int?
    /// The document whose review this one takes (a duplicate or near-duplicate), and how they relate.
    public var follows: Int?
    public var relation: WooRelation?
    /// Its own review (for a follower: unused; see ``WooWorkflow/effectiveReview(of:in:)``).
    public var review: WooReview
    /// When the recognisers last read it, if they did.
    public var scannedAt: String?
    /// Why its text could not be read for suggestions (it then needs manual handling if it is to be redacted).
    public var problem: String?
    /// For a conversation: its id (`sluitsteen chat list`).
    public var conversationId: Int64? = nil

    /// The number as the inventarislijst and the production's file names write it: four digits at least.
    public var id: String { Self.id(number) }

    public static func id(_ number: Int) -> String {
        let s = String(number)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}

/// Where a redaction lies: a field of a mail, the text of an attachment, or the sender or text of a chat message (a
/// conversation's title is its `subject`).
public enum WooTextField: Sendable, Hashable, Comparable, CustomStringConvertible {
    case from, to, cc, date, subject, body
    /// The name of the mail's attachment at this index, as listed in the mail.
    case attachmentName(Int)
    /// The text layer of an attachment (a PDF, or an Office document turned into one).
    case attachmentText
    /// The sender (name, and address or number when the export has one) of chat message `seq` (as `chat messages` numbers it).
    case chatSender(Int)
    /// The text of chat message `seq`.
    case chatText(Int)

    /// The stored name: `from`, `to`, `cc`, `date`, `subject`, `body`, `attachment-name:N`, `attachment-text`.
    public var storedName: String {
        switch self {
        case .from: return "from"
        case .to: return "to"
        case .cc: return "cc"
        case .date: return "date"
        case .subject: return "subject"
        case .body: return "body"
        case .attachmentName(let i): return "attachment-name:\(i)"
        case .attachmentText: return "attachment-text"
        case .chatSender(let seq): return "chat-sender:\(seq)"
        case .chatText(let seq): return "chat-text:\(seq)"
        }
    }

    public init?(storedName: String) {
        switch storedName {
        case "from": self = .from
        case "to": self = .to
        case "cc": self = .cc
        case "date": self = .date
        case "subject": self = .subject
        case "body": self = .body
        case "attachment-text": self = .attachmentText
        default:
            let numbered: [(String, (Int) -> WooTextField)] = [("attachment-name:", { .attachmentName($0) }), ("chat-sender:", { .chatSender($0) }),
                                                               ("chat-text:", { .chatText($0) })]
            for (prefix, make) in numbered where storedName.hasPrefix(prefix) {
                guard let i = Int(storedName.dropFirst(prefix.count)), i >= 0 else { return nil }
                self = make(i)
                return
            }
            return nil
        }
    }

    /// The Dutch label (as the PDF prints it).
    public var description: String {
        switch self {
        case .from: return "Van"
        case .to: return "Aan"
        case .cc: return "Cc"
        case .date: return "Datum"
        case .subject: return "Onderwerp"
        case .body: return "Tekst"
        case .attachmentName(let i): return "Bijlagenaam \(i + 1)"
        case .attachmentText: return "Tekst van de bijlage"
        case .chatSender(let seq): return "Afzender van bericht \(seq)"
        case .chatText(let seq): return "Bericht \(seq)"
        }
    }

    private var order: Int {
        switch self {
        case .from: return 0
        case .to: return 1
        case .cc: return 2
        case .date: return 3
        case .subject: return 4
        case .body: return 5
        case .attachmentName(let i): return 6 + i
        case .chatSender(let seq): return (1 << 40) + 2 * seq
        case .chatText(let seq): return (1 << 40) + 2 * seq + 1
        case .attachmentText: return Int.max
        }
    }

    public static func < (a: WooTextField, b: WooTextField) -> Bool { a.order < b.order }
}

/// The state of a redaction.
public enum WooRedactionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Suggested by a recogniser; applies only once a person accepts it.
    case suggested
    case accepted
    case rejected
}

/// One redaction of a document: a span of one of its texts, with its ground, where it came from and who decided it.
public struct WooRedactionRecord: Sendable, Hashable {
    public var id: Int64
    public var document: Int
    public var field: WooTextField
    /// Unicode scalar offsets into the field's text (half open).
    public var start: Int
    public var end: Int
    /// The span's text as it was when it was made (checked again before it is burned in).
    public var text: String
    public var ground: String
    /// The recogniser's kind (`bsn`, `iban`, …) or `handmatig` for one a person added.
    public var kind: String
    public var status: WooRedactionStatus
    public var note: String
    public var createdAt: String
    public var createdBy: String
    public var decidedAt: String?
    public var decidedBy: String?
}

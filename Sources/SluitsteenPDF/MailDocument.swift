// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A mail as it is disclosed under the Woo: the header fields a reader sees, the body text, the names of its
/// attachments, and the redactions to burn in. Plain values: the caller reads them from the archive.
public struct MailDocument: Sendable, Hashable {
    /// The document's id in the production (the inventarislijst's ID), printed in every page's header.
    public var documentID: String
    /// The Woo request's number (zaaknummer), printed in every page's header.
    public var requestNumber: String
    public var from: String
    public var to: String
    /// Left out of the page when empty.
    public var cc: String
    /// The date as it is to be shown (for example "dinsdag 5 maart 2024 14:03"); the caller formats it.
    public var date: String
    public var subject: String
    /// The body as plain text (the caller picks the plain part, or the text of the HTML part).
    public var body: String
    /// The attachments' file names, listed under "Bijlagen" (each one can be redacted on its own).
    public var attachmentNames: [String]
    /// The redactions to burn in; overlapping redactions of one field are joined into one box with both grounds.
    public var redactions: [Redaction]
    /// Labels that replace a field's Dutch mail label (``MailField/label``), for a document laid out as a mail that is
    /// none: a chat conversation's rendition labels its rows Soort, Berichten, Periode, Gesprek and Media.
    public var labels: [MailField: String] = [:]

    public init(documentID: String, requestNumber: String, from: String, to: String, cc: String = "", date: String,
                subject: String, body: String, attachmentNames: [String] = [], redactions: [Redaction] = []) {
        self.documentID = documentID
        self.requestNumber = requestNumber
        self.from = from
        self.to = to
        self.cc = cc
        self.date = date
        self.subject = subject
        self.body = body
        self.attachmentNames = attachmentNames
        self.redactions = redactions
    }

    /// The label printed for `field`: its replacement in ``labels``, else the mail label.
    public func label(of field: MailField) -> String {
        labels[field] ?? labels[field.labelKey] ?? field.label
    }

    /// The text of one field (nil for an attachment the mail does not list).
    public func text(of field: MailField) -> String? {
        switch field {
        case .from: return from
        case .to: return to
        case .cc: return cc
        case .date: return date
        case .subject: return subject
        case .body: return body
        case .attachmentName(let index): return attachmentNames.indices.contains(index) ? attachmentNames[index] : nil
        }
    }
}

/// A field of a mail that redactions point into.
public enum MailField: Sendable, Hashable, CustomStringConvertible {
    case from, to, cc, date, subject, body
    /// The name of the attachment at this index of `MailDocument.attachmentNames`.
    case attachmentName(Int)

    /// The field's Dutch label as printed in the PDF (without the colon).
    public var label: String {
        switch self {
        case .from: return "Van"
        case .to: return "Aan"
        case .cc: return "Cc"
        case .date: return "Datum"
        case .subject: return "Onderwerp"
        case .body: return "Tekst"
        case .attachmentName: return "Bijlagen"
        }
    }

    public var description: String {
        if case .attachmentName(let index) = self { return "Bijlage \(index + 1)" }
        return label
    }

    /// The key of the field's label: every attachment name shares the one of `.attachmentName(0)`.
    var labelKey: MailField {
        if case .attachmentName = self { return .attachmentName(0) }
        return self
    }
}

/// One redaction: the characters `start..<end` of a field (Unicode scalar offsets, as the Woo suggestions give
/// them), withheld on `ground` (for example "5.1.2e"), which is printed in the box that replaces them.
public struct Redaction: Sendable, Hashable {
    public var field: MailField
    public var start: Int
    public var end: Int
    public var ground: String

    public init(field: MailField, start: Int, end: Int, ground: String) {
        self.field = field
        self.start = start
        self.end = end
        self.ground = ground
    }
}

/// The document information of a disclosure PDF (cairo writes it into the PDF's Info dictionary). Keep personal
/// data out of it: it is not redacted.
public struct PDFDocumentInfo: Sendable, Hashable {
    public var title: String
    /// The body that discloses (for example "Gemeente Krimpenerwaard").
    public var author: String
    public var subject: String
    public var keywords: String
    public var creator: String
    /// Written as the creation date, so that the same input gives the same file (cairo would otherwise write the
    /// time of writing). Use the production's date, not the clock at the moment of rendering.
    public var creationDate: Date

    public init(title: String, author: String, subject: String = "", keywords: String = "",
                creator: String = "Sluitsteen", creationDate: Date) {
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creator = creator
        self.creationDate = creationDate
    }
}

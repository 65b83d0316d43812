// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenPDF
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// How an attachment can be redacted.
public enum WooAttachmentFormat: String, Sendable, Hashable {
    /// A PDF: redacted as page images with the words covered (poppler).
    case pdf
    /// An Office document: turned into a PDF by LibreOffice (when installed), then redacted as a PDF.
    case office
    /// Anything else (images, archives, attached messages, …): disclosed whole, withheld whole, or handled by hand.
    case other
}

/// The texts of one document that redactions point into, exactly as the disclosure shows them: for a mail its header
/// fields, body and attachment names; for an attachment the text layer of the PDF it is redacted as; for a conversation
/// its title and the sender and text of each message.
public struct WooDocumentText: Sendable {
    public var document: WooDocument
    /// Every field with its text, in the order the PDF shows them.
    public var fields: [(field: WooTextField, text: String)]
    /// True when the mail has no plain-text part and its body is the visible text of its HTML (check the PDF).
    public var bodyFromHTML: Bool
    /// True when the body was longer than the reading limit and was cut (the disclosure would be incomplete).
    public var bodyCut: Bool
    /// For an attachment: how it can be redacted; nil for a mail.
    public var format: WooAttachmentFormat?
    /// Why the attachment's text could not be read (it then cannot be redacted here), if so.
    public var problem: String?

    /// The text of one field ("" when the document has no such field).
    public func text(of field: WooTextField) -> String? { fields.first { $0.field == field }?.text }
}

/// An attachment's bytes and, for a PDF or Office document, the PDF and text layer it is redacted on.
struct AttachmentContent {
    var data: Data
    var format: WooAttachmentFormat
    /// The PDF the redactions are burned into (the attachment itself, or LibreOffice's PDF of it).
    var pdf: Data?
    var text: String?
    var problem: String?
}

extension WooWorkflow {
    /// The texts of a document, for the coordinator to read (the web page's document view, `woo read`). Writes an
    /// access-log entry (a mail: its body; an attachment: that attachment) with the request as the reason.
    public func text(_ zaaknummer: String, document number: Int, access: WooAccess) throws(WooWorkflowError) -> WooDocumentText {
        let request = try request(zaaknummer)
        let docs = try documents(zaaknummer)
        guard let doc = docs.first(where: { $0.number == number }) else {
            throw .notFound("document \(WooDocument.id(number)) of Woo request \(zaaknummer)")
        }
        let reader = try self.reader(request, docs)
        try reader.logRead(doc, access: access, purpose: "inzage")
        return try reader.text(of: doc).text
    }
}

/// Reads the documents of one request from the store, the same way for reading, suggesting and producing, so that
/// the spans of a redaction always point into the text that is disclosed.
struct DocumentReader {
    let workflow: WooWorkflow
    let request: WooRequest
    let byNumber: [Int: WooDocument]
    let attachmentsOfFamily: [Int: [WooDocument]]
    let redactor = PDFAttachmentRedactor()
    /// Who may read what today (registers, designations), and whether the request's hold still applies today.
    let accessPolicy: AccessPolicy
    let holdActive: Bool

    init(workflow: WooWorkflow, request: WooRequest, documents: [WooDocument], accessPolicy: AccessPolicy, holdActive: Bool) {
        self.workflow = workflow
        self.request = request
        self.accessPolicy = accessPolicy
        self.holdActive = holdActive
        var by: [Int: WooDocument] = [:]
        var families: [Int: [WooDocument]] = [:]
        for d in documents {
            by[d.number] = d
            if d.kind == .attachment { families[d.family, default: []].append(d) }
        }
        byNumber = by
        attachmentsOfFamily = families.mapValues { $0.sorted { ($0.attachmentIndex ?? 0) < ($1.attachmentIndex ?? 0) } }
    }

    var workspace: Workspace { workflow.workspace }

    /// Decides whether `access` may read `doc`'s content for the request (the access policy, with the request's hold as
    /// the reason: the copy counts as held while the hold applies), and records the read, for `purpose` (inzage,
    /// suggesties, productie), with the basis the policy gives. A refusal is thrown before anything is read.
    func logRead(_ doc: WooDocument, access: WooAccess, purpose: String) throws(WooWorkflowError) {
        guard let person = access.actor.personId else {
            throw .refused("reading the documents of a Woo request is for a registered person (a person id)")
        }
        let date = doc.dateEpoch.map { AmsterdamTime.date(of: Instant(Date(timeIntervalSince1970: TimeInterval($0)))) } ?? workflow.today
        let copy = CopyForAccess(mailbox: doc.mailbox, messageDate: date, heldBy: holdActive ? [request.holdId] : [])
        let basis: AccessBasis
        switch accessPolicy.content(of: copy, person: person, roles: [access.role], reason: .wooRequest(holdId: request.holdId)) {
        case .allowed(let b): basis = b
        case .refused(let why):
            throw .refused("\(access.actor.documentText) may not read document \(doc.id) of Woo request \(request.zaaknummer) as "
                + "\(access.role.dutch)" + (holdActive ? "" : " (its hold no longer applies)") + ": \(why)")
        }
        let reason = "Woo-verzoek \(request.zaaknummer) (\(purpose), document \(doc.id))"
        if doc.kind == .chat {
            do {
                try AccessStore(workspace: workspace).recordConversation(doc.conversationId ?? 0, actor: access.actor, role: access.role,
                                                                         basis: basis, reason: reason)
            } catch { throw .archive(error.description) }
            return
        }
        let reading: AccessStore.Reading = doc.kind == .email ? .body : .attachment(doc.title)
        do {
            try AccessStore(workspace: workspace).record(
                reading, copyIds: [doc.copyId], mailbox: doc.mailbox, actor: access.actor, role: access.role,
                basis: basis, reason: reason)
        } catch { throw .archive(error.description) }
    }

    /// The texts of `doc`, and for an attachment its content.
    func text(of doc: WooDocument) throws(WooWorkflowError) -> (text: WooDocumentText, attachment: AttachmentContent?) {
        switch doc.kind {
        case .email: return (try mailText(doc), nil)
        case .chat: return (try chatText(doc), nil)
        case .attachment:
            let content = try attachment(doc)
            let text = WooDocumentText(document: doc, fields: content.text.map { [(WooTextField.attachmentText, $0)] } ?? [],
                                       bodyFromHTML: false, bodyCut: false, format: content.format, problem: content.problem)
            return (text, content)
        }
    }

    /// A mail's fields: From, To, Cc, Date and Subject from the catalog, the body from the stored message, the names of
    /// its attachments as the verzameling lists them.
    func mailText(_ doc: WooDocument) throws(WooWorkflowError) -> WooDocumentText {
        let row: Row?
        do {
            row = try workspace.catalog.read { db in
                try Row.fetchOne(db, sql: "SELECT fromJSON, toJSON, ccJSON, subject, dateEpoch FROM message WHERE sha256 = ?",
                                 arguments: [doc.sha256])
            }
        } catch { throw .archive("\(error)") }
        guard let row else { throw .content("document \(doc.id): message \(doc.sha256) is not in the catalog") }
        let bodies: MessageBodies
        let range: FileRange
        do throws(ArchiveError) { range = try workspace.store.range(of: doc.sha256) } catch {
            throw .content("document \(doc.id): the stored message cannot be read (\(error.description)); run `sluitsteen store verify`")
        }
        do throws(MIMEError) { bodies = try MessageParser.bodies(file: range) } catch {
            throw .content("document \(doc.id): the stored message cannot be read (\(error.description)); run `sluitsteen store verify`")
        }
        let fromHTML = bodies.plain == nil && bodies.html != nil
        let body = Self.normalised(bodies.plain ?? bodies.html.map { MessageOutline.visibleText(ofHTML: $0) } ?? "")
        var fields: [(WooTextField, String)] = [
            (.from, Self.addresses(row[0])), (.to, Self.addresses(row[1])), (.cc, Self.addresses(row[2])),
            (.date, Self.dutchDate(row[4])), (.subject, row[3]), (.body, body),
        ]
        for a in attachmentsOfFamily[doc.family] ?? [] { fields.append((.attachmentName(a.attachmentIndex ?? 0), a.title)) }
        return WooDocumentText(document: doc, fields: fields, bodyFromHTML: fromHTML, bodyCut: bodies.cut, format: nil, problem: nil)
    }

    /// An attachment's bytes, its format, and (PDF, Office) the PDF and text layer redactions point into. A text that
    /// cannot be read is a `problem`, never an error: the attachment then needs manual handling if it is to be redacted.
    func attachment(_ doc: WooDocument) throws(WooWorkflowError) -> AttachmentContent {
        let data = try attachmentBytes(doc)
        let format: WooAttachmentFormat
        if doc.fileType == "pdf" || doc.mimeType == "application/pdf" {
            format = .pdf
        } else if doc.fileType != "email", PDFAttachmentRedactor.isOfficeDocument(name: doc.title) {
            format = .office
        } else {
            format = .other
        }
        var content = AttachmentContent(data: data, format: format, pdf: nil, text: nil, problem: nil)
        do throws(PDFProductionError) {
            switch format {
            case .pdf: content.pdf = data
            case .office: content.pdf = try redactor.convertOffice(data, name: doc.title)
            case .other:
                content.problem = "this file type (\(doc.fileType)) cannot be redacted here: disclose it whole, withhold it whole, or redact it " +
                                  "by hand"
                return content
            }
            content.text = try redactor.text(of: content.pdf!, name: doc.title).text
        } catch {
            content.problem = error.description
        }
        return content
    }

    /// The decoded bytes of an attachment, taken out of its stored message with GMime.
    func attachmentBytes(_ doc: WooDocument) throws(WooWorkflowError) -> Data {
        guard let index = doc.extractionIndex else {
            throw .content("document \(doc.id): \(doc.problem ?? "this attachment holds nothing to take out")")
        }
        let size = workspace.store.size(of: doc.sha256) ?? 0
        if size <= Int64(ContentStore.defaultInMemoryLimit) {
            let bytes: Data
            do { bytes = try workspace.store.read(doc.sha256) } catch {
                throw .content("document \(doc.id): the stored message cannot be read (\(error.description))")
            }
            let all = AttachmentExtraction.attachments(of: bytes)
            guard all.indices.contains(index) else {
                throw .content("document \(doc.id): the stored message has \(all.count) attachment(s), not \(index + 1)")
            }
            return all[index].bytes
        }
        let scratch: URL
        do { scratch = try workspace.scratchFolder(named: "woo") } catch { throw .content(error.description) }
        let prefix = scratch.appendingPathComponent("bijlage-\(UUID().uuidString)-").path
        let all: [ExtractedAttachment]
        let range: FileRange
        do throws(ArchiveError) { range = try workspace.store.range(of: doc.sha256) } catch {
            throw .content("document \(doc.id): \(error.description)")
        }
        do throws(MIMEError) { all = try AttachmentExtraction.attachments(ofFile: range, scratchPrefix: prefix) } catch {
            throw .content("document \(doc.id): \(error.description)")
        }
        defer { for a in all { if let f = a.file { unlink(f) } } }
        guard all.indices.contains(index), let file = all[index].file, let data = FileManager.default.contents(atPath: file) else {
            throw .content("document \(doc.id): the stored message has \(all.count) attachment(s), not \(index + 1)")
        }
        return data
    }

    /// Line ends as LF, so that offsets do not depend on how the sender ended lines.
    static func normalised(_ text: String) -> String {
        guard text.contains("\r") else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// "Naam <adres>, …" from a catalog address list.
    static func addresses(_ json: String) -> String {
        guard json != "[]", let data = json.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return "" }
        return list.map { entry -> String in
            let address = entry["address"] as? String ?? ""
            let name = (entry["name"] as? String ?? "").trimmingCharacters(in: .whitespaces)
            if name.isEmpty { return address }
            return address.isEmpty ? name : "\(name) <\(address)>"
        }.joined(separator: ", ")
    }

    static let weekdays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                         "november", "december"]

    /// "dinsdag 5 maart 2024 14:03" (Amsterdam time), or "(geen datum)".
    static func dutchDate(_ epoch: Int64?) -> String {
        guard let epoch else { return "(geen datum)" }
        let (date, second) = AmsterdamTime.local(Instant(secondsSinceEpoch: epoch))
        let hh = second / 3600, mm = (second % 3600) / 60
        return "\(weekdays[date.isoWeekday - 1]) \(date.day) \(months[date.month - 1]) \(date.year) "
            + String(format: "%02d:%02d", hh, mm)
    }
}

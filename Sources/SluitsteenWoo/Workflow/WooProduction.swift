// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPDF
import SluitsteenPolicy
import SluitsteenSupport
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// A file of a production.
public struct WooProducedFile: Sendable, Hashable {
    /// The document it discloses.
    public var document: String
    /// Its path inside the production folder (`documenten/0001.pdf`).
    public var path: String
    public var sha256: String
    public var size: Int
    /// How it was made: `pdf` (a mail rendered, redactions burned in), `pdf-gesprek` (a conversation rendered: sender, time
    /// and text per message, redactions burned in), `pdf-gelakt` (an attachment redacted as page
    /// images), `pdf-libreoffice` (an Office attachment turned into a PDF, not redacted), `origineel` (disclosed whole).
    public var method: String
}

/// A document the production could not disclose reliably: it is not in the folder, and someone handles it by hand.
public struct WooManualItem: Sendable, Hashable {
    public var document: String
    public var title: String
    public var assessment: String
    public var reason: String
}

/// What a production wrote.
public struct WooProductionOutcome: Sendable, Hashable {
    public var folder: URL
    public var zip: URL?
    public var files: [WooProducedFile]
    public var manual: [WooManualItem]
    /// Rows of the inventarislijst (every relevant document, duplicates included).
    public var inventoryRows: Int
    /// SHA-256 of the manifest (manifest-sha256.txt), as recorded in the audit trail.
    public var manifestSHA256: String
    /// Mail PDFs with characters the fonts cannot show (someone should look at them).
    public var glyphWarnings: [String]
}

extension WooWorkflow {
    /// What stands between the request and a production, one line per problem (empty: ready). Every relevant document
    /// (not marked irrelevant) needs an assessment; a `deels openbaar` document must have been read by the recognisers,
    /// have no undecided suggestion and at least one accepted redaction (unless it cannot be redacted here: then it is
    /// listed for manual handling); an `openbaar` document has no accepted redaction.
    public func productionProblems(_ zaaknummer: String) throws(WooWorkflowError) -> [String] {
        let docs = try documents(zaaknummer)
        let all = try redactions(zaaknummer)
        return Self.problems(zaaknummer, docs: docs, redactions: all, inReview: try conversationsInReview())
    }

    /// The conversations not yet handed over to DIV: the project lead may still strip private messages from them.
    func conversationsInReview() throws(WooWorkflowError) -> Set<Int64> {
        try read { db in Set(try ChatConversationRecord.all(db).filter { $0.state == .review }.compactMap(\.id)) }
    }

    /// The problems of `docs`; `inReview` are the conversations not yet handed over (a conversation is disclosed only
    /// after the project lead's review: bijlage 4 lets them strip private messages first).
    static func problems(_ zaak: String, docs: [WooDocument], redactions: [WooRedactionRecord], inReview: Set<Int64> = []) -> [String] {
        var suggested: [Int: Int] = [:], accepted: [Int: Int] = [:]
        for r in redactions {
            if r.status == .suggested { suggested[r.document, default: 0] += 1 }
            if r.status == .accepted { accepted[r.document, default: 0] += 1 }
        }
        var problems: [String] = []
        for d in docs where d.follows == nil && d.review.countsAsRelevant {
            let label = "document \(d.id) (\(d.kind == .email ? "e-mail" : d.fileType) \"\(d.title.prefix(50))\")"
            guard let assessment = d.review.assessment else {
                problems.append("\(label) has no assessment: `sluitsteen woo review \(zaak) \(d.id) --assessment …` "
                    + "(or --relevant no)")
                continue
            }
            switch assessment {
            case .partlyDisclosed:
                let redactable = d.kind == .email || d.kind == .chat || d.fileType == "pdf" || d.mimeType == "application/pdf"
                    || (d.fileType != "email" && PDFAttachmentRedactor.isOfficeDocument(name: d.title))
                if d.scannedAt == nil && redactable {
                    problems.append("\(label) is deels openbaar but was not read by the recognisers yet: "
                        + "`sluitsteen woo suggestions \(zaak) \(d.id)`")
                }
                if let n = suggested[d.number], n > 0 {
                    problems.append("\(label) has \(n) undecided suggestion(s): accept or reject them "
                        + "(`sluitsteen woo redact \(zaak) --accept …` / `--reject …`)")
                }
                if redactable, accepted[d.number, default: 0] == 0, suggested[d.number, default: 0] == 0, d.scannedAt != nil, d.problem == nil {
                    problems.append("\(label) is deels openbaar but has no accepted redaction: accept or add one, or assess it openbaar")
                }
                if !redactable, d.review.grounds.isEmpty {
                    problems.append("\(label) is deels openbaar and cannot be redacted here: give the ground(s) (--ground); it is "
                        + "listed for manual handling")
                }
            case .disclosed:
                if let n = accepted[d.number], n > 0 {
                    problems.append("\(label) is openbaar but has \(n) accepted redaction(s): assess it deels openbaar, or reject them")
                }
            case .withheld, .alreadyPublic:
                break
            }
            if let c = d.conversationId, inReview.contains(c), assessment == .disclosed || assessment == .partlyDisclosed {
                problems.append("\(label) is conversation \(c), not yet handed over to DIV: the project lead may still strip private "
                    + "messages from it (`sluitsteen chat handover --conversation \(c) --by …` when they are done)")
            }
        }
        return problems
    }

    /// Writes the production of a request into the new folder `folder` (and `folder`.zip when `zip`): per document to
    /// disclose a PDF (mails rendered with their accepted redactions burned in; PDF and Office attachments redacted as
    /// page images; attachments disclosed whole as they are, Office ones as a PDF when LibreOffice is installed); the
    /// inventarislijst as XLSX and CSV; `handmatig.csv` listing what must be handled by hand (never silently left
    /// out); `productie.json`; and `manifest-sha256.txt` (`sha256sum -c` checks it). Refused, with every problem, while
    /// ``productionProblems(_:)`` finds any. The folder is built next to its place and renamed into it when whole.
    /// Every read is logged; the production is recorded in the audit trail with the manifest's SHA-256.
    public func produce(_ zaaknummer: String, into folder: URL, zip: Bool = false,
                        access: WooAccess) throws(WooWorkflowError) -> WooProductionOutcome {
        try requirePerson(access.actor)
        let request = try request(zaaknummer)
        let docs = try documents(zaaknummer)
        let redactions = try redactions(zaaknummer)
        let problems = Self.problems(zaaknummer, docs: docs, redactions: redactions, inReview: try conversationsInReview())
        guard problems.isEmpty else { throw .notReady(zaaknummer: zaaknummer, problems: problems) }
        let fm = FileManager.default
        let folder = folder.standardizedFileURL
        let zipURL = zip ? folder.appendingPathExtension("zip") : nil
        for target in [folder] + (zipURL.map { [$0] } ?? []) where fm.fileExists(atPath: target.path) {
            throw .refused("\(target.path) exists already: choose a new folder for the production (nothing was written)")
        }
        let parent = folder.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDir), isDir.boolValue else {
            throw .cannotWrite(path: folder.path, reason: "the folder \(parent.path) does not exist")
        }
        let building = parent.appendingPathComponent(".\(folder.lastPathComponent).in-aanmaak-\(getpid())")
        try? fm.removeItem(at: building)
        do {
            try fm.createDirectory(at: building.appendingPathComponent("documenten"), withIntermediateDirectories: true)
        } catch { throw .cannotWrite(path: building.path, reason: error.localizedDescription) }
        do throws(WooWorkflowError) {
            let outcome = try build(request, docs: docs, redactions: redactions, in: building, access: access)
            do { try fm.moveItem(at: building, to: folder) } catch {
                throw .cannotWrite(path: folder.path, reason: error.localizedDescription)
            }
            if let zipURL {
                do { try Self.zipFolder(folder, to: zipURL, date: workspace.clock.now()) } catch {
                    try? fm.removeItem(at: zipURL)
                    throw .cannotWrite(path: zipURL.path, reason: "\(error)")
                }
            }
            let result = WooProductionOutcome(folder: folder, zip: zipURL, files: outcome.files, manual: outcome.manual,
                                              inventoryRows: outcome.rows, manifestSHA256: outcome.manifestSHA256,
                                              glyphWarnings: outcome.glyphWarnings)
            try record(result, request: request, actor: access.actor)
            return result
        } catch {
            try? fm.removeItem(at: building)
            throw error
        }
    }

    private struct Built {
        var files: [WooProducedFile] = []
        var manual: [WooManualItem] = []
        var rows = 0
        var manifestSHA256 = ""
        var glyphWarnings: [String] = []
    }

    /// Writes every file into `dir`.
    private func build(_ request: WooRequest, docs: [WooDocument], redactions: [WooRedactionRecord], in dir: URL,
                       access: WooAccess) throws(WooWorkflowError) -> Built {
        let zaak = request.zaaknummer
        let byNumber = Dictionary(uniqueKeysWithValues: docs.map { ($0.number, $0) })
        var accepted: [Int: [WooRedactionRecord]] = [:]
        for r in redactions where r.status == .accepted { accepted[r.document, default: []].append(r) }
        let reader = try self.reader(request, docs)
        let grounds = try groundsList()
        let now = workspace.clock.now()
        let info = { (doc: WooDocument) in
            PDFDocumentInfo(title: "Woo-verzoek \(zaak), document \(doc.id)", author: self.policy.archiefvormer.name,
                            subject: "Openbaarmaking op grond van de Wet open overheid", keywords: "Woo; \(zaak)", creationDate: now)
        }
        var built = Built()
        func write(_ data: Data, name: String, doc: WooDocument, method: String) throws(WooWorkflowError) {
            let url = dir.appendingPathComponent("documenten").appendingPathComponent(name)
            do { try data.write(to: url, options: .withoutOverwriting) } catch {
                throw .cannotWrite(path: url.path, reason: error.localizedDescription)
            }
            built.files.append(WooProducedFile(document: doc.id, path: "documenten/" + name, sha256: Digest.hex(data), size: data.count,
                                               method: method))
        }
        func manual(_ doc: WooDocument, _ assessment: WooAssessment, _ reason: String) {
            built.manual.append(WooManualItem(document: doc.id, title: doc.title, assessment: assessment.label, reason: reason))
        }
        /// Renders `document` (a mail's or a conversation's text, redactions burnt in) as `doc`'s PDF and writes it; a
        /// rendering that fails is left for manual handling. Returns whether the PDF was written.
        func writePDF(_ document: MailDocument, doc: WooDocument, _ assessment: WooAssessment, method: String) throws(WooWorkflowError) -> Bool {
            // Through a Result: Swift 6.3 wrongly calls the catch of a `do throws(PDFProductionError)` unreachable in this
            // local function.
            let pdf: RenderedPDF
            switch Result(catching: { () throws(PDFProductionError) in try MailPDFRenderer().render(document, info: info(doc)) }) {
            case .success(let rendered): pdf = rendered
            case .failure(let error):
                manual(doc, assessment, error.description)
                return false
            }
            if pdf.unknownGlyphs > 0 { built.glyphWarnings.append("\(doc.id): \(pdf.unknownGlyphs) teken(s) zonder glyph") }
            try write(pdf.data, name: doc.id + ".pdf", doc: doc, method: method)
            return true
        }

        for doc in docs where doc.follows == nil {
            let review = doc.review
            guard review.countsAsRelevant, let assessment = review.assessment,
                  assessment == .disclosed || assessment == .partlyDisclosed else { continue }
            let spans = assessment == .partlyDisclosed ? (accepted[doc.number] ?? []) : []
            try reader.logRead(doc, access: access, purpose: "productie")
            switch doc.kind {
            case .email:
                let text: WooDocumentText
                do { text = try reader.mailText(doc) } catch {
                    manual(doc, assessment, error.description)
                    continue
                }
                if let stale = Self.staleSpan(spans, in: text) {
                    manual(doc, assessment, stale)
                    continue
                }
                if text.bodyCut {
                    manual(doc, assessment, "its text is longer than Sluitsteen reads (4 MB): the PDF would be incomplete; handle it by hand")
                    continue
                }
                let mail = MailDocument(
                    documentID: doc.id, requestNumber: zaak, from: text.text(of: .from) ?? "", to: text.text(of: .to) ?? "",
                    cc: text.text(of: .cc) ?? "", date: text.text(of: .date) ?? "", subject: text.text(of: .subject) ?? "",
                    body: text.text(of: .body) ?? "",
                    attachmentNames: text.fields.compactMap { if case .attachmentName = $0.field { return $0.text } else { return nil } },
                    redactions: spans.compactMap { r in
                        Self.mailField(r.field).map { Redaction(field: $0, start: r.start, end: r.end, ground: r.ground) }
                    })
                _ = try writePDF(mail, doc: doc, assessment, method: "pdf")
            case .chat:
                let rendition: MailDocument
                do throws(WooWorkflowError) {
                    if let stale = Self.staleSpan(spans, in: try reader.chatText(doc)) {
                        manual(doc, assessment, stale)
                        continue
                    }
                    rendition = try reader.chatDocument(doc, zaaknummer: zaak, redactions: spans)
                } catch {
                    manual(doc, assessment, error.description)
                    continue
                }
                guard try writePDF(rendition, doc: doc, assessment, method: "pdf-gesprek") else { continue }
                if !rendition.attachmentNames.isEmpty {
                    manual(doc, assessment, "the conversation's text is documenten/\(doc.id).pdf, but the media its messages name ("
                        + rendition.attachmentNames.joined(separator: ", ") + ") are not in the folder: assess them and add them by hand")
                }
            case .attachment:
                let content: AttachmentContent
                do { content = try reader.attachment(doc) } catch {
                    manual(doc, assessment, error.description)
                    continue
                }
                if assessment == .disclosed {
                    if content.format == .office, let pdf = content.pdf {
                        try write(pdf, name: doc.id + ".pdf", doc: doc, method: "pdf-libreoffice")
                    } else {
                        try write(content.data, name: doc.id + "." + Self.safeExtension(doc), doc: doc, method: "origineel")
                    }
                    continue
                }
                guard let pdf = content.pdf, let text = content.text else {
                    manual(doc, assessment, content.problem ?? "this file cannot be redacted here: disclose it whole, withhold it whole, or " +
                                                               "redact it by hand")
                    continue
                }
                let view = WooDocumentText(document: doc, fields: [(.attachmentText, text)], bodyFromHTML: false, bodyCut: false,
                                           format: content.format, problem: nil)
                if let stale = Self.staleSpan(spans, in: view) {
                    manual(doc, assessment, stale)
                    continue
                }
                let redacted: RedactedPDF
                do throws(PDFProductionError) {
                    redacted = try PDFAttachmentRedactor().redact(
                        pdf: pdf, name: doc.title,
                        redactions: spans.map { PDFRedaction(.span(start: $0.start, end: $0.end), ground: $0.ground) }, info: info(doc))
                } catch {
                    manual(doc, assessment, error.description)
                    continue
                }
                try write(redacted.data, name: doc.id + ".pdf", doc: doc, method: "pdf-gelakt")
            }
        }

        // The inventarislijst: every relevant document, duplicates with the review of the one they follow.
        var rows: [InventoryRow] = []
        let order = Dictionary(uniqueKeysWithValues: grounds.grounds.enumerated().map { ($0.element.code, $0.offset) })
        for doc in docs {
            let master = Self.master(of: doc, in: byNumber)
            let review = master.review
            guard review.countsAsRelevant, let assessment = review.assessment else { continue }
            var codes = Set(review.grounds)
            for r in accepted[master.number] ?? [] where assessment == .partlyDisclosed || assessment == .withheld { codes.insert(r.ground) }
            if assessment == .alreadyPublic || assessment == .disclosed { codes = [] }
            var note = review.note
            if let rel = doc.relation, master.number != doc.number {
                let prefix = "\(rel == .duplicate ? "Duplicaat" : "Bijna-duplicaat") van \(master.id)."
                note = note.isEmpty ? prefix : prefix + " " + note
            }
            let family = byNumber[master.family] ?? master
            let title = Self.redactedTitle(master, family: family, accepted: accepted)
            rows.append(InventoryRow(
                id: doc.id, familyId: WooDocument.id(doc.family), threadId: WooDocument.id(doc.thread), document: title,
                fileType: doc.fileType, date: doc.dateEpoch.map { AmsterdamTime.date(of: Instant(secondsSinceEpoch: $0)).iso } ?? "",
                assessment: assessment.label, suspended: review.suspended ? "Ja" : "Nee",
                grounds: codes.sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }.joined(separator: "; "),
                note: note, publicLink: review.publicLink, relatedId: master.number != doc.number ? master.id : "", zaaknummer: zaak))
        }
        built.rows = rows.count
        func put(_ data: Data, _ name: String) throws(WooWorkflowError) {
            let url = dir.appendingPathComponent(name)
            do { try data.write(to: url, options: .withoutOverwriting) } catch {
                throw .cannotWrite(path: url.path, reason: error.localizedDescription)
            }
        }
        try put(Inventarislijst.csv(rows), "inventarislijst.csv")
        do { try Inventarislijst.writeXLSX(rows, to: dir.appendingPathComponent("inventarislijst.xlsx"), date: now) } catch {
            throw .cannotWrite(path: dir.appendingPathComponent("inventarislijst.xlsx").path, reason: "\(error)")
        }
        if !built.manual.isEmpty {
            var csv = "\u{FEFF}ID,Document,Beoordeling,Reden\r\n"
            for m in built.manual {
                csv += [m.document, m.title, m.assessment, m.reason].map { c -> String in
                    let v = Inventarislijst.cell(c)
                    return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }.joined(separator: ",") + "\r\n"
            }
            try put(Data(csv.utf8), "handmatig.csv")
        }
        try put(Data(summary(request, built: built, rows: rows.count, at: now, by: access.actor).utf8), "productie.json")

        // The manifest: every file but itself, sorted by path.
        var lines: [String] = []
        var paths: [String] = []
        if let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                paths.append(String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1)))
            }
        }
        for path in paths.sorted() {
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(path).path) else {
                throw .cannotWrite(path: path, reason: "it cannot be read back")
            }
            lines.append("\(Digest.hex(data))  \(path)")
        }
        let manifest = Data((lines.joined(separator: "\n") + "\n").utf8)
        try put(manifest, "manifest-sha256.txt")
        built.manifestSHA256 = Digest.hex(manifest)
        return built
    }

    /// The first accepted redaction whose span no longer holds its text (the document's text changed since), as a
    /// reason for manual handling; nil when all fit.
    static func staleSpan(_ spans: [WooRedactionRecord], in text: WooDocumentText) -> String? {
        for r in spans {
            guard let value = text.text(of: r.field) else { return "redaction \(r.id) points into a field (\(r.field)) the document does not have" }
            let scalars = Array(value.unicodeScalars)
            guard r.start >= 0, r.start < r.end, r.end <= scalars.count,
                  String(String.UnicodeScalarView(scalars[r.start..<r.end])) == r.text else {
                return "redaction \(r.id) no longer fits the document's text (\(r.field)): read it again and redact it anew"
            }
        }
        return nil
    }

    static func mailField(_ field: WooTextField) -> MailField? {
        switch field {
        case .from: return .from
        case .to: return .to
        case .cc: return .cc
        case .date: return .date
        case .subject: return .subject
        case .body: return .body
        case .attachmentName(let i): return .attachmentName(i)
        case .attachmentText, .chatSender, .chatText: return nil
        }
    }

    /// The title the inventarislijst shows: the subject (a mail) or the name as the mail lists it (an attachment), with
    /// every accepted redaction of that field replaced by its ground in brackets.
    static func redactedTitle(_ doc: WooDocument, family: WooDocument, accepted: [Int: [WooRedactionRecord]]) -> String {
        let field: WooTextField = doc.kind == .attachment ? .attachmentName(doc.attachmentIndex ?? 0) : .subject
        let spans = (accepted[family.number] ?? []).filter { $0.field == field }.sorted { $0.start < $1.start }
        guard !spans.isEmpty else { return doc.title }
        let scalars = Array(doc.title.unicodeScalars)
        var out = String.UnicodeScalarView()
        var at = 0
        for s in spans where s.start >= at && s.end <= scalars.count {
            out.append(contentsOf: scalars[at..<s.start])
            out.append(contentsOf: "[\(s.ground)]".unicodeScalars)
            at = s.end
        }
        if at < scalars.count { out.append(contentsOf: scalars[at...]) }
        return String(out)
    }

    /// The extension a file disclosed whole is written with (letters and digits of its file type only).
    static func safeExtension(_ doc: WooDocument) -> String {
        let ext = doc.fileType == "email" ? "eml" : doc.fileType.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return ext.isEmpty ? "bin" : String(ext.prefix(8))
    }

    /// productie.json: the request, the production, the files with their sums, and what needs manual handling.
    private func summary(_ request: WooRequest, built: Built, rows: Int, at: Date, by: Actor) -> String {
        let files = built.files.map { f in
            JSONText.object([("document", .string(f.document)), ("bestand", .string(f.path)), ("sha256", .string(f.sha256)),
                             ("bytes", .int(Int64(f.size))), ("methode", .string(f.method))])
        }
        let manual = built.manual.map { m in
            JSONText.object([("document", .string(m.document)), ("beoordeling", .string(m.assessment)), ("reden", .string(m.reason))])
        }
        return JSONText.object([
            ("zaaknummer", .string(request.zaaknummer)), ("onderwerp", .string(request.title)),
            ("ontvangen", .string(request.received.iso)), ("beslistermijn", .string(request.deadline.iso)),
            ("organisatie", .string(policy.archiefvormer.name)), ("geproduceerd", .string(ISOTimestamp.format(at))),
            ("door", .string(by.documentText)), ("inventarislijstRegels", .int(Int64(rows))),
            ("bestanden", .raw("[" + files.joined(separator: ",") + "]")),
            ("handmatig", .raw("[" + manual.joined(separator: ",") + "]")),
        ]) + "\n"
    }

    /// Packs the production folder into a zip (its files under the folder's name), every entry dated `date`.
    static func zipFolder(_ folder: URL, to url: URL, date: Date) throws {
        let archive = try Archive(url: url, accessMode: .create)
        let root = folder.standardizedFileURL.path
        var files: [String] = []
        if let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append(String(file.standardizedFileURL.path.dropFirst(root.count + 1)))
            }
        }
        for rel in files.sorted() {
            let source = try FileHandle(forReadingFrom: folder.appendingPathComponent(rel))
            defer { try? source.close() }
            let size = Int64(try source.seekToEnd())
            try archive.addEntry(with: folder.lastPathComponent + "/" + rel, type: .file, uncompressedSize: size, modificationDate: date,
                                 permissions: 0o644, compressionMethod: .deflate) { position, chunk in
                try source.seek(toOffset: UInt64(position))
                return try source.read(upToCount: chunk) ?? Data()
            }
        }
    }

    /// Records the production (its row and audit entry) in one transaction.
    private func record(_ outcome: WooProductionOutcome, request: WooRequest, actor: Actor) throws(WooWorkflowError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO wooProduction (zaaknummer, folder, zip, manifestSHA256, files, manual, producedAt, producedBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.zaaknummer, outcome.folder.path, outcome.zip?.path, outcome.manifestSHA256, outcome.files.count,
                                 outcome.manual.count, nowText, actor.documentText])
            try workspace.audit.append(
                db, kind: .wooProduction, command: "woo produce", actor: actor.auditText,
                objectIds: ["woo:\(request.zaaknummer)", "woo-production:\(db.lastInsertedRowID)"],
                outcome: "productie in \(outcome.folder.path)\(outcome.zip.map { " en \($0.lastPathComponent)" } ?? ""): "
                    + "\(outcome.files.count) bestand(en), inventarislijst \(outcome.inventoryRows) regel(s), "
                    + "\(outcome.manual.count) handmatig af te handelen; manifest sha256 \(outcome.manifestSHA256)")
        }
    }
}

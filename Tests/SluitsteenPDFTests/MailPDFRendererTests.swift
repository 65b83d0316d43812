// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPDF
import Testing

@Suite(.enabled(if: PDFTools.all, "\(PDFTools.reason)"))
struct MailPDFRendererTests {
    static let info = PDFDocumentInfo(title: "Woo-verzoek Z/24/000123, document 0001", author: "Gemeente Krimpenerwaard",
                                      subject: "Openbaarmaking", creationDate: Date(timeIntervalSince1970: 1_709_290_800))

    /// A span of `needle` in `text` (the first occurrence), as Unicode scalar offsets.
    static func span(_ needle: String, in text: String, _ field: MailField, _ ground: String) -> Redaction {
        let scalars = Array(text.unicodeScalars)
        let target = Array(needle.unicodeScalars)
        let start = (0...(scalars.count - target.count)).first { Array(scalars[$0..<($0 + target.count)]) == target }!
        return Redaction(field: field, start: start, end: start + target.count, ground: ground)
    }

    static func mail() -> MailDocument {
        let body = """
            Beste mevrouw Jansen,

            Naar aanleiding van uw verzoek om kwijtschelding stuur ik u de gegevens. Uw BSN 111222333 staat in ons \
            systeem, en de terugbetaling gaat naar IBAN NL91ABNA0417164300. U kunt mij bellen op 06-12345678.

            Met vriendelijke groet,
            Pieter de Vries
            Afdeling Belastingen
            """
        var mail = MailDocument(
            documentID: "0001", requestNumber: "Z/24/000123",
            from: "Pieter de Vries <p.devries@krimpenerwaard.nl>", to: "Marieke Jansen <m.jansen@voorbeeld.nl>",
            cc: "Team Belastingen <belastingen@krimpenerwaard.nl>", date: "vrijdag 1 maart 2024 12:00",
            subject: "Kwijtschelding aanslag 2024", body: body,
            attachmentNames: ["Aanslag Jansen 2024.pdf", "Toelichting.docx"])
        mail.redactions = [
            span("Marieke Jansen <m.jansen@voorbeeld.nl>", in: mail.to, .to, "5.1.2e"),
            span("Jansen", in: body, .body, "5.1.2e"),
            span("111222333", in: body, .body, "5.1.1d"),
            span("NL91ABNA0417164300", in: body, .body, "5.1.2e"),
            span("06-12345678", in: body, .body, "5.1.2e"),
            span("Jansen", in: mail.attachmentNames[0], .attachmentName(0), "5.1.2e"),
        ]
        return mail
    }

    @Test func redactedTextIsNowhereInTheFile() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rendered = try MailPDFRenderer().render(Self.mail(), info: Self.info)
        let url = folder.appendingPathComponent("0001.pdf")
        try rendered.data.write(to: url)
        let text = try PDFTools.text(of: url)
        let raw = try PDFTools.decompressed(url)
        #expect(PDFTools.holds(raw, "Gemeente Krimpenerwaard"), "the byte search finds nothing at all")
        for secret in ["Marieke", "m.jansen@voorbeeld.nl", "111222333", "NL91ABNA0417164300", "06-12345678", "Jansen"] {
            #expect(!text.contains(secret), "pdftotext finds \(secret)")
            #expect(!PDFTools.holds(raw, secret), "the decompressed file holds \(secret)")
        }
        for kept in ["Van:", "Aan:", "Cc:", "Datum:", "Onderwerp:", "Bijlagen:", "Pieter de Vries", "Kwijtschelding aanslag 2024",
                     "Toelichting.docx", "Aanslag", "2024.pdf", "Beste mevrouw", "Afdeling Belastingen", "5.1.2e", "5.1.1d",
                     "Woo-verzoek Z/24/000123", "Document 0001", "Pagina 1 van 1"] {
            #expect(text.contains(kept), "pdftotext misses \(kept)")
        }
        #expect(rendered.pageCount == 1)
        #expect(rendered.unknownGlyphs == 0)
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let first = try MailPDFRenderer().render(Self.mail(), info: Self.info)
        let second = try MailPDFRenderer().render(Self.mail(), info: Self.info)
        #expect(first.data == second.data)
        var later = Self.info
        later.creationDate = Self.info.creationDate.addingTimeInterval(86_400)
        #expect(try MailPDFRenderer().render(Self.mail(), info: later).data != first.data)
    }

    /// Results collected from several threads (test only).
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int: Data] = [:]
        func set(_ index: Int, _ data: Data) { lock.withLock { values[index] = data } }
        var all: [Int: Data] { lock.withLock { values } }
    }

    @Test func renderingOnSeveralThreadsAtOnceGivesTheSameBytes() throws {
        let serial = try MailPDFRenderer().render(Self.mail(), info: Self.info).data
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            if let rendered = try? MailPDFRenderer().render(Self.mail(), info: Self.info) { results.set(index, rendered.data) }
        }
        #expect(results.all.count == 8)
        #expect(results.all.values.allSatisfy { $0 == serial })
    }

    @Test func fontsAreEmbeddedAndTheInfoIsWritten() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("0001.pdf")
        try MailPDFRenderer().render(Self.mail(), info: Self.info).data.write(to: url)
        let fonts = String(decoding: try PDFTools.run("pdffonts", [url.path]).output, as: UTF8.self)
            .split(separator: "\n").dropFirst(2)
        #expect(fonts.count == 2)
        for font in fonts {
            let columns = font.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns[0].hasSuffix("+DejaVuSans") || columns[0].hasSuffix("+DejaVuSans-Bold"), "\(font)")
            #expect(columns.suffix(5).prefix(3) == ["yes", "yes", "yes"], "not embedded as a subset with ToUnicode: \(font)")
        }
        let info = String(decoding: try PDFTools.run("pdfinfo", [url.path]).output, as: UTF8.self)
        for line in ["Title:           Woo-verzoek Z/24/000123, document 0001", "Author:          Gemeente Krimpenerwaard",
                     "Subject:         Openbaarmaking", "Creator:         Sluitsteen",
                     "CreationDate:    Fri Mar  1 11:00:00 2024 UTC", "Page size:       595.276 x 841.89 pts (A4)",
                     "PDF version:     1.5"] {
            #expect(info.contains(line), "pdfinfo lacks \(line)")
        }
    }

    @Test func aLongMailRunsOverPagesAndALongRedactionIsCutIntoLines() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let paragraph = "De raad besluit het bestemmingsplan vast te stellen, met inachtneming van de zienswijzen. "
        let secret = (1...60).map { "geheimwoord\($0)" }.joined(separator: " ")
        var body = String(repeating: paragraph, count: 40) + "\n\n" + secret + "\n\n" + String(repeating: paragraph, count: 40)
        body += "\nEinde van het bericht."
        let start = body.unicodeScalars.count - "\nEinde van het bericht.".unicodeScalars.count
            - 2 * "\n\n".count - secret.unicodeScalars.count - String(repeating: paragraph, count: 40).unicodeScalars.count
        let mail = MailDocument(documentID: "0002", requestNumber: "Z/24/000123", from: "a@b.nl", to: "c@d.nl",
                                date: "1 maart 2024", subject: "Lang", body: body,
                                redactions: [Redaction(field: .body, start: start, end: start + secret.unicodeScalars.count,
                                                       ground: "5.1.2i")])
        let rendered = try MailPDFRenderer().render(mail, info: Self.info)
        #expect(rendered.pageCount >= 2)
        let url = folder.appendingPathComponent("0002.pdf")
        try rendered.data.write(to: url)
        let text = try PDFTools.text(of: url)
        #expect(!text.contains("geheimwoord"))
        #expect(text.components(separatedBy: "5.1.2i").count - 1 >= 2, "the redaction is one box wider than a line")
        #expect(text.contains("Pagina \(rendered.pageCount) van \(rendered.pageCount)"))
        #expect(text.contains("Einde van het bericht."))
        #expect(text.components(separatedBy: "Woo-verzoek Z/24/000123").count - 1 == rendered.pageCount)
    }

    @Test(arguments: [
        Redaction(field: .body, start: 5, end: 5, ground: "5.1.2e"),
        Redaction(field: .body, start: -1, end: 3, ground: "5.1.2e"),
        Redaction(field: .subject, start: 0, end: 999, ground: "5.1.2e"),
        Redaction(field: .attachmentName(7), start: 0, end: 1, ground: "5.1.2e"),
    ])
    func aRedactionOutsideItsFieldIsRefused(redaction: Redaction) throws {
        var mail = Self.mail()
        mail.redactions = [redaction]
        #expect {
            try MailPDFRenderer().render(mail, info: Self.info)
        } throws: { error in
            guard case .invalidRedaction(let document, _, let start, let end, _) = error as? PDFProductionError else { return false }
            return document == "0001" && start == redaction.start && end == redaction.end
        }
    }

    @Test func overlappingRedactionsBecomeOneBoxWithBothGrounds() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var mail = Self.mail()
        let body = mail.body
        mail.redactions = [Self.span("Uw BSN 111222333", in: body, .body, "5.1.2e"), Self.span("111222333 staat", in: body, .body, "5.1.1d")]
        let url = folder.appendingPathComponent("0001.pdf")
        try MailPDFRenderer().render(mail, info: Self.info).data.write(to: url)
        let text = try PDFTools.text(of: url)
        #expect(text.contains("5.1.2e, 5.1.1d"))
        #expect(!text.contains("111222333") && !text.contains("staat in ons") && !text.contains("Uw BSN"))
    }

    @Test func redactionsCountUnicodeScalarsAndSurviveLineEnds() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // "é" as e + combining acute (two scalars), an emoji flag (two scalars), CR LF line ends.
        let body = "Cafe\u{301} \u{1F1F3}\u{1F1F1} Zoë Brandsma\r\nwoont in Lekkerkerk.\r\n"
        let start = body.unicodeScalars.count - "Zoë Brandsma\r\nwoont in Lekkerkerk.\r\n".unicodeScalars.count
        var mail = Self.mail()
        mail.body = body
        mail.redactions = [Redaction(field: .body, start: start, end: start + "Zoë Brandsma".unicodeScalars.count, ground: "5.1.2e")]
        let url = folder.appendingPathComponent("0001.pdf")
        let rendered = try MailPDFRenderer().render(mail, info: Self.info)
        try rendered.data.write(to: url)
        let text = try PDFTools.text(of: url)
        #expect(!text.contains("Zoë") && !text.contains("Brandsma"))
        #expect(text.contains("woont in Lekkerkerk."))
    }

    @Test func charactersOutsideDejaVuAreCounted() throws {
        var mail = Self.mail()
        mail.redactions = []
        mail.body = "Zie bijlage: 市政府 的 决定"
        #expect(try MailPDFRenderer().render(mail, info: Self.info).unknownGlyphs == 6)
    }

    @Test func withoutDejaVuTheFontsAreMissing() throws {
        let empty = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: PDFProductionError.fontsMissing(path: empty.appendingPathComponent("DejaVuSans.ttf").path)) {
            try MailPDFRenderer(fontDirectory: empty.path).render(Self.mail(), info: Self.info)
        }
    }
}

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
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPDF
import Testing

@Suite(.enabled(if: PDFTools.all, "\(PDFTools.reason)"))
struct PDFAttachmentRedactorTests {
    static let info = PDFDocumentInfo(title: "Woo-verzoek Z/24/000123, document 0001-1", author: "Gemeente Krimpenerwaard",
                                      creationDate: Date(timeIntervalSince1970: 1_709_290_800))
    static let pages = [
        ["Aanvraag kwijtschelding", "Burgerservicenummer: 111222333", "IBAN: NL91 ABNA 0417 1643 00",
         "Naam aanvrager: Jan Jansen", "Behandeld door team Belastingen"],
        ["Besluit: toegekend", "Uitbetaling op NL91ABNA0417164300 binnen vier weken."],
    ]

    func attachment(in folder: URL) throws -> Data {
        let url = folder.appendingPathComponent("aanvraag.pdf")
        TestPDF.write(Self.pages, to: url)
        return try Data(contentsOf: url)
    }

    @Test func bsnIbanAndNameAreGoneFromTheTextTheBytesAndThePixels() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try attachment(in: folder)
        let redactor = PDFAttachmentRedactor()
        let text = try redactor.text(of: original, name: "aanvraag.pdf")
        #expect(text.pages.count == 2)
        let name = try #require(text.text.range(of: "Jan Jansen"))
        let start = text.text.unicodeScalars.distance(from: text.text.unicodeScalars.startIndex, to: name.lowerBound)
        let redacted = try redactor.redact(pdf: original, name: "aanvraag.pdf", redactions: [
            PDFRedaction(.text("111222333"), ground: "5.1.1d"),
            PDFRedaction(.text("NL91ABNA0417164300"), ground: "5.1.2e"),  // spaced on page 1, not on page 2
            PDFRedaction(.span(start: start, end: start + 10), ground: "5.1.2e"),
        ], info: Self.info)
        #expect(redacted.pageCount == 2)
        #expect(redacted.boxes.count == 4)  // BSN, IBAN on page 1 (one line), name, IBAN on page 2
        let url = folder.appendingPathComponent("aanvraag-gelakt.pdf")
        try redacted.data.write(to: url)

        // No text layer at all, no font, and none of the redacted strings in the bytes, streams decompressed.
        let extracted = try PDFTools.text(of: url)
        #expect(extracted.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{0C}"))).isEmpty)
        let fonts = String(decoding: try PDFTools.run("pdffonts", [url.path]).output, as: UTF8.self)
        #expect(fonts.split(separator: "\n").count == 2, "pdffonts lists fonts: \(fonts)")
        let raw = try PDFTools.decompressed(url)
        #expect(PDFTools.holds(raw, "Gemeente Krimpenerwaard"), "the byte search finds nothing at all")
        for secret in ["111222333", "NL91", "ABNA", "0417", "Jansen", "kwijtschelding", "Belastingen"] {
            #expect(!PDFTools.holds(raw, secret), "the decompressed file holds \(secret)")
        }
        let info = String(decoding: try PDFTools.run("pdfinfo", [url.path]).output, as: UTF8.self)
        #expect(info.contains("Beeld-PDF"))

        // The boxes are in the pixels: dark where the words were (the white ground label aside), not elsewhere.
        try expectCovered(redacted, original: folder.appendingPathComponent("aanvraag.pdf"), result: url)
        let kept = try #require(text.words.first { text.text.unicodeScalars[
            text.text.unicodeScalars.index(text.text.unicodeScalars.startIndex, offsetBy: $0.start)] == "B" && $0.page == 1 })
        let share = try TestPDF.darkShare(of: url, page: 2, dpi: 100, x: kept.x, y: kept.y, width: kept.width, height: kept.height)
        #expect(share < 0.5, "the unredacted word is covered (\(share))")
    }

    /// Every box is dark in the result and was not in the original (the same place on the page as it is shown).
    func expectCovered(_ redacted: RedactedPDF, original: URL, result: URL) throws {
        for box in redacted.boxes {
            let share = try TestPDF.darkShare(of: result, page: box.page + 1, dpi: 100, x: box.x, y: box.y, width: box.width,
                                              height: box.height)
            #expect(share > 0.75, "box \(box) is \(share) dark")
            let before = try TestPDF.darkShare(of: original, page: box.page + 1, dpi: 100, x: box.x, y: box.y,
                                               width: box.width, height: box.height)
            #expect(before < 0.5, "the original is already dark at \(box)")
        }
    }

    @Test func turnedPagesAreRedactedWhereTheWordsAreShown() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try attachment(in: folder)
        let turned = folder.appendingPathComponent("gedraaid.pdf")
        _ = try PDFTools.run("qpdf", [folder.appendingPathComponent("aanvraag.pdf").path, "--rotate=+90:1", "--rotate=180:2",
                                      turned.path])
        let redacted = try PDFAttachmentRedactor().redact(pdf: try Data(contentsOf: turned), name: "gedraaid.pdf", redactions: [
            PDFRedaction(.text("111222333"), ground: "5.1.1d"), PDFRedaction(.text("NL91ABNA0417164300"), ground: "5.1.2e"),
        ], info: Self.info)
        #expect(redacted.boxes.map(\.page) == [0, 0, 1])
        let url = folder.appendingPathComponent("gedraaid-gelakt.pdf")
        try redacted.data.write(to: url)
        let info = String(decoding: try PDFTools.run("pdfinfo", ["-f", "1", "-l", "2", url.path]).output, as: UTF8.self)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(info.contains("Page 1 size: 842 x 595 pts (A4) Page 1 rot: 0 Page 2 size: 595 x 842 pts (A4) Page 2 rot: 0"))
        try expectCovered(redacted, original: turned, result: url)
    }

    @Test func redactingTwiceGivesTheSameBytes() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try attachment(in: folder)
        let redactions = [PDFRedaction(.text("111222333"), ground: "5.1.1d")]
        let first = try PDFAttachmentRedactor().redact(pdf: original, name: "a.pdf", redactions: redactions, info: Self.info)
        let second = try PDFAttachmentRedactor().redact(pdf: original, name: "a.pdf", redactions: redactions, info: Self.info)
        #expect(first.data == second.data)
    }

    @Test func textLayerWordsAndOffsets() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try PDFAttachmentRedactor().text(of: try attachment(in: folder), name: "aanvraag.pdf")
        #expect(text.text.hasPrefix("Aanvraag kwijtschelding\nBurgerservicenummer: 111222333\n"))
        #expect(text.text.contains("\u{0C}Besluit: toegekend\n"))
        let scalars = Array(text.text.unicodeScalars)
        for word in text.words {
            #expect(!String(String.UnicodeScalarView(scalars[word.start..<word.end])).contains(" "))
            #expect(word.x > 60 && word.width > 0 && word.height > 0)
        }
    }

    @Test func aTextThatIsNotInTheTextLayerIsAnError() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try PDFAttachmentRedactor().redact(pdf: try attachment(in: folder), name: "aanvraag.pdf",
                                               redactions: [PDFRedaction(.text("999999990"), ground: "5.1.1d")], info: Self.info)
        } throws: { error in
            guard case .cannotRedactReliably(let file, let reason) = error as? PDFProductionError else { return false }
            return file == "aanvraag.pdf" && reason.contains("not found")
        }
    }

    @Test(arguments: ["geheim", ""])
    func anEncryptedPDFIsRefused(password: String) throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try attachment(in: folder)
        let encrypted = folder.appendingPathComponent("versleuteld.pdf")
        _ = try PDFTools.run("qpdf", ["--encrypt", password, "eigenaar", "256", "--",
                                      folder.appendingPathComponent("aanvraag.pdf").path, encrypted.path])
        #expect {
            try PDFAttachmentRedactor().redact(pdf: try Data(contentsOf: encrypted), name: "versleuteld.pdf",
                                               redactions: [PDFRedaction(.text("111222333"), ground: "5.1.1d")], info: Self.info)
        } throws: { error in
            guard case .cannotRedactReliably(_, let reason) = error as? PDFProductionError else { return false }
            return reason.contains("encrypted")
        }
    }

    @Test(arguments: [Data("dit is geen PDF\n".utf8), Data(), Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".utf8)])
    func aBrokenPDFIsRefused(bytes: Data) throws {
        #expect {
            try PDFAttachmentRedactor().redact(pdf: bytes, name: "kapot.pdf", redactions: [], info: Self.info)
        } throws: { error in
            guard case .cannotRedactReliably(let file, _) = error as? PDFProductionError else { return false }
            return file == "kapot.pdf" && "\(error)".contains("handle it by hand")
        }
    }

    @Test func withoutPopplerTheAttachmentNeedsManualHandling() throws {
        let empty = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: PDFProductionError.toolMissing(tool: "pdfinfo", package: "poppler-utils", file: "a.pdf")) {
            try PDFAttachmentRedactor(toolDirectories: [empty.path]).redact(pdf: Data("%PDF".utf8), name: "a.pdf",
                                                                            redactions: [], info: Self.info)
        }
    }

    @Test func withoutLibreOfficeAnOfficeAttachmentNeedsManualHandling() throws {
        let empty = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(PDFAttachmentRedactor.isOfficeDocument(name: "Toelichting.DOCX"))
        #expect(!PDFAttachmentRedactor.isOfficeDocument(name: "scan.pdf"))
        #expect(throws: PDFProductionError.libreOfficeMissing(file: "Toelichting.docx")) {
            try PDFAttachmentRedactor(toolDirectories: [empty.path]).redactOffice(Data("x".utf8), name: "Toelichting.docx",
                                                                                  redactions: [], info: Self.info)
        }
        #expect("\(PDFProductionError.libreOfficeMissing(file: "x.docx"))".contains("LibreOffice is not installed"))
    }

    @Test(.enabled(if: PDFTools.libreOfficeInstalled, "LibreOffice (soffice) is not installed: Office conversion not tested"))
    func anOfficeAttachmentIsConvertedAndRedacted() throws {
        let rtf = Data(#"{\rtf1\ansi\deff0 {\fonttbl {\f0 DejaVu Sans;}}\f0\fs24 Burgerservicenummer 111222333\par Einde\par}"#.utf8)
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let redacted = try PDFAttachmentRedactor(timeout: .seconds(300)).redactOffice(
            rtf, name: "brief.rtf", redactions: [PDFRedaction(.text("111222333"), ground: "5.1.1d")], info: Self.info)
        let url = folder.appendingPathComponent("brief.pdf")
        try redacted.data.write(to: url)
        #expect(!PDFTools.holds(try PDFTools.decompressed(url), "111222333"))
        #expect(redacted.boxes.count == 1)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPDF
import Testing

/// Figures for the note (not a pass/fail check): the time and peak RSS of rendering a 20-page mail with 300
/// redactions, and of redacting a 10-page PDF with two redactions found 560 times. Run each on its own:
///   SLUITSTEEN_PDF_BENCH=1 swift test --skip-build --filter PDFBench/renderTwentyPageMail (or PDFBench/redactTenPagePDF)
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SLUITSTEEN_PDF_BENCH"] != nil,
                "set SLUITSTEEN_PDF_BENCH=1 to measure PDF production (figures, not a check)"),
       .enabled(if: PDFTools.all, "\(PDFTools.reason)"),
       .serialized)
struct PDFBench {
    static let info = PDFDocumentInfo(title: "bench", author: "bench", creationDate: Date(timeIntervalSince1970: 1_709_290_800))

    /// Peak resident set size of this process so far, in MB (Linux's VmHWM).
    static func peakRSS() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    @Test func renderTwentyPageMail() throws {
        let paragraph = "Naar aanleiding van het overleg met bewoner Jan Jansen (BSN 111222333) over de aanvraag van "
            + "de omgevingsvergunning stuur ik u de stukken; IBAN NL91ABNA0417164300 is bekend bij de afdeling.\n\n"
        let body = String(repeating: paragraph, count: 300)
        var redactions: [Redaction] = []
        var offset = 0
        let scalars = Array(paragraph.unicodeScalars)
        let bsn = Array("111222333".unicodeScalars)
        let at = (0...(scalars.count - bsn.count)).first { Array(scalars[$0..<($0 + bsn.count)]) == bsn }!
        for _ in 0..<300 {
            redactions.append(Redaction(field: .body, start: offset + at, end: offset + at + bsn.count, ground: "5.1.1d"))
            offset += scalars.count
        }
        let mail = MailDocument(documentID: "0001", requestNumber: "Z/24/000123", from: "a@b.nl", to: "c@d.nl",
                                date: "1 maart 2024", subject: "Bench", body: body, redactions: redactions)
        let before = Self.peakRSS()
        let clock = ContinuousClock.now
        let rendered = try MailPDFRenderer().render(mail, info: Self.info)
        let elapsed = ContinuousClock.now - clock
        print("PDF bench: mail of \(rendered.pageCount) pages, \(redactions.count) redactions, \(rendered.data.count / 1024) KB: "
              + "\(elapsed), peak RSS \(Int(Self.peakRSS())) MB (\(Int(before)) MB before)")
        #expect(rendered.pageCount >= 20)
    }

    @Test func redactTenPagePDF() throws {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("tien.pdf")
        let lines = (1...28).map { "Regel \($0): het college besluit, gelet op de aanvraag van Jan Jansen, BSN 111222333." }
        TestPDF.write(Array(repeating: lines, count: 10), to: url)
        let pdf = try Data(contentsOf: url)
        let before = Self.peakRSS()
        let clock = ContinuousClock.now
        let redacted = try PDFAttachmentRedactor().redact(pdf: pdf, name: "tien.pdf", redactions: [
            PDFRedaction(.text("111222333"), ground: "5.1.1d"), PDFRedaction(.text("Jan Jansen"), ground: "5.1.2e"),
        ], info: Self.info)
        let elapsed = ContinuousClock.now - clock
        print("PDF bench: \(redacted.pageCount)-page PDF, \(redacted.boxes.count) boxes at \(redacted.resolution) dpi, "
              + "\(pdf.count / 1024) KB in, \(redacted.data.count / 1024) KB out: \(elapsed), "
              + "peak RSS \(Int(Self.peakRSS())) MB (\(Int(before)) MB before)")
        #expect(redacted.pageCount == 10)
    }
}

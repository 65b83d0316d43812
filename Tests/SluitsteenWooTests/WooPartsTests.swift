// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenMIME
import SluitsteenSupport
@testable import SluitsteenWoo
import Testing

/// The pieces of the workflow on their own: the inventarislijst's cells and files, the outline of a message, the rules
/// production checks.
@Suite struct WooPartsTests {
    @Test("cells that a spreadsheet would run as a formula are kept as text; characters XML cannot hold are replaced")
    func formulaInjection() {
        #expect(Inventarislijst.cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        #expect(Inventarislijst.cell("+31 6 1234 5678") == "'+31 6 1234 5678")
        #expect(Inventarislijst.cell("-2+3") == "'-2+3")
        #expect(Inventarislijst.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(Inventarislijst.cell("\t=1") == "'\t=1")
        #expect(Inventarislijst.cell("5.1.2e; 5.2.1") == "5.1.2e; 5.2.1")
        #expect(Inventarislijst.cell("Re: a\u{0}b\u{1B}c") == "Re: a\u{FFFD}b\u{FFFD}c")
        #expect(Inventarislijst.cell("Zoë – €") == "Zoë – €")
    }

    @Test("the CSV is UTF-8 with a byte order mark, RFC 4180 quoted, and reads back to the same cells")
    func csv() throws {
        let row = InventoryRow(id: "0001", familyId: "0001", threadId: "0001", document: "Re: \"zonnepark\", fase 2\nvervolg",
                               fileType: "email", date: "2025-02-03", assessment: "Deels openbaar", suspended: "Nee",
                               grounds: "5.1.1e; 5.1.2e", note: "=1+2", publicLink: "", relatedId: "", zaaknummer: "Z-1")
        let data = Inventarislijst.csv([row])
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\r\n"))
        let table = try CSVTable(text: text)
        #expect(table.header.count == 13)
        #expect(table.records.count == 1)
        #expect(table.records[0].fields == row.cells.map(Inventarislijst.cell))
        #expect(table.records[0].fields[9] == "'=1+2")
    }

    @Test("the XLSX holds the same cells (read by openpyxl when the test virtualenv has it)",
          .enabled(if: TestPython.hasOpenpyxl, "no .venv-tests with openpyxl (make deps)"))
    func xlsx() throws {
        let rows = [
            InventoryRow(id: "0001", familyId: "0001", threadId: "0001", document: "Zoë & <Co> \"quoted\"", fileType: "email",
                         date: "2025-02-03", assessment: "Openbaar", suspended: "Nee", grounds: "", note: " leading space",
                         publicLink: "https://example.invalid/a?b=1&c=2", relatedId: "", zaaknummer: "Z-1"),
            InventoryRow(id: "0002", familyId: "0001", threadId: "0001", document: "=cmd|' /C calc'!A0", fileType: "pdf",
                         date: "2025-02-03", assessment: "Niet openbaar", suspended: "Ja", grounds: "5.1.2e", note: "regel 1\nregel 2",
                         publicLink: "", relatedId: "", zaaknummer: "Z-1"),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("woo-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try Inventarislijst.writeXLSX(rows, to: url, date: Date(timeIntervalSince1970: 1_750_000_000))
        let sheet = try TestPython.xlsxRows(url)
        #expect(sheet.first == Inventarislijst.columns)
        #expect(Array(sheet.dropFirst()) == rows.map { $0.cells.map(Inventarislijst.cell) })
        // The same rows give the same bytes.
        let again = url.deletingPathExtension().appendingPathExtension("2.xlsx")
        defer { try? FileManager.default.removeItem(at: again) }
        try Inventarislijst.writeXLSX(rows, to: again, date: Date(timeIntervalSince1970: 1_750_000_000))
        #expect(try Data(contentsOf: url) == Data(contentsOf: again))
    }

    @Test("a message's outline: In-Reply-To and References through GMime, attachments in extraction order")
    func outline() throws {
        let message = """
            From: a@example.org
            To: b@example.org
            Subject: Re: Re: notitie
            Message-ID: <c3@example.org>
            In-Reply-To: <b2@example.org> (Jan's message of Monday)
            References: <a1@example.org>
             <b2@example.org>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="x"

            --x
            Content-Type: text/plain

            Tekst.
            --x
            Content-Type: application/pdf; name="notitie.pdf"
            Content-Disposition: attachment; filename="notitie.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --x
            Content-Type: message/rfc822

            From: c@example.org
            Subject: Doorgestuurd

            Binnenste bericht.
            --x
            Content-Type: image/png
            Content-Disposition: attachment

            png
            --x--

            """
        let data = Data(message.utf8)
        let outline = data.withUnsafeBytes { MessageOutline.read($0) }
        #expect(outline.messageId == "<c3@example.org>")
        #expect(outline.inReplyTo == ["<b2@example.org>"])
        #expect(outline.references == ["<a1@example.org>", "<b2@example.org>"])
        #expect(outline.attachments.map(\.name) == ["notitie.pdf", "Doorgestuurd.eml", nil])
        #expect(outline.attachments.map(\.mimeType) == ["application/pdf", "message/rfc822", "image/png"])
        #expect(outline.attachments.map(\.extractionIndex) == [0, 1, 2])
        let extracted = AttachmentExtraction.attachments(of: data)
        #expect(extracted.count == 3 && extracted[0].filename == "notitie.pdf" && extracted[1].isMessage)
    }

    @Test("production checks: an openbaar document with an accepted redaction, a deels openbaar one without, undecided ones")
    func productionRules() {
        func doc(_ n: Int, _ a: WooAssessment?, kind: WooDocumentKind = .email, type: String = "email", scanned: Bool = true,
                 grounds: [String] = []) -> WooDocument {
            WooDocument(number: n, kind: kind, family: n, thread: 1, copyId: Int64(n), mailbox: "m", sha256: "s", messageId: "<\(n)>",
                        date: nil, dateEpoch: nil, title: "t\(n)", fileType: type, mimeType: nil, attachmentIndex: nil,
                        extractionIndex: nil, follows: nil, relation: nil,
                        review: WooReview(relevant: a == nil ? nil : true, assessment: a, grounds: grounds),
                        scannedAt: scanned ? "x" : nil, problem: nil)
        }
        func redaction(_ id: Int64, _ document: Int, _ status: WooRedactionStatus) -> WooRedactionRecord {
            WooRedactionRecord(id: id, document: document, field: .body, start: 0, end: 1, text: "x", ground: "5.1.2e", kind: "bsn",
                               status: status, note: "", createdAt: "", createdBy: "", decidedAt: nil, decidedBy: nil)
        }
        let docs = [doc(1, .disclosed), doc(2, .partlyDisclosed), doc(3, .partlyDisclosed), doc(4, .partlyDisclosed, scanned: false),
                    doc(5, nil), doc(6, .partlyDisclosed, kind: .attachment, type: "png", scanned: true),
                    doc(7, .withheld, grounds: ["5.2.1"]), doc(8, .partlyDisclosed)]
        let problems = WooWorkflow.problems("Z", docs: docs, redactions: [
            redaction(1, 1, .accepted), redaction(2, 3, .suggested), redaction(3, 8, .accepted), redaction(4, 8, .rejected),
        ])
        func about(_ n: Int) -> [String] { problems.filter { $0.contains("document \(WooDocument.id(n)) ") } }
        #expect(about(1).count == 1 && about(1)[0].contains("openbaar but has 1 accepted"))
        #expect(about(2).count == 1 && about(2)[0].contains("no accepted redaction"))
        #expect(about(3).count == 1 && about(3)[0].contains("1 undecided suggestion"))
        #expect(about(4).contains { $0.contains("not read by the recognisers") })
        #expect(about(5).count == 1 && about(5)[0].contains("no assessment"))
        #expect(about(6).count == 1 && about(6)[0].contains("give the ground"))
        #expect(about(7).isEmpty && about(8).isEmpty)
    }

    @Test("document IDs have four digits at least")
    func ids() {
        #expect(WooDocument.id(7) == "0007" && WooDocument.id(1234) == "1234" && WooDocument.id(12345) == "12345")
        #expect(WooAssessment(spelling: "Deels-openbaar") == .partlyDisclosed && WooAssessment(spelling: "geheim") == nil)
        #expect(WooDecisionType(spelling: "geen-documenten") == .noDocuments)
        #expect(WooTextField(storedName: "attachment-name:2") == .attachmentName(2))
    }
}

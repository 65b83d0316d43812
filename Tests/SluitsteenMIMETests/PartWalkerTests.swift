import Foundation
import SluitsteenMIME
import Testing

@Suite("One MIME walk: the catalog's attachments are the export's attachments")
struct PartWalkerTests {
    /// A message whose attachments the old export walker saw differently from ingest: a part named only by a
    /// Content-Disposition `name`, a file name in split encoded-words that GMime alone decodes short, and an
    /// attached message named by its encoded subject.
    static let message = Data("""
        From: a@example.org
        To: b@example.org
        Subject: Stukken
        Message-ID: <stukken@example.org>
        Date: Mon, 2 Mar 2020 10:00:00 +0100
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="B"

        --B
        Content-Type: text/plain; charset=utf-8

        Zie de stukken.
        --B
        Content-Type: application/pdf
        Content-Disposition: inline; name="notulen.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --B
        Content-Type: application/pdf
        Content-Disposition: attachment; filename="=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9uLnBkZg==?="
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --B
        Content-Type: message/rfc822

        From: c@example.org
        Subject: =?utf-8?Q?Doorgestuurd_caf=C3=A9?=
        Message-ID: <binnen@example.org>

        Binnen.
        --B--

        """.replacingOccurrences(of: "\n", with: "\r\n").utf8)

    @Test func extractionTakesOutWhatTheCatalogCountsUnderTheSameNames() throws {
        let parsed = Self.message.withUnsafeBytes {
            MessageParser.parse($0, sha256: String(repeating: "0", count: 64), fallbackDate: (Date(), .captureTime))
        }
        #expect(parsed.attachmentNames == ["notulen.pdf", "Confirm the transaction.pdf", "Doorgestuurd café.eml"])
        #expect(parsed.attachmentCount == 3)
        let extracted = AttachmentExtraction.attachments(of: Self.message)
        #expect(extracted.map(\.filename) == parsed.attachmentNames.map { Optional($0) })
        #expect(extracted.map(\.isMessage) == [false, false, true])
        #expect(extracted.prefix(2).allSatisfy { $0.bytes == Data("%PDF-1.4\n".utf8) })
    }

    /// Extraction into files (for messages above the in-memory limit) checks each file against the size GMime
    /// wrote; the attached message here has CRLF line ends, which GMime writes as LF: the check must count the
    /// bytes written, not the bytes GMime reports it took in (which refused this message as "disk full?").
    @Test func extractionToFilesGivesTheSameAttachments() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-mime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("m.eml")
        try Self.message.write(to: file)
        let inMemory = AttachmentExtraction.attachments(of: Self.message)
        let inFiles = try AttachmentExtraction.attachments(ofFile: file.path, scratchPrefix: folder.path + "/a-")
        #expect(inFiles.map(\.filename) == inMemory.map(\.filename))
        for (m, f) in zip(inMemory, inFiles) {
            #expect(try Data(contentsOf: URL(fileURLWithPath: try #require(f.file))) == m.bytes)
        }
        #expect(throws: MIMEError.self) { try AttachmentExtraction.attachments(ofFile: folder.path + "/missing", scratchPrefix: "x") }
    }
}

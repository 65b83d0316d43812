// SPDX-License-Identifier: EUPL-1.2
import CCairo
import Foundation

/// One redaction of a PDF attachment, with the ground printed in its boxes.
public struct PDFRedaction: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// Unicode scalar offsets (half open) into `PDFText.text` of the same file, as `text(of:name:)` gives it:
        /// exactly the words the reviewer marked.
        case span(start: Int, end: Int)
        /// Every occurrence of this text in the file's text layer, matched regardless of spacing and letter case
        /// (see `PDFText`): for spans made on another extraction of the attachment's text.
        case text(String)
    }

    public var target: Target
    public var ground: String

    public init(_ target: Target, ground: String) {
        self.target = target
        self.ground = ground
    }
}

/// A box painted over a page: page (from 0), place and size in points from the page's top left, ground.
public struct RedactionBox: Sendable, Hashable {
    public var page: Int
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var ground: String
}

/// A redacted attachment: an image-only PDF (every page a picture, no text layer), its boxes, and the resolution.
public struct RedactedPDF: Sendable, Hashable {
    public var data: Data
    public var pageCount: Int
    public var boxes: [RedactionBox]
    /// The resolution the pages were rasterised at (dots per inch).
    public var resolution: Int
}

/// Redacts PDF attachments (and Office attachments, through LibreOffice) for disclosure under the Woo.
///
/// Every page is rasterised with poppler's `pdftoppm`, the words to withhold are found in poppler's text layer
/// (`pdftotext -tsv`) and painted over in the page image, and a new PDF is written from the images with cairo: no
/// text, font, metadata, attachment, form or script of the original survives, only pictures of its pages. Pages
/// without redactions are rasterised too, so the whole file is one kind (and nothing hidden in it is carried over).
/// A redaction covers whole words. What cannot be done reliably is an error, never a silent pass: poppler missing,
/// an encrypted or unreadable file, a page that poppler renders and reads differently, or a text to redact that is
/// not in the text layer (a scan, or text drawn as outlines): such a file needs manual handling. Text that is only
/// in a picture on the page is not seen: the reviewer checks the result.
public struct PDFAttachmentRedactor: Sendable {
    /// The resolution pages are rasterised at, in dots per inch (150: legible, about 0.1–0.4 MB a text page).
    public var resolution: Int
    /// The longest one run of a tool may take (a hostile file must not stop the production).
    public var timeout: Duration
    /// Where DejaVu Sans is (for the grounds in the boxes).
    public var fontDirectory: String
    /// Where to look for pdfinfo, pdftotext, pdftoppm and soffice (nil: the PATH, then /usr/bin and /bin; soffice
    /// also in /usr/lib/libreoffice/program).
    public var toolDirectories: [String]?

    public init(resolution: Int = 150, timeout: Duration = .seconds(120),
                fontDirectory: String = "/usr/share/fonts/truetype/dejavu", toolDirectories: [String]? = nil) {
        self.resolution = resolution
        self.timeout = timeout
        self.fontDirectory = fontDirectory
        self.toolDirectories = toolDirectories
    }

    /// The file-name extensions of the Office documents LibreOffice is asked to turn into PDF.
    public static let officeExtensions: Set<String> = [
        "doc", "docx", "docm", "dot", "dotx", "odt", "ott", "rtf", "wpd",
        "xls", "xlsx", "xlsm", "ods", "ots", "csv", "ppt", "pptx", "pps", "ppsx", "odp", "otp", "odg",
    ]

    /// Whether `name` is an Office document by its extension.
    public static func isOfficeDocument(name: String) -> Bool {
        officeExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    /// The text layer of `pdf`, the text its redaction spans point into. `name` is the attachment's name in messages.
    public func text(of pdf: Data, name: String) throws(PDFProductionError) -> PDFText {
        let scratch = try ScratchFolder(file: name)
        let input = try scratch.write(pdf, to: "input.pdf", file: name)
        let rotations = try inspect(input, in: scratch, name: name)
        return try readText(input, rotations: rotations, in: scratch, name: name)
    }

    /// Redacts `pdf`: the image-only PDF with every redaction painted over, its ground in the box. `info` is written
    /// as its document information, with a note in the subject that the file holds page images only.
    public func redact(pdf: Data, name: String, redactions: [PDFRedaction], info: PDFDocumentInfo)
        throws(PDFProductionError) -> RedactedPDF {
        let scratch = try ScratchFolder(file: name)
        let input = try scratch.write(pdf, to: "input.pdf", file: name)
        let rotations = try inspect(input, in: scratch, name: name)
        let text = try readText(input, rotations: rotations, in: scratch, name: name)
        let boxes = try Self.boxes(for: redactions, in: text, name: name)
        let pdftoppm = try tool("pdftoppm", package: "poppler-utils", name: name)
        let typesetter = try Typesetter(fontDirectory: fontDirectory)
        let dpi = resolution
        var info = info
        let note = "Beeld-PDF: elke pagina gerasterd op \(dpi) dpi en gelakt; geen tekstlaag"
        info.subject = info.subject.isEmpty ? note : info.subject + " (\(note))"
        let data = try PDFWriter.write(document: name, info: info, pageSizes: text.pages.map { ($0.width, $0.height) }) {
            (cairo, page) throws(PDFProductionError) in
            let image = try rasterise(input, page: page, with: pdftoppm, in: scratch, name: name)
            defer { cairo_surface_destroy(image) }
            let size = text.pages[page]
            let (width, height) = (Double(cairo_image_surface_get_width(image)), Double(cairo_image_surface_get_height(image)))
            // pdftoppm and pdftotext must agree on the page (its size and rotation), or the boxes would miss.
            guard abs(width - size.width * Double(dpi) / 72) <= 2, abs(height - size.height * Double(dpi) / 72) <= 2 else {
                throw .cannotRedactReliably(file: name, reason: "poppler renders page \(page + 1) at \(Int(width))×\(Int(height)) "
                                            + "pixels but lays out its text on \(size.width)×\(size.height) points")
            }
            guard let painter = cairo_create(image) else {
                throw .renderingFailed(document: name, detail: "cairo could not draw on page \(page + 1)")
            }
            cairo_scale(painter, width / size.width, height / size.height)
            for box in boxes where box.page == page {
                drawBox(on: painter, x: box.x, y: box.y, width: box.width, height: box.height, label: box.ground,
                        typesetter: typesetter, labelSize: min(MailPDFRenderer.labelSize, box.height * 0.7))
            }
            cairo_destroy(painter)
            cairo_surface_flush(image)
            try PDFWriter.check(cairo_surface_status(image), document: name)
            cairo_scale(cairo, size.width / width, size.height / height)
            cairo_set_source_surface(cairo, image, 0, 0)
            cairo_paint(cairo)
        }
        return RedactedPDF(data: data, pageCount: text.pages.count, boxes: boxes, resolution: dpi)
    }

    /// Turns an Office document into PDF with LibreOffice (headless, in a private scratch folder and profile).
    public func convertOffice(_ document: Data, name: String) throws(PDFProductionError) -> Data {
        guard let soffice = ExternalTool.find("soffice", in: toolDirectories)
                ?? ExternalTool.find("libreoffice", in: toolDirectories)
                ?? (toolDirectories == nil ? ExternalTool.find("soffice", in: ["/usr/lib/libreoffice/program"]) : nil)
        else { throw .libreOfficeMissing(file: name) }
        let scratch = try ScratchFolder(file: name)
        // A plain name keeps LibreOffice's command line and output name predictable; the extension tells the format.
        let ext = String((name as NSString).pathExtension.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
            .prefix(8))
        let input = try scratch.write(document, to: "bijlage." + (ext.isEmpty ? "bin" : ext), file: name)
        let outputFolder = scratch.url.appendingPathComponent("out")
        let profile = scratch.url.appendingPathComponent("profile")
        let run = soffice.run(["-env:UserInstallation=" + profile.absoluteString, "--headless", "--invisible",
                               "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", outputFolder.path,
                               input.path], in: scratch.url, timeout: timeout)
        let output = outputFolder.appendingPathComponent("bijlage.pdf")
        guard !run.timedOut, run.status == 0, let pdf = try? Data(contentsOf: output), !pdf.isEmpty else {
            let why = run.timedOut ? "it took longer than \(timeout)" : Self.firstLine(run.errorOutput, or: "no PDF was made")
            throw .cannotRedactReliably(file: name, reason: "LibreOffice could not turn it into a PDF (\(why))")
        }
        return pdf
    }

    /// Redacts an Office document: LibreOffice turns it into a PDF, which is redacted as `redact(pdf:…)` does
    /// (spans then point into the text of that PDF: take it with `convertOffice` and `text(of:name:)`).
    public func redactOffice(_ document: Data, name: String, redactions: [PDFRedaction], info: PDFDocumentInfo)
        throws(PDFProductionError) -> RedactedPDF {
        try redact(pdf: try convertOffice(document, name: name), name: name, redactions: redactions, info: info)
    }

    // MARK: - Steps

    func tool(_ tool: String, package: String, name: String) throws(PDFProductionError) -> ExternalTool {
        guard let found = ExternalTool.find(tool, in: toolDirectories) else {
            throw .toolMissing(tool: tool, package: package, file: name)
        }
        return found
    }

    /// Each page's rotation, from pdfinfo; an encrypted or unreadable file is refused.
    func inspect(_ input: URL, in scratch: ScratchFolder, name: String) throws(PDFProductionError) -> [Int] {
        let pdfinfo = try tool("pdfinfo", package: "poppler-utils", name: name)
        let report = scratch.url.appendingPathComponent("pdfinfo.txt")
        let run = pdfinfo.run(["-enc", "UTF-8", "-f", "1", "-l", "999999999", input.path], in: scratch.url, output: report,
                              timeout: timeout)
        let lines = ((try? String(contentsOf: report, encoding: .utf8)) ?? "").split(separator: "\n")
        func value(_ key: String) -> String? {
            lines.first { $0.hasPrefix(key + ":") }.map { $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        if run.errorOutput.contains("Incorrect password") || value("Encrypted")?.hasPrefix("yes") == true {
            throw .cannotRedactReliably(file: name, reason: "it is encrypted (protected with a password or permissions)")
        }
        guard !run.timedOut, run.status == 0 else {
            let why = run.timedOut ? "poppler took longer than \(timeout)"
                : "poppler cannot read it as a PDF: " + Self.firstLine(run.errorOutput, or: "pdfinfo failed")
            throw .cannotRedactReliably(file: name, reason: why)
        }
        guard let pages = value("Pages").flatMap({ Int($0) }), pages > 0 else {
            throw .cannotRedactReliably(file: name, reason: "poppler finds no pages in it")
        }
        // "Page    1 rot:   90", one line a page.
        let rotations = lines.filter { $0.hasPrefix("Page ") && $0.contains(" rot:") }
            .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        guard rotations.count == pages else {
            throw .cannotRedactReliably(file: name, reason: "poppler counts \(pages) pages but describes \(rotations.count)")
        }
        return rotations
    }

    /// The text layer, from pdftotext; it must have as many pages as pdfinfo counted.
    func readText(_ input: URL, rotations: [Int], in scratch: ScratchFolder, name: String) throws(PDFProductionError) -> PDFText {
        let pdftotext = try tool("pdftotext", package: "poppler-utils", name: name)
        let output = scratch.url.appendingPathComponent("words.tsv")
        let run = pdftotext.run(["-tsv", "-enc", "UTF-8", input.path, output.path], in: scratch.url, timeout: timeout)
        guard !run.timedOut, run.status == 0, let tsv = try? String(contentsOf: output, encoding: .utf8),
              var text = PDFText(tsv: tsv) else {
            let why = run.timedOut ? "it took longer than \(timeout)" : Self.firstLine(run.errorOutput, or: "unreadable output")
            throw .cannotRedactReliably(file: name, reason: "poppler cannot read its text (\(why))")
        }
        guard text.pages.count == rotations.count else {
            throw .cannotRedactReliably(file: name, reason: "poppler counts \(rotations.count) pages but reads text on "
                                        + "\(text.pages.count)")
        }
        text.rotate(rotations)
        return text
    }

    /// The boxes of every redaction: its words, joined per line, with a point of margin. A redaction that finds no
    /// word is an error (redacting "nothing" would pass the text on).
    static func boxes(for redactions: [PDFRedaction], in text: PDFText, name: String) throws(PDFProductionError)
        -> [RedactionBox] {
        var boxes: [RedactionBox] = []
        let length = text.text.unicodeScalars.count
        for (number, redaction) in redactions.enumerated() {
            let words: [Int]
            switch redaction.target {
            case .span(let start, let end):
                guard start >= 0, start < end, end <= length else {
                    throw .cannotRedactReliably(file: name, reason: "redaction \(number + 1) (\(redaction.ground)) spans "
                                                + "\(start)..<\(end), outside its text of \(length) characters")
                }
                words = text.words(from: start, to: end)
            case .text(let needle):
                words = text.words(matching: needle)
            }
            guard !words.isEmpty else {
                throw .cannotRedactReliably(file: name, reason: "redaction \(number + 1) (\(redaction.ground)) was not found "
                                            + "in its text layer (a scanned page, or text drawn as pictures or outlines)")
            }
            var current: RedactionBox?
            var currentLine = -1
            for index in words {
                let word = text.words[index]
                let box = RedactionBox(page: word.page, x: word.x - 1, y: word.y - 1, width: word.width + 2,
                                       height: word.height + 2, ground: redaction.ground)
                if var joined = current, word.line == currentLine, word.page == joined.page {
                    let right = max(joined.x + joined.width, box.x + box.width)
                    let bottom = max(joined.y + joined.height, box.y + box.height)
                    joined.x = min(joined.x, box.x)
                    joined.y = min(joined.y, box.y)
                    joined.width = right - joined.x
                    joined.height = bottom - joined.y
                    current = joined
                } else {
                    if let current { boxes.append(current) }
                    current = box
                    currentLine = word.line
                }
            }
            if let current { boxes.append(current) }
        }
        return boxes
    }

    /// One page as an image surface (the caller destroys it), from pdftoppm's PNG.
    func rasterise(_ input: URL, page: Int, with pdftoppm: ExternalTool, in scratch: ScratchFolder, name: String)
        throws(PDFProductionError) -> OpaquePointer {
        let stem = scratch.url.appendingPathComponent("page")
        let png = stem.appendingPathExtension("png")
        defer { try? FileManager.default.removeItem(at: png) }
        let run = pdftoppm.run(["-png", "-r", String(resolution), "-f", String(page + 1), "-l", String(page + 1),
                                "-singlefile", input.path, stem.path], in: scratch.url, timeout: timeout)
        guard !run.timedOut, run.status == 0 else {
            let why = run.timedOut ? "it took longer than \(timeout)" : Self.firstLine(run.errorOutput, or: "no image")
            throw .cannotRedactReliably(file: name, reason: "poppler cannot render page \(page + 1) (\(why))")
        }
        let image = cairo_image_surface_create_from_png(png.path)!  // an error surface, never NULL, when it fails
        let status = cairo_surface_status(image)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(image)
            throw .cannotRedactReliably(file: name, reason: "the image of page \(page + 1) cannot be read ("
                                        + String(cString: cairo_status_to_string(status)) + ")")
        }
        return image
    }

    static func firstLine(_ text: String, or fallback: String) -> String {
        text.split(separator: "\n").first.map { String($0.prefix(200)) } ?? fallback
    }
}

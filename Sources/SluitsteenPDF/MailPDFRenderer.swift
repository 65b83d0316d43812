// SPDX-License-Identifier: EUPL-1.2
import CCairo
import Foundation

/// A disclosure PDF as written: its bytes and what a caller should know about them.
public struct RenderedPDF: Sendable, Hashable {
    public var data: Data
    public var pageCount: Int
    /// Characters the fonts have no glyph for (DejaVu Sans covers Latin, Greek and Cyrillic; others, such as
    /// Chinese, show as boxes with their code): more than zero means a person should look at the PDF.
    public var unknownGlyphs: Int
}

/// Renders a mail for disclosure under the Woo: an A4, text-based PDF with the header fields under their Dutch
/// labels (Van, Aan, Cc, Datum, Onderwerp, Bijlagen), the body, every page headed with the Woo request's number and
/// the document's id and numbered "Pagina n van N" at its foot, and every redaction burned in.
///
/// Burned in means: the redacted characters are taken out of the text before it is laid out, and a black box of
/// about their width with the ground in small white letters takes their place; the redacted text is nowhere in
/// the file. The text is set in DejaVu Sans only (embedded as subsets), and the creation date comes from `info`,
/// so the same mail and info give the same bytes. See `PDFWriter` for what the file is and is not (PDF 1.5, not
/// PDF/A: cairo cannot write what PDF/A needs).
public struct MailPDFRenderer: Sendable {
    /// Where DejaVuSans.ttf and DejaVuSans-Bold.ttf are (Debian's fonts-dejavu-core).
    public var fontDirectory: String

    public init(fontDirectory: String = "/usr/share/fonts/truetype/dejavu") {
        self.fontDirectory = fontDirectory
    }

    // A4 in points, and the page's layout.
    static let pageWidth = 595.2756
    static let pageHeight = 841.8898
    static let margin = 56.7
    static let contentTop = 78.0
    static let contentBottom = pageHeight - 62.0
    static let textSize = 10.0
    static let labelSize = 6.5

    /// Renders `mail` as a PDF. Throws `.invalidRedaction` when a redaction does not lie within its field (the file
    /// is then not written at all), `.fontsMissing` without DejaVu, `.renderingFailed` when cairo fails.
    public func render(_ mail: MailDocument, info: PDFDocumentInfo) throws(PDFProductionError) -> RenderedPDF {
        let spans = try Self.spans(of: mail)
        let typesetter = try Typesetter(fontDirectory: fontDirectory)
        let page = MailPage(mail: mail, spans: spans, typesetter: typesetter)
        let data = try PDFWriter.write(
            document: mail.documentID, info: info,
            pageSizes: Array(repeating: (Self.pageWidth, Self.pageHeight), count: page.pageCount)
        ) { (cairo, index) throws(PDFProductionError) in
            page.draw(page: index, on: cairo)
        }
        return RenderedPDF(data: data, pageCount: page.pageCount, unknownGlyphs: page.unknownGlyphs)
    }

    /// The redactions per field, each checked to lie within its field's text.
    static func spans(of mail: MailDocument) throws(PDFProductionError) -> [MailField: [RedactedText.Span]] {
        var result: [MailField: [RedactedText.Span]] = [:]
        for redaction in mail.redactions {
            let length = mail.text(of: redaction.field)?.unicodeScalars.count
            guard let length, redaction.start >= 0, redaction.start < redaction.end, redaction.end <= length else {
                throw .invalidRedaction(document: mail.documentID, field: redaction.field.description,
                                        start: redaction.start, end: redaction.end, length: length ?? 0)
            }
            result[redaction.field, default: []].append(
                RedactedText.Span(start: redaction.start, end: redaction.end, ground: redaction.ground))
        }
        return result
    }
}

/// The laid-out mail: its blocks of text, their lines placed on pages, and the boxes of the redactions.
private final class MailPage {
    /// A run of text at a left edge: a field's value (with its label on the first line) or the body.
    struct Block {
        var layout: Layout
        var x: Double
        var label: Layout?
        var boxes: [RedactedText.Box]
    }

    enum Item {
        case block(Block)
        case space(Double)
        case rule
    }

    struct PlacedLine {
        var block: Int
        var line: LayoutLine
        var page: Int
        var top: Double
    }

    let typesetter: Typesetter
    let mail: MailDocument
    var blocks: [Block] = []
    var placed: [PlacedLine] = []
    /// The placed lines by block and line number (where the boxes go).
    var linesOfBlock: [Int: [Int: PlacedLine]] = [:]
    var rules: [(page: Int, y: Double)] = []
    var pageCount = 1
    var unknownGlyphs = 0

    typealias R = MailPDFRenderer

    init(mail: MailDocument, spans: [MailField: [RedactedText.Span]], typesetter: Typesetter) {
        self.mail = mail
        self.typesetter = typesetter
        let text = typesetter.font(size: R.textSize)
        let bold = typesetter.font(size: R.textSize, bold: true)
        let labelFont = typesetter.font(size: R.labelSize, bold: true)
        let metrics = typesetter.metrics(of: text)
        let contentWidth = R.pageWidth - 2 * R.margin

        let labels = [MailField.from, .to, .cc, .date, .subject, .attachmentName(0)].map { mail.label(of: $0) + ":" }
        let labelColumn = labels.map { typesetter.width(of: $0, font: bold) }.max()! + 10
        func block(_ field: MailField, x: Double, width: Double, label: String?) -> Block {
            let value = mail.text(of: field) ?? ""
            let redacted = RedactedText(value, spans: spans[field] ?? [], typesetter: typesetter, font: text,
                                        labelFont: labelFont, maxWidth: width)
            let attributes = redacted.attributes(ascent: metrics.ascent, descent: metrics.descent)
            defer { pango_attr_list_unref(attributes) }
            let layout = typesetter.layout(redacted.text, font: text, width: width, attributes: attributes)
            unknownGlyphs += layout.unknownGlyphs
            return Block(layout: layout, x: x, label: label.map { typesetter.layout($0, font: bold, width: nil) },
                         boxes: redacted.boxes)
        }

        var items: [Item] = []
        let valueX = R.margin + labelColumn
        let valueWidth = contentWidth - labelColumn
        var fields: [(MailField, String)] = [(.from, mail.label(of: .from) + ":"), (.to, mail.label(of: .to) + ":")]
        if !mail.cc.isEmpty { fields.append((.cc, mail.label(of: .cc) + ":")) }
        fields += [(.date, mail.label(of: .date) + ":"), (.subject, mail.label(of: .subject) + ":")]
        let attachmentsLabel = mail.label(of: .attachmentName(0)) + ":"
        for (field, label) in fields {
            items.append(.block(block(field, x: valueX, width: valueWidth, label: label)))
            items.append(.space(2))
        }
        if mail.attachmentNames.isEmpty {
            let none = typesetter.layout("(geen)", font: text, width: valueWidth)
            items.append(.block(Block(layout: none, x: valueX, label: typesetter.layout(attachmentsLabel, font: bold, width: nil),
                                      boxes: [])))
        } else {
            for index in mail.attachmentNames.indices {
                items.append(.block(block(.attachmentName(index), x: valueX, width: valueWidth,
                                          label: index == 0 ? attachmentsLabel : nil)))
            }
        }
        items += [.space(8), .rule, .space(10)]
        items.append(.block(block(.body, x: R.margin, width: contentWidth, label: nil)))
        paginate(items)
    }

    /// Places every line on a page: a line that does not fit goes to the next page (a space at a page's top is
    /// dropped).
    func paginate(_ items: [Item]) {
        var page = 0
        var y = R.contentTop
        for item in items {
            switch item {
            case .space(let height):
                if y > R.contentTop { y += height }
            case .rule:
                if y + 1 > R.contentBottom { page += 1; y = R.contentTop }
                rules.append((page, y))
                y += 1
            case .block(let block):
                blocks.append(block)
                for line in block.layout.lines {
                    if y + line.height > R.contentBottom, y > R.contentTop { page += 1; y = R.contentTop }
                    placed.append(PlacedLine(block: blocks.count - 1, line: line, page: page, top: y))
                    y += line.height
                }
            }
        }
        pageCount = page + 1
        for line in placed { linesOfBlock[line.block, default: [:]][line.line.index] = line }
    }

    func draw(page: Int, on cairo: OpaquePointer) {
        drawFrame(page: page, on: cairo)
        cairo_set_source_rgb(cairo, 0, 0, 0)
        for line in placed where line.page == page {
            let block = blocks[line.block]
            let baseline = line.top + (line.line.baseline - line.line.top)
            cairo_move_to(cairo, block.x + line.line.x, baseline)
            pango_cairo_show_layout_line(cairo, pango_layout_get_line_readonly(block.layout.pointer, Int32(line.line.index)))
            if line.line.index == 0, let label = block.label {
                cairo_move_to(cairo, R.margin, baseline - label.baseline)
                pango_cairo_show_layout(cairo, label.pointer)
            }
        }
        for rule in rules where rule.page == page {
            cairo_set_line_width(cairo, 0.5)
            cairo_move_to(cairo, R.margin, rule.y + 0.5)
            cairo_line_to(cairo, R.pageWidth - R.margin, rule.y + 0.5)
            cairo_stroke(cairo)
        }
        for (index, block) in blocks.enumerated() {
            for box in block.boxes {
                var lineNumber: Int32 = 0
                var xPosition: Int32 = 0
                pango_layout_index_to_line_x(block.layout.pointer, Int32(box.byteIndex), 0, &lineNumber, &xPosition)
                guard let line = linesOfBlock[index]?[Int(lineNumber)], line.page == page else { continue }
                var position = PangoRectangle()
                pango_layout_index_to_pos(block.layout.pointer, Int32(box.byteIndex), &position)
                let scale = Double(PANGO_SCALE)
                let x = block.x + Double(min(position.x, position.x + position.width)) / scale
                drawBox(on: cairo, x: x, y: line.top + 0.5, width: Double(abs(position.width)) / scale,
                        height: line.line.height - 1, label: box.label, typesetter: typesetter)
            }
        }
    }

    /// The page's head (request and document) and foot (page number), in grey.
    func drawFrame(page: Int, on cairo: OpaquePointer) {
        let font = typesetter.font(size: 8)
        let width = R.pageWidth - 2 * R.margin
        cairo_set_source_rgb(cairo, 0.35, 0.35, 0.35)
        let left = typesetter.layout("Woo-verzoek \(mail.requestNumber)", font: font, width: width / 2 - 6)
        pango_layout_set_ellipsize(left.pointer, PANGO_ELLIPSIZE_END)
        let right = typesetter.layout("Document \(mail.documentID)", font: font, width: width / 2 - 6)
        pango_layout_set_ellipsize(right.pointer, PANGO_ELLIPSIZE_END)
        pango_layout_set_alignment(right.pointer, PANGO_ALIGN_RIGHT)
        cairo_move_to(cairo, R.margin, 40)
        pango_cairo_show_layout(cairo, left.pointer)
        cairo_move_to(cairo, R.margin + width / 2 + 6, 40)
        pango_cairo_show_layout(cairo, right.pointer)
        cairo_set_line_width(cairo, 0.5)
        cairo_move_to(cairo, R.margin, 54.5)
        cairo_line_to(cairo, R.pageWidth - R.margin, 54.5)
        cairo_stroke(cairo)
        let foot = typesetter.layout("Pagina \(page + 1) van \(pageCount)", font: font, width: width)
        pango_layout_set_alignment(foot.pointer, PANGO_ALIGN_CENTER)
        cairo_move_to(cairo, R.margin, R.pageHeight - 44)
        pango_cairo_show_layout(cairo, foot.pointer)
    }
}

/// Draws a redaction box: filled black, with its ground in small white letters (cut off at the box's edge).
func drawBox(on cairo: OpaquePointer, x: Double, y: Double, width: Double, height: Double, label: String,
             typesetter: Typesetter, labelSize: Double = MailPDFRenderer.labelSize) {
    cairo_save(cairo)
    cairo_rectangle(cairo, x, y, width, height)
    cairo_set_source_rgb(cairo, 0, 0, 0)
    cairo_fill_preserve(cairo)
    cairo_clip(cairo)
    let layout = typesetter.layout(label, font: typesetter.font(size: labelSize, bold: true), width: nil)
    let size = layout.logicalSize
    cairo_set_source_rgb(cairo, 1, 1, 1)
    cairo_move_to(cairo, x + 2, y + (height - size.height) / 2)
    pango_cairo_show_layout(cairo, layout.pointer)
    cairo_restore(cairo)
}

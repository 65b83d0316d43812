// SPDX-License-Identifier: EUPL-1.2
import CCairo
import Foundation

/// A field's text with its redactions burned in, ready for pango: every redacted character is gone, and in its
/// place stands an object replacement character that pango lays out as an empty shape of about the redacted text's
/// width, where the box with the ground is drawn afterwards. The redacted characters never reach pango or cairo.
struct RedactedText {
    /// A box: the UTF-8 offset of its placeholder in `text`, its width in points, the ground it shows.
    struct Box {
        var byteIndex: Int
        var width: Double
        var label: String
    }

    var text: String
    var boxes: [Box]

    static let placeholder: Unicode.Scalar = "\u{FFFC}"

    /// One redaction within a field, already checked to lie within it (Unicode scalar offsets).
    struct Span {
        var start: Int
        var end: Int
        var ground: String
    }

    /// Takes the spans out of `text` (overlapping spans become one box with both grounds) and sizes each box on
    /// the redacted text as `font` would set it, at least as wide as its label and at most `maxWidth`. A redaction
    /// wider than a line is cut at its spaces into boxes that each fit a line.
    init(_ text: String, spans: [Span], typesetter: Typesetter, font: OpaquePointer, labelFont: OpaquePointer,
         maxWidth: Double) {
        let scalars = Array(text.unicodeScalars)
        var merged: [Span] = []
        for span in spans.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let last = merged.last, span.start < last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
                if !last.ground.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
                    .contains(span.ground) {
                    merged[merged.count - 1].ground = last.ground + ", " + span.ground
                }
            } else {
                merged.append(span)
            }
        }
        var out = String.UnicodeScalarView()
        var bytes = 0
        var boxes: [Box] = []
        var position = 0
        func emit(_ piece: String) {
            out.append(contentsOf: piece.unicodeScalars)
            bytes += piece.utf8.count
        }
        for span in merged {
            emit(Self.clean(scalars[position..<span.start]))
            let labelWidth = typesetter.width(of: span.ground, font: labelFont) + 4
            let pieces = Self.chunks(of: Self.clean(scalars[span.start..<span.end]), fitting: maxWidth) {
                typesetter.width(of: $0, font: font)
            }
            for piece in pieces {
                emit(piece.before)
                guard let width = piece.width else { continue }
                boxes.append(Box(byteIndex: bytes, width: min(maxWidth, max(width, labelWidth)), label: span.ground))
                emit(String(Self.placeholder))
            }
            position = span.end
        }
        emit(Self.clean(scalars[position...]))
        self.text = String(out)
        self.boxes = boxes
    }

    /// The pieces of a redacted text: whitespace to keep between boxes (a line break where the redacted text broke
    /// its line, else one space), and the boxes' widths (nil for the trailing whitespace alone). The words are only
    /// measured, never kept.
    static func chunks(of redacted: String, fitting maxWidth: Double, measure: (String) -> Double)
        -> [(before: String, width: Double?)] {
        var words: [(word: String, breakBefore: String)] = []
        var current = ""
        var gap = ""
        for scalar in redacted.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append((current, gap)); current = ""; gap = "" }
                gap = (gap == "\n" || scalar == "\n") ? "\n" : " "
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { words.append((current, gap)); gap = "" }
        guard !words.isEmpty else { return [(before: gap, width: 0)] }
        var pieces: [(before: String, width: Double?)] = []
        var chunk = ""
        var chunkBefore = ""
        for (word, breakBefore) in words {
            if chunk.isEmpty {
                chunk = word
                chunkBefore = breakBefore
            } else if breakBefore != "\n", measure(chunk + " " + word) <= maxWidth {
                chunk += " " + word
            } else {
                pieces.append((chunkBefore, measure(chunk)))
                chunk = word
                chunkBefore = breakBefore
            }
        }
        pieces.append((chunkBefore, measure(chunk)))
        if !gap.isEmpty { pieces.append((gap, nil)) }
        return pieces
    }

    /// The text as pango gets it: line ends as "\n", other control characters as spaces, and no object replacement
    /// characters but the placeholders.
    static func clean(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in scalars {
            defer { previous = scalar }
            switch scalar.value {
            case 0x0A where previous == "\r": continue
            case 0x0D: out.append("\n")
            case 0x09, 0x0A: out.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F: out.append(" ")
            case 0xFFFC: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The pango attributes that make each placeholder an empty shape of its box's width and of the font's height.
    func attributes(ascent: Double, descent: Double) -> OpaquePointer {
        let list = pango_attr_list_new()!
        let scale = Double(PANGO_SCALE)
        for box in boxes {
            var ink = PangoRectangle(x: 0, y: Int32((-ascent * scale).rounded()), width: Int32((box.width * scale).rounded()),
                                     height: Int32(((ascent + descent) * scale).rounded()))
            var logical = ink
            let attribute = pango_attr_shape_new(&ink, &logical)!
            attribute.pointee.start_index = UInt32(box.byteIndex)
            attribute.pointee.end_index = UInt32(box.byteIndex + 3)  // U+FFFC is three bytes in UTF-8
            pango_attr_list_insert(list, attribute)
        }
        return list
    }
}

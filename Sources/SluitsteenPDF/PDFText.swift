// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The text layer of a PDF as poppler reads it (`pdftotext -tsv`): every word with its page and box, and the text
/// the review works on, built from those words (words joined by a space, lines by a line break, each page ended by
/// a form feed). Redactions of an attachment point into `text` by Unicode scalar offsets, or name a text to find.
public struct PDFText: Sendable, Hashable {
    public struct Page: Sendable, Hashable {
        /// The page's size in points as it is shown (its rotation applied), the frame its words' boxes are in.
        public var width: Double
        public var height: Double
        /// The page's rotation in degrees (0, 90, 180 or 270), as the PDF asks viewers to turn it.
        public var rotation: Int
    }

    /// A word: its page (from 0), its line (counted over the whole document), its box in points from the page's
    /// top left corner, and where it stands in `text` (Unicode scalar offsets, half open).
    public struct Word: Sendable, Hashable {
        public var page: Int
        public var line: Int
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public var start: Int
        public var end: Int
    }

    public var text: String
    public var pages: [Page]
    public var words: [Word]

    /// Reads pdftotext's TSV (level 1 a page, level 4 a line, level 5 a word; the text is the twelfth column).
    init?(tsv: String) {
        var text = String.UnicodeScalarView()
        var count = 0
        var pages: [Page] = []
        var words: [Word] = []
        var line = -1
        var wordsOnLine = 0
        var linesOnPage = 0
        func append(_ piece: String) {
            text.append(contentsOf: piece.unicodeScalars)
            count += piece.unicodeScalars.count
        }
        for row in tsv.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let columns = row.split(separator: "\t", maxSplits: 11, omittingEmptySubsequences: false)
            guard columns.count == 12, let level = Int(columns[0]), let left = Double(columns[6]),
                  let top = Double(columns[7]), let width = Double(columns[8]), let height = Double(columns[9])
            else { return nil }
            switch level {
            case 1:
                if !pages.isEmpty { append("\u{0C}") }
                pages.append(Page(width: width, height: height, rotation: 0))
                linesOnPage = 0
            case 4:
                line += 1
                if linesOnPage > 0 { append("\n") }
                linesOnPage += 1
                wordsOnLine = 0
            case 5:
                guard !pages.isEmpty, line >= 0 else { return nil }
                if wordsOnLine > 0 { append(" ") }
                wordsOnLine += 1
                let start = count
                append(String(columns[11]))
                words.append(Word(page: pages.count - 1, line: line, x: left, y: top, width: width, height: height,
                                  start: start, end: count))
            default:
                continue
            }
        }
        if !pages.isEmpty { append("\u{0C}") }
        self.text = String(text)
        self.pages = pages
        self.words = words
    }

    /// Sets the pages' rotations (from pdfinfo): pdftotext gives a turned page's size unturned but its words'
    /// boxes in the page as it is shown.
    mutating func rotate(_ rotations: [Int]) {
        for (index, rotation) in rotations.enumerated() where pages.indices.contains(index) {
            let turn = ((rotation % 360) + 360) % 360
            pages[index].rotation = turn
            if turn == 90 || turn == 270 { (pages[index].width, pages[index].height) = (pages[index].height, pages[index].width) }
        }
    }

    /// The words a span of `text` touches.
    func words(from start: Int, to end: Int) -> [Int] {
        words.indices.filter { words[$0].start < end && words[$0].end > start }
    }

    /// The words every occurrence of `needle` touches, found regardless of spacing, letter case and compatibility
    /// forms (ligatures, full-width letters): so "NL91 ABNA 0417 1643 00" finds "NL91ABNA0417164300" and the other
    /// way round, and a text inside a word ("BSN:111222333") finds that word. A whole word is covered, never part
    /// of one. Empty when the needle has no letters or is not found.
    func words(matching needle: String) -> [Int] {
        let target = Self.fold(needle)
        guard let first = target.first else { return [] }
        var stream: [Unicode.Scalar] = []
        var owner: [Int] = []
        let all = Array(text.unicodeScalars)
        for (index, word) in words.enumerated() {
            for scalar in all[word.start..<word.end] {
                for folded in Self.fold(String(scalar)) {
                    stream.append(folded)
                    owner.append(index)
                }
            }
        }
        var found = Set<Int>()
        var i = 0
        while i + target.count <= stream.count {
            if stream[i] == first, stream[i..<(i + target.count)].elementsEqual(target) {
                for j in i..<(i + target.count) { found.insert(owner[j]) }
            }
            i += 1
        }
        return found.sorted()
    }

    /// The scalars compared when matching: compatibility-decomposed and recomposed (NFKC), lower case, no white space.
    static func fold(_ text: String) -> [Unicode.Scalar] {
        text.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }
    }
}

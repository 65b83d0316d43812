// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The bytes of a CSV file as text, the way spreadsheets save them: UTF-8 (with or without a byte order mark), or
/// Windows-1252 when the bytes are not UTF-8 (what Excel's "CSV (gescheiden door lijstscheidingsteken)" writes on a
/// Dutch Windows). Anything else is refused with what the file is and how to save it as CSV UTF-8.
public enum CSVText {
    /// How the bytes were read.
    public enum Encoding: String, Sendable, Equatable {
        case utf8 = "UTF-8"
        case utf8WithBOM = "UTF-8 with byte order mark"
        case windows1252 = "Windows-1252"
    }

    /// Why the bytes are not a CSV text.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// UTF-16 (Excel's "Unicode text"), recognised by its byte order mark.
        case utf16
        /// A spreadsheet workbook (.xlsx, .ods: a zip archive) or the old binary .xls format.
        case workbook
        /// Bytes that no text encoding Sluitsteen reads can hold (a NUL, or a byte Windows-1252 leaves undefined), at
        /// this 0-based offset.
        case notText(offset: Int)

        public var description: String {
            switch self {
            case .utf16:
                return "the file is UTF-16 (\"Unicode text\"), not UTF-8: save it as \"CSV UTF-8 (door komma's gescheiden)\""
            case .workbook:
                return "the file is a spreadsheet workbook (.xlsx/.xls/.ods), not CSV: save it as \"CSV UTF-8 (door komma's gescheiden)\""
            case .notText(let offset):
                return "the file is not UTF-8 text (byte \(offset + 1) cannot be read): save it as \"CSV UTF-8 (door komma's gescheiden)\""
            }
        }
    }

    /// The text of `data`, and how it was read. A UTF-8 byte order mark is removed.
    public static func decode(_ data: Data) throws(Refusal) -> (text: String, encoding: Encoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { throw .utf16 }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw .workbook }
        if let nul = bytes.firstIndex(of: 0) { throw .notText(offset: nul) }
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = bom ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) { return (text, bom ? .utf8WithBOM : .utf8) }
        var scalars = String.UnicodeScalarView()
        for (i, b) in body.enumerated() {
            guard let scalar = windows1252(b) else { throw .notText(offset: i + (bom ? 3 : 0)) }
            scalars.append(scalar)
        }
        return (String(scalars), .windows1252)
    }

    /// The character Windows-1252 gives byte `b`: Latin-1, except 0x80–0x9F (€, quotes, dashes, Š, Ž, …); nil for the
    /// five bytes it leaves undefined.
    static func windows1252(_ b: UInt8) -> Unicode.Scalar? {
        guard (0x80...0x9F).contains(b) else { return Unicode.Scalar(b) }
        let value = high[Int(b - 0x80)]
        return value == 0 ? nil : Unicode.Scalar(value)
    }

    /// 0x80–0x9F of Windows-1252 (0 = undefined).
    private static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}

/// Edit distance (Levenshtein: insertions, deletions and substitutions of characters) for "did you mean …?".
public enum EditDistance {
    /// The distance between `a` and `b`, compared without case.
    public static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidates closest to `word` (ties in the candidates' order), when close enough to be a slip: at most a
    /// third of the word's length, and at least 1 and at most 3 edits; empty when none is.
    public static func suggestions(for word: String, among candidates: [String]) -> [String] {
        let limit = min(3, max(1, word.count / 3))
        let scored = candidates.map { ($0, between(word, $0)) }.filter { $0.1 <= limit }
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.map(\.0)
    }
}

// SPDX-License-Identifier: EUPL-1.2

/// A CSV file read per RFC 4180 (quoted fields, doubled quotes, CRLF or LF), with the line each record starts on.
///
/// Used for the register and opt-out imports; the first record is the header and is required. The separator is a
/// comma, or a semicolon when the header line has semicolons and no comma outside quotes (what Excel writes where the
/// list separator is `;`, as in the Dutch locale). Decode the file's bytes with ``CSVText/decode(_:)`` first.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        /// 1-based line on which the record starts.
        public let line: Int
        public let fields: [String]
    }

    public struct SyntaxError: Error, Sendable {
        public let line: Int
        public let column: Int
        public let message: String
    }

    /// The header's column names, trimmed of spaces and lower-cased.
    public let header: [String]
    public let headerLine: Int
    public let records: [Record]
    /// The separator the file uses: `,` or `;`.
    public let separator: Character

    /// The separator of a CSV text: `;` when its first line has a semicolon and no comma outside double quotes, else `,`.
    public static func separator(of text: String) -> Character {
        var inQuotes = false
        var semicolons = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { break }
            if b == UInt8(ascii: ",") { return "," }
            if b == UInt8(ascii: ";") { semicolons += 1 }
        }
        return semicolons > 0 ? ";" : ","
    }

    /// Parses `text` (separator: ``separator(of:)``); throws on an unterminated quote or text after a closing quote.
    public init(text: String) throws(SyntaxError) {
        let separator = Self.separator(of: text)
        self.separator = separator
        let sep = separator == ";" ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var afterQuote = false
        var fieldIsQuoted = false
        var quoteStartLine = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
            fieldIsQuoted = false
        }
        func endRecord() {
            endField()
            // Skip completely empty lines.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case sep:
                endField()
            case UInt8(ascii: "\r"):
                if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !fieldIsQuoted else {
                    throw SyntaxError(line: line, column: fields.count + 1,
                                      message: "a double quote inside a field that does not start with one; enclose the field in quotes and " +
                                               "double the inner quote (\"\")")
                }
                inQuotes = true
                fieldIsQuoted = true
                quoteStartLine = line
            default:
                if afterQuote {
                    throw SyntaxError(line: line, column: fields.count + 1,
                                      message: "text after the closing quote of a field; a field is either fully quoted or not at all")
                }
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            throw SyntaxError(line: quoteStartLine, column: fields.count + 1,
                              message: "a quoted field is never closed (missing \")")
        }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        guard let first = records.first else {
            throw SyntaxError(line: 1, column: 1, message: "the file is empty; it needs at least the header line")
        }
        self.header = first.fields.map { $0.trimmedSpaces.lowercased() }
        self.headerLine = first.line
        self.records = Array(records.dropFirst())
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    public var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

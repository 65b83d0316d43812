// SPDX-License-Identifier: EUPL-1.2

/// CSV as Sluitsteen writes it: one field at a time (RFC 4180 quoting), safe to open in a spreadsheet.
///
/// **Formula injection.** A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
/// carriage return before one) as a formula; a subject or a name comes from mail, so a hostile sender could put
/// `=HYPERLINK(…)` in a cell of a list someone opens. Such a field is written with a leading apostrophe (`'=…`), the
/// common neutralisation (OWASP's advice): the spreadsheet shows it as text, a reader sees the apostrophe, and the
/// value is otherwise unchanged. A field that is a plain number (`-12`, `+3.5`) is left alone: it is no formula. The
/// JSON beside a CSV keeps every value as it is.
///
/// **Dutch Excel.** Excel opens a `.csv` with the list separator of the computer's locale (`;` in the Netherlands) and,
/// without a byte order mark, in the Windows code page. ``spreadsheet(header:rows:)`` writes what it opens correctly:
/// a UTF-8 byte order mark and `;`. Lists that other tools read and whose SHA-256 is recorded (a vernietigingslijst's
/// item list) keep ``field(_:separator:)`` with `,` and no byte order mark: their bytes must not change.
public enum CSVWriting {
    /// The characters that make a spreadsheet read a cell as a formula when it starts with one.
    public static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    /// `value` with a leading apostrophe when a spreadsheet would read it as a formula (see the type's notes).
    public static func neutralised(_ value: String) -> String {
        guard let first = value.first, formulaStarts.contains(first) else { return value }
        if first == "-" || first == "+", Double(value) != nil { return value }
        return "'" + value
    }

    /// One field: neutralised (``neutralised(_:)``), then quoted when it holds the separator, a quote or a line break.
    public static func field(_ value: String, separator: Character = ",") -> String {
        let v = neutralised(value)
        guard v.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields joined by `separator`, ending in CRLF (RFC 4180) when `crlf`, else LF.
    public static func line(_ fields: [String], separator: Character = ",", crlf: Bool = false) -> String {
        fields.map { field($0, separator: separator) }.joined(separator: String(separator)) + (crlf ? "\r\n" : "\n")
    }

    /// A CSV file for people to open in a spreadsheet: a UTF-8 byte order mark, `;` between fields, CRLF line ends,
    /// formulas neutralised.
    public static func spreadsheet(header: [String], rows: [[String]]) -> String {
        "\u{FEFF}" + line(header, separator: ";", crlf: true) + rows.map { line($0, separator: ";", crlf: true) }.joined()
    }
}

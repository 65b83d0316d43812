// SPDX-License-Identifier: EUPL-1.2

/// A piece of HTML that is safe to send: every `String` interpolated into it is escaped, and only other `HTML`
/// values are inserted as they are. Pages build their markup from it, so that no text from people or from mail is
/// ever interpreted as HTML:
///
/// ```swift
/// let row: HTML = "<tr><td>\(subject)</td><td>\(count)</td></tr>"   // subject escaped
/// let table: HTML = "<table>\(rows)</table>"                         // rows: [HTML], joined
/// ```
public struct HTML: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The markup.
    public let rendered: String

    /// Markup taken as it is: only for constant text written in this code, never for values from outside.
    public init(trusted markup: String) { rendered = markup }

    public init(stringLiteral value: String) { rendered = value }

    public init(stringInterpolation: StringInterpolation) { rendered = stringInterpolation.output }

    public var description: String { rendered }

    /// Nothing.
    public static let empty = HTML(trusted: "")

    /// Escapes text for HTML content and attribute values (double- or single-quoted).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Controls other than tab and line breaks have no place in a page.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" || scalar.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var output = ""
        public init(literalCapacity: Int, interpolationCount: Int) { output.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { output += literal }
        /// Text: escaped.
        public mutating func appendInterpolation(_ text: String) { output += HTML.escape(text) }
        /// Text or nothing: escaped.
        public mutating func appendInterpolation(_ text: String?) { output += HTML.escape(text ?? "") }
        /// A number.
        public mutating func appendInterpolation<N: BinaryInteger>(_ number: N) { output += String(number) }
        /// Markup: as it is.
        public mutating func appendInterpolation(_ html: HTML) { output += html.rendered }
        /// Pieces of markup, one after the other.
        public mutating func appendInterpolation(_ pieces: [HTML]) { for p in pieces { output += p.rendered } }
    }
}

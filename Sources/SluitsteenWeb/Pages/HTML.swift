// SPDX-License-Identifier: EUPL-1.2
import SluitsteenSupport

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

    /// Escapes text for HTML content and attribute values (double- or single-quoted), with the one escaper of
    /// SluitsteenSupport; control characters other than tab and line breaks, which have no place in a page, become U+FFFD.
    public static func escape(_ text: String) -> String {
        let clean = text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0x7F }
            ? String(String.UnicodeScalarView(text.unicodeScalars.map {
                ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
            : text
        return SluitsteenSupport.HTML.escape(clean)
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

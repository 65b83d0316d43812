// SPDX-License-Identifier: EUPL-1.2

/// HTML text for the reports and documents Sluitsteen writes.
public enum HTML {
    /// `text` safe in HTML content and quoted attribute values: `&`, `<`, `>`, `"` and `'` become references.
    ///
    /// Escaped per Unicode scalar, not per `Character`: a `<` followed by a combining mark is one Character that
    /// is not equal to "<", and must still be escaped (a browser reads the `<` as the start of a tag).
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

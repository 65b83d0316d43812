// SPDX-License-Identifier: EUPL-1.2

/// Makes text from a package safe to show: names of files in a package are chosen by whoever made it, and a
/// name with terminal escapes could clear the screen and print a false verdict, or reorder what is shown.
public enum DisplayText {
    /// `text` with every control character, and every invisible character that changes how text is laid out,
    /// written as a visible `\u{…}` escape (hexadecimal code point): C0 controls (escape, newline, carriage
    /// return, tab …), DEL, C1 controls, bidirectional overrides and isolates, and the Unicode line separators.
    /// Other text, Dutch accents included, is unchanged.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True for the characters ``visible(_:)`` escapes.
    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return true  // C0, DEL, C1 (0x9B is a one-byte CSI on some terminals)
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidirectional controls
        case 0x2028, 0x2029: return true  // line and paragraph separator
        default: return false
        }
    }
}

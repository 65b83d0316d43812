// SPDX-License-Identifier: EUPL-1.2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who performs a state-changing action, as the audit trail and the documents name them.
///
/// The one place identity is kept: a registered person (their id in the personnel register and their name) or, where
/// a command allows it, a name as given; always with the operating-system account the command ran under. The command
/// line builds it from `--by`; a signed-in web session builds it from the person the sign-in was matched to.
public struct Actor: Sendable, Equatable {
    /// The person's id in the personnel register, when the actor is a registered person.
    public var personId: String?
    /// The name documents show: the registered name, or the name as given.
    public var name: String
    /// The operating-system account (never shown in documents as the person who acted).
    public var osUser: String

    public init(personId: String?, name: String, osUser: String = Actor.currentOSUser) {
        self.personId = personId
        self.name = name
        self.osUser = osUser
    }

    /// A name as given (not a registered person), checked by ``SafeText/checkedName(_:field:)``.
    public static func named(_ text: String, osUser: String = Actor.currentOSUser) throws(SafeText.Refusal) -> Actor {
        Actor(personId: nil, name: try SafeText.checkedName(text, field: "--by"), osUser: osUser)
    }

    /// The operating-system account this process runs under (from the password database, not the environment).
    public static var currentOSUser: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    /// The text the audit trail records: `P0007 Dora de Wit (OS-account root)` or `Dora de Wit (OS-account root)`.
    public var auditText: String {
        (personId.map { "\($0) \(name)" } ?? name) + " (OS-account \(osUser))"
    }

    /// The name with the person id, for documents: `Dora de Wit (P0007)`, or the name alone.
    public var documentText: String { personId.map { "\(name) (\($0))" } ?? name }
}

/// Text from people (names, reasons) and from mail (subjects, file names) made safe: names with control characters
/// are refused, and anything printed on a terminal has its control characters made visible, so that no text can
/// forge a line, clear the screen or move the cursor.
public enum SafeText {
    /// Why a name was refused.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let field: String
        public let reason: String
        public var description: String { "\(field): \(reason)" }
    }

    /// True for characters that must never reach a terminal or a one-line record as they are: C0 and C1 controls,
    /// DEL, line and paragraph separators, and the bidirectional overrides and isolates.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// `text` trimmed of spaces, when it is a usable name: not empty, no control characters (no line breaks, tabs or
    /// escape codes), at most 200 characters. Otherwise the refusal says why.
    public static func checkedName(_ text: String, field: String) throws(Refusal) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw Refusal(field: field, reason: "a name is required (it is recorded in the audit trail); it may not be empty")
        }
        if let bad = trimmed.unicodeScalars.first(where: isControl) {
            throw Refusal(field: field, reason: "the name contains a control character (U+\(String(format: "%04X", bad.value))); "
                + "line breaks, tabs and escape codes are not allowed in names")
        }
        guard trimmed.count <= 200 else { throw Refusal(field: field, reason: "the name is longer than 200 characters") }
        return trimmed
    }

    /// `text` with every control character shown as `\u{1B}`, for terminal output.
    public static func terminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isControl(s) {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// A message of several lines for the terminal: line breaks kept, every other control character shown, each line cut
    /// at `lineLimit` characters and the whole at `lineCount` lines (an error must never echo a huge value whole).
    public static func terminalLines(_ text: String, lineLimit: Int = 1000, lineCount: Int = 60) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out = lines.prefix(lineCount).map { line -> String in
            let shown = terminal(String(line.prefix(lineLimit)))
            return line.count > lineLimit ? shown + " … (\(line.count - lineLimit) more characters)" : shown
        }
        if lines.count > lineCount { out.append("… (\(lines.count - lineCount) more lines)") }
        return out.joined(separator: "\n")
    }
}


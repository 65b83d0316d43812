// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenRetention
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport

/// Text for the Dutch documents (vernietigingslijst, verklaring van vernietiging): dates, durations, sizes, times,
/// HTML escaping and CSV fields, so that every document words these the same way.
public enum DutchText {
    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                         "oktober", "november", "december"]

    /// `10 februari 2025`.
    public static func date(_ d: CivilDate) -> String { "\(d.day) \(months[d.month - 1]) \(d.year)" }

    /// A `YYYY-MM-DD` text as `10 februari 2025` (unchanged when it is not a date).
    public static func date(iso: String?) -> String {
        guard let iso else { return "onbekend" }
        return CivilDate(iso: iso).map(date) ?? iso
    }

    /// An ISO 8601 UTC timestamp as Amsterdam time: `10 februari 2025 14:03:00 (Europe/Amsterdam)`.
    public static func time(iso: String?) -> String {
        guard let iso, let d = ISOTimestamp.parse(iso) else { return iso ?? "onbekend" }
        return time(Instant(d))
    }

    /// An instant as Amsterdam time: `10 februari 2025 14:03:00 (Europe/Amsterdam)`.
    public static func time(_ instant: Instant) -> String {
        let (d, s) = AmsterdamTime.local(instant)
        return String(format: "%@ %02d:%02d:%02d (Europe/Amsterdam)", date(d), s / 3600, s / 60 % 60, s % 60)
    }

    /// `7 jaar`, `3 maanden`, `10 weken`, `7 dagen`, or combinations.
    public static func duration(_ d: ISODuration) -> String {
        var parts: [String] = []
        if d.years != 0 { parts.append("\(d.years) jaar") }
        if d.months != 0 { parts.append("\(d.months) \(d.months == 1 ? "maand" : "maanden")") }
        if d.weeks != 0 { parts.append("\(d.weeks) \(d.weeks == 1 ? "week" : "weken")") }
        if d.days != 0 { parts.append("\(d.days) \(d.days == 1 ? "dag" : "dagen")") }
        if parts.isEmpty { return "geen" }
        return parts.joined(separator: " en ") + " (\(d.iso))"
    }

    /// `1.234.567 bytes (1,2 MB)`.
    public static func size(_ bytes: Int64) -> String {
        let grouped = groupThousands(bytes)
        let units: [(Double, String)] = [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (scale, unit) in units where Double(bytes) >= scale {
            let v = String(format: "%.1f", Double(bytes) / scale).replacingOccurrences(of: ".", with: ",")
            return "\(grouped) bytes (\(v) \(unit))"
        }
        return "\(grouped) bytes"
    }

    static func groupThousands(_ n: Int64) -> String {
        let digits = Array(String(abs(n)))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Escapes text for HTML element content and attribute values (the reports' shared escaping).
    public static func html(_ s: String) -> String { HTML.escape(s) }

    /// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a value a spreadsheet would run as
    /// a formula gets a leading apostrophe (``CSVWriting/field(_:separator:)``).
    public static func csv(_ s: String) -> String { CSVWriting.field(s) }

    /// The shared print-friendly style of the documents.
    static let style = """
        body { font-family: "Segoe UI", Arial, sans-serif; max-width: 60em; margin: 2em auto; color: #111; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #999; }
        table { border-collapse: collapse; width: 100%; margin: 0.6em 0; } th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
        th { background: #eee; } td.n { text-align: right; white-space: nowrap; } code { font-size: 0.9em; word-break: break-all; }
        .meta th { width: 16em; } .sign td { height: 4em; } .note { color: #444; font-size: 0.9em; }
        @media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
        """
}

/// Writes the documents of the destruction chain into the workspace's documents folder, atomically.
enum DocumentFiles {
    static func write(_ text: String, name: String, in workspace: Workspace) throws(DestroyError) -> URL {
        let dir = workspace.documentsDirectory
        let url = dir.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(url.path, reason: error.localizedDescription)
        }
        return url
    }

    static func sha256(_ text: String) -> String { Digest.hex(Data(text.utf8)) }
}

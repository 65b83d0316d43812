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
    /// `10 februari 2025`.
    public static func date(_ d: CivilDate) -> String { DutchWords.date(year: d.year, month: d.month, day: d.day) }

    /// A `YYYY-MM-DD` text as `10 februari 2025` (unchanged when it is not a date).
    public static func date(iso: String?) -> String { DutchWords.date(iso: iso) }

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

    /// `7 jaar`, `3 maanden`, `10 weken`, `7 dagen`, or combinations (no ISO 8601 code: documents use words).
    public static func duration(_ d: ISODuration) -> String { d.words }

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
        table { border-collapse: collapse; width: 100%; margin: 0.6em 0; } th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; \
        vertical-align: top; }
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

    /// When and by whom a document is made: now (the workspace's clock), by the person a stored actor text names,
    /// with their role on the day `at` (an ISO 8601 timestamp; today when nil) as the registers give it.
    static func made(by actorText: String, at: String?, in workspace: Workspace) -> (at: Date, by: DocumentFrame.Person) {
        let now = workspace.clock.now()
        let day = at.flatMap(ISOTimestamp.parse).map { AmsterdamTime.date(of: Instant($0)) } ?? AmsterdamTime.date(of: Instant(now))
        return (now, RetentionStore(workspace: workspace).documentPerson(documentText: actorText, on: day))
    }
}

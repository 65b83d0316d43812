// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The retention plan as of a date: how many copies fall in each class × action, and per year how many messages
/// (and bytes) become due for destruction and for transfer. Built in one streaming pass over the decisions.
public struct RetentionPlan: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var messageClass: String
        public var action: String
        public static func < (a: Key, b: Key) -> Bool { (a.messageClass, a.action) < (b.messageClass, b.action) }
    }

    public struct Tally: Sendable, Equatable {
        public var count = 0
        public var bytes: Int64 = 0
    }

    public let asOf: CivilDate
    public let policySource: String
    public private(set) var byClassAndAction: [Key: Tally] = [:]
    /// Per year (of the due date): copies to be destroyed (V: retain, destroy-due).
    public private(set) var destructionByYear: [Int: Tally] = [:]
    /// Per year (of the due date): copies to be transferred (B: retain-permanent, transfer-due).
    public private(set) var transferByYear: [Int: Tally] = [:]
    public private(set) var total = Tally()
    /// Today, when `asOf` lies after it: the plan is then a forecast (vooruitblik) and says so everywhere.
    public var forecastToday: CivilDate?
    /// A real archive or a demo/test archive (a demo's report says so).
    public var archiveKind: ArchiveKind = .real
    /// Things the reader must know before reading the figures (e.g. that no registers are imported), in Dutch.
    public var notices: [String] = []

    public init(asOf: CivilDate, policySource: String, forecastToday: CivilDate? = nil, archiveKind: ArchiveKind = .real) {
        self.asOf = asOf
        self.policySource = policySource
        self.forecastToday = forecastToday
        self.archiveKind = archiveKind
    }

    /// Adds one decided copy.
    public mutating func add(_ d: DecidedCopy) {
        let key = Key(messageClass: d.decision.messageClass.rawValue, action: d.decision.action.rawValue)
        byClassAndAction[key, default: Tally()].count += 1
        byClassAndAction[key, default: Tally()].bytes += d.copy.size
        total.count += 1
        total.bytes += d.copy.size
        guard let due = d.decision.dueDate else { return }
        switch d.decision.action {
        case .retain, .destroyDue:
            destructionByYear[due.year, default: Tally()].count += 1
            destructionByYear[due.year, default: Tally()].bytes += d.copy.size
        case .retainPermanent, .transferDue:
            transferByYear[due.year, default: Tally()].count += 1
            transferByYear[due.year, default: Tally()].bytes += d.copy.size
        default: break
        }
    }

    /// The plan as text for a terminal.
    public var text: String {
        var out = ""
        if let notice = archiveKind.documentNotice { out += notice + "\n" }
        if let today = forecastToday { out += Forecast.notice(asOf: asOf, today: today) + "\n" }
        for n in notices { out += "LET OP: \(n)\n" }
        out += "Bewaarplan per \(asOf.iso) (beleid: \(policySource))\n\n"
        out += pad("klasse", 14) + pad("actie", 18) + lpad("aantal", 9) + lpad("omvang", 12) + "\n"
        for (key, tally) in byClassAndAction.sorted(by: { $0.key < $1.key }) {
            out += pad(key.messageClass, 14) + pad(key.action, 18) + lpad(String(tally.count), 9) + lpad(RetentionPlan.size(tally.bytes), 12) + "\n"
        }
        out += pad("totaal", 32) + lpad(String(total.count), 9) + lpad(RetentionPlan.size(total.bytes), 12) + "\n"
        let years = Set(destructionByYear.keys).union(transferByYear.keys).sorted()
        if !years.isEmpty {
            out += "\nper jaar          vernietigen (V)        overbrengen (B)\n"
            for y in years {
                let d = destructionByYear[y] ?? Tally(), t = transferByYear[y] ?? Tally()
                out += pad(String(y), 12) + lpad(String(d.count), 9) + lpad(RetentionPlan.size(d.bytes), 12) + "   "
                    + lpad(String(t.count), 9) + lpad(RetentionPlan.size(t.bytes), 12) + "\n"
            }
        }
        return out
    }

    /// Appends one JSON line (with its newline) for a decided copy to `out`, as bytes: the same text as
    /// ``jsonLine(_:)``, built without intermediate strings so that a million-copy plan is not dominated by it.
    public static func appendJSONLine(_ d: DecidedCopy, forecast: Bool = false, to out: inout [UInt8]) {
        JSONText.appendRaw("{\"mailbox\":", to: &out); JSONText.appendString(d.copy.mailbox, to: &out)
        JSONText.appendRaw(",\"sha256\":", to: &out); JSONText.appendString(d.copy.sha256, to: &out)
        JSONText.appendRaw(",\"messageId\":", to: &out); JSONText.appendString(d.copy.messageId, to: &out)
        JSONText.appendRaw(",\"date\":", to: &out)
        if let date = d.copy.date { JSONText.appendString(date, to: &out) } else { JSONText.appendRaw("null", to: &out) }
        JSONText.appendRaw(",\"class\":", to: &out); JSONText.appendString(d.decision.messageClass.rawValue, to: &out)
        JSONText.appendRaw(",\"waardering\":", to: &out)
        if let w = d.decision.waardering { JSONText.appendString(w.rawValue, to: &out) } else { JSONText.appendRaw("null", to: &out) }
        JSONText.appendRaw(",\"action\":", to: &out); JSONText.appendString(d.decision.action.rawValue, to: &out)
        JSONText.appendRaw(",\"dueDate\":", to: &out)
        if let due = d.decision.dueDate { JSONText.appendString(due.iso, to: &out) } else { JSONText.appendRaw("null", to: &out) }
        JSONText.appendRaw(",\"rules\":[", to: &out)
        for (i, rule) in d.decision.rules.enumerated() {
            if i > 0 { out.append(0x2C) }
            switch rule {
            case .base(let id): JSONText.appendString(id, to: &out)
            case .window: JSONText.appendRaw("\"optout-window\"", to: &out)
            default: JSONText.appendString(rule.description, to: &out)
            }
        }
        JSONText.appendRaw(forecast ? "],\"forecast\":true}\n" : "]}\n", to: &out)
    }

    /// One JSON line for a decided copy (`plan --json`).
    public static func jsonLine(_ d: DecidedCopy) -> String {
        JSONText.object([
            ("mailbox", .string(d.copy.mailbox)), ("sha256", .string(d.copy.sha256)), ("messageId", .string(d.copy.messageId)),
            ("date", d.copy.date.map { .string($0) } ?? .null), ("class", .string(d.decision.messageClass.rawValue)),
            ("waardering", d.decision.waardering.map { .string($0.rawValue) } ?? .null), ("action", .string(d.decision.action.rawValue)),
            ("dueDate", d.decision.dueDate.map { .string($0.iso) } ?? .null), ("rules", .strings(d.decision.rules.map(\.description))),
        ])
    }

    /// The plan as a self-contained Dutch HTML report with the schedule as an SVG chart (opens with no network).
    public var html: String {
        var rows = ""
        for (key, tally) in byClassAndAction.sorted(by: { $0.key < $1.key }) {
            rows += "<tr><td>\(HTML.escape(RetentionPlan.classLabel(key.messageClass)))</td><td>\(HTML.escape(RetentionPlan.actionLabel(key.action)))</td><td class=n>\(tally.count)</td><td class=n>\(RetentionPlan.size(tally.bytes))</td></tr>\n"
        }
        let years = Set(destructionByYear.keys).union(transferByYear.keys).sorted()
        var yearRows = ""
        for y in years {
            let d = destructionByYear[y] ?? Tally(), t = transferByYear[y] ?? Tally()
            yearRows += "<tr><td>\(y)</td><td class=n>\(d.count)</td><td class=n>\(RetentionPlan.size(d.bytes))</td><td class=n>\(t.count)</td><td class=n>\(RetentionPlan.size(t.bytes))</td></tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="nl"><head><meta charset="utf-8"><title>Bewaarplan e-mail per \(asOf.iso)</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.3em .6em}td.n{text-align:right}th{background:#eee}.v{fill:#c0392b}.b{fill:#2e6da4}svg text{font-size:11px;font-family:sans-serif}</style></head>
            <body>
            \(HTML.demoBanner(archiveKind))\(forecastToday.map { HTML.forecastBanner(asOf: asOf, today: $0) } ?? "")<h1>Bewaarplan e-mail\(forecastToday == nil ? "" : " (vooruitblik)")</h1>
            \(notices.map { "<p class=\"notice\" role=\"note\"><strong>Let op:</strong> \(HTML.escape($0))</p>" }.joined(separator: "\n"))
            <p>Peildatum: <strong>\(asOf.iso)</strong>. Beleid: \(HTML.escape(policySource)). Totaal \(total.count) berichtkopieën (\(RetentionPlan.size(total.bytes))).</p>
            <h2>Per klasse en actie</h2>
            <table><tr><th>Klasse</th><th>Actie</th><th>Aantal</th><th>Omvang</th></tr>
            \(rows)</table>
            <h2>Planning per jaar</h2>
            <p>Aantal berichten dat per jaar in aanmerking komt voor vernietiging (waardering V, rood) en voor overbrenging naar het e-depot (waardering B, blauw).</p>
            \(chart(years))
            <table><tr><th>Jaar</th><th>Vernietigen (aantal)</th><th>Vernietigen (omvang)</th><th>Overbrengen (aantal)</th><th>Overbrengen (omvang)</th></tr>
            \(yearRows)</table>
            </body></html>

            """
    }

    private func chart(_ years: [Int]) -> String {
        guard !years.isEmpty else { return "<p>Geen berichten met een vervaldatum.</p>" }
        let maxCount = max(1, years.map { max(destructionByYear[$0]?.count ?? 0, transferByYear[$0]?.count ?? 0) }.max() ?? 1)
        let barWidth = 14, gap = 10, height = 160, left = 40
        let width = left + years.count * (2 * barWidth + gap) + 20
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height + 40)\" role=\"img\" aria-label=\"Planning per jaar\">"
        svg += "<line x1=\"\(left - 4)\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\" stroke=\"#333\"/>"
        svg += "<text x=\"0\" y=\"12\">\(maxCount)</text><text x=\"0\" y=\"\(height)\">0</text>"
        for (i, y) in years.enumerated() {
            let x = left + i * (2 * barWidth + gap)
            let d = destructionByYear[y]?.count ?? 0, t = transferByYear[y]?.count ?? 0
            let hd = d * (height - 10) / maxCount, ht = t * (height - 10) / maxCount
            svg += "<rect class=\"v\" x=\"\(x)\" y=\"\(height - hd)\" width=\"\(barWidth)\" height=\"\(hd)\"><title>\(y): \(d) te vernietigen</title></rect>"
            svg += "<rect class=\"b\" x=\"\(x + barWidth)\" y=\"\(height - ht)\" width=\"\(barWidth)\" height=\"\(ht)\"><title>\(y): \(t) over te brengen</title></rect>"
            svg += "<text x=\"\(x)\" y=\"\(height + 14)\">\(y)</text>"
        }
        svg += "</svg>"
        return svg
    }

    static func classLabel(_ c: String) -> String {
        switch c {
        case "key-person": return "sleutelfunctionaris"
        case "staff": return "medewerker"
        case "functional": return "functionele mailbox"
        default: return "niet geregistreerd"
        }
    }

    static func actionLabel(_ a: String) -> String {
        switch a {
        case "pending-window": return "uitzonderingstermijn loopt"
        case "purge-optout": return "uitgezonderd, te verwijderen"
        case "hold": return "bevroren (Woo / voorgestelde hotspot)"
        case "retain": return "bewaren tot vernietigingsdatum"
        case "destroy-due": return "te vernietigen"
        case "transfer-due": return "over te brengen"
        case "retain-permanent": return "blijvend bewaren, nog niet over te brengen"
        case "transferred": return "overgebracht"
        default: return "niet geclassificeerd"
        }
    }

    /// A size for people: `812 B`, `3.8 KB`, `1.2 MB`, `2.05 GB` (binary units).
    public static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        if bytes < 1 << 30 { return String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        return String(format: "%.2f GB", Double(bytes) / 1_073_741_824)
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}

/// The notices Sluitsteen's HTML documents carry (escaping itself is ``HTML/escape(_:)``).
extension HTML {
    /// The visible notice a document of a demo/test archive carries at its top (empty for a real archive).
    public static func demoBanner(_ kind: ArchiveKind) -> String {
        guard let notice = kind.documentNotice else { return "" }
        return "<p class=\"demo\" role=\"note\" style=\"border:3px solid #b00000;color:#b00000;padding:.5em;font-weight:bold\">"
            + escape(notice) + "</p>\n"
    }

    /// The visible notice of a forecast (vooruitblik): a plan or explanation as of a date after today.
    public static func forecastBanner(asOf: CivilDate, today: CivilDate) -> String {
        "<p class=\"forecast\" role=\"note\" style=\"border:3px solid #8a5a00;color:#8a5a00;padding:.5em;font-weight:bold\">"
            + escape(Forecast.notice(asOf: asOf, today: today)) + "</p>\n"
    }
}

/// A plan, explanation or export as of a date after today is a forecast (vooruitblik): it says what the rules will
/// require then if nothing changes (holds, opt-outs, registers), and nothing is carried out by it.
public enum Forecast {
    /// True when `asOf` lies after `today`.
    public static func isForecast(asOf: CivilDate, today: CivilDate) -> Bool { asOf > today }

    /// The one-line notice, in Dutch.
    public static func notice(asOf: CivilDate, today: CivilDate) -> String {
        "VOORUITBLIK: peildatum \(asOf.iso) ligt na vandaag (\(today.iso)). Dit is een verwachting als er niets verandert "
            + "(Woo-verzoeken, opt-outs, registers); er wordt niets op uitgevoerd."
    }
}

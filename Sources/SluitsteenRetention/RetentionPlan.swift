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

        @inline(__always)
        mutating func add(_ size: Int64) {
            count += 1
            bytes += size
        }
    }

    /// The tallies per class × action, in a table indexed by the enums' positions (no hashing per copy).
    struct ClassActionTallies: Sendable {
        private static let classes = MessageClass.allCases
        private static let actions = RetentionAction.allCases
        private var tallies = [Tally](repeating: Tally(), count: classes.count * actions.count)

        @inline(__always)
        mutating func add(messageClass: MessageClass, action: RetentionAction, size: Int64) {
            tallies[Self.position(messageClass) * Self.actions.count + Self.position(action)].add(size)
        }

        /// The tallies of the pairs that occurred, keyed by their names.
        var dictionary: [Key: Tally] {
            var d: [Key: Tally] = [:]
            for c in Self.classes {
                for a in Self.actions {
                    let tally = tallies[Self.position(c) * Self.actions.count + Self.position(a)]
                    if tally.count > 0 { d[Key(messageClass: c.rawValue, action: a.rawValue)] = tally }
                }
            }
            return d
        }

        @inline(__always)
        private static func position(_ c: MessageClass) -> Int {
            switch c {
            case .functional: 0
            case .keyPerson: 1
            case .staff: 2
            case .unclassified: 3
            }
        }

        @inline(__always)
        private static func position(_ a: RetentionAction) -> Int {
            switch a {
            case .pendingWindow: 0
            case .purgeOptout: 1
            case .hold: 2
            case .retain: 3
            case .destroyDue: 4
            case .transferDue: 5
            case .retainPermanent: 6
            case .unclassified: 7
            case .transferred: 8
            }
        }
    }

    public let asOf: CivilDate
    public let policySource: String
    /// Copies per class and action (only the pairs that occur).
    public var byClassAndAction: [Key: Tally] { classActionTallies.dictionary }
    private var classActionTallies = ClassActionTallies()
    /// Per year (of the due date): copies to be destroyed (V: retain, destroy-due).
    public private(set) var destructionByYear: [Int: Tally] = [:]
    /// Per year (of the due date): copies to be transferred (B: retain-permanent, transfer-due).
    public private(set) var transferByYear: [Int: Tally] = [:]
    public private(set) var total = Tally()
    /// Per year (of the window's end): copies whose opt-out window is still open.
    public private(set) var windowByYear: [Int: Tally] = [:]
    /// Copies held by a Woo request or a proposed hotspot, and copies opted out and waiting to be purged.
    public private(set) var held = Tally()
    public private(set) var optedOut = Tally()
    /// Per mailbox: what the plan holds for it.
    public private(set) var byMailbox: [String: MailboxRow] = [:]

    /// One mailbox's (or person's) line of the overview.
    public struct MailboxRow: Sendable, Equatable {
        public var total = Tally(), destroy = Tally(), transfer = Tally(), held = Tally(), window = Tally(), optedOut = Tally()
        mutating func merge(_ o: MailboxRow) {
            for kp in [\MailboxRow.total, \.destroy, \.transfer, \.held, \.window, \.optedOut] {
                self[keyPath: kp].count += o[keyPath: kp].count
                self[keyPath: kp].bytes += o[keyPath: kp].bytes
            }
        }
    }

    // The document frame of the HTML report (set by the caller; see ``DocumentFrame``).
    /// The municipality (archiefvormer) the report is for.
    public var municipality = ""
    public var policyName = ""
    public var policyVersion: String?
    public var madeAt = Date(timeIntervalSince1970: 0)
    public var madeBy = DocumentFrame.Person(name: "onbekend", role: "onbekend")
    /// Mailbox → the person it belongs to (name), from the mailbox register, for the overview per person.
    public var mailboxOwners: [String: String] = [:]
    /// Today, when `asOf` lies after it: the plan is then a forecast (vooruitblik) and says so everywhere.
    public var forecastToday: CivilDate?
    /// A real archive or a demo/test archive (a demo's report says so).
    public var archiveKind: ArchiveKind = .real
    /// Things the reader must know before reading the figures (e.g. that no registers are imported), in Dutch.
    public var notices: [String] = []
    /// The conversations (chat, bijlage 5), each with its decision: beside the copies, in their own section.
    public var conversations: [PlannedConversation] = []

    public init(asOf: CivilDate, policySource: String, forecastToday: CivilDate? = nil, archiveKind: ArchiveKind = .real) {
        self.asOf = asOf
        self.policySource = policySource
        self.forecastToday = forecastToday
        self.archiveKind = archiveKind
    }

    /// Adds one decided copy. Each tally is found with one lookup: the class × action table is indexed by the two
    /// enums' positions, and the mailbox's row and the year's tally are changed in place.
    public mutating func add(_ d: DecidedCopy) {
        let size = d.copy.size
        let action = d.decision.action
        classActionTallies.add(messageClass: d.decision.messageClass, action: action, size: size)
        total.count += 1
        total.bytes += size
        Self.update(&byMailbox[d.copy.mailbox, default: MailboxRow()]) { row in
            row.total.add(size)
            switch action {
            case .retain, .destroyDue: row.destroy.add(size)
            case .retainPermanent, .transferDue: row.transfer.add(size)
            case .hold: row.held.add(size)
            case .pendingWindow: row.window.add(size)
            case .purgeOptout: row.optedOut.add(size)
            default: break
            }
        }
        switch action {
        case .hold: held.add(size)
        case .pendingWindow:
            if let w = d.decision.window { windowByYear[AmsterdamTime.date(of: w.closesAt).year, default: Tally()].add(size) }
        case .purgeOptout: optedOut.add(size)
        default: break
        }
        guard let due = d.decision.dueDate else { return }
        switch action {
        case .retain, .destroyDue: destructionByYear[due.year, default: Tally()].add(size)
        case .retainPermanent, .transferDue: transferByYear[due.year, default: Tally()].add(size)
        default: break
        }
    }

    @inline(__always)
    private static func update(_ row: inout MailboxRow, _ change: (inout MailboxRow) -> Void) { change(&row) }

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
        if let due = d.decision.dueDate { appendISODate(due, to: &out) } else { JSONText.appendRaw("null", to: &out) }
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

    /// `date.iso` as a JSON string, written digit by digit (building the text costs several strings per copy); years
    /// outside 0–9999 through `iso`.
    @inline(__always)
    static func appendISODate(_ date: CivilDate, to out: inout [UInt8]) {
        let y = date.year, m = date.month, d = date.day
        guard y >= 0 && y <= 9999 else { return JSONText.appendString(date.iso, to: &out) }
        let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-"), quote = UInt8(ascii: "\"")
        out.append(quote)
        out.append(zero + UInt8(y / 1000)); out.append(zero + UInt8(y / 100 % 10)); out.append(zero + UInt8(y / 10 % 10))
        out.append(zero + UInt8(y % 10)); out.append(dash)
        out.append(zero + UInt8(m / 10)); out.append(zero + UInt8(m % 10)); out.append(dash)
        out.append(zero + UInt8(d / 10)); out.append(zero + UInt8(d % 10))
        out.append(quote)
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

    /// The plan as a self-contained Dutch HTML report in the document frame, with the schedule as an SVG chart
    /// (opens with no network): totals, an overview per mailbox and per person, and per year what becomes due.
    public var html: String {
        let e = HTML.escape
        var rows = ""
        for (key, tally) in byClassAndAction.sorted(by: { $0.key < $1.key }) {
            rows += "<tr><td>\(e(RetentionPlan.classLabel(key.messageClass)))</td><td>\(e(RetentionPlan.actionLabel(key.action)))</td>"
                + "<td class=n>\(tally.count)</td><td class=n>\(RetentionPlan.size(tally.bytes))</td></tr>\n"
        }
        rows += "<tr class=\"total\"><th colspan=\"2\">Totaal</th><th class=n>\(total.count)</th><th " +
                "class=n>\(RetentionPlan.size(total.bytes))</th></tr>\n"
        let years = scheduleYears
        var yearRows = ""
        var sums = (Tally(), Tally(), Tally())
        for y in years {
            let d = destructionByYear[y] ?? Tally(), t = transferByYear[y] ?? Tally(), w = windowByYear[y] ?? Tally()
            sums.0.count += d.count; sums.0.bytes += d.bytes; sums.1.count += t.count; sums.1.bytes += t.bytes
            sums.2.count += w.count
            yearRows += "<tr><td>\(y)</td><td class=n>\(d.count)</td><td class=n>\(RetentionPlan.size(d.bytes))</td>"
                + "<td class=n>\(t.count)</td><td class=n>\(RetentionPlan.size(t.bytes))</td><td class=n>\(w.count)</td></tr>\n"
        }
        if !years.isEmpty {
            yearRows += "<tr class=\"total\"><th>Totaal</th><th class=n>\(sums.0.count)</th><th class=n>\(RetentionPlan.size(sums.0.bytes))</th>"
                + "<th class=n>\(sums.1.count)</th><th class=n>\(RetentionPlan.size(sums.1.bytes))</th><th class=n>\(sums.2.count)</th></tr>\n"
        }
        var frame = DocumentFrame(
            title: "Bewaarplan e-mail" + (forecastToday == nil ? "" : " (vooruitblik)"), municipality: municipality,
            kenmerk: "BP-\(asOf.iso.replacingOccurrences(of: "-", with: ""))", madeAt: madeAt, madeBy: madeBy,
            policyName: policyName, policyVersion: policyVersion, demoNotice: archiveKind.documentNotice,
            signatoryRole: DutchWords.role("archivaris"))
        // The file's name only: a full path would show an account's home folder (e.g. /root/…) in a filed document.
        let source = policySource.hasPrefix("shipped default") ? "het met Sluitsteen meegeleverde beleid"
            : "beleidsbestand \((policySource as NSString).lastPathComponent)"
        frame.extraRows = [("Peildatum", e(asOf.words)), ("Beleidsbron", e(source))]
        frame.banners = forecastToday.map { HTML.forecastBanner(asOf: asOf, today: $0) } ?? ""
        frame.style = ".v{fill:#c0392b}.b{fill:#2e6da4}.w{fill:#b7950b}svg text{font-size:11px;font-family:sans-serif}tr.total th{background:#f6f6f6}"
        let body = """
            \(notices.map { "<p class=\"notice\" role=\"note\"><strong>Let op:</strong> \(e($0))</p>" }.joined(separator: "\n"))
            <p>Wat het beleid op \(e(asOf.words)) voor elke berichtkopie in het archief voorschrijft. \
            Totaal \(total.count) berichtkopieën (\(RetentionPlan.size(total.bytes))).</p>
            <h2>Per klasse en actie</h2>
            <table><tr><th>Klasse</th><th>Actie</th><th>Aantal</th><th>Omvang</th></tr>
            \(rows)</table>
            \(exceptionsParagraph)
            <h2>Planning per jaar</h2>
            <p>Aantal berichten dat per jaar in aanmerking komt voor vernietiging (waardering V, rood) en voor overbrenging \
            naar het e-depot (waardering B, blauw), en het aantal berichten waarvan de uitzonderingstermijn (opt-out) in dat \
            jaar afloopt (geel).</p>
            \(chart(years))
            <table><tr><th>Jaar</th><th>Vernietigen (aantal)</th><th>Vernietigen (omvang)</th><th>Overbrengen (aantal)</th>\
            <th>Overbrengen (omvang)</th><th>Uitzonderingstermijn loopt af (aantal)</th></tr>
            \(yearRows)</table>
            \(mailboxTables)
            \(conversationSection())
            """
        return frame.html(body: body)
    }

    /// The years of the schedule: every year from the first to the last with a due date or a window end (true
    /// spacing: a year with nothing due is shown, empty).
    public var scheduleYears: [Int] {
        let all = Set(destructionByYear.keys).union(transferByYear.keys).union(windowByYear.keys)
        guard let first = all.min(), let last = all.max() else { return [] }
        return Array(first...last)
    }

    /// Holds, opt-outs and open windows: what has no place in the yearly schedule, or is waiting on something.
    private var exceptionsParagraph: String {
        let pending = byClassAndAction.filter { $0.key.action == RetentionAction.pendingWindow.rawValue }.reduce(0) { $0 + $1.value.count }
        return """
            <h2>Uitzonderingen</h2>
            <table><tr><th>Wat</th><th>Aantal</th><th>Omvang</th><th>Gevolg</th></tr>
            <tr><td>Bevroren (Woo-verzoek of voorgestelde hotspot)</td><td class=n>\(held.count)</td><td \
            class=n>\(RetentionPlan.size(held.bytes))</td>\
            <td>Niet vernietigd of overgebracht zolang de bevriezing loopt; daarna geldt de gewone termijn.</td></tr>
            <tr><td>Uitgezonderd door de medewerker (opt-out), te verwijderen</td><td class=n>\(optedOut.count)</td>\
            <td class=n>\(RetentionPlan.size(optedOut.bytes))</td><td>Wordt ongelezen verwijderd; alleen een registratie blijft.</td></tr>
            <tr><td>Uitzonderingstermijn loopt nog</td><td class=n>\(pending)</td><td class=n></td>\
            <td>De medewerker kan het bericht nog als privé aanmerken; de jaren staan in de planning.</td></tr>
            </table>
            """
    }

    /// The overview per mailbox and, through the mailbox register, per person.
    private var mailboxTables: String {
        guard !byMailbox.isEmpty else { return "" }
        let e = HTML.escape
        func cells(_ r: MailboxRow) -> String {
            [r.total.count, r.destroy.count, r.transfer.count, r.held.count, r.window.count, r.optedOut.count]
                .map { "<td class=n>\($0)</td>" }.joined() + "<td class=n>\(RetentionPlan.size(r.total.bytes))</td>"
        }
        let head = "<th>Totaal</th><th>Te vernietigen (V)</th><th>Over te brengen (B)</th><th>Bevroren</th>"
            + "<th>Uitzonderingstermijn loopt</th><th>Opt-out</th><th>Omvang</th>"
        var h = "<h2>Per mailbox</h2>\n<table><tr><th>Mailbox</th><th>Persoon</th>\(head)</tr>\n"
        for (mailbox, r) in byMailbox.sorted(by: { $0.key < $1.key }) {
            h += "<tr><td>\(e(mailbox))</td><td>\(e(mailboxOwners[mailbox] ?? "—"))</td>\(cells(r))</tr>\n"
        }
        h += "</table>\n"
        var perPerson: [String: MailboxRow] = [:]
        for (mailbox, r) in byMailbox {
            perPerson[mailboxOwners[mailbox] ?? "Geen persoon (functionele of niet-geregistreerde mailbox)", default: MailboxRow()].merge(r)
        }
        h += "<h2>Per persoon</h2>\n<table><tr><th>Persoon</th>\(head)</tr>\n"
        for (person, r) in perPerson.sorted(by: { $0.key < $1.key }) { h += "<tr><td>\(e(person))</td>\(cells(r))</tr>\n" }
        return h + "</table>\n"
    }

    private func chart(_ years: [Int]) -> String {
        guard let first = years.first, let last = years.last else { return "<p>Geen berichten met een vervaldatum.</p>" }
        let series: [(String, [Int: Tally], String)] = [("v", destructionByYear, "te vernietigen (V)"),
                                                        ("b", transferByYear, "over te brengen (B)"),
                                                        ("w", windowByYear, "uitzonderingstermijn loopt af")]
        let maxCount = max(1, years.flatMap { y in series.map { $0.1[y]?.count ?? 0 } }.max() ?? 1)
        let barWidth = 10, gap = 8, height = 180, left = 56, top = 30
        let slot = 3 * barWidth + gap
        let width = left + (last - first + 1) * slot + 20
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(top + height + 50)\" role=\"img\" "
            + "aria-label=\"Planning per jaar: aantal berichten per jaar\">"
        // Legend.
        for (i, s) in series.enumerated() {
            let x = left + i * 190
            svg += "<rect class=\"\(s.0)\" x=\"\(x)\" y=\"4\" width=\"12\" height=\"12\"/><text x=\"\(x + 16)\" y=\"14\">\(s.2)</text>"
        }
        // Axes with ticks: y in numbers of messages, x one slot per calendar year.
        let base = top + height
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(base)\" stroke=\"#333\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(base)\" x2=\"\(width - 10)\" y2=\"\(base)\" stroke=\"#333\"/>"
        for tick in Set([0, maxCount / 2, maxCount]).sorted() {
            let y = base - tick * height / maxCount
            svg += "<line x1=\"\(left - 4)\" y1=\"\(y)\" x2=\"\(left)\" y2=\"\(y)\" stroke=\"#333\"/>"
                + "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(tick)</text>"
        }
        svg += "<text x=\"12\" y=\"\(top + height / 2)\" transform=\"rotate(-90 12 \(top + height / 2))\" text-anchor=\"middle\">aantal " +
               "berichten</text>"
        for y in first...last {
            let x = left + 4 + (y - first) * slot
            for (i, s) in series.enumerated() {
                let n = s.1[y]?.count ?? 0
                let h = n * height / maxCount
                svg += "<rect class=\"\(s.0)\" x=\"\(x + i * barWidth)\" y=\"\(base - h)\" width=\"\(barWidth)\" height=\"\(h)\">"
                    + "<title>\(y): \(n) \(s.2)</title></rect>"
            }
            svg += "<text x=\"\(x + 3 * barWidth / 2)\" y=\"\(base + 14)\" text-anchor=\"middle\">\(y)</text>"
        }
        svg += "<text x=\"\(left + (width - left) / 2)\" y=\"\(base + 36)\" text-anchor=\"middle\">jaar waarin de termijn afloopt</text>"
        return svg + "</svg>"
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
        DocumentFrame.demoBanner(kind.documentNotice)
    }

    /// The visible notice of a forecast (vooruitblik): a plan or explanation as of a date after today.
    public static func forecastBanner(asOf: CivilDate, today: CivilDate) -> String {
        "<p class=\"forecast\" role=\"note\" style=\"border:3px solid #8a5a00;color:#8a5a00;padding:.5em;font-weight:bold\">"
            + escape(Forecast.notice(asOf: asOf, today: today)
                .replacingOccurrences(of: asOf.iso, with: asOf.words).replacingOccurrences(of: today.iso, with: today.words)) + "</p>\n"
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

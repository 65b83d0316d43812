// SPDX-License-Identifier: EUPL-1.2
import SluitsteenPolicy
import SluitsteenSupport

/// A conversation (chat or text messages, bijlage 5) as the plan shows it: what is decided for it, by which rules, and
/// the steps that explain it. Conversations are no message copies: they are listed beside the copies (`plan --json`
/// lines with `"kind":"chat"`, a section of the HTML report), not counted in the copies' table.
public struct PlannedConversation: Sendable, Hashable {
    public var id: Int64
    public var title: String
    /// `WhatsApp (Android)`, `SMS Backup & Restore`, …
    public var format: String
    /// The hotspot (name) or Woo request (zaaknummer) it was taken in for.
    public var hotspot: String?
    public var zaaknummer: String?
    /// First and last message (ISO 8601 with offset).
    public var first: String?
    public var last: String?
    public var messages: Int
    /// `review` or `handed-over`.
    public var state: String
    public var action: RetentionAction
    public var waardering: Waardering?
    public var dueDate: CivilDate?
    public var rules: [RuleRef]
    /// The numbered steps of the explanation (Dutch), as `chat explain` prints them.
    public var explanation: [String]

    public init(id: Int64, title: String, format: String, hotspot: String?, zaaknummer: String?, first: String?, last: String?,
                messages: Int, state: String, action: RetentionAction, waardering: Waardering?, dueDate: CivilDate?, rules: [RuleRef],
                explanation: [String]) {
        self.id = id
        self.title = title
        self.format = format
        self.hotspot = hotspot
        self.zaaknummer = zaaknummer
        self.first = first
        self.last = last
        self.messages = messages
        self.state = state
        self.action = action
        self.waardering = waardering
        self.dueDate = dueDate
        self.rules = rules
        self.explanation = explanation
    }

    /// The rule that decided it, in words (the reason): the hotspot or the Woo request, or none.
    public var reason: String {
        if rules.isEmpty { return "geen regel (DIV beslist)" }
        return rules.map(\.description).joined(separator: ", ")
    }
}

extension RetentionPlan {
    /// One JSON line for a conversation (`plan --json`), beside the copies' lines: `kind` (`chat`) and `conversation` (its
    /// id) tell it apart; `date` is its last message, `class` is `chat`; `waardering`, `action`, `dueDate` and `rules` as
    /// for a copy; `reason` and `explanation` say why.
    public static func jsonLine(_ c: PlannedConversation, forecast: Bool = false) -> String {
        var members: [(String, JSONText.Value)] = [
            ("kind", .string("chat")), ("conversation", .int(c.id)), ("title", .string(c.title)), ("format", .string(c.format)),
            ("hotspot", c.hotspot.map { .string($0) } ?? .null), ("woo", c.zaaknummer.map { .string($0) } ?? .null),
            ("first", c.first.map { .string($0) } ?? .null), ("date", c.last.map { .string($0) } ?? .null),
            ("messages", .int(Int64(c.messages))), ("state", .string(c.state)), ("class", .string("chat")),
            ("waardering", c.waardering.map { .string($0.rawValue) } ?? .null), ("action", .string(c.action.rawValue)),
            ("dueDate", c.dueDate.map { .string($0.iso) } ?? .null), ("rules", .strings(c.rules.map(\.description))),
            ("reason", .string(c.reason)), ("explanation", .strings(c.explanation)),
        ]
        if forecast { members.append(("forecast", .bool(true))) }
        return JSONText.object(members)
    }

    /// The report's section on conversations (empty when there are none): one row per conversation with its action,
    /// its reason and the explanation.
    func conversationSection() -> String {
        guard !conversations.isEmpty else { return "" }
        let e = HTML.escape
        var rows = ""
        for c in conversations.sorted(by: { $0.id < $1.id }) {
            let link = c.hotspot.map { "hotspot \($0)" } ?? "Woo-verzoek \(c.zaaknummer ?? "?")"
            rows += "<tr><td class=n>\(c.id)</td><td>\(e(c.title))</td><td>\(e(c.format))</td><td>\(e(link))</td>"
                + "<td class=n>\(c.messages)</td><td>\(e(c.last.map { String($0.prefix(10)) } ?? "—"))</td>"
                + "<td>\(e(RetentionPlan.actionLabel(c.action.rawValue)))</td><td>\(e(c.dueDate?.iso ?? "—"))</td>"
                + "<td>\(e(c.reason))</td><td><ol>" + c.explanation.map { line -> String in
                    // The steps are numbered already ("1. …"): the list numbers them.
                    let text = line.range(of: #"^\d+\. "#, options: .regularExpression).map { String(line[$0.upperBound...]) } ?? line
                    return "<li>\(e(text))</li>"
                }.joined() + "</ol></td></tr>\n"
        }
        return """
            <h2>Gesprekken (chat en sms, bijlage 5)</h2>
            <p>Berichtenverkeer wordt alleen gearchiveerd bij een hotspot of een Woo-verzoek. Elk gesprek volgt waarvoor het is \
            opgenomen; het staat niet in de tabellen van berichtkopieën hierboven. Totaal \(conversations.count) gesprek(ken).</p>
            <table><tr><th>Gesprek</th><th>Titel</th><th>Soort</th><th>Opgenomen voor</th><th>Berichten</th><th>Laatste bericht</th>\
            <th>Actie</th><th>Datum</th><th>Reden</th><th>Toelichting</th></tr>
            \(rows)</table>
            """
    }
}

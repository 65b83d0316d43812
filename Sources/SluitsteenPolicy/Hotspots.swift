// SPDX-License-Identifier: EUPL-1.2
import SluitsteenSupport

/// Which messages a hotspot or a Woo hold covers: an optional period, mailboxes, and terms, addresses or
/// zaak numbers.
///
/// A message matches when its (Amsterdam) date lies in the period, when given; AND, when mailboxes are given, the
/// copy is in one of them; AND, when terms, addresses or zaak numbers are given, at least one matches (terms and
/// zaak numbers in the subject or a text body part; addresses in From/To/Cc). Term and zaak hits come precomputed
/// in `MessageCopy.textHits` (see `textHitKey`), so matching is cheap.
public struct MatchCriteria: Sendable, Hashable, Codable {
    public var period: DatePeriod
    public var terms: [String]
    /// Addresses, lowercase.
    public var addresses: [String]
    /// Mailbox addresses, lowercase.
    public var mailboxes: [String]
    public var zaakNumbers: [String]

    public init(period: DatePeriod = DatePeriod(from: nil, to: nil), terms: [String] = [], addresses: [String] = [],
                mailboxes: [String] = [], zaakNumbers: [String] = []) {
        self.period = period
        self.terms = terms
        self.addresses = addresses.map { $0.lowercased() }
        self.mailboxes = mailboxes.map { $0.lowercased() }
        self.zaakNumbers = zaakNumbers
    }

    /// True when there is something to look for in the message text (terms or zaak numbers).
    public var hasTextCriteria: Bool { !terms.isEmpty || !zaakNumbers.isEmpty }

    /// True when none of terms, addresses, mailboxes or zaak numbers is given (then only the period limits it).
    public var isEmpty: Bool { terms.isEmpty && addresses.isEmpty && mailboxes.isEmpty && zaakNumbers.isEmpty }

    /// The matcher for the text criteria: terms and zaak numbers together.
    public var textMatcher: TextMatcher { TextMatcher(terms: terms + zaakNumbers) }

    /// Whether the copy matches; `textHit` says whether a term or zaak number occurs in its subject or text body.
    @inline(__always)
    func matches(_ copy: MessageCopy, mailboxLower: String, date: CivilDate, textHit: Bool) -> Bool {
        guard period.contains(date) else { return false }
        if !mailboxes.isEmpty && !mailboxes.contains(mailboxLower) { return false }
        if terms.isEmpty && addresses.isEmpty && zaakNumbers.isEmpty { return true }
        if textHit && hasTextCriteria { return true }
        if !addresses.isEmpty {
            for list in [copy.from, copy.to, copy.cc] {
                for a in list where addresses.contains(a) || addresses.contains(a.lowercased()) { return true }
            }
        }
        return false
    }
}

/// Status of a hotspot in the hotspot monitor (bijlage 4).
public enum HotspotStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Proposed: its messages are held until it is designated or rejected.
    case proposed
    /// Designated (aangewezen): its messages are kept permanently (V becomes B).
    case designated
    /// Rejected: no effect.
    case rejected
}

/// A hotspot: an event of public significance whose mail is exempted from destruction.
public struct Hotspot: Sendable, Hashable, Codable {
    /// Catalog id (unique; used in `textHitKey`).
    public var id: String
    /// Name, cited in decisions as `hotspot:NAME` (``RuleRef/hotspot(name:)``).
    public var name: String
    public var status: HotspotStatus
    public var criteria: MatchCriteria
    /// Reference to the designation decision (besluit), if any.
    public var decisionRef: String?
    /// What the event is and why it matters, in words for residents (published on the hotspot page).
    public var description: String?
    /// When the status was last set (ISO 8601), e.g. the day of designation.
    public var statusChangedAt: String?
    /// The person_id of the hotspot's project lead or responsible employee (bijlage 4, privacy: "de projectleider of
    /// verantwoordelijke medewerker"): the one who may strip private messages from its chat before the hand-over.
    public var projectLead: String?

    public init(id: String, name: String, status: HotspotStatus, criteria: MatchCriteria, decisionRef: String? = nil,
                description: String? = nil, statusChangedAt: String? = nil, projectLead: String? = nil) {
        self.projectLead = projectLead
        self.description = description
        self.statusChangedAt = statusChangedAt
        self.id = id
        self.name = name
        self.status = status
        self.criteria = criteria
        self.decisionRef = decisionRef
    }

    /// The rule decisions cite: `hotspot:NAME`.
    public var rule: RuleRef { .hotspot(name: name) }

    /// The key to put in `MessageCopy.textHits` when a term or zaak number of this hotspot occurs in the message.
    public var textHitKey: TextHitKey { .hotspot(id: id) }

    /// What is wrong with this hotspot as entered (empty when fine): a name, at least one of
    /// terms/addresses/mailboxes/zaak numbers, and a period whose start is not after its end.
    public var problems: [String] {
        var out: [String] = []
        if name.trimmedSpaces.isEmpty { out.append("a hotspot needs a name") }
        if criteria.isEmpty { out.append("give at least one of terms, addresses, mailboxes or zaak numbers") }
        if let f = criteria.period.from, let t = criteria.period.to, t < f {
            out.append("the period ends (\(t.iso)) before it starts (\(f.iso))")
        }
        return out
    }
}

/// A Woo hold (a legal hold for a request under the Wet open overheid): from its received date until released,
/// it keeps every matching message from destruction and purge.
public struct WooHold: Sendable, Hashable, Codable {
    /// Catalog id (unique; used in `textHitKey`).
    public var id: String
    /// The Woo request's zaaknummer, cited in decisions as `woo:ZAAKNUMMER`.
    public var zaaknummer: String
    public var received: CivilDate
    /// The day the hold was released; from that day on it no longer applies.
    public var released: CivilDate?
    public var releaseReason: String?
    public var criteria: MatchCriteria

    public init(id: String, zaaknummer: String, received: CivilDate, released: CivilDate? = nil,
                releaseReason: String? = nil, criteria: MatchCriteria) {
        self.id = id
        self.zaaknummer = zaaknummer
        self.received = received
        self.released = released
        self.releaseReason = releaseReason
        self.criteria = criteria
    }

    /// The rule decisions cite: `woo:ZAAKNUMMER`.
    public var rule: RuleRef { .wooHold(zaaknummer: zaaknummer) }

    /// The key to put in `MessageCopy.textHits` when a term or zaak number of this hold occurs in the message.
    public var textHitKey: TextHitKey { .hold(id: id) }

    /// True on the days from `received` up to the day before `released`.
    public func isActive(on date: CivilDate) -> Bool {
        guard received <= date else { return false }
        if let released, released <= date { return false }
        return true
    }
}

/// Computes `MessageCopy.textHits` directly with `TextMatcher` (for small sets, explain, and tests; the plan uses
/// an FTS5 index and confirms with the same matcher).
public enum TextHits {
    /// The `textHitKey`s of the hotspots and holds whose terms or zaak numbers occur in `subject` or `body`.
    public static func find(subject: String, body: String, hotspots: [Hotspot], holds: [WooHold]) -> Set<TextHitKey> {
        let words = TextMatcher.words(in: subject) + ["\u{0}"] + TextMatcher.words(in: body)
        var out = Set<TextHitKey>()
        for h in hotspots where h.criteria.hasTextCriteria && h.criteria.textMatcher.matches(words: words) {
            out.insert(h.textHitKey)
        }
        for h in holds where h.criteria.hasTextCriteria && h.criteria.textMatcher.matches(words: words) {
            out.insert(h.textHitKey)
        }
        return out
    }
}

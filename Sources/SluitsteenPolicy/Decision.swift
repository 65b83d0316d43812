// SPDX-License-Identifier: EUPL-1.2
import SluitsteenSupport

/// The facts about one message copy (one message in one mailbox) that a decision needs.
///
/// The lead's catalog supplies them; `textHits` carries the precomputed term/zaak hits (the `textHitKey`s of the
/// hotspots and holds whose terms or zaak numbers occur in the subject or a text body part).
public struct MessageCopy: Sendable, Hashable {
    /// Mailbox address (compared case-insensitively).
    public var mailbox: String
    public var messageId: String
    public var sha256: String
    /// The Date header instant (the message date).
    public var messageInstant: Instant
    /// When Sluitsteen captured the copy.
    public var captureInstant: Instant
    /// Folder path in the mailbox at capture, components separated by `/` (e.g. `Inbox/Privé`).
    public var folderPath: String
    /// Keywords (categories, flags) on the message at capture.
    public var keywords: [String]
    public var from: [String]
    public var to: [String]
    public var cc: [String]
    public var textHits: Set<TextHitKey>
    /// When the newest `Received` header says the message arrived (the organisation's own server), if known. The
    /// `Date` header is the sender's word; when it lies more than a day before the arrival, decisions count from the
    /// arrival, so that a backdated message is not due early.
    public var receivedInstant: Instant?

    public init(mailbox: String, messageId: String, sha256: String = "", messageInstant: Instant,
                captureInstant: Instant, folderPath: String = "", keywords: [String] = [], from: [String] = [],
                to: [String] = [], cc: [String] = [], textHits: Set<TextHitKey> = [], receivedInstant: Instant? = nil) {
        self.mailbox = mailbox
        self.messageId = messageId
        self.sha256 = sha256
        self.messageInstant = messageInstant
        self.captureInstant = captureInstant
        self.folderPath = folderPath
        self.keywords = keywords
        self.from = from
        self.to = to
        self.cc = cc
        self.textHits = textHits
        self.receivedInstant = receivedInstant
    }

    /// How far the `Date` header may lie before the arrival before decisions count from the arrival (transit, clocks).
    public static let dateTolerance: Int64 = 86_400

    /// The instant decisions count from: the `Date` header, or the arrival when the header lies more than
    /// ``dateTolerance`` before it.
    public var decisionInstant: Instant {
        guard let r = receivedInstant, r.secondsSinceEpoch - messageInstant.secondsSinceEpoch > Self.dateTolerance else { return messageInstant }
        return r
    }
}

/// The class of a message copy under Capstone.
public enum MessageClass: String, Sendable, Hashable, Codable, CaseIterable {
    case functional
    case keyPerson = "key-person"
    case staff
    /// The mailbox (or its owner) is not in the register: the copy is never destroyed.
    case unclassified
}

/// What is to happen to a message copy as of the decision date.
public enum RetentionAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// The opt-out window is still open.
    case pendingWindow = "pending-window"
    /// Opted out and the window has closed: the content is purged unread; a tombstone remains.
    case purgeOptout = "purge-optout"
    /// Held by an active Woo hold or a proposed hotspot.
    case hold
    /// V, destruction not yet due (`dueDate` says when).
    case retain
    /// V, destruction due on or before the decision date.
    case destroyDue = "destroy-due"
    /// B, transfer to the e-depot due on or before the decision date.
    case transferDue = "transfer-due"
    /// B, transfer not yet due (`dueDate` says when).
    case retainPermanent = "retain-permanent"
    /// Mailbox not registered: never destroyed.
    case unclassified
    /// Transferred and confirmed by the e-depot (set by the caller with `Decision.transferred()`, never by the rules).
    case transferred
}

/// The decision for one message copy: class, waardering, action, due date, the rule ids that decided it, and (on
/// request) the steps that explain it.
///
/// `rules` lists the deciding rules first (e.g. `woo:Z-2025-001`, `optout:private`, `hotspot:NAME`, `staff-7y`);
/// for `hold` and `pending-window` the rules of the decision that applies once the hold ends or the window closes
/// follow (so an opt-out kept under a hold is visible). For `pending-window` and `hold`, `waardering` is that
/// later decision's; `dueDate` is given for `retain`, `destroy-due`, `transfer-due`, `retain-permanent`,
/// `purge-optout` (the window's closing date) and `pending-window` (the later decision's due date).
public struct Decision: Sendable, Hashable {
    public var messageClass: MessageClass
    public var waardering: Waardering?
    public var action: RetentionAction
    public var dueDate: CivilDate?
    public var rules: [RuleRef]
    /// The message date in Europe/Amsterdam.
    public var messageDate: CivilDate
    /// The opt-out window (personal mailboxes only).
    public var window: OptOutWindow?
    /// The opt-out in effect (also when kept under a hold or while the window is open).
    public var optOut: OptOutGround?
    /// Explanation steps; empty unless the decision was made with `explain: true`.
    public var steps: [ExplanationStep]

    /// The same decision after the e-depot confirmed the transfer: action `transferred`, waardering B.
    public func transferred() -> Decision {
        var d = self
        d.action = .transferred
        d.waardering = .bewaren
        if explainsSteps { d.steps.append(.outcome(action: .transferred, waardering: .bewaren, dueDate: dueDate)) }
        return d
    }

    private var explainsSteps: Bool { !steps.isEmpty }
}

/// Everything a decision depends on besides the message copy: policy, registers, hotspots, holds, opt-out marks,
/// and the moment "as of" which to decide. Build it once per run and call `decide` for every copy (thread-safe).
public struct DecisionContext: Sendable {
    public let policy: Policy
    public let registers: RegisterIndex
    public let hotspots: [Hotspot]
    public let holds: [WooHold]
    public let marks: OptOutMarks
    /// The decision moment (used for the opt-out window, to the second).
    public let asOf: Instant
    /// The decision date: the Amsterdam date of `asOf` (used for due dates and holds).
    public let asOfDate: CivilDate

    /// A hotspot or hold prepared for matching: keys computed once.
    final class Prepared<Item: Sendable>: Sendable {
        let item: Item
        let criteria: MatchCriteria
        let textHitKey: TextHitKey
        let rule: RuleRef

        init(item: Item, criteria: MatchCriteria, textHitKey: TextHitKey, rule: RuleRef) {
            self.item = item
            self.criteria = criteria
            self.textHitKey = textHitKey
            self.rule = rule
        }

        @inline(__always)
        func matches(_ copy: MessageCopy, mailboxLower: String, date: CivilDate) -> Bool {
            criteria.matches(copy, mailboxLower: mailboxLower, date: date,
                             textHit: !copy.textHits.isEmpty && copy.textHits.contains(textHitKey))
        }
    }

    private let allHolds: [Prepared<WooHold>]
    private let activeHolds: [Prepared<WooHold>]
    private let proposedHotspots: [Prepared<Hotspot>]
    private let designatedHotspots: [Prepared<Hotspot>]
    private let optOutNames: FoldedNames
    private let optOutKeywordNames: FoldedNames

    /// Decides as of the instant `asOf`.
    public init(policy: Policy, registers: RegisterIndex, hotspots: [Hotspot] = [], holds: [WooHold] = [],
                marks: [OptOutMark] = [], asOf: Instant) {
        self.policy = policy
        self.registers = registers
        self.hotspots = hotspots.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        self.holds = holds.sorted { ($0.zaaknummer, $0.id) < ($1.zaaknummer, $1.id) }
        self.marks = OptOutMarks(marks)
        self.asOf = asOf
        let date = AmsterdamTime.date(of: asOf)
        self.asOfDate = date
        allHolds = self.holds.map { Prepared(item: $0, criteria: $0.criteria, textHitKey: $0.textHitKey, rule: $0.rule) }
        activeHolds = allHolds.filter { $0.item.isActive(on: date) }
        let prepared = self.hotspots.map {
            Prepared(item: $0, criteria: $0.criteria, textHitKey: $0.textHitKey, rule: $0.rule)
        }
        proposedHotspots = prepared.filter { $0.item.status == .proposed }
        designatedHotspots = prepared.filter { $0.item.status == .designated }
        optOutNames = FoldedNames(policy.optOut.folders)
        optOutKeywordNames = FoldedNames(policy.optOut.keywords)
    }

    /// Decides as of the end of the Amsterdam day `asOfDate` (23:59:59): a window closing during that day is
    /// closed, and anything due on that day is due.
    public init(policy: Policy, registers: RegisterIndex, hotspots: [Hotspot] = [], holds: [WooHold] = [],
                marks: [OptOutMark] = [], asOfDate: CivilDate) {
        self.init(policy: policy, registers: registers, hotspots: hotspots, holds: holds, marks: marks,
                  asOf: AmsterdamTime.instant(date: asOfDate.adding(days: 1), secondOfDay: 0).adding(seconds: -1))
    }


    /// The decision for one copy. Pure: depends only on `copy` and this context. With `explain`, `steps` is filled.
    ///
    /// Precedence (issue 3 point 6): active Woo hold or proposed hotspot (`hold`) > open opt-out window
    /// (`pending-window`) > opt-out with ground private > designated hotspot > opt-out with ground informal >
    /// class base rule. An opt-out under a hold is kept (`optOut`, and its id in `rules`) and takes effect when the
    /// hold ends.
    public func decide(_ original: MessageCopy, explain: Bool = false) -> Decision {
        var copy = original
        var steps: [ExplanationStep] = []
        let counted = original.decisionInstant
        if counted != original.messageInstant {
            if explain {
                steps.append(.messageDate(instant: original.messageInstant, date: AmsterdamTime.date(of: original.messageInstant)))
                steps.append(.receivedLater(dateHeader: original.messageInstant, received: counted))
            }
            copy.messageInstant = counted
        }
        let date = AmsterdamTime.date(of: copy.messageInstant)
        if explain && counted == original.messageInstant { steps.append(.messageDate(instant: copy.messageInstant, date: date)) }
        let resolved = registers.resolved(copy.mailbox)
        let mailboxLower = resolved?.entry.address ?? copy.mailbox.lowercased()

        // Holds: active Woo holds and proposed hotspots.
        var holdRules: [RuleRef] = []
        for h in (explain ? allHolds : activeHolds) where h.matches(copy, mailboxLower: mailboxLower, date: date) {
            let active = h.item.isActive(on: asOfDate)
            if active { holdRules.append(h.rule) }
            if explain {
                steps.append(.wooHold(zaaknummer: h.item.zaaknummer, received: h.item.received,
                                      released: h.item.released, releaseReason: h.item.releaseReason, active: active))
            }
        }
        for h in proposedHotspots where h.matches(copy, mailboxLower: mailboxLower, date: date) {
            holdRules.append(h.rule)
            if explain { steps.append(.hotspot(name: h.item.name, status: h.item.status, decisionRef: h.item.decisionRef)) }
        }

        var d = settled(copy, date: date, resolved: resolved, mailboxLower: mailboxLower, explain: explain, steps: &steps)
        if !holdRules.isEmpty {
            d.action = .hold
            d.dueDate = nil
            d.rules = holdRules + d.rules
        }
        if explain {
            steps.append(.outcome(action: d.action, waardering: d.waardering, dueDate: d.dueDate))
            d.steps = steps
        }
        return d
    }

    /// The decision without holds: pending window > private > designated hotspot > informal > base.
    private func settled(_ copy: MessageCopy, date: CivilDate, resolved: RegisterIndex.ResolvedMailbox?,
                         mailboxLower: String, explain: Bool, steps: inout [ExplanationStep]) -> Decision {
        guard let resolved, resolved.entry.kind == .functional || resolved.person != nil else {
            if explain {
                if let resolved {
                    steps.append(.unknownOwner(address: resolved.entry.address, personId: resolved.entry.personId ?? ""))
                } else {
                    steps.append(.unregisteredMailbox(address: mailboxLower))
                }
            }
            return Decision(messageClass: .unclassified, waardering: nil, action: .unclassified, dueDate: nil,
                            rules: [.unregisteredMailbox], messageDate: date, window: nil, optOut: nil, steps: [])
        }
        let entry = resolved.entry

        // Class and base rule.
        let messageClass: MessageClass
        let base: RetentionRule
        let baseDue: CivilDate
        var fromLeaving = false
        if entry.kind == .functional {
            messageClass = .functional
            base = policy.functional
            baseDue = date.adding(base.after)
            if explain { steps.append(.functionalMailbox(address: entry.address)) }
        } else {
            let p = resolved.person!
            if explain { steps.append(.personalMailbox(address: entry.address, personId: p.id, name: p.name)) }
            if let role = resolved.keyRole(on: date) {
                messageClass = .keyPerson
                base = policy.keyPerson
                baseDue = date.adding(base.after)
                if explain { steps.append(.keyRoleHeld(role: role.role, period: role.period)) }
            } else {
                messageClass = .staff
                if explain {
                    steps.append(.noKeyRole(roles: registers.roles(of: p.id).map {
                        RoleOnDate(role: $0.role, period: $0.period, isKey: policy.isKeyRole($0.role))
                    }))
                }
                if let left = p.employedTo, left < policy.goLive {
                    base = policy.staffLeft
                    baseDue = left.adding(base.after)
                    fromLeaving = true
                    if explain { steps.append(.leftBeforeGoLive(employedTo: left, goLive: policy.goLive)) }
                } else {
                    base = policy.staff
                    baseDue = date.adding(base.after)
                    if explain, let left = p.employedTo {
                        steps.append(.leftAfterGoLive(employedTo: left, goLive: policy.goLive))
                    }
                }
            }
        }
        if explain {
            steps.append(.baseRule(ruleId: base.id, waardering: base.waardering, term: base.after,
                                   fromEmployedTo: fromLeaving, due: baseDue))
        }

        // Opt-out (personal mailboxes only).
        var window: OptOutWindow? = nil
        var optOut: OptOutGround? = nil
        if entry.kind == .personal {
            let w = OptOutWindow(messageInstant: copy.messageInstant, captureInstant: copy.captureInstant,
                                 length: policy.optOut.window)
            window = w
            if explain { steps.append(.window(opensAt: w.opensAt, closesAt: w.closesAt, isOpen: w.isOpen(at: asOf))) }
            if let folder = optOutNames.matchingSegment(copy.folderPath) {
                optOut = .private
                if explain { steps.append(.optOutFolder(folder: folder)) }
            }
            for k in copy.keywords where optOutKeywordNames.contains(k) {
                optOut = .private
                if explain { steps.append(.optOutKeyword(keyword: k)) }
                break
            }
            if !marks.isEmpty {
                for m in marks.marks(lowercaseMailbox: mailboxLower, messageId: copy.messageId) {
                    if w.honours(markedAt: m.markedAt) {
                        if optOut != .private { optOut = m.ground }
                        if explain { steps.append(.optOutMark(ground: m.ground, markedAt: m.markedAt, by: m.by)) }
                    } else if explain {
                        steps.append(.optOutMarkIgnored(ground: m.ground, markedAt: m.markedAt, closesAt: w.closesAt))
                    }
                }
            }
        } else if explain, optOutNames.matchingSegment(copy.folderPath) != nil
            || copy.keywords.contains(where: { optOutKeywordNames.contains($0) })
            || !marks.marks(mailbox: mailboxLower, messageId: copy.messageId).isEmpty {
            steps.append(.noOptOutForFunctional)
        }

        // Designated hotspots.
        var hotspotRules: [RuleRef] = []
        for h in designatedHotspots where h.matches(copy, mailboxLower: mailboxLower, date: date) {
            hotspotRules.append(h.rule)
            if explain { steps.append(.hotspot(name: h.item.name, status: h.item.status, decisionRef: h.item.decisionRef)) }
        }

        var d: Decision
        if let window, let ground = optOut, ground == .private || hotspotRules.isEmpty {
            d = Decision(messageClass: messageClass, waardering: nil, action: .purgeOptout, dueDate: window.closingDate,
                         rules: [ground.rule], messageDate: date, window: window, optOut: ground, steps: [])
        } else if !hotspotRules.isEmpty {
            let due = date.adding(policy.hotspotTransferAfter)
            d = Decision(messageClass: messageClass, waardering: .bewaren,
                         action: due <= asOfDate ? .transferDue : .retainPermanent, dueDate: due,
                         rules: hotspotRules, messageDate: date, window: window, optOut: optOut, steps: [])
        } else {
            let action: RetentionAction
            switch base.waardering {
            case .bewaren: action = baseDue <= asOfDate ? .transferDue : .retainPermanent
            case .vernietigen: action = baseDue <= asOfDate ? .destroyDue : .retain
            }
            d = Decision(messageClass: messageClass, waardering: base.waardering, action: action, dueDate: baseDue,
                         rules: [.base(base.id)], messageDate: date, window: window, optOut: optOut, steps: [])
        }
        if let window, window.isOpen(at: asOf) {
            d.action = .pendingWindow
            d.rules.insert(.window, at: 0)
        }
        return d
    }
}

/// Folder names or keywords compared case- and accent-insensitively, without allocating for ASCII input.
struct FoldedNames: Sendable {
    private let folded: Set<String>
    private let asciiFolded: [[UInt8]]

    init(_ names: [String]) {
        let f = names.map { TextMatcher.normalize($0.trimmedSpaces) }
        folded = Set(f)
        asciiFolded = f.filter { $0.utf8.allSatisfy { $0 < 128 } }.map { Array($0.utf8) }
    }

    var isEmpty: Bool { folded.isEmpty }

    /// True when `name` equals one of the names after folding.
    func contains(_ name: String) -> Bool {
        var n = name
        return n.withUTF8 { bytes in matches(bytes[...]) } ?? folded.contains(TextMatcher.normalize(name.trimmedSpaces))
    }

    /// The first `/`-separated segment of `path` equal to one of the names after folding.
    func matchingSegment(_ path: String) -> String? {
        guard !folded.isEmpty, !path.isEmpty else { return nil }
        var p = path
        var found: Range<Int>? = nil
        var needsSlowPath = false
        p.withUTF8 { bytes in
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
                if i > start {
                    switch matches(bytes[start..<i]) {
                    case .some(true): found = start..<i; return
                    case .some(false): break
                    case .none: needsSlowPath = true
                    }
                }
                start = i + 1
            }
        }
        if let found {
            return String(decoding: Array(path.utf8)[found], as: UTF8.self)
        }
        guard needsSlowPath else { return nil }
        for segment in path.split(separator: "/") where folded.contains(TextMatcher.normalize(String(segment).trimmedSpaces)) {
            return String(segment)
        }
        return nil
    }

    /// Compares ASCII bytes (trimmed of spaces, case-folded) with the ASCII names; nil when the bytes are not
    /// all ASCII (the caller then folds with Foundation).
    private func matches(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool? {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        while lo < hi, bytes[lo] == 32 || bytes[lo] == 9 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 32 || bytes[hi - 1] == 9 { hi -= 1 }
        for i in lo..<hi where bytes[i] >= 128 { return nil }
        let count = hi - lo
        outer: for name in asciiFolded where name.count == count {
            for k in 0..<count {
                var b = bytes[lo + k]
                if b >= 65 && b <= 90 { b += 32 }
                if b != name[k] { continue outer }
            }
            return true
        }
        return false
    }
}

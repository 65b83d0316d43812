// SPDX-License-Identifier: EUPL-1.2
import Testing
@testable import SluitsteenPolicy

/// Expected values below are worked out from issue 3's rules by hand (policy: key person B after P10Y, staff V
/// after P7Y, staff who left before go-live 2025-01-01 V 3 months after leaving, functional V after P1Y, opt-out
/// window P10W from the later of message date and capture time; capture is one day after sending unless given).
@Suite("Decisions")
struct DecisionTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var mailbox: String
        var sent: String
        var folder: String = "Inbox"
        var keywords: [String] = []
        var asOf: String = "2026-06-01"
        var messageClass: MessageClass
        var waardering: Waardering?
        var action: RetentionAction
        var due: String?
        var rules: [String]
        var description: String { name }
    }

    static let mb = "@krimpenerwaard.nl"

    static let classCases: [Case] = [
        Case(name: "role starts on the message date", mailbox: "g.rand" + mb, sent: "2025-03-10T09:00:00Z",
             messageClass: .keyPerson, waardering: .bewaren, action: .retainPermanent, due: "2035-03-10", rules: ["key-person-b"]),
        Case(name: "role ends on the message date", mailbox: "g.rand" + mb, sent: "2025-03-20T09:00:00Z",
             messageClass: .keyPerson, waardering: .bewaren, action: .retainPermanent, due: "2035-03-20", rules: ["key-person-b"]),
        Case(name: "the day after the role ended", mailbox: "g.rand" + mb, sent: "2025-03-21T09:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2032-03-21", rules: ["staff-7y"]),
        Case(name: "the day before the role started", mailbox: "g.rand" + mb, sent: "2025-03-09T09:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2032-03-09", rules: ["staff-7y"]),
        Case(name: "23:30 UTC on 9 March is 10 March in Amsterdam: first role day", mailbox: "g.rand" + mb,
             sent: "2025-03-09T23:30:00Z",
             messageClass: .keyPerson, waardering: .bewaren, action: .retainPermanent, due: "2035-03-10", rules: ["key-person-b"]),
        Case(name: "22:59:59 UTC on 20 March is still the last role day", mailbox: "g.rand" + mb, sent: "2025-03-20T22:59:59Z",
             messageClass: .keyPerson, waardering: .bewaren, action: .retainPermanent, due: "2035-03-20", rules: ["key-person-b"]),
        Case(name: "23:00 UTC on 20 March is 21 March in Amsterdam: no role", mailbox: "g.rand" + mb, sent: "2025-03-20T23:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2032-03-21", rules: ["staff-7y"]),
        Case(name: "staff, later wethouder: mail from staff time", mailbox: "w.later" + mb, sent: "2024-04-30T10:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2031-04-30", rules: ["staff-7y"]),
        Case(name: "staff, later wethouder: mail from the first wethouder day", mailbox: "w.later" + mb, sent: "2024-05-01T10:00:00Z",
             messageClass: .keyPerson, waardering: .bewaren, action: .retainPermanent, due: "2034-05-01", rules: ["key-person-b"]),
        Case(name: "left before go-live: 3 months after leaving (2024-06-30 + P3M)", mailbox: "l.voor" + mb, sent: "2024-03-01T10:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .destroyDue, due: "2024-09-30", rules: ["staff-left-3m"]),
        Case(name: "left before go-live, not yet due", mailbox: "l.voor" + mb, sent: "2024-03-01T10:00:00Z", asOf: "2024-09-29",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2024-09-30", rules: ["staff-left-3m"]),
        Case(name: "left after go-live: the normal 7 years", mailbox: "l.na" + mb, sent: "2024-03-01T10:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2031-03-01", rules: ["staff-7y"]),
        Case(name: "functional, 29 February + 1 year = 28 February, due", mailbox: "info" + mb, sent: "2024-02-29T12:00:00Z",
             asOf: "2025-02-28",
             messageClass: .functional, waardering: .vernietigen, action: .destroyDue, due: "2025-02-28", rules: ["functional-1y"]),
        Case(name: "functional, 29 February, the day before due", mailbox: "info" + mb, sent: "2024-02-29T12:00:00Z",
             asOf: "2025-02-27",
             messageClass: .functional, waardering: .vernietigen, action: .retain, due: "2025-02-28", rules: ["functional-1y"]),
        Case(name: "staff, 29 February + 7 years", mailbox: "s.staf" + mb, sent: "2024-02-29T12:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2031-02-28", rules: ["staff-7y"]),
        Case(name: "key person, 29 February + 10 years, due on the day", mailbox: "burgemeester" + mb, sent: "2024-02-29T12:00:00Z",
             asOf: "2034-02-28",
             messageClass: .keyPerson, waardering: .bewaren, action: .transferDue, due: "2034-02-28", rules: ["key-person-b"]),
        Case(name: "functional mailbox: Privé folder and keyword do not opt out", mailbox: "info" + mb, sent: "2025-03-01T10:00:00Z",
             folder: "Inbox/Privé", keywords: ["private"],
             messageClass: .functional, waardering: .vernietigen, action: .destroyDue, due: "2026-03-01", rules: ["functional-1y"]),
        Case(name: "functional mailbox has no window: nothing pending", mailbox: "info" + mb, sent: "2026-05-30T10:00:00Z",
             messageClass: .functional, waardering: .vernietigen, action: .retain, due: "2027-05-30", rules: ["functional-1y"]),
        Case(name: "unregistered mailbox is never destroyed", mailbox: "onbekend" + mb, sent: "2010-01-01T10:00:00Z",
             messageClass: .unclassified, waardering: nil, action: .unclassified, due: nil, rules: ["unregistered-mailbox"]),
        Case(name: "mailbox address compared case-insensitively", mailbox: "S.Staf@Krimpenerwaard.NL", sent: "2025-03-01T10:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2032-03-01", rules: ["staff-7y"]),
        // Window opens at capture 2025-01-11 11:00 CET, closes 70 days later, 2025-03-22 11:00 CET.
        Case(name: "Prive folder: purged once the window closed", mailbox: "s.staf" + mb, sent: "2025-01-10T10:00:00Z",
             folder: "Inbox/Prive",
             messageClass: .staff, waardering: nil, action: .purgeOptout, due: "2025-03-22", rules: ["optout:private"]),
        Case(name: "opt-out folder matched case- and accent-insensitively, nested", mailbox: "s.staf" + mb,
             sent: "2025-01-10T10:00:00Z", folder: "Postvak IN/PRIVÉ/familie",
             messageClass: .staff, waardering: nil, action: .purgeOptout, due: "2025-03-22", rules: ["optout:private"]),
        Case(name: "opt-out keyword on a key person's mail", mailbox: "burgemeester" + mb, sent: "2025-01-10T10:00:00Z",
             keywords: ["Werk", "PRIVE"],
             messageClass: .keyPerson, waardering: nil, action: .purgeOptout, due: "2025-03-22", rules: ["optout:private"]),
        Case(name: "a folder merely containing the word is not an opt-out folder", mailbox: "s.staf" + mb,
             sent: "2025-01-10T10:00:00Z", folder: "Inbox/Privé-zaken",
             messageClass: .staff, waardering: .vernietigen, action: .retain, due: "2032-01-10", rules: ["staff-7y"]),
        // Window from 2026-05-21 (capture) runs past 2026-06-01.
        Case(name: "window open: pending", mailbox: "s.staf" + mb, sent: "2026-05-20T10:00:00Z",
             messageClass: .staff, waardering: .vernietigen, action: .pendingWindow, due: "2033-05-20",
             rules: ["optout-window", "staff-7y"]),
    ]

    @Test("class, base rule, calendar and opt-out folder edges", arguments: classCases)
    func classification(c: Case) {
        let ctx = World.context(asOfDate: c.asOf)
        let d = ctx.decide(World.copy(c.mailbox, sent: c.sent, folder: c.folder, keywords: c.keywords))
        #expect(d.messageClass == c.messageClass)
        #expect(d.waardering == c.waardering)
        #expect(d.action == c.action)
        #expect(d.dueDate == c.due.map(World.d))
        #expect(d.rules.map(\.description) == c.rules)
        #expect(d.steps.isEmpty)
    }

    // MARK: - Window to the second

    // Sent 09:00Z, captured 09:05:00Z on 2025-03-10 = 10:05:00 CET. Ten weeks on Amsterdam clocks: 2025-05-19
    // 10:05:00 CEST = 08:05:00Z (exactly 70 × 86400 s would be 09:05:00Z; summer time started on 30 March).
    let sent = "2025-03-10T09:00:00Z"
    let captured = "2025-03-10T09:05:00Z"
    let close = "2025-05-19T08:05:00Z"
    let lastOpenSecond = "2025-05-19T08:04:59Z"

    @Test("the window closes at the same Amsterdam wall-clock time ten weeks on, to the second")
    func windowBoundary() {
        let copy = World.copy("s.staf" + Self.mb, sent: sent, captured: captured)
        let w = OptOutWindow(messageInstant: World.t(sent), captureInstant: World.t(captured), length: ISODuration(weeks: 10))
        #expect(w.opensAt == World.t(captured))
        #expect(w.closesAt == World.t(close))
        #expect(w.closesAt.secondsSinceEpoch - w.opensAt.secondsSinceEpoch == 70 * 86_400 - 3600)
        #expect(w.closingDate == World.d("2025-05-19"))
        #expect(World.context(asOf: World.t(lastOpenSecond)).decide(copy).action == .pendingWindow)
        let after = World.context(asOf: World.t(close)).decide(copy)
        #expect(after.action == .retain)
        #expect(after.dueDate == World.d("2032-03-10"))
        // --as-of DATE means the end of that Amsterdam day: the window closing during it is closed.
        #expect(World.context(asOfDate: "2025-05-19").decide(copy).action == .retain)
        #expect(World.context(asOfDate: "2025-05-18").decide(copy).action == .pendingWindow)
    }

    /// A sender writes the Date header: a message backdated by years is not due early. When the Date header lies more
    /// than a day before the arrival at the organisation's own server (the topmost Received header), the terms count
    /// from the arrival, and the explanation says why.
    @Test("a backdated message counts from its arrival, not from the date its sender wrote")
    func backdatedMessageCountsFromArrival() {
        var copy = World.copy("s.staf" + Self.mb, sent: "2015-01-05T09:00:00Z", captured: "2025-03-11T09:00:00Z")
        copy.receivedInstant = World.t("2025-03-10T09:00:00Z")
        let d = World.context(asOfDate: "2026-06-01").decide(copy, explain: true)
        #expect(d.action == .retain && d.dueDate == World.d("2032-03-10"), "\(d.action) \(String(describing: d.dueDate))")
        #expect(d.explanation(.dutch).contains { $0.contains("vóór de ontvangst") })
        // Without the arrival it would have been due years ago.
        copy.receivedInstant = nil
        #expect(World.context(asOfDate: "2026-06-01").decide(copy).action == .destroyDue)
        // Within a day (transit, clocks) the Date header counts.
        copy.receivedInstant = World.t("2015-01-05T20:00:00Z")
        #expect(World.context(asOfDate: "2026-06-01").decide(copy).dueDate == World.d("2022-01-05"))
    }

    @Test("a Date header later than the capture time opens the window at the Date header")
    func windowOpensAtLaterMessageDate() {
        let w = OptOutWindow(messageInstant: World.t("2025-03-10T12:00:00Z"), captureInstant: World.t(captured),
                             length: ISODuration(weeks: 10))
        #expect(w.opensAt == World.t("2025-03-10T12:00:00Z"))
        #expect(w.closesAt == World.t("2025-05-19T11:00:00Z"))
    }

    @Test("a mark made in the last second is honoured; one made at the closing second never is")
    func markBoundary() {
        let copy = World.copy("s.staf" + Self.mb, sent: sent, captured: captured)
        let inTime = OptOutMark(mailbox: "s.staf" + Self.mb, messageId: copy.messageId, ground: .private,
                                markedAt: World.t(lastOpenSecond), by: "S. Staf")
        let late = OptOutMark(mailbox: "s.staf" + Self.mb, messageId: copy.messageId, ground: .private,
                              markedAt: World.t(close), by: "S. Staf")
        let honoured = World.context(asOfDate: "2026-01-01", marks: [inTime]).decide(copy)
        #expect(honoured.action == .purgeOptout)
        #expect(honoured.optOut == .private)
        #expect(honoured.rules.map(\.description) == ["optout:private"])
        let ignored = World.context(asOfDate: "2026-01-01", marks: [late]).decide(copy)
        #expect(ignored.action == .retain)
        #expect(ignored.optOut == nil)
        #expect(ignored.rules.map(\.description) == ["staff-7y"])
        // A mark for another mailbox holding the same message does not count for this copy.
        let otherCopy = OptOutMark(mailbox: "w.later" + Self.mb, messageId: copy.messageId, ground: .private,
                                   markedAt: World.t(lastOpenSecond))
        #expect(World.context(asOfDate: "2026-01-01", marks: [otherCopy]).decide(copy).action == .retain)
    }

    @Test("optout mark validation: window closed (with date), functional, unregistered")
    func markValidation() throws {
        let w = try OptOutMark.validate(mailbox: "S.STAF" + Self.mb, messageInstant: World.t(sent),
                                        captureInstant: World.t(captured), markedAt: World.t(lastOpenSecond),
                                        policy: World.policy, registers: World.index)
        #expect(w.closesAt == World.t(close))
        #expect(throws: OptOutRefusal.windowClosed(mailbox: "s.staf" + Self.mb, closedAt: World.t(close))) {
            try OptOutMark.validate(mailbox: "s.staf" + Self.mb, messageInstant: World.t(sent),
                                    captureInstant: World.t(captured), markedAt: World.t(close),
                                    policy: World.policy, registers: World.index)
        }
        #expect(OptOutRefusal.windowClosed(mailbox: "x", closedAt: World.t(close)).description.contains("2025-05-19 10:05:00"))
        #expect(throws: OptOutRefusal.functionalMailbox(address: "info" + Self.mb)) {
            try OptOutMark.validate(mailbox: "info" + Self.mb, messageInstant: World.t(sent),
                                    captureInstant: World.t(captured), markedAt: World.t(sent),
                                    policy: World.policy, registers: World.index)
        }
        #expect(throws: OptOutRefusal.unregisteredMailbox(address: "onbekend" + Self.mb)) {
            try OptOutMark.validate(mailbox: "onbekend" + Self.mb, messageInstant: World.t(sent),
                                    captureInstant: World.t(captured), markedAt: World.t(sent),
                                    policy: World.policy, registers: World.index)
        }
    }

    // MARK: - Hotspots

    static func hotspot(_ status: HotspotStatus, mailboxes: [String] = ["s.staf" + mb], terms: [String] = [],
                        addresses: [String] = []) -> Hotspot {
        Hotspot(id: "h1", name: "windpark", status: status,
                criteria: MatchCriteria(period: DatePeriod(from: World.d("2025-01-01"), to: World.d("2025-12-31")),
                                        terms: terms, addresses: addresses, mailboxes: mailboxes),
                decisionRef: "B&W 2025-17")
    }

    func mark(_ ground: OptOutGround, _ mailbox: String = "s.staf" + mb, at: String = "2025-02-12T10:00:00Z") -> OptOutMark {
        OptOutMark(mailbox: mailbox, messageId: "<m1@example.org>", ground: ground, markedAt: World.t(at))
    }

    @Test("designated hotspot turns V into B: transfer 10 years after the message date")
    func designatedHotspot() {
        let d = World.context(asOfDate: "2026-06-01", hotspots: [Self.hotspot(.designated)])
            .decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(d.messageClass == .staff)
        #expect(d.waardering == .bewaren)
        #expect(d.action == .retainPermanent)
        #expect(d.dueDate == World.d("2035-02-10"))
        #expect(d.rules.map(\.description) == ["hotspot:windpark"])
    }

    @Test("hotspot period uses the Amsterdam date: 2024-12-31T23:00Z is in 2025")
    func hotspotPeriodBoundary() {
        let ctx = World.context(asOfDate: "2026-06-01", hotspots: [Self.hotspot(.designated)])
        #expect(ctx.decide(World.copy("s.staf" + Self.mb, sent: "2024-12-31T22:59:59Z")).rules.map(\.description) == ["staff-7y"])
        #expect(ctx.decide(World.copy("s.staf" + Self.mb, sent: "2024-12-31T23:00:00Z")).rules.map(\.description) == ["hotspot:windpark"])
    }

    @Test("hotspot + opt-out: private beats the hotspot, the hotspot beats informal")
    func hotspotAndOptOut() {
        let hs = [Self.hotspot(.designated)]
        let inPrivate = World.context(asOfDate: "2026-06-01", hotspots: hs)
            .decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z", folder: "Privé"))
        #expect(inPrivate.action == .purgeOptout)
        #expect(inPrivate.rules.map(\.description) == ["optout:private"])
        let informal = World.context(asOfDate: "2026-06-01", hotspots: hs, marks: [mark(.informal)])
            .decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(informal.action == .retainPermanent)
        #expect(informal.waardering == .bewaren)
        #expect(informal.optOut == .informal)
        #expect(informal.rules.map(\.description) == ["hotspot:windpark"])
        let informalNoHotspot = World.context(asOfDate: "2026-06-01", marks: [mark(.informal)])
            .decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(informalNoHotspot.action == .purgeOptout)
        #expect(informalNoHotspot.rules.map(\.description) == ["optout:informal"])
        // informal opt-out beats the class base, also for a key person
        let keyInformal = World.context(asOfDate: "2026-06-01", marks: [mark(.informal, "burgemeester" + Self.mb)])
            .decide(World.copy("burgemeester" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(keyInformal.action == .purgeOptout)
    }

    @Test("a proposed hotspot holds; a rejected one has no effect")
    func proposedAndRejected() {
        let copy = World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z", folder: "Privé")
        let held = World.context(asOfDate: "2026-06-01", hotspots: [Self.hotspot(.proposed)]).decide(copy)
        #expect(held.action == .hold)
        #expect(held.dueDate == nil)
        #expect(held.rules.map(\.description) == ["hotspot:windpark", "optout:private"])
        #expect(held.optOut == .private)
        let rejected = World.context(asOfDate: "2026-06-01", hotspots: [Self.hotspot(.rejected)])
            .decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(rejected.rules.map(\.description) == ["staff-7y"])
    }

    @Test("a designated hotspot on a functional mailbox keeps its mail (B)")
    func functionalHotspot() {
        let d = World.context(asOfDate: "2026-06-01", hotspots: [Self.hotspot(.designated, mailboxes: ["INFO" + Self.mb])])
            .decide(World.copy("info" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(d.messageClass == .functional)
        #expect(d.waardering == .bewaren)
        #expect(d.dueDate == World.d("2035-02-10"))
    }

    @Test("terms match through text hits; addresses match From/To/Cc case-insensitively")
    func termAndAddressMatching() {
        let byTerm = Self.hotspot(.designated, mailboxes: [], terms: ["windpark"])
        let ctx = World.context(asOfDate: "2026-06-01", hotspots: [byTerm])
        #expect(ctx.decide(World.copy("w.later" + Self.mb, sent: "2025-02-10T10:00:00Z", textHits: [byTerm.textHitKey]))
            .rules.map(\.description) == ["hotspot:windpark"])
        #expect(ctx.decide(World.copy("w.later" + Self.mb, sent: "2025-02-10T10:00:00Z")).rules.map(\.description) == ["key-person-b"])
        let byAddress = Self.hotspot(.designated, mailboxes: [], addresses: ["wethouder@lopik.nl"])
        let ctx2 = World.context(asOfDate: "2026-06-01", hotspots: [byAddress])
        #expect(ctx2.decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z", from: ["Wethouder@Lopik.NL"]))
            .rules.map(\.description) == ["hotspot:windpark"])
        #expect(ctx2.decide(World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z", from: ["iemand@lopik.nl"]))
            .rules.map(\.description) == ["staff-7y"])
        // mailboxes AND terms: a term hit in another mailbox does not match
        let both = Self.hotspot(.designated, mailboxes: ["s.staf" + Self.mb], terms: ["windpark"])
        let ctx3 = World.context(asOfDate: "2026-06-01", hotspots: [both])
        #expect(ctx3.decide(World.copy("l.na" + Self.mb, sent: "2025-02-10T10:00:00Z", textHits: [both.textHitKey]))
            .rules.map(\.description) == ["staff-7y"])
    }

    // MARK: - Woo holds

    static func hold(released: String? = nil, period: DatePeriod = DatePeriod(from: nil, to: nil),
                     mailboxes: [String] = ["s.staf" + mb], terms: [String] = []) -> WooHold {
        WooHold(id: "1", zaaknummer: "Z-2025-001", received: World.d("2025-06-01"), released: released.map(World.d),
                releaseReason: released == nil ? nil : "besluit verzonden",
                criteria: MatchCriteria(period: period, terms: terms, mailboxes: mailboxes))
    }

    @Test("Woo hold + opt-out: held, the opt-out kept; it takes effect when the hold is released")
    func holdAndOptOut() {
        let copy = World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z", folder: "Privé")
        let held = World.context(asOfDate: "2026-06-01", holds: [Self.hold()]).decide(copy)
        #expect(held.action == .hold)
        #expect(held.rules.map(\.description) == ["woo:Z-2025-001", "optout:private"])
        #expect(held.optOut == .private)
        #expect(held.dueDate == nil)
        // before the request was received the hold did not exist (window closed 2025-04-22)
        #expect(World.context(asOfDate: "2025-05-31", holds: [Self.hold()]).decide(copy).action == .purgeOptout)
        // released on 2025-12-01: still held the day before, purged from the release day on
        #expect(World.context(asOfDate: "2025-11-30", holds: [Self.hold(released: "2025-12-01")]).decide(copy).action == .hold)
        let released = World.context(asOfDate: "2025-12-01", holds: [Self.hold(released: "2025-12-01")]).decide(copy)
        #expect(released.action == .purgeOptout)
        #expect(released.rules.map(\.description) == ["optout:private"])
    }

    @Test("a hold released leaves the normal rule; a hold outside its period or without a text hit does not apply")
    func holdScope() {
        let copy = World.copy("s.staf" + Self.mb, sent: "2018-02-10T10:00:00Z")
        #expect(World.context(asOfDate: "2026-06-01", holds: [Self.hold()]).decide(copy).action == .hold)
        let released = World.context(asOfDate: "2026-06-01", holds: [Self.hold(released: "2026-01-15")]).decide(copy)
        #expect(released.action == .destroyDue)  // 2018-02-10 + P7Y = 2025-02-10
        #expect(released.rules.map(\.description) == ["staff-7y"])
        let january = DatePeriod(from: World.d("2018-01-01"), to: World.d("2018-01-31"))
        #expect(World.context(asOfDate: "2026-06-01", holds: [Self.hold(period: january)]).decide(copy).action == .destroyDue)
        let withTerms = Self.hold(terms: ["windpark"])
        #expect(World.context(asOfDate: "2026-06-01", holds: [withTerms]).decide(copy).action == .destroyDue)
        var hit = copy
        hit.textHits = [withTerms.textHitKey]
        #expect(World.context(asOfDate: "2026-06-01", holds: [withTerms]).decide(hit).action == .hold)
    }

    @Test("a hold beats an open window, and covers unregistered mailboxes too")
    func holdPrecedence() {
        let copy = World.copy("s.staf" + Self.mb, sent: "2025-06-10T10:00:00Z")
        let d = World.context(asOfDate: "2025-06-15", holds: [Self.hold()]).decide(copy)
        #expect(d.action == .hold)
        #expect(d.rules.map(\.description) == ["woo:Z-2025-001", "optout-window", "staff-7y"])
        #expect(d.waardering == .vernietigen)
        let unreg = World.context(asOfDate: "2026-06-01", holds: [Self.hold(mailboxes: ["onbekend" + Self.mb])])
            .decide(World.copy("onbekend" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(unreg.action == .hold)
        #expect(unreg.messageClass == .unclassified)
        #expect(unreg.rules.map(\.description) == ["woo:Z-2025-001", "unregistered-mailbox"])
    }

    // MARK: - Explanation and override

    @Test("explain gives the steps, in Dutch and English")
    func explanation() {
        let copy = World.copy("s.staf" + Self.mb, sent: "2025-02-10T10:00:00Z", folder: "Inbox/Privé")
        let d = World.context(asOfDate: "2026-06-01", holds: [Self.hold(released: "2026-01-15")]).decide(copy, explain: true)
        #expect(d.action == .purgeOptout)
        let nl = d.explanation(.dutch)
        let en = d.explanation(.english)
        #expect(nl.count == d.steps.count && en.count == d.steps.count)
        #expect(d.steps.contains(.optOutFolder(folder: "Privé")))
        #expect(d.steps.contains { if case .wooHold(_, _, _, _, false) = $0 { true } else { false } })
        #expect(nl.contains { $0.contains("Woo-verzoek Z-2025-001") && $0.contains("2026-01-15") })
        #expect(en.contains { $0.contains("Woo request Z-2025-001") })
        #expect(nl.last?.contains("ongelezen geschoond") == true)
        #expect(nl.contains { $0.contains("persoonlijke mailbox van S. Staf") })
        // the decision itself is the same with or without explanation
        var plain = d
        plain.steps = []
        #expect(plain == World.context(asOfDate: "2026-06-01", holds: [Self.hold(released: "2026-01-15")]).decide(copy))
    }

    @Test("explain names the role period that made a key person")
    func explainRole() {
        let d = World.context(asOfDate: "2026-06-01").decide(World.copy("g.rand" + Self.mb, sent: "2025-03-20T09:00:00Z"), explain: true)
        #expect(d.steps.contains(.keyRoleHeld(role: "griffier", period: DatePeriod(from: World.d("2025-03-10"), to: World.d("2025-03-20")))))
        #expect(d.explanation(.english).contains { $0.contains("griffier") && $0.contains("2025-03-20 inclusive") })
    }

    @Test("the caller marks a transferred copy")
    func transferred() {
        let d = World.context(asOfDate: "2036-01-01").decide(World.copy("burgemeester" + Self.mb, sent: "2025-02-10T10:00:00Z"))
        #expect(d.action == .transferDue)
        let t = d.transferred()
        #expect(t.action == .transferred)
        #expect(t.waardering == .bewaren)
        #expect(t.dueDate == d.dueDate)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import PropertyBased
import Testing
@testable import SluitsteenPolicy

/// Property tests over random message copies, hotspots, holds, marks and decision dates. The oracles use
/// Foundation's calendar in Europe/Amsterdam, not Sluitsteen's own date code.
@Suite("Decision properties", .enabled(if: TimeZone(identifier: "Europe/Amsterdam") != nil))
struct PropertyTests {
    static let amsterdam: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return c
    }()

    /// Amsterdam date by Foundation.
    static func foundationDate(_ i: Instant) -> CivilDate {
        let c = amsterdam.dateComponents([.year, .month, .day], from: i.date)
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Window close by Foundation: 70 days later on Amsterdam clocks.
    static func foundationClose(_ opens: Instant) -> Instant {
        Instant(amsterdam.date(byAdding: .day, value: 70, to: opens.date)!)
    }

    static let mailboxes = ["burgemeester", "s.staf", "w.later", "l.voor", "l.na", "g.rand", "info", "onbekend"]
        .map { $0 + "@krimpenerwaard.nl" }
    static let folders = ["Inbox", "Inbox/Privé", "Verzonden", "Persoonlijk", "Archief/2024"]
    static let keywordSets: [[String]] = [[], ["private"], ["Werk"], ["PRIVE", "x"]]
    static let base: Int64 = 1_420_070_400  // 2015-01-01T00:00:00Z
    static let span: Int64 = 12 * 366 * 86_400

    struct Scenario {
        var copy: MessageCopy
        var hotspots: [Hotspot]
        var holds: [WooHold]
        var marks: [OptOutMark]
        var asOf: Instant
    }

    /// Builds a scenario from random numbers (so PropertyBased can shrink the numbers).
    static func scenario(_ r: [Int], lateMarksOnly: Bool = false, noFolderOptOut: Bool = false) -> Scenario {
        var i = 0
        func next(_ n: Int) -> Int { defer { i += 1 }; return r[i % r.count] % n }
        func day(_ n: Int) -> CivilDate { CivilDate(dayNumber: Int(base / 86_400) + n) }
        let mailbox = mailboxes[next(mailboxes.count)]
        let sent = Instant(secondsSinceEpoch: base + Int64(next(Int(span))))
        let delay = Int64(next(400 * 86_400)) - 30 * 86_400  // capture up to 30 days before (clock skew) or 400 after
        let capture = sent.adding(seconds: delay)
        let folder = noFolderOptOut ? "Inbox" : folders[next(folders.count)]
        let keywords = noFolderOptOut ? [] : keywordSets[next(keywordSets.count)]
        let copy = MessageCopy(mailbox: mailbox, messageId: "<p@x>", messageInstant: sent, captureInstant: capture,
                               folderPath: folder, keywords: keywords)
        var hotspots: [Hotspot] = []
        for k in 0..<next(3) {
            let from = day(next(4400))
            hotspots.append(Hotspot(
                id: "h\(k)", name: "hotspot\(k)", status: HotspotStatus.allCases[next(3)],
                criteria: MatchCriteria(period: DatePeriod(from: from, to: from.adding(days: next(2000))),
                                        mailboxes: [mailboxes[next(mailboxes.count)], mailboxes[next(mailboxes.count)]])))
        }
        var holds: [WooHold] = []
        for k in 0..<next(3) {
            let received = day(next(4400))
            let released: CivilDate? = next(2) == 0 ? nil : received.adding(days: next(800))
            let period: DatePeriod = next(2) == 0 ? DatePeriod(from: nil, to: nil)
                : DatePeriod(from: day(next(4400)), to: nil)
            holds.append(WooHold(id: "w\(k)", zaaknummer: "Z-\(k)", received: received, released: released,
                                 criteria: MatchCriteria(period: period, mailboxes: [mailboxes[next(mailboxes.count)]])))
        }
        let opens = max(sent, capture)
        let close = foundationClose(opens)
        var marks: [OptOutMark] = []
        for _ in 0..<next(3) {
            let at: Instant = lateMarksOnly
                ? close.adding(seconds: Int64(next(3 * 365 * 86_400)))
                : opens.adding(seconds: Int64(next(100 * 86_400)))
            marks.append(OptOutMark(mailbox: mailbox, messageId: "<p@x>", ground: OptOutGround.allCases[next(2)], markedAt: at))
        }
        let asOf = Instant(secondsSinceEpoch: sent.secondsSinceEpoch + Int64(next(Int(span))) - span / 4)
        return Scenario(copy: copy, hotspots: hotspots, holds: holds, marks: marks, asOf: asOf)
    }

    static let numbers = Gen.int(in: 0...Int(Int32.max)).array(of: 40)

    func decide(_ s: Scenario) -> Decision {
        World.context(asOf: s.asOf, hotspots: s.hotspots, holds: s.holds, marks: s.marks).decide(s.copy)
    }

    @Test("nothing under an active hold or a proposed hotspot is ever destroy-due or purge-optout")
    func heldIsNeverDestroyedOrPurged() async {
        await propertyCheck(count: 500, input: Self.numbers) { r in
            let s = Self.scenario(r)
            let d = decide(s)
            let date = Self.foundationDate(s.copy.messageInstant)
            let asOfDate = Self.foundationDate(s.asOf)
            let mailbox = s.copy.mailbox
            let heldByWoo = s.holds.contains {
                $0.received <= asOfDate && ($0.released.map { asOfDate < $0 } ?? true)
                    && $0.criteria.mailboxes.contains(mailbox) && $0.criteria.period.contains(date)
            }
            let heldByProposal = s.hotspots.contains {
                $0.status == .proposed && $0.criteria.mailboxes.contains(mailbox) && $0.criteria.period.contains(date)
            }
            if heldByWoo || heldByProposal {
                #expect(d.action == .hold, "\(s.copy) as of \(s.asOf)")
                #expect(d.action != .destroyDue && d.action != .purgeOptout)
            } else {
                #expect(d.action != .hold)
            }
        }
    }

    @Test("nothing with waardering B, nor any key person's mail, is ever destroy-due; unregistered never either")
    func bewarenIsNeverDestroyed() async {
        await propertyCheck(count: 500, input: Self.numbers) { r in
            let s = Self.scenario(r)
            let d = decide(s)
            if d.waardering == .bewaren { #expect(d.action != .destroyDue) }
            if d.messageClass == .keyPerson { #expect(d.action != .destroyDue) }
            if d.messageClass == .unclassified { #expect(d.action == .unclassified || d.action == .hold) }
            if d.action == .destroyDue { #expect(d.waardering == .vernietigen && d.dueDate! <= Self.foundationDate(s.asOf)) }
        }
    }

    @Test("no opt-out marked after the window closed is honoured")
    func lateMarksAreNeverHonoured() async {
        await propertyCheck(count: 500, input: Self.numbers) { r in
            let s = Self.scenario(r, lateMarksOnly: true, noFolderOptOut: true)
            let d = decide(s)
            #expect(d.optOut == nil)
            #expect(d.action != .purgeOptout)
            for m in s.marks {
                #expect(throws: OptOutRefusal.self) {
                    try OptOutMark.validate(mailbox: s.copy.mailbox, messageInstant: s.copy.messageInstant,
                                            captureInstant: s.copy.captureInstant, markedAt: m.markedAt,
                                            policy: World.policy, registers: World.index)
                }
            }
        }
    }

    @Test("the window closes when Foundation's Amsterdam calendar says 70 days later")
    func windowMatchesFoundation() async {
        await propertyCheck(count: 1000, input: Gen.int64(in: 347_155_200...2_100_000_000)) { t in
            let opens = Instant(secondsSinceEpoch: t)
            let w = OptOutWindow(messageInstant: opens, captureInstant: opens, length: ISODuration(weeks: 10))
            let hour = AmsterdamTime.local(opens).secondOfDay / 3600
            guard hour != 2 else { return }  // 02:xx may fall in a skipped or repeated hour 70 days on
            #expect(w.closesAt == Self.foundationClose(opens), "opened \(opens.iso)")
            #expect(AmsterdamTime.date(of: opens) == Self.foundationDate(opens))
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenChat
import SluitsteenPolicy
import Testing

/// A conversation follows what it was taken in for: a designated hotspot keeps it (B), a proposed one or a running Woo
/// request holds it, and outside those no rule covers chat (never destroyed automatically).
@Suite struct ChatRetentionTests {
    let policy: Policy

    init() throws { policy = try Policy.krimpenerwaard }
    static let asOf = CivilDate(iso: "2026-12-01")!

    static func conversation(hotspot: String? = nil, hold: String? = nil, last: String = "2024-03-31T01:06:00Z") -> ChatConversationRecord {
        let epoch = Instant(iso: last)!.secondsSinceEpoch
        return ChatConversationRecord(id: 1, format: .whatsAppAndroid, title: "Dijkteam", sourceFile: "x.txt", exportSHA256: "ab",
                                      exportSize: 1,
                                      dateOrder: .dmy, hotspotId: hotspot, hotspotName: hotspot.map { _ in "Dijkdoorbraak" }, wooHoldId: hold,
                                      zaaknummer: hold.map { _ in "Z-1" }, handedOverBy: "P0010", handedOverByName: "Dora de Wit",
                                      capturedAt: "2026-12-01T10:00:00Z", capturedEpoch: 1_796_119_200, firstTime: nil, firstEpoch: nil,
                                      lastTime: nil, lastEpoch: epoch, messageCount: 3)
    }

    static func hotspot(_ status: HotspotStatus) -> Hotspot {
        Hotspot(id: "H1", name: "Dijkdoorbraak", status: status, criteria: MatchCriteria(terms: ["dijk"]), decisionRef: "B-2024-7")
    }

    @Test func designatedHotspotKeepsPermanently() {
        let d = ChatRetention.decide(Self.conversation(hotspot: "H1"), policy: policy, hotspots: [Self.hotspot(.designated)], holds: [],
                                     asOfDate: Self.asOf)
        // The last message (03:06 Amsterdam on 31 March 2024) plus the policy's hotspot term.
        let due = CivilDate(iso: "2024-03-31")!.adding(policy.hotspotTransferAfter)
        #expect(d.action == .retainPermanent && d.waardering == .bewaren && d.dueDate == due)
        #expect(d.rules == [.hotspot(name: "Dijkdoorbraak")])
        let text = d.explanation(.dutch).joined(separator: "\n")
        #expect(text.contains("aangewezen hotspot Dijkdoorbraak (besluit B-2024-7): bewaren (B)"))
        #expect(text.contains("dus op \(due.iso)"))
        // Once the term has passed, the transfer is due.
        let later = ChatRetention.decide(Self.conversation(hotspot: "H1"), policy: policy, hotspots: [Self.hotspot(.designated)],
                                         holds: [], asOfDate: due)
        #expect(later.action == .transferDue)
    }

    @Test func proposedHotspotHoldsAndRejectedOneLeavesItUnclassified() {
        let held = ChatRetention.decide(Self.conversation(hotspot: "H1"), policy: policy, hotspots: [Self.hotspot(.proposed)], holds: [],
                                        asOfDate: Self.asOf)
        #expect(held.action == .hold && held.waardering == nil && held.rules == [.hotspot(name: "Dijkdoorbraak")])
        let rejected = ChatRetention.decide(Self.conversation(hotspot: "H1"), policy: policy, hotspots: [Self.hotspot(.rejected)],
                                            holds: [], asOfDate: Self.asOf)
        #expect(rejected.action == .unclassified && rejected.dueDate == nil)
        #expect(rejected.explanation(.english).contains { $0.contains("never destroyed automatically") })
    }

    @Test func wooRequestHoldsUntilReleased() {
        let running = WooHold(id: "W1", zaaknummer: "Z-1", received: CivilDate(iso: "2026-11-20")!, criteria: MatchCriteria())
        let d = ChatRetention.decide(Self.conversation(hold: "W1"), policy: policy, hotspots: [], holds: [running], asOfDate: Self.asOf)
        #expect(d.action == .hold && d.rules == [.wooHold(zaaknummer: "Z-1")])
        #expect(d.explanation(.dutch).contains { $0.contains("Woo-verzoek Z-1 (ontvangen 2026-11-20): vastgehouden") })
        var released = running
        released.released = CivilDate(iso: "2026-11-30")
        released.releaseReason = "besluit onherroepelijk"
        let after = ChatRetention.decide(Self.conversation(hold: "W1"), policy: policy, hotspots: [], holds: [released], asOfDate: Self.asOf)
        #expect(after.action == .unclassified && after.rules == [.wooHold(zaaknummer: "Z-1")])
        #expect(after.explanation(.dutch).contains { $0.contains("vrijgegeven op 2026-11-30 (besluit onherroepelijk)") })
    }
}

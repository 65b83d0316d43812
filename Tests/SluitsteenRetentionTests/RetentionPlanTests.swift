// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
@testable import SluitsteenPolicy
@testable import SluitsteenRetention
import Testing

/// The plan's fast paths (the JSON line written as bytes, the tallies kept in a table) say exactly what the plain
/// forms say: the JSON object of ``RetentionPlan/jsonLine(_:)`` and tallies counted one copy at a time here.
@Suite struct RetentionPlanTests {
    static func copy(_ n: Int, mailbox: String, due: CivilDate?, messageClass: MessageClass, action: RetentionAction,
                     rules: [RuleRef], date: String? = "2024-05-14T10:00:00+02:00") -> DecidedCopy {
        let facts = CopyFacts(copyId: Int64(n), mailbox: mailbox, sha256: String(repeating: "ab", count: 32), size: Int64(100 * n + 7),
                              messageId: "<m\(n)@krimpenerwaard.example>", date: date, dateEpoch: 1_715_673_600, capturedEpoch: 1_715_673_600,
                              folder: "Inbox", state: .present)
        let decision = Decision(messageClass: messageClass, waardering: action == .unclassified ? nil : .bewaren, action: action,
                                dueDate: due, rules: rules, messageDate: CivilDate(dayNumber: 19_857), window: nil, optOut: nil, steps: [])
        return DecidedCopy(copy: facts, decision: decision)
    }

    /// Due dates over the whole range the JSON writes digit by digit (and the years outside it), every kind of rule,
    /// a Message-ID that needs escaping and a copy without date or due date.
    static var copies: [DecidedCopy] {
        let dueDays = [-719_528, -719_162, -400_000, -1, 0, 19_857, 23_000, 2_932_896, 2_932_897, 3_000_000]
        var out: [DecidedCopy] = []
        for (i, day) in dueDays.enumerated() {
            out.append(copy(i, mailbox: "m\(i % 3)@krimpenerwaard.example", due: CivilDate(dayNumber: day),
                            messageClass: MessageClass.allCases[i % MessageClass.allCases.count],
                            action: RetentionAction.allCases[i % RetentionAction.allCases.count],
                            rules: [.window, .base("staff-7y"), .optOut(.private), .hotspot(name: "N210 \"Brug\""), .wooHold(zaaknummer: "Z-1")]))
        }
        var odd = copy(99, mailbox: "info@krimpenerwaard.example", due: nil, messageClass: .unclassified, action: .unclassified,
                       rules: [.unregisteredMailbox], date: nil)
        odd.copy.messageId = "<a\"b\\c\u{1}@x>"
        out.append(odd)
        return out
    }

    @Test func jsonLineBytesMatchTheJSONObject() {
        for d in Self.copies {
            var bytes: [UInt8] = []
            RetentionPlan.appendJSONLine(d, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == RetentionPlan.jsonLine(d) + "\n")
        }
    }

    @Test func dueDatesAreWrittenAsTheirISOText() {
        for day in [-719_528, -1, 0, 1, 19_857, 2_932_896, 2_932_897] {
            let date = CivilDate(dayNumber: day)
            var bytes: [UInt8] = []
            RetentionPlan.appendISODate(date, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "\"" + date.iso + "\"")
        }
    }

    @Test func talliesCountEveryCopyOnce() {
        let asOf = CivilDate(year: 2030, month: 1, day: 1)!
        var plan = RetentionPlan(asOf: asOf, policySource: "test")
        var expected: [RetentionPlan.Key: RetentionPlan.Tally] = [:]
        var perMailbox: [String: Int] = [:]
        for round in 0..<3 {
            for d in Self.copies.dropFirst(round) {
                plan.add(d)
                let key = RetentionPlan.Key(messageClass: d.decision.messageClass.rawValue, action: d.decision.action.rawValue)
                expected[key, default: .init()].count += 1
                expected[key, default: .init()].bytes += d.copy.size
                perMailbox[d.copy.mailbox, default: 0] += 1
            }
        }
        #expect(plan.byClassAndAction == expected)
        #expect(plan.total.count == expected.values.reduce(0) { $0 + $1.count })
        #expect(plan.byMailbox.mapValues(\.total.count) == perMailbox)
        let held = expected.filter { $0.key.action == RetentionAction.hold.rawValue }.values.reduce(0) { $0 + $1.count }
        #expect(plan.held.count == held)
    }

    /// The table the plan looks each copy's text hits up in gives what the dictionary it is made of gives: for found
    /// and absent SHA-256s, texts of other lengths, and keys whose first bytes (and length) are the same.
    @Test func textHitTableAnswersAsItsDictionary() {
        let hex = Array("0123456789abcdef")
        var hits: [String: Set<TextHitKey>] = [:]
        var asked: [String] = ["", "0", "01234567", "0123456", "é", String(repeating: "0", count: 64)]
        for i in 0..<500 {
            let sha = String((0..<64).map { hex[($0 &* 7 &+ i &* 13 &+ $0 &* i) % 16] })
            // The same first seven characters and length as `sha`, differing after them.
            let twin = String(sha.prefix(7)) + String(sha.dropFirst(7).reversed())
            asked += [sha, twin, String(sha.prefix(63)), sha + "0"]
            if i % 3 == 0 { hits[sha] = [.hotspot(id: "\(i % 4)")] }
            if i % 5 == 0 { hits[twin] = [.hold(id: "\(i)"), .hotspot(id: "x")] }
            if i % 7 == 0 { hits[sha + "0"] = [] }
        }
        hits["0123456"] = [.hold(id: "short")]
        let table = TextHitTable(hits)
        for sha in asked { #expect(table.keys(of: sha) == (hits[sha] ?? []), "\(sha)") }
        #expect(TextHitTable([:]).isEmpty && TextHitTable([:]).keys(of: "0123456") == [])
        #expect(TextHitTable.prefix(asked[6]) == TextHitTable.prefix(asked[7]))  // a sha and its twin share the integer
    }
}

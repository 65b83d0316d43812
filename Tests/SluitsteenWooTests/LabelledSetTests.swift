// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenWoo

/// The labelled set under `Labelled/`: realistic Dutch municipal mails and notes written for this test (texts/),
/// with every sensitive item marked (labels.json, made from annotated/ by make_labels.py) and the settings the
/// organisation would give (settings.json). See Labelled/README.md for what is labelled and what is not.
struct LabelledSet {
    struct Label: Decodable, Hashable {
        var file: String
        var start: Int
        var end: Int
        var kind: String
        var text: String
        var group: String?
    }

    struct Settings: Decodable {
        var ownDomains: [String]
        var staff: [String]
        var keyPersons: [String]
        var redactStaffNames: Bool
    }

    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Labelled")

    let texts: [(name: String, text: String)]
    let labels: [Label]
    let settings: RecogniserSettings

    init() throws {
        let dir = LabelledSet.directory
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("texts").path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        texts = try names.map { ($0, try String(contentsOf: dir.appendingPathComponent("texts/\($0)"), encoding: .utf8)) }
        labels = try JSONDecoder().decode([Label].self, from: Data(contentsOf: dir.appendingPathComponent("labels.json")))
        let s = try JSONDecoder().decode(Settings.self, from: Data(contentsOf: dir.appendingPathComponent("settings.json")))
        settings = RecogniserSettings(
            ownDomains: s.ownDomains,
            staff: s.staff.map { StaffMember(name: $0, isKeyPerson: false) }
                + s.keyPersons.map { StaffMember(name: $0, isKeyPerson: true) },
            redactStaffNames: s.redactStaffNames)
    }
}

/// Precision and recall of one kind.
struct Score {
    var labelled = 0
    var suggested = 0
    var exact = 0
    /// Labels whose every scalar lies inside some suggestion (of any kind): what redaction needs.
    var covered = 0

    var precision: Double { suggested == 0 ? 1 : Double(exact) / Double(suggested) }
    var recall: Double { labelled == 0 ? 1 : Double(exact) / Double(labelled) }
    var coverage: Double { labelled == 0 ? 1 : Double(covered) / Double(labelled) }
}

@Suite("The labelled set: precision and recall per kind")
struct LabelledSetTests {
    /// Floors over all texts, set after measuring (the table this test prints): a few points under the figures
    /// measured, so that a change that loses more fails here. Names in running text without a clue (a form of
    /// address, a label, a signature) are not found, hence the lower floor for name recall.
    static let floors: [SuggestionKind: (precision: Double, recall: Double)] = [
        .bsn: (0.95, 0.95), .iban: (0.95, 0.95), .phone: (0.95, 0.95), .email: (0.95, 0.95), .address: (0.95, 0.9),
        .plate: (0.95, 0.95), .kvk: (0.95, 0.9), .birthdate: (0.95, 0.9), .name: (0.95, 0.8),
    ]

    @Test("every label's text is the text at its offsets")
    func labelsAgreeWithTexts() throws {
        let set = try LabelledSet()
        let byName = Dictionary(uniqueKeysWithValues: set.texts.map { ($0.name, Array($0.text.unicodeScalars)) })
        #expect(set.texts.count >= 40)
        for label in set.labels {
            let scalars = try #require(byName[label.file], "labels.json names \(label.file), which is not in texts/")
            #expect(label.start >= 0 && label.start < label.end && label.end <= scalars.count)
            #expect(String(String.UnicodeScalarView(scalars[label.start..<label.end])) == label.text, "\(label.file) \(label.start)")
            #expect(SuggestionKind(rawValue: label.kind) != nil, "unknown kind \(label.kind)")
        }
    }

    /// Scores per kind over the texts `include` selects, and the misses and extras for the details listing.
    static func measure(_ set: LabelledSet, _ recognisers: Recognisers, include: (String) -> Bool)
        throws -> (scores: [SuggestionKind: Score], nameGroups: [String: (labelled: Int, found: Int)], texts: Int, misses: [String]) {
        var scores: [SuggestionKind: Score] = [:]
        var nameGroups: [String: (labelled: Int, found: Int)] = [:]
        var misses: [String] = []
        var texts = 0
        for (name, text) in set.texts where include(name) {
            texts += 1
            let suggestions = recognisers.suggestions(in: text)
            let labels = set.labels.filter { $0.file == name }
            let suggested = Set(suggestions.map { "\($0.start)-\($0.end)-\($0.kind.rawValue)" })
            let labelled = Set(labels.map { "\($0.start)-\($0.end)-\($0.kind)" })
            for s in suggestions {
                scores[s.kind, default: Score()].suggested += 1
                if labelled.contains("\(s.start)-\(s.end)-\(s.kind.rawValue)") {
                    scores[s.kind, default: Score()].exact += 1
                } else {
                    misses.append("extra   \(name) \(s.kind.rawValue) \(s.start)-\(s.end) \(s.text.debugDescription)")
                }
            }
            for l in labels {
                let kind = try #require(SuggestionKind(rawValue: l.kind))
                scores[kind, default: Score()].labelled += 1
                if suggestions.contains(where: { $0.start <= l.start && $0.end >= l.end }) { scores[kind, default: Score()].covered += 1 }
                let found = suggested.contains("\(l.start)-\(l.end)-\(l.kind)")
                if let group = l.group {
                    nameGroups[group, default: (0, 0)].labelled += 1
                    if found { nameGroups[group]!.found += 1 }
                }
                if !found { misses.append("missed  \(name) \(l.kind) \(l.start)-\(l.end) \(l.text.debugDescription)") }
            }
        }
        return (scores, nameGroups, texts, misses)
    }

    /// Files `h01`… were written after the recognisers were built on the others: reported apart, as a check (see
    /// Labelled/README.md for what was changed after each held-out batch was first measured).
    static func isHeldOut(_ name: String) -> Bool { name.hasPrefix("h") }

    @Test("precision and recall per kind are at or above their floors")
    func precisionAndRecall() throws {
        let set = try LabelledSet()
        let recognisers = try Recognisers(settings: set.settings)
        let all = try LabelledSetTests.measure(set, recognisers) { _ in true }
        let tuned = try LabelledSetTests.measure(set, recognisers) { !LabelledSetTests.isHeldOut($0) }
        let heldOut = try LabelledSetTests.measure(set, recognisers, include: LabelledSetTests.isHeldOut)
        print("All texts:\n" + LabelledSetTests.table(all.scores, nameGroups: all.nameGroups, texts: all.texts))
        print("Written while tuning (01–64):\n" + LabelledSetTests.table(tuned.scores, nameGroups: tuned.nameGroups, texts: tuned.texts))
        print("Held out (h01–):\n" + LabelledSetTests.table(heldOut.scores, nameGroups: heldOut.nameGroups, texts: heldOut.texts))
        if ProcessInfo.processInfo.environment["SLUITSTEEN_WOO_DETAILS"] != nil { print(all.misses.sorted().joined(separator: "\n")) }
        for kind in SuggestionKind.allCases {
            let score = all.scores[kind] ?? Score()
            let floor = try #require(LabelledSetTests.floors[kind])
            #expect(score.labelled >= 5, "too few \(kind.rawValue) labels to measure")
            #expect(score.precision >= floor.precision, "\(kind.rawValue) precision \(score.precision)")
            #expect(score.recall >= floor.recall, "\(kind.rawValue) recall \(score.recall)")
        }
    }

    static func table(_ scores: [SuggestionKind: Score], nameGroups: [String: (labelled: Int, found: Int)], texts: Int) -> String {
        func pct(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }
        var lines = ["\(texts) texts. Exact = same start, end and kind; covered = inside any suggestion.",
                     "kind       labels  suggested  exact  precision  recall  covered"]
        var total = Score()
        for kind in SuggestionKind.allCases {
            let s = scores[kind] ?? Score()
            total.labelled += s.labelled; total.suggested += s.suggested; total.exact += s.exact; total.covered += s.covered
            lines.append(kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: " %6d  %9d  %5d", s.labelled, s.suggested, s.exact)
                + "     \(pct(s.precision))  \(pct(s.recall))  \(pct(s.coverage))")
        }
        lines.append("all       " + String(format: " %6d  %9d  %5d", total.labelled, total.suggested, total.exact)
            + "     \(pct(total.precision))  \(pct(total.recall))  \(pct(total.coverage))")
        for (group, g) in nameGroups.sorted(by: { $0.key < $1.key }) {
            lines.append("name recall, \(group): \(g.found)/\(g.labelled) = \(pct(Double(g.found) / Double(max(1, g.labelled))))")
        }
        return lines.joined(separator: "\n")
    }
}

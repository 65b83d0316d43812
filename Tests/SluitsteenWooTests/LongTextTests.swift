// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenWoo

/// Long input: the recognisers look only a bounded distance around each token, so 5 MB of text — in lines or as
/// one line without a break — is one pass. No timing assertion: the elapsed time is printed for the record.
@Suite("Long texts")
struct LongTextTests {
    /// The labelled texts, repeated until the whole is at least `bytes` long.
    static func repeated(_ texts: [String], bytes: Int, separator: String) -> (text: String, copies: Int) {
        let round = texts.joined(separator: separator) + separator
        let copies = bytes / round.utf8.count + 1
        return (String(repeating: round, count: copies), copies)
    }

    @Test("5 MB of mail: every copy gets the same suggestions, in order, without overlaps")
    func fiveMegabytes() throws {
        let set = try LabelledSet()
        let recognisers = try Recognisers(settings: set.settings)
        let separator = "\n\n\n"
        let one = set.texts.map(\.text).joined(separator: separator) + separator
        let perRound = recognisers.suggestions(in: one)
        let (text, copies) = LongTextTests.repeated(set.texts.map(\.text), bytes: 5_000_000, separator: separator)
        let clock = ContinuousClock()
        var all: [Suggestion] = []
        let elapsed = clock.measure { all = recognisers.suggestions(in: text) }
        print("woo suggest on \(text.utf8.count) bytes (\(copies) copies of the labelled set): \(all.count) suggestions in \(elapsed)")
        #expect(all.count == perRound.count * copies)
        let roundLength = one.unicodeScalars.count
        #expect(all.prefix(perRound.count).map(\.start) == perRound.map(\.start))
        #expect(all.suffix(perRound.count).map { $0.start - (copies - 1) * roundLength } == perRound.map(\.start))
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.end <= $1.start })
    }

    @Test("1 MB on one line, and pathological repetitions (200 KB each), finish and give well-formed spans")
    func oneLine() throws {
        let set = try LabelledSet()
        let recognisers = try Recognisers(settings: set.settings)
        let flat = set.texts.map { $0.text.replacingOccurrences(of: "\n", with: " ") }
        let inputs = [
            LongTextTests.repeated(flat, bytes: 1_000_000, separator: " ").text,
            String(repeating: "Naam: Jan (", count: 20_000),
            String(repeating: "06-", count: 100_000),
            String(repeating: "a.", count: 100_000) + "@" + String(repeating: "b.", count: 100_000) + "nl",
            String(repeating: "1234 AB ", count: 30_000),
            String(repeating: "de heer ", count: 30_000),
        ]
        let clock = ContinuousClock()
        for text in inputs {
            var all: [Suggestion] = []
            let elapsed = clock.measure { all = recognisers.suggestions(in: text) }
            print("woo suggest on \(text.utf8.count) bytes in one line: \(all.count) suggestions in \(elapsed)")
            let count = text.unicodeScalars.count
            #expect(all.allSatisfy { $0.start >= 0 && $0.start < $0.end && $0.end <= count })
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.end <= $1.start })
        }
    }
}

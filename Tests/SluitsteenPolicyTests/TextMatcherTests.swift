// SPDX-License-Identifier: EUPL-1.2
import Testing
@testable import SluitsteenPolicy

@Suite("TextMatcher: terms and zaak numbers in message text")
struct TextMatcherTests {
    @Test("normalize folds case and accents")
    func normalize() {
        #expect(TextMatcher.normalize("Privé") == "prive")
        #expect(TextMatcher.normalize("PRIVÉ") == "prive")
        #expect(TextMatcher.normalize("Coördinator Zoë") == "coordinator zoe")
        #expect(TextMatcher.normalize("Inbox") == "inbox")
    }

    @Test("whole words, case- and accent-insensitive, phrases", arguments: [
        ("windmolens", "De WINDMOLENS bij Lopik", true),
        ("windmolens", "windmolenspark", false),                       // whole words only
        ("windmolen", "de windmolens", false),
        ("café", "Overleg in het Cafe de Zwaan", true),                 // accent-insensitive both ways
        ("cafe", "Overleg in het Café de Zwaan", true),
        ("stikstof crisis", "over de stikstof-crisis van 2019", true),  // phrase across punctuation
        ("stikstof crisis", "crisis rond stikstof", false),             // order matters
        ("Z-2024-00123", "Betreft zaak z 2024 00123, graag reactie", true),
        ("Z-2024-00123", "Betreft zaak Z-2024-001234", false),
        ("Z-2024-00123", "zaak Z-2024-00123.", true),
    ])
    func matching(term: String, text: String, expected: Bool) {
        #expect(TextMatcher(terms: [term]).matches(text) == expected)
    }

    @Test("matched terms are reported as given")
    func matchedTerms() {
        let m = TextMatcher(terms: ["Lopik", "N210", "brug"])
        #expect(m.matchedTerms(in: "Afsluiting N210 bij Lopik") == ["Lopik", "N210"])
        #expect(TextMatcher(terms: ["--"]).phrases.isEmpty)
        #expect(!TextMatcher(terms: []).matches("anything"))
    }

    @Test("TextHits finds the hotspots and holds whose terms or zaak numbers occur")
    func textHits() {
        let hs = Hotspot(id: "7", name: "windpark", status: .designated, criteria: MatchCriteria(terms: ["windpark"]))
        let other = Hotspot(id: "8", name: "brug", status: .designated, criteria: MatchCriteria(addresses: ["a@b.nl"]))
        let hold = WooHold(id: "3", zaaknummer: "W-1", received: World.d("2025-01-01"),
                           criteria: MatchCriteria(zaakNumbers: ["Z-2025-17"]))
        let hits = TextHits.find(subject: "Re: Windpark", body: "zie zaak Z-2025-17", hotspots: [hs, other], holds: [hold])
        #expect(hits == [.hotspot(id: "7"), .hold(id: "3")])
        // a phrase does not run across subject and body
        let split = TextHits.find(subject: "stikstof", body: "crisis", hotspots: [
            Hotspot(id: "9", name: "s", status: .designated, criteria: MatchCriteria(terms: ["stikstof crisis"]))], holds: [])
        #expect(split.isEmpty)
    }

    /// The words as the character properties give them, scalar by scalar (what `words(in:)` did for every scalar
    /// before it read ASCII without the look-up).
    static func wordsByProperties(_ text: String) -> [String] {
        var out: [String] = [], current = String.UnicodeScalarView()
        for scalar in TextMatcher.normalize(text).unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .privateUse {
                current.append(scalar)
            } else if p.generalCategory == .nonspacingMark {
                continue
            } else if !current.isEmpty {
                out.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    @Test("every ASCII character splits or joins words as its properties say, in ASCII and in accented text")
    func asciiWithoutThePropertyLookUp() {
        for v in 0..<128 {
            let c = String(UnicodeScalar(UInt8(v)))
            for text in ["ab\(c)cd x\(c)", "Privé\(c)café \(c)één", "\(c)", "Zoë\(c)\(c)9"] {
                #expect(TextMatcher.words(in: text) == Self.wordsByProperties(text), "character \(v) in \(text.debugDescription)")
            }
        }
        let mixed = "De N210 Brug-Krimpen: coördinatie (Z-2024-0815), privé_café \u{E000}x ﬁ Ĳssel 12½ a\u{301}b"
        #expect(TextMatcher.words(in: mixed) == Self.wordsByProperties(mixed))
    }
}

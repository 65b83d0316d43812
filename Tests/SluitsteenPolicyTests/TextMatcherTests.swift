// SPDX-License-Identifier: EUPL-1.2
import Testing
@testable import SluitsteenPolicy
import SluitsteenTestSupport

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

    /// Folding changes an ASCII character between two accented ones only by lowercasing it: what the plain ASCII
    /// check (`matchesASCII`) rests on.
    @Test("folding lowercases ASCII next to accents and does nothing else to it")
    func foldingLeavesASCII() {
        for v in 0..<128 {
            let c = Character(UnicodeScalar(UInt8(v)))
            let lower = String(c).lowercased()
            #expect(TextMatcher.normalize("é\(c)é") == "e\(lower)e", "character \(v)")
            #expect(TextMatcher.normalize("Zoë \(c)\(c)x") == "zoe \(lower)\(lower)x", "character \(v)")
        }
    }

    /// Pieces of text around the terms: ASCII words and separators, accents precomposed and combining, a combining
    /// mark that folds to a letter (U+0345), a prepended mark (U+0600), a joiner, a full-width letter, the Kelvin sign,
    /// a ligature, the dotted capital I, CR LF, NUL, digits.
    static let pieces = ["Brug Krimpen", "brug krimpen", "brug", "Brug", "BRUG", "krimpen", "Krimpen", "krimpenx", "xbrug", "N210",
                         "z", "2024", "00123",
                         "Z-2024-00123", "café", "Brügge", "ﬁets", " ", "  ", "-", ", ", ".", "_", "\n", "\r\n", "\t",
                         "\u{0}", "\"", "\u{301}", "\u{345}", "\u{600}", "\u{200D}", "\u{FF22}rug", "\u{212A}rimpen",
                         "İ", "é", "ß", "Ĳssel", "12½", "ë", "×", "ɐ", "\u{AD}", "\u{A0}", "\u{1100}", "\u{1F1F3}\u{1F1F1}",
                         "\u{E000}", "😀", "a\u{301}", "o\u{308}"]

    /// The plain ASCII check says yes only where the folded words do, and `matches` says what the folded words say:
    /// over random texts of the pieces above, for ASCII terms, phrases, zaak numbers and a term with an accent.
    @Test("the plain ASCII check never says yes where the folded words say no", arguments: 0..<4)
    func plainASCIICheckAgreesWithTheFoldedWords(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let matchers = [TextMatcher(terms: ["Brug Krimpen"]), TextMatcher(terms: ["krimpen"]), TextMatcher(terms: ["brug"]),
                        TextMatcher(terms: ["Z-2024-00123"]), TextMatcher(terms: ["café", "N210 brug"]),
                        TextMatcher(terms: ["Ĳssel"]), TextMatcher(terms: ["rug krimpen"])]
        var plain = 0, folded = 0
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...10, using: &random) { text += Self.pieces.randomElement(using: &random)! }
            for m in matchers {
                let byWords = m.matches(words: TextMatcher.words(in: text))
                if m.matchesASCII(text) {
                    plain += 1
                    #expect(byWords, "\(m.terms) in \(text.debugDescription)")
                }
                if byWords { folded += 1 }
                #expect(m.matches(text) == byWords, "\(m.terms) in \(text.debugDescription)")
            }
        }
        // Both ways occur: the plain check is taken, and texts it cannot settle are folded.
        #expect(plain > 100 && folded > plain, "\(plain) plain, \(folded) by the folded words")
    }

    @Test("the plain ASCII check at the edges of a stretch of ASCII", arguments: [
        ("Re: de N210 Brug Krimpen\nCafé", true),
        ("Brug Krimpen", true),
        ("brug--krimpen.", true),
        ("Café brug krimpen café", true),      // a Latin letter beyond the separators
        ("ɐ.brug krimpen:ĳ", true),
        ("Zoë\u{301} brug krimpen", false),    // a combining mark beyond the separator
        ("é\u{600} brug krimpen", false),     // a prepended mark beyond the separator
        ("½ brug krimpen", false),             // U+00BD: not a Latin letter
        ("brug krimpen \u{345}", false),      // a combining mark two places after
        ("brug krimpen\u{301}", false),       // a combining mark right after
        ("\u{301}brug krimpen", false),
        ("brug krimpenx", false),
        ("brug\u{A0}krimpen", false),          // a no-break space: not ASCII
        ("xbrug krimpen", false),
    ])
    func plainASCIIEdges(text: String, plain: Bool) {
        let m = TextMatcher(terms: ["Brug Krimpen"])
        #expect(m.matchesASCII(text) == plain)
        #expect(!plain || m.matches(words: TextMatcher.words(in: text)))
    }
}

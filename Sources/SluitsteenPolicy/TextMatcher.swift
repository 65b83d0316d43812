// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Finds hotspot and hold terms (and zaak numbers) in message text: case- and accent-insensitive, whole words,
/// multi-word terms as phrases.
///
/// Text is folded with `normalize(_:)` and split into words at every character that is not a letter or digit —
/// the same way SQLite FTS5's `unicode61` tokenizer with `remove_diacritics 2` splits and folds, so that an FTS5
/// phrase query on the folded tokens and this matcher agree. A zaak number such as `Z-2024-00123` is matched as the
/// phrase `z 2024 00123`.
public struct TextMatcher: Sendable, Equatable {
    /// The terms as given.
    public let terms: [String]
    /// Each term as folded words (terms with no letters or digits are dropped).
    public let phrases: [[String]]
    /// The phrases whose words are all ASCII, as bytes: what ``matchesASCII(_:)`` looks for in a text as it is.
    let asciiPhrases: [[[UInt8]]]

    public init(terms: [String]) {
        self.terms = terms
        self.phrases = terms.map { TextMatcher.words(in: $0) }.filter { !$0.isEmpty }
        self.asciiPhrases = phrases.filter { $0.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } }.map { $0.map { Array($0.utf8) } }
    }

    /// Folds case and accents: lowercase, diacritics removed (`Privé` → `prive`, `Ĳssel` keeps its letters).
    public static func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 128 }) {
            // Fast path for ASCII.
            var bytes = Array(text.utf8)
            for i in bytes.indices where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] += 32 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    /// The folded words of `text`, split at every character that is not a letter or digit.
    public static func words(in text: String) -> [String] {
        let folded = normalize(text)
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            // ASCII without a look-up of the character's properties (the confirming of a plan's text hits spends its
            // time here): only letters and digits are alphabetic or numeric there, none is a private-use character
            // or a mark, so a scalar below 128 is part of a word exactly when the look-up below would say so.
            if scalar.value < 128 {
                let v = scalar.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) {
                    current.append(scalar)
                } else if !current.isEmpty {
                    out.append(String(current))
                    current = String.UnicodeScalarView()
                }
                continue
            }
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .privateUse {
                current.append(scalar)
            } else if p.generalCategory == .nonspacingMark {
                continue  // a combining accent left over: part of the word, dropped
            } else if !current.isEmpty {
                out.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// True when at least one term occurs in `text` as a whole word or phrase.
    public func matches(_ text: String) -> Bool {
        guard !phrases.isEmpty else { return false }
        // Most texts the full-text index finds hold a term plainly; folding them whole (Foundation, for any text with
        // one accent) is what confirming them costs.
        if matchesASCII(text) { return true }
        return matches(words: TextMatcher.words(in: text))
    }

    /// True when an ASCII phrase occurs in `text` as it is, in a stretch that folding cannot change: its words (any
    /// case) joined by ASCII characters that are no letter or digit, and at each end the start or end of the text, or
    /// such a character with beyond it the start or end of the text, an ASCII character or a Latin letter from U+00C0
    /// to U+027F (`é`, `ë`, `ĳ`: two bytes in UTF-8, the first from 0xC3 to 0xC9).
    ///
    /// It only ever says yes when ``matches(words:)`` on the folded words says yes (false means: fold and look). Each
    /// character of the stretch is a grapheme cluster of its own: none of them, nor such a Latin letter, is a
    /// combining or prepended mark that joins its neighbour (CR LF aside: two characters that are no letter or
    /// digit). Folding changes such a cluster only by lowercasing it, so the stretch comes out of `normalize(_:)` as
    /// the phrase's words between characters at which `words(in:)` splits. Any other character next to the stretch
    /// (a combining mark attaches to the character before it, a prepended one to the character after it) is not
    /// looked at: then the folded words decide.
    func matchesASCII(_ text: String) -> Bool {
        guard !asciiPhrases.isEmpty else { return false }
        var text = text
        return text.withUTF8 { bytes in
            for phrase in asciiPhrases where Self.containsASCII(bytes, phrase) { return true }
            return false
        }
    }

    @inline(__always)
    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    /// An ASCII character that is no letter or digit.
    @inline(__always)
    private static func isSeparatorByte(_ b: UInt8) -> Bool { b < 0x80 && !isWordByte(b) }

    /// The character that ends before byte `j` is the start of the text, ASCII, or a Latin letter U+00C0–U+027F.
    @inline(__always)
    private static func plainBefore(_ bytes: UnsafeBufferPointer<UInt8>, _ j: Int) -> Bool {
        j == 0 || bytes[j - 1] < 0x80 || (j >= 2 && bytes[j - 1] < 0xC0 && bytes[j - 2] >= 0xC3 && bytes[j - 2] <= 0xC9)
    }

    /// The character that starts at byte `j` is the end of the text, ASCII, or a Latin letter U+00C0–U+027F.
    @inline(__always)
    private static func plainAfter(_ bytes: UnsafeBufferPointer<UInt8>, _ j: Int) -> Bool {
        j == bytes.count || bytes[j] < 0x80 || (bytes[j] >= 0xC3 && bytes[j] <= 0xC9)
    }

    /// `word` (folded: lowercase ASCII letters and digits) at `at` in `bytes`, in any case.
    @inline(__always)
    private static func word(_ word: [UInt8], at: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard at + word.count <= bytes.count else { return false }
        for k in word.indices {
            var b = bytes[at + k]
            if b >= 0x41 && b <= 0x5A { b += 32 }
            if b != word[k] { return false }
        }
        return true
    }

    static func containsASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ phrase: [[UInt8]]) -> Bool {
        guard let first = phrase.first, let lead = first.first else { return false }
        let leadUpper = lead >= 0x61 && lead <= 0x7A ? lead - 32 : lead
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            guard b == lead || b == leadUpper else { i += 1; continue }
            // The start: the text's, or a separator with a plain character (or the text's start) before it.
            let startOK = i == 0 || (isSeparatorByte(bytes[i - 1]) && plainBefore(bytes, i - 1))
            guard startOK else { i += 1; continue }
            var at = i
            var found = true
            for (k, w) in phrase.enumerated() {
                if k > 0 {
                    // At least one separator between two words.
                    let gap = at
                    while at < n && isSeparatorByte(bytes[at]) { at += 1 }
                    if at == gap { found = false; break }
                }
                guard word(w, at: at, in: bytes) else { found = false; break }
                at += w.count
            }
            // The end: the text's, or a separator with a plain character (or the text's end) after it.
            if found && (at == n || (isSeparatorByte(bytes[at]) && plainAfter(bytes, at + 1))) { return true }
            i += 1
        }
        return false
    }

    /// True when at least one term occurs in already split words (`TextMatcher.words(in:)`).
    public func matches(words: [String]) -> Bool {
        for phrase in phrases where TextMatcher.contains(words, phrase) { return true }
        return false
    }

    /// The terms (as given) that occur in `text`.
    public func matchedTerms(in text: String) -> [String] {
        let words = TextMatcher.words(in: text)
        var out: [String] = []
        for term in terms {
            let phrase = TextMatcher.words(in: term)
            if !phrase.isEmpty, TextMatcher.contains(words, phrase) { out.append(term) }
        }
        return out
    }

    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard phrase.count <= words.count else { return false }
        var i = 0
        while i + phrase.count <= words.count {
            if words[i] == phrase[0] {
                var j = 1
                while j < phrase.count, words[i + j] == phrase[j] { j += 1 }
                if j == phrase.count { return true }
            }
            i += 1
        }
        return false
    }
}

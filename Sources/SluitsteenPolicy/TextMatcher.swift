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

    public init(terms: [String]) {
        self.terms = terms
        self.phrases = terms.map { TextMatcher.words(in: $0) }.filter { !$0.isEmpty }
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
        return matches(words: TextMatcher.words(in: text))
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

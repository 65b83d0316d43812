// SPDX-License-Identifier: EUPL-1.2

/// The text as an array of Unicode scalar values, with the character tests the recognisers share. Offsets are
/// scalar offsets; reading outside the text gives 0, so a recogniser can look one or two places past either end
/// without checking.
struct ScalarText {
    let v: [UInt32]
    var count: Int { v.count }

    init(_ text: String) {
        var v: [UInt32] = []
        v.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { v.append(scalar.value) }
        self.v = v
    }

    @inline(__always) subscript(_ i: Int) -> UInt32 { i >= 0 && i < v.count ? v[i] : 0 }

    /// The text of a span.
    func string(_ start: Int, _ end: Int) -> String {
        var s = String.UnicodeScalarView()
        for i in start..<end { if let u = Unicode.Scalar(v[i]) { s.append(u) } }
        return String(s)
    }

    /// The span in lowercase.
    func lowercased(_ start: Int, _ end: Int) -> String {
        var out = String.UnicodeScalarView()
        for i in max(0, start)..<min(end, count) { if let u = Unicode.Scalar(ScalarText.lower(v[i])) { out.append(u) } }
        return String(out)
    }

    /// The span in lowercase with every run of non-letters turned into one space (for keyword tests).
    func folded(_ start: Int, _ end: Int) -> String {
        var out = String.UnicodeScalarView()
        var lastSpace = true
        for i in max(0, start)..<min(end, count) {
            if isLetter(i) {
                out.append(Unicode.Scalar(ScalarText.lower(v[i]))!)
                lastSpace = false
            } else if !lastSpace {
                out.append(" ")
                lastSpace = true
            }
        }
        return String(out)
    }

    // MARK: Character classes

    @inline(__always) func isDigit(_ i: Int) -> Bool { let c = self[i]; return c >= 0x30 && c <= 0x39 }
    @inline(__always) func digit(_ i: Int) -> Int { Int(self[i]) - 0x30 }
    @inline(__always) func isUpper(_ i: Int) -> Bool { ScalarText.isUpper(self[i]) }
    @inline(__always) func isLower(_ i: Int) -> Bool { ScalarText.isLower(self[i]) }
    @inline(__always) func isASCIILetter(_ i: Int) -> Bool { let c = self[i] | 0x20; return c >= 0x61 && c <= 0x7A }
    func isLetter(_ i: Int) -> Bool { ScalarText.isLetter(self[i]) }
    @inline(__always) func isAlnum(_ i: Int) -> Bool { isDigit(i) || isLetter(i) }
    /// Space, tab, no-break space, narrow no-break space.
    @inline(__always) func isBlank(_ i: Int) -> Bool { let c = self[i]; return c == 0x20 || c == 0x09 || c == 0xA0 || c == 0x202F }
    @inline(__always) func isLineBreak(_ i: Int) -> Bool { let c = self[i]; return c == 0x0A || c == 0x0D }
    @inline(__always) func `is`(_ i: Int, _ c: Character) -> Bool { self[i] == c.unicodeScalars.first!.value }

    static func isUpper(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A }
        return Unicode.Scalar(c)?.properties.isUppercase ?? false
    }

    static func isLower(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x61 && c <= 0x7A }
        return Unicode.Scalar(c)?.properties.isLowercase ?? false
    }

    static func isLetter(_ c: UInt32) -> Bool {
        if c < 0x80 { let l = c | 0x20; return l >= 0x61 && l <= 0x7A }
        guard c >= 0xC0, let u = Unicode.Scalar(c) else { return false }
        return u.properties.isAlphabetic
    }

    /// Lowercase of one scalar (ASCII fast; otherwise the first scalar of the Unicode lowercase mapping).
    static func lower(_ c: UInt32) -> UInt32 {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        guard let u = Unicode.Scalar(c) else { return c }
        return u.properties.lowercaseMapping.unicodeScalars.first?.value ?? c
    }

    // MARK: Word hashes

    /// FNV-1a of the lowercase letters of a span, to look words up without making strings.
    func hash(_ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in start..<end { h = (h ^ UInt64(ScalarText.lower(v[i]))) &* 0x100_0000_01b3 }
        return h
    }

    /// The same hash of the leading letters of a word (`jan-willem` → `jan`, `j.` → `j`).
    static func hash(_ word: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for u in word.unicodeScalars {
            guard isLetter(u.value) else { break }
            h = (h ^ UInt64(lower(u.value))) &* 0x100_0000_01b3
        }
        return h
    }

    // MARK: Token edges

    /// Characters that join two alphanumeric runs into one token (`Z-2024-0815`, `12.500`, `12,50`, `a/b`, `x@y`).
    @inline(__always) func isJoiner(_ i: Int) -> Bool {
        switch self[i] {
        case 0x2D, 0x2E, 0x2F, 0x5F, 0x40, 0x2C, 0x2010, 0x2011, 0x2013: return true  // - . / _ @ , hyphens, en dash
        default: return false
        }
    }

    /// A span may start at `i`: no letter or digit before it, nor one joined to it (`Z-2024`, `12.345`).
    func startsToken(_ i: Int) -> Bool {
        if isAlnum(i - 1) { return false }
        if isJoiner(i - 1), isAlnum(i - 2) { return false }
        return true
    }

    /// A span may end before `end`: no letter or digit after it, nor one joined to it.
    func endsToken(_ end: Int) -> Bool {
        if isAlnum(end) { return false }
        if isJoiner(end), isAlnum(end + 1) { return false }
        return true
    }

    /// The end of the run of digits starting at `i` (== `i` when there is none).
    func digitRun(_ i: Int) -> Int {
        var j = i
        while isDigit(j) { j += 1 }
        return j
    }

    /// The end of the run of letters starting at `i`.
    func letterRun(_ i: Int) -> Int {
        var j = i
        while isLetter(j) { j += 1 }
        return j
    }

    /// Whether the ASCII text `word` occurs at `i`, compared case-insensitively.
    func matchesFolded(_ word: String, at i: Int) -> Bool {
        var j = i
        for u in word.unicodeScalars {
            guard ScalarText.lower(self[j]) == u.value else { return false }
            j += 1
        }
        return true
    }

    // MARK: Context

    /// The start of the line that holds `i`, or `i - limit` when the line starts further back.
    func lineStart(_ i: Int, limit: Int = 400) -> Int {
        var j = i
        while j > 0, i - j < limit, !isLineBreak(j - 1) { j -= 1 }
        return j
    }

    /// The end of the line that holds `i` (its line break, or the end of the text), or `i + limit` when further on.
    func lineEnd(_ i: Int, limit: Int = 400) -> Int {
        var j = i
        while j < count, j - i < limit, !isLineBreak(j) { j += 1 }
        return j
    }

    /// Whether only blanks stand between the start of the line (or the text) and `i`.
    func startsLine(_ i: Int) -> Bool {
        var j = i - 1
        while isBlank(j) { j -= 1 }
        return j < 0 || isLineBreak(j)
    }

    /// The words (lowercase letters only) on the same line before `i`, nearest first, at most `limit` characters
    /// back.
    func wordsBefore(_ i: Int, limit: Int = 40) -> [String] {
        return folded(lineStart(i, limit: limit), i).split(separator: " ").reversed().map(String.init)
    }

    /// The words (lowercase letters only) on the same line after `i`, nearest first, at most `limit` characters on.
    func wordsAfter(_ i: Int, limit: Int = 25) -> [String] {
        return folded(i, lineEnd(i, limit: limit)).split(separator: " ").map(String.init)
    }

    /// Whether the two groups before `i` start an IBAN ("NL26 BNGH 0285 …"): a number there is part of an account
    /// number, also when the IBAN's check digits are wrong.
    func followsIBANStart(_ i: Int) -> Bool {
        var j = i - 1
        guard isBlank(j) else { return false }
        j -= 1
        var n = 0
        while n < 4, self[j] < 0x80, isAlnum(j) { j -= 1; n += 1 }
        guard n == 4, isBlank(j) else { return false }
        j -= 1
        return isDigit(j) && isDigit(j - 1) && isASCIILetter(j - 2) && isASCIILetter(j - 3) && !isAlnum(j - 4)
    }

    /// Whether an amount marker stands right before `i` (€, EUR, euro, ƒ, $, with at most one space between).
    func amountBefore(_ i: Int) -> Bool {
        var j = i - 1
        if isBlank(j) { j -= 1 }
        switch self[j] {
        case 0x20AC, 0x24, 0x192, 0xA3: return true  // € $ ƒ £
        default: break
        }
        let words = wordsBefore(i, limit: 8)
        guard let w = words.first, j >= 0, isLetter(j) else { return false }
        return w == "eur" || w == "euro" || w == "bedrag"
    }

    /// Whether an amount marker stands right after `end` (",-", ",00", "euro", "EUR").
    func amountAfter(_ end: Int) -> Bool {
        if self[end] == 0x2C, self[end + 1] == 0x2D || isDigit(end + 1) { return true }
        if self[end] == 0x2E, self[end + 1] == 0x2D { return true }
        let words = wordsAfter(end, limit: 8)
        guard let w = words.first, isBlank(end) else { return false }
        return w == "euro" || w == "eur"
    }
}

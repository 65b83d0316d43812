// SPDX-License-Identifier: EUPL-1.2

/// Dutch telephone numbers in the notations people use: `06-12345678`, `06 1234 5678`, `06.12.34.56.78`,
/// `+31 6 12345678`, `+31 (0)10 123 45 67`, `0031 6 …`, `(010) 123 45 67`, `010-1234567`, and the service
/// numbers 0800/0900/0906/0909 (4 or 7 digits after the prefix). Short numbers (112, 14 0182) are not numbers of a
/// person and are not suggested. Dates (`01-02-2024 12`), amounts (`€ 0,50`), numbers inside a longer token
/// (`Z-2024-0815`) and numbers labelled as something else (ordernummer, kenmerk, BSN) are rejected.
enum PhoneRecogniser {
    /// The phone number starting at `i` (`+`, `(` or `0` at the start of a token), if there is one.
    static func match(at i: Int, in t: ScalarText) -> Candidate? {
        var j = i
        var international = false
        var areaInParentheses = false
        if t.is(i, "+") {
            guard t.is(i + 1, "3"), t.is(i + 2, "1") else { return nil }
            international = true
            j = i + 3
        } else if t.is(i, "0"), t.is(i + 1, "0"), t.is(i + 2, "3"), t.is(i + 3, "1") {
            international = true
            j = i + 4
        } else if t.is(i, "(") {
            guard t.is(i + 1, "0") else { return nil }
            areaInParentheses = true
        } else if !t.is(i, "0") {
            return nil
        }
        if international {
            j = skipSeparator(j, in: t) ?? j
            if t.is(j, "("), t.is(j + 1, "0"), t.is(j + 2, ")") { j = skipSeparator(j + 3, in: t) ?? j + 3 }
            guard t.isDigit(j), !t.is(j, "0") else { return nil }
        }

        // Digit groups and the separators between them.
        var digits: [Int] = []
        var groups: [(start: Int, end: Int, separatorBefore: UInt32)] = []
        var best: (end: Int, digits: [Int])?
        var separator: UInt32 = 0
        while digits.count < 12 {
            if groups.isEmpty, areaInParentheses {
                let close = t.digitRun(j + 1)
                guard t.is(close, ")"), close - (j + 1) <= 5 else { return nil }
                digits += ((j + 1)..<close).map(t.digit)
                groups.append((j + 1, close, 0))
                guard let next = skipSeparator(close + 1, in: t, allowNone: true) else { return nil }
                j = next
            } else {
                let runEnd = t.digitRun(j)
                guard runEnd > j else { break }
                digits += (j..<runEnd).map(t.digit)
                groups.append((j, runEnd, separator))
                if let national = nationalDigits(digits, international: international), isPlausible(national) {
                    best = (runEnd, national)
                }
                guard let next = skipSeparator(runEnd, in: t), t.isDigit(next) else { break }
                separator = t[runEnd]
                j = next
            }
        }
        guard let (end, national) = best, t.endsToken(end) else { return nil }
        if looksLikeDate(groups, in: t) || t.amountBefore(i) || t.amountAfter(end) || t.followsIBANStart(i) { return nil }
        switch NumberLabel.before(i, in: t) {
        case .other, .bsn, .kvk, .iban: return nil
        case .phone, .none: break
        }
        return Candidate(start: i, end: end, kind: .phone, note: note(national))
    }

    /// The number in national form (leading 0), when the digits so far have the right count for one.
    private static func nationalDigits(_ digits: [Int], international: Bool) -> [Int]? {
        let national = international ? [0] + digits : digits
        guard national.first == 0 else { return nil }
        if isService(national) { return national.count == 8 || national.count == 11 ? national : nil }
        return national.count == 10 ? national : nil
    }

    private static func isService(_ d: [Int]) -> Bool {
        d.count >= 4 && d[0] == 0 && (d[1] == 8 && d[2] == 0 && d[3] == 0 || d[1] == 9 && d[2] == 0 && [0, 6, 9].contains(d[3]))
    }

    /// Whether a national number has a prefix in use: geographic (01–05, 07), mobile (06), 084/085/087/088, or a
    /// service number.
    static func isPlausible(_ d: [Int]) -> Bool {
        if isService(d) { return true }
        guard d.count == 10 else { return false }
        switch d[1] {
        case 1, 2, 3, 4, 5, 7: return true
        case 6: return d[2] != 0
        case 8: return [4, 5, 7, 8].contains(d[2])
        default: return false
        }
    }

    /// After digits at `j`: the position of the next group's first digit when a separator follows (one or two
    /// blanks, `-`, `.`, `/`, an en dash, `)`, or ` - `); nil when none does.
    private static func skipSeparator(_ j: Int, in t: ScalarText, allowNone: Bool = false) -> Int? {
        var k = j
        if t.isBlank(k) { k += 1; if t.isBlank(k) { k += 1 } }
        switch t[k] {
        case 0x2D, 0x2E, 0x2F, 0x2013: k += 1; if t.isBlank(k) { k += 1 }
        default: break
        }
        if k == j { return allowNone ? j : nil }
        return k
    }

    /// `dd-mm-jjjj` (or with `.` or `/`) at the start: a date, not a phone number.
    private static func looksLikeDate(_ groups: [(start: Int, end: Int, separatorBefore: UInt32)], in t: ScalarText) -> Bool {
        guard groups.count >= 3 else { return false }
        let (a, b, c) = (groups[0], groups[1], groups[2])
        guard a.end - a.start <= 2, b.end - b.start <= 2, c.end - c.start == 4,
              b.separatorBefore == c.separatorBefore, [0x2D, 0x2E, 0x2F].contains(b.separatorBefore) else { return false }
        let month = t.digit(b.start) * (b.end - b.start == 2 ? 10 : 1) + (b.end - b.start == 2 ? t.digit(b.start + 1) : 0)
        return month >= 1 && month <= 12
    }

    private static func note(_ d: [Int]) -> String {
        if isService(d) { return "telefoonnummer (servicenummer)" }
        if d[1] == 6 { return "telefoonnummer (mobiel)" }
        return "telefoonnummer"
    }
}

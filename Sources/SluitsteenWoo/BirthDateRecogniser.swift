// SPDX-License-Identifier: EUPL-1.2
import SluitsteenSupport

/// Dates of birth: a date (`12-03-1985`, `3/5/1978`, `12.03.85`, `3 mei 1978`, `12 mrt. 1985`, `1985-03-12`) as the
/// first number after geboren, geboortedatum, geb., born or date of birth, at most three words after it (the next
/// line counts, for a form field). Other dates are not personal data by themselves and are left alone.
enum BirthDateRecogniser {
    /// The date starting at `i` (a digit at the start of a token) when it is a date of birth.
    static func match(at i: Int, in t: ScalarText) -> Candidate? {
        guard let end = date(at: i, in: t), t.endsToken(end), keywordBefore(i, in: t) else { return nil }
        return Candidate(start: i, end: end, kind: .birthdate, note: "geboortedatum")
    }

    static let months: [String: Int] = [
        "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4,
        "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
        "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    ]

    private static let keywords: Set<String> = [
        "geboren", "geboortedatum", "geb", "geboortedag", "geboorte", "born", "birth", "dob", "birthdate", "geboortejaar",
    ]

    /// The end of a date starting at `i`, if one does and it exists in the calendar.
    static func date(at i: Int, in t: ScalarText) -> Int? {
        let first = t.digitRun(i)
        let n = first - i
        func number(_ a: Int, _ b: Int) -> Int { (a..<b).reduce(0) { $0 * 10 + t.digit($1) } }
        if n == 4, t.is(first, "-"), t.digitRun(first + 1) == first + 3, t.is(first + 3, "-"), t.digitRun(first + 4) == first + 6 {
            let end = first + 6
            return valid(day: number(first + 4, end), month: number(first + 1, first + 3), year: number(i, first)) ? end : nil
        }
        guard n == 1 || n == 2 else { return nil }
        let day = number(i, first)
        let sep = t[first]
        if sep == 0x2D || sep == 0x2E || sep == 0x2F {
            let monthEnd = t.digitRun(first + 1)
            guard (1...2).contains(monthEnd - first - 1), t[monthEnd] == sep else { return nil }
            let yearEnd = t.digitRun(monthEnd + 1)
            let yearDigits = yearEnd - monthEnd - 1
            guard yearDigits == 4 || yearDigits == 2 else { return nil }
            var year = number(monthEnd + 1, yearEnd)
            if yearDigits == 2 { year += 1900 }
            return valid(day: day, month: number(first + 1, monthEnd), year: year) ? yearEnd : nil
        }
        guard t.isBlank(first) else { return nil }
        let wordEnd = t.letterRun(first + 1)
        guard wordEnd > first + 1, let month = months[t.lowercased(first + 1, wordEnd)] else { return nil }
        var k = wordEnd
        if t.is(k, ".") { k += 1 }
        guard t.isBlank(k) else { return nil }
        let yearEnd = t.digitRun(k + 1)
        guard yearEnd - (k + 1) == 4 else { return nil }
        return valid(day: day, month: month, year: number(k + 1, yearEnd)) ? yearEnd : nil
    }

    private static func valid(day: Int, month: Int, year: Int) -> Bool {
        (1880...2100).contains(year) && (1...12).contains(month) && day >= 1 && day <= CivilCalendar.daysIn(month: month, year: year)
    }

    /// Whether a birth keyword is one of the four words before `i` ("is geboren in Gouda op"), with no other number
    /// between: at most 40 characters back, across at most one line break.
    static func keywordBefore(_ i: Int, in t: ScalarText) -> Bool {
        var j = i
        var breaks = 0
        while j > 0, i - j < 40 {
            if t.isDigit(j - 1) { break }
            if t.is(j - 1, "\n") {
                breaks += 1
                if breaks > 1 { break }
            }
            j -= 1
        }
        let words = t.folded(j, i).split(separator: " ").suffix(4)
        return words.contains { keywords.contains(String($0)) }
    }
}

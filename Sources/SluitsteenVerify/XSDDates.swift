// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// The XSD date forms MDTO uses (`xs:gYear`, `xs:gYearMonth`, `xs:date`, `xs:dateTime`, `xs:duration`),
/// parsed just far enough for the rules the XSD cannot express (begin ≤ end, start + looptijd = einde).
enum XSDDates {
    /// A calendar day as a day number (days since 0001-01-01, proleptic Gregorian).
    typealias DayNumber = Int

    /// The first and last day covered by a gYear, gYearMonth or date (time zone ignored).
    static func dayRange(_ text: String) -> ClosedRange<DayNumber>? {
        let value = stripZone(text.xmlTrimmed)
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count >= 4, let year = Int(first), year > 0 else { return nil }
        switch parts.count {
        case 1:
            return dayNumber(year, 1, 1)...dayNumber(year, 12, 31)
        case 2:
            guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            return dayNumber(year, month, 1)...dayNumber(year, month, daysIn(year, month))
        case 3:
            guard let day = fullDate(value) else { return nil }
            return day...day
        default:
            return nil
        }
    }

    /// The day of a full `YYYY-MM-DD` (optionally followed by a zone), or nil.
    static func fullDate(_ text: String) -> DayNumber? {
        let value = stripZone(text.xmlTrimmed)
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count >= 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), y > 0, (1...12).contains(m),
            (1...daysIn(y, m)).contains(d)
        else { return nil }
        return dayNumber(y, m, d)
    }

    /// Whether `text` is a complete `xs:dateTime`: date, `T`, hours, minutes, seconds, optional fraction and zone.
    static func isFullDateTime(_ text: String) -> Bool {
        let t = text.xmlTrimmed
        guard let tIndex = t.firstIndex(of: "T") else { return false }
        guard fullDate(String(t[..<tIndex])) != nil else { return false }
        var time = String(t[t.index(after: tIndex)...])
        time = stripZone(time)
        let hms = time.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms[0].count == 2, hms[1].count == 2, let h = Int(hms[0]), let m = Int(hms[1]),
            (0...24).contains(h), (0...59).contains(m)
        else { return false }
        let secParts = hms[2].split(separator: ".", omittingEmptySubsequences: false)
        guard secParts[0].count == 2, let s = Int(secParts[0]), (0...60).contains(s) else { return false }
        if secParts.count == 2 { return !secParts[1].isEmpty && secParts[1].allSatisfy(\.isNumber) }
        return secParts.count == 1
    }

    /// Years, months and days of an `xs:duration` without a time part (or with an all-zero one); nil otherwise.
    static func dateDuration(_ text: String) -> (years: Int, months: Int, days: Int)? {
        var t = Substring(text.xmlTrimmed)
        guard !t.hasPrefix("-"), t.hasPrefix("P") else { return nil }
        t = t.dropFirst()
        var years = 0, months = 0, days = 0
        var number = ""
        var inTime = false
        for c in t {
            if c.isNumber || c == "." { number.append(c); continue }
            if c == "T" { inTime = true; continue }
            guard !number.isEmpty else { return nil }
            if inTime {
                guard let v = Double(number), v == 0 else { return nil }
            } else {
                guard let v = Int(number) else { return nil }
                switch c {
                case "Y": years = v
                case "M": months = v
                case "D": days = v
                default: return nil
                }
            }
            number = ""
        }
        return number.isEmpty ? (years, months, days) : nil
    }

    /// `start` plus a duration, by the XSD rule (add months with the day pinned to the month's end, then days).
    static func add(_ duration: (years: Int, months: Int, days: Int), to start: DayNumber) -> DayNumber {
        let (y, m, d) = civil(start)
        let totalMonths = (y * 12 + (m - 1)) + duration.years * 12 + duration.months
        let ny = totalMonths / 12, nm = totalMonths % 12 + 1
        let nd = min(d, daysIn(ny, nm))
        return dayNumber(ny, nm, nd) + duration.days
    }

    /// Formats a day number as `YYYY-MM-DD`.
    static func format(_ day: DayNumber) -> String {
        let (y, m, d) = civil(day)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    private static func stripZone(_ s: String) -> String {
        if s.hasSuffix("Z") { return String(s.dropLast()) }
        // A trailing ±hh:mm after a date or time.
        if s.count > 6 {
            let tail = s.suffix(6)
            let sign = tail.first!
            if sign == "+" || sign == "-", tail.dropFirst().split(separator: ":").count == 2,
                tail.dropFirst(3).first == ":"
            {
                return String(s.dropLast(6))
            }
        }
        return s
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int { CivilCalendar.daysIn(month: m, year: y) }

    /// Days since 0001-01-01 (which is day 719,162 before 1970-01-01).
    static func dayNumber(_ y: Int, _ m: Int, _ d: Int) -> DayNumber {
        CivilCalendar.dayNumber(year: y, month: m, day: d) + 719_162
    }

    static func civil(_ n: DayNumber) -> (Int, Int, Int) {
        let date = CivilCalendar.date(dayNumber: n - 719_162)
        return (date.year, date.month, date.day)
    }
}

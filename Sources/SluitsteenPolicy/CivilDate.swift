// SPDX-License-Identifier: EUPL-1.2
import SluitsteenSupport

/// A calendar date without time or zone (year, month, day), as the law and the registers speak of dates.
///
/// Retention periods run from and to civil dates in Europe/Amsterdam; arithmetic is done on integer day numbers
/// (days since 1970-01-01) so that deciding a million messages needs no `Calendar` calls.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date, or nil when the month or day does not exist (e.g. 2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
              (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date with the given day number (days since 1970-01-01; negative before).
    public init(dayNumber: Int) {
        (year, month, day) = CivilCalendar.date(dayNumber: dayNumber)
    }

    /// Parses `YYYY-MM-DD` (exactly ten characters); nil when malformed or not a real date.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { CivilCalendar.dayNumber(year: year, month: month, day: day) }

    /// ISO 8601 calendar date, `YYYY-MM-DD`.
    public var iso: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    /// Day of the week, 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + n) }

    /// The date `duration` later: years and months first (clamping the day to the month's end, so
    /// 29 February + P1Y = 28 February), then weeks and days.
    public func adding(_ duration: ISODuration) -> CivilDate {
        if duration.years == 0 && duration.months == 0 { return adding(days: duration.weeks * 7 + duration.days) }
        var totalMonths = year * 12 + (month - 1) + duration.years * 12 + duration.months
        if totalMonths < 12 { totalMonths = 12 }  // clamp to year 1
        let y = totalMonths / 12
        let m = totalMonths % 12 + 1
        let d = min(day, CivilDate.daysIn(month: m, year: y))
        let base = CivilDate(uncheckedYear: y, month: m, day: d)
        let extra = duration.weeks * 7 + duration.days
        return extra == 0 ? base : base.adding(days: extra)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeap(_ year: Int) -> Bool { CivilCalendar.isLeapYear(year) }

    public static func daysIn(month: Int, year: Int) -> Int { CivilCalendar.daysIn(month: month, year: year) }

    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a date (YYYY-MM-DD)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// A period of civil dates that includes its first and last day; an open end (`to == nil`) means "ongoing".
public struct DatePeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var from: CivilDate?
    public var to: CivilDate?

    public init(from: CivilDate?, to: CivilDate?) {
        self.from = from
        self.to = to
    }

    /// True when `date` lies in the period, first and last day included.
    @inline(__always)
    public func contains(_ date: CivilDate) -> Bool {
        if let from, date < from { return false }
        if let to, to < date { return false }
        return true
    }

    /// True when both periods share at least one day.
    public func overlaps(_ other: DatePeriod) -> Bool {
        if let a = to, let b = other.from, a < b { return false }
        if let a = other.to, let b = from, a < b { return false }
        return true
    }

    public var description: String { "\(from?.iso ?? "…") – \(to?.iso ?? "…")" }
}

/// An ISO 8601 duration in calendar units (`P7Y`, `P3M`, `P10W`, `P7D`, or combinations such as `P1Y6M`).
///
/// Time components (`PT…`) are not allowed: retention periods are counted in days, not hours.
public struct ISODuration: Sendable, Hashable, Codable, CustomStringConvertible {
    public var years: Int
    public var months: Int
    public var weeks: Int
    public var days: Int

    public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0) {
        self.years = years
        self.months = months
        self.weeks = weeks
        self.days = days
    }

    /// Parses `PnYnMnWnD` (each part optional, at least one present, in that order); nil when malformed.
    public init?(iso text: String) {
        var chars = Substring(text)
        guard chars.first == "P", chars.count > 1 else { return nil }
        chars = chars.dropFirst()
        var result = ISODuration()
        let order: [Character] = ["Y", "M", "W", "D"]
        var nextUnit = 0
        var digits = ""
        var sawPart = false
        for c in chars {
            if c.isASCII, c.isNumber {
                digits.append(c)
                continue
            }
            guard let unitIndex = order.firstIndex(of: c), unitIndex >= nextUnit, !digits.isEmpty,
                  digits.count <= 6, let value = Int(digits) else { return nil }
            switch c {
            case "Y": result.years = value
            case "M": result.months = value
            case "W": result.weeks = value
            default: result.days = value
            }
            nextUnit = unitIndex + 1
            digits = ""
            sawPart = true
        }
        guard digits.isEmpty, sawPart else { return nil }
        self = result
    }

    /// The canonical ISO text, e.g. `P10W`; a zero duration is `P0D`.
    public var iso: String {
        var s = "P"
        if years != 0 { s += "\(years)Y" }
        if months != 0 { s += "\(months)M" }
        if weeks != 0 { s += "\(weeks)W" }
        if days != 0 { s += "\(days)D" }
        return s == "P" ? "P0D" : s
    }

    public var description: String { iso }

    /// True when the duration has only weeks and days (a fixed number of days).
    public var isFixedDays: Bool { years == 0 && months == 0 }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = ISODuration(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ISO 8601 duration"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

extension CivilDate {
    /// The date in words, as documents print it: `1 juni 2033`.
    public var words: String { DutchWords.date(year: year, month: month, day: day) }
}

extension ISODuration {
    /// The duration in words, as documents print it: `7 jaar`, `10 weken`, `7 dagen` (never the ISO 8601 code).
    public var words: String { DutchWords.duration(years: years, months: months, weeks: weeks, days: days) }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A moment in time, to the second, as seconds since 1970-01-01T00:00:00Z.
///
/// Message dates, capture times, opt-out marks and window boundaries are instants; the opt-out window is decided
/// to the second, so sub-second parts are dropped (rounded down).
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// The instant of a Foundation `Date`, rounded down to the whole second.
    public init(_ date: Date) {
        self.secondsSinceEpoch = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// The instant at `hour:minute:second` UTC on `date`.
    public init(utc date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.secondsSinceEpoch = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses ISO 8601 date-times with a zone: `2025-03-01T23:30:00Z`, `2025-03-02T00:30:00+01:00`,
    /// `…+0100`, fractional seconds allowed (dropped), `T` or a space between date and time.
    /// A bare date (`2025-03-02`) means 00:00:00 in Europe/Amsterdam on that day. Nil when malformed.
    public init?(iso text: String) {
        let s = Array(text.utf8)
        guard s.count >= 10, let date = CivilDate(iso: String(decoding: s[0..<10], as: UTF8.self)) else { return nil }
        if s.count == 10 {
            self = AmsterdamTime.instant(date: date, secondOfDay: 0)
            return
        }
        guard s.count >= 19, s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t") || s[10] == UInt8(ascii: " "),
              s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":") else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                guard s[i] >= 48, s[i] <= 57 else { return nil }
                v = v * 10 + Int(s[i] - 48)
            }
            return v
        }
        guard let h = num(11, 13), let mi = num(14, 16), let se = num(17, 19), h < 24, mi < 60, se < 61 else {
            return nil
        }
        var i = 19
        if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
            i += 1
            let start = i
            while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < s.count else { return nil }  // a zone is required
        var offset = 0
        if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
            guard i + 1 == s.count else { return nil }
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign = s[i] == UInt8(ascii: "+") ? 1 : -1
            let rest = s.count - i - 1
            let oh: Int?, om: Int?
            if rest == 5, s[i + 3] == UInt8(ascii: ":") {
                oh = num(i + 1, i + 3); om = num(i + 4, i + 6)
            } else if rest == 4 {
                oh = num(i + 1, i + 3); om = num(i + 3, i + 5)
            } else if rest == 2 {
                oh = num(i + 1, i + 3); om = 0
            } else {
                return nil
            }
            guard let oh, let om, oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let local = Int64(date.dayNumber) * 86_400 + Int64(h * 3600 + mi * 60 + min(se, 59))
        self.secondsSinceEpoch = local - Int64(offset)
    }

    /// UTC ISO 8601 text, e.g. `2025-03-01T23:30:00Z`.
    public var iso: String {
        let days = Int(floorDiv(secondsSinceEpoch, 86_400))
        let sod = Int(secondsSinceEpoch - Int64(days) * 86_400)
        return CivilDate(dayNumber: days).iso + "T" + twoDigits(sod / 3600) + ":" + twoDigits(sod / 60 % 60) + ":"
            + twoDigits(sod % 60) + "Z"
    }

    public var description: String { iso }

    /// The Foundation `Date` of this instant.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

    public func adding(seconds: Int64) -> Instant { Instant(secondsSinceEpoch: secondsSinceEpoch + seconds) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Instant(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ISO 8601 date-time"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }

/// Local time in Europe/Amsterdam, the zone in which Sluitsteen dates every message.
///
/// From 1981 on the offset follows the EU summer-time rule (CEST from the last Sunday of March 01:00 UTC until the
/// last Sunday of October — September before 1996 — 01:00 UTC), computed in integers so that dating a message costs
/// no `Calendar` call. Earlier instants (before 1981) ask Foundation's time-zone database.
public enum AmsterdamTime {
    /// The zone identifier, for display.
    public static let identifier = "Europe/Amsterdam"

    private static let foundationZone = TimeZone(identifier: "Europe/Amsterdam")

    /// Seconds east of UTC at `instant` (3600 in winter, 7200 in summer).
    @inline(__always)
    public static func utcOffset(at instant: Instant) -> Int {
        let t = instant.secondsSinceEpoch
        let table = SummerTimeTable.shared
        guard t >= table.yearStarts[0] else {
            return foundationZone?.secondsFromGMT(for: instant.date) ?? 3600
        }
        var i = Int((t - table.yearStarts[0]) / 31_556_952)
        if i >= table.yearStarts.count - 1 {
            let year = CivilDate(dayNumber: Int(floorDiv(t, 86_400))).year
            let (start, end) = SummerTimeTable.summer(year: year)
            return (t >= start && t < end) ? 7200 : 3600
        }
        while i > 0 && table.yearStarts[i] > t { i -= 1 }
        while table.yearStarts[i + 1] <= t { i += 1 }
        return (t >= table.summerStarts[i] && t < table.summerEnds[i]) ? 7200 : 3600
    }

    /// The Amsterdam calendar date of `instant` (23:30 UTC on 1 March is 2 March in Amsterdam).
    @inline(__always)
    public static func date(of instant: Instant) -> CivilDate {
        let local = instant.secondsSinceEpoch + Int64(utcOffset(at: instant))
        return CivilDate(dayNumber: Int(floorDiv(local, 86_400)))
    }

    /// Amsterdam date and seconds since local midnight of `instant`.
    public static func local(_ instant: Instant) -> (date: CivilDate, secondOfDay: Int) {
        let local = instant.secondsSinceEpoch + Int64(utcOffset(at: instant))
        let days = floorDiv(local, 86_400)
        return (CivilDate(dayNumber: Int(days)), Int(local - days * 86_400))
    }

    /// The instant at which Amsterdam clocks show `secondOfDay` on `date`. A time skipped by the spring change
    /// (02:xx on the last Sunday of March) is read with the winter offset, i.e. moved one hour on; a time that
    /// occurs twice in autumn gives the first (summer-time) occurrence.
    public static func instant(date: CivilDate, secondOfDay: Int) -> Instant {
        let local = Int64(date.dayNumber) * 86_400 + Int64(secondOfDay)
        let summer = Instant(secondsSinceEpoch: local - 7200)
        if utcOffset(at: summer) == 7200 { return summer }
        return Instant(secondsSinceEpoch: local - 3600)
    }

    /// Text for people: `2025-05-29 10:00:00` in Amsterdam time (without zone name).
    public static func localText(_ instant: Instant) -> String {
        let (d, s) = local(instant)
        return d.iso + " " + twoDigits(s / 3600) + ":" + twoDigits(s / 60 % 60) + ":" + twoDigits(s % 60)
    }

    /// `instant` plus a calendar duration counted on Amsterdam clocks: the same wall-clock time on the date
    /// `duration` later (so a ten-week window opened at 10:00 in March closes at 10:00 in May, although
    /// summer time began in between and the exact span is then one hour shorter than 70 × 24 hours).
    public static func adding(_ duration: ISODuration, to instant: Instant) -> Instant {
        let (d, s) = local(instant)
        return self.instant(date: d.adding(duration), secondOfDay: s)
    }
}

/// EU summer-time instants per year from 1981 to 2199, computed once.
struct SummerTimeTable: Sendable {
    static let shared = SummerTimeTable()
    static let firstYear = 1981
    static let lastYear = 2199

    /// 1 January 00:00 UTC of each year, plus the year after the last.
    let yearStarts: [Int64]
    let summerStarts: [Int64]
    let summerEnds: [Int64]

    init() {
        var ys: [Int64] = []
        var ss: [Int64] = []
        var se: [Int64] = []
        for y in Self.firstYear...Self.lastYear {
            ys.append(Int64(CivilDate(uncheckedYear: y, month: 1, day: 1).dayNumber) * 86_400)
            let (s, e) = Self.summer(year: y)
            ss.append(s)
            se.append(e)
        }
        ys.append(Int64(CivilDate(uncheckedYear: Self.lastYear + 1, month: 1, day: 1).dayNumber) * 86_400)
        yearStarts = ys
        summerStarts = ss
        summerEnds = se
    }

    /// Start and end of summer time in `year`: last Sunday of March 01:00 UTC until the last Sunday of October
    /// (September before 1996) 01:00 UTC.
    static func summer(year: Int) -> (Int64, Int64) {
        func lastSunday(_ month: Int) -> Int {
            let last = CivilDate(uncheckedYear: year, month: month, day: CivilDate.daysIn(month: month, year: year))
            return last.dayNumber - (last.isoWeekday % 7)  // Sunday (7) → 0 days back
        }
        return (Int64(lastSunday(3)) * 86_400 + 3600, Int64(lastSunday(year >= 1996 ? 10 : 9)) * 86_400 + 3600)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenPolicy

@Suite("Calendar: civil dates, durations, Amsterdam time")
struct CalendarTests {
    @Test("day numbers: 1970-01-01 is day 0, 2000-03-01 is day 11017")
    func dayNumbers() {
        // 30 years 1970..1999 = 30*365 + 7 leap days (72,76,80,84,88,92,96) = 10957 → 2000-01-01; + 31 + 29 = 11017.
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 1, day: 1)!.dayNumber == 10957)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.dayNumber == 11017)
        #expect(CivilDate(dayNumber: 11017) == CivilDate(year: 2000, month: 3, day: 1))
        #expect(CivilDate(dayNumber: -1) == CivilDate(year: 1969, month: 12, day: 31))
        for n in stride(from: -1000, to: 40000, by: 37) { #expect(CivilDate(dayNumber: n).dayNumber == n) }
    }

    @Test("invalid dates are refused", arguments: ["2023-02-29", "2025-13-01", "2025-04-31", "2025-1-01", "25-01-01x", ""])
    func invalidDates(text: String) { #expect(CivilDate(iso: text) == nil) }

    @Test("weekday: 2025-03-30 is a Sunday, 2024-02-29 a Thursday")
    func weekday() {
        #expect(World.d("2025-03-30").isoWeekday == 7)
        #expect(World.d("2024-02-29").isoWeekday == 4)
    }

    @Test("adding durations", arguments: [
        ("2024-02-29", "P1Y", "2025-02-28"),   // 29 February + 1 year lands on 28 February
        ("2024-02-29", "P4Y", "2028-02-29"),   // a leap year again
        ("2024-02-29", "P7Y", "2031-02-28"),
        ("2024-02-29", "P10Y", "2034-02-28"),
        ("2024-06-30", "P3M", "2024-09-30"),
        ("2024-11-30", "P3M", "2025-02-28"),   // day clamped to the end of February
        ("2025-01-31", "P1M", "2025-02-28"),
        ("2025-03-10", "P10W", "2025-05-19"),  // 70 days: 21 left in March + 30 April + 19 May
        ("2025-12-28", "P7D", "2026-01-04"),
    ])
    func addDuration(from: String, duration: String, expected: String) {
        #expect(World.d(from).adding(ISODuration(iso: duration)!) == World.d(expected))
    }

    @Test("ISO durations parse and print")
    func durations() {
        #expect(ISODuration(iso: "P7Y") == ISODuration(years: 7))
        #expect(ISODuration(iso: "P10W") == ISODuration(weeks: 10))
        #expect(ISODuration(iso: "P1Y6M") == ISODuration(years: 1, months: 6))
        #expect(ISODuration(iso: "P1Y6M")?.iso == "P1Y6M")
        for bad in ["", "P", "7Y", "P7", "PT1H", "P1M1Y", "P-1Y", "p7y", "P7Y "] { #expect(ISODuration(iso: bad) == nil) }
    }

    @Test("instants parse with zones and print in UTC")
    func instants() {
        #expect(Instant(iso: "1970-01-01T00:00:00Z")?.secondsSinceEpoch == 0)
        #expect(Instant(iso: "2025-03-02T00:30:00+01:00") == Instant(iso: "2025-03-01T23:30:00Z"))
        #expect(Instant(iso: "2025-03-02T00:30:00+0100") == Instant(iso: "2025-03-01T23:30:00Z"))
        #expect(Instant(iso: "2025-03-01T23:30:00.987Z") == Instant(iso: "2025-03-01T23:30:00Z"))
        #expect(Instant(iso: "2025-03-01T23:30:00Z")?.iso == "2025-03-01T23:30:00Z")
        #expect(Instant(iso: "2025-03-01T23:30:00") == nil)  // no zone: ambiguous
        // A bare date is Amsterdam midnight: 2025-03-02 00:00 CET = 2025-03-01T23:00:00Z.
        #expect(Instant(iso: "2025-03-02") == Instant(iso: "2025-03-01T23:00:00Z"))
    }

    @Test("Amsterdam dates near midnight UTC", arguments: [
        ("2025-03-01T23:30:00Z", "2025-03-02"),  // winter, UTC+1
        ("2025-03-01T22:59:59Z", "2025-03-01"),
        ("2025-03-01T23:00:00Z", "2025-03-02"),
        ("2025-07-01T21:59:59Z", "2025-07-01"),  // summer, UTC+2
        ("2025-07-01T22:00:00Z", "2025-07-02"),
        ("2024-12-31T23:00:00Z", "2025-01-01"),  // new year in Amsterdam first
        ("2024-02-28T23:30:00Z", "2024-02-29"),
    ])
    func amsterdamDate(instant: String, date: String) {
        #expect(AmsterdamTime.date(of: World.t(instant)) == World.d(date))
    }

    @Test("summer time changes at 01:00 UTC on the last Sundays of March and October")
    func dstTransitions() {
        // 2025: last Sunday of March is the 30th, of October the 26th.
        #expect(AmsterdamTime.utcOffset(at: World.t("2025-03-30T00:59:59Z")) == 3600)
        #expect(AmsterdamTime.utcOffset(at: World.t("2025-03-30T01:00:00Z")) == 7200)
        #expect(AmsterdamTime.utcOffset(at: World.t("2025-10-26T00:59:59Z")) == 7200)
        #expect(AmsterdamTime.utcOffset(at: World.t("2025-10-26T01:00:00Z")) == 3600)
        // 1995 (before EU harmonisation) summer time ended on the last Sunday of September (the 24th).
        #expect(AmsterdamTime.utcOffset(at: World.t("1995-09-24T01:00:00Z")) == 3600)
        #expect(AmsterdamTime.utcOffset(at: World.t("1995-09-24T00:59:59Z")) == 7200)
    }

    @Test("the integer summer-time rule agrees with Foundation's time-zone database", .enabled(if: TimeZone(identifier: "Europe/Amsterdam") != nil))
    func offsetsAgreeWithFoundation() {
        let zone = TimeZone(identifier: "Europe/Amsterdam")!
        // Every 7 hours + 13 minutes from 1981 to 2037: hits all times of day and both sides of every change.
        var t: Int64 = 347_155_200
        while t < 2_145_916_800 {
            let i = Instant(secondsSinceEpoch: t)
            #expect(AmsterdamTime.utcOffset(at: i) == zone.secondsFromGMT(for: i.date), "at \(i.iso)")
            t += 7 * 3600 + 13 * 60
        }
        // and on each side of each real transition
        var d = Date(timeIntervalSince1970: 347_155_200)
        while let next = zone.nextDaylightSavingTimeTransition(after: d), next.timeIntervalSince1970 < 2_145_916_800 {
            for delta in [-1.0, 0.0] {
                let i = Instant(next.addingTimeInterval(delta))
                #expect(AmsterdamTime.utcOffset(at: i) == zone.secondsFromGMT(for: i.date), "at \(i.iso)")
            }
            d = next
        }
    }

    @Test("local wall-clock time to instant, including the spring gap and the autumn overlap")
    func localToInstant() {
        #expect(AmsterdamTime.instant(date: World.d("2025-05-19"), secondOfDay: 10 * 3600 + 300) == World.t("2025-05-19T08:05:00Z"))
        #expect(AmsterdamTime.instant(date: World.d("2025-01-15"), secondOfDay: 0) == World.t("2025-01-14T23:00:00Z"))
        // 02:30 on 2025-03-30 does not exist; read with winter offset = 01:30Z = 03:30 CEST.
        #expect(AmsterdamTime.instant(date: World.d("2025-03-30"), secondOfDay: 2 * 3600 + 1800) == World.t("2025-03-30T01:30:00Z"))
        // 02:30 on 2025-10-26 happens twice; the first (CEST) is 00:30Z.
        #expect(AmsterdamTime.instant(date: World.d("2025-10-26"), secondOfDay: 2 * 3600 + 1800) == World.t("2025-10-26T00:30:00Z"))
    }

    @Test("periods include their first and last day")
    func periods() {
        let p = DatePeriod(from: World.d("2025-03-10"), to: World.d("2025-03-20"))
        #expect(p.contains(World.d("2025-03-10")))
        #expect(p.contains(World.d("2025-03-20")))
        #expect(!p.contains(World.d("2025-03-09")))
        #expect(!p.contains(World.d("2025-03-21")))
        #expect(DatePeriod(from: World.d("2025-03-20"), to: nil).overlaps(p))
        #expect(!DatePeriod(from: World.d("2025-03-21"), to: nil).overlaps(p))
    }
}

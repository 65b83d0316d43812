import Foundation
import SluitsteenSupport
import Testing

@Suite("Calendar arithmetic and ISO timestamps")
struct CalendarTests {
    @Test func dayNumbersRoundTripAcrossEraBoundaries() {
        for dayNumber in stride(from: -800_000, through: 800_000, by: 997) {
            let d = CivilCalendar.date(dayNumber: dayNumber)
            #expect(CivilCalendar.dayNumber(year: d.year, month: d.month, day: d.day) == dayNumber)
            #expect((1...CivilCalendar.daysIn(month: d.month, year: d.year)).contains(d.day))
        }
        #expect(CivilCalendar.dayNumber(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.dayNumber(year: 1, month: 1, day: 1) == -719_162)
        #expect(CivilCalendar.dayNumber(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.isLeapYear(2000) && !CivilCalendar.isLeapYear(1900) && CivilCalendar.isLeapYear(2024))
        #expect(CivilCalendar.floorDivMod(-1, 86_400) == (-1, 86_399))
    }

    @Test func timestampsAgreeWithFoundation() throws {
        for seconds in [Int64(-2_208_988_800), -1, 0, 951_782_400, 1_709_335_800, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let text = ISOTimestamp.format(date)
            let foundation = ISO8601DateFormatter().string(from: date)
            #expect(text == foundation)
            #expect(ISOTimestamp.parse(text) == date)
        }
        #expect(ISOTimestamp.format(Date(timeIntervalSince1970: 0), offsetMinutes: 90) == "1970-01-01T01:30:00+01:30")
        #expect(ISOTimestamp.parse("2024-02-30T00:00:00Z") == nil)
    }
}

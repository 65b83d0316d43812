// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// ISO 8601 timestamps as Sluitsteen writes and reads them: UTC with a `Z`, whole seconds.
public enum ISOTimestamp {
    /// Formats an instant as `2024-03-01T23:30:00Z`.
    public static func format(_ date: Date) -> String {
        String(format(date, offsetMinutes: 0).dropLast(6)) + "Z"
    }

    /// Formats an instant with an explicit UTC offset in minutes: `2024-03-01T23:30:00+01:00`.
    public static func format(_ date: Date, offsetMinutes: Int) -> String {
        let shifted = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offsetMinutes) * 60
        let (days, secs) = CivilCalendar.floorDivMod(shifted, 86_400)
        let (y, m, d) = CivilCalendar.date(dayNumber: Int(days))
        let off = abs(offsetMinutes)
        // Built byte by byte: this runs once per message during ingest.
        var out: [UInt8] = []
        out.reserveCapacity(26)
        func digits(_ value: Int, _ width: Int) {
            if value < 0 { out.append(0x2D) }
            let v = abs(value)
            var count = 1
            var t = v / 10
            while t > 0 { count += 1; t /= 10 }
            for _ in 0..<max(width, count) { out.append(0x30) }
            var i = out.count - 1
            var r = v
            while r > 0 { out[i] = UInt8(0x30 + r % 10); r /= 10; i -= 1 }
        }
        digits(Int(y), 4); out.append(0x2D); digits(Int(m), 2); out.append(0x2D); digits(Int(d), 2); out.append(0x54)
        digits(Int(secs / 3600), 2); out.append(0x3A); digits(Int(secs / 60 % 60), 2); out.append(0x3A); digits(Int(secs % 60), 2)
        out.append(offsetMinutes < 0 ? 0x2D : 0x2B)
        digits(off / 60, 2); out.append(0x3A); digits(off % 60, 2)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` or a bare date `YYYY-MM-DD` (taken as midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let b = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
              (1...12).contains(mo), (1...CivilCalendar.daysIn(month: mo, year: y)).contains(d) else { return nil }
        var seconds = Int64(CivilCalendar.dayNumber(year: y, month: mo, day: d)) * 86_400
        if b.count == 10 { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        guard b.count >= 19, b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2),
              b[16] == 58, let se = num(17, 2), h < 24, mi < 60, se < 61 else { return nil }
        seconds += Int64(h * 3600 + mi * 60 + se)
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            while i < b.count, b[i] >= 48, b[i] <= 57 { fraction += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
        }
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            guard i + 1 == b.count else { return nil }
        } else if b[i] == 43 || b[i] == 45 {
            let sign: Int64 = b[i] == 43 ? 1 : -1
            guard let oh = num(i + 1, 2) else { return nil }
            var om = 0
            if i + 3 < b.count {
                let j = b[i + 3] == 58 ? i + 4 : i + 3
                guard let m = num(j, 2), j + 2 == b.count else { return nil }
                om = m
            } else if i + 3 != b.count { return nil }
            seconds -= sign * Int64(oh * 3600 + om * 60)
        } else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }
}

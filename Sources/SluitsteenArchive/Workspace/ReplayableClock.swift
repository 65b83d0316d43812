// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// `SLUITSTEEN_NOW` (ISO 8601) read from the environment: the replayed "now" of a demo archive (see
/// ``WorkspaceClock``, which refuses it for a real archive), or the system clock when it is not set.
public struct ReplayableClock: Sendable {
    /// The fixed instant from `SLUITSTEEN_NOW`, if any.
    public let fixed: Date?

    /// Reads `SLUITSTEEN_NOW` from the environment. An unparseable value is an error, not silently ignored.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) {
        if let raw = environment["SLUITSTEEN_NOW"], !raw.isEmpty {
            guard let date = ISOTimestamp.parse(raw) else {
                throw .cannotRead("SLUITSTEEN_NOW", reason: "'\(raw)' is not an ISO 8601 date-time (e.g. 2026-03-01T12:00:00Z)")
            }
            fixed = date
        } else {
            fixed = nil
        }
    }

    /// A clock fixed at `date` (for tests).
    public init(fixed date: Date) { fixed = date }

    /// The current instant.
    public func now() -> Date { fixed ?? Date() }
}

/// ISO 8601 timestamps as Sluitsteen writes and reads them: UTC with a `Z`, whole seconds.
public enum ISOTimestamp {
    /// Formats an instant as `2024-03-01T23:30:00Z`.
    public static func format(_ date: Date) -> String {
        String(format(date, offsetMinutes: 0).dropLast(6)) + "Z"
    }

    /// Formats an instant with an explicit UTC offset in minutes: `2024-03-01T23:30:00+01:00`.
    public static func format(_ date: Date, offsetMinutes: Int) -> String {
        let shifted = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offsetMinutes) * 60
        let (days, secs) = floorDivMod(shifted, 86_400)
        let (y, m, d) = civilFromDays(days)
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
              (1...12).contains(mo), (1...daysInMonth(y, mo)).contains(d) else { return nil }
        var seconds = daysFromCivil(y, mo, d) * 86_400
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

    /// Days in month `m` of year `y` (proleptic Gregorian): 2024-02-30 is not a date.
    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (q, a - q * b)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}

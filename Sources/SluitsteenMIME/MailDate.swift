// SPDX-License-Identifier: EUPL-1.2
import CGMime
import Foundation

/// A `Date` (or `Received`) date: read by GMime, with its zone checked, because GMime reads a zone it does not
/// understand as UTC without saying so (`-0060`, `+0480`, `-600`, lower-case `cst`, `+01:00`, `MEZ`).
///
/// The zone is read as Python's `email.utils` reads it, which for a numeric zone is sign × (hours × 60 + minutes)
/// whatever the digits are (`-0060` is −01:00, `+0480` is +05:20, `-600` is −06:00), and the RFC 5322 zone names
/// in any case. Where RFC 5322 does not define the zone, the date gets the defect `invalid-date-zone`:
/// - numeric zones with other than four digits or with minutes of 60 or more: Python's reading;
/// - `+hh:mm` (not RFC 5322; Python reads it as unknown): read as written;
/// - `AST`/`ADT` (Python's table, not RFC 5322): Python's reading;
/// - no zone, an unknown name (`MEZ`, `CET`, `GMT+1`, `H0500`), a military letter other than `Z` (RFC 5322
///   §4.3 says their meaning is unreliable) or an offset of 24 hours or more: UTC, as GMime and Python take it.
enum MailDate {
    struct Reading: Equatable {
        var date: Date
        var offsetMinutes: Int
        /// True when the zone is not one RFC 5322 defines (see above).
        var invalidZone: Bool
    }

    /// Reads a raw date value, or nil when GMime cannot read it.
    static func read(_ raw: UnsafePointer<CChar>) -> Reading? {
        guard let dt = g_mime_utils_header_decode_date(raw) else { return nil }
        defer { g_date_time_unref(dt) }
        return reading(dt, raw: raw)
    }

    /// GMime's reading `dt` of the raw date value `raw`, with the zone read from `raw`. GMime reads the wall-clock
    /// time right; only its zone is replaced.
    static func reading(_ dt: OpaquePointer, raw: UnsafePointer<CChar>) -> Reading {
        let unix = Int64(g_date_time_to_unix(dt))
        let gmimeOffset = Int(g_date_time_get_utc_offset(dt) / 60_000_000)
        let length = strlen(raw)
        let (offset, invalid) = raw.withMemoryRebound(to: UInt8.self, capacity: length) {
            zone(of: UnsafeBufferPointer(start: $0, count: length))
        }
        let instant = unix + Int64(gmimeOffset - offset) * 60
        return Reading(date: Date(timeIntervalSince1970: TimeInterval(instant)), offsetMinutes: offset, invalidZone: invalid)
    }

    /// The zone of a date value as (offset in minutes, not RFC 5322): the first word after the time that is not a
    /// number (a year in asctime order comes between) or AM/PM, else, when there is no time this can see (GMime
    /// reads some with comments or spaces inside), the last word if it has the shape of a zone. No zone is UTC.
    static func zone(of value: UnsafeBufferPointer<UInt8>) -> (minutes: Int, invalid: Bool) {
        let words = self.words(value)
        var zone: ArraySlice<UInt8>?
        if let time = words.firstIndex(where: isTime) {
            // A zone glued to the time ("10:00:00+0200") is split off.
            var rest = Array(words[(time + 1)...])
            if let sign = words[time].firstIndex(where: { $0 == 0x2B || $0 == 0x2D }) { rest.insert(words[time][sign...], at: 0) }
            zone = rest.first { word in !word.allSatisfy(isDigit) && !isAMPM(word) }
        } else if let last = words.last, last.first == 0x2B || last.first == 0x2D || last.allSatisfy(isLetter) {
            zone = last
        }
        guard let zone, let first = zone.first else { return (0, true) }
        if first == 0x2B || first == 0x2D {
            let sign = first == 0x2D ? -1 : 1
            let body = zone.dropFirst()
            var minutes: Int?
            var rfc = false
            if !body.isEmpty, body.count <= 4, body.allSatisfy(isDigit) {
                let n = body.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                minutes = n / 100 * 60 + n % 100
                rfc = body.count == 4 && n % 100 < 60
            } else if let colon = body.firstIndex(of: 0x3A), (1...2).contains(colon - body.startIndex), body.endIndex - colon == 3,
                      body[..<colon].allSatisfy(isDigit), body[(colon + 1)...].allSatisfy(isDigit) {
                let h = body[..<colon].reduce(0) { $0 * 10 + Int($1 - 0x30) }
                let m = body[(colon + 1)...].reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if m < 60 { minutes = h * 60 + m }
            }
            guard let minutes, minutes < 24 * 60 else { return (0, true) }
            return (sign * minutes, !rfc)
        }
        if zone.count <= 3, zone.allSatisfy(isLetter), let known = names[String(decoding: zone, as: UTF8.self).uppercased()] {
            return (known.minutes, !known.rfc)
        }
        return (0, true)
    }

    /// RFC 5322 zone names with their offsets in minutes, and the two Python adds (marked not RFC).
    private static let names: [String: (minutes: Int, rfc: Bool)] = [
        "UT": (0, true), "UTC": (0, true), "GMT": (0, true), "Z": (0, true),
        "EST": (-300, true), "EDT": (-240, true), "CST": (-360, true), "CDT": (-300, true),
        "MST": (-420, true), "MDT": (-360, true), "PST": (-480, true), "PDT": (-420, true),
        "AST": (-240, false), "ADT": (-180, false),
    ]

    /// The words of a date value, comments left out, split at white space and commas.
    private static func words(_ value: UnsafeBufferPointer<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var current: [UInt8] = []
        var depth = 0
        var escaped = false
        for byte in value {
            if depth > 0 {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x28 {
                    depth += 1
                } else if byte == 0x29 {
                    depth -= 1
                }
            } else if byte == 0x28 || byte == 0x20 || byte == 0x09 || byte == 0x2C || byte == 0x0D || byte == 0x0A {
                if !current.isEmpty { out.append(current[...]); current = [] }
                if byte == 0x28 { depth = 1 }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { out.append(current[...]) }
        return out
    }

    /// `h:mm`, `hh:mm:ss`, possibly with a zone glued on.
    private static func isTime(_ word: ArraySlice<UInt8>) -> Bool {
        let time = word.prefix { $0 != 0x2B && $0 != 0x2D }
        let parts = time.split(separator: 0x3A, omittingEmptySubsequences: false)
        return (parts.count == 2 || parts.count == 3) && parts.allSatisfy { (1...2).contains($0.count) && $0.allSatisfy(isDigit) }
    }

    private static func isAMPM(_ word: ArraySlice<UInt8>) -> Bool {
        word.count == 2 && (word.first! | 0x20 == 0x61 || word.first! | 0x20 == 0x70) && word.last! | 0x20 == 0x6D
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}

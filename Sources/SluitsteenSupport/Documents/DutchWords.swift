// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The words every Dutch document of Sluitsteen uses for dates, times, durations and roles, so that no document
/// shows a code (`P7D`, `div`, `2033-06-01`) where a records office expects words ("bedenktijd van 7 dagen",
/// "DIV-medewerker", "1 juni 2033").
public enum DutchWords {
    /// The month names, January first.
    public static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                "september", "oktober", "november", "december"]

    /// `1 juni 2033`.
    public static func date(year: Int, month: Int, day: Int) -> String {
        guard (1...12).contains(month) else { return "\(year)-\(month)-\(day)" }
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// A `YYYY-MM-DD` text (or the date part of a timestamp) as `1 juni 2033`; other text is returned unchanged,
    /// nil as "onbekend".
    public static func date(iso: String?) -> String {
        guard let iso else { return "onbekend" }
        let parts = iso.prefix(10).split(separator: "-")
        guard iso.count >= 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d)
        else { return iso }
        return date(year: y, month: m, day: d)
    }

    /// An instant as Amsterdam time in words: `1 juni 2033 om 14:03 uur`.
    public static func dateTime(_ instant: Date) -> String {
        let (y, m, d, seconds) = amsterdam(instant)
        return date(year: y, month: m, day: d) + String(format: " om %02d:%02d uur", seconds / 3600, seconds / 60 % 60)
    }

    /// The Amsterdam calendar date of an instant as `1 juni 2033`.
    public static func date(_ instant: Date) -> String {
        let (y, m, d, _) = amsterdam(instant)
        return date(year: y, month: m, day: d)
    }

    /// The Amsterdam date and second of the day of an instant.
    static func amsterdam(_ instant: Date) -> (Int, Int, Int, Int) {
        let offset = TimeZone(identifier: "Europe/Amsterdam")?.secondsFromGMT(for: instant) ?? 3600
        let local = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(offset)
        let (day, second) = CivilCalendar.floorDivMod(local, 86_400)
        let (y, m, d) = CivilCalendar.date(dayNumber: Int(day))
        return (y, m, d, Int(second))
    }

    /// A duration in words: `7 jaar`, `3 maanden`, `10 weken`, `1 dag`, `1 jaar en 2 maanden`; `geen` for zero.
    public static func duration(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0) -> String {
        var parts: [String] = []
        if years != 0 { parts.append("\(years) jaar") }
        if months != 0 { parts.append("\(months) \(months == 1 ? "maand" : "maanden")") }
        if weeks != 0 { parts.append("\(weeks) \(weeks == 1 ? "week" : "weken")") }
        if days != 0 { parts.append("\(days) \(days == 1 ? "dag" : "dagen")") }
        guard let last = parts.popLast() else { return "geen" }
        return parts.isEmpty ? last : parts.joined(separator: ", ") + " en " + last
    }

    /// The Dutch name of every role code Sluitsteen knows: the archive's roles (DIV, archivaris, auditor, …), the
    /// destruction approver roles and the personnel roles of the shipped policy.
    public static let roleNames: [String: String] = [
        "div": "DIV-medewerker", "archivist": "archivaris", "archivaris": "archivaris", "auditor": "auditor",
        "beheerder": "functioneel beheerder", "medewerker": "medewerker", "teammanager": "teammanager",
        "woo-coordinator": "Woo-coördinator", "gemachtigde": "gemachtigde", "burgemeester": "burgemeester",
        "wethouder": "wethouder", "algemeen-directeur": "algemeen directeur",
        "plv-algemeen-directeur": "plaatsvervangend algemeen directeur", "directielid": "directielid",
        "griffier": "griffier", "concerncontroller": "concerncontroller",
        "ciso": "Chief Information Security Officer", "fg": "functionaris gegevensbescherming",
        "rekenkamerlid": "lid van de rekenkamer", "adviseur": "adviseur", "beleidsmedewerker": "beleidsmedewerker",
        "beleidsadviseur": "beleidsadviseur", "projectleider": "projectleider",
        "informatiebeheerder": "informatiebeheerder", "secretaresse": "secretaresse", "stagiair": "stagiair",
        "inhuur": "ingehuurde medewerker", "root": "systeembeheerder",
    ]

    /// The Dutch name of a role code; an unknown code is shown with its hyphens as spaces (`team-lead` → `team lead`).
    public static func role(_ code: String) -> String {
        roleNames[code] ?? roleNames[code.lowercased()] ?? code.replacingOccurrences(of: "-", with: " ")
    }
}

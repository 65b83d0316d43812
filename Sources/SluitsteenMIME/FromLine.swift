// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// The mbox `From_` separator line: `From sender Tue Mar  1 12:00:00 2024`.
public enum FromLine {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date at the end of a From_ line (asctime format, taken as UTC), if any.
    public static func date(in line: String) -> Date? {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Look for "Mon DD HH:MM:SS YYYY" anywhere after the sender.
        guard words.count >= 5 else { return nil }
        for i in 1..<(words.count - 3) {
            guard let m = months.firstIndex(of: words[i].lowercased().prefix(3).description), words[i].count == 3,
                  let d = Int(words[i + 1]), (1...31).contains(d) else { continue }
            let hms = words[i + 2].split(separator: ":").compactMap { Int($0) }
            guard hms.count >= 2, let y = Int(words[i + 3].prefix(4)), y > 1900 else { continue }
            let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m + 1, d, hms[0], hms[1], hms.count > 2 ? hms[2] : 0)
            return ISOTimestamp.parse(iso)
        }
        return nil
    }
}

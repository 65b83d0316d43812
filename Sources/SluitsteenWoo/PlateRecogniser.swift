// SPDX-License-Identifier: EUPL-1.2

/// Dutch licence plates (kentekens) in the RDW sidecodes, with dashes (`GV-123-B`) or without (`GV123B`). The
/// series from sidecode 4 on use no vowels; written without dashes only those series count (where the letter and
/// digit groups still fix the sidecode, and never 4 digits + 2 letters, which is a postcode).
enum PlateRecogniser {
    /// The sidecodes 1–14 as shapes: X a letter, 9 a digit.
    static let sidecodes: [String] = [
        "XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9",
        "9-XXX-99", "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9",
    ]
    /// The first sidecode whose series have no vowels.
    static let firstWithoutVowels = 4

    /// The sidecode (1–14) of a plate as written (upper case, with or without dashes), or nil.
    static func sidecode(of plate: String) -> Int? {
        let chars = Array(plate.unicodeScalars)
        guard !chars.isEmpty, chars.allSatisfy({ ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }) else { return nil }
        let letters = chars.filter { $0 >= "A" && $0 <= "Z" }
        let hasVowel = letters.contains { "AEIOU".unicodeScalars.contains($0) }
        let dashed = chars.contains("-")
        let shape: String
        if dashed {
            let groups = plate.split(separator: "-", omittingEmptySubsequences: false)
            guard groups.count == 3 else { return nil }
            var parts: [String] = []
            for g in groups {
                guard let kind = homogeneous(g) else { return nil }
                parts.append(String(repeating: kind, count: g.count))
            }
            shape = parts.joined(separator: "-")
        } else {
            shape = runs(plate)
        }
        let shapes = dashed ? sidecodes : compactShapes
        guard let index = shapes.firstIndex(of: shape) else { return nil }
        let code = index + 1
        if code >= firstWithoutVowels, hasVowel { return nil }
        if !dashed, code < firstWithoutVowels { return nil }
        return code
    }

    /// The sidecodes written without dashes, as runs of letters and digits (`XX-XX-99` → `XXXX-99`).
    static let compactShapes: [String] = sidecodes.map(runs)

    /// Runs of letters and of digits joined by dashes: `GV123B` → `XX-999-X`.
    private static func runs(_ text: String) -> String {
        var out: [String] = []
        for c in text.unicodeScalars where c != "-" {
            let kind = c >= "A" ? "X" : "9"
            if let last = out.last, last.hasPrefix(kind) { out[out.count - 1] += kind } else { out.append(kind) }
        }
        return out.joined(separator: "-")
    }

    private static func homogeneous(_ group: Substring) -> String? {
        guard let first = group.unicodeScalars.first else { return nil }
        let isLetter = first >= "A"
        guard group.unicodeScalars.allSatisfy({ ($0 >= "A") == isLetter }) else { return nil }
        return isLetter ? "X" : "9"
    }

    /// The plate starting at `i` (an upper-case letter or a digit at the start of a token), if there is one.
    static func match(at i: Int, in t: ScalarText) -> Candidate? {
        var j = i
        while j - i < 9, t.isDigit(j) || (t.isUpper(j) && t.isASCIILetter(j)) || (t.is(j, "-") && t.isAlnum(j + 1)) { j += 1 }
        guard j - i >= 6, !t.isAlnum(j), !(t.isJoiner(j) && t.isAlnum(j + 1)) else { return nil }
        let plate = t.string(i, j)
        guard let code = sidecode(of: plate) else { return nil }
        return Candidate(start: i, end: j, kind: .plate, note: "kenteken (sidecode \(code))")
    }
}

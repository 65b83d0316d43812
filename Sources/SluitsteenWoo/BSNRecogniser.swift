// SPDX-License-Identifier: EUPL-1.2

/// Burgerservicenummers: nine digits, written together (`123456782`) or in groups as people write them
/// (`1234.56.782`, `1234 56 782`, `123 456 782`), that pass the elfproef. A number labelled as something else
/// (factuurnummer, kenmerk, KvK, …) or written as an amount is not suggested, and neither is `123.456.789` in
/// thousands notation unless a BSN label stands before it.
enum BSNRecogniser {
    /// The elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11; nine zeros are not a BSN.
    static func passesElfproef(_ digits: [Int]) -> Bool {
        guard digits.count == 9, digits.contains(where: { $0 != 0 }) else { return false }
        var sum = 0
        for k in 0..<8 { sum += digits[k] * (9 - k) }
        sum -= digits[8]
        return sum % 11 == 0
    }

    /// The BSN starting at `i` (a digit at the start of a token), if there is one.
    static func match(at i: Int, in t: ScalarText) -> Candidate? {
        guard let (end, digits, separator) = read(at: i, in: t), t.endsToken(end), passesElfproef(digits) else { return nil }
        let label = NumberLabel.before(i, in: t)
        switch label {
        case .other, .iban, .kvk, .phone: return nil
        case .bsn, .none: break
        }
        if t.amountBefore(i) || t.amountAfter(end) || t.followsIBANStart(i) { return nil }
        // 123.456.789 is how amounts and counts are written; only a label makes it a BSN.
        if separator == 0x2E, label != .bsn, t.digitRun(i) - i == 3 { return nil }
        return Candidate(start: i, end: end, kind: .bsn, note: "BSN (elfproef klopt)")
    }

    /// Nine digits in one of the accepted groupings (one separator kind throughout): end, digits, separator (0 if
    /// none).
    private static func read(at i: Int, in t: ScalarText) -> (Int, [Int], UInt32)? {
        let first = t.digitRun(i)
        let n = first - i
        if n == 9 { return (first, (i..<first).map(t.digit), 0) }
        let groupings: [[Int]] = n == 4 ? [[4, 2, 3]] : n == 3 ? [[3, 3, 3]] : []
        for groups in groupings {
            let sep = t[first]
            guard sep == 0x2E || sep == 0x20 || sep == 0xA0 || sep == 0x2D else { return nil }
            var digits = (i..<first).map(t.digit)
            var j = first
            for size in groups.dropFirst() {
                guard t[j] == sep else { return nil }
                let runEnd = t.digitRun(j + 1)
                guard runEnd - (j + 1) == size else { return nil }
                digits += ((j + 1)..<runEnd).map(t.digit)
                j = runEnd
            }
            return (j, digits, sep)
        }
        return nil
    }
}

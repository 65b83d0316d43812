// SPDX-License-Identifier: EUPL-1.2

/// KvK numbers: eight digits (`12345678`, `1234 5678`, `12.34.56.78`), only where a keyword says so — KvK,
/// Kamer van Koophandel or handelsregister as the nearest label before the number, or KvK right after it. Eight
/// digits alone are far too common (dates, amounts, order numbers) to suggest.
enum KvKRecogniser {
    /// The KvK number starting at `i` (a digit at the start of a token), if there is one.
    static func match(at i: Int, in t: ScalarText) -> Candidate? {
        guard let end = read(at: i, in: t), t.endsToken(end) else { return nil }
        let label = NumberLabel.before(i, in: t)
        guard label == .kvk || (label == .none && NumberLabel.kvkAfter(end, in: t)) else { return nil }
        if t.amountBefore(i) || t.amountAfter(end) || t.followsIBANStart(i) { return nil }
        return Candidate(start: i, end: end, kind: .kvk,
                         note: "KvK-nummer (van een eenmanszaak of persoon: lakken; van een rechtspersoon: openbaar)")
    }

    private static func read(at i: Int, in t: ScalarText) -> Int? {
        let first = t.digitRun(i)
        switch first - i {
        case 8:
            return first
        case 4:
            guard t.isBlank(first) || t.is(first, "."), t.digitRun(first + 1) - (first + 1) == 4 else { return nil }
            return first + 5
        case 2:
            let sep = t[first]
            guard sep == 0x20 || sep == 0x2E else { return nil }
            var j = first
            for _ in 0..<3 {
                guard t[j] == sep, t.digitRun(j + 1) - (j + 1) == 2 else { return nil }
                j += 3
            }
            return j
        default:
            return nil
        }
    }
}

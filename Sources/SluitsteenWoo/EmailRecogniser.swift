// SPDX-License-Identifier: EUPL-1.2

/// E-mail addresses of people outside the organisation. Addresses at the organisation's own domains (and their
/// subdomains) are its own — functional ones such as info@ or woo@ stay in, and so do staff addresses unless the
/// settings list them for redaction.
struct EmailRecogniser {
    let ownDomains: [String]
    /// Own-domain addresses to suggest all the same (staff who are not key persons), lowercase.
    let staffAddresses: Set<String>

    /// The address around the `@` at `at`, if there is one to suggest.
    func match(at: Int, in t: ScalarText) -> Candidate? {
        var start = at
        while start > 0, EmailRecogniser.isLocal(t[start - 1]) { start -= 1 }
        while start < at, t[start] == 0x2E || t[start] == 0x2D || t[start] == 0x27 { start += 1 }  // no leading dot, dash, quote
        guard start < at, t[at - 1] != 0x2E else { return nil }
        // Domain: labels of letters, digits and hyphens separated by single dots; the last label has letters only.
        var end = at + 1
        var lastDot = -1
        while EmailRecogniser.isDomain(t[end]) || (t[end] == 0x2E && EmailRecogniser.isDomain(t[end + 1]) && t[end - 1] != 0x2E) {
            if t[end] == 0x2E { lastDot = end }
            end += 1
        }
        while end > at + 1, t[end - 1] == 0x2D { end -= 1 }
        guard lastDot > at + 1, end - lastDot >= 3, ((lastDot + 1)..<end).allSatisfy({ t.isASCIILetter($0) }) else { return nil }
        let address = t.string(start, end).lowercased()
        let domain = t.string(at + 1, end).lowercased()
        if ownDomains.contains(where: { domain == $0 || domain.hasSuffix("." + $0) }) {
            guard staffAddresses.contains(address) else { return nil }
            return Candidate(start: start, end: end, kind: .email, note: "e-mailadres van een medewerker (geen sleutelpersoon)")
        }
        return Candidate(start: start, end: end, kind: .email, note: "e-mailadres buiten de organisatie")
    }

    private static func isLocal(_ c: UInt32) -> Bool {
        if c >= 0x80 { return ScalarText.isLetter(c) }
        let l = c | 0x20
        return (l >= 0x61 && l <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x5F || c == 0x2D || c == 0x2B || c == 0x25
            || c == 0x27
    }

    private static func isDomain(_ c: UInt32) -> Bool {
        if c >= 0x80 { return false }
        let l = c | 0x20
        return (l >= 0x61 && l <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D
    }
}

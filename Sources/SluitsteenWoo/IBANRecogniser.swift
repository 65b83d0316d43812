// SPDX-License-Identifier: EUPL-1.2

/// IBANs (ISO 13616) of the European countries: the country's length, check digits with mod 97 = 1, written
/// together or in groups separated by single spaces (`NL91 ABNA 0417 1643 00`). A Dutch IBAN also has the Dutch
/// form: four letters of the bank code, then ten digits.
enum IBANRecogniser {
    /// IBAN length per country (SEPA countries and their European neighbours).
    static let lengths: [String: Int] = [
        "AD": 24, "AL": 28, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "BY": 28, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
        "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
        "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19,
        "SK": 24, "SM": 27, "TR": 26, "UA": 29, "VA": 22, "XK": 20,
    ]

    /// Whether `iban` (letters and digits only, any case) is a valid IBAN of a listed country.
    static func isValid(_ iban: String) -> Bool {
        let chars = Array(iban.uppercased().unicodeScalars).map(\.value)
        guard chars.count >= 4, chars.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else { return false }
        let country = String(iban.uppercased().prefix(2))
        guard let length = lengths[country], chars.count == length else { return false }
        guard chars[2] <= 0x39, chars[3] <= 0x39 else { return false }
        if country == "NL" {
            guard chars[4...7].allSatisfy({ $0 >= 0x41 }), chars[8...].allSatisfy({ $0 <= 0x39 }) else { return false }
        }
        return mod97(chars) == 1
    }

    /// The ISO 7064 remainder: the first four characters moved to the end, letters as 10–35.
    static func mod97(_ chars: [UInt32]) -> Int {
        var remainder = 0
        for c in chars[4...] + chars[..<4] {
            if c <= 0x39 {
                remainder = (remainder * 10 + Int(c - 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(c - 0x41 + 10)) % 97
            }
        }
        return remainder
    }

    /// The IBAN starting at `i` (a letter at the start of a token), if there is one.
    static func match(at i: Int, in t: ScalarText) -> Candidate? {
        guard t.isASCIILetter(i), t.isASCIILetter(i + 1), t.isDigit(i + 2) else { return nil }
        let country = t.string(i, i + 2).uppercased()
        guard let length = lengths[country] else { return nil }
        // Letters and digits, with single spaces between groups, until the country's length is reached.
        var chars = String.UnicodeScalarView()
        var j = i
        while chars.count < length {
            if t.isBlank(j), chars.count >= 2, t.isAlnum(j + 1), t[j + 1] < 0x80 { j += 1 }
            guard t[j] < 0x80, t.isAlnum(j) else { return nil }
            chars.append(Unicode.Scalar(t[j])!)
            j += 1
        }
        guard t.endsToken(j), isValid(String(chars)) else { return nil }
        return Candidate(start: i, end: j, kind: .iban, note: "IBAN \(country) (controlegetal klopt)")
    }
}

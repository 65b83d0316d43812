// SPDX-License-Identifier: EUPL-1.2

/// Addresses: a Dutch postcode (`2922 AB`, `2922AB`), with the house number when it follows (`2922 AB 14a`,
/// `2922 AB, huisnummer 14-2`), and the street with house number before a postcode on the same line or at the end of
/// the line before it (`Dorpsstraat 12, 2922 AB …`, an address block). Each becomes its own span. A letter pair
/// that is also a unit or a word (`1500 KG`, `2024 EN`) counts only with a house number, a street, a place name or
/// the word postcode around it; a Postbus or Antwoordnummer address is the organisation's and is left alone.
enum AddressRecogniser {
    /// The postcode (with house number) starting at `i`, and the street before it, if any.
    static func match(at i: Int, in t: ScalarText) -> [Candidate] {
        guard t.isDigit(i), !t.is(i, "0"), t.digitRun(i) - i == 4 else { return [] }
        var j = i + 4
        if t.isBlank(j), t.isASCIILetter(j + 1) { j += 1 }
        guard t.isASCIILetter(j), t.isASCIILetter(j + 1), !t.isLetter(j + 2), !t.isDigit(j + 2) || j == i + 4 else { return [] }
        let letters = t.string(j, j + 2)
        let labelled = t.wordsBefore(i, limit: 20).first.map { $0 == "postcode" || $0 == "pc" } ?? false
        guard !["SA", "SD", "SS"].contains(letters.uppercased()) else { return [] }
        guard t.endsToken(j + 2) || t.isDigit(j + 2) else { return [] }
        let postcodeEnd = j + 2
        if isOrganisationBox(before: i, in: t) { return [] }
        let street = street(before: i, in: t)
        // Written in lower case only after the word postcode or a street with house number.
        let upper = t.isUpper(j) && t.isUpper(j + 1)
        guard upper || ((labelled || street != nil) && t.isLower(j) && t.isLower(j + 1)) else { return [] }
        let number = houseNumber(after: postcodeEnd, in: t)
        var place = postcodeEnd
        while t.isBlank(place), place - postcodeEnd < 2 { place += 1 }
        let placeAfter = place > postcodeEnd && t.isUpper(place)
        // "2024 EN 2025": a four-digit number after a weak pair is a year, not a house number.
        let houseNumberSupports = number.map { t.digitRun($0.start) - $0.start < 4 } ?? false
        if weakPairs.contains(letters), !labelled, street == nil, !placeAfter, !houseNumberSupports { return [] }

        var found: [Candidate] = []
        if let street { found.append(street) }
        if let number {
            found.append(Candidate(start: i, end: number.end, kind: .address, note: "postcode en huisnummer"))
        } else {
            found.append(Candidate(start: i, end: postcodeEnd, kind: .address, note: "postcode"))
        }
        return found
    }

    /// Letter pairs that are also units, abbreviations or words in capitals.
    static let weakPairs: Set<String> = [
        "KG", "KM", "MB", "GB", "KB", "TB", "MG", "ML", "CM", "MM", "KW", "MW", "GW", "HZ", "PK", "NM", "KJ", "KV", "DB",
        "CC", "CL", "DL", "HA", "LT", "PC", "TV", "AM", "PM", "UV", "EN", "OF", "DE", "IN", "OP", "TE", "NA", "OM", "ER",
        "AD", "BC", "NR", "EU", "NL", "ZO", "ZN", "VS", "AN", "ON", "TO", "AT", "IS",
    ]

    /// Where a house number after a postcode starts and ends: `14`, `14a`, `14-2`, `14 A`, after blanks, a comma, or the word
    /// huisnummer/nr.
    static func houseNumber(after end: Int, in t: ScalarText) -> (start: Int, end: Int)? {
        var k = end
        if t.is(k, ",") { k += 1 }
        guard t.isBlank(k) else { return nil }
        while t.isBlank(k) { k += 1 }
        for word in ["huisnummer", "huisnr", "nummer", "nr"] where t.matchesFolded(word, at: k) && !t.isLetter(k + word.count) {
            k += word.count
            if t.is(k, ".") { k += 1 }
            if t.is(k, ":") { k += 1 }
            while t.isBlank(k) { k += 1 }
            break
        }
        if t.is(end, ","), k == end + 2 { return nil }  // "2922 AB, 12 …" without the word huisnummer: not a number
        return numberWithAddition(at: k, in: t).map { (k, $0) }
    }

    /// A house number with its addition starting at `k`: its end, or nil.
    static func numberWithAddition(at k: Int, in t: ScalarText) -> Int? {
        guard t.isDigit(k), !t.is(k, "0") else { return nil }
        let digitsEnd = t.digitRun(k)
        guard digitsEnd - k <= 5 else { return nil }
        var e = digitsEnd
        if t.isBlank(e), t.matchesFolded("bis", at: e + 1), !t.isAlnum(e + 4) {
            e += 4
        } else if t.matchesFolded("bis", at: e), !t.isAlnum(e + 3) {
            e += 3
        } else if t.isASCIILetter(e), !t.isLetter(e + 1) {
            e += 1
        } else if t.is(e, "-"), t.isAlnum(e + 1) {
            var f = e + 1
            while t.isAlnum(f), f - e <= 4 { f += 1 }
            if !t.isAlnum(f) { e = f }
        } else if t.isBlank(e), t.isUpper(e + 1), t.isASCIILetter(e + 1), !t.isAlnum(e + 2) {
            e += 2
        }
        return t.endsToken(e) ? e : nil
    }

    /// Endings of Dutch street names ("Dorpsstraat", "Lekdijk", "Prinses Margrietlaan", "Oosteinde").
    static let streetEndings: [String] = [
        "straat", "weg", "laan", "plein", "dijk", "kade", "gracht", "singel", "dreef", "hof", "pad", "steeg", "plantsoen",
        "markt", "haven", "wal", "erf", "boulevard", "allee", "einde", "broek",
    ]

    /// Words after a number that make it a quantity, a time or a date rather than a house number.
    static let notHouseNumbers: Set<String> = [
        "km", "m", "meter", "kilometer", "uur", "jaar", "maanden", "weken", "dagen", "minuten", "min", "procent", "keer",
        "x", "cm", "ha", "woningen", "huizen", "bomen", "parkeerplaatsen", "mensen", "bewoners", "januari", "februari",
        "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december", "jan", "feb",
        "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
    ]

    /// Titles in street names, after which tussenvoegsels may follow ("Burgemeester van Stamstraat").
    private static let streetTitles: Set<String> = [
        "burgemeester", "prins", "prinses", "koning", "koningin", "graaf", "gravin", "dokter", "generaal", "admiraal",
        "pastoor", "jonkheer", "hertog", "president", "professor", "kapitein", "pater", "ridder", "baron", "wethouder",
    ]

    /// Capitalised words that start a sentence, not a street name ("Langs de Lekdijk 48 …").
    private static let sentenceWords: Set<String> = [
        "ik", "mijn", "wij", "we", "onze", "ons", "uw", "zie", "naar", "voor", "via", "langs", "tot", "vanaf", "richting",
        "met", "door", "na", "om", "zijn", "haar", "hun", "deze", "die", "dit", "dat", "een", "waar", "hier", "daar",
        "adres", "woonadres", "locatie", "bij", "aan", "op", "in", "over", "uit",
    ]

    /// A street with house number where no postcode follows: capitalised words (and tussenvoegsels), the last of
    /// which ends like a street name, then the house number (`woont aan de Kerkweg 7a`, `Prinses Margrietlaan 7`).
    static func streetWithNumber(at i: Int, in t: ScalarText) -> Candidate? {
        // First the shape, without making strings: up to four words, then a blank and a digit.
        var shape = i
        for n in 0..<5 {
            guard n < 4, t.isLetter(shape) else { return nil }
            shape = t.letterRun(shape)
            while (t.is(shape, "-") || t.is(shape, "'")) && t.isLetter(shape + 1) { shape = t.letterRun(shape + 1) }
            guard t.isBlank(shape) else { return nil }
            shape += 1
            if t.isDigit(shape) { break }
        }
        var k = i
        for n in 0..<4 {
            guard t.isLetter(k) else { return nil }
            var end = t.letterRun(k)
            while (t.is(end, "-") || t.is(end, "'")) && t.isLetter(end + 1) { end = t.letterRun(end + 1) }
            let word = t.lowercased(k, end)
            if n == 0, !t.isUpper(k) || sentenceWords.contains(word) || notStreets.contains(word) || NameRecogniser.titles.contains(word) {
                return nil
            }
            // Tussenvoegsels only in names after a title ("Burgemeester van Stamstraat"), not after a person's name
            // ("mevrouw Hoogerwerf van Dorpsstraat 18").
            if !t.isUpper(k) { guard particles.contains(word), streetTitles.contains(t.lowercased(i, t.letterRun(i))) else { return nil } }
            guard t.isBlank(end) else { return nil }
            if t.isUpper(k), t.isDigit(end + 1), streetEndings.contains(where: { word.hasSuffix($0) }) {
                guard let numberEnd = numberWithAddition(at: end + 1, in: t) else { return nil }
                if let next = t.wordsAfter(numberEnd, limit: 14).first, notHouseNumbers.contains(next) { return nil }
                if t.is(numberEnd, "%") || t.is(numberEnd, ":") { return nil }
                return Candidate(start: i, end: numberEnd, kind: .address, note: "straat en huisnummer")
            }
            k = end + 1
        }
        return nil
    }

    /// Whether the lines after the line break at `lineBreak` are an address: street and number, then a postcode.
    static func addressBlockFollows(_ lineBreak: Int, in t: ScalarText) -> Bool {
        var k = lineBreak
        if t.is(k, "\r") { k += 1 }
        guard t.is(k, "\n") else { return false }
        k += 1
        while t.isBlank(k) { k += 1 }
        guard t.isUpper(k) else { return false }
        let end = t.lineEnd(k, limit: 80)
        var postcode = end
        if t.is(postcode, "\r") { postcode += 1 }
        guard t.is(postcode, "\n") else { return false }
        postcode += 1
        while t.isBlank(postcode) { postcode += 1 }
        guard t.digitRun(postcode) - postcode == 4, let street = street(before: postcode, in: t) else { return false }
        return street.start == k
    }

    /// `Postbus 123, 2900 AA` or `Antwoordnummer 45` (on the line before in an address block): the organisation's
    /// own postal address.
    private static func isOrganisationBox(before i: Int, in t: ScalarText) -> Bool {
        let isBox = { (word: String) in word == "postbus" || word == "antwoordnummer" }
        if t.wordsBefore(i, limit: 30).prefix(2).contains(where: isBox) { return true }
        // In an address block the box is on the line before.
        guard t.startsLine(i) else { return false }
        var end = t.lineStart(i) - 1
        if t.is(end - 1, "\r") { end -= 1 }
        guard end > 0 else { return false }
        return t.folded(t.lineStart(end, limit: 60), end).split(separator: " ").first.map { isBox(String($0)) } ?? false
    }

    private static let particles: Set<String> = [
        "van", "de", "der", "den", "het", "'t", "aan", "op", "in", "bij", "ter", "ten", "te", "la", "le", "du", "over",
    ]
    private static let notStreets: Set<String> = [
        "ik", "mijn", "wij", "ons", "onze", "uw", "adres", "woonadres", "postadres", "bezoekadres", "postbus",
        "antwoordnummer", "betreft", "geachte", "beste", "aan", "op", "per", "sinds", "tot", "vanaf", "datum",
    ]

    /// The street with house number ending just before the postcode at `p` (after blanks and a comma, or at the
    /// end of the line before), if there is one.
    static func street(before p: Int, in t: ScalarText) -> Candidate? {
        var j = p - 1
        var breaks = 0
        while t.isBlank(j) { j -= 1 }
        if t.is(j, ":") {  // "Postcode en woonplaats: 2861 BK …" under "Adres: Schoolstraat 5"
            let start = t.lineStart(j, limit: 40)
            guard start == 0 || t.isLineBreak(start - 1), t.folded(start, j).hasPrefix("postcode") else { return nil }
            j = start - 1
        }
        while j >= 0 {
            if t.isBlank(j) || t.is(j, ",") { j -= 1 } else if t.is(j, "\n"), breaks == 0 {
                breaks += 1
                j -= 1
                if t.is(j, "\r") { j -= 1 }
            } else { break }
        }
        let numberEnd = j + 1
        guard numberEnd < p else { return nil }
        // The house number token, then the words of the street name before it.
        var a = numberEnd
        while a > 0, t.isAlnum(a - 1) || t.is(a - 1, "-") { a -= 1 }
        if a + 1 == numberEnd && t.isUpper(a) || t.lowercased(a, numberEnd) == "bis", t.isBlank(a - 1), t.isDigit(a - 2) {  // 12 A, 12 bis
            a -= 1
            while a > 0, t.isDigit(a - 1) { a -= 1 }
        }
        guard t.isDigit(a), numberWithAddition(at: a, in: t) == numberEnd, t.isBlank(a - 1) else { return nil }
        var start: Int?
        var k = a - 1
        var words = 0
        while words < 5 {
            while k >= 0, t.isBlank(k) { k -= 1 }
            var ws = k + 1
            while ws > 0, t.isLetter(ws - 1) || t.is(ws - 1, ".") || t.is(ws - 1, "'") || t.is(ws - 1, "-") { ws -= 1 }
            guard ws <= k, t.isLetter(ws) || t.is(ws, "'") else { break }
            let word = t.lowercased(ws, k + 1)
            if t.isUpper(ws) {
                if notStreets.contains(word) { break }
                start = ws
            } else if !particles.contains(word) {
                break
            }
            words += 1
            k = ws - 1
            guard k >= 0, t.isBlank(k) else { break }
        }
        guard let start else { return nil }
        return Candidate(start: start, end: numberEnd, kind: .address, note: "straat en huisnummer")
    }
}

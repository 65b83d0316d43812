// SPDX-License-Identifier: EUPL-1.2

/// Names of people.
///
/// - Staff from the registers who are not key persons, when the policy setting is on: the full name, first name
///   with surname, initials with surname (`Jan Pieter de Ridder`, `Jan de Ridder`, `J.P. de Ridder`, `J. de Ridder`;
///   tussenvoegsels in any case), and the first name alone (`Hoi Jan,`) unless a key person has it too or it is also
///   a common word. Key persons' names are never suggested, and a form a key person shares is dropped.
/// - Anyone named where the text says a name follows: after a form of address (`de heer P. Jansen`, `mevrouw De
///   Wit`) or a relation (`zijn dochter Mirjam`, `buurman Pronk`), after `t.n.v.`, after a label (`Naam:`,
///   `Melder:`, `Van:` and `Aan:` in mail headers, `Aanwezig:` lists), alone on the line after a closing (`Met
///   vriendelijke groet,`) or above an address — unless it is a key person's name, a staff member's while the
///   setting is off, or an organisation's.
/// - Every other occurrence in the same text of a name found so (``propagate(_:in:)``).
///
/// Names in running text without such a clue ("Elif was twee dagen afwezig") are not found.
struct NameRecogniser {
    /// One written form of a registered name, as words in lowercase (`j.`, `de`, `ridder`).
    struct Form: Hashable {
        var words: [String]
        var isKeyPerson: Bool
    }

    /// What the recogniser made of a word: names to suggest, and where to go on (past a key person's name too).
    struct Match {
        var candidates: [Candidate]
        var skipTo: Int
    }

    private var forms: [UInt64: [Form]] = [:]
    private var keyForms: Set<[String]> = []
    private var staffForms: Set<[String]> = []
    /// Surnames (with tussenvoegsels, lowercase words) of key persons and of staff, for names found by context.
    private var keySurnames: Set<[String]> = []
    private var staffSurnames: Set<[String]> = []
    private var keyFirstNames: Set<String> = []
    private let redactStaff: Bool
    private var triggers: Set<UInt64> = []

    init(staff: [StaffMember], redactStaffNames: Bool) {
        redactStaff = redactStaffNames
        var staffFirstNames: Set<String> = []
        for member in staff {
            guard let parsed = NameRecogniser.parse(member.name) else { continue }
            if member.isKeyPerson {
                keyForms.formUnion(parsed.forms)
                keySurnames.insert(parsed.surname)
                if let first = parsed.firstName { keyFirstNames.insert(first) }
            } else {
                staffForms.formUnion(parsed.forms)
                staffSurnames.insert(parsed.surname)
                if let first = parsed.firstName { staffFirstNames.insert(first) }
            }
        }
        for first in staffFirstNames.subtracting(keyFirstNames).subtracting(NameRecogniser.commonWords) { staffForms.insert([first]) }
        staffForms.subtract(keyForms)
        staffSurnames.subtract(keySurnames)
        for words in keyForms { forms[ScalarText.hash(words[0]), default: []].append(Form(words: words, isKeyPerson: true)) }
        if redactStaff {
            for words in staffForms { forms[ScalarText.hash(words[0]), default: []].append(Form(words: words, isKeyPerson: false)) }
        }
        let contextWords = [NameRecogniser.titles, NameRecogniser.relations, NameRecogniser.labels, ["t"]].joined()
        triggers = Set(forms.keys).union(contextWords.map(ScalarText.hash))
    }

    // MARK: Matching

    /// The names that start at the word at `i` (a letter at the start of a token), if any.
    func match(at i: Int, in t: ScalarText) -> Match? {
        let wordEnd = t.letterRun(i)
        if t.isUpper(i), t.startsLine(i), let signature = signature(at: i, in: t) { return signature }
        guard triggers.contains(t.hash(i, wordEnd)) else { return nil }
        let word = t.lowercased(i, wordEnd)
        if NameRecogniser.labels.contains(word), let label = afterLabel(at: i, wordEnd: wordEnd, in: t) { return label }
        if word == "t" {  // "t.n.v. F. Kaya": ten name van, before the account holder
            guard t.matchesFolded("t.n.v.", at: i) else { return nil }
            var k = i + 6
            while t.isBlank(k) { k += 1 }
            guard let phrase = NameRecogniser.phrase(NameRecogniser.tokens(from: k, in: t, limit: 8), from: 0, skippingWords: false)
            else { return nil }
            return Match(candidates: judge(phrase, note: "naam van een persoon (tenaamstelling)").map { [$0] } ?? [], skipTo: phrase.end)
        }
        let tokens = NameRecogniser.tokens(from: i, in: t, limit: 8)
        guard let first = tokens.first else { return nil }
        // A registered name (the longest form that fits).
        var best: (form: Form, end: Int)?
        for form in forms[ScalarText.hash(first.word)] ?? [] where form.words.count <= tokens.count {
            guard NameRecogniser.fits(form.words, tokens) else { continue }
            let end = tokens[form.words.count - 1].end
            if best == nil || end > best!.end { best = (form, end) }
        }
        if let best {
            if best.form.isKeyPerson { return Match(candidates: [], skipTo: best.end) }
            let note = best.form.words.count == 1 ? "voornaam van een medewerker (geen sleutelpersoon)" : NameRecogniser.staffNote
            return Match(candidates: [Candidate(start: i, end: best.end, kind: .name, note: note)], skipTo: best.end)
        }
        if NameRecogniser.titles.contains(first.word) || NameRecogniser.relations.contains(first.word) {
            guard let phrase = NameRecogniser.phrase(tokens, from: 1, skippingWords: false) else { return nil }
            let isTitle = NameRecogniser.titles.contains(first.word)
            let note = isTitle ? "naam van een persoon (na aanhef)" : "naam van een persoon (na \(first.word))"
            return Match(candidates: judge(phrase, note: note).map { [$0] } ?? [], skipTo: phrase.end)
        }
        return nil
    }

    /// `Naam: …`, `Melder: …`, `Van: … <…>`, `Aanwezig: A (…), B en C`: the names after a label of at most three
    /// words ending in a colon, at the start of a line or of a clause, that says nothing of an address, a number or a
    /// date.
    private func afterLabel(at i: Int, wordEnd: Int, in t: ScalarText) -> Match? {
        var before = i - 1
        while t.isBlank(before) { before -= 1 }
        guard before < 0 || t.isLineBreak(before) || t.is(before, ",") || t.is(before, ";") || t.is(before, "(") || t.is(before, ">")
        else { return nil }
        var colon = wordEnd
        for _ in 0..<3 {  // "Naam aanvrager:", "Ouder 1:", "Ouder/verzorger:"
            while t.isBlank(colon) || t.is(colon, "/") { colon += 1 }
            if t.is(colon, ":") { break }
            guard t.isLetter(colon) || t.isDigit(colon) else { return nil }
            colon = t.isLetter(colon) ? t.letterRun(colon) : t.digitRun(colon)
        }
        guard t.is(colon, ":") else { return nil }
        let label = t.folded(i, colon).trimmingSpaces
        guard label.split(separator: " ").allSatisfy({ !NameRecogniser.notNameLabels.contains(String($0)) }) else { return nil }
        var found: [Candidate] = []
        var k = colon + 1
        var end = colon + 1
        // The value may start on the next line ("Aan de ouders van:" above the name).
        while t.isBlank(k) { k += 1 }
        if t.is(k, "\r") { k += 1 }
        if t.is(k, "\n") { k += 1 }
        for _ in 0..<12 {
            while t.isBlank(k) { k += 1 }
            let tokens = NameRecogniser.tokens(from: k, in: t, limit: 10)
            guard let phrase = NameRecogniser.phrase(tokens, from: 0, skippingWords: true) else { break }
            var next = phrase.end
            while t.isBlank(next) { next += 1 }
            let remark = t.is(next, "(") || t.is(next, "<")
            let column = next - phrase.end >= 3 || t.is(phrase.end, "\t")  // the next field of a form, in columns
            let ends = remark || column || t.is(next, ",") || t.is(next, ";") || t.isLineBreak(next) || next >= t.count
                || t.is(next, ")") || t.matchesFolded("en ", at: next) || t.is(next, ".") && !t.isLetter(next + 1)
            guard ends else { break }
            if let c = judge(phrase, note: "naam van een persoon (na \(label):)") { found.append(c) }
            end = phrase.end
            // Past a remark in parentheses or an address in angle brackets on the same line, to the next name.
            if remark {
                let close: UInt32 = t.is(next, "(") ? 0x29 : 0x3E
                var j = next + 1
                while j < t.count, j - next < 200, t[j] != close, !t.isLineBreak(j) { j += 1 }
                guard t[j] == close else { break }
                next = j + 1
                while t.isBlank(next) { next += 1 }
            }
            if t.is(next, ",") || t.is(next, ";") { k = next + 1 } else if t.matchesFolded("en ", at: next) { k = next + 3 } else { break }
        }
        return Match(candidates: found, skipTo: max(end, i + 1))
    }

    /// A name alone on its line right after a closing ("Met vriendelijke groet,", "Hoogachtend,", "namens …,"),
    /// with at most one empty line between, or right above an address (street and number, then postcode).
    private func signature(at i: Int, in t: ScalarText) -> Match? {
        var lineEnd = t.lineStart(i) - 1
        var previous = ""
        for _ in 0..<4 {  // the line before, past one empty line (a CR of a CRLF counts as a line of its own here)
            guard lineEnd > 0 else { return nil }
            let start = t.lineStart(lineEnd)
            previous = t.folded(start, lineEnd).trimmingSpaces
            if !previous.isEmpty { break }
            lineEnd = start - 1
        }
        let words = previous.split(separator: " ")
        let afterClosing = words.last.map { NameRecogniser.closings.contains(String($0)) } ?? false || words.contains("namens")
        let tokens = NameRecogniser.tokens(from: i, in: t, limit: 8)
        guard let phrase = NameRecogniser.phrase(tokens, from: 0, skippingWords: false) else { return nil }
        var next = phrase.end
        if t.is(next, ",") { next += 1 }
        while t.isBlank(next) { next += 1 }
        guard t.isLineBreak(next) || next >= t.count else { return nil }
        guard afterClosing || AddressRecogniser.addressBlockFollows(next, in: t),
              let c = judge(phrase, note: afterClosing ? "naam van een persoon (ondertekening)" : "naam van een persoon (boven een adres)")
        else { return nil }
        return Match(candidates: [c], skipTo: phrase.end)
    }

    /// Every other occurrence in the text of a name found in it: the same words, and the first name alone (not when
    /// a key person has it, or it is also a common word) — "Femke Dijkstra" in a list makes "Femke" a name further on.
    func propagate(_ names: [Candidate], in t: ScalarText) -> [Candidate] {
        var known: [UInt64: Set<[String]>] = [:]
        for c in names {
            let words = NameRecogniser.tokens(from: c.start, in: t, limit: 8).filter { $0.end <= c.end }
            guard words.count >= 2 else { continue }
            known[ScalarText.hash(words[0].word), default: []].insert(words.map(\.word))
            let first = words[0]
            if !first.isInitial, first.end - first.start >= 3, !NameRecogniser.isParticle(first.word), !words[1].isInitial,
               !keyFirstNames.contains(first.word), !NameRecogniser.commonWords.contains(first.word) {
                known[ScalarText.hash(first.word), default: []].insert([first.word])
            }
        }
        guard !known.isEmpty else { return [] }
        var out: [Candidate] = []
        var i = 0
        while i < t.count {
            guard t.isUpper(i), t.startsToken(i) else { i += 1; continue }
            let wordEnd = t.letterRun(i)
            let hash = t.hash(i, wordEnd)
            if let candidates = known[hash] {
                let tokens = NameRecogniser.tokens(from: i, in: t, limit: 8)
                // A key person's name here is theirs, whatever else matches.
                let isKey = (forms[hash] ?? []).contains { $0.isKeyPerson && NameRecogniser.fits($0.words, tokens) }
                let best = candidates.filter { NameRecogniser.fits($0, tokens) }.max { $0.count < $1.count }
                if !isKey, let best {
                    out.append(Candidate(start: i, end: tokens[best.count - 1].end, kind: .name,
                                         note: "naam van een persoon (elders in de tekst genoemd)"))
                }
            }
            i = max(wordEnd, i + 1)
        }
        return out
    }

    /// The candidate for a name found by context, unless it is a key person's, a staff member's while the setting is
    /// off, or an organisation's.
    private func judge(_ phrase: Phrase, note: String) -> Candidate? {
        let surname = NameRecogniser.surname(of: phrase.words)
        // A surname alone ("de heer Koster") may be a key person's; with a first name or initials it is compared whole.
        if keyForms.contains(phrase.words) || surname == phrase.words && keySurnames.contains(surname) { return nil }
        if phrase.words.contains(where: { word in NameRecogniser.organisationWords.contains { word.hasSuffix($0) } }) { return nil }
        let isStaff = staffForms.contains(phrase.words) || staffSurnames.contains(surname)
        if isStaff, !redactStaff { return nil }
        return Candidate(start: phrase.start, end: phrase.end, kind: .name, note: isStaff ? NameRecogniser.staffNote : note)
    }

    private static let staffNote = "naam van een medewerker (geen sleutelpersoon)"

    /// A name found in the tokens: initials, capitalised words and tussenvoegsels, ending with a capitalised word.
    struct Phrase {
        var start: Int
        var end: Int
        var words: [String]
    }

    /// The name from token `k` on, after any forms of address (and, in a list, up to three lowercase words such as
    /// "wethouder" or "zijn architect").
    static func phrase(_ tokens: [Token], from k: Int, skippingWords: Bool) -> Phrase? {
        var k = k
        var skipped = 0
        while k < tokens.count {
            if titles.contains(tokens[k].word) {
                k += 1
            } else if skippingWords, skipped < 3, !tokens[k].capitalised, !isParticle(tokens[k].word) {
                k += 1
                skipped += 1
            } else {
                break
            }
        }
        var words: [String] = []
        var start: Int?
        var end = 0
        var nameWords = 0
        for token in tokens[min(k, tokens.count)...] {
            if isParticle(token.word) && !token.isInitial {
                words.append(token.word)
            } else if token.capitalised, !functionWords.contains(token.word), !titles.contains(token.word), !token.isStreet {
                words.append(token.word)
                if !token.isInitial {
                    end = token.end
                    nameWords = words.count
                }
            } else {
                break
            }
            if start == nil { start = token.start }
        }
        guard let start, nameWords > 0 else { return nil }
        return Phrase(start: start, end: end, words: Array(words.prefix(nameWords)))
    }

    // MARK: Words

    /// Forms of address after which a name follows.
    static let titles: Set<String> = [
        "heer", "mevrouw", "meneer", "mevr", "mw", "mvr", "dhr", "hr", "mr", "drs", "dr", "ir", "ing", "prof", "ds",
        "juffrouw", "mej", "mrs", "ms", "mister", "familie", "fam", "echtpaar", "weduwe", "wed",
    ]

    /// Capitalised words that are functions, not names ("mevrouw de Wethouder").
    static let functionWords: Set<String> = [
        "wethouder", "burgemeester", "voorzitter", "secretaris", "griffier", "directeur", "gemeentesecretaris", "minister",
        "staatssecretaris", "commissaris", "heer", "mevrouw", "meneer", "raadslid", "ombudsman", "advocaat", "notaris",
        "gemeente", "college", "leden", "bestuurder", "rechter", "dokter", "huisarts", "agent", "inspecteur", "en",
    ]

    /// Tussenvoegsels (and the particles of Arabic and Romance names): never capitalised by rule.
    private static let particles: Set<String> = [
        "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "aan", "la", "le", "du", "da", "di",
        "del", "von", "zu", "vd", "'s", "d'", "l'", "uit", "onder", "bij", "el", "al", "ben", "bin", "ibn", "abu", "dos",
    ]

    /// Words for people close to someone, after which a name follows ("zijn dochter Mirjam", "buurman Pronk").
    static let relations: Set<String> = [
        "collega", "buurman", "buurvrouw", "dochter", "zoon", "moeder", "vader", "broer", "zus", "zwager", "schoonzoon",
        "schoondochter", "schoonmoeder", "schoonvader", "echtgenote", "echtgenoot", "cliënt", "cliënte", "kleinzoon",
        "kleindochter", "oom", "tante", "opa", "oma", "vriend", "vriendin", "mentor", "architect", "gezin", "kind",
        "vrouw", "ene",
    ]

    /// Labels after which names follow (`Naam:`, `Melder:`, mail headers, lists of those present).
    static let labels: Set<String> = [
        "naam", "aanvrager", "melder", "beller", "contactpersoon", "cliënt", "client", "schuldenaar", "betrokkene",
        "handtekening", "klant", "bewoner", "eigenaar", "huurder", "verzoeker", "bezwaarmaker", "partner", "moeder",
        "vader", "echtgenote", "echtgenoot", "initiatiefnemer", "gemachtigde", "behandelaar", "consulent",
        "klantmanager", "casemanager", "aanwezig", "afwezig", "notulist", "van", "aan", "cc", "bcc", "from", "to",
        "afzender", "geadresseerde", "ontvanger", "medewerker", "leerling", "getuige", "contact", "begeleider",
        "voorzitter", "penningmeester", "secretaris", "bestuurslid", "directeur", "kind", "ouder", "gezinslid",
        "opgesteld", "auteur",
    ]

    /// Words in a label that make it about something other than a name ("Adres contactpersoon:").
    static let notNameLabels: Set<String> = [
        "adres", "postadres", "telefoon", "telefoonnummer", "tel", "email", "e", "mail", "geboortedatum", "bsn", "postcode",
        "woonplaats", "rekeningnummer", "iban", "kenteken", "datum", "onderwerp", "subject", "nummer", "functie",
    ]

    /// Last words of a closing line before a signature.
    static let closings: Set<String> = [
        "groet", "groeten", "groetjes", "hoogachtend", "mvg", "gr", "regards", "dank", "bedankt", "wishes",
    ]

    /// Endings of words that name an organisation, not a person ("Windadvies Rijnmond", "Kinderopvang De Vlinder").
    static let organisationWords: [String] = [
        "vereniging", "stichting", "bedrijf", "bureau", "voorziening", "centrum", "dienst", "groep", "partners", "advies",
        "advocatuur", "architecten", "makelaardij", "verzekeringen", "gemeente", "team", "afdeling", "loket", "school",
        "opvang", "corporatie", "college", "commissie", "politie", "werken", "holding", "techniek", "bouw", "zorg",
        "fractie", "partij", "ministerie", "provincie", "waterschap", "rechtbank", "kantoor", "comité", "comite",
    ]

    /// First names that are also common words: not suggested on their own.
    static let commonWords: Set<String> = [
        "ben", "wil", "mark", "roos", "jet", "rob", "april", "may", "storm", "hoop", "zon", "lente", "bloem", "dag",
    ]

    static func isParticle(_ word: String) -> Bool { particles.contains(word) }

    /// Whether the words of a name (lowercase) start `tokens`: the same words, and capitalised where the name's word
    /// is not a tussenvoegsel ("Bakker" is a name, "bakker" a trade).
    static func fits(_ words: [String], _ tokens: [Token]) -> Bool {
        words.count <= tokens.count && zip(words, tokens).allSatisfy { $0 == $1.word && ($1.capitalised || isParticle($0)) }
    }

    /// One word of a name as written in the text.
    struct Token {
        var start: Int
        var end: Int
        /// Lowercase; an initial keeps its dot (`j.`).
        var word: String
        var capitalised: Bool
        var isInitial: Bool
        /// A blank and a digit follow: a street with its house number ("Dorpsstraat 18") if it ends like a street.
        var beforeNumber = false

        var isStreet: Bool { beforeNumber && capitalised && AddressRecogniser.streetEndings.contains { word.hasSuffix($0) } }
    }

    /// The words from `i` on, at most `limit`: separated by one or two blanks, or by nothing after an initial
    /// (`J.P.`); a full stop after a word that is not an initial or a title ends the name.
    static func tokens(from i: Int, in t: ScalarText, limit: Int) -> [Token] {
        var out: [Token] = []
        var k = i
        while out.count < limit {
            var e = k
            if t.is(e, "'"), t.isLetter(e + 1) { e += 1 }
            guard t.isLetter(e) else { break }
            e = t.letterRun(e)
            // Double surnames and names with an apostrophe stay one word: Jansen-de, D'Hondt.
            while (t.is(e, "-") || t.is(e, "'")) && t.isLetter(e + 1) { e = t.letterRun(e + 1) }
            var word = t.lowercased(k, e)
            let capitalised = t.isUpper(k) || t.is(k, "'") && t.isUpper(k + 1)
            var isInitial = false
            var next = e
            if t.is(e, ".") {
                next = e + 1
                if e - k <= 2, capitalised, !titles.contains(word) {
                    isInitial = true
                    word += "."
                    e += 1
                } else if !titles.contains(word) {
                    out.append(Token(start: k, end: e, word: word, capitalised: capitalised, isInitial: false))
                    break  // the end of a sentence
                }
            }
            out.append(Token(start: k, end: e, word: word, capitalised: capitalised, isInitial: isInitial,
                             beforeNumber: t.isBlank(e) && t.isDigit(e + 1)))
            var b = next
            while t.isBlank(b), b - next < 3 { b += 1 }
            guard b - next <= 2, b > next || isInitial else { break }
            k = b
        }
        return out
    }

    /// The surname part of a name in words: all of it when it starts with a tussenvoegsel, else from the first
    /// tussenvoegsel after the first word, else the last word.
    static func surname(of words: [String]) -> [String] {
        guard words.count > 1, !isParticle(words[0]) else { return words }
        if let k = words.indices.dropFirst().first(where: { isParticle(words[$0]) }) { return Array(words[k...]) }
        return [words[words.count - 1]]
    }

    /// The written forms of a registered name, its surname and its first name.
    static func parse(_ name: String) -> (forms: Set<[String]>, surname: [String], firstName: String?)? {
        var text = name
        // "Vries, Jan de" → "Jan de Vries".
        if let comma = text.firstIndex(of: ",") {
            let family = text[..<comma].split(separator: " ")
            let rest = text[text.index(after: comma)...].split(separator: " ")
            let given = rest.filter { !isParticle($0.lowercased()) }
            let particles = rest.filter { isParticle($0.lowercased()) }
            text = (given + particles + family).joined(separator: " ")
        }
        var words: [String] = []
        for part in text.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" }) {
            if part.contains("."), part.count > 1, part.allSatisfy({ $0.isLetter || $0 == "." }) {
                words += part.split(separator: ".").map { $0.lowercased() + "." }
            } else {
                words.append(part.lowercased())
            }
        }
        guard words.count >= 2 else { return nil }
        let surname = NameRecogniser.surname(of: words)
        let given = Array(words.prefix(words.count - surname.count))
        guard !given.isEmpty else { return nil }
        let names = given.filter { !$0.hasSuffix(".") }
        let initials = given.map { $0.hasSuffix(".") ? $0 : String($0.first!) + "." }
        var forms: Set<[String]> = [given + surname, initials + surname, [initials[0]] + surname]
        if let first = names.first { forms.insert([first] + surname) }
        return (forms, surname, names.first)
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

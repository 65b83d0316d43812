// SPDX-License-Identifier: EUPL-1.2

/// What the words before a number say it is: the nearest label word on the same line ("BSN", "tel.",
/// "factuurnummer", "KvK", …). A number labelled as something else (an invoice, order or zaak number) is not a
/// BSN, phone or KvK number, however well it passes a check.
enum NumberLabel: Equatable {
    case bsn, phone, kvk, iban
    /// Some other number: factuurnummer, ordernummer, kenmerk, zaaknummer, ….
    case other
    /// No label word nearby.
    case none

    /// The label of the number starting at `i`: the nearest label word within five words on the same line, and
    /// after any other number ("BSN 123456782, tel. 06-…": the BSN label is not the phone number's).
    static func before(_ i: Int, in t: ScalarText) -> NumberLabel {
        var from = t.lineStart(i, limit: 45)
        for j in stride(from: i - 1, through: from, by: -1) where t.isDigit(j) {
            from = j + 1
            break
        }
        for word in t.folded(from, i).split(separator: " ").reversed().prefix(5).map(String.init) {
            if let label = classify(word) { return label }
        }
        return .none
    }

    /// Whether a KvK keyword follows within a few words ("12345678 (KvK)").
    static func kvkAfter(_ end: Int, in t: ScalarText) -> Bool {
        t.wordsAfter(end, limit: 30).prefix(3).contains { classify($0) == .kvk }
    }

    static func classify(_ word: String) -> NumberLabel? {
        switch word {
        case "bsn", "burgerservicenummer", "sofinummer", "sofi", "bsnnummer", "burgerservicenr":
            return .bsn
        case "tel", "telefoon", "telefoonnummer", "telnr", "telefoonnr", "mobiel", "mobielnummer", "mob", "gsm", "fax",
             "bel", "bellen", "gebeld", "telefonisch", "bereikbaar", "whatsapp", "sms", "phone", "mobile":
            return .phone
        case "kvk", "kvknummer", "kvknr", "handelsregister", "koophandel", "kvkinschrijving":
            return .kvk
        case "iban", "rekeningnummer", "rekening", "bankrekening", "bankrekeningnummer":
            return .iban
        case "nummer", "nr", "no":
            return nil  // says nothing about which number: look further back ("BSN-nummer")
        default:
            if otherLabels.contains(word) { return .other }
            // Any other "…nummer" / "…nr" compound is some other register's number.
            if word.count > 6, word.hasSuffix("nummer") || word.hasSuffix("kenmerk") { return .other }
            if word.count > 3, word.hasSuffix("nr") { return .other }
            return nil
        }
    }

    private static let otherLabels: Set<String> = [
        "factuur", "kenmerk", "referentie", "ref", "zaak", "dossier", "order", "bestelling", "polis", "artikel",
        "debiteur", "crediteur", "contract", "klant", "relatie", "volgnummer", "transactie", "project", "aanvraag",
        "besluit", "document", "vergunning", "registratie", "ticket", "melding", "btw", "postbus", "invoice",
    ]
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenWoo

/// The spans (text and kind) the recognisers suggest in `text`.
func spans(_ text: String, _ settings: RecogniserSettings = RecogniserSettings(ownDomains: ["krimpenerwaard.nl"])) throws -> [String] {
    try Recognisers(settings: settings).suggestions(in: text).map { "\($0.kind.rawValue):\($0.text)" }
}

@Suite("BSN: elfproef, groupings, labels")
struct BSNTests {
    @Test("the elfproef", arguments: [
        ("111222333", true), ("123456782", true), ("198344417", true), ("508928357", true), ("900010472", true),
        ("198344410", false), ("123456789", false), ("508928350", false), ("000000000", false), ("12345678", false),
    ])
    func elfproef(number: String, passes: Bool) {
        #expect(BSNRecogniser.passesElfproef(number.map { Int(String($0))! }) == passes)
    }

    @Test("written together or in groups, and near-misses left alone", arguments: [
        ("BSN 198344417.", ["bsn:198344417"]),
        ("burgerservicenummer: 5089.28.357", ["bsn:5089.28.357"]),
        ("bsn 3011 80 386 en verder", ["bsn:3011 80 386"]),
        ("BSN 399 021 450", ["bsn:399 021 450"]),
        ("Zijn nummer is 864665118 volgens de BRP.", ["bsn:864665118"]),
        ("BSN 198344410 (typefout)", []),              // fails the elfproef
        ("BSN 1983444170", []),                         // ten digits
        ("factuurnummer 921837392", []),                // labelled as something else
        ("kenmerk 182926199", []),
        ("een bedrag van € 359.397.177", []),           // an amount
        ("totaal 128.418.710 inwoners", []),            // thousands notation without a BSN label
        ("BSN 128.418.710", ["bsn:128.418.710"]),
        ("zaak Z-2024-263892657", []),                  // inside a token
        ("NL34ABNA0050277085", ["iban:NL34ABNA0050277085"]),
    ])
    func inText(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }
}

@Suite("IBAN: mod 97, countries, spacing")
struct IBANTests {
    @Test("valid and invalid IBANs", arguments: [
        ("NL94KNAB1854278246", true), ("NL18INGB3028855348", true), ("BE08175824184866", true),
        ("DE85979693193609636063", true), ("FR9398398157989628057341394", true), ("GB95NWBK77321667776021", true),
        ("NL95KNAB1854278246", false),    // check digits off by one
        ("NL94KNAB1854278264", false),    // two digits swapped
        ("NL94KNA11854278246", false),    // bank code with a digit
        ("NL94KNAB185427824", false),     // too short
        ("XX94KNAB1854278246", false),    // no such country
        ("BE08175824184867", false),
    ])
    func validity(iban: String, valid: Bool) {
        #expect(IBANRecogniser.isValid(iban) == valid)
    }

    @Test("in text, with or without spaces", arguments: [
        ("IBAN NL18 INGB 3028 8553 48 t.n.v. J. Bos", ["iban:NL18 INGB 3028 8553 48", "name:J. Bos"]),
        ("rekening NL06BUNQ5239201011.", ["iban:NL06BUNQ5239201011"]),
        ("Belgische rekening BE45 7886 6311 2221", ["iban:BE45 7886 6311 2221"]),
        ("DE16 6300 5813 3015 6495 85", ["iban:DE16 6300 5813 3015 6495 85"]),
        ("IBAN NL19 INGB 3028 8553 48", []),        // wrong check digits
        ("NL77TRIO6346325987X", []),                 // runs on into a longer token
        ("nl77trio6346325987", ["iban:nl77trio6346325987"]),
    ])
    func inText(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }
}

@Suite("Phone numbers: Dutch notations and look-alikes")
struct PhoneTests {
    @Test("common notations", arguments: [
        "06-12345678", "06 1234 5678", "06 12 34 56 78", "06.12.34.56.78", "0612345678", "06 - 12345678",
        "+31 6 12345678", "+31612345678", "+31 (0)6 1234 5678", "0031 6 12345678", "0031612345678",
        "(010) 123 45 67", "010-1234567", "010 - 123 45 67", "0182-393939", "0182 39 39 39", "(0182) 393939",
        "+31 (0)10 123 45 67", "+31-10-1234567", "0800-1234", "0900-1234567", "0900 123 45 67", "088 123 45 67",
        "085-1234567",
    ])
    func notations(number: String) throws {
        #expect(try spans("Bel mij op \(number) als het kan.") == ["phone:\(number)"])
    }

    @Test("look-alikes that are not phone numbers", arguments: [
        "Bel 112 bij nood.",                          // emergency number
        "Bel 14 0182 voor de gemeente.",              // municipal short number
        "Op 06-12-2024 om 10:30 uur.",                 // a date
        "Op 01-02-2024 12 deelnemers.",                // a date followed by a number
        "Zaak Z-2024-0815 en Z-2024-0612345678.",      // zaak numbers
        "ordernummer 0612345678",                      // labelled as an order
        "een bedrag van € 0612345678",                 // an amount
        "factuur 0123456789",                          // invoice
        "0612345678901 is te lang",                    // too many digits
        "1234567890 begint niet met 0",
        "0901234567 is geen bestaand nummer",          // 09 other than 0900/0906/0909
        "Datum 06/05/2025 12 uur",                     // a date followed by a number
    ])
    func lookAlikes(text: String) throws {
        #expect(try spans(text).filter { $0.hasPrefix("phone:") } == [])
    }
}

@Suite("E-mail addresses outside the organisation")
struct EmailTests {
    @Test("external addresses suggested, own ones not", arguments: [
        ("Mail naar j.bos@gmail.com graag.", ["email:j.bos@gmail.com"]),
        ("<piet_de.vries+woo@hotmail.nl>", ["email:piet_de.vries+woo@hotmail.nl"]),
        ("info@krimpenerwaard.nl", []),
        ("w.de.jong@krimpenerwaard.nl", []),
        ("team@ict.krimpenerwaard.nl", []),
        ("bouw@krimpenerwaard-bouw.nl", ["email:bouw@krimpenerwaard-bouw.nl"]),  // a look-alike domain is someone else's
        ("iemand@voorbeeld", []),                     // no top-level domain
        ("Zie @gemeente op X.", []),
    ])
    func addresses(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }

    @Test("staff addresses are suggested only when listed and the setting is on")
    func staffAddresses() throws {
        let on = RecogniserSettings(ownDomains: ["krimpenerwaard.nl"], staffAddresses: ["W.de.Jong@krimpenerwaard.nl"])
        #expect(try spans("cc w.de.jong@krimpenerwaard.nl, info@krimpenerwaard.nl", on) == ["email:w.de.jong@krimpenerwaard.nl"])
        var off = on
        off.redactStaffNames = false
        #expect(try spans("cc w.de.jong@krimpenerwaard.nl", off) == [])
    }
}

@Suite("Postcodes, house numbers and streets")
struct AddressTests {
    @Test("postcode with and without house number", arguments: [
        ("postcode 2922 AB 14", ["address:2922 AB 14"]),
        ("Postcode en huisnummer: 2921LJ 7a", ["address:2921LJ 7a"]),
        ("2925 XH, huisnummer 14-2", ["address:2925 XH, huisnummer 14-2"]),
        ("2931 BR Lekkerkerk", ["address:2931 BR"]),
        ("postcode 2922ab", ["address:2922ab"]),
        ("2922 SA Krimpen", []),                         // SA, SD and SS are not used
        ("ongeveer 1500 KG zand", []),                   // a unit
        ("in 2024 EN 2025", []),
        ("Postbus 2, 2920 AA Krimpen aan den IJssel", []),   // the organisation's own box
    ])
    func postcodes(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }

    @Test("street and number before a postcode, on the same line or the line before")
    func streets() throws {
        #expect(try spans("Ik woon aan de Dorpsstraat 12, 2922 AB Krimpen.") == ["address:Dorpsstraat 12", "address:2922 AB"])
        #expect(try spans("Burgemeester van Stamstraat 3-B\n2931 BR  Lekkerkerk")
                    == ["address:Burgemeester van Stamstraat 3-B", "address:2931 BR"])
        #expect(try spans("Zie bijlage 2\n2922 AB Krimpen") == ["address:2922 AB"])
    }

    @Test("street and number without a postcode, by the street name's ending", arguments: [
        ("Zij woont aan de Kerkweg 7a in Lekkerkerk.", ["address:Kerkweg 7a"]),
        ("bij Prinses Margrietlaan 12 bis", ["address:Prinses Margrietlaan 12 bis"]),
        ("Burgemeester van Stamstraat 3 is verkocht", ["address:Burgemeester van Stamstraat 3"]),
        ("Mevrouw Hoogerwerf van Dorpsstraat 18 belde", ["name:Hoogerwerf", "address:Dorpsstraat 18"]),
        ("de bermen langs de Lekdijk 48 km lang", []),         // a quantity
        ("Dorpsstraat 12 mei: bewonersavond", []),             // a date
        ("de woningen aan de Lekdijk 100–120", []),            // a range of numbers
        ("Langs de Lekdijk staan 3 turbines.", []),
    ])
    func streetsByEnding(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }
}

@Suite("Licence plates: RDW sidecodes")
struct PlateTests {
    @Test("sidecodes", arguments: [
        ("AB-12-34", 1), ("12-34-AB", 2), ("12-AB-34", 3), ("GB-12-DF", 4), ("GB-DF-12", 5), ("12-GB-DF", 6),
        ("12-GBD-3", 7), ("1-GBD-23", 8), ("GB-123-D", 9), ("G-123-BD", 10), ("GBD-12-F", 11), ("G-12-BDF", 12),
        ("1-GB-234", 13), ("123-GB-4", 14), ("GB123D", 9), ("1GBD23", 8), ("GBDF12", 5),
    ])
    func sidecodes(plate: String, code: Int) {
        #expect(PlateRecogniser.sidecode(of: plate) == code)
    }

    @Test("not plates", arguments: [
        "AB-123-C",     // vowel in a modern series
        "ZK-12-AB",
        "12-AB-3",      // no sidecode has this shape
        "1234AB",       // a postcode, not sidecode 2 without dashes
        "AB1234",       // sidecode 1 without dashes
        "ZK-2024-08", "COVID-19", "NEN-2767", "gb-123-d",
    ])
    func notPlates(plate: String) {
        #expect(PlateRecogniser.sidecode(of: plate) == nil || plate != plate.uppercased())
    }

    @Test("in text")
    func inText() throws {
        #expect(try spans("De auto met kenteken GB-123-D stond op 12-03-2024 fout.") == ["plate:GB-123-D"])
        #expect(try spans("kenteken 1-GBD-23 en 1GBD23; zaak Z-2024-0815") == ["plate:1-GBD-23", "plate:1GBD23"])
        #expect(try spans("code AB-123-C") == [])
    }
}

@Suite("KvK numbers only with a keyword")
struct KvKTests {
    @Test("with and without keyword", arguments: [
        ("KvK 12345678", ["kvk:12345678"]),
        ("KvK-nummer: 8765 4321", ["kvk:8765 4321"]),
        ("ingeschreven bij de Kamer van Koophandel onder nummer 24123456", ["kvk:24123456"]),
        ("handelsregister 12.34.56.78", ["kvk:12.34.56.78"]),
        ("nummer 87654321 (KvK)", ["kvk:87654321"]),
        ("ordernummer 12345678", []),
        ("er wonen 12345678 mensen", []),
        ("KvK 12345678, factuurnummer 20240012", ["kvk:12345678"]),
        ("BSN 198344417, tel. 06-12345678", ["bsn:198344417", "phone:06-12345678"]),  // a label belongs to the next number only
    ])
    func keyword(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }
}

@Suite("Dates of birth")
struct BirthDateTests {
    @Test("dates right after a birth keyword", arguments: [
        ("geboren op 12-03-1985 te Gouda", ["birthdate:12-03-1985"]),
        ("Geboortedatum: 3/5/1978", ["birthdate:3/5/1978"]),
        ("(geb. 3 mei 1978)", ["birthdate:3 mei 1978"]),
        ("geboren 12 mrt. 1985", ["birthdate:12 mrt. 1985"]),
        ("Geboortedatum\n1985-03-12", ["birthdate:1985-03-12"]),
        ("date of birth 01.02.85", ["birthdate:01.02.85"]),
        ("ontvangen op 12-03-2024", []),
        ("geboren op 31-02-1985", []),                     // no such date
        ("geboren op 12-03-1985, verhuisd op 01-02-2010", ["birthdate:12-03-1985"]),
        ("het idee is geboren in een overleg op 12-03-2024 met veel mensen erbij", []),  // too far away
    ])
    func dates(text: String, expected: [String]) throws {
        #expect(try spans(text) == expected)
    }
}

@Suite("Names: staff who are not key persons, and names after a form of address")
struct NameTests {
    let settings = RecogniserSettings(
        ownDomains: ["krimpenerwaard.nl"],
        staff: [StaffMember(name: "Jan Pieter de Vries", isKeyPerson: false), StaffMember(name: "Bakker, Fatima", isKeyPerson: false),
                StaffMember(name: "Anna van der Berg", isKeyPerson: true), StaffMember(name: "Kees de Wit", isKeyPerson: true)])

    @Test("forms of a staff name")
    func staffForms() throws {
        #expect(try spans("Jan Pieter de Vries belde.", settings) == ["name:Jan Pieter de Vries"])
        #expect(try spans("Jan de Vries belde.", settings) == ["name:Jan de Vries"])
        #expect(try spans("J.P. de Vries en J. de Vries", settings) == ["name:J.P. de Vries", "name:J. de Vries"])
        #expect(try spans("Groet, Fatima Bakker", settings) == ["name:Fatima Bakker"])
        #expect(try spans("Dit was de bakker op de hoek.", settings) == [])
    }

    @Test("key persons are never suggested")
    func keyPersons() throws {
        #expect(try spans("Anna van der Berg en wethouder Kees de Wit", settings) == [])
        #expect(try spans("mevrouw Van der Berg sprak met de heer De Wit", settings) == [])
    }

    @Test("the setting switches staff names off")
    func settingOff() throws {
        var off = settings
        off.redactStaffNames = false
        #expect(try spans("Jan de Vries en mevrouw Bakker", off) == [])
        #expect(try spans("de heer P. Jansen", off) == ["name:P. Jansen"])
    }

    @Test("names after a form of address", arguments: [
        ("Geachte heer Jansen,", ["name:Jansen"]),
        ("de heer P.J. van den Heuvel schreef", ["name:P.J. van den Heuvel"]),
        ("dhr. De Groot en mevr. Yilmaz", ["name:De Groot", "name:Yilmaz"]),
        ("Geachte heer, mevrouw,", []),
        ("mevrouw de wethouder", []),
        ("de heer en mevrouw Smit", ["name:Smit"]),
        ("Geachte mevrouw Jansen. Hierbij", ["name:Jansen"]),
    ])
    func afterTitle(text: String, expected: [String]) throws {
        #expect(try spans(text, settings) == expected)
    }
}

@Suite("Overlaps, order and the grounds list")
struct RecogniserSetTests {
    @Test("the longest span wins and the output is ordered by start")
    func overlaps() {
        let a = Candidate(start: 10, end: 20, kind: .phone, note: "")
        let b = Candidate(start: 12, end: 30, kind: .bsn, note: "")
        let c = Candidate(start: 0, end: 5, kind: .email, note: "")
        let d = Candidate(start: 28, end: 35, kind: .kvk, note: "")
        #expect(SpanSelection.select([a, b, c, d]) == [c, b])
        #expect(SpanSelection.select([d, c, b, a]) == [c, b])
        let e = Candidate(start: 40, end: 45, kind: .name, note: "")
        let f = Candidate(start: 40, end: 45, kind: .address, note: "")
        #expect(SpanSelection.select([e, f]) == [f])
    }

    @Test("every kind has a listed ground; BSN is 5.1.1e, personal data 5.1.2e")
    func grounds() throws {
        let grounds = try WooGrounds.shipped()
        #expect(grounds.code(for: .bsn) == "5.1.1e")
        for kind in SuggestionKind.allCases where kind != .bsn { #expect(grounds.code(for: kind) == "5.1.2e") }
        #expect(grounds.ground(code: "5.1.2e")?.article == "art. 5.1 lid 2 sub e")
        #expect(throws: WooError.self) { try WooGrounds.decode(Data(#"{"bron":"","gronden":[],"herkenners":{}}"#.utf8), file: "x.json") }
    }

    @Test("an opening parenthesis does not hide the token after it")
    func parentheses() throws {
        let settings = RecogniserSettings(staff: [StaffMember(name: "Marloes Brinkman", isKeyPerson: false)])
        #expect(try spans("(Marloes Brinkman) (GB-123-D) (06-12345678) (BSN 198344417) (NL94KNAB1854278246)", settings)
                    == ["name:Marloes Brinkman", "plate:GB-123-D", "phone:06-12345678", "bsn:198344417", "iban:NL94KNAB1854278246"])
        #expect(try spans("(0182) 393939 en (198344417)") == ["phone:(0182) 393939", "bsn:198344417"])
    }

    @Test("offsets are Unicode scalar offsets")
    func scalarOffsets() throws {
        let text = "\u{FEFF}Zoë 👩‍👩‍👧 belt: 06-12345678\r\n"
        let s = try Recognisers(settings: RecogniserSettings()).suggestions(in: text)
        #expect(s.count == 1)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[s[0].start..<s[0].end])) == "06-12345678")
        #expect(s[0].start == 17)
    }

    @Test("not UTF-8: the offset of the first bad byte")
    func notUTF8() {
        #expect(throws: WooError.notUTF8(file: "f.txt", offset: 3)) { try TextFile.decode([0x61, 0x62, 0x63, 0xE9, 0x64], file: "f.txt") }
        #expect((try? TextFile.decode(Array("geen probleem é".utf8), file: "f.txt")) == "geen probleem é")
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import Testing

@Suite("Documents: words and the frame")
struct DocumentFrameTests {
    @Test func datesDurationsAndRolesAreWords() {
        #expect(DutchWords.date(year: 2033, month: 6, day: 1) == "1 juni 2033")
        #expect(DutchWords.date(iso: "2025-02-10") == "10 februari 2025")
        #expect(DutchWords.date(iso: "2025-02-10T09:00:00Z") == "10 februari 2025")
        #expect(DutchWords.date(iso: "geen datum") == "geen datum")
        #expect(DutchWords.duration(days: 7) == "7 dagen")
        #expect(DutchWords.duration(years: 7) == "7 jaar")
        #expect(DutchWords.duration(weeks: 1) == "1 week")
        #expect(DutchWords.duration(years: 1, months: 2, days: 3) == "1 jaar, 2 maanden en 3 dagen")
        #expect(DutchWords.duration() == "geen")
        #expect(DutchWords.role("div") == "DIV-medewerker")
        #expect(DutchWords.role("archivist") == "archivaris")
        #expect(DutchWords.role("woo-coordinator") == "Woo-coördinator")
        #expect(DutchWords.role("plv-algemeen-directeur") == "plaatsvervangend algemeen directeur")
        #expect(DutchWords.role("team-lead") == "team lead")
    }

    /// Amsterdam time, summer and winter (UTC+2 and UTC+1), and across midnight.
    @Test func dateTimesAreAmsterdamTimeInWords() throws {
        let summer = try #require(ISOTimestamp.parse("2033-06-01T12:03:00Z"))
        #expect(DutchWords.dateTime(summer) == "1 juni 2033 om 14:03 uur")
        let winter = try #require(ISOTimestamp.parse("2033-01-31T23:30:00Z"))
        #expect(DutchWords.dateTime(winter) == "1 februari 2033 om 00:30 uur")
        #expect(DutchWords.date(winter) == "1 februari 2033")
    }

    static func frame(demo: String? = nil) throws -> DocumentFrame {
        DocumentFrame(title: "Testdocument", municipality: "Gemeente Krimpenerwaard", kenmerk: "T-1", version: "2",
                      madeAt: Date(timeIntervalSince1970: 2_001_240_180),  // 2033-06-01T12:03:00Z
                      madeBy: .init(name: "Dora de Wit (P0010)", role: "DIV-medewerker"),
                      policyName: "Bewaarbeleid e-mail", policyVersion: "2024-1", demoNotice: demo, signatoryRole: "archivaris")
    }

    @Test func theFrameCarriesEveryField() throws {
        let html = try Self.frame(demo: "DEMO-/TESTARCHIEF — geen rechtskracht").html(body: "<p>inhoud</p>")
        for part in ["Gemeente Krimpenerwaard", "T-1, versie 2", "1 juni 2033 om 14:03 uur", "Dora de Wit (P0010), DIV-medewerker",
                     "Bewaarbeleid e-mail, versie 2024-1", "Sluitsteen versie \(SluitsteenVersion.current)", "size: A4",
                     "counter(page) \" van \" counter(pages)", "@media print", "overflow-wrap", "Ondertekening",
                     "<td>archivaris</td>", "class=\"demo\"", "DEMO-/TESTARCHIEF", "<p>inhoud</p>"] {
            #expect(html.contains(part), "missing: \(part)")
        }
        #expect(!(try Self.frame().html(body: "")).contains("class=\"demo\""))
        var unsigned = try Self.frame()
        unsigned.signatoryRole = nil
        #expect(!unsigned.html(body: "").contains("Ondertekening"))
    }

    @Test func leakedCodesAreFoundInTextNotInMarkup() {
        #expect(DocumentFrame.leakedCodes(in: "<div class=\"div\"><style>p{}</style><p>bedenktijd van 7 dagen</p></div>").isEmpty)
        #expect(DocumentFrame.leakedCodes(in: "<td>div</td><td>P7D</td><td>2033-06-01</td><td>root</td><td>P0010</td>")
                == ["P7D", "2033-06-01", "div", "root"])
        #expect(DocumentFrame.leakedCodes(in: "<p>functioneel beheerder, destroy-due</p>") == ["destroy-due"])
    }
}

import Foundation
import SluitsteenSupport
import Testing

/// CSV files as spreadsheets save them (Dutch Excel: `;`, Windows-1252 or UTF-8 with a byte order mark), and CSV as
/// Sluitsteen writes it for people to open (formulas neutralised).
@Suite("CSV from and for spreadsheets")
struct SpreadsheetCSVTests {
    @Test func windows1252BytesAreReadAsWindows1252() throws {
        // "Müller;€ 5" as Excel writes it on a Dutch Windows: ü = 0xFC, € = 0x80 (the € is where Windows-1252 differs
        // from Latin-1).
        var bytes = Array("person_id;name\r\nP1;M".utf8)
        bytes += [0xFC] + Array("ller ".utf8) + [0x80] + Array("\r\n".utf8)
        let (text, encoding) = try CSVText.decode(Data(bytes))
        #expect(encoding == .windows1252)
        let table = try CSVTable(text: text)
        #expect(table.separator == ";")
        #expect(table.header == ["person_id", "name"])
        #expect(table.records.map(\.fields) == [["P1", "Müller €"]])
    }

    @Test func utf8WithAByteOrderMarkAndSemicolonsAndQuotedSemicolons() throws {
        let (text, encoding) = try CSVText.decode(Data([0xEF, 0xBB, 0xBF] + Array("a;b\n\"x; y\";Zoë\n".utf8)))
        #expect(encoding == .utf8WithBOM)
        #expect(!text.hasPrefix("\u{FEFF}"))
        let table = try CSVTable(text: text)
        #expect(table.header == ["a", "b"])
        #expect(table.records.map(\.fields) == [["x; y", "Zoë"]])
        // A comma in the header makes it a comma file, even with a semicolon in a value.
        #expect(try CSVTable(text: "a,b\nx;y,z\n").records.map(\.fields) == [["x;y", "z"]])
        #expect(CSVTable.separator(of: "\"a;b\",c\n") == ",")
    }

    @Test func filesThatAreNotCSVTextAreRefusedWithWhatTheyAre() {
        #expect(throws: CSVText.Refusal.utf16) { try CSVText.decode(Data([0xFF, 0xFE, 0x61, 0x00])) }
        #expect(throws: CSVText.Refusal.workbook) { try CSVText.decode(Data([0x50, 0x4B, 0x03, 0x04, 0x14])) }
        #expect(throws: CSVText.Refusal.notText(offset: 2)) { try CSVText.decode(Data([0x61, 0x62, 0x00])) }
        // 0x81 is undefined in Windows-1252: not text in any encoding read here.
        #expect(throws: CSVText.Refusal.notText(offset: 1)) { try CSVText.decode(Data([0x61, 0x81])) }
        #expect(CSVText.Refusal.notText(offset: 0).description.contains("CSV UTF-8"))
    }

    @Test func formulaCellsAreNeutralisedAndNumbersAreNot() {
        #expect(CSVWriting.field("=HYPERLINK(\"http://x\",\"klik\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\"")
        #expect(CSVWriting.field("+31 6 1234") == "'+31 6 1234")
        #expect(CSVWriting.field("-2+3") == "'-2+3")
        #expect(CSVWriting.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriting.field("\t=1") == "'\t=1")
        #expect(CSVWriting.field("\r\n=1") == "\"'\r\n=1\"")
        #expect(CSVWriting.field("-12") == "-12" && CSVWriting.field("+3.5") == "+3.5")
        #expect(CSVWriting.field("Begroting 2027") == "Begroting 2027")
        #expect(CSVWriting.field("a,b") == "\"a,b\"" && CSVWriting.field("a;b", separator: ";") == "\"a;b\"")
        // A CRLF inside a value is one Character in Swift: it must still be quoted.
        #expect(CSVWriting.field("regel\r\nregel") == "\"regel\r\nregel\"")
    }

    @Test func aSpreadsheetFileHasAByteOrderMarkAndSemicolonsAndReadsBack() throws {
        let text = CSVWriting.spreadsheet(header: ["mailbox", "subject"], rows: [["a@b.example", "=1+1; of niet"], ["c@d.example", "Müller"]])
        #expect(text.hasPrefix("\u{FEFF}mailbox;subject\r\n"))
        let (decoded, encoding) = try CSVText.decode(Data(text.utf8))
        #expect(encoding == .utf8WithBOM)
        let table = try CSVTable(text: decoded)
        #expect(table.records.map(\.fields) == [["a@b.example", "'=1+1; of niet"], ["c@d.example", "Müller"]])
    }

    @Test func didYouMeanFindsSlipsOnly() {
        #expect(EditDistance.between("wethoudr", "wethouder") == 1)
        #expect(EditDistance.suggestions(for: "wethoudr", among: ["burgemeester", "wethouder", "griffier"]) == ["wethouder"])
        #expect(EditDistance.suggestions(for: "Burgemeestre", among: ["burgemeester", "wethouder"]) == ["burgemeester"])
        #expect(EditDistance.suggestions(for: "kok", among: ["burgemeester", "wethouder"]).isEmpty)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import ZIPFoundation

/// One row of the inventarislijst: a document of the verzameling that is relevant, with its assessment and grounds.
public struct InventoryRow: Sendable, Hashable {
    public var id: String
    public var familyId: String
    public var threadId: String
    /// The document's title: the mail's subject or the attachment's file name, with its accepted redactions replaced
    /// by their grounds.
    public var document: String
    public var fileType: String
    /// The mail's date (Amsterdam day, YYYY-MM-DD), also for its attachments.
    public var date: String
    /// Openbaar, Deels openbaar, Niet openbaar, Reeds openbaar.
    public var assessment: String
    /// `Ja` or `Nee`.
    public var suspended: String
    /// Ground codes joined by "; " (e.g. `5.1.1e; 5.1.2e`).
    public var grounds: String
    public var note: String
    public var publicLink: String
    /// The document this one duplicates, if any.
    public var relatedId: String
    public var zaaknummer: String

    /// The cells in the columns' order.
    public var cells: [String] {
        [id, familyId, threadId, document, fileType, date, assessment, suspended, grounds, note, publicLink, relatedId, zaaknummer]
    }
}

/// The inventarislijst as Dutch publishers import it (the Woo-platform's productierapport columns), written as CSV
/// (UTF-8 with a byte order mark, so that spreadsheet programs read the accents) and as XLSX.
///
/// A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) gets a leading apostrophe, in both
/// files, so that no spreadsheet program runs it as a formula (formula injection through a subject line).
public enum Inventarislijst {
    public static let columns = [
        "ID", "Family ID", "Email Thread ID", "Document", "File type", "Datum", "Beoordeling", "Opgeschort",
        "Beoordelingsgrond", "Toelichting", "Publieke link", "Gerelateerd ID", "Zaaknummer",
    ]

    /// The cell as written: formula triggers neutralised, characters XML cannot hold (controls but tab and line
    /// breaks) replaced by U+FFFD, and at most 32,767 characters (a spreadsheet cell's limit).
    public static func cell(_ value: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in value.unicodeScalars {
            let v = s.value
            let allowed = v == 0x09 || v == 0x0A || v == 0x0D || (v >= 0x20 && v != 0x7F && !(0x80...0x9F).contains(v))
                && v != 0xFFFE && v != 0xFFFF
            scalars.append(allowed ? s : "\u{FFFD}")
        }
        var text = String(scalars)
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { text = "'" + text }
        if text.count > 32_767 { text = String(text.prefix(32_760)) + " […]" }
        return text
    }

    /// The CSV text (with its byte order mark): a header row and one row per document, fields quoted where needed,
    /// lines ended by CRLF (RFC 4180).
    public static func csv(_ rows: [InventoryRow]) -> Data {
        var out = "\u{FEFF}"
        func line(_ cells: [String]) {
            out += cells.map { c -> String in
                let v = cell(c)
                guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return v }
                return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",") + "\r\n"
        }
        line(columns)
        for row in rows { line(row.cells) }
        return Data(out.utf8)
    }

    /// Writes the XLSX workbook (one sheet, "Inventarislijst", header row in bold and frozen, every cell text) to
    /// `url`; `date` is every part's modification time, so the same rows give the same file.
    public static func writeXLSX(_ rows: [InventoryRow], to url: URL, date: Date) throws {
        let archive = try Archive(url: url, accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRelations), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRelations), ("xl/styles.xml", styles), ("xl/worksheets/sheet1.xml", sheet(rows)),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 permissions: 0o644, compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipsNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = header + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """
    static let rootRelations = header + """
        <Relationships xmlns="\(relationshipsNS)">\
        <Relationship Id="rId1" Type="\(officeRelationships)/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """
    static let workbook = header + """
        <workbook xmlns="\(main)" xmlns:r="\(officeRelationships)">\
        <sheets><sheet name="Inventarislijst" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    static let workbookRelations = header + """
        <Relationships xmlns="\(relationshipsNS)">\
        <Relationship Id="rId1" Type="\(officeRelationships)/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="\(officeRelationships)/styles" Target="styles.xml"/>\
        </Relationships>
        """
    static let styles = header + """
        <styleSheet xmlns="\(main)">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    /// The worksheet: inline strings only (no shared-string table), text format for the data cells.
    static func sheet(_ rows: [InventoryRow]) -> String {
        var out = header + "<worksheet xmlns=\"\(main)\">"
        out += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
            + "state=\"frozen\"/></sheetView></sheetViews>"
        out += "<cols><col min=\"1\" max=\"3\" width=\"12\" customWidth=\"1\"/><col min=\"4\" max=\"4\" width=\"60\" customWidth=\"1\"/>"
            + "<col min=\"5\" max=\"9\" width=\"16\" customWidth=\"1\"/><col min=\"10\" max=\"10\" width=\"60\" customWidth=\"1\"/>"
            + "<col min=\"11\" max=\"13\" width=\"18\" customWidth=\"1\"/></cols><sheetData>"
        func row(_ number: Int, _ cells: [String], style: Int) {
            out += "<row r=\"\(number)\">"
            for (i, value) in cells.enumerated() {
                let ref = String(UnicodeScalar(UInt8(65 + i))) + String(number)
                out += "<c r=\"\(ref)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(cell(value)))</t></is></c>"
            }
            out += "</row>"
        }
        row(1, columns, style: 1)
        for (i, r) in rows.enumerated() { row(i + 2, r.cells, style: 2) }
        out += "</sheetData></worksheet>"
        return out
    }

    /// Text as XML character data (after ``cell(_:)``, which has removed what XML cannot hold).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenTestSupport
import SluitsteenWoo
import Testing

/// A demo workspace with the scenario's registers and mail ingested, and the workflow on it.
struct WooTestArchive {
    let workspace: Workspace
    /// The temporary folder holding the workspace and the scenario: removed when the test's last copy of this value goes.
    let folder: TemporaryDirectory
    var dir: URL { folder.url }
    static let policy = try! Policy.krimpenerwaard

    static func make() throws -> WooTestArchive {
        let folder = try TemporaryDirectory("woo")
        let dir = folder.url
        let ws = try Workspace.create(at: dir.appendingPathComponent("archief"), kind: .demo, environment: [:])
            .replaying(ISOTimestamp.parse(WooScenario.handling)!)
        let folders = try WooScenario.write(to: dir.appendingPathComponent("scenario"))
        let s = dir.appendingPathComponent("scenario")
        _ = try RetentionStore(workspace: ws).importRegisters(
            people: s.appendingPathComponent("people.csv"), roles: s.appendingPathComponent("roles.csv"),
            mailboxes: s.appendingPathComponent("mailboxes.csv"), policy: policy, actor: Actor(personId: nil, name: "test", osUser: "test"))
        let ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2025-06-01T08:00:00Z")!)
        for box in folders.keys.sorted() {
            _ = try ingestor.run(IngestRequest(mailbox: box, paths: [folders[box]!], actor: "test"))
        }
        return WooTestArchive(workspace: ws, folder: folder)
    }

    var workflow: WooWorkflow { WooWorkflow(workspace: workspace, policy: Self.policy) }

    /// The workflow with the (demo) clock at `text`.
    func at(_ text: String) throws -> WooWorkflow {
        WooWorkflow(workspace: try workspace.replaying(ISOTimestamp.parse(text)!), policy: Self.policy)
    }

    func coordinator() throws -> Actor {
        try RetentionStore(workspace: workspace).registeredActor(WooScenario.coordinator, osUser: "test")
    }

    var access: WooAccess { WooAccess(actor: try! coordinator()) }

    /// The scenario's request: the solar park, in the mayor's and the policy officer's mailboxes and info@, early 2025.
    static let registration = WooRegistration(
        zaaknummer: WooScenario.zaak, title: "Zonnepark Bergambacht", received: CivilDate(iso: WooScenario.received)!,
        scope: WooScope(period: DatePeriod(from: CivilDate(iso: "2025-01-01"), to: CivilDate(iso: "2025-05-31")),
                        persons: ["P0001", "P0003"], mailboxes: [WooScenario.info], terms: ["zonnepark"]))

    func register() throws -> WooRegistrationOutcome {
        try workflow.register(Self.registration, actor: try coordinator())
    }
}

/// poppler's pdftotext and qpdf, to look inside produced PDFs the way an outsider would.
enum PDFTools {
    static func find(_ name: String) -> String? {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        return nil
    }

    static var available: Bool { ["pdftotext", "qpdf", "pdftoppm", "pdfimages"].allSatisfy { find($0) != nil } }

    static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: find(tool)!)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }

    /// The text pdftotext reads from the PDF.
    static func text(_ pdf: URL) throws -> String {
        String(decoding: try run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"]).output, as: UTF8.self)
    }

    /// The PDF's bytes with every stream decompressed and object streams undone (qpdf --qdf), so that a search of the
    /// raw bytes sees every content stream, font table, metadata and annotation.
    static func decompressed(_ pdf: URL) throws -> Data {
        try run("qpdf", ["--qdf", "--object-streams=disable", "--decode-level=all", pdf.path, "-"]).output
    }

    /// A word of a PDF's text layer as `pdftotext -bbox` places it: page (from 1) and box in points from the top left.
    struct PlacedWord: Equatable {
        var page: Int
        var text: String
        var x: Double, y: Double, width: Double, height: Double
    }

    /// The words of `pdf`'s text layer with their boxes, page by page (poppler's `pdftotext -bbox`).
    static func words(_ pdf: URL) throws -> [PlacedWord] {
        let html = String(decoding: try run("pdftotext", ["-bbox", "-enc", "UTF-8", pdf.path, "-"]).output, as: UTF8.self)
        var out: [PlacedWord] = []
        var page = 0
        for line in html.split(separator: "\n") {
            if line.contains("<page ") { page += 1; continue }
            guard line.contains("<word "), let open = line.range(of: ">"), let close = line.range(of: "</word>") else { continue }
            func attribute(_ name: String) -> Double {
                guard let r = line.range(of: name + "=\"") else { return 0 }
                return Double(line[r.upperBound...].prefix { $0 != "\"" }) ?? 0
            }
            let (x0, y0, x1, y1) = (attribute("xMin"), attribute("yMin"), attribute("xMax"), attribute("yMax"))
            let text = String(line[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            out.append(PlacedWord(page: page, text: text, x: x0, y: y0, width: x1 - x0, height: y1 - y0))
        }
        return out
    }

    /// The places of `text` in `words`: runs of consecutive words on one page whose text holds the text's words in turn
    /// (a word may carry punctuation, as "111222333)").
    static func places(of text: String, in words: [PlacedWord]) -> [[PlacedWord]] {
        let parts = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !parts.isEmpty, words.count >= parts.count else { return [] }
        var found: [[PlacedWord]] = []
        for start in 0...(words.count - parts.count) {
            let run = Array(words[start..<start + parts.count])
            if run.allSatisfy({ $0.page == run[0].page }), zip(run, parts).allSatisfy({ $0.text.contains($1) }) { found.append(run) }
        }
        return found
    }

    /// The share of dark pixels (grey below 0x60) in a box (points from the top left) on page `page` (from 1) of
    /// `pdf` as poppler's `pdftoppm` paints it at `dpi`, in greys (a binary PGM).
    static func darkShare(of pdf: URL, page: Int, dpi: Int = 100, x: Double, y: Double, width: Double, height: Double) throws -> Double {
        let pgm = try run("pdftoppm", ["-gray", "-r", String(dpi), "-f", String(page), "-l", String(page), pdf.path]).output
        // The header: "P5", width, height, maximum value, each after white space; then one byte a pixel.
        var fields: [Int] = []
        var i = 2
        while fields.count < 3 {
            while i < pgm.count, pgm[i] == 0x20 || pgm[i] == 0x0A || pgm[i] == 0x0D || pgm[i] == 0x09 { i += 1 }
            var value = 0
            while i < pgm.count, (0x30...0x39).contains(pgm[i]) { value = value * 10 + Int(pgm[i] - 0x30); i += 1 }
            fields.append(value)
        }
        i += 1
        let (w, h) = (fields[0], fields[1])
        guard pgm.starts(with: Data("P5".utf8)), pgm.count >= i + w * h else { return -1 }
        let scale = Double(dpi) / 72
        var dark = 0, all = 0
        for py in max(0, Int(y * scale))..<min(h, Int((y + height) * scale)) {
            for px in max(0, Int(x * scale))..<min(w, Int((x + width) * scale)) {
                if pgm[pgm.startIndex + i + py * w + px] < 0x60 { dark += 1 }
                all += 1
            }
        }
        return all == 0 ? -1 : Double(dark) / Double(all)
    }

    /// The images `pdfimages -list` finds in `pdf` (its table without the two header lines).
    static func images(_ pdf: URL) throws -> [String] {
        String(decoding: try run("pdfimages", ["-list", pdf.path]).output, as: UTF8.self).split(separator: "\n").dropFirst(2).map(String.init)
    }

    /// The ways a text can sit in a PDF's raw bytes: UTF-8, UTF-16BE (text strings), and as hex of either.
    static func encodings(of text: String) -> [Data] {
        let utf8 = Data(text.utf8)
        var utf16 = Data()
        for unit in text.utf16 { utf16.append(UInt8(unit >> 8)); utf16.append(UInt8(unit & 0xFF)) }
        let hex = { (d: Data) in Data(d.map { String(format: "%02x", $0) }.joined().utf8) }
        let hexUpper = { (d: Data) in Data(d.map { String(format: "%02X", $0) }.joined().utf8) }
        return [utf8, utf16, hex(utf8), hexUpper(utf8), hex(utf16), hexUpper(utf16)]
    }
}

/// The test virtualenv's Python with openpyxl (`make deps`), to read the XLSX as a spreadsheet program would.
enum TestPython {
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url = url.deletingLastPathComponent() }
        return url.appendingPathComponent(".venv-tests/bin/python").path
    }()

    static var hasOpenpyxl: Bool {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-c", "import openpyxl"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// The rows of the first sheet, as JSON arrays of strings (None as "").
    static func xlsxRows(_ file: URL) throws -> [[String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-c", """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.worksheets[0]
            print(json.dumps([["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]))
            """, file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return (try JSONSerialization.jsonObject(with: data) as? [[String]]) ?? []
    }
}

extension Data {
    func contains(_ needle: Data) -> Bool { !needle.isEmpty && range(of: needle) != nil }
}

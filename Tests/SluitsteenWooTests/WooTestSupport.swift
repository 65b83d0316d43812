// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenWoo
import Testing

/// A demo workspace with the scenario's registers and mail ingested, and the workflow on it.
struct WooTestArchive {
    let workspace: Workspace
    let dir: URL
    static let policy = try! Policy.krimpenerwaard

    static func make() throws -> WooTestArchive {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-woo-\(UUID().uuidString)")
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
        return WooTestArchive(workspace: ws, dir: dir)
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

    static var available: Bool { find("pdftotext") != nil && find("qpdf") != nil }

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

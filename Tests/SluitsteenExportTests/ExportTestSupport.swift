// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenExport
import SluitsteenHashing
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import GRDB
import SluitsteenSupport
import Testing

/// Paths, fixture workspaces and independent checks (xmllint, tar, unzip, sha256sum) for the export tests.
enum ExportFixture {
    static let packageRoot = PackagePaths.root
    static let fixtures = packageRoot.appendingPathComponent("Fixtures")
    static let pakbonXSD = packageRoot.appendingPathComponent("Schemas/sluitsteen-pakbon-1.0.xsd")

    /// The MDTO XSD: Schemas/ (placed by `make schemas`) or ../shared/schemas/mdto/; nil when neither exists.
    static let mdtoXSD: URL? = {
        let candidates = [packageRoot.appendingPathComponent("Schemas/MDTO-XML1.0.1.xsd"),
                          packageRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas/mdto/MDTO-XML1.0.1.xsd")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    static var available: Bool {
        mdtoXSD != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint")
    }

    static let burgemeester = "burgemeester@krimpenerwaard.example"
    static let devries = "j.devries@krimpenerwaard.example"
    static let info = "info@krimpenerwaard.example"
    static let now = ISOTimestamp.parse("2026-01-15T10:00:00Z")!
    static let asOf = Instant(iso: "2040-01-01T12:00:00Z")!

    /// A workspace with the three fixture mailboxes, the registers and (optionally) a designated hotspot that
    /// covers the message held byte-identically by burgemeester@ and info@. The caller removes its folder
    /// (`defer { TemporaryDirectory.remove(ws.root) }`).
    static func workspace(hotspot: Bool = true) throws -> Workspace {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-export-ws-\(UUID().uuidString)")
        let ws = try Workspace.create(at: folder, kind: .demo, environment: [:]).replaying(now)
        let boxes = fixtures.appendingPathComponent("mailboxes")
        let ingestor = Ingestor(workspace: ws, now: now)
        _ = try ingestor.run(IngestRequest(mailbox: burgemeester, paths: [boxes.appendingPathComponent("burgemeester.mbox")], actor: "test"))
        _ = try ingestor.run(IngestRequest(mailbox: devries, paths: [boxes.appendingPathComponent("beleidsmedewerker")], actor: "test"))
        _ = try ingestor.run(IngestRequest(mailbox: info, paths: [boxes.appendingPathComponent("info")], actor: "test"))
        let store = RetentionStore(workspace: ws)
        let registers = fixtures.appendingPathComponent("registers")
        _ = try store.importRegisters(people: registers.appendingPathComponent("people.csv"),
                                      roles: registers.appendingPathComponent("roles.csv"),
                                      mailboxes: registers.appendingPathComponent("mailboxes.csv"),
                                      policy: try Policy.krimpenerwaard, actor: Actor(personId: nil, name: "test"))
        if hotspot {
            _ = try store.addHotspot(name: "Verkeersveiligheid Lekkerkerk", status: .designated,
                                     criteria: MatchCriteria(terms: ["verkeersveiligheid"]), decisionRef: "B&W 2025/07",
                                     actor: Actor(personId: nil, name: "test"))
        }
        return ws
    }

    /// Adds to the burgemeester's mailbox one message with every kind of attachment extraction meets: a
    /// quoted-printable ISO-8859-1 body in a multipart/alternative, an attached message (message/rfc822) with its
    /// own PDF attachment, an empty attachment, a uuencoded one, and an Office file of 1.3 MB (identification
    /// reads its first megabyte, where its "word/" marker lies).
    static func addRichMessage(to ws: Workspace) throws {
        func uuencode(_ bytes: [UInt8]) -> String {
            func char(_ v: UInt8) -> Character { v == 0 ? "`" : Character(UnicodeScalar(v + 32)) }
            var out = ""
            var i = 0
            while i < bytes.count {
                let line = Array(bytes[i..<min(i + 45, bytes.count)])
                out.append(char(UInt8(line.count)))
                var j = 0
                while j < line.count {
                    let a = line[j], b = j + 1 < line.count ? line[j + 1] : 0, c = j + 2 < line.count ? line[j + 2] : 0
                    out.append(contentsOf: [char(a >> 2), char(((a & 3) << 4) | (b >> 4)), char(((b & 15) << 2) | (c >> 6)), char(c & 63)])
                    j += 3
                }
                out.append("\n")
                i += 45
            }
            return out + "`\nend\n"
        }
        let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)
        var docx = Data([0x50, 0x4B, 0x03, 0x04]) + Data(repeating: 0x20, count: 600_000)
        docx += Data("word/document.xml".utf8) + Data(repeating: 0x20, count: 700_000)
        let b64: (Data) -> String = { $0.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) }
        let message = """
            From burgemeester@krimpenerwaard.example Mon Mar  2 10:00:00 2020
            From: Burgemeester <burgemeester@krimpenerwaard.example>
            To: raad@krimpenerwaard.example
            Subject: Bijlagen van allerlei soort
            Message-ID: <rijk-1@krimpenerwaard.example>
            Date: Mon, 2 Mar 2020 10:00:00 +0100
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="BUITEN"

            --BUITEN
            Content-Type: multipart/alternative; boundary="ALT"

            --ALT
            Content-Type: text/plain; charset=ISO-8859-1
            Content-Transfer-Encoding: quoted-printable

            Zie de bijlagen, caf=E9 De Brug.
            --ALT
            Content-Type: text/html; charset=utf-8

            <p>Zie de bijlagen</p>
            --ALT--
            --BUITEN
            Content-Type: message/rfc822
            Content-Disposition: attachment; filename="doorgestuurd.eml"

            From: a@b.example
            Subject: Doorgestuurd
            Message-ID: <binnen-1@b.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="BINNEN"

            --BINNEN
            Content-Type: text/plain

            binnen
            --BINNEN
            Content-Type: application/pdf; name="nota.pdf"
            Content-Disposition: attachment; filename="nota.pdf"
            Content-Transfer-Encoding: base64

            \(b64(pdf))
            --BINNEN--

            --BUITEN
            Content-Type: text/plain; name="leeg.txt"
            Content-Disposition: attachment; filename="leeg.txt"


            --BUITEN
            Content-Type: application/octet-stream; name="oud.bin"
            Content-Disposition: attachment; filename="oud.bin"
            Content-Transfer-Encoding: x-uuencode

            begin 644 oud.bin
            \(uuencode(Array("oude bijlage, uuencoded\n".utf8) + Array(repeating: 7, count: 100)))
            --BUITEN
            Content-Type: application/zip; name="rapport.docx"
            Content-Disposition: attachment; filename="rapport.docx"
            Content-Transfer-Encoding: base64

            \(b64(docx))
            --BUITEN--

            """
        let tmp = try TemporaryDirectory("export-rich")
        let url = tmp.appending("Rijk.mbox")
        try Data(message.utf8).write(to: url)
        _ = try Ingestor(workspace: ws, now: now).run(IngestRequest(mailbox: burgemeester, paths: [url], actor: "test"))
    }

    static func request(_ out: URL, _ configure: (inout ExportRequest) -> Void = { _ in }) -> ExportRequest {
        var r = ExportRequest(out: out, asOf: asOf, actor: "test", mdtoSchema: mdtoXSD, pakbonSchema: pakbonXSD)
        configure(&r)
        return r
    }

    static func export(_ ws: Workspace, _ request: ExportRequest, now: Date = now) throws -> ExportSummary {
        try PackageExporter(workspace: ws, now: now).run(request, policy: try Policy.krimpenerwaard)
    }

    /// Flips one bit in the middle of the stored bytes of the burgemeester's last message; returns its SHA-256.
    @discardableResult
    static func damageLastBurgemeesterMessage(_ ws: Workspace) throws -> String {
        let victim = try #require(try ws.catalog.read { db in
            try String.fetchOne(db, sql: "SELECT sha256 FROM copy WHERE mailbox = ? ORDER BY position DESC LIMIT 1",
                                arguments: [burgemeester])
        })
        let range = try ws.store.range(of: victim)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: range.path))
        defer { try? handle.close() }
        let middle = UInt64(range.offset + (range.length ?? 2) / 2)
        try handle.seek(toOffset: middle)
        var byte = try handle.read(upToCount: 1) ?? Data([0])
        byte[0] ^= 0x01
        try handle.seek(toOffset: middle)
        try handle.write(contentsOf: byte)
        return victim
    }

    /// Regular files under `folder`, relative, sorted by UTF-8 bytes.
    static func files(_ folder: URL) -> [String] {
        let root = folder.standardizedFileURL.path + "/"
        var out: [String] = []
        let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = e?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                out.append(String(url.standardizedFileURL.path.dropFirst(root.count)))
            }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Folders under `folder`, relative.
    static func folders(_ folder: URL) -> [String] {
        let root = folder.standardizedFileURL.path + "/"
        var out: [String] = []
        let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
        while let url = e?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                out.append(String(url.standardizedFileURL.path.dropFirst(root.count)))
            }
        }
        return out.sorted()
    }

    /// Runs a program; returns (exit status, stdout + stderr).
    @discardableResult
    static func run(_ program: String, _ args: [String], in directory: URL? = nil) throws -> (Int32, String) {
        let r = try Subprocess.run(URL(fileURLWithPath: program), args, in: directory)
        return (r.status, r.out + r.err)
    }

    /// Validates files with `xmllint --noout --schema` (the independent check the issue asks for).
    /// Returns the xmllint output of the failures (empty when all validate).
    static func xmllint(_ paths: [URL], schema: URL) throws -> String {
        var failures = ""
        for chunk in stride(from: 0, to: paths.count, by: 200) {
            let part = Array(paths[chunk..<min(chunk + 200, paths.count)])
            let (status, output) = try run("/usr/bin/xmllint", ["--noout", "--schema", schema.path] + part.map(\.path))
            if status != 0 { failures += output }
        }
        return failures
    }

    /// The package hash as Schemas/README.md defines it, computed here from the files on disk.
    static func packageHash(_ root: URL) throws -> String {
        var text = ""
        for rel in files(root) where rel != "pakbon.xml" {
            let data = try Data(contentsOf: root.appendingPathComponent(rel))
            text += Digest.hex(data) + "  " + rel + "\n"
        }
        return Digest.hex(Data(text.utf8))
    }

    /// The text of the first element `name` in an XML file (plain text search; enough for our flat fields).
    static func element(_ name: String, in file: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var out: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            out.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return out
    }
}

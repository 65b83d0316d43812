// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenExport
import SluitsteenHashing
import Testing

/// Unbounded header values in the catalog (issue 19, point 7): a catalog written before ingest capped them may
/// hold a Subject of many megabytes. The export must still build the package, with bounded names, short error
/// lines, and one bad message never blocking the others.
@Suite(.enabled(if: ExportFixture.available, "needs the MDTO XSD (make schemas, or ../shared/schemas/mdto) and xmllint"))
struct HostileHeaderExportTests {
    /// The SHA-256 of the burgemeester's message at `position` (in folder order).
    static func burgemeesterMessage(_ ws: Workspace, position: Int) throws -> String {
        try #require(try ws.catalog.read { db in
            try String.fetchOne(db, sql: "SELECT sha256 FROM copy WHERE mailbox = ? ORDER BY folder, position LIMIT 1 OFFSET ?",
                                arguments: [ExportFixture.burgemeester, position])
        })
    }

    /// Sets catalog values directly, as an older or damaged catalog would hold them.
    static func set(_ ws: Workspace, sha256: String, _ assignments: String, _ arguments: StatementArguments) throws {
        try ws.catalog.write { db in
            try db.execute(sql: "UPDATE message SET \(assignments) WHERE sha256 = ?", arguments: arguments + [sha256])
        }
    }

    @Test("A 20 MB Subject and 5,000 addressees: the package is made, with bounded names and a note in the metadata")
    func hugeHeaderValuesAreBounded() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let sha = try Self.burgemeesterMessage(ws, position: 0)
        let subject = "Begroting " + String(repeating: "heel lang onderwerp ", count: 1_000_000)
        var to: [String] = []
        for i in 0..<5_000 { to.append("{\"name\":\"Raadslid \(i)\",\"address\":\"raad\(i)@krimpenerwaard.example\"}") }
        let longName = "{\"name\":\"" + String(repeating: "N", count: 50_000) + "\",\"address\":\"lang@krimpenerwaard.example\"}"
        try Self.set(ws, sha256: sha, "subject = ?, toJSON = ?, ccJSON = ?",
                     [subject, "[" + to.joined(separator: ",") + "]", "[" + longName + "]"])
        let tmp = try TemporaryDirectory("export-huge")
        let out = tmp.appending("pakket")
        let summary = try ExportFixture.export(ws, ExportFixture.request(out))
        #expect(summary.messages == 9)
        #expect(summary.leftOut.isEmpty)

        let files = ExportFixture.files(out)
        let sidecars = files.filter { $0.hasSuffix(".mdto.xml") }.map { out.appendingPathComponent($0) }
        #expect(try ExportFixture.xmllint(sidecars, schema: ExportFixture.mdtoXSD!) == "")
        let object = try #require(files.first { $0.hasSuffix(String(sha.prefix(12)) + ".mdto.xml") })
        let url = out.appendingPathComponent(object)
        let naam = try #require(try ExportFixture.element("naam", in: url).first)
        #expect(naam.hasPrefix("Begroting heel lang onderwerp"))
        #expect(naam.count <= 1_010, "the naam is cut to about 1,000 characters (it is \(naam.count))")
        let notes = try ExportFixture.element("omschrijving", in: url).joined(separator: " ")
        #expect(notes.contains(String(subject.count)), "the metadata says how long the subject really is")
        let addressees = try ExportFixture.element("verwijzingNaam", in: url).filter { $0.hasPrefix("Raadslid ") }
        #expect(addressees.count == 1_000)
        #expect(notes.contains("5000"))
        let names = try ExportFixture.element("verwijzingNaam", in: url)
        #expect(names.allSatisfy { $0.count <= 1_010 })
        // The .eml is the stored message, unchanged: the full subject stays in the record itself.
        #expect(files.contains { $0.hasSuffix(String(sha.prefix(12)) + ".eml") })
        // The dossier that lists the message names it by the same bounded naam.
        let dossier = try #require(files.first { $0.hasSuffix("burgemeester@krimpenerwaard.example.mdto.xml") })
        #expect(try ExportFixture.element("verwijzingNaam", in: out.appendingPathComponent(dossier)).allSatisfy { $0.count <= 1_010 })
    }

    @Test("A message whose metadata cannot be made valid is left out and reported; the others are transferred")
    func oneBadMessageDoesNotBlockThePackage() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let bad = try Self.burgemeesterMessage(ws, position: 1)
        // A date that is no date (a hand-edited or damaged catalog), with a Subject of 20 MB: its sidecar cannot validate.
        try Self.set(ws, sha256: bad, "date = ?, subject = ?", ["gisteren", String(repeating: "x", count: 20 << 20)])
        let tmp = try TemporaryDirectory("export-bad")
        let out = tmp.appending("pakket")
        let summary = try ExportFixture.export(ws, ExportFixture.request(out))
        #expect(summary.messages == 8)
        #expect(summary.leftOut.count == 1)
        let line = try #require(summary.leftOut.first)
        #expect(line.contains(ExportFixture.burgemeester))
        #expect(line.utf8.count < 1_000, "the report line is short: \(line.utf8.count) bytes")
        let files = ExportFixture.files(out)
        #expect(!files.contains { $0.contains(String(bad.prefix(12))) }, "nothing of the left-out message is in the package")
        #expect(files.filter { $0.hasSuffix(".eml") }.count == 8)
        let sidecars = files.filter { $0.hasSuffix(".mdto.xml") }.map { out.appendingPathComponent($0) }
        #expect(try ExportFixture.xmllint(sidecars, schema: ExportFixture.mdtoXSD!) == "")
        #expect(try ExportFixture.xmllint([out.appendingPathComponent("pakbon.xml")], schema: ExportFixture.pakbonXSD) == "")
        #expect(summary.packageHash == (try ExportFixture.packageHash(out)))
        // No dossier refers to it, the pakbon says it, and it is not recorded as exported: it stays for a next export.
        for sidecar in sidecars { #expect(!(try String(contentsOf: sidecar, encoding: .utf8)).contains(bad)) }
        #expect(try String(contentsOf: out.appendingPathComponent("pakbon.xml"), encoding: .utf8).contains("niet opgenomen"))
        let exported = try ws.catalog.read { db in
            try String.fetchAll(db, sql: "SELECT sha256 FROM exportItem WHERE packageId = ?", arguments: [summary.packageId])
        }
        #expect(exported.count == summary.copies)
        #expect(!exported.contains(bad))
        let audit = try ws.catalog.read { db in try AuditTrail.entries(db, kind: .export) }
        #expect(audit.last?.outcome.contains("left out 1") == true)
        #expect((audit.last?.outcome.utf8.count ?? 0) < 2_000)
    }

    @Test("An export that must stop says so in one short line, never repeating a huge header value")
    func errorLinesAreShort() throws {
        let ws = try ExportFixture.workspace(hotspot: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let victim = try ExportFixture.damageLastBurgemeesterMessage(ws)
        try Self.set(ws, sha256: victim, "subject = ?, messageId = ?",
                     [String(repeating: "onderwerp ", count: 2_000_000), "<" + String(repeating: "m", count: 1_000_000) + "@x>"])
        let tmp = try TemporaryDirectory("export-short")
        let out = tmp.appending("pakket")
        do {
            _ = try ExportFixture.export(ws, ExportFixture.request(out))
            Issue.record("a damaged stored message must stop the export")
        } catch {
            let text = "\(error)"
            #expect(text.utf8.count < 1_500, "the error is \(text.utf8.count) bytes long")
            #expect(text.contains(ExportFixture.burgemeester))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

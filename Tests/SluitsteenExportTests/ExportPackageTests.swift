// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenExport
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import Testing

/// Packages built from the fixtures, checked with independent tools (xmllint, tar, unzip, sha256sum) and the
/// structure rules of issue 4. Skipped when the MDTO XSD is not available (neither Schemas/ nor ../shared).
@Suite(.enabled(if: ExportFixture.available, "needs the MDTO XSD (make schemas, or ../shared/schemas/mdto) and xmllint"))
struct ExportPackageTests {
    static let forbidden: Set<Character> = [" ", "<", ">", ":", "\"", "/", "\\", "|", "?", "*", "#", "&"]

    /// The structure rules every package must meet; returns the problems found.
    static func structureProblems(_ root: URL) -> [String] {
        var problems: [String] = []
        let files = ExportFixture.files(root)
        let fileSet = Set(files)
        var lower = Set<String>()
        for rel in files + ExportFixture.folders(root) {
            if rel.count > 255 { problems.append("path longer than 255: \(rel)") }
            if !lower.insert(rel.lowercased()).inserted { problems.append("name not unique: \(rel)") }
            let name = String(rel.split(separator: "/").last ?? "")
            if name.contains(where: { Self.forbidden.contains($0) }) { problems.append("illegal name: \(rel)") }
        }
        for rel in files where rel != "pakbon.xml" && !rel.hasSuffix(".mdto.xml") {
            if !fileSet.contains(rel + ".bestand.mdto.xml") { problems.append("no bestand sidecar: \(rel)") }
        }
        for folder in ExportFixture.folders(root) {
            let name = String(folder.split(separator: "/").last ?? "")
            if !fileSet.contains(folder + "/" + name + ".mdto.xml") { problems.append("folder without its sidecar: \(folder)") }
        }
        return problems
    }

    @Test("A folder package of the fixtures: valid sidecars, structure, pakbon, dedup, no V mail")
    func folderPackage() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-out")
        let out = tmp.appending("pakket")
        let summary = try ExportFixture.export(ws, ExportFixture.request(out))

        // Every sidecar valid (xmllint, independent of Sluitsteen's own validation), and the pakbon too.
        let files = ExportFixture.files(out)
        let sidecars = files.filter { $0.hasSuffix(".mdto.xml") }.map { out.appendingPathComponent($0) }
        #expect(!sidecars.isEmpty)
        #expect(try ExportFixture.xmllint(sidecars, schema: ExportFixture.mdtoXSD!) == "")
        #expect(try ExportFixture.xmllint([out.appendingPathComponent("pakbon.xml")], schema: ExportFixture.pakbonXSD) == "")
        #expect(Self.structureProblems(out) == [])

        // The burgemeester's 9 messages are key-person mail (B, due 10 years after their date, all before 2040);
        // Johan de Vries is staff (V) and info@ functional (V): of those only the hotspot message, which is the
        // same bytes as one of the burgemeester's, is selected, so 10 copies and 9 distinct messages.
        let emls = files.filter { $0.hasSuffix(".eml") }
        #expect(emls.count == 9)
        #expect(summary.copies == 10)
        #expect(summary.messages == 9)
        #expect(!files.contains { $0.contains("j.devries") })
        // Every .eml is the stored bytes unchanged: its hash is a message in the store.
        for rel in emls {
            let data = try Data(contentsOf: out.appendingPathComponent(rel))
            #expect(ws.store.contains(Digest.hex(data)), "\(rel) is not a stored message")
        }
        // The shared message is in one dossier; the info@ dossier refers to it.
        let infoDossier = files.first { $0.hasSuffix("info@krimpenerwaard.example.mdto.xml") }
        let infoSidecar = try #require(infoDossier)
        let related = try ExportFixture.element("gerelateerdInformatieobject", in: out.appendingPathComponent(infoSidecar))
        #expect(related.count == 1)
        #expect(!files.contains { $0.hasPrefix(infoSidecar.split(separator: "/").dropLast().joined(separator: "/") + "/2") })

        // Pakbon: counts and package hash recomputed here from the files.
        let pakbon = out.appendingPathComponent("pakbon.xml")
        let text = try String(contentsOf: pakbon, encoding: .utf8)
        #expect(text.contains(">\(try ExportFixture.packageHash(out))</pakketHash>"))
        #expect(summary.packageHash == (try ExportFixture.packageHash(out)))
        let objects = files.filter { $0.hasSuffix(".mdto.xml") && !$0.hasSuffix(".bestand.mdto.xml") }.count
        let bestanden = files.filter { $0.hasSuffix(".bestand.mdto.xml") }.count
        let content = files.filter { !$0.hasSuffix(".mdto.xml") && $0 != "pakbon.xml" }
        let bytes = try content.reduce(Int64(0)) { $0 + Int64(try Data(contentsOf: out.appendingPathComponent($1)).count) }
        #expect(try ExportFixture.element("aantalInformatieobjecten", in: pakbon) == [String(objects)])
        #expect(try ExportFixture.element("aantalBestanden", in: pakbon) == [String(bestanden)])
        #expect(try ExportFixture.element("aantalBestandenInhoud", in: pakbon) == [String(content.count)])
        #expect(try ExportFixture.element("totaleOmvang", in: pakbon) == [String(bytes)])
        // Serie, dossiers and messages are there at their levels; only B.
        let all = try sidecars.map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        #expect(all.contains("<begripLabel>Serie</begripLabel>"))
        #expect(all.contains("<begripLabel>Dossier</begripLabel>"))
        #expect(all.contains("<begripLabel>Archiefstuk</begripLabel>"))
        #expect(!all.contains("<begripCode>V</begripCode>"))
        #expect(all.contains("<identificatieBron>RFC 5322 Message-ID</identificatieBron>"))
        // The hotspot decision is the informatiecategorie of the hotspot serie.
        #expect(all.contains("<begripLabel>Verkeersveiligheid Lekkerkerk</begripLabel>"))

        // Catalog and audit.
        let (items, audit) = try ws.catalog.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exportItem WHERE packageId = ?", arguments: [summary.packageId]) ?? 0,
             try AuditTrail.entries(db, kind: .export).count)
        }
        #expect(items == 10)
        #expect(audit == 1)
    }

    @Test("The message without a Message-ID gets no RFC 5322 identificatie; names and paths stay within limits")
    func namesAndIds() throws {
        let ws = try ExportFixture.workspace(hotspot: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-ids")
        let out = tmp.appending("p")
        _ = try ExportFixture.export(ws, ExportFixture.request(out))
        let files = ExportFixture.files(out)
        let objects = files.filter { $0.hasSuffix(".mdto.xml") && !$0.hasSuffix(".bestand.mdto.xml") && $0.split(separator: "/").count == 4 }
        #expect(objects.count == 9)
        var withMessageId = 0
        for rel in objects {
            let text = try String(contentsOf: out.appendingPathComponent(rel), encoding: .utf8)
            if text.contains("RFC 5322 Message-ID") { withMessageId += 1 }
        }
        // The fixture README: message 2 of the mbox has no Message-ID.
        #expect(withMessageId == 8)
        #expect(files.allSatisfy { $0.utf8.count <= 255 })
    }

    @Test("Exporting the same selection twice gives byte-identical sidecars apart from checksum dates")
    func determinism() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-det")
        let base = tmp.url
        let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
        _ = try ExportFixture.export(ws, ExportFixture.request(a) { $0.extractAttachments = true })
        _ = try ExportFixture.export(ws, ExportFixture.request(b) { $0.extractAttachments = true },
                                     now: ExportFixture.now.addingTimeInterval(3600))
        let filesA = ExportFixture.files(a), filesB = ExportFixture.files(b)
        #expect(filesA == filesB)
        func normalised(_ url: URL) throws -> String {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("<checksumDatum>") }.joined(separator: "\n")
        }
        var differing = 0
        for rel in filesA where rel != "pakbon.xml" {
            let da = try Data(contentsOf: a.appendingPathComponent(rel)), db = try Data(contentsOf: b.appendingPathComponent(rel))
            if da != db {
                differing += 1
                #expect(rel.hasSuffix(".bestand.mdto.xml"), "\(rel) differs")
                #expect(try normalised(a.appendingPathComponent(rel)) == normalised(b.appendingPathComponent(rel)))
            }
        }
        #expect(differing == filesA.filter { $0.hasSuffix(".bestand.mdto.xml") }.count)
    }

    @Test("Messages above the in-memory limit are copied and unpacked from their stored files: the same package")
    func largeMessagesGiveTheSamePackage() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        try ExportFixture.addRichMessage(to: ws)
        let tmp = try TemporaryDirectory("export-large")
        let base = tmp.url
        let a = base.appendingPathComponent("in-memory"), b = base.appendingPathComponent("from-files")
        _ = try ExportFixture.export(ws, ExportFixture.request(a) { $0.extractAttachments = true })
        let wsB = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(wsB.root) }
        try ExportFixture.addRichMessage(to: wsB)
        _ = try ExportFixture.export(wsB, ExportFixture.request(b) { $0.extractAttachments = true; $0.inMemoryLimit = 0 })
        let filesA = ExportFixture.files(a), filesB = ExportFixture.files(b)
        #expect(filesA == filesB)
        // The rich message and its four attachments: the attached message (its own PDF stays inside it), the empty
        // file, the uuencoded file and the Office file, identified from its bytes the same way on both paths.
        let rich = filesA.filter { $0.contains("Bijlagen_van_allerlei_soort") && !$0.hasSuffix(".xml") }
        #expect(rich.count == 5, "the message itself and four attachments: \(rich)")
        #expect(rich.contains { $0.hasSuffix("doorgestuurd.eml") } && rich.contains { $0.hasSuffix("leeg.txt") }
                && rich.contains { $0.hasSuffix("oud.bin") } && rich.contains { $0.hasSuffix("rapport.docx") }, "\(rich)")
        let docxSidecar = try #require(filesA.first { $0.hasSuffix("rapport.docx.bestand.mdto.xml") })
        #expect(try String(contentsOf: a.appendingPathComponent(docxSidecar), encoding: .utf8).contains("fmt/412"), "Word found from the bytes")
        #expect(!filesB.contains { $0.contains("/.bijlage-") }, "no scratch file is left")
        for rel in filesA {
            let da = try Data(contentsOf: a.appendingPathComponent(rel)), db = try Data(contentsOf: b.appendingPathComponent(rel))
            #expect(da == db, "\(rel) differs")
        }
        // A damaged stored message is caught on the copy too: the export stops and leaves nothing.
        try ExportFixture.damageLastBurgemeesterMessage(wsB)
        let damaged = base.appendingPathComponent("damaged")
        #expect(throws: ExportError.self) {
            try ExportFixture.export(wsB, ExportFixture.request(damaged) { $0.extractAttachments = true; $0.inMemoryLimit = 0 })
        }
        #expect(!FileManager.default.fileExists(atPath: damaged.path))
    }

    @Test("tar and zip containers hold the same package in one folder named after it; system tar and unzip read them")
    func tarAndZip() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-tz")
        let base = tmp.url
        let tar = base.appendingPathComponent("p.tar"), zip = base.appendingPathComponent("p.zip")
        let tarSummary = try ExportFixture.export(ws, ExportFixture.request(tar) { $0.container = .tar })
        let zipSummary = try ExportFixture.export(ws, ExportFixture.request(zip) { $0.container = .zip })
        // The second export takes the same copies as the first, still unconfirmed: it says so, naming the package.
        #expect(tarSummary.alreadyIn.isEmpty)
        #expect(zipSummary.alreadyIn == [PackageOverlap(packageId: tarSummary.packageId, copies: tarSummary.copies, confirmedAt: nil)])
        #expect(zipSummary.alreadyIn.first?.warning.contains("not yet confirmed") == true)
        for (archive, tool, args, id) in [(tar, "/usr/bin/tar", ["-xf", tar.path], tarSummary.packageId),
                                          (zip, "/usr/bin/unzip", ["-q", zip.path], zipSummary.packageId)] {
            guard FileManager.default.isExecutableFile(atPath: tool) else { continue }
            let unpacked = base.appendingPathComponent(archive.pathExtension + "-x")
            try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
            let (status, output) = try ExportFixture.run(tool, args, in: unpacked)
            #expect(status == 0, "\(output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: unpacked.path) == [id], "one top-level folder named after the package")
            let dir = unpacked.appendingPathComponent(id)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("pakbon.xml").path))
            #expect(Self.structureProblems(dir) == [])
            let sidecars = ExportFixture.files(dir).filter { $0.hasSuffix(".mdto.xml") }.map { dir.appendingPathComponent($0) }
            if let xsd = ExportFixture.mdtoXSD { #expect(try ExportFixture.xmllint(sidecars, schema: xsd) == "") }
            let pakbon = try String(contentsOf: dir.appendingPathComponent("pakbon.xml"), encoding: .utf8)
            #expect(pakbon.contains(">\(try ExportFixture.packageHash(dir))</pakketHash>"))
            #expect(ExportFixture.files(dir).filter { $0.hasSuffix(".eml") }.count == 9)
        }
        // Deterministic tar metadata: owner 0/0.
        let (_, listing) = try ExportFixture.run("/usr/bin/tar", ["--numeric-owner", "-tvf", tar.path])
        #expect(listing.split(separator: "\n").allSatisfy { $0.contains(" 0/0 ") })
    }

    @Test("BagIt: manifest checks out with sha256sum, Payload-Oxum matches, package root is data/")
    func bagit() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-bag")
        let bag = tmp.appending("bag")
        _ = try ExportFixture.export(ws, ExportFixture.request(bag) { $0.bagit = true })
        let top = Set(try FileManager.default.contentsOfDirectory(atPath: bag.path))
        #expect(top == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "data"])
        let (status, output) = try ExportFixture.run("/usr/bin/sha256sum", ["-c", "--quiet", "manifest-sha256.txt"], in: bag)
        #expect(status == 0, "\(output)")
        let (tagStatus, tagOutput) = try ExportFixture.run("/usr/bin/sha256sum", ["-c", "--quiet", "tagmanifest-sha256.txt"], in: bag)
        #expect(tagStatus == 0, "\(tagOutput)")
        let data = bag.appendingPathComponent("data")
        let payload = ExportFixture.files(data)
        let manifest = try String(contentsOf: bag.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        #expect(manifest.split(separator: "\n").count == payload.count)
        let octets = try payload.reduce(Int64(0)) { $0 + Int64(try Data(contentsOf: data.appendingPathComponent($1)).count) }
        let info = try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        #expect(info.contains("Payload-Oxum: \(octets).\(payload.count)\n"))
        #expect(Self.structureProblems(data) == [])
        let pakbon = try String(contentsOf: data.appendingPathComponent("pakbon.xml"), encoding: .utf8)
        #expect(pakbon.contains(">\(try ExportFixture.packageHash(data))</pakketHash>"))
    }

    @Test("--extract-attachments writes each attachment with its own sidecar and a format found from its bytes")
    func attachments() throws {
        let ws = try ExportFixture.workspace(hotspot: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-att")
        let out = tmp.appending("p")
        _ = try ExportFixture.export(ws, ExportFixture.request(out) { $0.extractAttachments = true })
        let files = ExportFixture.files(out)
        // Fixture README: mbox message 3 has a PDF and a DOCX attachment; the other key-person mail has none.
        let extracted = files.filter { $0.contains("/bijlage-") && !$0.hasSuffix(".mdto.xml") }
        #expect(extracted.count == 2)
        #expect(Self.structureProblems(out) == [])
        #expect(try ExportFixture.xmllint(files.filter { $0.hasSuffix(".mdto.xml") }.map { out.appendingPathComponent($0) },
                                          schema: ExportFixture.mdtoXSD!) == "")
        for rel in extracted {
            let bytes = try Data(contentsOf: out.appendingPathComponent(rel))
            let sidecar = out.appendingPathComponent(rel + ".bestand.mdto.xml")
            let codes = try ExportFixture.element("begripCode", in: sidecar)
            if bytes.starts(with: Array("%PDF-".utf8)) {
                let version = String(decoding: bytes[5..<8], as: UTF8.self)
                let expected = ["1.3": "fmt/17", "1.4": "fmt/18", "1.5": "fmt/19", "1.6": "fmt/20", "1.7": "fmt/276"][version]
                #expect(codes == [expected ?? "?"])
            } else {
                #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "the other attachment is the DOCX (a ZIP)")
                #expect(codes.first == "fmt/412" || codes.first == "x-fmt/263")
            }
            #expect(try ExportFixture.element("omvang", in: sidecar) == [String(bytes.count)])
            #expect(try ExportFixture.element("checksumWaarde", in: sidecar) == [Digest.hex(bytes)])
        }
    }

    @Test("Failures leave nothing at --out: a missing folder, an existing --out, a damaged stored message")
    func failures() throws {
        let ws = try ExportFixture.workspace(hotspot: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-fail")
        let base = tmp.url
        // --out inside a folder that does not exist.
        let missing = base.appendingPathComponent("no-such-folder/p")
        #expect(throws: ExportError.self) { try ExportFixture.export(ws, ExportFixture.request(missing)) }
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        // --out exists already: refused, untouched.
        let existing = base.appendingPathComponent("existing")
        try FileManager.default.createDirectory(at: existing, withIntermediateDirectories: true)
        #expect(throws: ExportError.self) { try ExportFixture.export(ws, ExportFixture.request(existing)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: existing.path).isEmpty)

        // A damaged stored message: the export stops, names the message, leaves nothing (not even a temp folder).
        let victim = try ExportFixture.damageLastBurgemeesterMessage(ws)
        let out = base.appendingPathComponent("damaged")
        var message = ""
        do {
            _ = try ExportFixture.export(ws, ExportFixture.request(out))
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("message <"), "the error names the message: \(message)")
        #expect(message.contains(victim.prefix(12)) || message.contains("damaged"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
        #expect(left == ["existing"])
        let packages = try ws.catalog.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exportPackage") ?? 0 }
        #expect(packages == 0)
    }

    @Test("transfer confirm sets the package's copies to transferred, once; they are not exported again")
    func confirm() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-conf")
        let base = tmp.url
        let summary = try ExportFixture.export(ws, ExportFixture.request(base.appendingPathComponent("p")))
        let receipt = base.appendingPathComponent("ontvangst.xml")
        try Data("<ontvangst>geaccepteerd</ontvangst>".utf8).write(to: receipt)
        let confirmation = TransferConfirmation(workspace: ws)
        let result = try confirmation.confirm(summary.packageId, receipt: receipt, actor: Actor(personId: nil, name: "archivaris"))
        #expect(result.transferred == 10)
        #expect(result.receiptSHA256 == Digest.hex(Data("<ontvangst>geaccepteerd</ontvangst>".utf8)))
        #expect(throws: ExportError.self) {
            try confirmation.confirm(summary.packageId, receipt: nil, actor: Actor(personId: nil, name: "archivaris"))
        }
        #expect(throws: ExportError.self) { try confirmation.confirm("no-such-package", receipt: nil, actor: Actor(personId: nil, name: "a")) }
        var actions: [String: Int] = [:]
        try RetentionEngine(workspace: ws, policy: try Policy.krimpenerwaard).forEachDecision(asOf: ExportFixture.asOf) { d in
            actions[d.decision.action.rawValue, default: 0] += 1
        }
        #expect(actions["transferred"] == 10)
        #expect(actions["transfer-due"] == nil)
        let again = base.appendingPathComponent("again")
        #expect(throws: ExportError.self) { try ExportFixture.export(ws, ExportFixture.request(again)) }
        #expect(!FileManager.default.fileExists(atPath: again.path))
        #expect(try confirmation.packages().first?.confirmedAt == ISOTimestamp.format(ExportFixture.now))
    }
}

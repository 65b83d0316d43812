// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
@testable import SluitsteenExport
import SluitsteenSupport
import SluitsteenXML
import Testing

/// The dossier sidecar written as a stream (its references from a spool file, validated while read) and the tar
/// written in one pass: the same bytes as before, and the schema still refuses what does not validate.
@Suite(.enabled(if: ExportFixture.mdtoXSD != nil, "needs the MDTO XSD (make schemas, or ../shared/schemas/mdto)"))
struct ExportStreamingTests {
    static let context = SidecarContext(
        archiefvormer: "Gemeente Krimpenerwaard", tooi: "gm1931", bron: "Sluitsteen, Gemeente Krimpenerwaard",
        beperking: "Openbaar na overdracht", checksumDatum: "2026-01-15T10:00:00Z",
        doel: ObjectRef(naam: "E-mailarchief", id: ObjectId(kenmerk: "edepot-1", bron: "Streekarchief")))
    static let serie = SerieSpec(folder: "sleutelpersonen", naam: "E-mail van sleutelpersonen", kenmerk: "gm1931-serie-1",
                                 categorieLabel: "Bestuur", categorieCode: "1.1", categorieList: "Selectielijst", omschrijving: "Serie")

    /// Many messages (more than a spool block), names with markup, non-ASCII and a character XML cannot hold.
    static func refs(_ n: Int, _ prefix: String) -> [ObjectRef] {
        (0..<n).map { i in
            ObjectRef(naam: XMLText.safe("\(prefix) \(i) <Overleg> & “café” \u{1}"), id: context.messageId(String(format: "%064x", i)))
        }
    }

    static func dossier(children: [ObjectRef], references: [ObjectRef], streamed: Bool) -> XMLElement {
        context.aggregation(level: "Dossier", ref: ObjectRef(naam: "Postvak b@x", id: ObjectId(kenmerk: "gm1931-dossier-b", bron: context.bron)),
                            omschrijving: "E-mail uit het postvak b@x.", coverage: ("2024-01-01", "2024-12-31"), serie: serie,
                            parent: ObjectRef(naam: serie.naam, id: ObjectId(kenmerk: serie.kenmerk, bron: context.bron)),
                            children: streamed ? [] : children, references: streamed ? [] : references, owner: "Burgemeester",
                            streamed: streamed)
    }

    @Test("A dossier of 5,000 messages streamed from its spool files has the bytes it has when built in memory, and validates")
    func streamedDossier() throws {
        let schema = try XMLSchema(contentsOf: #require(ExportFixture.mdtoXSD))
        let tmp = try TemporaryDirectory("export-stream")
        let base = tmp.url
        let children = Self.refs(5_000, "Bericht")
        let references = Self.refs(700, "Kopie")
        let inMemory = try XMLSerializer.data(Self.dossier(children: children, references: references, streamed: false))

        let childSpool = try RefSpool(path: base.path + "/c.spool")
        let referenceSpool = try RefSpool(path: base.path + "/r.spool")
        for r in children { try childSpool.append(r) }
        for r in references { try referenceSpool.append(r) }
        let c = try childSpool.reader()
        let r = try referenceSpool.reader()
        let path = base.path + "/dossier.mdto.xml"
        let fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL, permissions: 0o644)
        defer { try? fd.close() }
        try XMLSerializer.write(Self.dossier(children: [], references: [], streamed: true), to: fd) {
            if let next = c.next() { return SidecarContext.child(next) }
            return r.next().map(SidecarContext.reference)
        }
        #expect(c.failure == nil && r.failure == nil)
        let streamed = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(streamed.count > 1 << 20)
        #expect(streamed == inMemory)
        #expect(try schema.validateStreaming(file: fd, source: "dossier.mdto.xml").isEmpty)
        #expect(try schema.validateStreaming(data: streamed, source: "dossier.mdto.xml").isEmpty)
        // The tree validator (the one verify-like readers use) agrees.
        #expect(schema.validate(try XMLDocument(data: streamed, source: "dossier.mdto.xml", limits: XMLLimits(maxBytes: 1 << 30))).isEmpty)
    }

    @Test("Streaming validation still refuses a sidecar the schema refuses, bytes that are not XML, and a DOCTYPE")
    func refusals() throws {
        let schema = try XMLSchema(contentsOf: #require(ExportFixture.mdtoXSD))
        let valid = try XMLSerializer.data(Self.dossier(children: Self.refs(3, "B"), references: [], streamed: false))
        #expect(try schema.validateStreaming(data: valid, source: "d.xml").isEmpty)
        // An element MDTO does not know, deep in the document: the schema's finding, with its line.
        let text = String(decoding: valid, as: UTF8.self)
        let wrong = Data(text.replacingOccurrences(of: "waardering>", with: "waardeering>").utf8)
        let issues = try schema.validateStreaming(data: wrong, source: "d.xml")
        #expect(issues.contains { $0.message.contains("waardeering") && $0.line > 1 })
        #expect(issues == schema.validate(try XMLDocument(data: wrong, source: "d.xml")))
        // A value of the wrong type (omvang is an integer).
        let bestand = try XMLSerializer.data(Self.context.bestand(
            ObjectRef(naam: "a.eml", id: Self.context.fileId(String(repeating: "a", count: 64), "eml")), size: 12,
            format: FileFormat(label: "E-mail", pronom: "fmt/950", fileExtension: "eml"), sha256: String(repeating: "a", count: 64),
            of: ObjectRef(naam: "A", id: Self.context.messageId(String(repeating: "a", count: 64)))))
        #expect(try schema.validateStreaming(data: bestand, source: "b.xml").isEmpty)
        let badSize = Data(String(decoding: bestand, as: UTF8.self).replacingOccurrences(of: "<omvang>12<", with: "<omvang>twaalf<").utf8)
        #expect(!(try schema.validateStreaming(data: badSize, source: "b.xml")).isEmpty)
        // Not well-formed: refused (thrown as such, or the schema's findings where libxml2 stopped).
        #expect((try? schema.validateStreaming(data: Data("<MDTO><a></b></MDTO>".utf8), source: "d.xml"))?.isEmpty != true)
        let cut = Data(valid.prefix(valid.count / 2))
        #expect((try? schema.validateStreaming(data: cut, source: "d.xml"))?.isEmpty != true)
        // A DOCTYPE with an entity is refused, not expanded.
        let doctype = Data(text.replacingOccurrences(
            of: "<MDTO ", with: "<!DOCTYPE MDTO [<!ENTITY x \"y\">]>\n<MDTO ").replacingOccurrences(of: "E-mail uit", with: "&x; uit").utf8)
        let refused = #expect(throws: XMLError.self) { try schema.validateStreaming(data: doctype, source: "d.xml") }
        #expect(refused.map { if case .doctypeRefused = $0 { true } else { false } } == true)
        // Nesting deeper than the bound is refused, with the line of the element too deep; the same document within
        // the bound is only the schema's business.
        let deep = Data("<MDTO xmlns=\"https://www.nationaalarchief.nl/mdto\">\n<a>\n<b>\n<c>x</c>\n</b>\n</a>\n</MDTO>\n".utf8)
        let tooDeep = #expect(throws: XMLError.self) { try schema.validateStreaming(data: deep, source: "d.xml", maxDepth: 3) }
        #expect(tooDeep.map { if case .tooDeep(_, let line, 3) = $0 { line == 4 } else { false } } == true)
        #expect(!(try schema.validateStreaming(data: deep, source: "d.xml", maxDepth: 4)).isEmpty)
        // An entity that no DOCTYPE declares, and no bytes at all: not XML.
        let undeclared = Data(text.replacingOccurrences(of: "E-mail uit", with: "&x; uit").utf8)
        let notXML = #expect(throws: XMLError.self) { try schema.validateStreaming(data: undeclared, source: "d.xml") }
        #expect(notXML.map { if case .notWellFormed = $0 { true } else { false } } == true)
        #expect(throws: XMLError.self) { try schema.validateStreaming(data: Data(), source: "d.xml") }
        // The message writer's check: an invalid sidecar is refused with the file named.
        let broken = MDTO.document(MDTO.node("bestand", [MDTO.text("naam", "a.eml"), MDTO.text("omvang", "12")]))
        let invalid = #expect(throws: ExportError.self) {
            _ = try MessageWriting.sidecarData(broken, rel: "x/y.bestand.mdto.xml", about: "bericht y", schema: schema)
        }
        #expect(invalid.map { if case .invalid(let file, _, _) = $0 { file == "x/y.bestand.mdto.xml" } else { false } } == true)
    }

    @Test("The tar lists folders before their contents and names in byte order, and keeps every file's bytes")
    func tarOrder() throws {
        let tmp = try TemporaryDirectory("export-tarorder")
        let base = tmp.url
        let folder = base.appendingPathComponent("src")
        var expected: [String] = []
        for d in ["b", "B", "a_", "a", "é"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(d), withIntermediateDirectories: true)
            for (i, f) in ["z.xml", "Z.eml", "a.eml"].enumerated() {
                let size = [0, 511, 512, 513, 5 << 20][(i + d.utf8.count) % 5]
                try Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }).write(to: folder.appendingPathComponent(d + "/" + f))
            }
        }
        for d in ["B", "a", "a_", "b", "é"] {
            expected.append("r/\(d)/")
            for f in ["Z.eml", "a.eml", "z.xml"] { expected.append("r/\(d)/\(f)") }
        }
        let tarFile = base.appendingPathComponent("t.tar")
        try TarWriter.pack(folder: folder, into: tarFile, root: "r", mtime: 1_700_000_000)
        let (status, listing) = try ExportFixture.run("/usr/bin/tar", ["-tf", tarFile.path])
        #expect(status == 0)
        #expect(listing.split(separator: "\n").map(String.init) == ["r/"] + expected)
        let out = base.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(try ExportFixture.run("/usr/bin/tar", ["-xf", tarFile.path], in: out).0 == 0)
        for path in expected where !path.hasSuffix("/") {
            let original = try Data(contentsOf: folder.appendingPathComponent(String(path.dropFirst(2))))
            #expect(try Data(contentsOf: out.appendingPathComponent(path)) == original, "\(path)")
        }
    }

    @Test("The tar's full buffers written around the page cache give the same bytes as through it, the tail included")
    func tarDirect() throws {
        let tmp = try TemporaryDirectory("export-tardirect")
        let base = tmp.url
        let source = base.appendingPathComponent("source.bin")
        // 9 MB and a bit: two full 4 MB buffers, then a tail that is no multiple of the file system's block size.
        let size = (9 << 20) + 1212
        try Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }).write(to: source)
        func write(_ name: String, direct: Bool) throws -> (bytes: Data, direct: Int64) {
            let file = base.appendingPathComponent(name)
            let stream = try TarStream(file, direct: direct)
            let fd = try FileDescriptor.open(source.path, O_RDONLY | O_CLOEXEC)
            defer { try? fd.close() }
            try stream.emit(TarWriter.header(path: "r/a.bin", size: Int64(size), directory: false, mtime: 1_700_000_000))
            try stream.copy(from: fd, source.path, at: 0, size: Int64(size), rel: "a.bin")
            try stream.emit(TarWriter.header(path: "r/b.bin", size: 1000, directory: false, mtime: 1_700_000_000))
            try stream.copy(from: fd, source.path, at: 123, size: 1000, rel: "b.bin")
            try stream.finish()
            return (try Data(contentsOf: file), stream.directBytes)
        }
        let cached = try write("cached.tar", direct: false)
        let direct = try write("direct.tar", direct: true)
        #expect(cached.direct == 0)
        #expect(direct.bytes == cached.bytes)
        #expect(direct.bytes.count == 512 + size + (512 - size % 512) % 512 + 512 + 1024 + 1024)
        // Where this file system offers direct writing (ext4, XFS, tmpfs since Linux 6.6), the two full buffers used it.
        let probe = try FileDescriptor.open(base.appendingPathComponent("probe").path, O_WRONLY | O_CREAT | O_CLOEXEC, permissions: 0o600)
        defer { try? probe.close() }
        if probe.setDirect(true) { #expect(direct.direct == 8 << 20) }
        let out = base.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(try ExportFixture.run("/usr/bin/tar", ["-xf", base.appendingPathComponent("direct.tar").path], in: out).0 == 0)
        #expect(try Data(contentsOf: out.appendingPathComponent("r/a.bin")) == Data(contentsOf: source))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
@testable import SluitsteenVerify
import SluitsteenXML
import Testing

/// A dossier that lists every message can be larger than any tree the verifier would build (over 64 MiB beyond some
/// 160,000 messages). MDTO files above ``VerifyOptions/treeLimit`` are read as a stream; these tests lower the limit
/// so that small files take that path, and hold its judgement to the tree's.
@Suite("MDTO files read as a stream", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct StreamedSidecarTests {
    private func options(treeLimit: Int64? = nil) -> VerifyOptions {
        var options = VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon)
        if let treeLimit { options.treeLimit = treeLimit }
        return options
    }

    @Test("A dossier above the tree limit is verified, with the same findings as from a tree (folder and tar)")
    func sameFindings() throws {
        let package = try TestPackage.build(messages: 5)
        let dossier = TestPackage.dossierPath
        // Faults inside the streamed reference lists and around them: a reference to an object that is not in the
        // package (and a message whose parent then does not list it), an empty name, an element the schema refuses.
        try package.replace(dossier, "<identificatieKenmerk>A-2</identificatieKenmerk>", "<identificatieKenmerk>A-9</identificatieKenmerk>")
        try package.replace(dossier, "<verwijzingNaam>Besluit 3</verwijzingNaam>", "<verwijzingNaam></verwijzingNaam>")
        try package.replace(dossier, "<naam>Mailbox J. Jansen</naam>", "<naam>Mailbox J. Jansen</naam><onbekend>x</onbekend>")
        try package.writePakbon()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: package.url(dossier).path)[.size] as? Int)

        let tree = try PackageVerifier.verify(package: package.root, options: options())
        let streamed = try PackageVerifier.verify(package: package.root, options: options(treeLimit: Int64(size) - 1))
        #expect(Set(tree.findings.map(\.check)).isSuperset(of: [.onderdeel, .emptyValue, .schema]), "\(tree.findings)")
        #expect(tree.findings.contains { $0.path == dossier && $0.check == .onderdeel && $0.message.contains("A-9") })
        #expect(!streamed.findings.contains { $0.check == .xmlSafety }, "\(streamed.findings)")
        #expect(streamed.findings == tree.findings)
        #expect(streamed.packageHash == tree.packageHash)

        let tar = package.root.deletingLastPathComponent().appendingPathComponent("pakket.tar")
        #expect(try TestPackage.run("/usr/bin/tar", ["-cf", tar.path, "-C", package.root.path, "."]).0 == 0)
        let tarStreamed = try PackageVerifier.verify(package: tar, options: options(treeLimit: Int64(size) - 1))
        #expect(tarStreamed.findings == tree.findings)
    }

    @Test("A dossier whose references spill to disk: the same relation findings, worded the same, as from a tree")
    func spilledReferences() throws {
        let package = try TestPackage.build(messages: 5)
        let dossier = TestPackage.dossierPath
        // More references than one block of records (so the dossier's are read back from disk), then the faults: a
        // reference to an identification that is not in the package, one to a known kenmerk with another bron, one by
        // name only that resolves and one by name only that does not; and a message with a second, unknown parent.
        let valid = TestPackage.verwijzing("bevatOnderdeel", "Besluit 1", "A-1")
        let byName = { (naam: String) in "<bevatOnderdeel><verwijzingNaam>\(naam)</verwijzingNaam></bevatOnderdeel>" }
        let extra = Array(repeating: valid, count: 9000) + [
            TestPackage.verwijzing("bevatOnderdeel", "Besluit 9", "A-9"),
            TestPackage.verwijzing("bevatOnderdeel", "Besluit 3", "A-3").replacingOccurrences(of: "<identificatieBron>Sluitsteen<",
                with: "<identificatieBron>Elders<"),
            byName("Besluit 2"), byName("Besluit 77"),
        ]
        let last = TestPackage.verwijzing("bevatOnderdeel", "Besluit 5", "A-5")
        try package.replace(dossier, last, ([last] + extra).joined(separator: "\n\t\t"))
        let parent = TestPackage.verwijzing("isOnderdeelVan", "Mailbox J. Jansen", "D-1")
        try package.replace(TestPackage.objectPath(4), parent, parent + TestPackage.verwijzing("isOnderdeelVan", "Elders", "D-2"))
        try package.writePakbon()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: package.url(dossier).path)[.size] as? Int)

        let tree = try PackageVerifier.verify(package: package.root, options: options())
        let streamed = try PackageVerifier.verify(package: package.root, options: options(treeLimit: Int64(size) - 1))
        let inDossier = tree.findings.filter { $0.path == dossier && $0.check == .onderdeel }.map(\.message)
        #expect(inDossier.count == 3, "\(tree.findings)")
        for named in ["\"A-9\" (bron \"Sluitsteen\")", "\"A-3\" (bron \"Elders\")", "\"Besluit 77\""] {
            #expect(inDossier.contains { $0.contains("wijst naar \(named), maar") }, "\(named): \(inDossier)")
        }
        #expect(tree.findings.contains { $0.path == TestPackage.objectPath(4) && $0.check == .oneParent })
        #expect(tree.findings.contains { $0.path == TestPackage.objectPath(4) && $0.message.contains("\"D-2\"") })
        #expect(tree.findings.allSatisfy { $0.line < 100 || $0.path == dossier })
        #expect(streamed.findings == tree.findings)
    }

    @Test("A streamed file keeps its references as records, in document order, and the text only of those asked for")
    func referenceRecords() throws {
        let schema = try #require(TestSchemas.mdto.map { try XMLSchema(contentsOf: $0) })
        let package = try TestPackage.build(messages: 3)
        let many = Array(repeating: TestPackage.verwijzing("bevatOnderdeel", "Besluit 2", "A-2"), count: 10_000)
        try package.replace(TestPackage.dossierPath, TestPackage.verwijzing("bevatOnderdeel", "Besluit 3", "A-3"),
            ([TestPackage.verwijzing("bevatOnderdeel", "Besluit 3", "A-3")] + many).joined(separator: "\n"))
        let data = try Data(contentsOf: package.url(TestPackage.dossierPath))
        let keys = RelationKeys(doel: Identity(kenmerk: TestPackage.doel.0, bron: TestPackage.doel.1))
        let asked: Set = [ReferenceSlot(kind: .bevatOnderdeel, index: 1), ReferenceSlot(kind: .bevatOnderdeel, index: 9_999)]
        let store = try PackageStores.open(package.root)
        let folder = "\(TestPackage.serie)/\(TestPackage.dossier)"
        let entry = try #require(try store.children(of: folder).first { $0.path == TestPackage.dossierPath })
        let streamed = try SidecarStream.analyse(entry, reader: store.makeReader(), path: TestPackage.dossierPath, schema: schema,
            algorithms: [], keys: keys, describe: asked).summary
        let tree = SidecarAnalysis.analyse(data, path: TestPackage.dossierPath, schema: schema, keys: keys, describe: asked).0
        for summary in [streamed, tree] {
            #expect(summary.references.count(.bevatOnderdeel) == 10_003)
            #expect(summary.references.count(.isOnderdeelVan) == 1)
            var records: [RelationIndex.Edge] = []
            try summary.references.records.forEach { records.append($0) }
            #expect(records.count == 10_004)
            let contained = records.filter { $0.kind == .bevatOnderdeel }
            #expect(contained.map(\.index) == (0..<10_003).map(UInt32.init))
            #expect(contained.dropFirst(3).allSatisfy { $0.target == keys.key(Identity(kenmerk: "A-2", bron: "Sluitsteen")) })
            #expect(zip(contained, contained.dropFirst()).allSatisfy { $0.line < $1.line })
            #expect(summary.references.description(ReferenceSlot(kind: .bevatOnderdeel, index: 1)) == "\"A-2\" (bron \"Sluitsteen\")")
            #expect(summary.references.description(ReferenceSlot(kind: .bevatOnderdeel, index: 9_999)) != nil)
            #expect(summary.references.description(ReferenceSlot(kind: .bevatOnderdeel, index: 2)) == nil)
        }
        var a: [RelationIndex.Edge] = [], b: [RelationIndex.Edge] = []
        try streamed.references.records.forEach { a.append($0) }
        try tree.references.records.forEach { b.append($0) }
        #expect(a.map(\.target) == b.map(\.target) && a.map(\.line) == b.map(\.line) && a.map(\.isDoel) == b.map(\.isDoel))
    }

    @Test("Every MDTO file streamed: a valid package passes, with the same counts and hash")
    func allStreamed() throws {
        let package = try TestPackage.build(messages: 3)
        let tree = try PackageVerifier.verify(package: package.root, options: options())
        let streamed = try PackageVerifier.verify(package: package.root, options: options(treeLimit: 0))
        #expect(tree.findings == [])
        #expect(streamed.findings == [], "\(streamed.findings)")
        #expect(streamed.informatieobjecten == tree.informatieobjecten)
        #expect(streamed.bestanden == tree.bestanden)
        #expect(streamed.packageHash == tree.packageHash)
    }

    @Test("A streamed file with a DOCTYPE, bad XML or deep nesting is refused as from a tree")
    func refusals() throws {
        let package = try TestPackage.build(messages: 3)
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n<MDTO>&lol2;</MDTO>\n"
        try package.put(TestPackage.objectPath(1), laughs)
        try package.put(TestPackage.objectPath(2), try package.read(TestPackage.objectPath(2)).replacingOccurrences(of: "</naam>", with: "</naamm>"))
        try package.put(TestPackage.objectPath(3), String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200))
        try package.writePakbon()
        let tree = try PackageVerifier.verify(package: package.root, options: options())
        let streamed = try PackageVerifier.verify(package: package.root, options: options(treeLimit: 0))
        let refused = tree.findings.filter { [.xmlSafety, .xmlWellFormed].contains($0.check) }
        #expect(refused.count == 3, "\(tree.findings)")
        #expect(refused.contains { $0.path == TestPackage.objectPath(1) && $0.check == .xmlSafety && $0.line == 2 })
        #expect(streamed.findings == tree.findings)
    }
}

@Suite("XMLEventParser")
struct XMLEventParserTests {
    /// Feeds `text` in pieces of `piece` bytes; returns the element names in order, or throws the refusal.
    private func events(_ text: String, piece: Int) throws -> [String] {
        var names: [String] = []
        let parser = XMLEventParser(source: "test.xml") { event in
            if case .start(let name, _, let line) = event { names.append("\(name)@\(line)") }
        }
        let bytes = Array(text.utf8)
        var at = 0
        while at < bytes.count {
            let n = min(piece, bytes.count - at)
            try bytes[at..<(at + n)].withUnsafeBytes { raw in try parser.feed(raw) }
            at += n
        }
        _ = try parser.finish()
        return names
    }

    @Test("Elements arrive in order with their lines, whatever the piece size", arguments: [1, 3, 4096])
    func order(piece: Int) throws {
        #expect(try events("<?xml version=\"1.0\"?>\n<a>\n  <b>x</b>\n  <c/>\n</a>\n", piece: piece) == ["a@2", "b@3", "c@4"])
    }

    @Test("A DOCTYPE is refused at its line, before its entities are read", arguments: [1, 4096])
    func doctype(piece: Int) throws {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<a>&x;</a>\n"
        #expect(throws: XMLError.doctypeRefused(source: "test.xml", line: 2)) { try events(text, piece: piece) }
    }

    @Test("Bad XML and an empty document are not well-formed")
    func notWellFormed() throws {
        #expect(throws: (any Error).self) { try events("<a><b></a>", piece: 4) }
        #expect(throws: (any Error).self) { try events("", piece: 4) }
        #expect(throws: XMLError.tooDeep(source: "test.xml", line: 1, limit: 128)) {
            try events(String(repeating: "<a>", count: 129) + String(repeating: "</a>", count: 129), piece: 64)
        }
    }
}

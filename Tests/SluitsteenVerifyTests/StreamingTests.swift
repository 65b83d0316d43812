// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenVerify
import Testing

private func verify(_ url: URL) throws -> VerificationReport {
    try PackageVerifier.verify(
        package: url, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
}

/// The verifier walks the package one folder at a time and keeps only compact data between folders; these tests
/// pin the behaviour that depends on that: path order across folders, and findings that name other files.
@Suite("Folder-by-folder verification", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct StreamingTests {
    @Test("The package hash follows full-path byte order when a file name extends a folder name")
    func pathOrder() throws {
        // In byte order "dossier-j.jansen-2.txt" < "dossier-j.jansen.txt" < "dossier-j.jansen/..." ('-' < '.' < '/'),
        // so both files must be hashed before the dossier folder's content, not after it.
        let package = try TestPackage.build(messages: 2)
        try package.put("\(TestPackage.serie)/\(TestPackage.dossier).txt", "notitie")
        try package.put("\(TestPackage.serie)/\(TestPackage.dossier)-2.txt", "notitie 2")
        try package.writePakbon()
        let report = try verify(package.root)
        #expect(!report.findings.contains { $0.check == .pakbonHash }, "\(report.findings)")
        #expect(report.contentFiles == 4)

        let tar = package.root.deletingLastPathComponent().appendingPathComponent("pakket.tar")
        #expect(try TestPackage.run("/usr/bin/tar", ["-cf", tar.path, "-C", package.root.path, "."]).0 == 0)
        let tarReport = try verify(tar)
        #expect(!tarReport.findings.contains { $0.check == .pakbonHash }, "\(tarReport.findings)")
        #expect(Set(tarReport.findings) == Set(report.findings))
    }

    @Test("A package spread over many batches passes, with the right counts")
    func manyBatches() throws {
        let package = try TestPackage.build(messages: 400)  // 1,202 files: more than one batch
        let report = try verify(package.root)
        #expect(report.findings == [], "\(report.findings.prefix(5))")
        #expect(report.informatieobjecten == 402)
        #expect(report.bestanden == 400)
        #expect(report.contentFiles == 400)
    }

    @Test("Relation findings name the other file involved")
    func relationMessages() throws {
        // Message 2 claims to be part of the Serie instead of the Dossier: the Serie does not list it, and the
        // Dossier lists an object that does not point back.
        let package = try TestPackage.build(messages: 2)
        let object2 = try package.read(TestPackage.objectPath(2))
        let dossierRef = TestPackage.verwijzing("isOnderdeelVan", "Mailbox J. Jansen", "D-1")
        #expect(object2.contains(dossierRef))
        try package.put(TestPackage.objectPath(2), object2.replacingOccurrences(
            of: dossierRef, with: TestPackage.verwijzing("isOnderdeelVan", "Mail van sleutelfunctionarissen", "S-1")))
        try package.writePakbon()
        let report = try verify(package.root)
        #expect(Set(report.findings.map(\.check)) == [.onderdeel], "\(report.findings)")
        let up = try #require(report.findings.first { $0.path == TestPackage.objectPath(2) })
        #expect(up.message.contains(TestPackage.seriePath))
        #expect(up.message.contains("\"S-1\""))
        let down = try #require(report.findings.first { $0.path == TestPackage.dossierPath })
        #expect(down.message.contains(TestPackage.objectPath(2)))
        #expect(down.message.contains("\"A-2\""))
        #expect(report.findings.count == 2)
    }

    @Test("A child listed by two aggregations fails one-parent, naming both")
    func twoParents() throws {
        let package = try TestPackage.build(messages: 1)
        let serieChild = TestPackage.verwijzing("bevatOnderdeel", "Mailbox J. Jansen", "D-1")
        try package.replace(TestPackage.seriePath, serieChild,
            serieChild + "\n\t\t" + TestPackage.verwijzing("bevatOnderdeel", "Besluit 1", "A-1"))
        try package.writePakbon()
        let report = try verify(package.root)
        let parent = try #require(report.findings.first { $0.check == .oneParent })
        #expect(parent.path == TestPackage.objectPath(1))
        #expect(parent.message.contains(TestPackage.seriePath) && parent.message.contains(TestPackage.dossierPath))
        // The Serie's extra bevatOnderdeel is not answered by message 1's isOnderdeelVan either.
        #expect(report.findings.contains { $0.check == .onderdeel && $0.path == TestPackage.seriePath })
    }

    @Test("A duplicate identification names the file where it first occurs")
    func duplicateMessage() throws {
        let package = try TestPackage.build(messages: 2)
        let second = "<identificatieKenmerk>F-2</identificatieKenmerk><identificatieBron>Sluitsteen</identificatieBron></identificatie>"
        try package.replace(TestPackage.bestandPath(2), second, second
            + "\n\t\t<identificatie><identificatieKenmerk>F-1</identificatieKenmerk>"
            + "<identificatieBron>Sluitsteen</identificatieBron></identificatie>")
        try package.writePakbon()
        let report = try verify(package.root)
        let duplicate = try #require(report.findings.first { $0.check == .identificatieUnique })
        #expect(duplicate.path == TestPackage.bestandPath(2))
        #expect(duplicate.message.contains(TestPackage.bestandPath(1)))
        #expect(duplicate.message.contains("\"F-1\""))
    }
}

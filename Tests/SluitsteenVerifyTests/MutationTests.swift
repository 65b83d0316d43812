// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenVerify
import Testing

/// One corruption of the valid package and the check ids that must report it.
struct Mutation: Sendable, CustomStringConvertible {
    let name: String
    /// When true, pakbon.xml is rewritten after the corruption so that only the intended checks can fail.
    let refreshPakbon: Bool
    let expected: Set<String>
    let apply: @Sendable (TestPackage) throws -> Void
    var description: String { name }
}

private let p = TestPackage.self

let mutations: [Mutation] = [
    Mutation(name: "flipped byte in an .eml", refreshPakbon: true, expected: ["mdto-rules.checksum"]) { pkg in
        var data = try Data(contentsOf: pkg.url(p.emlPath(1)))
        data[10] ^= 0x01
        try pkg.put(p.emlPath(1), data)
    },
    Mutation(name: "flipped byte, pakbon not refreshed", refreshPakbon: false,
        expected: ["mdto-rules.checksum", "pakbon.pakket-hash"]) { pkg in
        var data = try Data(contentsOf: pkg.url(p.emlPath(2)))
        data[data.count - 3] ^= 0x20
        try pkg.put(p.emlPath(2), data)
    },
    Mutation(name: "deleted .eml", refreshPakbon: false,
        expected: ["structure.orphan-sidecar", "pakbon.counts", "pakbon.totale-omvang", "pakbon.pakket-hash"]) { pkg in
        try FileManager.default.removeItem(at: pkg.url(p.emlPath(1)))
    },
    Mutation(name: "extra file", refreshPakbon: false,
        expected: ["structure.missing-bestand-sidecar", "pakbon.counts", "pakbon.totale-omvang", "pakbon.pakket-hash"]) { pkg in
        try pkg.put("\(p.serie)/\(p.dossier)/notitie.txt", "niet beschreven")
    },
    Mutation(name: "deleted bestand sidecar", refreshPakbon: true,
        expected: ["structure.missing-bestand-sidecar", "structure.representatie"]) { pkg in
        try FileManager.default.removeItem(at: pkg.url(p.bestandPath(1)))
    },
    Mutation(name: "wrong omvang", refreshPakbon: true, expected: ["mdto-rules.omvang"]) { pkg in
        let size = TestPackage.eml(1).utf8.count
        try pkg.replace(p.bestandPath(1), "<omvang>\(size)</omvang>", "<omvang>\(size + 1)</omvang>")
    },
    Mutation(name: "wrong checksum", refreshPakbon: true, expected: ["mdto-rules.checksum"]) { pkg in
        let real = Digest.hex(Data(TestPackage.eml(1).utf8))
        try pkg.replace(p.bestandPath(1), real, String(repeating: "0", count: 64))
    },
    Mutation(name: "invalid element order", refreshPakbon: true, expected: ["schema"]) { pkg in
        // naam before identificatie
        let text = try pkg.read(p.objectPath(1))
        let id = "\t\t<identificatie><identificatieKenmerk>A-1</identificatieKenmerk>"
            + "<identificatieBron>Sluitsteen</identificatieBron></identificatie>\n"
        let naam = "\t\t<naam>Besluit 1</naam>\n"
        guard text.contains(id + naam) else { throw CocoaError(.fileReadCorruptFile) }
        try pkg.put(p.objectPath(1), text.replacingOccurrences(of: id + naam, with: naam + id))
    },
    Mutation(name: "unknown waardering", refreshPakbon: true, expected: ["mdto-rules.waardering"]) { pkg in
        try pkg.replace(p.objectPath(1), "<begripCode>B</begripCode>", "<begripCode>X</begripCode>")
    },
    Mutation(name: "bewaartermijn on a B item", refreshPakbon: true, expected: ["mdto-rules.bewaartermijn"]) { pkg in
        try pkg.replace(p.objectPath(1), "\t\t<isOnderdeelVan>",
            "\t\t<bewaartermijn><termijnStartdatumLooptijd>2025-01-01</termijnStartdatumLooptijd><termijnLooptijd>P10Y</termijnLooptijd>"
                + "<termijnEinddatum>2035-01-01</termijnEinddatum></bewaartermijn>\n\t\t<isOnderdeelVan>")
    },
    Mutation(name: "duplicate identifiers", refreshPakbon: true, expected: ["mdto-rules.identificatie-unique"]) { pkg in
        // The bestand of message 2 gets a second identification equal to that of the bestand of message 1.
        let second = "<identificatieKenmerk>F-2</identificatieKenmerk><identificatieBron>Sluitsteen</identificatieBron></identificatie>"
        try pkg.replace(p.bestandPath(2), second, second
            + "\n\t\t<identificatie><identificatieKenmerk>F-1</identificatieKenmerk>"
            + "<identificatieBron>Sluitsteen</identificatieBron></identificatie>")
    },
    Mutation(name: "dangling isOnderdeelVan", refreshPakbon: true, expected: ["structure.onderdeel"]) { pkg in
        try pkg.replace(p.objectPath(1), "<identificatieKenmerk>D-1</identificatieKenmerk>", "<identificatieKenmerk>D-404</identificatieKenmerk>")
    },
    Mutation(name: "300-character path", refreshPakbon: true, expected: ["structure.path-length"]) { pkg in
        // A 200-character message file name: its path (and its sidecar's) exceeds 255 characters.
        let long = "\(p.berichtFolder(1))/" + String(repeating: "b", count: 196) + ".eml"
        try FileManager.default.moveItem(at: pkg.url(p.emlPath(1)), to: pkg.url(long))
        try FileManager.default.moveItem(at: pkg.url(p.bestandPath(1)), to: pkg.url(long + ".bestand.mdto.xml"))
    },
    Mutation(name: "XXE payload", refreshPakbon: true, expected: ["xml-safety"]) { pkg in
        let text = try pkg.read(p.objectPath(1))
        let xxe = text.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE MDTO [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n")
            .replacingOccurrences(of: "<naam>Besluit 1</naam>", with: "<naam>&x;</naam>")
        try pkg.put(p.objectPath(1), xxe)
    },
    Mutation(name: "billion-laughs payload", refreshPakbon: true, expected: ["xml-safety"]) { pkg in
        var dtd = "<!DOCTYPE MDTO [<!ENTITY l0 \"ha\">"
        for i in 1...12 { dtd += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
        dtd += "]>\n"
        let text = try pkg.read(p.objectPath(2))
        try pkg.put(p.objectPath(2), text.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + dtd)
            .replacingOccurrences(of: "<naam>Besluit 2</naam>", with: "<naam>&l12;</naam>"))
    },
]

@Suite("Mutation tests: one corruption at a time", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct MutationTests {
    @Test("Each corruption fails with exactly the expected check ids", arguments: mutations)
    func mutation(_ m: Mutation) throws {
        let package = try TestPackage.build(messages: 2)
        try m.apply(package)
        if m.refreshPakbon { try package.writePakbon() }
        let report = try PackageVerifier.verify(
            package: package.root, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
        #expect(!report.passed)
        #expect(Set(report.findings.map(\.check.rawValue)) == m.expected, "\(report.findings)")
    }

    @Test("A truncated tar cannot be read: exit-2 error with check id package.unreadable")
    func truncatedTar() throws {
        let package = try TestPackage.build(messages: 2)
        let tar = package.root.deletingLastPathComponent().appendingPathComponent("pakket.tar")
        #expect(try TestPackage.run("/usr/bin/tar", ["-cf", tar.path, "-C", package.root.path, "."]).0 == 0)
        let data = try Data(contentsOf: tar)
        // Cut in the middle, inside the first header's successor, and inside the last file's content.
        let lastByte = try #require(data.lastIndex { $0 != 0 })
        for cut in [data.count / 2, 700, lastByte - 10] {
            let truncated = tar.deletingLastPathComponent().appendingPathComponent("kort-\(cut).tar")
            try data.prefix(cut).write(to: truncated)
            #expect {
                _ = try PackageVerifier.verify(package: truncated, options: VerifyOptions(schema: TestSchemas.mdto))
            } throws: { error in
                guard let error = error as? VerifyError, case .unreadable = error else { return false }
                return "\(error)".contains("package.unreadable")
            }
        }
    }

    @Test("A changed payload file is caught by the BagIt manifest as well")
    func bagManifest() throws {
        let package = try TestPackage.build(messages: 1)
        let bag = package.root.deletingLastPathComponent().appendingPathComponent("bag")
        try package.makeBag(at: bag)
        try Data("extra".utf8).write(to: bag.appendingPathComponent("data/\(TestPackage.serie)/extra.txt"))
        try FileManager.default.removeItem(at: bag.appendingPathComponent("data/" + TestPackage.emlPath(1)))
        let report = try PackageVerifier.verify(package: bag, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
        let bagFindings = report.findings.filter { $0.check.rawValue.hasPrefix("bagit.") }
        #expect(Set(bagFindings.map(\.check.rawValue)) == ["bagit.manifest", "bagit.payload-oxum"])
        #expect(bagFindings.contains { $0.path == "\(TestPackage.serie)/extra.txt" })
        #expect(bagFindings.contains { $0.path == TestPackage.emlPath(1) })
    }

    @Test("--policy: a V item in an e-mail package fails policy.waardering")
    func policy() throws {
        let package = try TestPackage.build(messages: 1)
        try package.replace(TestPackage.objectPath(1), "<begripLabel>Blijvend te bewaren</begripLabel><begripCode>B</begripCode>",
            "<begripLabel>Tijdelijk te bewaren</begripLabel><begripCode>V</begripCode>")
        try package.writePakbon()
        let options = VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon, requireWaarderingB: true)
        let report = try PackageVerifier.verify(package: package.root, options: options)
        #expect(Set(report.findings.map(\.check.rawValue)) == ["policy.waardering"])
        let without = try PackageVerifier.verify(package: package.root,
                                                 options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
        #expect(without.passed)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenVerify
import Testing

@Suite("verify --sidecar", .enabled(if: TestSchemas.mdto != nil && TestSchemas.examples != nil, "needs ../shared examples"))
struct SidecarTests {
    static func examples() throws -> [URL] {
        let dir = try #require(TestSchemas.examples)
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "xml" }.sorted { $0.path < $1.path }
    }

    @Test("The four official NA examples pass")
    func officialExamplesPass() throws {
        let files = try Self.examples()
        #expect(files.count == 4)
        let report = try PackageVerifier.verify(sidecars: files, options: VerifyOptions(schema: TestSchemas.mdto))
        #expect(report.findings == [], "\(report.findings)")
        #expect(report.informatieobjecten == 3)
        #expect(report.bestanden == 1)
    }

    /// Variants of the official Dossier example: (name, text transformation, expected check ids).
    static let variants: [(String, @Sendable (String) -> String, Set<String>)] = [
        ("unchanged", { $0 }, []),
        ("naam before identificatie", { t in
            let naam = t.range(of: "\t\t<naam>")!.lowerBound..<t.range(of: "</naam>\n")!.upperBound
            let line = String(t[naam])
            return t.replacingCharacters(in: naam, with: "").replacingOccurrences(of: "\t\t<identificatie>", with: line + "\t\t<identificatie>")
        }, ["schema"]),
        ("waardering code X", { $0.replacingOccurrences(of: "<begripCode>V</begripCode>", with: "<begripCode>X</begripCode>") },
            ["mdto-rules.waardering"]),
        ("waardering B with bewaartermijn", { $0.replacingOccurrences(
            of: "<begripLabel>Tijdelijk te bewaren</begripLabel>\n\t\t\t<begripCode>V</begripCode>",
            with: "<begripLabel>Blijvend te bewaren</begripLabel>\n\t\t\t<begripCode>B</begripCode>") }, ["mdto-rules.bewaartermijn"]),
        ("wrong bewaartermijn end", { $0.replacingOccurrences(of: "<termijnEinddatum>2090-04-05</termijnEinddatum>",
            with: "<termijnEinddatum>2090-04-06</termijnEinddatum>") }, ["mdto-rules.bewaartermijn-einddatum"]),
        ("dekkingInTijd reversed", { $0.replacingOccurrences(of: "<dekkingInTijdEinddatum>2014-12-31</dekkingInTijdEinddatum>",
            with: "<dekkingInTijdEinddatum>2009-12-31</dekkingInTijdEinddatum>") }, ["mdto-rules.dekking-in-tijd"]),
        ("empty trefwoord", { $0.replacingOccurrences(of: "<trefwoord>Noordzee</trefwoord>", with: "<trefwoord>  </trefwoord>") },
            ["mdto-rules.empty-value"]),
        ("unknown MDTO event type", { $0.replacingOccurrences(of: "<begripLabel>Migratie</begripLabel>",
            with: "<begripLabel>Verhuizing</begripLabel>") }, ["mdto-rules.begrippenlijst"]),
        ("unknown element", { $0.replacingOccurrences(of: "<taal>nl</taal>", with: "<taal>nl</taal><kleur>rood</kleur>") }, ["schema"]),
        ("bad date", { $0.replacingOccurrences(of: "<dekkingInTijdBegindatum>2010-01-01", with: "<dekkingInTijdBegindatum>2010-13-01") }, ["schema"]),
    ]

    @Test("Rule and schema verdicts on variants of the Dossier example; schema verdicts agree with xmllint")
    func variantsAndXmllint() throws {
        let dossier = try #require(try Self.examples().first { $0.lastPathComponent.contains("Dossier") })
        let original = try String(contentsOf: dossier, encoding: .utf8)
        let tmp = try TemporaryDirectory("variants")
        let dir = tmp.url
        let xsd = try #require(TestSchemas.mdto)
        for (i, (name, transform, expected)) in Self.variants.enumerated() {
            let text = transform(original)
            #expect(name == "unchanged" || text != original, "variant \(name) did not change the file")
            let file = dir.appendingPathComponent("v\(i).mdto.xml")
            try Data(text.utf8).write(to: file)
            let report = try PackageVerifier.verify(sidecars: [file], options: VerifyOptions(schema: TestSchemas.mdto))
            let got = Set(report.findings.map(\.check.rawValue))
            #expect(got == expected, "\(name): \(report.findings)")
            // Independent cross-check of the schema verdict.
            let (status, output) = try TestPackage.run("/usr/bin/xmllint", ["--noout", "--schema", xsd.path, file.path])
            #expect((status == 0) == !got.contains("schema"), "\(name): xmllint says \(output)")
        }
    }

    @Test("Checksum algorithm spellings: SHA256 and sha-512 accepted, MD5 refused")
    func checksumSpellings() throws {
        let bestand = try #require(try Self.examples().first { $0.lastPathComponent.contains("Bestand") })
        let original = try String(contentsOf: bestand, encoding: .utf8)
        let tmp = try TemporaryDirectory("algs")
        let dir = tmp.url
        for (label, ok) in [("SHA256", true), ("sha-512", true), ("SHA-384", true), ("MD5", false)] {
            let file = dir.appendingPathComponent("\(label).bestand.mdto.xml")
            let relabelled = original.replacingOccurrences(of: "<begripLabel>SHA256</begripLabel>", with: "<begripLabel>\(label)</begripLabel>")
            try Data(relabelled.utf8).write(to: file)
            let report = try PackageVerifier.verify(sidecars: [file], options: VerifyOptions(schema: TestSchemas.mdto))
            #expect(report.passed == ok, "\(label): \(report.findings)")
            if !ok { #expect(report.findings.map(\.check) == [.checksumAlgorithm]) }
        }
    }
}

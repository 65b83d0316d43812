// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import SluitsteenVerify
import SluitsteenXML
import Testing

/// The auditor's report to file (issue 15): dated, signed, the package's id and hash checked against the export
/// record, failures first; the pakbon schema built in; the MDTO XSD named once in the environment.
@Suite("The verify report an auditor files", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD (make schemas or ../shared)"))
struct VerifyReportTests {
    /// Options with no pakbon schema file: the built-in one is used.
    func options(expect: String? = nil) -> VerifyOptions {
        var o = VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: nil)
        o.expectedHash = expect
        return o
    }

    @Test func theExpectedHashIsCheckedAndAMismatchFails() throws {
        let package = try TestPackage.build(messages: 2)
        let plain = try PackageVerifier.verify(package: package.root, options: options())
        let hash = try #require(plain.packageHash)
        #expect(plain.passed && plain.packageId == "sluitsteen-test-1" && plain.archiefvormer == "Gemeente Krimpenerwaard")
        #expect(!plain.checksRun.contains(.expectedHash))
        let same = try PackageVerifier.verify(package: package.root, options: options(expect: hash.uppercased()))
        #expect(same.passed && same.checksRun.contains(.expectedHash))
        let other = String(repeating: "0", count: 64)
        let wrong = try PackageVerifier.verify(package: package.root, options: options(expect: other))
        #expect(!wrong.passed)
        #expect(wrong.findings.map(\.check) == [.expectedHash])
        #expect(wrong.findings.first?.message.contains(hash) == true)
    }

    @Test func theBuiltInPakbonSchemaIsTheShippedFileAndJudgesThePakbon() throws {
        #expect(Data(PakbonSchema.text.utf8) == (try Data(contentsOf: TestSchemas.pakbon)))
        let package = try TestPackage.build(messages: 1)
        try package.replace("pakbon.xml", "<titel>Testpakket</titel>", "<titel></titel>")
        let report = try PackageVerifier.verify(package: package.root, options: options())
        #expect(report.findings.contains { $0.check == .pakbonSchema })
    }

    @Test func theMDTOSchemaCanBeNamedOnceInTheEnvironment() throws {
        let xsd = try #require(TestSchemas.mdto)
        _ = try MDTOSchema.load(environment: [MDTOSchema.environmentVariable: xsd.path])
        #expect { try MDTOSchema.load(environment: [MDTOSchema.environmentVariable: "/geen/bestand.xsd"]) } throws: { e in
            "\(e)".contains("SLUITSTEEN_MDTO_XSD") && "\(e)".contains("/geen/bestand.xsd")
        }
    }

    @Test func theReportIsDatedSignedAndPutsFailuresFirst() throws {
        let package = try TestPackage.build(messages: 2)
        let report = try PackageVerifier.verify(package: package.root, options: options(expect: String(repeating: "a", count: 64)))
        let at = try #require(ISOTimestamp.parse("2033-06-01T12:03:00Z"))
        let html = ReportRendering.html(report, context: .init(madeAt: at, verifier: .init(name: "Anna Auditor", role: "auditor")))
        for part in ["Verificatierapport MDTO-overdrachtspakket", "Gemeente Krimpenerwaard", "sluitsteen-test-1, versie 1",
                     "1 juni 2033 om 14:03 uur", "Anna Auditor, auditor", "Sluitsteen versie \(SluitsteenVersion.current)",
                     try #require(report.packageHash), String(repeating: "a", count: 64), "ANDERS", "MDTO 1.0.1",
                     "pakbon 1.0", "overflow-wrap", "counter(pages)", "<h2>Ondertekening</h2>", "<td>auditor</td>", "Afgekeurd"] {
            #expect(html.contains(part), "missing: \(part)")
        }
        let failures = try #require(html.range(of: "<h2>Fouten</h2>")), checks = try #require(html.range(of: "<h2>Controles</h2>"))
        #expect(failures.lowerBound < checks.lowerBound)
        // Within the checks, the failed one comes first.
        let firstRow = try #require(html.range(of: "<tr><td><code>", range: checks.upperBound..<html.endIndex))
        #expect(html[firstRow.upperBound...].hasPrefix("package.expected-hash"))
        #expect(DocumentFrame.leakedCodes(in: html).isEmpty, "\(DocumentFrame.leakedCodes(in: html))")
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenVerify
import Testing

private func options(policy: Bool = false) -> VerifyOptions {
    VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon, requireWaarderingB: policy)
}

private func verify(_ url: URL, policy: Bool = false) throws -> VerificationReport {
    try PackageVerifier.verify(package: url, options: options(policy: policy))
}

private func failedChecks(_ report: VerificationReport) -> Set<String> {
    Set(report.findings.map(\.check.rawValue))
}

@Suite("Verifying whole packages", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD (make schemas or ../shared)"))
struct PackageVerificationTests {
    @Test("The unmodified test package passes every check, with the right counts")
    func cleanPackagePasses() throws {
        let package = try TestPackage.build(messages: 3)
        let report = try verify(package.root, policy: true)
        #expect(report.findings == [], "\(report.findings)")
        #expect(report.passed)
        // Serie + Dossier + 3 Archiefstukken; 3 bestand sidecars; 3 .eml files.
        #expect(report.informatieobjecten == 5)
        #expect(report.bestanden == 3)
        #expect(report.contentFiles == 3)
        let emlBytes = (1...3).reduce(0) { $0 + TestPackage.eml($1).utf8.count }
        #expect(report.contentBytes == Int64(emlBytes))
        #expect(report.checksRun.contains(.pakbonHash))
        #expect(report.checksRun.contains(.policyWaardering))
    }

    @Test("The package hash in pakbon.xml matches a shell computation (find | sort | sha256sum)")
    func packageHashMatchesShell() throws {
        let package = try TestPackage.build(messages: 2)
        let script = """
            find . -type f ! -path ./pakbon.xml | sed 's|^\\./||' | LC_ALL=C sort | \
            while IFS= read -r f; do printf '%s  %s\\n' "$(sha256sum < "$f" | cut -c1-64)" "$f"; done | sha256sum | cut -c1-64
            """
        let (status, output) = try TestPackage.run("/bin/sh", ["-c", script], in: package.root)
        #expect(status == 0)
        let pakbon = try package.read("pakbon.xml")
        #expect(pakbon.contains(">\(output.trimmingCharacters(in: .whitespacesAndNewlines))</pakketHash>"))
        #expect(try verify(package.root).passed)
    }

    @Test("Tar, zip and BagIt variants of the valid package pass")
    func containersPass() throws {
        let package = try TestPackage.build(messages: 2)
        let base = package.root.deletingLastPathComponent()
        let tar = base.appendingPathComponent("pakket.tar")
        #expect(try TestPackage.run("/usr/bin/tar", ["-cf", tar.path, "-C", package.root.path, "."]).0 == 0)
        let tarReport = try verify(tar)
        #expect(tarReport.findings == [])
        #expect(tarReport.container == "tar")
        #expect(tarReport.informatieobjecten == 4)

        let zip = base.appendingPathComponent("pakket.zip")
        #expect(try TestPackage.run("/usr/bin/zip", ["-qr", zip.path, "."], in: package.root).0 == 0)
        let zipReport = try verify(zip)
        #expect(zipReport.findings == [])
        #expect(zipReport.container == "zip")
        #expect(zipReport.contentFiles == 2)

        let bag = base.appendingPathComponent("bag")
        try package.makeBag(at: bag)
        let bagReport = try verify(bag)
        #expect(bagReport.findings == [], "\(bagReport.findings)")
        #expect(bagReport.container == "bagit-folder")
        #expect(bagReport.checksRun.contains(.bagitOxum))

        // A tar of the bag's parent folder (one top folder) is found too.
        let bagTar = base.appendingPathComponent("bag.tar")
        #expect(try TestPackage.run("/usr/bin/tar", ["-cf", bagTar.path, "-C", base.path, "bag"]).0 == 0)
        let bagTarReport = try verify(bagTar)
        #expect(bagTarReport.findings == [])
        #expect(bagTarReport.container == "bagit-tar")
    }

    @Test("The same package gives byte-identical JSON and HTML reports")
    func deterministic() throws {
        let package = try TestPackage.build(messages: 3)
        try package.put(TestPackage.emlPath(2), Data("changed".utf8))
        try package.put("serie-sleutelfunctionarissen/extra.txt", Data("x".utf8))
        let a = try verify(package.root), b = try verify(package.root)
        #expect(ReportRendering.json(a) == ReportRendering.json(b))
        #expect(ReportRendering.html(a) == ReportRendering.html(b))
        #expect(a.findings == a.findings.sorted())
        #expect(!a.passed)
    }
}

@Suite("Reports and names", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct ReportTests {
    @Test("The HTML report is Dutch, self-contained, escapes file names and lists each failure with its check id")
    func html() throws {
        let package = try TestPackage.build(messages: 1)
        try package.put("\(TestPackage.serie)/a&b<c>.txt", "x")
        let report = try PackageVerifier.verify(
            package: package.root, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
        let html = ReportRendering.html(report)
        #expect(html.contains("<html lang=\"nl\">"))
        #expect(html.contains("Afgekeurd"))
        #expect(html.contains("a&amp;b&lt;c&gt;.txt"))
        #expect(!html.contains("a&b<c>.txt"))
        #expect(!html.contains("src=") && !html.contains("href="))
        for check in Set(report.findings.map(\.check)) { #expect(html.contains("<code>\(check.rawValue)</code>")) }
        // The illegal characters are reported as a name problem, the missing sidecar too.
        let checks = Set(report.findings.map(\.check))
        #expect(checks.isSuperset(of: [.name, .missingBestandSidecar]))
        let text = ReportRendering.text(report)
        #expect(text.contains("AFGEKEURD"))
        #expect(text.contains("[structure.name]"))
    }

    @Test("A folder without its own sidecar, and a bestand sidecar without its file, are reported")
    func folderAndOrphan() throws {
        let package = try TestPackage.build(messages: 1)
        try FileManager.default.createDirectory(at: package.url("\(TestPackage.serie)/leeg"), withIntermediateDirectories: true)
        try package.put("\(TestPackage.serie)/weg.pdf.bestand.mdto.xml", try package.read(TestPackage.bestandPath(1))
            .replacingOccurrences(of: "<identificatieKenmerk>F-1</identificatieKenmerk>", with: "<identificatieKenmerk>F-9</identificatieKenmerk>"))
        try package.writePakbon()
        let report = try PackageVerifier.verify(
            package: package.root, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
        let byPath = Dictionary(grouping: report.findings, by: \.path).mapValues { Set($0.map(\.check.rawValue)) }
        #expect(byPath["\(TestPackage.serie)/leeg"] == ["structure.missing-folder-sidecar"])
        // The stray sidecar: no file, and its isRepresentatieVan target does not list it.
        #expect(byPath["\(TestPackage.serie)/weg.pdf.bestand.mdto.xml"] == ["structure.orphan-sidecar", "structure.representatie"])
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
@testable import SluitsteenVerify
import Testing

private func verify(_ url: URL) throws -> VerificationReport {
    try PackageVerifier.verify(package: url, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
}

/// The message of the exit-2 error for `url`, or nil when the package was read.
private func refusal(_ url: URL) -> String? {
    do {
        _ = try verify(url)
        return nil
    } catch {
        guard let error = error as? VerifyError, case .unreadable = error else { return "wrong error: \(error)" }
        return error.description
    }
}

private func checks(_ report: VerificationReport) -> Set<String> { Set(report.findings.map(\.check.rawValue)) }

private let serie = TestPackage.serie

/// Issue 19 (verify part): zips that lie about their sizes, zip bombs, and zips whose headers disagree.
@Suite("Hostile zips", .enabled(if: TestSchemas.mdto != nil && HostileArchives.available, "needs the MDTO XSD and python3"))
struct HostileZipTests {
    @Test("An entry that understates its size is inflated only up to the declared size, and reported")
    func understatedSize() throws {
        let package = try TestPackage.build(messages: 1)
        let name = "\(serie)/\(serie).mdto.xml"
        let zip = try HostileArchives.zip(package, "understate.zip", ["understate": [name: ["declared": 1000, "zeros": 80]]])
        // The reader delivers at most the declared 1,000 bytes (it used to inflate all 80 MiB first).
        let store = try ZipStore(url: zip)
        let entry = try #require(try store.children(of: serie).first { $0.path == name })
        var delivered = 0
        #expect(throws: (any Error).self) { try store.makeReader().read(entry) { delivered += $0.count } }
        #expect(delivered <= 1000)
        let report = try verify(zip)
        let finding = try #require(report.findings.first { $0.path == name })
        #expect(finding.check == VerifyError.unreadableCheck)
        #expect(finding.message.contains("meer dan de 1000 bytes"), "\(finding)")
    }

    @Test("A zip bomb with honest sizes is refused before anything is inflated")
    func bomb() throws {
        let package = try TestPackage.build(messages: 1)
        let zip = try HostileArchives.zip(package, "bomb.zip", ["extra": [["name": "\(serie)/nul.bin", "zeros": 64]]])
        let message = try #require(refusal(zip))
        #expect(message.contains("zip bomb"), "\(message)")
    }

    @Test("One member packed more than 200:1 is reported and not inflated; the rest is verified")
    func memberRatio() throws {
        let package = try TestPackage.build(messages: 1)
        let zip = try HostileArchives.zip(package, "ratio.zip", ["extra": [["name": "\(serie)/nul.bin", "zeros": 8]]])
        let report = try verify(zip)
        let finding = try #require(report.findings.first { $0.path == "\(serie)/nul.bin" && $0.check == VerifyError.unreadableCheck })
        #expect(finding.message.contains("zipbom"), "\(finding)")
        #expect(report.informatieobjecten == 3)
    }

    @Test("Entries that share bytes (a non-recursive zip bomb) make the zip unreadable")
    func overlap() throws {
        let package = try TestPackage.build(messages: 1)
        let zip = try HostileArchives.zip(package, "overlap.zip", ["overlap": true])
        let message = try #require(refusal(zip))
        #expect(message.contains("overlap"), "\(message)")
    }

    @Test("A local header whose name differs from the central directory makes the zip unreadable")
    func localName() throws {
        let package = try TestPackage.build(messages: 1)
        let zip = try HostileArchives.zip(package, "localname.zip", ["localname": TestPackage.emlPath(1)])
        let message = try #require(refusal(zip))
        #expect(message.contains("local header"), "\(message)")
    }

    @Test("A data descriptor that gives other sizes than the central directory makes the zip unreadable")
    func lyingDescriptor() throws {
        let package = try TestPackage.build(messages: 1)
        let zip = try HostileArchives.zip(package, "descriptor.zip", ["descriptor": TestPackage.emlPath(1)])
        let message = try #require(refusal(zip))
        #expect(message.contains("data descriptor"), "\(message)")
    }

    @Test("Zips from Info-ZIP (with data descriptors) and from the test writer pass")
    func honestZipsPass() throws {
        let package = try TestPackage.build(messages: 2)
        #expect(try verify(try HostileArchives.zip(package, "plain.zip")).findings == [])
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") else { return }
        let streamed = package.root.deletingLastPathComponent().appendingPathComponent("fd.zip")
        #expect(try TestPackage.run("/usr/bin/zip", ["-qr", "-fd", streamed.path, "."], in: package.root).0 == 0)
        #expect(try verify(streamed).findings == [])
    }
}

/// Member names that would unpack elsewhere than where the verifier looked, and packages an e-depot refuses.
@Suite("Hostile names", .enabled(if: TestSchemas.mdto != nil && HostileArchives.available, "needs the MDTO XSD and python3"))
struct HostileNameTests {
    @Test("A tar of absolute names without pakbon fails: each member is named, and the pakbon is missing")
    func absoluteTar() throws {
        let package = try TestPackage.build(messages: 1)
        let tar = try HostileArchives.tar(package, "absolute.tar", ["prefix": "/", "drop": ["pakbon.xml"]])
        let report = try verify(tar)
        #expect(!report.passed)
        let named = report.findings.filter { $0.check.rawValue == "package.member-name" }
        #expect(named.count == 5, "\(report.findings)")
        #expect(named.allSatisfy { $0.path.hasPrefix("/") && $0.message.contains("absoluut") })
        #expect(checks(report).contains("pakbon.present"))
    }

    @Test("A package without pakbon.xml fails, even when everything else is in order")
    func noPakbon() throws {
        let package = try TestPackage.build(messages: 1)
        try FileManager.default.removeItem(at: package.url("pakbon.xml"))
        // Without the pakbon the Serie's reference to the doel cannot resolve, so drop that reference too.
        let text = try package.read(TestPackage.seriePath)
        let start = try #require(text.range(of: "\t\t<isOnderdeelVan>")), end = try #require(text.range(of: "</isOnderdeelVan>\n"))
        try package.put(TestPackage.seriePath, text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: ""))
        let report = try verify(package.root)
        #expect(!report.passed)
        #expect(report.findings.map(\.check.rawValue) == ["pakbon.present"], "\(report.findings)")
    }

    @Test("'..', '//', duplicate and too deep member names are reported and not read", arguments: ["zip", "tar"])
    func badNames(_ container: String) throws {
        let package = try TestPackage.build(messages: 1)
        let deep = "\(serie)/" + String(repeating: "d/", count: 200) + "f.txt"
        let extra: [[String: Any]] = [
            ["name": "../../buiten.txt", "text": "x"],
            ["name": "\(serie)/a/../../buiten.txt", "text": "x"],
            ["name": "\(serie)//dubbel.txt", "text": "x"],
            ["name": TestPackage.emlPath(1), "text": "tweede versie"],
            ["name": deep, "text": "x"],
        ]
        let url = container == "zip"
            ? try HostileArchives.zip(package, "names.zip", ["extra": extra])
            : try HostileArchives.tar(package, "names.tar", ["extra": extra])
        let report = try verify(url)
        let named = Dictionary(grouping: report.findings.filter { $0.check.rawValue == "package.member-name" }, by: \.path)
        #expect(Set(named.keys) == ["../../buiten.txt", "\(serie)/a/../../buiten.txt", "\(serie)//dubbel.txt",
            TestPackage.emlPath(1), deep], "\(report.findings)")
        #expect(named[TestPackage.emlPath(1)]?.first?.message.contains("meer dan eens") == true)
        // The first copy of the duplicate was verified (its checksum matches); nothing else failed.
        #expect(checks(report) == ["package.member-name"], "\(report.findings)")
    }

    @Test("Links in a tar are reported as not a file; control characters in a name as a bad name")
    func linksAndControlCharacters() throws {
        let package = try TestPackage.build(messages: 1)
        let tar = try HostileArchives.tar(package, "links.tar", ["extra": [
            ["name": "\(serie)/wachtwoorden", "type": "symlink", "link": "/etc/passwd"],
            ["name": "\(serie)/kopie", "type": "hardlink", "link": TestPackage.emlPath(1)],
            ["name": "\(serie)/nul\u{0}teken\u{1B}[31m.txt", "text": "x"],
        ]])
        let report = try verify(tar)
        let byPath = Dictionary(grouping: report.findings, by: \.path).mapValues { Set($0.map(\.check.rawValue)) }
        #expect(byPath["\(serie)/wachtwoorden"]?.contains("structure.file-type") == true, "\(report.findings)")
        #expect(byPath["\(serie)/kopie"]?.contains("structure.file-type") == true)
        #expect(byPath["\(serie)/nul\u{0}teken\u{1B}[31m.txt"]?.contains("structure.name") == true)
    }

    @Test("A folder tree deeper than 128 levels is read to that depth only")
    func deepFolder() throws {
        let package = try TestPackage.build(messages: 1)
        var deep = package.url(serie)
        for _ in 0..<200 { deep.appendPathComponent("d") }
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let report = try verify(package.root)
        let depths = report.findings.map { $0.path.split(separator: "/").count }
        #expect(depths.max() ?? 0 <= 128)
        #expect(report.findings.contains { $0.check == .pathLength && $0.message.contains("niet gecontroleerd") })
    }
}

/// Inputs that are not files or folders: exit 2 with a message that says what they are, never a hang.
@Suite("Special inputs", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct SpecialInputTests {
    /// A named pipe in a fresh temporary folder, which the caller keeps for as long as it uses the pipe.
    static func fifo() throws -> (folder: TemporaryDirectory, url: URL) {
        let tmp = try TemporaryDirectory("fifo")
        let url = tmp.appending("pijp")
        guard mkfifo(url.path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (tmp, url)
    }

    @Test("A named pipe as package or as --sidecar: exit 2 naming the FIFO, no hang",
        .enabled(if: CLIRun.available, "needs .build/debug/sluitsteen"))
    func namedPipe() throws {
        let (folder, pipe) = try Self.fifo()
        defer { withExtendedLifetime(folder) {} }
        for arguments in [[pipe.path], ["--sidecar", pipe.path]] {
            let run = try CLIRun.verify(arguments)
            #expect(!run.killed, "verify \(arguments) blocked on the named pipe")
            #expect(run.status == 2)
            #expect(run.stderr.contains("named pipe (FIFO)"), "\(run.stderr)")
        }
    }

    @Test("A device, a folder given as MDTO file, and a dangling link say what they are")
    func whatItIs() throws {
        #expect(refusal(URL(fileURLWithPath: "/dev/zero"))?.contains("character device") == true)
        let package = try TestPackage.build(messages: 1)
        do {
            _ = try PackageVerifier.verify(sidecars: [package.root], options: VerifyOptions(schema: TestSchemas.mdto))
            Issue.record("a folder was read as an MDTO file")
        } catch {
            #expect(error.description.contains("it is a folder"), "\(error)")
        }
        let link = package.root.deletingLastPathComponent().appendingPathComponent("weg")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/nonexistent/pakket")
        #expect(refusal(link)?.contains("symbolic link to /nonexistent/pakket") == true)
    }

    @Test("A package path that is a symbolic link is followed, and the report says so")
    func linkedPackage() throws {
        let package = try TestPackage.build(messages: 1)
        let link = package.root.deletingLastPathComponent().appendingPathComponent("koppeling")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: package.root)
        let report = try verify(link)
        #expect(report.passed, "\(report.findings)")
        #expect(report.notes.contains { $0.contains("symbolische koppeling") && $0.contains(package.root.lastPathComponent) })
    }
}

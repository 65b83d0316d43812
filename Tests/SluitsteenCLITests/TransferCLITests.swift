// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing

/// Transfers and the auditor's check on the command line (issue 15): a tar with one folder named after the
/// package, `transfer withdraw` and `transfer list`, and a standalone `verify --expect-hash` that needs no source
/// folder for the pakbon schema and takes the MDTO XSD from SLUITSTEEN_MDTO_XSD.
@Suite(.enabled(if: CLI.available && TransferCLIFixture.mdtoXSD != nil, "needs the built binary and the MDTO XSD (make schemas)"))
struct TransferCLITests {
    static var mdtoXSD: URL? { TransferCLIFixture.mdtoXSD }

    func archive() throws -> CLI {
        // Captured in 2026 (the opt-out windows close in 2027), transferred in 2036 (key persons' mail of 2025 is due).
        var cli = try CLI()
        cli.now = "2026-12-04T10:00:00Z"
        #expect(try cli.initialise().status == 0)
        let m = CLI.fixtures.appendingPathComponent("mailboxes")
        for (box, path) in [("burgemeester", "burgemeester.mbox"), ("j.devries", "beleidsmedewerker"), ("info", "info")] {
            let r = try cli.run(["ingest", "--quiet", "--mailbox", "\(box)@krimpenerwaard.example", m.appendingPathComponent(path).path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        cli.now = "2036-01-05T09:00:00Z"
        return cli
    }

    /// Runs a copy of the binary from a folder with no Schemas/ anywhere above it, in that folder.
    func standalone(_ cli: CLI, _ args: [String], env: [String: String]) throws -> CLI.Result {
        let folder = try TemporaryDirectory("standalone")
        let dir = folder.url
        let copy = dir.appendingPathComponent("sluitsteen")
        try Self.place(CLI.binary, at: copy)
        let p = Process()
        p.executableURL = copy
        p.arguments = args
        p.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SLUITSTEEN_SCHEMAS")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self), killed: false)
    }

    /// `binary` at `copy`: a hard link where both are on one file system, else a copy written through a descriptor
    /// closed on exec. A copy made with FileManager is written through a descriptor that a process another test starts
    /// meanwhile inherits and keeps: running the copy then fails with "Text file busy".
    static func place(_ binary: URL, at copy: URL) throws {
        if link(binary.path, copy.path) == 0 { return }
        let bytes = try Data(contentsOf: binary)
        let fd = open(copy.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                done += n
            }
        }
    }

    @Test func aTarHoldsOneFolderAndAStandaloneVerifyChecksTheExpectedHash() throws {
        let cli = try archive()
        let xsd = try #require(Self.mdtoXSD)
        let tar = cli.home.appendingPathComponent("overdracht.tar")
        let exported = try cli.run(["export", "--quiet", "--json", "--by", "P0011", "--out", tar.path], env: ["SLUITSTEEN_MDTO_XSD": xsd.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        let id = try #require(summary["packageId"] as? String), hash = try #require(summary["packageHash"] as? String)
        let statement = try #require(summary["statement"] as? String)
        #expect(try String(contentsOfFile: statement, encoding: .utf8).contains(hash))

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        p.arguments = ["-tf", tar.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let tops = Set(listing.split(separator: "\n").map { String($0.split(separator: "/").first ?? "") })
        #expect(tops == [id], "one top-level folder named after the package: \(tops)")

        let env = ["SLUITSTEEN_MDTO_XSD": xsd.path]
        let report = cli.home.appendingPathComponent("verificatie.html")
        let good = try standalone(cli, ["verify", tar.path, "--expect-hash", hash, "--by", "Anna Auditor", "--report", report.path], env: env)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("Anna Auditor, auditor") && html.contains(id) && html.contains(hash) && html.contains("gelijk"))
        let bad = try standalone(cli, ["verify", tar.path, "--expect-hash", String(repeating: "0", count: 64)], env: env)
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("package.expected-hash"))
        let malformed = try cli.run(["verify", tar.path, "--expect-hash", "abc"])
        #expect(malformed.status != 0 && malformed.stderr.contains("64 hexadecimal"))
        let noXSD = try standalone(cli, ["verify", tar.path], env: ["SLUITSTEEN_MDTO_XSD": "/geen/MDTO.xsd"])
        #expect(noXSD.status == 2 && noXSD.stderr.contains("SLUITSTEEN_MDTO_XSD"))
    }

    @Test func aPackageIsWithdrawnListedAndAnOverlapIsWarnedAbout() throws {
        let cli = try archive()
        let env = ["SLUITSTEEN_MDTO_XSD": try #require(Self.mdtoXSD).path]
        let first = try cli.run(["export", "--quiet", "--json", "--out", cli.home.appendingPathComponent("a").path], env: env)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])?["packageId"] as? String)
        let second = try cli.run(["export", "--quiet", "--out", cli.home.appendingPathComponent("b").path], env: env)
        #expect(second.status == 0 && second.stderr.contains("already in package \(id)") && second.stderr.contains("not yet confirmed"))
        let withdrawn = try cli.run(["transfer", "withdraw", id, "--by", "P0011", "--reason", "dubbel aangemaakt"])
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        #expect(withdrawn.stdout.contains("withdrawn") && withdrawn.stdout.contains("may be exported again"))
        let list = try cli.run(["transfer", "list"])
        #expect(list.stdout.contains("\(id)  withdrawn") && list.stdout.contains("burgemeester@krimpenerwaard.example"))
        let json = cli.jsonLines(try cli.run(["transfer", "list", "--json"]).stdout)
        #expect(json.first { $0["id"] as? String == id }?["withdrawReason"] as? String == "dubbel aangemaakt")
        let again = try cli.run(["transfer", "confirm", id])
        #expect(again.status != 0 && again.stderr.contains("withdrawn"))
        let audit = try cli.run(["audit", "show", "--json"])
        #expect(audit.stdout.contains("transfer-withdrawal"))
    }
}

/// The MDTO XSD for the transfer tests: Schemas/ (make schemas) or ../shared.
enum TransferCLIFixture {
    static let mdtoXSD: URL? = {
        let candidates = [CLI.packageRoot.appendingPathComponent("Schemas/MDTO-XML1.0.1.xsd"),
                          CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas/mdto/MDTO-XML1.0.1.xsd")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()
}

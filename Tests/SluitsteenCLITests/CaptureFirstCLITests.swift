// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing

/// Capture first, parse later (issue 17) on the command line: what `messages`, `plan`, `export` and `verify` show
/// after ingest + index is what they showed when ingest read every message in full (`--parse-in-full`, the path
/// before); before `index`, `messages` says what is pending; a killed `index` goes on where it stopped.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct CaptureFirstCLITests {
    static let boxes = [("burgemeester", "burgemeester.mbox"), ("j.devries", "beleidsmedewerker"), ("info", "info")]

    /// A workspace with the fixtures' three mailboxes ingested (read in full at capture or not), a hotspot with terms
    /// (so that plans read the full-text index) and a Woo hold.
    func archive(inFull: Bool) throws -> CLI {
        var cli = try CLI()
        cli.now = "2026-12-04T10:00:00Z"
        #expect(try cli.initialise().status == 0)
        let m = CLI.fixtures.appendingPathComponent("mailboxes")
        for (box, path) in Self.boxes {
            let r = try cli.run(["ingest", "--quiet", "--mailbox", "\(box)@krimpenerwaard.example", m.appendingPathComponent(path).path]
                                + (inFull ? ["--parse-in-full"] : []))
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try cli.run(["hotspot", "add", "--name", "N210 Brug Krimpen", "--status", "designated", "--from", "2024-01-01",
                             "--to", "2025-12-31", "--terms", "N210,Brug Krimpen", "--decision", "SIO 2024-11"]).status == 0)
        #expect(try cli.run(["hold", "add", "--woo", "Z-2024-0815", "--received", "2024-05-21", "--zaak", "Z-2024-0815"]).status == 0)
        return cli
    }

    func messages(_ cli: CLI) throws -> [String] {
        let r = try cli.run(["messages", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// The package's files (path, size, SHA-256 of the content files) and what `verify --json` reports of it.
    func exportAndVerify(_ cli: CLI) throws -> (files: [String], verify: String)? {
        guard let xsd = TransferCLIFixture.mdtoXSD else { return nil }
        var cli = cli
        cli.now = "2036-01-05T09:00:00Z"
        let out = cli.home.appendingPathComponent("overdracht")
        let exported = try cli.run(["export", "--quiet", "--by", "P0011", "--as-of", "2036-01-01", "--out", out.path],
                                   env: ["SLUITSTEEN_MDTO_XSD": xsd.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let files = (FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String] ?? []).sorted().map { rel -> String in
            let size = (try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(rel).path)[.size] as? NSNumber)?.intValue
            return "\(rel) \(size ?? -1)"
        }
        let verified = try cli.run(["verify", "--json", out.path], env: ["SLUITSTEEN_MDTO_XSD": xsd.path])
        #expect(verified.status == 0, "\(verified.stderr)")
        return (files, verified.stdout.replacingOccurrences(of: out.path, with: "PACKAGE"))
    }

    @Test func afterIndexEverythingShownIsWhatAFullReadingAtCaptureShowed() throws {
        let before = try archive(inFull: true)
        #expect(try before.run(["index"]).status == 0)
        let after = try archive(inFull: false)

        // Before index: every line says what is pending, in words and in JSON.
        let pendingText = try after.run(["messages"]).stdout.split(separator: "\n")
        #expect(!pendingText.isEmpty && pendingText.allSatisfy { $0.contains("nog niet volledig gelezen") })
        let pendingJSON = after.jsonLines(try messages(after).joined(separator: "\n"))
        #expect(pendingJSON.allSatisfy { $0["parsePending"] as? Bool == true && $0["attachmentCount"] is NSNull })
        #expect(!(try before.run(["messages"]).stdout.contains("nog niet volledig gelezen")))

        let indexed = try after.run(["index", "--json"])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let summary = try #require(after.jsonLines(indexed.stdout).first)
        #expect(summary["readInFull"] as? Int == summary["indexed"] as? Int)

        #expect(try messages(after) == (try messages(before)))
        let plan = ["plan", "--as-of", "2033-06-01", "--json"]
        let planBefore = try before.run(plan), planAfter = try after.run(plan)
        #expect(planBefore.status == 0 && planAfter.status == 0)
        #expect(planAfter.stdout == planBefore.stdout)
        if let b = try exportAndVerify(before), let a = try exportAndVerify(after) {
            #expect(a.files == b.files)
            #expect(a.verify == b.verify)
        }
    }

    /// A real SIGKILL while `index` commits its batches: the messages of the committed batches are read in full, the
    /// others still say so; the next run reads only those and ends with what an uninterrupted run gives.
    @Test(arguments: ["index-after-commit:2", "index-before-commit:3"])
    func aKilledIndexGoesOnWhereItStopped(point: String) throws {
        let reference = try archive(inFull: false)
        #expect(try reference.run(["index"]).status == 0)
        let expected = try messages(reference)

        let cli = try archive(inFull: false)
        let total = cli.jsonLines(try messages(cli).joined(separator: "\n")).count
        let killed = try cli.run(["index", "--batch-size", "4"], env: ["SLUITSTEEN_TEST_KILL": point])
        #expect(killed.killed, "the index run should have been killed at \(point)")
        let partial = cli.jsonLines(try messages(cli).joined(separator: "\n"))
        let pending = partial.filter { $0["parsePending"] as? Bool == true }.count
        #expect(pending > 0 && pending < total, "\(pending) of \(total) pending")
        let rerun = try cli.run(["index", "--json", "--batch-size", "4"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let summary = try #require(cli.jsonLines(rerun.stdout).first)
        // Two batches of four were committed before the kill; the rest is read now, each message once.
        let messagesInAll = try #require(Set(partial.compactMap { $0["sha256"] as? String }).count as Int?)
        #expect(summary["readInFull"] as? Int == messagesInAll - 8)
        #expect(try messages(cli) == expected)
    }
}

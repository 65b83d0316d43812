import Foundation
import SluitsteenTestSupport
import Testing

/// The guards of issue 11, as a records manager meets them on the command line: destruction never acts on the future,
/// the clock can be replayed only in a demo archive, approvals are by registered persons, and a typo in a mailbox does
/// not become a permanent mailbox.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct GuardsCLITests {
    /// A demo archive with the fixtures' three mailboxes and registers, at `now`.
    func archive(now: String = "2026-12-04T10:00:00Z") throws -> CLI {
        var cli = try CLI()
        cli.now = now
        let created = try cli.initialise()
        #expect(created.status == 0, "\(created.stderr)")
        let m = CLI.fixtures.appendingPathComponent("mailboxes")
        for (box, path) in [("burgemeester", "burgemeester.mbox"), ("j.devries", "beleidsmedewerker"), ("info", "info")] {
            let r = try cli.run(["ingest", "--quiet", "--mailbox", "\(box)@krimpenerwaard.example", m.appendingPathComponent(path).path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        return cli
    }

    func count(_ cli: CLI, _ state: String) throws -> Int {
        cli.jsonLines(try cli.run(["messages", "--json"]).stdout).filter { $0["state"] as? String == state }.count
    }

    // MARK: 1. Destructive commands never act on the future

    @Test func destroyProposeAndOptoutPurgeRefuseAFutureAsOf() throws {
        let cli = try archive()
        let propose = try cli.run(["destroy", "propose", "--as-of", "2033-06-01", "--by", "P0010"])
        #expect(propose.status != 0)
        #expect(propose.stderr.contains("2033-06-01") && propose.stderr.contains("2026-12-04") && propose.stderr.contains("later than today"))
        #expect(propose.stderr.split(separator: "\n").count == 1, "one clear line")
        let purge = try cli.run(["optout", "purge", "--as-of", "2033-06-01"])
        #expect(purge.status != 0 && purge.stderr.contains("later than today"))
        let execute = try cli.run(["destroy", "execute", "VL-2033-001", "--as-of", "2033-06-01"])
        #expect(execute.status != 0 && execute.stderr.contains("later than today"))
        // Nothing changed: no list, nothing purged or destroyed.
        #expect(try cli.run(["destroy", "list", "--json"]).stdout.isEmpty)
        #expect(try count(cli, "present") == 27)
    }

    /// A list proposed while mail was due is executed as of the moment of execution: `--as-of` on execute changes
    /// nothing, and a hold received after the list's date stops the items it covers.
    @Test func executeDecidesAtTheRealMomentWhateverAsOfSays() throws {
        var cli = try archive()
        cli.now = "2033-06-01T09:00:00Z"
        let proposed = try cli.run(["destroy", "propose", "--by", "P0010", "--json"])
        let list = try #require((try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any])?["listId"] as? String)
        #expect(try cli.run(["destroy", "approve", list, "--role", "div", "--by", "P0010"]).status == 0)
        cli.now = "2033-06-02T09:00:00Z"
        #expect(try cli.run(["destroy", "approve", list, "--role", "archivist", "--by", "P0011"]).status == 0)
        // A Woo request received after the list's date, before execution, covers info@.
        #expect(try cli.run(["hold", "add", "--woo", "Z-2033-0600", "--received", "2033-06-05",
                             "--mailboxes", "info@krimpenerwaard.example"]).status == 0)
        cli.now = "2033-06-10T09:00:00Z"
        let executed = try cli.run(["destroy", "execute", list, "--as-of", "2033-06-01", "--json"])
        #expect(executed.status == 0, "\(executed.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(executed.stdout.utf8)) as? [String: Any])
        let skipped = try #require(o["skipped"] as? [[String: Any]])
        let infoOnList = cli.jsonLines(try cli.run(["destroy", "show", list, "--json"]).stdout).first.flatMap { $0["items"] as? [[String: Any]] }?
            .filter { ($0["mailbox"] as? String) == "info@krimpenerwaard.example" }.count ?? -1
        #expect(infoOnList == 6 && skipped.count == 6 && skipped.allSatisfy { ($0["mailbox"] as? String) == "info@krimpenerwaard.example" })
        #expect(skipped.allSatisfy { ($0["reason"] as? String ?? "").contains("woo:Z-2033-0600") })
        #expect(executed.stderr.contains("--as-of is not used"))
    }

    @Test func planExplainAndExportSayWhenTheyAreAForecast() throws {
        let cli = try archive()
        let plan = try cli.run(["plan", "--as-of", "2033-06-01"])
        #expect(plan.stdout.contains("VOORUITBLIK") && plan.stdout.contains("2026-12-04"))
        let json = cli.jsonLines(try cli.run(["plan", "--as-of", "2033-06-01", "--json"]).stdout)
        #expect(!json.isEmpty && json.allSatisfy { $0["forecast"] as? Bool == true })
        let today = cli.jsonLines(try cli.run(["plan", "--json"]).stdout)
        #expect(!today.isEmpty && today.allSatisfy { $0["forecast"] == nil })
        #expect(!(try cli.run(["plan"]).stdout.contains("VOORUITBLIK")))
        let report = cli.home.appendingPathComponent("plan.html")
        _ = try cli.run(["plan", "--as-of", "2033-06-01", "--report", report.path])
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("VOORUITBLIK") && html.contains("(vooruitblik)"))
        let id = try #require(json.first { $0["mailbox"] as? String == "info@krimpenerwaard.example" }?["messageId"] as? String)
        let explained = try cli.run(["explain", "--as-of", "2033-06-01", "--mailbox", "info@krimpenerwaard.example", "--message-id", id])
        #expect(explained.stdout.contains("VOORUITBLIK"))
        let out = cli.home.appendingPathComponent("overdracht").path
        let exported = try cli.run(["export", "--quiet", "--json", "--as-of", "2036-01-01", "--out", out])
        if exported.status == 0 {
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
            #expect(summary["forecast"] as? Bool == true && summary["demo"] as? Bool == true)
            // The verify report of a demo package says so, above its verdict.
            let report = cli.home.appendingPathComponent("verificatie.html")
            let verified = try cli.run(["verify", out, "--report", report.path])
            #expect(verified.stdout.contains("DEMO-/TESTARCHIEF"))
            #expect(try String(contentsOf: report, encoding: .utf8).contains("class=\"demo\""))
        } else {
            #expect(exported.stderr.contains("MDTO 1.0.1 schema"), "export fails only for want of the MDTO schema: \(exported.stderr)")
        }
    }

    // MARK: 2. The clock cannot be set in a real archive

    @Test func aRealArchiveRefusesSluitsteenNowAndADemoArchiveSaysItIsADemo() throws {
        var real = try CLI()
        let made = try real.run(["init"], env: ["SLUITSTEEN_NOW": ""])
        #expect(made.status == 0, "\(made.stderr)")
        real.now = "2033-06-01T09:00:00Z"
        let refused = try real.run(["plan"])
        #expect(refused.status != 0 && refused.stderr.contains("real archive") && refused.stderr.contains("init --demo"))
        let plain = try real.run(["audit", "verify"], env: ["SLUITSTEEN_NOW": ""])
        #expect(plain.status == 0 && !plain.stdout.contains("replayed"))
        // The kind cannot be changed afterwards.
        let again = try real.run(["init", "--demo"], env: ["SLUITSTEEN_NOW": ""])
        #expect(again.status != 0 && again.stderr.contains("cannot become"))

        // A demo archive honours the clock, and every document it writes says it is a demo.
        var cli = try archive()
        cli.now = "2033-06-01T09:00:00Z"
        let proposed = try cli.run(["destroy", "propose", "--by", "P0010", "--json"])
        let proposal = try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any]
        let docs = try #require(proposal?["documents"] as? [String: Any])
        for key in ["html", "json"] {
            let text = try String(contentsOfFile: try #require(docs[key] as? String), encoding: .utf8)
            #expect(text.contains("DEMO-/TESTARCHIEF"), "\(key) says it is a demo")
        }
        let verified = try cli.run(["audit", "verify", "--json"])
        let v = try #require(try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any])
        #expect(v["archiveKind"] as? String == "demo" && (v["replayedEntries"] as? Int ?? 0) > 0)
    }

    @Test func auditVerifyReportsTimeRunningBackwards() throws {
        var cli = try archive(now: "2033-06-01T09:00:00Z")
        cli.now = "2030-01-01T09:00:00Z"
        #expect(try cli.run(["hold", "add", "--woo", "Z-1", "--received", "2030-01-01", "--mailboxes", "info@krimpenerwaard.example"]).status == 0)
        let verified = try cli.run(["audit", "verify"])
        #expect(verified.status != 0)
        #expect(verified.stdout.contains("FINDING") && verified.stdout.contains("backwards"))
    }

    // MARK: 3. Approvals by registered people

    @Test func approvalsNameRegisteredPersonsAndTheVerklaringSaysTheirRoles() throws {
        var cli = try archive(now: "2033-06-01T09:00:00Z")
        let proposed = try cli.run(["destroy", "propose", "--by", "P0010", "--json"])
        let list = try #require((try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any])?["listId"] as? String)
        // Free text, unknown ids, empty names and a person without the approver role are refused.
        for by in ["Dora de Wit (DIV)", "P9999", "", "P0003"] {
            let r = try cli.run(["destroy", "approve", list, "--role", "div", "--by", by])
            #expect(r.status != 0, "--by '\(by)' was accepted")
        }
        #expect(try cli.run(["destroy", "approve", list, "--role", "div", "--by", "P0010"]).status == 0)
        // The same person in a second role: four eyes on persons.
        #expect(try cli.run(["destroy", "approve", list, "--role", "archivist", "--by", "P0010"]).status != 0)
        cli.now = "2033-06-02T09:00:00Z"
        #expect(try cli.run(["destroy", "approve", list, "--role", "archivist", "--by", "P0011"]).status == 0)
        cli.now = "2033-06-10T09:00:00Z"
        let executed = try cli.run(["destroy", "execute", list, "--by", "P0010", "--json"])
        #expect(executed.status == 0, "\(executed.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(executed.stdout.utf8)) as? [String: Any])
        let html = try String(contentsOfFile: try #require(o["verklaringHtml"] as? String), encoding: .utf8)
        #expect(html.contains("DIV-medewerker") && html.contains("archivaris") && html.contains("Dora de Wit") && html.contains("Arie Jansen"))
        #expect(!html.contains(">div<") && !html.contains(">archivist<") && !html.contains("root") && !html.contains("OS-account"))
        // The OS account is recorded beside the person, in the audit trail.
        let approvals = cli.jsonLines(try cli.run(["audit", "show", "--kind", "list-approval", "--json"]).stdout)
        #expect(approvals.count == 2 && approvals.allSatisfy { ($0["actor"] as? String ?? "").contains("OS-account") })
        #expect((approvals.first?["actor"] as? String)?.hasPrefix("P0010 Dora de Wit") == true)
    }

    @Test func namesWithControlCharactersAreRefusedAndAuditShowCannotBeForged() throws {
        let cli = try archive()
        let forged = try cli.run(["hold", "add", "--by", "Eva\n99  2033-01-01T00:00:00Z  destruction", "--woo", "Z-2", "--received", "2026-12-01",
                                  "--mailboxes", "info@krimpenerwaard.example"])
        #expect(forged.status != 0 && forged.stderr.contains("control character"))
        let empty = try cli.run(["hold", "add", "--by", "", "--woo", "Z-2", "--received", "2026-12-01", "--mailboxes", "info@krimpenerwaard.example"])
        #expect(empty.status != 0 && empty.stderr.contains("may not be empty"))
        // A reason with escape codes is kept (it is the user's text) but shown inert.
        _ = try cli.run(["hold", "add", "--woo", "Z-3\u{1B}[2J", "--received", "2026-12-01", "--mailboxes", "info@krimpenerwaard.example"])
        let shown = try cli.run(["audit", "show"]).stdout
        #expect(!shown.contains("\u{1B}") && shown.contains("\\u{1B}"))
    }

    @Test func registerImportTakesApproversAndFilesInAnyOrder() throws {
        var cli = try CLI()
        cli.now = "2026-12-04T10:00:00Z"
        #expect(try cli.run(["init", "--demo"]).status == 0)
        let r = CLI.fixtures.appendingPathComponent("registers")
        let files = ["approvers", "mailboxes", "people", "roles"].map { r.appendingPathComponent("\($0).csv").path }
        let imported = try cli.run(["register", "import"] + files)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("approver periods"))
        let twice = try cli.run(["register", "import", files[2], files[2], files[3]])
        #expect(twice.status != 0 && twice.stderr.contains("both people.csv"))
        let missing = try cli.run(["register", "import", files[2], files[3]])
        #expect(missing.status != 0 && missing.stderr.contains("mailboxes.csv"))
    }

    // MARK: 5. A typo does not become a permanent mailbox

    @Test func ingestIntoAnUnknownMailboxIsRefusedUnlessNewAndABatchCanBeWithdrawn() throws {
        let cli = try archive()
        let mbox = CLI.fixtures.appendingPathComponent("mailboxes/burgemeester.mbox").path
        let typo = try cli.run(["ingest", "--mailbox", "burgemeestr@krimpenerwaard.example", mbox])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("Did you mean burgemeester@krimpenerwaard.example") && typo.stderr.contains("--new-mailbox"))
        #expect(try count(cli, "present") == 27)
        let new = try cli.run(["ingest", "--json", "--new-mailbox", "--mailbox", "nieuw@krimpenerwaard.example", mbox])
        #expect(new.status == 0, "\(new.stderr)")
        let batch = try #require((try JSONSerialization.jsonObject(with: Data(new.stdout.utf8)) as? [String: Any])?["batch"] as? Int)
        #expect(try count(cli, "present") == 36)
        #expect(try cli.run(["ingest", "undo", String(batch)]).status != 0, "a reason is required")
        let undone = try cli.run(["ingest", "undo", String(batch), "--reason", "verkeerde mailbox"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(undone.stdout.contains("9 copies"))
        #expect(try count(cli, "present") == 27)
        // The burgemeester's copies of the same messages keep their bytes: only copies were withdrawn.
        let again = try cli.run(["ingest", "undo", String(batch), "--reason", "nog eens"])
        #expect(again.status != 0 && again.stderr.contains("already withdrawn"))
        let audit = cli.jsonLines(try cli.run(["audit", "show", "--kind", "ingest-withdrawal", "--json"]).stdout)
        #expect(audit.count == 1 && (audit[0]["outcome"] as? String ?? "").contains("verkeerde mailbox"))
    }

    @Test func aBatchWhoseMailWasActedOnCannotBeWithdrawn() throws {
        let cli = try archive()
        // Batch 2 is j.devries@; a Woo hold covers it.
        #expect(try cli.run(["hold", "add", "--woo", "Z-4", "--received", "2026-12-01",
                             "--mailboxes", "j.devries@krimpenerwaard.example"]).status == 0)
        let refused = try cli.run(["ingest", "undo", "2", "--reason", "x"])
        #expect(refused.status != 0 && refused.stderr.contains("held"))
        #expect(try count(cli, "present") == 27)
    }

    @Test func planSaysPlainlyWhenTheRegistersAreEmpty() throws {
        var cli = try CLI()
        cli.now = "2026-12-04T10:00:00Z"
        #expect(try cli.run(["init", "--demo"]).status == 0)
        let refused = try cli.run(["ingest", "--mailbox", "info@krimpenerwaard.example", CLI.fixtures.appendingPathComponent("mailboxes/info").path])
        #expect(refused.status != 0 && refused.stderr.contains("no mailbox register"))
        #expect(try cli.run(["ingest", "--new-mailbox", "--mailbox", "info@krimpenerwaard.example",
                             CLI.fixtures.appendingPathComponent("mailboxes/info").path]).status == 0)
        let plan = try cli.run(["plan"])
        #expect(plan.stdout.contains("geen registers geïmporteerd"))
    }
}

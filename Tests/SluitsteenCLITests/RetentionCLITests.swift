import Foundation
import SluitsteenTestSupport
import Testing

@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct RetentionCLITests {
    func workspace() throws -> CLI {
        let cli = try CLI()
        try cli.initialise()
        let m = CLI.fixtures.appendingPathComponent("mailboxes")
        try cli.run(["ingest", "--mailbox", "j.devries@krimpenerwaard.example", m.appendingPathComponent("beleidsmedewerker").path])
        let ingested = try cli.run(["ingest", "--mailbox", "info@krimpenerwaard.example", m.appendingPathComponent("info").path])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        return cli
    }

    @Test func policyShowCheckAndSet() throws {
        let cli = try CLI()
        try cli.initialise()
        let shown = try cli.run(["policy", "show", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(json["goLive"] as? String == "2025-01-01")
        // A policy with two errors: both reported, with their lines, and a non-zero exit.
        let tmp = try TemporaryDirectory("pol")
        let dir = tmp.url
        let good = try cli.run(["policy", "show", "--json"]).stdout
        #expect(!good.isEmpty)
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Sources/SluitsteenPolicy/Resources/krimpenerwaard.toml"),
                              encoding: .utf8)
        let broken = text.replacingOccurrences(of: "window = \"P10W\"", with: "window = \"tien weken\"")
            .replacingOccurrences(of: "go-live = 2025-01-01", with: "go-live = \"binnenkort\"")
        #expect(broken != text)
        let file = dir.appendingPathComponent("beleid.toml")
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let checked = try cli.run(["policy", "check", file.path])
        #expect(checked.status != 0)
        let lines = checked.stdout.split(separator: "\n")
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { $0.contains("beleid.toml, line ") })
        // Setting a broken policy is refused; a good one is installed and shown, and the change is audited.
        #expect(try cli.run(["policy", "set", file.path]).status != 0)
        let goodFile = dir.appendingPathComponent("goed.toml")
        try text.replacingOccurrences(of: "window = \"P10W\"", with: "window = \"P8W\"").write(to: goodFile, atomically: true, encoding: .utf8)
        #expect(try cli.run(["policy", "set", goodFile.path]).status == 0)
        let now = try cli.run(["policy", "show", "--json"]).stdout
        #expect(now.contains("P8W"))
        let audit = try cli.run(["audit", "show", "--json"]).stdout
        #expect(audit.contains("policy set"))
    }

    @Test("policy show --toml prints the policy file itself: the shipped one, then the one set, comments and all")
    func policyShowToml() throws {
        let cli = try CLI()
        try cli.initialise()
        let shipped = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Sources/SluitsteenPolicy/Resources/krimpenerwaard.toml"),
                                 encoding: .utf8)
        let shown = try cli.run(["policy", "show", "--toml"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout == shipped)
        // The printed file is a valid policy a municipality can adapt and set; the adapted one is then what is shown.
        let dir = try TemporaryDirectory("policy-toml")
        let adapted = dir.appending("beleid.toml")
        try (shown.stdout.replacingOccurrences(of: "window = \"P10W\"", with: "window = \"P8W\"") + "# aangepast\n")
            .write(to: adapted, atomically: true, encoding: .utf8)
        #expect(try cli.run(["policy", "check", adapted.path]).status == 0)
        #expect(try cli.run(["policy", "set", adapted.path]).status == 0)
        let after = try cli.run(["policy", "show", "--toml"]).stdout
        #expect(after.contains("window = \"P8W\""))
        #expect(after.hasSuffix("# aangepast\n"))
        #expect(try cli.run(["policy", "show", "--toml", "--json"]).status != 0)
    }

    @Test func optOutAfterTheWindowIsRefusedWithTheClosingDate() throws {
        var cli = try workspace()
        let rows = cli.jsonLines(try cli.run(["messages", "--mailbox", "j.devries@krimpenerwaard.example", "--json"]).stdout)
        let id = try #require(rows.first { ($0["folder"] as? String) == "INBOX" }?["messageId"] as? String)
        cli.now = "2027-03-01T10:00:00Z"
        let refused = try cli.run(["optout", "mark", "--mailbox", "j.devries@krimpenerwaard.example", "--message-id", id, "--ground", "private"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("2027-02-09"))
        cli.now = "2027-01-10T10:00:00Z"
        let accepted = try cli.run(["optout", "mark", "--mailbox", "j.devries@krimpenerwaard.example", "--message-id", id, "--ground", "informal"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("2027-02-09"))
    }

    /// The opt-out file is CSV as RFC 4180 writes it (as a spreadsheet saves it): quoted fields are read without
    /// their quotes, and a comma inside quotes does not split the field.
    @Test func optOutImportReadsQuotedCSVFields() throws {
        var cli = try workspace()
        let rows = cli.jsonLines(try cli.run(["messages", "--mailbox", "j.devries@krimpenerwaard.example", "--json"]).stdout)
        let id = try #require(rows.first { ($0["folder"] as? String) == "INBOX" }?["messageId"] as? String)
        cli.now = "2027-01-10T10:00:00Z"
        let file = cli.home.appendingPathComponent("optouts.csv")
        try "mailbox,message_id,ground,note\r\n\"j.devries@krimpenerwaard.example\",\"\(id)\",\"informal\",\"agenda, lunch\"\r\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let imported = try cli.run(["optout", "import", file.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Opted out 1 message"))
    }

    @Test func planJSONAndExplain() throws {
        let cli = try workspace()
        let plan = try cli.run(["plan", "--as-of", "2040-01-01", "--json"])
        let rows = cli.jsonLines(plan.stdout)
        #expect(rows.count == 18)
        for row in rows {
            for key in ["mailbox", "sha256", "messageId", "date", "class", "waardering", "action", "dueDate", "rules"] {
                #expect(row.keys.contains(key))
            }
        }
        #expect(rows.filter { $0["mailbox"] as? String == "info@krimpenerwaard.example" }.allSatisfy { $0["action"] as? String == "destroy-due" })
        let id = try #require(rows.first { $0["mailbox"] as? String == "info@krimpenerwaard.example" }?["messageId"] as? String)
        let explained = try cli.run(["explain", "--as-of", "2040-01-01", "--mailbox", "info@krimpenerwaard.example", "--message-id", id,
                                     "--lang", "en"])
        #expect(explained.status == 0)
        #expect(explained.stdout.contains("functional-1y"))
        let missing = try cli.run(["explain", "--mailbox", "info@krimpenerwaard.example", "--message-id", "<bestaat-niet@x>"])
        #expect(missing.status != 0)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing

/// `sluitsteen chat …` as a records manager runs it: the command names of issue 18, their output and exit status.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct ChatCLITests {
    static let chat = CLI.fixtures.appendingPathComponent("chat")

    func workspace() throws -> CLI {
        let cli = try CLI()
        try cli.initialise()
        let added = try cli.run(["hotspot", "add", "--by", "P0010", "--name", "Dijkdoorbraak", "--status", "designated", "--terms", "dijk",
                                 "--decision", "B-2024-7", "--project-lead", "P0010"])
        #expect(added.status == 0, "\(added.stderr)")
        let hold = try cli.run(["hold", "add", "--by", "P0010", "--woo", "Z-2026-001", "--received", "2026-11-20", "--terms", "dijk"])
        #expect(hold.status == 0, "\(hold.stderr)")
        return cli
    }

    /// The entries in the store's packs (listed or not), as `store verify` walks them.
    func storeFiles(_ cli: CLI) -> Int {
        guard let r = try? cli.run(["store", "verify", "--json"]), let o = cli.jsonLines(r.stdout).first else { return -1 }
        return (o["checked"] as? Int ?? -1) + (o["leftovers"] as? Int ?? 0)
    }

    @Test func ingestListStripHandoverExplain() throws {
        let cli = try workspace()
        let ingested = try cli.run(["chat", "ingest", "--hotspot", "Dijkdoorbraak", "--by", "P0010",
                                    Self.chat.appendingPathComponent("WhatsApp Chat met Dijkteam.txt").path])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(ingested.stdout.contains("Conversation 1 (Dijkteam, WhatsApp (Android)): 10 messages (3 system line(s), 1 deleted)"))
        #expect(ingested.stdout.contains("Dora de Wit = P0010"))

        let listed = try cli.run(["chat", "messages", "--json"])
        #expect(listed.status == 0)
        let lines = cli.jsonLines(listed.stdout)
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0["conversation"] as? Int == 1 && $0["time"] is String && $0["text"] is String })
        #expect(lines.allSatisfy { $0["media"] is [String] })
        #expect(lines.map { $0["sender"] as? String ?? "-" } == ["-", "-", "Dora de Wit", "Karel Smit", "Karel Smit", "Karel Smit",
                                                                "Dora de Wit", "Jan de Vries", "Dora de Wit", "-"])
        #expect(lines[8]["time"] as? String == "2024-03-31T03:05:00+02:00")
        #expect(lines[4]["media"] as? [String] == ["IMG-20240302-WA0005.jpg"])
        #expect(lines[2]["person"] as? String == "P0010")

        let text = try cli.run(["chat", "messages", "--conversation", "1"])
        #expect(text.stdout.contains("1#4  2024-03-01T09:05:00+01:00  Karel Smit: Ik ben onderweg.\n    Ben er over tien minuten.\n"))

        let explained = try cli.run(["chat", "explain", "--conversation", "1"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("aangewezen hotspot Dijkdoorbraak (besluit B-2024-7): bewaren (B)"))
        #expect(explained.stdout.contains("Regels: hotspot:Dijkdoorbraak"))

        // The project lead is a person of the register, shown by `hotspot list --json`, changed by `hotspot lead`.
        let unknownLead = try cli.run(["hotspot", "lead", "Dijkdoorbraak", "--person", "P9999", "--by", "P0010"])
        #expect(unknownLead.status == 1 && unknownLead.stderr.contains("not a person_id of the personnel register"))
        #expect(cli.jsonLines(try cli.run(["hotspot", "list", "--json"]).stdout).first?["projectLead"] as? String == "P0010")
        let moved = try cli.run(["hotspot", "lead", "Dijkdoorbraak", "--person", "P0008", "--by", "P0010"])
        #expect(moved.status == 0 && moved.stdout.contains("project lead P0008"), "\(moved.stderr)")
        #expect(try cli.run(["hotspot", "lead", "Dijkdoorbraak", "--person", "P0010", "--by", "P0010"]).status == 0)
        // Only the hotspot's project lead strips (bijlage 4): anyone else is refused, and nothing is stripped.
        let notLead = try cli.run(["chat", "strip", "--conversation", "1", "--message", "8", "--by", "P0008"])
        #expect(notLead.status == 1 && notLead.stderr.contains("is not the project lead of hotspot Dijkdoorbraak (that is P0010)"))
        #expect(try cli.run(["chat", "messages", "--json"]).stdout.split(separator: "\n").count == 10)
        let stripped = try cli.run(["chat", "strip", "--conversation", "1", "--message", "8", "--by", "P0010"])
        #expect(stripped.status == 0, "\(stripped.stderr)")
        #expect(try cli.run(["chat", "messages", "--json"]).stdout.split(separator: "\n").count == 9)
        #expect(try cli.run(["chat", "handover", "--conversation", "1", "--by", "P0010"]).status == 0)
        let refused = try cli.run(["chat", "strip", "--conversation", "1", "--message", "3", "--by", "P0010"])
        #expect(refused.status == 1 && refused.stderr.contains("read-only"))
        // The export file went with the hand-over (a message was stripped from it): the store is empty and sound.
        #expect(storeFiles(cli) == 0)
        #expect(try cli.run(["store", "verify"]).status == 0)
        let audit = try cli.run(["audit", "show", "--kind", "chat-strip"])
        #expect(audit.stdout.contains("1 private message(s) stripped") && !audit.stdout.contains("\u{1F44D}"))
    }

    @Test func wooRequestHoldsAnSMSBackup() throws {
        let cli = try workspace()
        let ingested = try cli.run(["chat", "ingest", "--woo", "Z-2026-001", "--by", "P0010", "--json",
                                    Self.chat.appendingPathComponent("sms-backup.xml").path])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(cli.jsonLines(ingested.stdout).first?["mediaStored"] as? Int == 1)
        let explained = try cli.run(["chat", "explain", "--conversation", "1", "--lang", "en"])
        #expect(explained.stdout.contains("taken in for Woo request Z-2026-001 (received 2026-11-20): held"))
        #expect(explained.stdout.contains("Outcome: held."))
        // `plan` counts the conversations apart from the message copies.
        let plan = try cli.run(["plan"])
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("Gesprekken (chat en sms, bijlage 5): 1\n  vastgehouden: 1\n"))
        // `plan --json`: one line per conversation after the copies, told apart by kind and conversation, with its action,
        // rules, reason and explanation; the HTML report has a section for them.
        let report = cli.home.appendingPathComponent("plan.html")
        let json = try cli.run(["plan", "--json", "--report", report.path])
        #expect(json.status == 0, "\(json.stderr)")
        let chats = cli.jsonLines(json.stdout).filter { $0["kind"] as? String == "chat" }
        #expect(chats.count == 1)
        let line = try #require(chats.first)
        #expect(line["conversation"] as? Int == 1 && line["action"] as? String == "hold" && line["woo"] as? String == "Z-2026-001")
        #expect(line["rules"] as? [String] == ["woo:Z-2026-001"] && line["reason"] as? String == "woo:Z-2026-001")
        #expect((line["explanation"] as? [String])?.contains { $0.contains("vastgehouden zolang het verzoek loopt") } == true)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<h2>Gesprekken (chat en sms, bijlage 5)</h2>") && html.contains("Woo-verzoek Z-2026-001"))
        #expect(html.contains("bevroren (Woo / voorgestelde hotspot)"))
    }

    @Test(arguments: [
        (["--hotspot", "Dijkdoorbraak", "--by", "P0010", "broken/impossible-date.txt"], "line 3"),
        (["--hotspot", "Dijkdoorbraak", "--by", "P0010", "broken/ambiguous.txt"], "--date-order dmy"),
        (["--hotspot", "Dijkdoorbraak", "--by", "P0010", "broken/not-a-chat.txt"], "not a chat export"),
        (["--by", "P0010", "sms-backup.xml"], "give --hotspot NAME"),
        (["--hotspot", "Kermis", "--by", "P0010", "sms-backup.xml"], "no hotspot named 'Kermis'"),
        (["--hotspot", "Dijkdoorbraak", "--by", "P9999", "sms-backup.xml"], "not a person id"),
        (["--hotspot", "Dijkdoorbraak", "--by", "P0010", "--date-order", "mdy", "WhatsApp Chat met Dijkteam.txt"], "line 12"),
    ])
    func refusedWithAClearErrorAndNothingStored(arguments: [String], says: String) throws {
        let cli = try workspace()
        let files = arguments.map { $0.hasSuffix(".txt") || $0.hasSuffix(".xml") ? Self.chat.appendingPathComponent($0).path : $0 }
        let r = try cli.run(["chat", "ingest"] + files)
        #expect(r.status == 1)
        #expect(r.stderr.contains(says), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && r.stdout.isEmpty)
        #expect(storeFiles(cli) == 0)
        #expect(try cli.run(["chat", "list"]).stdout.isEmpty)
    }
}

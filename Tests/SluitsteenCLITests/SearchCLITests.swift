import Foundation
import SluitsteenTestSupport
import Testing

/// `sluitsteen search`: words and filters from the command line, text and JSON.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct SearchCLITests {
    @Test func wordsAndFiltersFindTheRightCopies() throws {
        var cli = try CLI()
        cli.now = "2026-12-04T10:00:00Z"
        try cli.initialise()
        let m = CLI.fixtures.appendingPathComponent("mailboxes")
        for (box, path) in [("burgemeester", "burgemeester.mbox"), ("j.devries", "beleidsmedewerker"), ("info", "info")] {
            #expect(try cli.run(["ingest", "--quiet", "--mailbox", "\(box)@krimpenerwaard.example", m.appendingPathComponent(path).path]).status == 0)
        }
        #expect(try cli.run(["index"]).status == 0)
        let n210 = try cli.run(["search", "--json", "N210"])
        let rows = cli.jsonLines(n210.stdout)
        let summary = try #require(rows.last)
        let hits = rows.dropLast()
        #expect((summary["total"] as? Int ?? 0) == hits.count && !hits.isEmpty)
        #expect(hits.allSatisfy { $0["copy"] is Int && ($0["subject"] as? String) != nil })
        let info = cli.jsonLines(try cli.run(["search", "--json", "--mailbox", "info@krimpenerwaard.example", "--class", "functional"]).stdout)
        #expect(info.last?["total"] as? Int == 6)
        let text = try cli.run(["search", "--page-size", "5"])
        #expect(text.stdout.hasPrefix("27 copies found; page 1 of 6.") && text.stdout.contains("--page 2"))
        let bad = try cli.run(["search", "--from", "gisteren"])
        #expect(bad.status != 0 && bad.stderr.contains("YYYY-MM-DD"))
    }
}

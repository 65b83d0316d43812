import Foundation
import SluitsteenTestSupport
import Testing

/// Issue 15, finding and listing: copies are named by a short, stable number shown in every listing; `messages` says
/// where each copy stands in words; `optout list` and `register show`; registers saved by a Dutch Excel.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct DailyUseCLITests {
    static let devries = "j.devries@krimpenerwaard.example"
    static let info = "info@krimpenerwaard.example"

    /// A demo archive with the fixtures' three mailboxes.
    func archive() throws -> CLI {
        var cli = try CLI()
        cli.now = "2026-12-04T10:00:00Z"
        #expect(try cli.initialise().status == 0)
        let m = CLI.fixtures.appendingPathComponent("mailboxes")
        for (box, path) in [("burgemeester", "burgemeester.mbox"), ("j.devries", "beleidsmedewerker"), ("info", "info")] {
            let r = try cli.run(["ingest", "--quiet", "--mailbox", "\(box)@krimpenerwaard.example", m.appendingPathComponent(path).path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        return cli
    }

    func listing(_ cli: CLI) throws -> [[String: Any]] { cli.jsonLines(try cli.run(["messages", "--json"]).stdout) }

    @Test func copyNumbersNameACopyInExplainOptOutAndExclude() throws {
        var cli = try archive()
        let rows = try listing(cli)
        #expect(rows.allSatisfy { $0["copy"] is Int && ($0["stateText"] as? String) == "aanwezig" })
        let inbox = try #require(rows.first { $0["mailbox"] as? String == Self.devries && $0["folder"] as? String == "INBOX" })
        let number = try #require(inbox["copy"] as? Int)
        // The number is the first column of the text listing and of search.
        #expect(try cli.run(["messages"]).stdout.split(separator: "\n").contains { $0.hasPrefix("\(number) ") })
        let explained = try cli.run(["explain", "--copy", "\(number)"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("(kopie \(number)) in \(Self.devries)"))
        // A number in another mailbox than the one given is refused; so is a number that names no copy.
        let elsewhere = try cli.run(["explain", "--copy", "\(number)", "--mailbox", Self.info])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("is in mailbox \(Self.devries)"))
        #expect(try cli.run(["explain", "--copy", "99999"]).status == 1)
        #expect(try cli.run(["explain"]).status == 64)
        // A Message-ID in two mailboxes, given without a mailbox: refused, with both candidates and their numbers.
        let ids = Dictionary(grouping: rows, by: { $0["messageId"] as? String ?? "" })
            .filter { Set($0.value.map { $0["mailbox"] as? String }).count > 1 }
        let (shared, copies) = try #require(ids.first)
        let ambiguous = try cli.run(["explain", "--message-id", shared])
        #expect(ambiguous.status == 1)
        for c in copies { #expect(ambiguous.stderr.contains("copy \(c["copy"] as? Int ?? -1): mailbox \(c["mailbox"] as? String ?? "?")")) }
        let box = try #require(copies.first?["mailbox"] as? String)
        #expect(try cli.run(["explain", "--message-id", shared, "--mailbox", box]).status == 0)
        // Opt-out by number, then listed per mailbox with ground, window end and number.
        cli.now = "2026-12-10T10:00:00Z"
        let marked = try cli.run(["optout", "mark", "--copy", "\(number)", "--ground", "private", "--by", "P0003"])
        #expect(marked.status == 0, "\(marked.stderr)")
        let list = try cli.run(["optout", "list"])
        #expect(list.stdout.contains("1 opt-out van kracht."))
        #expect(list.stdout.contains("\n\(Self.devries)\n  kopie \(number)  \(inbox["messageId"] as? String ?? "?")  privé  gemarkeerd 10 " +
                                     "december 2026 door Johan de Vries"))
        #expect(list.stdout.contains("termijn sluit "))
        let json = cli.jsonLines(try cli.run(["optout", "list", "--json"]).stdout)
        #expect(json.count == 1 && json[0]["copies"] as? [Int] == [number] && json[0]["windowOpen"] as? Bool == true)
        #expect(try cli.run(["optout", "list", "--mailbox", Self.info]).stdout.contains("Geen opt-outs van kracht"))
        // After the window the purge removes it: listed as "verwijderd (opt-out)", and the mark's line says the window closed.
        cli.now = "2027-03-01T10:00:00Z"
        let purged = try cli.run(["optout", "purge", "--by", "P0010"])
        #expect(purged.status == 0, "\(purged.stderr)")
        let line = try cli.run(["messages", "--mailbox", Self.devries]).stdout.split(separator: "\n").first { $0.hasPrefix("\(number) ") }
        #expect(line?.hasSuffix("[verwijderd (opt-out)]") == true, "\(line ?? "")")
        #expect(try cli.run(["optout", "list"]).stdout.contains("termijn gesloten op "))
    }

    /// Destroyed copies stay in the listing with their state and list, and with what lawfully remains: the date and
    /// Message-ID; subject, sender and folder are "niet bewaard", not "geen".
    @Test func destroyedCopiesAreListedWithTheirListAndWhatRemains() throws {
        var cli = try archive()
        cli.now = "2033-06-01T09:00:00Z"
        let proposed = try cli.run(["destroy", "propose", "--by", "P0010", "--json"])
        let list = try #require((try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any])?["listId"] as? String)
        let before = try listing(cli)
        let infoRows = before.filter { $0["mailbox"] as? String == Self.info }
        // One info@ copy is taken off the list by its number.
        let kept = try #require(infoRows.first?["copy"] as? Int)
        let excluded = try cli.run(["destroy", "exclude", list, "--copy", "\(kept)", "--reason", "nog in behandeling"])
        #expect(excluded.status == 0 && excluded.stdout.contains("Took 1 item(s) off \(list)"), "\(excluded.stderr)")
        #expect(try cli.run(["destroy", "approve", list, "--role", "div", "--by", "P0010"]).status == 0)
        cli.now = "2033-06-02T09:00:00Z"
        #expect(try cli.run(["destroy", "approve", list, "--role", "archivist", "--by", "P0011"]).status == 0)
        cli.now = "2033-06-20T09:00:00Z"
        let executed = try cli.run(["destroy", "execute", list])
        #expect(executed.status == 0, "\(executed.stderr)")
        let after = try listing(cli)
        let destroyed = after.filter { $0["state"] as? String == "destroyed" }
        #expect(!destroyed.isEmpty
                && destroyed.allSatisfy { $0["destructionList"] as? String == list && $0["stateText"] as? String == "vernietigd (\(list))" })
        #expect(!destroyed.contains { $0["copy"] as? Int == kept })
        let text = try cli.run(["messages", "--mailbox", Self.info]).stdout
        let lines = text.split(separator: "\n")
        #expect(lines.count == infoRows.count)
        // Every info@ copy but the one taken off was destroyed. Where it was the message's last copy, nothing of the
        // description is shown and the line says so; the folder name went with every destroyed copy.
        let gone = lines.filter { $0.contains("[vernietigd (\(list))]") }
        #expect(gone.count == infoRows.count - 1)
        #expect(gone.allSatisfy { $0.contains("(map niet bewaard)") })
        let scrubbed = gone.filter { $0.contains("(onderwerp niet bewaard)") }
        #expect(!scrubbed.isEmpty && scrubbed.allSatisfy { $0.contains("(afzender niet bewaard)") })
        #expect(!text.contains("(geen onderwerp)"))
        #expect(lines.contains { $0.hasPrefix("\(kept) ") && $0.contains("[aanwezig]") })
        // Each destroyed line keeps its date and number, and a scrubbed one its Message-ID.
        for d in destroyed where d["mailbox"] as? String == Self.info {
            let n = d["copy"] as? Int ?? -1
            let day = String((d["date"] as? String ?? "????").prefix(10))
            let line = lines.first { $0.hasPrefix("\(n) ") }
            #expect(line?.contains(day) == true, "copy \(n)")
            if d["descriptionKept"] as? Bool == false {
                #expect(line?.contains("(onderwerp niet bewaard) \(d["messageId"] as? String ?? "?")") == true)
            }
        }
        // Search shows the same state; explaining a destroyed copy says what became of it.
        let number = try #require(destroyed.first { $0["mailbox"] as? String == Self.info }?["copy"] as? Int)
        let explained = try cli.run(["explain", "--copy", "\(number)"])
        #expect(explained.status == 1 && explained.stderr.contains("vernietigd (\(list))"))
        let optOut = try cli.run(["optout", "mark", "--copy", "\(number)", "--ground", "private"])
        #expect(optOut.status == 1 && optOut.stderr.contains("no longer in the archive (vernietigd (\(list)))"))
        let found = cli.jsonLines(try cli.run(["search", "--json", "--include-gone", "--mailbox", Self.info]).stdout).dropLast()
        #expect(found.contains { $0["copy"] as? Int == number && $0["stateText"] as? String == "vernietigd (\(list))" })
    }

    /// An opt-out file saved by a Dutch Excel as "CSV UTF-8": a byte order mark and `;` between the fields.
    @Test func optOutImportReadsASemicolonFileWithAByteOrderMark() throws {
        var cli = try archive()
        let row = try #require(try listing(cli).first { $0["mailbox"] as? String == Self.devries && $0["folder"] as? String == "INBOX" })
        cli.now = "2026-12-10T10:00:00Z"
        let file = cli.home.appendingPathComponent("optouts.csv")
        try Data(("\u{FEFF}mailbox;message_id;ground\r\n\(Self.devries);\(row["messageId"] as? String ?? "");private\r\n").utf8).write(to: file)
        let imported = try cli.run(["optout", "import", file.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try cli.run(["optout", "list"]).stdout.contains("kopie \(row["copy"] as? Int ?? -1)"))
    }

    @Test func searchFiltersOnFolderAndMessagesQueryIsAnAlias() throws {
        let cli = try archive()
        #expect(try cli.run(["index"]).status == 0)
        let inbox = cli.jsonLines(try cli.run(["search", "--json", "--folder", "inbox"]).stdout)
        let hits = inbox.dropLast()
        #expect(!hits.isEmpty && hits.allSatisfy { ($0["folder"] as? String ?? "").lowercased().contains("inbox") })
        let all = try listing(cli).filter { ($0["folder"] as? String ?? "").lowercased().contains("inbox") }
        #expect(hits.count == all.count)
        let byQuery = try cli.run(["messages", "--query", "N210"])
        let bySearch = try cli.run(["search", "--include-gone", "N210"])
        #expect(byQuery.status == 0 && byQuery.stdout == bySearch.stdout && byQuery.stdout.contains("[aanwezig"))
        #expect(try cli.run(["search", "--hold", "Z-0000-0000"]).stdout.hasPrefix("0 copies found"))
    }

    @Test func registerShowListsPeopleRolesMailboxesAndKeyPersonsOnADate() throws {
        let cli = try archive()
        let shown = try cli.run(["register", "show"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("P0002  Hendrik Verhoef  in dienst 3 mei 2018 – heden\n      wethouder (sleutelfunctie)  3 mei 2018 – 30 " +
                                      "maart 2022\n"))
        #expect(shown.stdout.contains("  j.devries@krimpenerwaard.example  persoonlijk, van Johan de Vries (P0003)"))
        // Between his two terms as wethouder, Hendrik Verhoef was no key person.
        let between = try cli.run(["register", "show", "--on", "2022-05-01"]).stdout
        #expect(between.hasPrefix("Sleutelfunctionarissen op 1 mei 2022"))
        #expect(!between.contains("Hendrik Verhoef") && between.contains("Annemarie Groeneveld-Bos (P0001): burgemeester"))
        #expect(try cli.run(["register", "show", "--on", "2022-06-09"]).stdout.contains("Hendrik Verhoef (P0002): wethouder 9 juni 2022 – heden"))
        let jsonText = try cli.run(["register", "show", "--json", "--on", "2024-01-01"]).stdout
        let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
        #expect((json["keyPersons"] as? [[String: Any]])?.contains { $0["personId"] as? String == "P0001" } == true)
        #expect(try cli.run(["register", "show", "--on", "morgen"]).status != 0)
    }

    /// The fixtures' registers as a Dutch Excel saves them: `;`, Windows-1252 (with a name "Müller"), given in another
    /// order; a role with a slip gets a suggestion.
    @Test func registersSavedByDutchExcelAreImported() throws {
        let cli = try CLI()
        #expect(try cli.run(["init", "--demo"]).status == 0)
        let dir = cli.home.appendingPathComponent("excel")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func excel(_ name: String, _ edit: (String) -> String = { $0 }) throws -> String {
            let text = edit(try String(contentsOf: CLI.fixtures.appendingPathComponent("registers/\(name)"), encoding: .utf8))
            let semicolons = text.replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: "\n", with: "\r\n")
            // Windows-1252: every character of the fixtures is Latin-1, so each scalar is one byte.
            let bytes = semicolons.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let people = try excel("people.csv") { $0.replacingOccurrences(of: "Johan de Vries", with: "Johan Müller") }
        let files = [try excel("mailboxes.csv"), try excel("roles.csv"), people, try excel("approvers.csv")]
        let imported = try cli.run(["register", "import"] + files)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("Windows-1252"))
        #expect(try cli.run(["register", "show"]).stdout.contains("P0003  Johan Müller"))
        // A slip in a role: one error with a suggestion, nothing imported.
        let roles = try excel("roles.csv") { $0.replacingOccurrences(of: "P0001,burgemeester", with: "P0001,burgemeestr") }
        let refused = try cli.run(["register", "import", people, roles, files[0]])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("unknown role 'burgemeestr' (did you mean 'burgemeester'?)"))
        // A workbook under a .csv name: what it is and how to save it.
        try Data([0x50, 0x4B, 0x03, 0x04, 0x0A]).write(to: URL(fileURLWithPath: people))
        let workbook = try cli.run(["register", "import", people, roles, files[0]])
        #expect(workbook.status == 2 && workbook.stderr.contains("workbook") && workbook.stderr.split(separator: "\n").count == 1)
    }
}

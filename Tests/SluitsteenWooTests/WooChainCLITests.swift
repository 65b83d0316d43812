// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing
@testable import SluitsteenWoo

/// The built `sluitsteen` on a demo workspace of its own, with a replayed clock.
struct WooShell {
    let home: URL
    var now = WooScenario.handling
    /// The temporary folder `home` is (removed when the test's last copy of this shell goes).
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory("woo-cli")
        home = folder.url
    }

    func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = WooCLI.binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["SLUITSTEEN_HOME"] = home.appendingPathComponent("archief").path
        env["SLUITSTEEN_NOW"] = now
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Runs a command that must succeed; returns its output.
    @discardableResult
    func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try run(args)
        #expect(r.status == 0, "\(args.prefix(3).joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

@Suite("sluitsteen woo: the chain end to end", .enabled(if: WooCLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct WooChainCLITests {
    let zaak = WooScenario.zaak
    let by = ["--by", WooScenario.coordinator]

    @Test("register → suggestions → review → redact → produce → close, from the command line; nothing redacted survives")
    func chain() throws {
        var sh = try WooShell()
        let folders = try WooScenario.write(to: sh.home.appendingPathComponent("scenario"))
        let s = sh.home.appendingPathComponent("scenario")
        try sh.ok(["init", "--demo"])
        try sh.ok(["register", "import"] + ["people", "roles", "mailboxes"].map { s.appendingPathComponent("\($0).csv").path })
        for box in folders.keys.sorted() { try sh.ok(["ingest", "--quiet", "--mailbox", box, folders[box]!.path]) }

        let registered = sh.jsonLines(try sh.ok(["woo", "register", zaak, "--received", WooScenario.received, "--title", "Zonnepark",
                                                 "--from", "2025-01-01", "--to", "2025-05-31", "--persons", "P0001,P0003",
                                                 "--mailboxes", WooScenario.info, "--terms", "zonnepark", "--json"] + by))
        #expect(registered.first?["copies"] as? Int == 10 && registered.first?["attachments"] as? Int == 3)
        #expect(registered.first?["duplicates"] as? Int == 2 && registered.first?["nearDuplicates"] as? Int == 1)
        #expect(registered.first?["deadline"] as? String == "2025-06-30")
        // Without --by, or with a name that is not a registered person, nothing happens.
        #expect(try sh.run(["woo", "suggestions", zaak]).status != 0)
        let stranger = try sh.run(["woo", "suggestions", zaak, "--by", "Piet"])
        #expect(stranger.status != 0 && stranger.stderr.contains("person"))
        // A registered colleague who is not the Woo-coördinator reads nothing (and leaves no access entry).
        let colleague = try sh.run(["woo", "read", zaak, "1", "--by", "P0003"])
        #expect(colleague.status == 1 && colleague.stderr.contains("not the Woo-coördinator") && !colleague.stdout.contains(WooScenario.bsn))
        #expect(!(try sh.ok(["audit", "show", "--json"])).contains("inhoud gelezen"))

        // Production is refused before the review, with what is missing.
        let early = try sh.run(["woo", "produce", zaak, "--out", sh.home.appendingPathComponent("te-vroeg").path] + by)
        #expect(early.status != 0 && early.stderr.contains("document 0001") && early.stderr.contains("no assessment"))

        let suggested = sh.jsonLines(try sh.ok(["woo", "suggestions", zaak, "--json"] + by)).filter { $0["id"] != nil }
        #expect(suggested.contains { $0["text"] as? String == WooScenario.bsn && $0["ground"] as? String == "5.1.1e" })
        #expect(!suggested.contains { ($0["text"] as? String ?? "").contains(WooScenario.notABSN) })

        try sh.ok(["woo", "review", zaak, "1", "2", "4", "12", "--with-attachments", "--assessment", "deels", "--note",
                   "=HYPERLINK(\"http://example.invalid\") persoonsgegevens gelakt"] + by)
        try sh.ok(["woo", "review", zaak, "13", "--ground", "5.1.2e"] + by)
        try sh.ok(["woo", "review", zaak, "8", "--assessment", "openbaar"] + by)
        try sh.ok(["woo", "review", zaak, "10", "--relevant", "no"] + by)
        try sh.ok(["woo", "review", zaak, "11", "--assessment", "niet", "--ground", "5.2.1", "--note", "Intern beraad."] + by)
        let duplicate = try sh.run(["woo", "review", zaak, "3", "--assessment", "openbaar"] + by)
        #expect(duplicate.status != 0 && duplicate.stderr.contains("0002"))
        let pending = try sh.run(["woo", "produce", zaak, "--out", sh.home.appendingPathComponent("te-vroeg").path] + by)
        #expect(pending.status != 0 && pending.stderr.contains("undecided suggestion"))

        let phone = try #require(suggested.first { $0["document"] as? String == "0004" && $0["text"] as? String == "0182-392 811" })
        let accept = suggested.filter { ["0001", "0002", "0004", "0005", "0012"].contains($0["document"] as? String ?? "") }
            .compactMap { $0["id"] as? Int }.filter { $0 != phone["id"] as? Int }.map(String.init)
        try sh.ok(["woo", "redact", zaak, "--accept"] + accept + by)
        try sh.ok(["woo", "redact", zaak, "--reject", "#\(phone["id"] as! Int)", "--note", "algemeen nummer"] + by)
        try sh.ok(["woo", "redact", zaak, "--add", "Kees Hoogendoorn", "--document", "1", "--ground", "5.1.2e"] + by)
        try sh.ok(["woo", "redact", zaak, "--add", "Kees Hoogendoorn", "--document", "5", "--ground", "5.1.2e"] + by)
        try sh.ok(["woo", "redact", zaak, "--add", "Ria Vink", "--document", "12", "--field", "van", "--ground", "5.1.2e"] + by)

        let out = sh.home.appendingPathComponent("productie")
        let produced = sh.jsonLines(try sh.ok(["woo", "produce", zaak, "--out", out.path, "--zip", "--json"] + by)).first ?? [:]
        let files = (produced["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(files.sorted() == ["0001", "0002", "0004", "0005", "0008", "0012"].map { "documenten/\($0).pdf" })
        #expect((produced["manual"] as? [[String: Any]])?.compactMap { $0["document"] as? String } == ["0013"])
        #expect(FileManager.default.fileExists(atPath: out.path + ".zip"))

        // Every accepted redaction is absent from its document's PDF (text and decompressed bytes); the rejected one stays.
        let accepted = sh.jsonLines(try sh.ok(["woo", "suggestions", zaak, "--list-only", "--status", "accepted", "--json"] + by))
            .filter { $0["id"] != nil }
        #expect(accepted.count == accept.count + 4)
        if PDFTools.available {
            for file in files {
                let pdf = out.appendingPathComponent(file)
                let text = try PDFTools.text(pdf).filter { !$0.isWhitespace }
                let raw = try PDFTools.decompressed(pdf)
                let id = String(file.dropFirst("documenten/".count).prefix(4))
                for r in accepted where r["document"] as? String == id {
                    let redacted = r["text"] as? String ?? ""
                    #expect(!text.contains(redacted.filter { !$0.isWhitespace }), "\(redacted) survives in \(file)")
                    for encoding in PDFTools.encodings(of: redacted) { #expect(!raw.contains(encoding), "\(redacted) in the bytes of \(file)") }
                }
            }
            let note = try PDFTools.text(out.appendingPathComponent("documenten/0004.pdf")).filter { !$0.isWhitespace }
            #expect(note.contains("0182-392811"))
        }

        // The inventarislijst (as a spreadsheet program reads it) agrees with the review, duplicates included.
        let docs = sh.jsonLines(try sh.ok(["woo", "documents", zaak, "--json"]))
        if TestPython.hasOpenpyxl {
            let sheet = try TestPython.xlsxRows(out.appendingPathComponent("inventarislijst.xlsx"))
            #expect(sheet.first == Inventarislijst.columns)
            let rows = Dictionary(uniqueKeysWithValues: sheet.dropFirst().map { ($0[0], $0) })
            for d in docs {
                let id = d["id"] as? String ?? ""
                guard d["relevant"] as? Bool != false else {
                    #expect(rows[id] == nil, "the irrelevant document \(id) is listed")
                    continue
                }
                let row = try #require(rows[id], "document \(id) is missing from the inventarislijst")
                let assessment = try #require(WooAssessment(rawValue: d["assessment"] as? String ?? ""))
                #expect(row[6] == assessment.label, "Beoordeling of \(id)")
                #expect(row[1] == d["familyId"] as? String && row[2] == d["threadId"] as? String && row[12] == zaak)
                #expect(row[11] == (d["follows"] as? String ?? ""))
                if assessment == .partlyDisclosed || assessment == .withheld { #expect(!row[8].isEmpty, "Beoordelingsgrond of \(id)") }
                if assessment == .disclosed { #expect(row[8].isEmpty) }
            }
            // The note that starts like a formula is kept as text.
            #expect(rows["0001"]?[9].hasPrefix("'=HYPERLINK") == true)
        }

        // Closing keeps the hold through the objection period (6 weeks) and its margin (1 week), and no longer after.
        sh.now = "2025-06-26T09:00:00Z"
        try sh.ok(["woo", "close", zaak, "--decision-date", WooScenario.decision] + by)
        func rules(asOf day: String) throws -> String {
            try sh.ok(["explain", "--mailbox", WooScenario.info, "--message-id", "m1.bezwaar@ziggo.example", "--as-of", day, "--lang", "en"])
        }
        #expect(try rules(asOf: "2025-08-13").contains("Rules: woo:\(zaak)"))
        #expect(try !rules(asOf: "2025-08-14").contains("woo:\(zaak)"))
        let show = sh.jsonLines(try sh.ok(["woo", "show", zaak, "--json"])).first ?? [:]
        #expect(show["status"] as? String == "besloten" && show["holdUntil"] as? String == "2025-08-13")
        #expect(show["decisionType"] as? String == "Gedeeltelijke openbaarmaking")
        #expect(try sh.run(["woo", "review", zaak, "8", "--note", "te laat"] + by).status != 0)
    }

    @Test("clear errors: an unknown request, a bad assessment, a bad date")
    func errors() throws {
        let sh = try WooShell()
        try sh.ok(["init", "--demo"])
        let unknown = try sh.run(["woo", "show", "Z-0000"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Z-0000") && unknown.stderr.contains("woo list"))
        let badDate = try sh.run(["woo", "register", "Z-1", "--received", "2 juni", "--terms", "x", "--by", "P0001"])
        #expect(badDate.status != 0 && badDate.stderr.contains("--received"))
        let badAssessment = try sh.run(["woo", "review", "Z-1", "3", "--assessment", "geheim", "--by", "P0001"])
        #expect(badAssessment.status != 0)
        #expect(!badAssessment.stderr.contains("Fatal") && !unknown.stderr.contains("Fatal"))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
@testable import SluitsteenWoo
import Testing

/// The chain from a registered request to a publishable production, on the scenario's mail, through the library.
@Suite struct WooChainTests {
    let zaak = WooScenario.zaak

    /// Reviews the scenario as a coordinator would: the objection, its forward, the note and its PDF and the photo mail
    /// partly disclosed, the mayor's reply disclosed, the lunch mail irrelevant, the opinion withheld, the photo to be
    /// handled by hand.
    func review(_ w: WooWorkflow, _ by: Actor) throws {
        for n in [1, 2, 4, 5, 12] {
            _ = try w.review(zaak, documents: [n], WooReviewChange(assessment: .partlyDisclosed, note: "Persoonsgegevens gelakt."), actor: by)
        }
        _ = try w.review(zaak, documents: [8], WooReviewChange(assessment: .disclosed), actor: by)
        _ = try w.review(zaak, documents: [10], WooReviewChange(relevant: false, note: "Gaat niet over het zonnepark."), actor: by)
        _ = try w.review(zaak, documents: [11], WooReviewChange(assessment: .withheld, grounds: ["5.2.1"],
                                                                note: "Persoonlijke beleidsopvatting in intern beraad."), actor: by)
        _ = try w.review(zaak, documents: [13], WooReviewChange(assessment: .partlyDisclosed, grounds: ["5.1.2e"]), actor: by)
    }

    /// Accepts every suggestion but the general phone number in the note's mail (rejected: it stays), and adds the
    /// resident's and the photographer's names by hand.
    func redact(_ w: WooWorkflow, _ access: WooAccess) throws -> Int64 {
        let suggested = try w.redactions(zaak, status: .suggested)
        let general = try #require(suggested.first { $0.document == 4 && $0.text == "0182-392 811" })
        let toAccept = suggested.filter { [1, 2, 4, 5, 12].contains($0.document) && $0.id != general.id }.map(\.id)
        _ = try w.decideRedactions(zaak, ids: toAccept, accept: true, actor: access.actor)
        _ = try w.decideRedactions(zaak, ids: [general.id], accept: false, note: "Algemeen nummer van de gemeente.", actor: access.actor)
        _ = try w.addRedaction(zaak, document: 1, text: "Kees Hoogendoorn", ground: "5.1.2e", access: access)
        _ = try w.addRedaction(zaak, document: 5, text: "Kees Hoogendoorn", ground: "5.1.2e", access: access)
        _ = try w.addRedaction(zaak, document: 12, text: "Ria Vink", field: .from, ground: "5.1.2e", access: access)
        return general.id
    }

    @Test("register → review → suggestions → accept/reject → produce: no redacted text survives, the inventarislijst matches")
    func chain() throws {
        let archive = try WooTestArchive.make()
        let w = archive.workflow
        let by = try archive.coordinator()
        _ = try archive.register()

        // Nothing is produced before every relevant document is assessed.
        let early = #expect(throws: WooWorkflowError.self) {
            try w.produce(zaak, into: archive.dir.appendingPathComponent("te-vroeg"), access: archive.access)
        }
        #expect(early?.description.contains("document 0001") == true)
        #expect(!FileManager.default.fileExists(atPath: archive.dir.appendingPathComponent("te-vroeg").path))

        let scan = try w.scan(zaak, access: archive.access)
        #expect(scan.scanned == 9)
        #expect(scan.problems.count == 1 && scan.problems[0].hasPrefix("0013"))
        let suggestions = try w.redactions(zaak)
        #expect(suggestions.allSatisfy { $0.status == .suggested })
        // The BSN that passes the elfproef is suggested, the nine digits that fail it are not.
        #expect(suggestions.contains { $0.document == 1 && $0.text == WooScenario.bsn && $0.ground == "5.1.1e" })
        #expect(!suggestions.contains { $0.text.contains(WooScenario.notABSN) })
        #expect(suggestions.contains { $0.document == 1 && $0.kind == "iban" && $0.text == WooScenario.iban })
        #expect(suggestions.contains { $0.document == 5 && $0.field == .attachmentText && $0.text == WooScenario.bsn })
        // The mayor (a key person) is never suggested; the policy officer (staff) is.
        #expect(!suggestions.contains { $0.text.contains("Groeneveld-Bos") })
        #expect(suggestions.contains { $0.document == 4 && $0.field == .from && $0.text == "Johan de Vries" })
        // Scanning again finds nothing new.
        #expect(try w.scan(zaak, again: true, access: archive.access).suggestions == 0)

        try review(w, by)
        // A duplicate takes the review of the document it duplicates.
        let refused = #expect(throws: WooWorkflowError.self) {
            try w.review(zaak, documents: [3], WooReviewChange(assessment: .disclosed), actor: by)
        }
        #expect(refused?.description.contains("0002") == true)
        // Undecided suggestions of a deels-openbaar document stop the production.
        let undecided = try w.productionProblems(zaak)
        #expect(undecided.contains { $0.contains("document 0001") && $0.contains("undecided suggestion") })
        #expect(!undecided.contains { $0.contains("document 0008") })

        let rejected = try redact(w, archive.access)
        #expect(try w.productionProblems(zaak) == [])
        let decided = try w.redactions(zaak).filter { $0.status != .suggested }
        #expect(decided.allSatisfy { $0.decidedBy == "Dora de Wit (P0010)" && $0.decidedAt != nil })

        let out = archive.dir.appendingPathComponent("productie-\(zaak)")
        let production = try w.produce(zaak, into: out, zip: true, access: archive.access)
        #expect(production.files.map(\.path).sorted() == ["0001", "0002", "0004", "0005", "0008", "0012"].map { "documenten/\($0).pdf" })
        #expect(production.manual.map(\.document) == ["0013"])
        #expect(production.inventoryRows == 12)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathExtension("zip").path))
        // A production never writes over another.
        let twice = #expect(throws: WooWorkflowError.self) { try w.produce(zaak, into: out, access: archive.access) }
        #expect(twice?.description.contains("exists already") == true)

        // Every accepted redaction of a document is absent from its PDF: in the text pdftotext reads (spaces ignored) and
        // in the raw bytes with every stream decompressed.
        let accepted = try w.redactions(zaak, status: .accepted)
        if PDFTools.available {
            for file in production.files {
                let pdf = out.appendingPathComponent(file.path)
                let text = try PDFTools.text(pdf)
                let squeezed = text.filter { !$0.isWhitespace }
                let raw = try PDFTools.decompressed(pdf)
                #expect(raw.count > 1000, "qpdf could not read \(file.path)")
                let number = Int(file.document)!
                for r in accepted where r.document == number {
                    #expect(!squeezed.contains(r.text.filter { !$0.isWhitespace }), "\(r.text) survives in \(file.path)")
                    for encoding in PDFTools.encodings(of: r.text) { #expect(!raw.contains(encoding), "\(r.text) in the bytes of \(file.path)") }
                }
                if number == 1 {
                    // What was not redacted is there: the search would have found a survivor.
                    #expect(squeezed.contains(WooScenario.notABSN))
                    #expect(text.contains("5.1.1e") && text.contains("5.1.2e"))
                }
            }
            let note = try PDFTools.text(out.appendingPathComponent("documenten/0004.pdf")).filter { !$0.isWhitespace }
            let phone = try #require(try w.redactions(zaak).first { $0.id == rejected }).text
            #expect(note.contains(phone.filter { !$0.isWhitespace }), "the rejected suggestion must stay")
            #expect(note.contains("Groeneveld-Bos"))
            // The BSN is nowhere in the production.
            for file in production.files {
                let pdf = out.appendingPathComponent(file.path)
                #expect(!(try PDFTools.text(pdf)).contains(WooScenario.bsn))
                #expect(!(try PDFTools.decompressed(pdf)).contains(Data(WooScenario.bsn.utf8)))
            }
            // The pixels. A mail's PDF holds no picture, so all it shows is the text searched above.
            for file in production.files where file.document != "0005" {
                #expect(try PDFTools.images(out.appendingPathComponent(file.path)).isEmpty, "\(file.path) holds a picture")
            }
            // The attachment is pictures of its pages: where each redacted text stood in the original, the produced page
            // is dark (the box; its ground in small white letters aside), and was not dark in the original.
            let original = archive.dir.appendingPathComponent("notitie-origineel.pdf")
            try WooScenario.notePDF().write(to: original)
            let produced = out.appendingPathComponent("documenten/0005.pdf")
            let words = try PDFTools.words(original)
            #expect(words.contains { $0.text == "Advies" }, "pdftotext -bbox reads no words")
            #expect(try PDFTools.images(produced).count >= 1)
            let redactedInAttachment = accepted.filter { $0.document == 5 && $0.field == .attachmentText }
            #expect(redactedInAttachment.contains { $0.text == WooScenario.bsn } && redactedInAttachment.contains { $0.text == "Kees Hoogendoorn" })
            for r in redactedInAttachment {
                let places = PDFTools.places(of: r.text, in: words)
                #expect(!places.isEmpty, "\(r.text) is not in the original's text layer")
                for word in places.joined() {
                    let after = try PDFTools.darkShare(of: produced, page: word.page, x: word.x, y: word.y, width: word.width, height: word.height)
                    let before = try PDFTools.darkShare(of: original, page: word.page, x: word.x, y: word.y, width: word.width,
                                                        height: word.height)
                    #expect(after > 0.75, "'\(word.text)' (\(r.text)) is not covered in 0005.pdf: \(after) dark")
                    #expect(before < 0.5, "'\(word.text)' is dark in the original already: \(before)")
                }
            }
            // A word that was not redacted is still legible (not dark) in the produced page.
            let kept = try #require(words.first { $0.text == "Advies" })
            #expect(try PDFTools.darkShare(of: produced, page: kept.page, x: kept.x, y: kept.y, width: kept.width, height: kept.height) < 0.5)
        }

        // The inventarislijst: every relevant document, duplicates with the review of their original.
        let csvData = try Data(contentsOf: out.appendingPathComponent("inventarislijst.csv"))
        #expect(csvData.starts(with: [0xEF, 0xBB, 0xBF]))
        let table = try CSVTable(text: String(decoding: csvData, as: UTF8.self))
        #expect(table.header == Inventarislijst.columns.map { $0.lowercased() })
        let rows = Dictionary(uniqueKeysWithValues: table.records.map { ($0.fields[0], $0.fields) })
        #expect(rows.keys.sorted() == ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0011", "0012", "0013"])
        func row(_ id: String) -> [String] { rows[id] ?? [] }
        #expect(row("0001")[6] == "Deels openbaar" && row("0001")[8] == "5.1.1e; 5.1.2e")
        #expect(row("0003")[6] == "Deels openbaar" && row("0003")[11] == "0002" && row("0003")[9].hasPrefix("Duplicaat van 0002."))
        #expect(row("0005")[1] == "0004" && row("0005")[4] == "pdf" && row("0005")[8] == "5.1.1e; 5.1.2e")
        #expect(row("0007")[11] == "0005" && row("0007")[1] == "0006")
        #expect(row("0008")[6] == "Openbaar" && row("0008")[8] == "")
        #expect(row("0009")[6] == "Openbaar" && row("0009")[11] == "0008" && row("0009")[9].hasPrefix("Bijna-duplicaat van 0008."))
        #expect(row("0011")[6] == "Niet openbaar" && row("0011")[8] == "5.2.1")
        #expect(row("0013")[6] == "Deels openbaar" && row("0013")[8] == "5.1.2e")
        #expect(row("0001")[2] == "0001" && row("0009")[2] == "0001" && row("0013")[2] == "0012")
        #expect(table.records.allSatisfy { $0.fields[12] == zaak && $0.fields[7] == "Nee" })
        #expect(row("0001")[5] == "2025-02-03")

        if TestPython.hasOpenpyxl {
            let sheet = try TestPython.xlsxRows(out.appendingPathComponent("inventarislijst.xlsx"))
            #expect(sheet.first == Inventarislijst.columns)
            #expect(Array(sheet.dropFirst()) == table.records.map(\.fields))
        }

        // The manifest: every file with its SHA-256.
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        let entries = manifest.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).map(String.init) }
        #expect(Set(entries.map { $0[1].trimmingCharacters(in: .whitespaces) })
                == Set(production.files.map(\.path) + ["inventarislijst.csv", "inventarislijst.xlsx", "handmatig.csv", "productie.json"]))
        for e in entries {
            let data = try Data(contentsOf: out.appendingPathComponent(e[1].trimmingCharacters(in: .whitespaces)))
            #expect(Digest.hex(data) == e[0])
        }
        #expect(Digest.hex(Data(manifest.utf8)) == production.manifestSHA256)

        // Every read was logged with the request as its reason; the trail holds.
        let (reads, check) = try archive.workspace.catalog.read { db in
            (try String.fetchAll(db, sql: "SELECT outcome FROM auditEntry WHERE kind = 'access'"), try AuditTrail.verify(db))
        }
        #expect(reads.contains { $0.contains("Woo-verzoek \(zaak) (productie, document 0005)") && $0.contains("bijlage") })
        #expect(reads.contains { $0.contains("(suggesties, document 0001)") })
        #expect(check.isClean)
    }

    @Test("closing keeps the hold through the objection period and its margin, and releases it the day after")
    func closeKeepsHold() throws {
        let archive = try WooTestArchive.make()
        let w = archive.workflow
        let by = try archive.coordinator()
        _ = try archive.register()
        _ = try w.scan(zaak, access: archive.access)
        try review(w, by)
        _ = try redact(w, archive.access)
        let closed = try archive.at("2025-06-26T09:00:00Z").close(zaak, decisionDate: CivilDate(iso: WooScenario.decision)!, actor: by)
        #expect(closed.status == .decided && closed.decisionType == .partialDisclosure)
        #expect(closed.holdUntil == CivilDate(iso: "2025-08-13"))  // 25 June + 6 weeks + 1 week
        #expect(try RetentionStore(workspace: archive.workspace).holds().first?.released == CivilDate(iso: "2025-08-14"))

        let copy = try w.document(zaak, 1).copyId
        let engine = RetentionEngine(workspace: archive.workspace, policy: WooTestArchive.policy)
        func held(on day: String) throws -> Bool {
            let end = AmsterdamTime.instant(date: CivilDate(iso: day)!.adding(days: 1), secondOfDay: 0).adding(seconds: -1)
            return try engine.decide(copyIds: [copy], asOf: end)[copy]?.decision.rules.contains(.wooHold(zaaknummer: zaak)) == true
        }
        #expect(try held(on: "2025-06-26"))
        #expect(try held(on: "2025-08-13"))
        #expect(try !held(on: "2025-08-14"))
        // Decided: no more reviews, no second close.
        #expect(throws: WooWorkflowError.self) { try w.review(zaak, documents: [8], WooReviewChange(note: "x"), actor: by) }
        #expect(throws: WooWorkflowError.self) { try w.close(zaak, decisionDate: CivilDate(iso: WooScenario.decision)!, actor: by) }

        // An objection within the period: the hold applies again until the request is closed anew.
        let objected = try archive.at("2025-07-20T09:00:00Z").objection(zaak, received: CivilDate(iso: "2025-07-18")!, actor: by)
        #expect(objected.status == .objection && objected.holdUntil == nil)
        #expect(try RetentionStore(workspace: archive.workspace).holds().first?.released == nil)
        #expect(try held(on: "2026-01-01"))
    }

    @Test("the deadline is four weeks after receipt and can be extended once by two weeks, before it passes")
    func extend() throws {
        let archive = try WooTestArchive.make()
        let by = try archive.coordinator()
        _ = try archive.register()
        let extended = try archive.at("2025-06-25T09:00:00Z").extend(zaak, reason: "Zienswijze van derden gevraagd", actor: by)
        #expect(extended.deadline == CivilDate(iso: "2025-07-14") && extended.extendedOn == CivilDate(iso: "2025-06-25"))
        let again = #expect(throws: WooWorkflowError.self) {
            try archive.at("2025-06-26T09:00:00Z").extend(zaak, reason: "Nog een keer verdagen", actor: by)
        }
        #expect(again?.description.contains("one extension") == true)

        let late = try WooTestArchive.make()
        _ = try late.register()
        #expect(throws: WooWorkflowError.self) {
            try late.at("2025-07-01T09:00:00Z").extend(zaak, reason: "Te laat voor verdaging", actor: by)
        }
    }

    @Test("deadlines are calendar weeks: over a year's end and a leap day, the extension counted from the first deadline",
          arguments: [("2024-12-20", "2025-01-17", "2025-01-31"), ("2028-02-10", "2028-03-09", "2028-03-23"),
                      ("2026-03-27", "2026-04-24", "2026-05-08")])
    func calendarDeadlines(received: String, deadline: String, extended: String) throws {
        let archive = try WooTestArchive.make()
        var registration = WooTestArchive.registration
        registration.received = CivilDate(iso: received)!
        let w = try archive.at(received + "T10:00:00Z")
        let by = try archive.coordinator()
        #expect(try w.register(registration, actor: by).request.deadline == CivilDate(iso: deadline))
        #expect(try w.extend(zaak, reason: "Omvangrijk verzoek, veel documenten", actor: by).deadline == CivilDate(iso: extended))
    }

    @Test("the policy's [woo] table: staff names not suggested when it says so, another objection period; own domains per workspace")
    func policySettings() throws {
        let archive = try WooTestArchive.make()
        let text = try Policy.krimpenerwaardText() + "\n[woo]\nredact-staff-names = false\nobjection-period = \"P8W\"\n"
        let w = WooWorkflow(workspace: archive.workspace, policy: try Policy.parse(text: text))
        #expect(try w.settings().redactStaffNames == false && w.settings().objectionPeriod == ISODuration(weeks: 8))
        _ = try w.register(WooTestArchive.registration, actor: try archive.coordinator())
        _ = try w.scan(zaak, documents: [4], access: archive.access)
        let found = try w.redactions(zaak, document: 4)
        #expect(!found.contains { $0.kind == "name" })
        #expect(found.contains { $0.kind == "phone" })
        // The policy's keys are not changed per workspace; the own domains are, and the change is audited.
        let refused = #expect(throws: WooWorkflowError.self) { try w.setSettings([("objection-period", "P6W")], actor: try archive.coordinator()) }
        #expect(refused?.description.contains("[woo]") == true)
        #expect(try w.setSettings([("own-domains", "@Krimpenerwaard.nl, k.example")], actor: try archive.coordinator()).ownDomains
                == ["krimpenerwaard.nl", "k.example"])
        #expect(try w.settings().ownDomains == ["krimpenerwaard.nl", "k.example"])
        let audited = try archive.workspace.catalog.read { db in
            try String.fetchAll(db, sql: "SELECT command FROM auditEntry WHERE kind = 'woo'")
        }
        #expect(audited.contains("woo settings"))
        // Closing with the policy's eight weeks: decided 25 June, hold through 20 August + one week = 27 August.
        for n in try w.documents(zaak).filter({ $0.follows == nil }).map(\.number) {
            _ = try w.review(zaak, documents: [n], WooReviewChange(assessment: .withheld, grounds: ["5.1.2e"]), actor: try archive.coordinator())
        }
        let later = WooWorkflow(workspace: try archive.workspace.replaying(ISOTimestamp.parse("2025-06-26T09:00:00Z")!), policy: w.policy)
        let closed = try later.close(zaak, decisionDate: CivilDate(iso: WooScenario.decision)!, actor: try archive.coordinator())
        #expect(closed.holdUntil == CivilDate(iso: "2025-08-27"))
    }
}

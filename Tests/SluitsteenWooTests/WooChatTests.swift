// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenChat
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
@testable import SluitsteenWoo
import Testing

/// Chat in the Woo workflow (issue 18): a conversation taken in for a request, and one about a hotspot that the
/// request's search finds, become documents of the request; they are read, assessed, redacted and disclosed like mail.
@Suite struct WooChatTests {
    let zaak = WooScenario.zaak

    /// Taken in for the request (`chat ingest --woo`): a resident's phone number and BSN, and his name as a sender.
    static let forRequest = """
        13-03-2025 09:00 - Johan de Vries heeft de groep "Overleg bewoner" aangemaakt
        13-03-2025 09:02 - Johan de Vries: Goedemorgen, de bewoner belde over de panelen.
        13-03-2025 09:05 - Kees Hoogendoorn: Mijn nummer is 06-12345678, bel me terug.
        13-03-2025 09:07 - Johan de Vries: Doe ik. Zijn BSN is \(WooScenario.bsn), zie de brief.

        """
    /// About the hotspot, naming the request's term in the period, written by a person of the scope: found.
    static let found = """
        14-04-2025 16:00 - Johan de Vries: De informatieavond over het zonnepark is verplaatst naar donderdag.
        14-04-2025 16:01 - Sanne Bakker: Prima, ik zet het in de agenda.

        """
    /// About the hotspot too, but not naming the term: not found.
    static let notFound = """
        15-04-2025 10:00 - Johan de Vries: De kermis begint vrijdag om acht uur.
        15-04-2025 10:02 - Sanne Bakker: Ik kom kijken.

        """

    func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("WhatsApp Chat met \(name).txt")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test("a conversation under a Woo request and one its search finds are documents: read, assessed, redacted, produced, listed")
    func chatIsDisclosedLikeMail() throws {
        let archive = try WooTestArchive.make()
        let ws = archive.workspace
        let w = archive.workflow
        let by = try archive.coordinator()
        let store = RetentionStore(workspace: ws)
        let registers = try #require(try store.registers())
        let johan = try store.registeredActor("P0003", osUser: "test")
        _ = try store.addHotspot(name: "Zonnepark Bergambacht", status: .designated, criteria: MatchCriteria(terms: ["zonnepark"]),
                                 decisionRef: nil, projectLead: "P0003", actor: by)
        let hotspot = try #require(try store.hotspots().first)
        let chat = ChatArchive(workspace: ws)
        let exports = [try write(Self.found, "Informatieavond", in: archive.dir), try write(Self.notFound, "Kermis", in: archive.dir)]
        let onHotspot = try chat.ingest(exports, link: .hotspot(hotspot), actor: johan, registers: registers)

        // Registering finds the hotspot's conversation that names the term; the other stays out.
        let registered = try archive.register()
        #expect(registered.conversations == 1)
        // A conversation taken in for the request afterwards joins with `woo chats`, once.
        let hold = try #require(try store.holds().first { $0.zaaknummer == zaak })
        let forRequest = try chat.ingest([try write(Self.forRequest, "Overleg bewoner", in: archive.dir)], link: .woo(hold), actor: johan,
                                         registers: registers)[0]
        let added = try w.addConversations(zaak, actor: by)
        #expect(added.map(\.conversationId) == [forRequest.conversationId])
        #expect(try w.addConversations(zaak, actor: by).isEmpty)
        let docs = try w.documents(zaak)
        let chats = docs.filter { $0.kind == .chat }
        #expect(chats.map(\.conversationId) == [onHotspot[0].conversationId, forRequest.conversationId])
        #expect(!chats.contains { $0.conversationId == onHotspot[1].conversationId })
        let requestDoc = try #require(chats.last)
        let hotspotDoc = try #require(chats.first)
        #expect(requestDoc.number == docs.count && requestDoc.title == "Overleg bewoner" && requestDoc.fileType == "chat")

        // Its text: the title, and per message the sender and the text.
        let text = try w.text(zaak, document: requestDoc.number, access: archive.access)
        #expect(text.text(of: .subject) == "Overleg bewoner")
        #expect(text.text(of: .chatSender(3)) == "Kees Hoogendoorn")
        #expect(text.text(of: .chatText(3)) == "Mijn nummer is 06-12345678, bel me terug.")

        // The recognisers read it; the mail is set aside as irrelevant so that only the conversations are disclosed.
        let mails = docs.filter { $0.kind != .chat && $0.follows == nil }.map(\.number)
        _ = try w.review(zaak, documents: mails, WooReviewChange(relevant: false), actor: by)
        _ = try w.scan(zaak, documents: chats.map(\.number), access: archive.access)
        let suggested = try w.redactions(zaak, document: requestDoc.number, status: .suggested)
        #expect(suggested.contains { $0.text == WooScenario.bsn && $0.field == .chatText(4) })
        #expect(suggested.contains { $0.text.contains("12345678") && $0.field == .chatText(3) })
        _ = try w.decideRedactions(zaak, ids: suggested.map(\.id), accept: true, actor: by)
        let onTheOther = try w.redactionIds(zaak, document: hotspotDoc.number)
        if !onTheOther.isEmpty { _ = try w.decideRedactions(zaak, ids: onTheOther, accept: false, actor: by) }
        let byHand = try w.addRedaction(zaak, document: requestDoc.number, text: "Kees Hoogendoorn", ground: "5.1.2e", access: archive.access)
        #expect(byHand.map(\.field) == [.chatSender(3)])
        _ = try w.review(zaak, documents: [requestDoc.number], WooReviewChange(assessment: .partlyDisclosed, note: "Persoonsgegevens gelakt."),
                         actor: by)
        _ = try w.review(zaak, documents: [hotspotDoc.number], WooReviewChange(assessment: .disclosed), actor: by)

        // Not disclosed before the project lead's review is over (bijlage 4: private messages may still be stripped).
        let early = try w.productionProblems(zaak)
        #expect(early.count == 2 && early.allSatisfy { $0.contains("not yet handed over to DIV") })
        for c in [onHotspot[0].conversationId, forRequest.conversationId] { _ = try chat.handover(conversationId: c, actor: johan) }
        #expect(try w.productionProblems(zaak).isEmpty)

        let out = archive.dir.appendingPathComponent("productie")
        let production = try w.produce(zaak, into: out, access: archive.access)
        #expect(production.manual.isEmpty)
        #expect(Set(production.files.map(\.path)) == [requestDoc, hotspotDoc].map { "documenten/\($0.id).pdf" }.reduce(into: Set()) { $0.insert($1) })
        #expect(production.files.allSatisfy { $0.method == "pdf-gesprek" })
        if PDFTools.available {
            let pdf = try PDFTools.text(out.appendingPathComponent("documenten/\(requestDoc.id).pdf"))
            let squeezed = pdf.filter { !$0.isWhitespace }
            for gone in [WooScenario.bsn, "12345678", "KeesHoogendoorn"] { #expect(!squeezed.contains(gone), "\(gone) survives") }
            #expect(pdf.contains("5.1.2e") && pdf.contains("5.1.1e"))
            #expect(pdf.contains("Overleg bewoner") && pdf.contains("de bewoner belde over de panelen") && pdf.contains("13-03-2025 09:05"))
            #expect(squeezed.contains("belmeterug"))
            let other = try PDFTools.text(out.appendingPathComponent("documenten/\(hotspotDoc.id).pdf"))
            #expect(other.contains("Sanne Bakker") && other.contains("informatieavond over het zonnepark"))
        }

        // The inventarislijst lists both, with their assessment and grounds.
        let table = try CSVTable(text: String(decoding: try Data(contentsOf: out.appendingPathComponent("inventarislijst.csv")), as: UTF8.self))
        let rows = Dictionary(uniqueKeysWithValues: table.records.map { ($0.fields[0], $0.fields) })
        #expect(rows.keys.sorted() == [hotspotDoc.id, requestDoc.id])
        let row = try #require(rows[requestDoc.id])
        #expect(row[3] == "Overleg bewoner" && row[4] == "chat" && row[5] == "2025-03-13" && row[6] == "Deels openbaar")
        #expect(row[8].contains("5.1.2e") && row[8].contains("5.1.1e"))
        #expect(rows[hotspotDoc.id]?[6] == "Openbaar" && rows[hotspotDoc.id]?[8] == "")

        // Every read of a conversation is in the access log, with the request as the reason.
        let reads = try ws.catalog.read { db in
            try String.fetchAll(db, sql: "SELECT objectIds FROM auditEntry WHERE kind = 'access' AND outcome LIKE 'gesprek gelezen%'")
        }
        #expect(reads.contains { $0.contains("chat:\(forRequest.conversationId)") })
    }
}

@Suite("sluitsteen woo chats", .enabled(if: WooCLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct WooChatCLITests {
    let zaak = WooScenario.zaak

    @Test("a conversation taken in for a request joins its verzameling; its fields are redacted by name; the coordinator strips")
    func chatsFromTheCommandLine() throws {
        let sh = try WooShell()
        let folders = try WooScenario.write(to: sh.home.appendingPathComponent("scenario"))
        let s = sh.home.appendingPathComponent("scenario")
        try sh.ok(["init", "--demo"])
        try sh.ok(["register", "import"] + ["people", "roles", "mailboxes"].map { s.appendingPathComponent("\($0).csv").path })
        for box in folders.keys.sorted() { try sh.ok(["ingest", "--quiet", "--mailbox", box, folders[box]!.path]) }
        try sh.ok(["woo", "register", zaak, "--received", WooScenario.received, "--from", "2025-01-01", "--to", "2025-05-31",
                   "--persons", "P0001,P0003", "--terms", "zonnepark", "--by", WooScenario.coordinator])
        let export = sh.home.appendingPathComponent("WhatsApp Chat met Overleg bewoner.txt")
        try Data(WooChatTests.forRequest.utf8).write(to: export)
        try sh.ok(["chat", "ingest", "--woo", zaak, "--by", "P0003", export.path])

        let added = try sh.ok(["woo", "chats", zaak, "--json", "--by", WooScenario.coordinator])
        let doc = try #require(sh.jsonLines(added).first)
        #expect(doc["kind"] as? String == "chat" && doc["conversation"] as? Int == 1 && doc["fileType"] as? String == "chat")
        let id = try #require(doc["id"] as? String)
        #expect(try sh.ok(["woo", "chats", zaak, "--by", WooScenario.coordinator]).contains("No conversation to add"))
        #expect(try sh.ok(["woo", "documents", zaak]).contains("\(id)  \(id)  \(id)  chat  gesprek 1  2025-03-13"))

        let redacted = try sh.ok(["woo", "redact", zaak, "--add", "Kees Hoogendoorn", "--document", id, "--field", "afzender:3",
                                  "--ground", "5.1.2e", "--json", "--by", WooScenario.coordinator])
        #expect(sh.jsonLines(redacted).map { $0["field"] as? String } == ["chat-sender:3"])
        let read = try sh.ok(["woo", "read", zaak, id, "--by", WooScenario.coordinator])
        #expect(read.contains("Afzender van bericht 3: ⟦5.1.2e: Kees Hoogendoorn⟧"))

        // Under a Woo request the Woo-coördinator strips, not the colleague who handed the chat over.
        let colleague = try sh.run(["chat", "strip", "--conversation", "1", "--message", "2", "--by", "P0003"])
        #expect(colleague.status == 1 && colleague.stderr.contains("is not the Woo-coördinator"))
        #expect(try sh.ok(["chat", "strip", "--conversation", "1", "--message", "2", "--by", WooScenario.coordinator])
            .contains("Stripped 1 message(s)"))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPDF
import SluitsteenPolicy
import SluitsteenSupport

// Chat in the Woo workflow: a conversation (`sluitsteen chat`) is a document of a request like a mail. Its texts are
// the conversation's title (`subject`) and, per message as `chat messages` numbers it, the sender (`chat-sender:N`) and
// the text (`chat-text:N`), read from the catalog's messages (what is left after the project lead's strip). The
// recognisers read them, redactions point into them, and the production renders the conversation as one PDF: sender,
// time and text per message, the redactions burned in with their ground.

extension WooWorkflow {
    /// Adds to the verzameling of a request the conversations it covers that are not in it yet: every conversation taken
    /// in for the request (`chat ingest --woo`), and every other conversation (a hotspot's) that the request's search
    /// finds — a term or zaak number of the scope in its title or in a message of the period (the same whole-word,
    /// case- and accent-insensitive matching as the full-text search of mail), and, when the scope names persons, one of
    /// them among its senders or as the one who handed it over. Each becomes a document numbered after the last one.
    /// Returns the documents added. Refused once the request is decided.
    public func addConversations(_ zaaknummer: String, actor: Actor) throws(WooWorkflowError) -> [WooDocument] {
        try requirePerson(actor)
        return try write { db -> [WooDocument] in
            let request = try Self.request(db, zaaknummer)
            guard request.status != .decided else {
                throw WooWorkflowError.refused("Woo request \(zaaknummer) is decided: its verzameling no longer changes")
            }
            let added = try Self.insertConversations(db, request)
            if !added.isEmpty {
                try workspace.audit.append(
                    db, kind: .woo, command: "woo chats", actor: actor.auditText,
                    objectIds: ["woo:\(zaaknummer)"] + added.map { "chat:\($0.conversationId ?? 0)" },
                    outcome: "\(added.count) gesprek(ken) aan de verzameling toegevoegd: "
                        + added.map { "\($0.id) (gesprek \($0.conversationId ?? 0))" }.joined(separator: ", "))
            }
            return added
        }
    }

    /// Inserts the conversations `request` covers that its verzameling lacks, numbered after its last document, in the
    /// caller's transaction. Returns them.
    static func insertConversations(_ db: Database, _ request: WooRequest) throws -> [WooDocument] {
        let present = Set(try Int64.fetchAll(db, sql: "SELECT conversationId FROM wooDocument WHERE zaaknummer = ? AND conversationId IS NOT NULL",
                                             arguments: [request.zaaknummer]))
        var number = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM wooDocument WHERE zaaknummer = ?",
                                      arguments: [request.zaaknummer]) ?? 0
        let found = try ChatConversationRecord.all(db).filter { c in
            guard let id = c.id, !present.contains(id) else { return false }
            return try covers(c, request: request, messages: ChatMessageRecord.all(db, conversationId: id))
        }.sorted { ($0.firstEpoch ?? $0.capturedEpoch, $0.id ?? 0) < ($1.firstEpoch ?? $1.capturedEpoch, $1.id ?? 0) }
        var added: [WooDocument] = []
        for c in found {
            number += 1
            let doc = WooDocument(
                number: number, kind: .chat, family: number, thread: number, copyId: 0, mailbox: "", sha256: c.exportSHA256, messageId: "",
                date: c.firstTime, dateEpoch: c.firstEpoch, title: c.title, fileType: "chat", mimeType: nil, attachmentIndex: nil,
                extractionIndex: nil, follows: nil, relation: nil, review: WooReview(), scannedAt: nil, problem: nil, conversationId: c.id)
            try db.execute(sql: """
                INSERT INTO wooDocument (zaaknummer, number, kind, family, thread, copyId, mailbox, sha256, messageId, date, dateEpoch,
                    title, fileType, conversationId)
                VALUES (?, ?, 'chat', ?, ?, 0, '', ?, '', ?, ?, ?, 'chat', ?)
                """, arguments: [request.zaaknummer, number, number, number, doc.sha256, doc.date, doc.dateEpoch, doc.title, c.id])
            added.append(doc)
        }
        return added
    }

    /// Whether `request` covers conversation `c` (see ``addConversations(_:actor:)``).
    static func covers(_ c: ChatConversationRecord, request: WooRequest, messages: [ChatMessageRecord]) -> Bool {
        if c.wooHoldId == request.holdId { return true }
        let scope = request.scope
        let matcher = TextMatcher(terms: scope.terms + scope.zaakNumbers)
        guard !matcher.phrases.isEmpty else { return false }
        let inPeriod = messages.filter { scope.period.contains(AmsterdamTime.date(of: Instant(secondsSinceEpoch: $0.epoch))) }
        guard !inPeriod.isEmpty else { return false }
        if !scope.persons.isEmpty {
            let persons = Set(scope.persons)
            guard persons.contains(c.handedOverBy) || messages.contains(where: { $0.personId.map(persons.contains) == true }) else {
                return false
            }
        }
        return matcher.matches(c.title) || inPeriod.contains { matcher.matches($0.text) }
    }
}

extension DocumentReader {
    /// A conversation's texts: its title, then per message (as the catalog holds it after the strip) the sender and the
    /// text. A system line has no sender field.
    func chatText(_ doc: WooDocument) throws(WooWorkflowError) -> WooDocumentText {
        let (conversation, messages) = try chatContent(doc)
        var fields: [(WooTextField, String)] = [(.subject, conversation.title)]
        for m in messages {
            if let sender = Self.sender(m) { fields.append((.chatSender(m.seq), sender)) }
            fields.append((.chatText(m.seq), m.text))
        }
        return WooDocumentText(document: doc, fields: fields, bodyFromHTML: false, bodyCut: false, format: nil, problem: nil)
    }

    /// The conversation of a chat document and its messages.
    func chatContent(_ doc: WooDocument) throws(WooWorkflowError) -> (ChatConversationRecord, [ChatMessageRecord]) {
        guard let id = doc.conversationId else { throw .content("document \(doc.id) names no conversation") }
        let found: (ChatConversationRecord?, [ChatMessageRecord])
        do {
            found = try workspace.catalog.read { db in
                (try ChatConversationRecord.find(db, id: id), try ChatMessageRecord.all(db, conversationId: id))
            }
        } catch { throw .archive("\(error)") }
        guard let conversation = found.0 else { throw .content("document \(doc.id): conversation \(id) is no longer in the catalog") }
        return (conversation, found.1)
    }

    /// The sender as the disclosure shows it: the name, with the address or number when the export has one.
    static func sender(_ m: ChatMessageRecord) -> String? {
        guard m.kind != .system else { return nil }
        switch (m.sender, m.senderAddress) {
        case (let name?, let address?) where !address.isEmpty && address != name: return "\(name) (\(address))"
        case (let name?, _): return name
        case (nil, let address?): return address
        case (nil, nil): return nil
        }
    }

    /// The conversation laid out for its disclosure PDF (as a mail's page, with the rows relabelled): Soort, Berichten,
    /// Periode, Gesprek (the title) and Media, then every message as "time — sender" over its text; the redactions of
    /// the title stay on the title, those of a sender or a text move to their place in the transcript.
    func chatDocument(_ doc: WooDocument, zaaknummer: String, redactions: [WooRedactionRecord]) throws(WooWorkflowError) -> MailDocument {
        let (conversation, messages) = try chatContent(doc)
        var body = String.UnicodeScalarView()
        var starts: [WooTextField: Int] = [:]
        func append(_ text: String, as field: WooTextField? = nil) {
            if let field { starts[field] = body.count }
            body.append(contentsOf: text.unicodeScalars)
        }
        for m in messages {
            if !body.isEmpty { append("\n\n") }
            append(Self.shortTime(m.epoch) + " — ")
            if let sender = Self.sender(m) { append(sender, as: .chatSender(m.seq)) } else { append("(systeembericht)") }
            append("\n")
            append(m.text, as: .chatText(m.seq))
            if !m.media.isEmpty { append("\n[media: " + m.media.joined(separator: ", ") + "]") }
        }
        var mapped: [Redaction] = []
        for r in redactions {
            switch r.field {
            case .subject: mapped.append(Redaction(field: .subject, start: r.start, end: r.end, ground: r.ground))
            case .chatSender, .chatText:
                guard let base = starts[r.field] else { continue }
                mapped.append(Redaction(field: .body, start: base + r.start, end: base + r.end, ground: r.ground))
            default: continue
            }
        }
        let period = [conversation.firstEpoch, conversation.lastEpoch].compactMap { $0.map(Self.shortTime) }
        var document = MailDocument(
            documentID: doc.id, requestNumber: zaaknummer, from: conversation.format.displayName, to: "\(messages.count)",
            date: period.count == 2 && period[0] != period[1] ? "\(period[0]) tot en met \(period[1])" : (period.first ?? "(geen berichten)"),
            subject: conversation.title, body: String(body),
            attachmentNames: Array(Set(messages.flatMap(\.media))).sorted(), redactions: mapped)
        document.labels = [.from: "Soort", .to: "Berichten", .date: "Periode", .subject: "Gesprek", .attachmentName(0): "Media"]
        return document
    }

    /// "05-03-2024 14:03" (Amsterdam time).
    static func shortTime(_ epoch: Int64) -> String {
        let (date, second) = AmsterdamTime.local(Instant(secondsSinceEpoch: epoch))
        return String(format: "%02d-%02d-%04d %02d:%02d", date.day, date.month, date.year, second / 3600, (second % 3600) / 60)
    }
}

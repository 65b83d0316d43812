// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// What a run of the recognisers did.
public struct WooScanOutcome: Sendable, Hashable {
    /// Documents read.
    public var scanned: Int
    /// New suggestions stored (a span already suggested, accepted or rejected is not stored again).
    public var suggestions: Int
    /// Documents whose text could not be read (ID and reason): they need manual handling if they are to be redacted.
    public var problems: [String]
}

extension WooWorkflow {
    /// The recognisers for a request: the organisation's own domains (the mailbox register's, and the settings'), the
    /// people of the registers with their key-person status in the request's period, the own-domain addresses of staff
    /// who are not key persons, and the setting whether their names are suggested at all.
    public func recognisers(for request: WooRequest) throws(WooWorkflowError) -> Recognisers {
        let registers: Registers
        do { registers = try RetentionStore(workspace: workspace).registers() ?? Registers() } catch { throw .archive(error.description) }
        let settings = try settings()
        let index = RegisterIndex(registers, policy: policy)
        let keyRoles = Set(policy.keyRoles)
        let period = request.scope.period
        func isKey(_ person: String) -> Bool {
            index.roles(of: person).contains { keyRoles.contains($0.role) && $0.period.overlaps(period) }
        }
        var domains = Set(settings.ownDomains)
        for box in registers.mailboxes {
            if let at = box.address.lastIndex(of: "@") { domains.insert(String(box.address[box.address.index(after: at)...])) }
        }
        let staff = registers.people.filter { !$0.name.isEmpty }.map { StaffMember(name: $0.name, isKeyPerson: isKey($0.id)) }
        let staffAddresses = registers.people.filter { !isKey($0.id) }.flatMap { index.personalMailboxes(of: $0.id) }
        return Recognisers(settings: RecogniserSettings(ownDomains: domains.sorted(), staffAddresses: staffAddresses.sorted(),
                                                        staff: staff, redactStaffNames: settings.redactStaffNames),
                           grounds: try groundsList())
    }

    /// Runs the recognisers over the documents not yet read (all of them with `again`; only `documents` when given):
    /// every document that is not a duplicate and not marked irrelevant. Each read is logged; the suggestions are stored
    /// as suggestions, never applied: a person accepts or rejects each (``decideRedactions(_:ids:accept:note:actor:)``).
    public func scan(_ zaaknummer: String, documents numbers: [Int]? = nil, again: Bool = false,
                     access: WooAccess) throws(WooWorkflowError) -> WooScanOutcome {
        try requirePerson(access.actor)
        let request = try request(zaaknummer)
        guard request.status != .decided else {
            throw .refused("Woo request \(zaaknummer) is decided: its documents are no longer reviewed")
        }
        let docs = try documents(zaaknummer)
        let wanted = numbers.map(Set.init)
        if let wanted {
            for n in wanted where !docs.contains(where: { $0.number == n }) {
                throw .notFound("document \(WooDocument.id(n)) of Woo request \(zaaknummer)")
            }
        }
        let targets = docs.filter { d in
            d.follows == nil && d.review.relevant != false && (again || d.scannedAt == nil) && (wanted?.contains(d.number) ?? true)
        }
        let recognisers = try recognisers(for: request)
        let reader = try self.reader(request, docs)
        for doc in targets { try reader.logRead(doc, access: access, purpose: "suggesties") }
        // Read and recognise on every core; store in one transaction.
        typealias Found = (doc: WooDocument, suggestions: [(WooTextField, Suggestion)], problem: String?)
        let results: [Result<Found, WooWorkflowError>] = parallelMap(count: targets.count) { i in
            let doc = targets[i]
            do throws(WooWorkflowError) {
                let text = try reader.text(of: doc).text
                var found: [(WooTextField, Suggestion)] = []
                for (field, value) in text.fields where field != .date {
                    for s in recognisers.suggestions(in: value) { found.append((field, s)) }
                }
                let problem = text.problem ?? (text.bodyCut ? "its text is longer than Sluitsteen reads (4 MB) and was cut" : nil)
                return .success((doc, found, problem))
            } catch {
                return .success((doc, [], error.description))
            }
        }
        let found = try results.map { (r: Result<Found, WooWorkflowError>) throws(WooWorkflowError) -> Found in try r.get() }
        let now = nowText
        let by = access.actor.documentText
        let stored = try write { db -> Int in
            var count = 0
            let exists = try db.makeStatement(sql: """
                SELECT 1 FROM wooRedaction WHERE zaaknummer = ? AND document = ? AND field = ? AND start = ? AND "end" = ?
                """)
            let insert = try db.makeStatement(sql: """
                INSERT INTO wooRedaction (zaaknummer, document, field, start, "end", text, ground, kind, status, note, createdAt, createdBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'suggested', ?, ?, ?)
                """)
            for item in found {
                for (field, s) in item.suggestions {
                    let args: StatementArguments = [zaaknummer, item.doc.number, field.storedName, s.start, s.end]
                    if try Bool.fetchOne(exists, arguments: args) == true { continue }
                    try insert.execute(arguments: args + [s.text, s.ground, s.kind.rawValue, s.note, now, by])
                    count += 1
                }
                try db.execute(sql: "UPDATE wooDocument SET scannedAt = ?, problem = ? WHERE zaaknummer = ? AND number = ?",
                               arguments: [now, item.problem, zaaknummer, item.doc.number])
            }
            try workspace.audit.append(
                db, kind: .woo, command: "woo suggestions", actor: access.actor.auditText, objectIds: ["woo:\(zaaknummer)"],
                outcome: "herkenners: \(found.count) document(en) gelezen, \(count) nieuwe suggestie(s) (nog niet toegepast)")
            return count
        }
        return WooScanOutcome(scanned: found.count, suggestions: stored,
                              problems: found.compactMap { f in f.problem.map { "\(f.doc.id): \($0)" } })
    }

    /// Accepts or rejects redactions (suggested ones, or changes an earlier decision), recording who and when, in one
    /// audit entry. Returns them as recorded.
    public func decideRedactions(_ zaaknummer: String, ids: [Int64], accept: Bool, note: String? = nil,
                                 actor: Actor) throws(WooWorkflowError) -> [WooRedactionRecord] {
        try requirePerson(actor)
        guard !ids.isEmpty else { throw .invalidInput("name the redactions to \(accept ? "accept" : "reject") (their numbers)") }
        let now = nowText
        return try write { db -> [WooRedactionRecord] in
            let request = try Self.request(db, zaaknummer)
            guard request.status != .decided else {
                throw WooWorkflowError.refused("Woo request \(zaaknummer) is decided: its redactions are final")
            }
            let unique = Array(Set(ids)).sorted()
            for id in unique {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM wooRedaction WHERE id = ? AND zaaknummer = ?",
                                        arguments: [id, zaaknummer]) == true else {
                    throw WooWorkflowError.notFound("redaction \(id) of Woo request \(zaaknummer) (see `sluitsteen woo suggestions \(zaaknummer)`)")
                }
                try db.execute(sql: "UPDATE wooRedaction SET status = ?, decidedAt = ?, decidedBy = ?, note = COALESCE(?, note) WHERE id = ?",
                               arguments: [accept ? "accepted" : "rejected", now, actor.documentText, note, id])
            }
            try workspace.audit.append(
                db, kind: .woo, command: accept ? "woo redact accept" : "woo redact reject", actor: actor.auditText,
                objectIds: ["woo:\(zaaknummer)"] + unique.map { "woo-redaction:\($0)" },
                outcome: "\(unique.count) lakking(en) \(accept ? "aanvaard" : "afgewezen")" + (note.map { ": \($0.prefix(200))" } ?? ""))
            let all = try Self.redactions(db, zaaknummer)
            return all.filter { unique.contains($0.id) }
        }
    }

    /// The redactions with their texts, for a person to decide on (the web's review page, `woo suggestions`): the texts
    /// are the documents' content, so every document whose spans are shown gets an access-log entry.
    public func redactionsForReview(_ zaaknummer: String, document: Int? = nil, status: WooRedactionStatus? = nil,
                                    access: WooAccess) throws(WooWorkflowError) -> [WooRedactionRecord] {
        try requirePerson(access.actor)
        let request = try request(zaaknummer)
        let found = try redactions(zaaknummer, document: document, status: status)
        let shown = Set(found.map(\.document))
        guard !shown.isEmpty else { return found }
        let docs = try documents(zaaknummer)
        let reader = try self.reader(request, docs)
        for doc in docs where shown.contains(doc.number) { try reader.logRead(doc, access: access, purpose: "lakkingen bekeken") }
        return found
    }

    /// The ids of the redactions of a document (of one status), to accept or reject them together.
    public func redactionIds(_ zaaknummer: String, document: Int, status: WooRedactionStatus? = .suggested) throws(WooWorkflowError) -> [Int64] {
        _ = try self.document(zaaknummer, document)
        return try redactions(zaaknummer, document: document, status: status).map(\.id)
    }

    /// Adds a redaction a person makes: every occurrence of `text` in the document's field (every field when nil),
    /// accepted at once (a person made it), with its ground. Reads the document's text (logged). Returns the redactions.
    public func addRedaction(_ zaaknummer: String, document number: Int, text needle: String, field: WooTextField? = nil,
                             ground: String, note: String = "", access: WooAccess) throws(WooWorkflowError) -> [WooRedactionRecord] {
        try requirePerson(access.actor)
        guard !needle.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .invalidInput("give the text to redact") }
        let grounds = try groundsList()
        guard grounds.ground(code: ground) != nil else {
            throw .invalidInput("'\(SafeText.terminal(String(ground.prefix(20))))' is not a Woo ground in the list; the grounds are "
                + grounds.grounds.map(\.code).joined(separator: ", "))
        }
        let request = try request(zaaknummer)
        guard request.status != .decided else { throw .refused("Woo request \(zaaknummer) is decided: its redactions are final") }
        let docs = try documents(zaaknummer)
        guard let doc = docs.first(where: { $0.number == number }) else {
            throw .notFound("document \(WooDocument.id(number)) of Woo request \(zaaknummer)")
        }
        if let master = doc.follows {
            throw .refused("document \(doc.id) is a \(doc.relation?.dutch ?? "duplicaat") of \(WooDocument.id(master)): redact that one")
        }
        let reader = try self.reader(request, docs)
        try reader.logRead(doc, access: access, purpose: "lakken")
        let content = try reader.text(of: doc).text
        let target = Array(needle.unicodeScalars)
        var spans: [(WooTextField, Int, Int)] = []
        for (f, value) in content.fields where field == nil || f == field {
            let scalars = Array(value.unicodeScalars)
            var i = 0
            while i + target.count <= scalars.count {
                if scalars[i] == target[0], scalars[i..<(i + target.count)].elementsEqual(target) {
                    spans.append((f, i, i + target.count))
                    i += target.count
                } else {
                    i += 1
                }
            }
        }
        guard !spans.isEmpty else {
            throw .invalidInput("'\(SafeText.terminal(String(needle.prefix(60))))' does not occur in "
                + (field.map { "the field \($0)" } ?? "any field") + " of document \(doc.id) (letter case and spaces count)")
        }
        let now = nowText
        let by = access.actor.documentText
        return try write { db -> [WooRedactionRecord] in
            var ids: [Int64] = []
            for (f, start, end) in spans {
                try db.execute(sql: """
                    INSERT INTO wooRedaction (zaaknummer, document, field, start, "end", text, ground, kind, status, note, createdAt,
                        createdBy, decidedAt, decidedBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'handmatig', 'accepted', ?, ?, ?, ?, ?)
                    """, arguments: [zaaknummer, number, f.storedName, start, end, needle, ground, note, now, by, now, by])
                ids.append(db.lastInsertedRowID)
            }
            try workspace.audit.append(
                db, kind: .woo, command: "woo redact add", actor: access.actor.auditText,
                objectIds: ["woo:\(zaaknummer)", "woo-document:\(zaaknummer)/\(doc.id)"] + ids.map { "woo-redaction:\($0)" },
                outcome: "\(ids.count) lakking(en) toegevoegd op grond \(ground)" + (note.isEmpty ? "" : ": \(note.prefix(200))"))
            return try Self.redactions(db, zaaknummer, document: number).filter { ids.contains($0.id) }
        }
    }
}

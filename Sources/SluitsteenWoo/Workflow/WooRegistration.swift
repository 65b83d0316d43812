// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// A request as the coordinator registers it.
public struct WooRegistration: Sendable, Hashable {
    public var zaaknummer: String
    /// The subject of the request in words (may be empty).
    public var title: String
    /// The day the request was received: the hold applies from it, the deadline counts from it.
    public var received: CivilDate
    public var scope: WooScope

    public init(zaaknummer: String, title: String = "", received: CivilDate, scope: WooScope) {
        self.zaaknummer = zaaknummer
        self.title = title
        self.received = received
        self.scope = scope
    }
}

/// What registering found: the request, and the verzameling in figures.
public struct WooRegistrationOutcome: Sendable, Hashable {
    public var request: WooRequest
    /// True when an active hold for the same zaaknummer and scope existed and was taken over.
    public var adoptedHold: Bool
    /// The mailboxes searched (nil: every mailbox).
    public var mailboxes: [String]?
    /// Copies in scope (each one a mail document).
    public var copies: Int
    public var attachments: Int
    public var threads: Int
    public var duplicates: Int
    public var nearDuplicates: Int
    /// Conversations (chat, sms) in the verzameling: taken in for the request, or found by its search.
    public var conversations: Int = 0
    /// Things the coordinator should know (copies already transferred, messages whose structure could not be read).
    public var notices: [String]
}

extension WooWorkflow {
    /// Registers a request: checks it, records the Woo hold (from the day of receipt; an active hold for the same
    /// zaaknummer and scope, e.g. from `hold add --woo`, is taken over), brings the full-text index up to date when the
    /// scope has terms (it writes the index), and records the verzameling: every copy still in the archive that the hold
    /// covers (found by the decision core, the index and the filters), one document per mail copy and per attachment.
    ///
    /// Documents are numbered in date order, each mail followed by its attachments (Family ID: the mail's number).
    /// Threads join mails through Message-ID, In-Reply-To and References (Email Thread ID: the number of the thread's
    /// first mail in the verzameling). A copy with the same bytes as an earlier one is its duplicate; a copy of the same
    /// message (Message-ID) with other bytes and the same attachments is a near-duplicate: both follow the earlier
    /// document's review. Registering reads only each message's header fields and MIME structure (no text, no
    /// attachment content), which is not a read of content in the access log's sense. The conversations (chat) the request
    /// covers follow the mail (``addConversations(_:actor:)``); the search matches their messages without reading them for
    /// a person.
    public func register(_ registration: WooRegistration, actor: Actor) throws(WooWorkflowError) -> WooRegistrationOutcome {
        try requirePerson(actor)
        let zaak = registration.zaaknummer.trimmingCharacters(in: .whitespaces)
        guard !zaak.isEmpty, zaak.count <= 100, !zaak.unicodeScalars.contains(where: SafeText.isControl) else {
            throw .invalidInput("give the request's zaaknummer (at most 100 characters, no control characters), e.g. Z-2025-0142")
        }
        guard registration.received <= today else {
            throw .invalidInput("the request cannot have been received after today (\(today.iso)): --received \(registration.received.iso)")
        }
        if let f = registration.scope.period.from, let t = registration.scope.period.to, t < f {
            throw .invalidInput("the period ends (\(t.iso)) before it starts (\(f.iso))")
        }
        if try read({ db in try Bool.fetchOne(db, sql: "SELECT 1 FROM wooRequest WHERE zaaknummer = ?", arguments: [zaak]) }) == true {
            throw .refused("Woo request \(zaak) is already registered (`sluitsteen woo show \(zaak)`)")
        }
        let store = RetentionStore(workspace: workspace)
        let registers: Registers
        do { registers = try store.registers() ?? Registers() } catch { throw .archive(error.description) }
        let index = RegisterIndex(registers, policy: policy)
        let scope = try checkedScope(registration.scope, index: index)
        let mailboxes = Array(Set(scope.persons.flatMap { index.personalMailboxes(of: $0) } + scope.mailboxes)).sorted()
        let criteria = MatchCriteria(period: scope.period, terms: scope.terms, addresses: scope.addresses, mailboxes: mailboxes,
                                     zaakNumbers: scope.zaakNumbers)
        guard !criteria.mailboxes.isEmpty || criteria.hasTextCriteria || !criteria.addresses.isEmpty else {
            throw .invalidInput("the scope needs persons or mailboxes, or terms, zaak numbers or addresses (otherwise it would cover "
                + "every message of the archive)")
        }
        let settings = try settings()

        // The hold: an active one for this zaaknummer is taken over when it covers exactly this scope.
        let holds: [WooHold]
        do { holds = try store.holds() } catch { throw .archive(error.description) }
        var adopted = false
        let holdId: String
        if let existing = holds.first(where: { $0.zaaknummer == zaak && $0.released == nil }) {
            guard existing.criteria == criteria, existing.received == registration.received else {
                throw .refused("an active Woo hold (\(existing.id)) for \(zaak) exists with another scope or receipt date "
                    + "(\(existing.received.iso)); register the request with the same scope, or release that hold first "
                    + "(`sluitsteen hold release \(existing.id) --reason …`)")
            }
            holdId = existing.id
            adopted = true
        } else {
            do {
                holdId = try store.addHold(zaaknummer: zaak, received: registration.received, criteria: criteria, actor: actor)
            } catch { throw .archive(error.description) }
        }

        // The verzameling: every copy the hold covers, as the decision core sees it now.
        let engine = RetentionEngine(workspace: workspace, policy: policy)
        var found: [CopyFacts] = []
        var gone = 0
        do {
            try engine.prepareTextIndexForTerms()
            try engine.forEachDecision(asOf: Instant(workspace.clock.now()), mailboxes: mailboxes.isEmpty ? nil : mailboxes) { d in
                guard d.decision.rules.contains(.wooHold(zaaknummer: zaak)) else { return }
                if d.copy.state == .present { found.append(d.copy) } else { gone += 1 }
            }
        } catch { throw .archive(error.description) }
        var notices: [String] = []
        if gone > 0 {
            notices.append("\(gone) cop\(gone == 1 ? "y" : "ies") in scope \(gone == 1 ? "was" : "were") already transferred to the "
                + "e-depot and \(gone == 1 ? "is" : "are") not in the verzameling: ask the e-depot for \(gone == 1 ? "it" : "them")")
        }
        let plan = try VerzamelingPlan(copies: found, workspace: workspace)
        notices += plan.notices

        let request = WooRequest(
            zaaknummer: zaak, holdId: holdId, title: registration.title.trimmingCharacters(in: .whitespacesAndNewlines),
            received: registration.received, deadline: registration.received.adding(settings.decisionTerm), extendedOn: nil,
            extensionReason: nil, scope: scope, status: .open, decisionDate: nil, decisionType: nil, holdUntil: nil,
            createdAt: nowText, createdBy: actor.documentText)
        let scopeJSON = Self.encode(scope)
        let conversations = try write { db -> Int in
            try db.execute(sql: """
                INSERT INTO wooRequest (zaaknummer, holdId, title, received, deadline, scopeJSON, status, createdAt, createdBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [zaak, holdId, request.title, request.received.iso, request.deadline.iso, scopeJSON,
                                 request.status.rawValue, request.createdAt, request.createdBy])
            let insert = try db.makeStatement(sql: """
                INSERT INTO wooDocument (zaaknummer, number, kind, family, thread, copyId, mailbox, sha256, messageId, date, dateEpoch,
                    title, fileType, mimeType, attachmentIndex, extractionIndex, follows, relation, problem)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for d in plan.documents {
                try insert.execute(arguments: [zaak, d.number, d.kind.rawValue, d.family, d.thread, d.copyId, d.mailbox, d.sha256,
                                               d.messageId, d.date, d.dateEpoch, d.title, d.fileType, d.mimeType, d.attachmentIndex,
                                               d.extractionIndex, d.follows, d.relation?.rawValue, d.problem])
            }
            let chats = try Self.insertConversations(db, request).count
            try workspace.audit.append(
                db, kind: .woo, command: "woo register", actor: actor.auditText, objectIds: ["woo:\(zaak)", "hold:\(holdId)"],
                outcome: "Woo-verzoek ontvangen \(request.received.iso), beslistermijn \(request.deadline.iso); "
                    + (adopted ? "bestaande hold \(holdId) overgenomen; " : "")
                    + "verzameling: \(plan.mails) kopie(ën), \(plan.attachments) bijlage(n), \(plan.threads) draad/draden, "
                    + "\(plan.duplicates) duplica(a)t(en), \(plan.nearDuplicates) bijna-duplica(a)t(en), \(chats) gesprek(ken)"
                    + (mailboxes.isEmpty ? "; alle mailboxen" : "; mailboxen: " + mailboxes.joined(separator: ", ")))
            return chats
        }
        return WooRegistrationOutcome(request: request, adoptedHold: adopted, mailboxes: mailboxes.isEmpty ? nil : mailboxes,
                                      copies: plan.mails, attachments: plan.attachments, threads: plan.threads,
                                      duplicates: plan.duplicates, nearDuplicates: plan.nearDuplicates, conversations: conversations,
                                      notices: notices)
    }

    /// The scope with persons and mailboxes checked against the registers and the archive, lists cleaned and sorted.
    func checkedScope(_ scope: WooScope, index: RegisterIndex) throws(WooWorkflowError) -> WooScope {
        func clean(_ values: [String]) -> [String] {
            Array(Set(values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        }
        var out = WooScope(period: scope.period, persons: clean(scope.persons), mailboxes: clean(scope.mailboxes),
                           terms: clean(scope.terms), addresses: clean(scope.addresses), zaakNumbers: clean(scope.zaakNumbers))
        out.mailboxes = out.mailboxes.map { $0.lowercased() }
        out.addresses = out.addresses.map { $0.lowercased() }
        for person in out.persons {
            guard index.person(person) != nil else {
                throw .invalidInput("'\(SafeText.terminal(String(person.prefix(60))))' is not a person id in the personnel register "
                    + "(people.csv); give person ids such as P0003")
            }
            guard !index.personalMailboxes(of: person).isEmpty else {
                throw .invalidInput("\(person) (\(index.person(person)?.name ?? "")) has no personal mailbox in the mailbox register: "
                    + "name their mailboxes with --mailboxes instead")
            }
        }
        if !out.mailboxes.isEmpty {
            let archived: Set<String>
            do { archived = Set(try workspace.catalog.mailboxes()) } catch { throw .archive("\(error)") }
            for box in out.mailboxes where index.mailbox(box) == nil && !archived.contains(box) {
                throw .invalidInput("mailbox \(SafeText.terminal(String(box.prefix(80)))) is neither in the mailbox register nor in the "
                    + "archive; check the address")
            }
        }
        return out
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// The verzameling as it will be recorded: documents numbered, with families, threads and duplicates.
struct VerzamelingPlan {
    var documents: [WooDocument] = []
    var mails = 0
    var attachments = 0
    var threads = 0
    var duplicates = 0
    var nearDuplicates = 0
    var notices: [String] = []

    init(copies: [CopyFacts], workspace: Workspace) throws(WooWorkflowError) {
        let ordered = copies.sorted {
            ($0.dateEpoch ?? $0.capturedEpoch, $0.messageId, $0.mailbox, $0.copyId)
                < ($1.dateEpoch ?? $1.capturedEpoch, $1.messageId, $1.mailbox, $1.copyId)
        }
        // Subjects from the catalog; outlines (thread headers, attachments) from the stored messages, once per message.
        let shas = Array(Set(ordered.map(\.sha256))).sorted()
        let subjects: [String: String]
        do {
            subjects = try workspace.catalog.read { db in
                var out: [String: String] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT sha256, subject FROM message WHERE sha256 IN (SELECT value FROM json_each(?))",
                                               arguments: [JSONText.array(shas)])
                while let row = try rows.next() { out[row[0]] = row[1] }
                return out
            }
        } catch { throw .archive("\(error)") }
        let store = workspace.store
        let outlines: [Result<MessageOutline, MIMEError>] = parallelMap(count: shas.count) { i in
            do throws(MIMEError) {
                let range: FileRange
                do throws(ArchiveError) { range = try store.range(of: shas[i]) } catch {
                    throw MIMEError.cannotOpen(shas[i], reason: error.description)
                }
                return .success(try MessageOutline.read(file: range))
            } catch {
                return .failure(error)
            }
        }
        var outlineBySHA: [String: MessageOutline] = [:]
        var unreadable: [String: String] = [:]
        for (sha, outline) in zip(shas, outlines) {
            switch outline {
            case .success(let o): outlineBySHA[sha] = o
            case .failure(let e): unreadable[sha] = e.description
            }
        }
        if !unreadable.isEmpty {
            notices.append("\(unreadable.count) stored message(s) could not be read for their attachments and thread "
                + "(`sluitsteen store verify`); they are in the verzameling without attachments and marked")
        }

        var number = 0
        var firstBySHA: [String: (mail: Int, attachments: [Int])] = [:]
        var firstByMessageId: [String: (mail: Int, attachments: [Int], signature: [String])] = [:]
        var threadNodes = ThreadJoin()
        var mailNumbers: [(number: Int, keys: [String])] = []
        for copy in ordered {
            number += 1
            let mail = number
            mails += 1
            let outline = outlineBySHA[copy.sha256]
            let signature = (outline?.attachments ?? []).map { ($0.name ?? "") + "\u{0}" + $0.mimeType }
            var follows: Int?
            var relation: WooRelation?
            var followedAttachments: [Int] = []
            if let first = firstBySHA[copy.sha256] {
                follows = first.mail
                relation = .duplicate
                followedAttachments = first.attachments
                duplicates += 1
            } else if !copy.messageId.hasSuffix("@synthetic.invalid>"), let first = firstByMessageId[copy.messageId],
                      first.signature == signature {
                follows = first.mail
                relation = .nearDuplicate
                followedAttachments = first.attachments
                nearDuplicates += 1
            }
            documents.append(WooDocument(
                number: mail, kind: .email, family: mail, thread: mail, copyId: copy.copyId, mailbox: copy.mailbox, sha256: copy.sha256,
                messageId: copy.messageId, date: copy.date, dateEpoch: copy.dateEpoch, title: subjects[copy.sha256] ?? "",
                fileType: "email", mimeType: "message/rfc822", attachmentIndex: nil, extractionIndex: nil, follows: follows,
                relation: relation, review: WooReview(), scannedAt: nil, problem: unreadable[copy.sha256]))
            var attachmentNumbers: [Int] = []
            for (index, attachment) in (outline?.attachments ?? []).enumerated() {
                number += 1
                attachments += 1
                attachmentNumbers.append(number)
                let name = attachment.name ?? ""
                documents.append(WooDocument(
                    number: number, kind: .attachment, family: mail, thread: mail, copyId: copy.copyId, mailbox: copy.mailbox,
                    sha256: copy.sha256, messageId: copy.messageId, date: copy.date, dateEpoch: copy.dateEpoch,
                    title: name.isEmpty ? "bijlage \(index + 1) (zonder naam)" : name,
                    fileType: Self.fileType(name: name, mimeType: attachment.mimeType, isMessage: attachment.isMessage),
                    mimeType: attachment.mimeType, attachmentIndex: index, extractionIndex: attachment.extractionIndex,
                    follows: followedAttachments.indices.contains(index) ? followedAttachments[index] : nil,
                    relation: followedAttachments.indices.contains(index) ? relation : nil, review: WooReview(), scannedAt: nil,
                    problem: attachment.extractionIndex == nil ? "GMime finds no message in this attached message: there is nothing to take " +
                                                                 "out" : nil))
            }
            if firstBySHA[copy.sha256] == nil { firstBySHA[copy.sha256] = (mail, attachmentNumbers) }
            if relation == nil, firstByMessageId[copy.messageId] == nil {
                firstByMessageId[copy.messageId] = (mail, attachmentNumbers, signature)
            }
            var keys = [copy.messageId]
            if let outline { keys += outline.inReplyTo + outline.references }
            mailNumbers.append((mail, keys))
        }
        // Threads: the mails joined through their ids; each thread named by its first (lowest-numbered) mail.
        for m in mailNumbers { threadNodes.join(m.keys) }
        var threadOf: [Int: Int] = [:]
        var firstOfRoot: [Int: Int] = [:]
        for m in mailNumbers {
            let root = threadNodes.root(of: m.keys[0])
            if firstOfRoot[root] == nil { firstOfRoot[root] = m.number }
            threadOf[m.number] = firstOfRoot[root]
        }
        threads = firstOfRoot.count
        for i in documents.indices { documents[i].thread = threadOf[documents[i].family] ?? documents[i].family }
    }

    /// `email` for a mail or attached message; else the extension of the file name (`pdf`, `docx`), else a type from
    /// the MIME type, else `bestand`.
    static func fileType(name: String, mimeType: String, isMessage: Bool) -> String {
        if isMessage { return "email" }
        let ext = (name as NSString).pathExtension.lowercased()
        if !ext.isEmpty, ext.count <= 6, ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return ext }
        switch mimeType {
        case "application/pdf": return "pdf"
        case "text/plain": return "txt"
        case "text/html": return "html"
        case "image/jpeg": return "jpg"
        case "image/png": return "png"
        default: return "bestand"
        }
    }
}

/// Joins message ids into threads (union-find).
struct ThreadJoin {
    private var index: [String: Int] = [:]
    private var parent: [Int] = []

    private mutating func node(_ key: String) -> Int {
        if let i = index[key] { return i }
        let i = parent.count
        parent.append(i)
        index[key] = i
        return i
    }

    private mutating func find(_ i: Int) -> Int {
        var r = i
        while parent[r] != r { r = parent[r] }
        var j = i
        while parent[j] != r { let next = parent[j]; parent[j] = r; j = next }
        return r
    }

    /// Puts every key of `keys` in one thread.
    mutating func join(_ keys: [String]) {
        guard let first = keys.first else { return }
        let a = find(node(first))
        for key in keys.dropFirst() {
            let b = find(node(key))
            if a != b { parent[b] = a }
        }
    }

    mutating func root(of key: String) -> Int { find(node(key)) }
}

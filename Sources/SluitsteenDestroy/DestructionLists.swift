// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// The accountable part of destruction: proposing a vernietigingslijst of every `destroy-due` copy, taking items
/// off it (uitzonderen), approving it in the policy's order, rejecting or cancelling it.
///
/// Every change is one catalog transaction with its audit entry; the documents are rewritten after each change.
public struct DestructionLists: Sendable {
    public let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    /// The result of a proposal.
    public struct Proposal: Sendable {
        public var snapshot: ListSnapshot
        public var documents: ListDocuments.Written
        /// Subjects by copy id (empty unless proposed with subjects).
        public var subjects: [Int64: String]
        /// Destroy-due copies left out because they are already on another open list.
        public var alreadyListed: Int
    }

    /// Builds a list of every copy whose action is `destroy-due` now (or at the end of `asOf`, a day not later than
    /// today: a later one is refused), optionally only in `mailboxes`. Returns nil when nothing is due (no list is
    /// recorded then). Copies already on an open list are left out; the check and the insert are one transaction, so
    /// two proposals at the same time never list the same copy twice.
    public func propose(policy: PolicyInForce, asOf: CivilDate? = nil, mailboxes: [String]?, withSubjects: Bool,
                        actor: Actor) throws(DestroyError) -> Proposal? {
        let now = workspace.clock.now()
        let moment = try DecisionMoment.present(asOf: asOf, now: now, command: "destroy propose")
        let engine = RetentionEngine(workspace: workspace, policy: policy.policy)
        var candidates: [DecidedCopy] = []
        do {
            try engine.prepareTextIndexForTerms()
            try engine.forEachDecision(asOf: moment.instant, mailboxes: mailboxes) { d in
                if d.decision.action == .destroyDue, d.copy.state == .present { candidates.append(d) }
            }
            // A proposal as of an earlier day lists only what is still destroy-due now (a hold received since, or an
            // opt-out, keeps a copy off the list).
            if moment.instant != Instant(now), !candidates.isEmpty {
                try engine.prepareTextIndex()
                let current = try engine.decide(copyIds: Set(candidates.map(\.copy.copyId)), asOf: Instant(now))
                candidates = candidates.filter { current[$0.copy.copyId]?.decision.action == .destroyDue }
            }
        } catch { throw .retention(error) }
        guard !candidates.isEmpty else { return nil }

        var texts: [CategoryText] = []
        for d in candidates {
            let rule = d.decision.rules.first?.description ?? "?"
            if !texts.contains(where: { $0.messageClass == d.decision.messageClass.rawValue && $0.rule == rule }) {
                texts.append(CategoryText.make(messageClass: d.decision.messageClass, rule: rule, policy: policy.policy))
            }
        }
        texts.sort { ($0.messageClass, $0.rule) < ($1.messageClass, $1.rule) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let textsJSON = (try? encoder.encode(texts)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let p = policy.policy
        let year = AmsterdamTime.date(of: Instant(now)).year
        let mailboxList = (mailboxes ?? []).map { $0.lowercased() }.sorted()

        let roleNamesJSON = JSONText.object(p.destruction.approvals.map { ($0, .string(p.destruction.roleName($0))) })
        var alreadyListed = 0
        let id = try workspace.catalog.write(throwing: DestroyError.self) { db -> String? in
            let open = try DestructionItemRecord.openCopyIds(db)
            let due = candidates.filter { !open.contains($0.copy.copyId) }
            alreadyListed = candidates.count - due.count
            guard !due.isEmpty else { return nil }
            let id = try DestructionListRecord.nextId(db, prefix: "VL-\(year)-")
            try DestructionListRecord(
                id: id, kind: .vernietigingslijst, status: .proposed, asOf: moment.date, asOfEpoch: moment.instant.secondsSinceEpoch,
                mailboxes: mailboxList, policyName: p.name, policySource: policy.source, approvals: p.destruction.approvals,
                bedenktijd: p.destruction.bedenktijd.iso, legalGround: p.destruction.legalGround, selectielijst: p.destruction.selectielijst,
                archiefvormer: p.archiefvormer, proposedAt: ISOTimestamp.format(now), proposedBy: actor.documentText,
                withSubjects: withSubjects, categoriesJSON: textsJSON, roleNamesJSON: roleNamesJSON, policyVersion: p.version).insert(db)
            for (n, d) in due.enumerated() {
                try DestructionItemRecord(listId: id, seq: Int64(n + 1), copyId: d.copy.copyId, mailbox: d.copy.mailbox, sha256: d.copy.sha256,
                                          messageId: d.copy.messageId, date: d.decision.messageDate.iso, size: d.copy.size,
                                          messageClass: d.decision.messageClass.rawValue, rule: d.decision.rules.first?.description ?? "?",
                                          ground: nil, state: .listed, reason: nil, changedAt: nil, changedBy: nil, removeBytes: nil).insert(db)
            }
            let categories = Set(due.map { "\($0.decision.messageClass.rawValue)|\($0.decision.rules.first?.description ?? "?")" }).count
            let outcome = "proposed \(due.count) item(s) in \(categories) categor\(categories == 1 ? "y" : "ies"), as of \(moment.date.iso)"
            try workspace.audit.append(db, kind: .listProposal, command: "destroy propose", actor: actor.auditText, objectIds: ["list:\(id)"],
                                       outcome: outcome)
            return id
        }
        guard let id else { return nil }
        let (snapshot, subjects) = try read(id, subjects: withSubjects)
        let written = try ListDocuments.write(snapshot, subjects: subjects, in: workspace)
        return Proposal(snapshot: snapshot, documents: written, subjects: subjects, alreadyListed: alreadyListed)
    }

    /// Takes the copies of a message in a mailbox off the list, with a reason. Allowed only before the first
    /// approval (approvers approve a fixed list). Returns the number of items excluded.
    @discardableResult
    public func exclude(_ listId: String, mailbox: String, messageId: String, reason: String, actor: Actor) throws(DestroyError) -> Int {
        let now = workspace.clock.now()
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw .invalidInput("an exclusion needs a reason (--reason TEXT); it is recorded on the list") }
        let address = mailbox.lowercased()
        let id = Catalog.canonicalMessageId(messageId)
        let n: Int = try change(listId) { db, s in
            guard s.list.status == .proposed else { throw DestroyError.refused(Self.notOpen(s.list, action: "take items off")) }
            guard s.approvals.isEmpty else {
                throw DestroyError.refused("list \(listId) already has approvals (\(s.approvals.map(\.role).joined(separator: ", "))); "
                    + "items can be taken off only before the first approval. Reject the list (`destroy reject`) and propose a new one.")
            }
            let items = s.items.filter { $0.mailbox == address && $0.messageId == id }
            guard !items.isEmpty else {
                throw DestroyError.invalidInput("message \(id) in mailbox \(address) is not on list \(listId); "
                    + "check the Message-ID and mailbox in the item list (\(ListDocuments.Names(listId: listId).csv))")
            }
            let open = items.filter { $0.state == .listed }
            guard !open.isEmpty else { throw DestroyError.refused("message \(id) in mailbox \(address) was already taken off list \(listId)") }
            for item in open {
                try DestructionItemRecord.exclude(db, listId: listId, copyId: item.copyId, reason: why, at: ISOTimestamp.format(now),
                                                  by: actor.documentText)
            }
            try workspace.audit.append(db, kind: .listExclusion, command: "destroy exclude", actor: actor.auditText,
                                  objectIds: ["list:\(listId)"] + open.map { "copy:\($0.copyId)" },
                                  outcome: "excluded \(open.count) item(s): \(why)")
            return open.count
        }
        return n
    }

    /// Records the approval of `role` by `actor`, who must be a registered person (``Actor/personId``) with an approver
    /// period for that role today in the registers (approvers.csv). Roles must approve in the order the list requires,
    /// each by another person (four eyes, compared by person id); the last approval starts the bedenktijd and fixes
    /// the SHA-256 of the item list. Returns the list after the approval.
    @discardableResult
    public func approve(_ listId: String, role: String, actor: Actor) throws(DestroyError) -> ListSnapshot {
        let now = workspace.clock.now()
        let today = AmsterdamTime.date(of: Instant(now))
        let r = role.trimmingCharacters(in: .whitespaces)
        guard let personId = actor.personId else {
            throw .invalidInput("an approval is given by a registered person: "
                + "name them with --by PERSON_ID (their person_id in people.csv), not a free-text name")
        }
        let registers: Registers
        do { registers = try RetentionStore(workspace: workspace).registers() ?? Registers() } catch { throw .retention(error) }
        guard let person = registers.people.first(where: { $0.id == personId }) else {
            throw .refused("'\(personId)' is not a person in the personnel register (people.csv); only registered persons approve destruction lists")
        }
        try change(listId) { db, s in
            let l = s.list
            guard l.status == .proposed else {
                if l.status == .approved {
                    let given = s.approvals.map { "\(l.roleName($0.role)): \($0.name)" }.joined(separator: ", ")
                    throw DestroyError.refused("list \(listId) is already fully approved (\(given)).")
                }
                throw DestroyError.refused(Self.notOpen(l, action: "approve"))
            }
            guard let position = l.approvalsRequired.firstIndex(of: r) else {
                throw DestroyError.invalidInput("'\(r)' is not an approver role of list \(listId); "
                    + "it needs approvals by \(l.approvalsRequired.joined(separator: ", then ")) (in that order).")
            }
            guard registers.approvers.contains(where: { $0.personId == personId && $0.approverRole == r && $0.period.contains(today) }) else {
                let periods = registers.approvers.filter { $0.personId == personId }.map { "\($0.approverRole) \($0.period)" }
                let notRegistered = "\(person.name) (\(personId)) is not registered as approver in the role \(r) (\(l.roleName(r))) "
                    + "on \(DutchText.date(today)); "
                let registered = periods.isEmpty
                    ? "approvers.csv names no approver periods for them." : "approvers.csv gives: \(periods.joined(separator: "; "))."
                throw DestroyError.refused(notRegistered
                    + registered
                    + " Register the approver with `sluitsteen register import` (approvers.csv).")
            }
            if let given = s.approvals.first(where: { $0.role == r }) {
                throw DestroyError.refused("list \(listId) was already approved as \(r) by \(given.name) on \(given.at); each role approves once.")
            }
            // Four eyes: each role is approved by another person, compared by person id (by name for approvals
            // recorded before approvals named a person id).
            if let same = s.approvals.first(where: { $0.personId.map { $0 == personId } ?? ($0.name.lowercased() == person.name.lowercased()) }) {
                throw DestroyError.refused("\(person.name) (\(personId)) already approved list \(listId) as \(same.role) (\(l.roleName(same.role))); "
                    + "approval as \(r) must come from another person (four eyes).")
            }
            let missing = l.approvalsRequired[..<position].filter { earlier in !s.approvals.contains { $0.role == earlier } }
            if let first = missing.first {
                throw DestroyError.refused("approval as \(r) is not yet possible: list \(listId) must first be approved as \(first) "
                    + "(order: \(l.approvalsRequired.joined(separator: ", then "))).")
            }
            try ApprovalRecord(listId: listId, position: position + 1, role: r, approvedBy: person.name, approvedAt: ISOTimestamp.format(now),
                               personId: personId, osUser: actor.osUser).insert(db)
            let complete = s.approvals.count + 1 == l.approvalsRequired.count
            var outcome = "approved as \(r) (\(s.approvals.count + 1) of \(l.approvalsRequired.count))"
            if complete {
                let sha = DocumentFiles.sha256(ListDocuments.canonicalCSV(s.items))
                let from = AmsterdamTime.adding(l.bedenktijd, to: Instant(now))
                try DestructionListRecord.approve(db, id: listId, at: ISOTimestamp.format(now), epoch: Instant(now).secondsSinceEpoch,
                                                  itemListSHA256: sha)
                outcome += "; fully approved, bedenktijd \(l.bedenktijd.iso) until \(from.iso); item list sha256 \(sha)"
            }
            try workspace.audit.append(db, kind: .listApproval, command: "destroy approve", actor: actor.auditText, objectIds: ["list:\(listId)"],
                                       outcome: outcome)
        }
        return try read(listId, subjects: false).0
    }

    /// Rejects the list (before execution; also during the bedenktijd). A rejected list is never executed.
    public func reject(_ listId: String, reason: String, role: String?, actor: Actor) throws(DestroyError) {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw .invalidInput("a rejection needs a reason (--reason TEXT)") }
        try close(listId, to: .rejected, reason: why, role: role, actor: actor)
    }

    /// Cancels (withdraws) the list before execution.
    public func cancel(_ listId: String, reason: String?, actor: Actor) throws(DestroyError) {
        try close(listId, to: .cancelled, reason: reason?.trimmingCharacters(in: .whitespacesAndNewlines), role: nil, actor: actor)
    }

    /// The list with its items and approvals.
    public func show(_ listId: String) throws(DestroyError) -> ListSnapshot { try read(listId, subjects: false).0 }

    /// All lists and purge runs, newest first.
    public func all() throws(DestroyError) -> [DestructionList] {
        try workspace.catalog.read(throwing: DestroyError.self) { db in try DestructionListRecord.all(db) }
    }

    /// After a destruction, purge or withdrawal: rewrites the documents of every list proposed with subjects that is
    /// still open (a destroyed message's subject is no longer in the catalog, so it leaves its list with subjects too),
    /// and removes the list with subjects of every list that is closed.
    public func refreshSubjectLists() throws(DestroyError) {
        let ids = try workspace.catalog.read(throwing: DestroyError.self) { db in try DestructionListRecord.idsWithSubjects(db) }
        for id in ids { try writeDocuments(id) }
    }

    /// Rewrites the documents of a list (e.g. after they were removed by hand).
    @discardableResult
    public func writeDocuments(_ listId: String) throws(DestroyError) -> ListDocuments.Written {
        let (s, subjects) = try read(listId, subjects: true)
        return try ListDocuments.write(s, subjects: subjects, in: workspace)
    }

    // MARK: -

    private func close(_ listId: String, to status: ListStatus, reason: String?, role: String?, actor: Actor) throws(DestroyError) {
        let now = workspace.clock.now()
        try change(listId) { db, s in
            guard s.list.status == .proposed || s.list.status == .approved else {
                throw DestroyError.refused(Self.notOpen(s.list, action: status == .rejected ? "reject" : "cancel"))
            }
            if let role, !role.isEmpty, !s.list.approvalsRequired.contains(role) {
                let roles = s.list.approvalsRequired.joined(separator: ", ")
                throw DestroyError.invalidInput("'\(role)' is not an approver role of list \(listId) (\(roles))")
            }
            let by = role.map { $0.isEmpty ? actor.documentText : "\(actor.documentText) (\($0))" } ?? actor.documentText
            try DestructionListRecord.close(db, id: listId, status: status, at: ISOTimestamp.format(now), by: by, reason: reason)
            try workspace.audit.append(db, kind: status == .rejected ? .listRejection : .listCancellation,
                                  command: status == .rejected ? "destroy reject" : "destroy cancel", actor: actor.auditText,
                                  objectIds: ["list:\(listId)"],
                                  outcome: (status == .rejected ? "rejected" : "cancelled") + (reason.map { $0.isEmpty ? "" : ": \($0)" } ?? ""))
        }
    }

    /// Runs `body` in one write transaction with the current state of the list, then rewrites its documents.
    @discardableResult
    private func change<T>(_ listId: String, _ body: (Database, ListSnapshot) throws -> T) throws(DestroyError) -> T {
        let result = try workspace.catalog.write(throwing: DestroyError.self) { db -> T in
            let s = try ListSnapshot.read(db, id: listId)
            guard s.list.kind == .vernietigingslijst else {
                throw DestroyError.refused("\(listId) is an opt-out purge run, not a vernietigingslijst; it needs no approvals")
            }
            return try body(db, s)
        }
        try writeDocuments(listId)
        return result
    }

    func read(_ listId: String, subjects: Bool) throws(DestroyError) -> (ListSnapshot, [Int64: String]) {
        try workspace.catalog.read(throwing: DestroyError.self) { db in
            let s = try ListSnapshot.read(db, id: listId)
            var map: [Int64: String] = [:]
            if subjects, s.list.withSubjects {
                let bySHA = try MessageRecord.subjects(db, sha256s: Set(s.items.map(\.sha256)))
                for item in s.items { if let subject = bySHA[item.sha256] { map[item.copyId] = subject } }
            }
            return (s, map)
        }
    }

    static func notOpen(_ l: DestructionList, action: String) -> String {
        switch l.status {
        case .rejected:
            let reason = l.closeReason.map { " (\($0))" } ?? ""
            let verb = action == "take items off" ? "change" : "be \(action == "approve" ? "approved" : action + "ed")"
            return "list \(l.id) was rejected on \(l.closedAt ?? "?") by \(l.closedBy ?? "?")\(reason); it cannot \(verb). Propose a new list."
        case .cancelled: return "list \(l.id) was cancelled on \(l.closedAt ?? "?"); nothing more can be done with it. Propose a new list."
        case .executing:
            return "list \(l.id) is being executed (or its execution was interrupted); run `sluitsteen destroy execute \(l.id)` to finish it."
        case .executed:
            return "list \(l.id) was already executed on \(l.executedAt ?? "?"); "
                + "the verklaring van vernietiging is \(l.verklaringHtml ?? "in the documents folder")."
        case .approved: return "list \(l.id) is already fully approved; to stop it, reject or cancel it."
        case .proposed: return "list \(l.id) is still awaiting approval."
        }
    }
}

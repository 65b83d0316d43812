// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport

/// The rules engine's state in the catalog: registers in force, opt-out marks, hotspots and Woo holds.
///
/// Every change goes through here and appends an audit entry in the same transaction.
public struct RetentionStore: Sendable {
    public let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    private var catalog: Catalog { workspace.catalog }

    // MARK: Registers

    /// The outcome of a register import.
    public struct ImportOutcome: Sendable {
        public var changed: Bool
        public var people: Int
        public var roles: Int
        public var mailboxes: Int
        public var approvers: Int
        public var teamMemberships: Int
        public var warnings: [String]
    }

    /// Imports the three register CSVs. Errors (with file, line and column) refuse the whole import; importing the
    /// same files again changes nothing. Mailboxes in the archive that are not in the register are warned about.
    public func importRegisters(people: URL, roles: URL, mailboxes: URL, approvers: URL? = nil, teams: URL? = nil, policy: Policy,
                                actor: Actor) throws(RetentionError) -> ImportOutcome {
        let result: RegisterImport
        do {
            result = try Registers.load(people: people, roles: roles, mailboxes: mailboxes, approvers: approvers, teams: teams, policy: policy)
        } catch {
            throw .registerFile(error)
        }
        guard result.isValid else { throw .registers(result.errors.map(\.description)) }
        var warnings = result.warnings.map(\.description)
        let index = RegisterIndex(result.registers, policy: policy)
        let archived: [String]
        do { archived = try catalog.mailboxes() } catch { throw .archive(error) }
        if result.registers.approvers.isEmpty, let current = try registers(), !current.approvers.isEmpty {
            warnings.append("warning: no approvers.csv was given: the registers in force had \(current.approvers.count) approver period(s); after " +
                            "this import no one may approve destruction lists until approvers.csv is imported again")
        }
        for address in archived where index.mailbox(address) == nil {
            warnings.append("warning: mailbox \(address) is in the archive but not in \(mailboxes.lastPathComponent); its messages stay " +
                            "unclassified and are never destroyed")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: String
        do { json = String(decoding: try encoder.encode(result.registers), as: UTF8.self) } catch { throw .archive(ArchiveError(wrapping: error)) }
        let hash = Digest.hex(Data(json.utf8))
        let changed = try catalog.write(throwing: RetentionError.self) { db -> Bool in
            guard try RegisterVersionRecord.latestHash(db) != hash else { return false }
            var version = RegisterVersionRecord(id: nil, importedAt: ISOTimestamp.format(workspace.clock.now()), importedBy: actor.documentText,
                                                sourcesSHA256: hash, registersJSON: json)
            try version.insert(db)
            try workspace.audit.append(db, kind: .registerImport, command: "register import", actor: actor.auditText,
                                       objectIds: ["register:\(version.id ?? db.lastInsertedRowID)"],
                                       outcome: "\(result.registers.people.count) people, \(result.registers.roles.count) role periods, " +
                                                "\(result.registers.mailboxes.count) mailboxes"
                                           + (result.registers.approvers.isEmpty ? "" : ", \(result.registers.approvers.count) approver periods")
                                           + (result.registers.teams.isEmpty ? "" : ", \(result.registers.teams.count) team memberships")
                                           + " (sha256 \(hash.prefix(12)))")
            return true
        }
        return ImportOutcome(changed: changed, people: result.registers.people.count, roles: result.registers.roles.count,
                             mailboxes: result.registers.mailboxes.count, approvers: result.registers.approvers.count,
                             teamMemberships: result.registers.teams.count, warnings: warnings)
    }

    /// The registers in force (the latest import), or nil when none was imported.
    public func registers() throws(RetentionError) -> Registers? {
        try catalog.read(throwing: RetentionError.self) { try RegisterVersionRecord.registers($0) }
    }

    /// The registers in force, read in the caller's transaction.
    static func registers(_ db: Database) throws -> Registers? { try RegisterVersionRecord.registers(db) }

    /// The registered person `personId` as the actor of a command, or a refusal naming what is wrong.
    public func registeredActor(_ personId: String, osUser: String = Actor.currentOSUser) throws(RetentionError) -> Actor {
        let id = personId.trimmingCharacters(in: .whitespaces)
        guard let registers = try registers() else {
            throw .refused("'\(id)' cannot be checked: no registers have been imported yet (`sluitsteen register import …`)")
        }
        guard let person = registers.people.first(where: { $0.id == id }) else {
            throw .refused("'\(SafeText.terminal(String(id.prefix(60))))' is not a person id in the personnel register (people.csv); give the " +
                           "person_id, e.g. P0007")
        }
        return Actor(personId: person.id, name: person.name.isEmpty ? person.id : person.name, osUser: osUser)
    }

    // MARK: Opt-out marks

    /// All opt-out marks that have not been undone.
    public func optOutMarks() throws(RetentionError) -> [OptOutMark] {
        try catalog.read(throwing: RetentionError.self) { try OptOutMarkRecord.inForce($0) }
    }

    /// The opt-out marks in force, read in the caller's transaction.
    static func optOutMarks(_ db: Database) throws -> [OptOutMark] { try OptOutMarkRecord.inForce(db) }

    /// How many of `copies` (mailbox, Message-ID) have an opt-out mark, in force or undone, read in the caller's
    /// transaction (a batch whose copies were opted out cannot be withdrawn).
    public static func optOutMarkedCount(_ db: Database, copies: [(mailbox: String, messageId: String)]) throws -> Int {
        try OptOutMarkRecord.markedCount(db, copies: copies)
    }

    /// Records an opt-out for the message in the mailbox, after checking the window.
    /// Returns the closing date of the window.
    @discardableResult
    public func markOptOut(mailbox: String, messageId: String, ground: OptOutGround, policy: Policy, actor: Actor,
                           source: String) throws(RetentionError) -> CivilDate {
        let results = try markOptOuts([(mailbox, messageId, ground)], policy: policy, actor: actor, source: source)
        switch results[0] {
        case .success(let d): return d
        case .failure(let e): throw e
        }
    }

    /// Records many opt-outs at once, all or nothing: every row is checked first; if any is refused, nothing is
    /// recorded. Returns, per row, the window's closing date or the refusal.
    public func markOptOuts(_ rows: [(mailbox: String, messageId: String, ground: OptOutGround)], policy: Policy, actor: Actor,
                            source: String = "import") throws(RetentionError) -> [Result<CivilDate, RetentionError>] {
        guard let registers = try registers() else { throw .noRegisters }
        let index = RegisterIndex(registers, policy: policy)
        let markedAt = Instant(workspace.clock.now())
        var results: [Result<CivilDate, RetentionError>] = []
        for row in rows {
            let address = row.mailbox.lowercased()
            let id = Catalog.canonicalMessageId(row.messageId)
            let copies: [CatalogCopy]
            do { copies = try catalog.copies(mailbox: address, messageId: id) } catch { throw .archive(error) }
            guard let first = copies.first(where: { $0.state == .present }) else {
                results.append(.failure(.notFound("message \(id) in mailbox \(address)"))); continue
            }
            do {
                let window = try OptOutMark.validate(
                    mailbox: address, messageInstant: Instant(secondsSinceEpoch: first.dateEpoch ?? first.capturedEpoch),
                    captureInstant: Instant(secondsSinceEpoch: copies.map(\.capturedEpoch).min() ?? first.capturedEpoch),
                    markedAt: markedAt, policy: policy, registers: index)
                results.append(.success(window.closingDate))
            } catch { results.append(.failure(.optOut(error))) }
        }
        guard results.allSatisfy({ if case .success = $0 { return true } else { return false } }) else { return results }
        try catalog.write(throwing: RetentionError.self) { db in
            for (row, result) in zip(rows, results) {
                guard case .success(let closes) = result else { continue }
                let address = row.mailbox.lowercased()
                var mark = OptOutMarkRecord(id: nil, mailbox: address, messageId: Catalog.canonicalMessageId(row.messageId),
                                            ground: row.ground.rawValue, markedAt: ISOTimestamp.format(workspace.clock.now()),
                                            markedEpoch: markedAt.secondsSinceEpoch, markedBy: actor.documentText, source: source,
                                            undoneAt: nil, undoneBy: nil, undoReason: nil)
                try mark.insert(db)
                try workspace.audit.append(db, kind: .optOut, command: "optout \(source)", actor: actor.auditText,
                                           objectIds: ["optout:\(mark.id ?? db.lastInsertedRowID)", "mailbox:\(address)"],
                                           outcome: "marked \(row.ground.rawValue); window closes \(closes.iso)")
            }
        }
        return results
    }

    /// Undoes the opt-out marks of a message in a mailbox (the message is then kept under the normal rules).
    public func undoOptOut(mailbox: String, messageId: String, reason: String, actor: Actor) throws(RetentionError) -> Int {
        let address = mailbox.lowercased()
        let id = Catalog.canonicalMessageId(messageId)
        return try catalog.write(throwing: RetentionError.self) { db -> Int in
            let n = try OptOutMarkRecord.undo(db, mailbox: address, messageId: id, at: ISOTimestamp.format(workspace.clock.now()),
                                              by: actor.documentText, reason: reason)
            guard n > 0 else { throw RetentionError.notFound("an opt-out mark for \(id) in \(address)") }
            try workspace.audit.append(db, kind: .optOut, command: "optout undo", actor: actor.auditText, objectIds: ["mailbox:\(address)"],
                                       outcome: "undone (\(n) mark\(n == 1 ? "" : "s")): \(reason)")
            return n
        }
    }

    // MARK: Hotspots

    /// All hotspots, by name.
    public func hotspots() throws(RetentionError) -> [Hotspot] {
        try catalog.read(throwing: RetentionError.self) { try HotspotRecord.all($0) }
    }

    /// All hotspots, read in the caller's transaction.
    static func hotspots(_ db: Database) throws -> [Hotspot] { try HotspotRecord.all(db) }

    /// Adds a hotspot. Returns its id.
    public func addHotspot(name: String, status: HotspotStatus, criteria: MatchCriteria, decisionRef: String?, description: String? = nil,
                           projectLead: String? = nil, actor: Actor) throws(RetentionError) -> String {
        guard !criteria.isEmpty else { throw .invalidInput("a hotspot needs at least one of --terms, --addresses, --mailboxes or --zaak") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("a hotspot needs a name (--name)") }
        if let projectLead { try requireRegisteredPerson(projectLead) }
        let json = RetentionStore.encode(criteria)
        return try catalog.write(throwing: RetentionError.self) { db -> String in
            if try HotspotRecord.exists(db, name: name) { throw RetentionError.invalidInput("a hotspot named '\(name)' already exists") }
            let id = "hs-\(try HotspotRecord.fetchCount(db) + 1)"
            let t = ISOTimestamp.format(workspace.clock.now())
            try HotspotRecord(id: id, name: name, status: status.rawValue, criteriaJSON: json, decisionRef: decisionRef, createdAt: t,
                              statusChangedAt: t, description: description, projectLead: projectLead).insert(db)
            try workspace.audit.append(db, kind: .hotspot, command: "hotspot add", actor: actor.auditText, objectIds: ["hotspot:\(id)"],
                                       outcome: "added '\(name)' as \(status.rawValue)" + (projectLead.map { ", project lead \($0)" } ?? ""))
            return id
        }
    }

    /// Names `personId` (a person of the personnel register) as the project lead of a hotspot (by name or id), or clears it
    /// with nil: the project lead, or responsible employee, may strip private messages from the hotspot's chat (bijlage 4).
    public func setHotspotProjectLead(_ nameOrId: String, personId: String?, actor: Actor) throws(RetentionError) -> Hotspot {
        if let personId { try requireRegisteredPerson(personId) }
        try catalog.write(throwing: RetentionError.self) { db in
            guard let id = try HotspotRecord.id(db, idOrName: nameOrId) else { throw RetentionError.notFound("hotspot '\(nameOrId)'") }
            try HotspotRecord.setProjectLead(db, id: id, personId)
            try workspace.audit.append(db, kind: .hotspot, command: "hotspot lead", actor: actor.auditText,
                                       objectIds: ["hotspot:\(id)"] + (personId.map { ["person:\($0)"] } ?? []),
                                       outcome: personId.map { "project lead \($0)" } ?? "project lead cleared")
        }
        guard let h = try hotspots().first(where: { $0.id == nameOrId || $0.name == nameOrId }) else { throw .notFound("hotspot '\(nameOrId)'") }
        return h
    }

    /// Refuses a person_id the personnel register in force does not have.
    private func requireRegisteredPerson(_ personId: String) throws(RetentionError) {
        guard let registers = try registers() else {
            throw .refused("no registers have been imported yet (`sluitsteen register import …`): the project lead must be in the "
                + "personnel register")
        }
        guard registers.people.contains(where: { $0.id == personId }) else {
            throw .invalidInput("'\(SafeText.terminal(String(personId.prefix(60))))' is not a person_id of the personnel register "
                + "(people.csv), e.g. P0007")
        }
    }

    /// Changes the status of a hotspot (designate, reject), found by name or id.
    public func setHotspotStatus(_ nameOrId: String, to status: HotspotStatus, decisionRef: String?, description: String? = nil,
                                 actor: Actor) throws(RetentionError) -> Hotspot {
        try catalog.write(throwing: RetentionError.self) { db in
            guard let id = try HotspotRecord.id(db, idOrName: nameOrId) else { throw RetentionError.notFound("hotspot '\(nameOrId)'") }
            try HotspotRecord.setStatus(db, id: id, status, at: ISOTimestamp.format(workspace.clock.now()), decisionRef: decisionRef,
                                       description: description)
            let verb = status == .designated ? "designate" : status == .rejected ? "reject" : "status"
            try workspace.audit.append(db, kind: .hotspot, command: "hotspot \(verb)",
                                       actor: actor.auditText, objectIds: ["hotspot:\(id)"], outcome: "status \(status.rawValue)")
        }
        guard let h = try hotspots().first(where: { $0.id == nameOrId || $0.name == nameOrId }) else { throw .notFound("hotspot '\(nameOrId)'") }
        return h
    }

    // MARK: Woo holds

    /// All Woo holds, by zaaknummer.
    public func holds() throws(RetentionError) -> [WooHold] {
        try catalog.read(throwing: RetentionError.self) { try WooHoldRecord.all($0) }
    }

    /// All Woo holds, read in the caller's transaction.
    static func holds(_ db: Database) throws -> [WooHold] { try WooHoldRecord.all(db) }

    /// Adds a Woo hold from its received date. Returns its id.
    public func addHold(zaaknummer: String, received: CivilDate, criteria: MatchCriteria, actor: Actor) throws(RetentionError) -> String {
        guard !zaaknummer.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("a Woo hold needs a zaaknummer (--woo)") }
        guard !criteria.mailboxes.isEmpty || criteria.hasTextCriteria || !criteria.addresses.isEmpty else {
            throw .invalidInput("a Woo hold needs --mailboxes or --terms (otherwise it would hold nothing)")
        }
        let json = RetentionStore.encode(criteria)
        return try catalog.write(throwing: RetentionError.self) { db -> String in
            let id = "woo-\(try WooHoldRecord.fetchCount(db) + 1)"
            try WooHoldRecord(id: id, zaaknummer: zaaknummer, received: received.iso, released: nil, releaseReason: nil, criteriaJSON: json,
                              createdAt: ISOTimestamp.format(workspace.clock.now())).insert(db)
            try workspace.audit.append(db, kind: .hold, command: "hold add", actor: actor.auditText, objectIds: ["hold:\(id)", "woo:\(zaaknummer)"],
                                       outcome: "Woo hold from \(received.iso)")
            return id
        }
    }

    /// Releases a hold (by id or zaaknummer) as of today (Amsterdam date of the workspace clock).
    public func releaseHold(_ idOrZaak: String, reason: String, actor: Actor) throws(RetentionError) -> [String] {
        let today = AmsterdamTime.date(of: Instant(workspace.clock.now()))
        return try catalog.write(throwing: RetentionError.self) { db -> [String] in
            let ids = try WooHoldRecord.activeIds(db, idOrZaak: idOrZaak)
            guard !ids.isEmpty else { throw RetentionError.notFound("an active Woo hold '\(idOrZaak)'") }
            for id in ids {
                try WooHoldRecord.release(db, id: id, on: today, reason: reason)
                try workspace.audit.append(db, kind: .hold, command: "hold release", actor: actor.auditText, objectIds: ["hold:\(id)"],
                                           outcome: "released on \(today.iso): \(reason)")
            }
            return ids
        }
    }

    static func encode(_ criteria: MatchCriteria) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(criteria)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

// MARK: - Ingest admission

extension RetentionStore {
    /// What a plan must say before its figures when the registers cannot classify the mail: no registers at all, or
    /// mailboxes in the archive that are not in the register.
    public func planNotices() throws(RetentionError) -> [String] {
        let registers = try registers()
        guard let registers, !registers.mailboxes.isEmpty else {
            return ["er zijn geen registers geïmporteerd: elk bericht is ‘unclassified’ (niet ingedeeld) en wordt nooit vernietigd of "
                + "overgebracht. Importeer eerst de registers: sluitsteen register import people.csv roles.csv mailboxes.csv."]
        }
        let archived: [String]
        do { archived = try catalog.mailboxes() } catch { throw .archive(error) }
        let known = Set(registers.mailboxes.map(\.address))
        let unknown = archived.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return [] }
        return ["\(unknown.count) mailbox(en) in het archief staan niet in het mailboxregister en blijven ‘unclassified’: "
            + unknown.prefix(10).joined(separator: ", ") + (unknown.count > 10 ? ", …" : "") + "."]
    }

    /// Checks that mail may be taken into `mailbox`: it must be in the mailbox register, unless the user says it is a new
    /// mailbox (`allowNew`); a typo must not become an unregistered mailbox whose mail is never destroyed. Returns a
    /// notice to show when an unregistered mailbox is let in.
    public func admitIngest(into mailbox: String, allowNew: Bool) throws(RetentionError) -> String? {
        let address = mailbox.trimmingCharacters(in: .whitespaces).lowercased()
        let registered = try registers()?.mailboxes ?? []
        if registered.contains(where: { $0.address == address }) { return nil }
        let notice = "\(address) is not in the mailbox register: its mail stays unclassified (never destroyed, never transferred) "
            + "until the mailbox is registered with `sluitsteen register import`."
        if allowNew { return notice }
        if registered.isEmpty {
            throw .refused("no mailbox register has been imported yet, so \(address) cannot be checked. Import the registers first "
                + "(`sluitsteen register import people.csv roles.csv mailboxes.csv`), or pass --new-mailbox to take the mail in as an "
                + "unregistered mailbox. Nothing was ingested.")
        }
        let suggestion = registered.map(\.address).min { Self.distance($0, address) < Self.distance($1, address) }
        let hint = suggestion.flatMap { Self.distance($0, address) <= 3 ? " Did you mean \($0)?" : nil } ?? ""
        throw .refused("\(address) is not in the mailbox register (mailboxes.csv).\(hint) If it is a new mailbox, register it first, "
            + "or pass --new-mailbox (its mail then stays unclassified until it is registered). Nothing was ingested.")
    }

    /// Levenshtein distance (for "did you mean"), on characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}

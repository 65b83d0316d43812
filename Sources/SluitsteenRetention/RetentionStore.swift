// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy

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
        public var warnings: [String]
    }

    /// Imports the three register CSVs. Errors (with file, line and column) refuse the whole import; importing the
    /// same files again changes nothing. Mailboxes in the archive that are not in the register are warned about.
    public func importRegisters(people: URL, roles: URL, mailboxes: URL, policy: Policy, actor: String, at now: Date) throws(RetentionError) -> ImportOutcome {
        let result: RegisterImport
        do { result = try Registers.load(people: people, roles: roles, mailboxes: mailboxes, policy: policy) } catch {
            throw .invalidInput(error.description)
        }
        guard result.isValid else { throw .registers(result.errors.map(\.description)) }
        var warnings = result.warnings.map(\.description)
        let index = RegisterIndex(result.registers, policy: policy)
        let archived: [String]
        do { archived = try catalog.mailboxes() } catch { throw .archive("\(error)") }
        for address in archived where index.mailbox(address) == nil {
            warnings.append("warning: mailbox \(address) is in the archive but not in \(mailboxes.lastPathComponent); its messages stay unclassified and are never destroyed")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: String
        do { json = String(decoding: try encoder.encode(result.registers), as: UTF8.self) } catch { throw .archive("\(error)") }
        let hash = Digest.hex(Data(json.utf8))
        let changed: Bool
        do {
            changed = try catalog.write { db -> Bool in
                let current = try String.fetchOne(db, sql: "SELECT sourcesSHA256 FROM registerVersion ORDER BY id DESC LIMIT 1")
                guard current != hash else { return false }
                try db.execute(sql: "INSERT INTO registerVersion (importedAt, importedBy, sourcesSHA256, registersJSON) VALUES (?, ?, ?, ?)",
                               arguments: [ISOTimestamp.format(now), actor, hash, json])
                try AuditTrail.append(db, kind: .registerImport, command: "register import", actor: actor,
                                      objectIds: ["register:\(db.lastInsertedRowID)"],
                                      outcome: "\(result.registers.people.count) people, \(result.registers.roles.count) role periods, \(result.registers.mailboxes.count) mailboxes (sha256 \(hash.prefix(12)))",
                                      at: now)
                return true
            }
        } catch { throw .archive("\(error)") }
        return ImportOutcome(changed: changed, people: result.registers.people.count, roles: result.registers.roles.count,
                             mailboxes: result.registers.mailboxes.count, warnings: warnings)
    }

    /// The registers in force (the latest import), or nil when none was imported.
    public func registers() throws(RetentionError) -> Registers? {
        let json: String?
        do { json = try catalog.read { try String.fetchOne($0, sql: "SELECT registersJSON FROM registerVersion ORDER BY id DESC LIMIT 1") } } catch {
            throw .archive("\(error)")
        }
        guard let json else { return nil }
        do { return try JSONDecoder().decode(Registers.self, from: Data(json.utf8)) } catch { throw .archive("the stored registers cannot be read: \(error)") }
    }

    // MARK: Opt-out marks

    /// All opt-out marks that have not been undone.
    public func optOutMarks() throws(RetentionError) -> [OptOutMark] {
        do {
            return try catalog.read { db in
                try Row.fetchAll(db, sql: "SELECT mailbox, messageId, ground, markedEpoch, markedBy FROM optOutMark WHERE undoneAt IS NULL ORDER BY id").compactMap { row in
                    guard let ground = OptOutGround(rawValue: row[2]) else { return nil }
                    return OptOutMark(mailbox: row[0], messageId: row[1], ground: ground,
                                      markedAt: Instant(secondsSinceEpoch: row[3]), by: row[4])
                }
            }
        } catch { throw .archive("\(error)") }
    }

    /// Records an opt-out for the message in the mailbox, after checking the window.
    /// Returns the closing date of the window.
    @discardableResult
    public func markOptOut(mailbox: String, messageId: String, ground: OptOutGround, policy: Policy, actor: String,
                           source: String, at now: Date) throws(RetentionError) -> CivilDate {
        let results = try markOptOuts([(mailbox, messageId, ground)], policy: policy, actor: actor, source: source, at: now)
        switch results[0] {
        case .success(let d): return d
        case .failure(let e): throw e
        }
    }

    /// Records many opt-outs at once, all or nothing: every row is checked first; if any is refused, nothing is
    /// recorded. Returns, per row, the window's closing date or the refusal.
    public func markOptOuts(_ rows: [(mailbox: String, messageId: String, ground: OptOutGround)], policy: Policy, actor: String,
                            source: String = "import", at now: Date) throws(RetentionError) -> [Result<CivilDate, RetentionError>] {
        guard let registers = try registers() else { throw .noRegisters }
        let index = RegisterIndex(registers, policy: policy)
        let markedAt = Instant(now)
        var results: [Result<CivilDate, RetentionError>] = []
        for row in rows {
            let address = row.mailbox.lowercased()
            let id = Catalog.canonicalMessageId(row.messageId)
            let copies: [CatalogCopy]
            do { copies = try catalog.copies(mailbox: address, messageId: id) } catch { throw .archive("\(error)") }
            guard let first = copies.first(where: { $0.state == "present" }) else {
                results.append(.failure(.notFound("message \(id) in mailbox \(address)"))); continue
            }
            do {
                let window = try OptOutMark.validate(
                    mailbox: address, messageInstant: Instant(secondsSinceEpoch: first.dateEpoch ?? first.capturedEpoch),
                    captureInstant: Instant(secondsSinceEpoch: copies.map(\.capturedEpoch).min() ?? first.capturedEpoch),
                    markedAt: markedAt, policy: policy, registers: index)
                results.append(.success(window.closingDate))
            } catch { results.append(.failure(.refused(error.description))) }
        }
        guard results.allSatisfy({ if case .success = $0 { return true } else { return false } }) else { return results }
        do {
            try catalog.write { db in
                for (row, result) in zip(rows, results) {
                    guard case .success(let closes) = result else { continue }
                    let address = row.mailbox.lowercased()
                    try db.execute(sql: """
                        INSERT INTO optOutMark (mailbox, messageId, ground, markedAt, markedEpoch, markedBy, source) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [address, Catalog.canonicalMessageId(row.messageId), row.ground.rawValue, ISOTimestamp.format(now),
                                         markedAt.secondsSinceEpoch, actor, source])
                    try AuditTrail.append(db, kind: .optOut, command: "optout \(source)", actor: actor,
                                          objectIds: ["optout:\(db.lastInsertedRowID)", "mailbox:\(address)"],
                                          outcome: "marked \(row.ground.rawValue); window closes \(closes.iso)", at: now)
                }
            }
        } catch { throw .archive("\(error)") }
        return results
    }

    /// Undoes the opt-out marks of a message in a mailbox (the message is then kept under the normal rules).
    public func undoOptOut(mailbox: String, messageId: String, reason: String, actor: String, at now: Date) throws(RetentionError) -> Int {
        let address = mailbox.lowercased()
        let id = Catalog.canonicalMessageId(messageId)
        do {
            return try catalog.write { db -> Int in
                try db.execute(sql: "UPDATE optOutMark SET undoneAt = ?, undoneBy = ?, undoReason = ? WHERE mailbox = ? AND messageId = ? AND undoneAt IS NULL",
                               arguments: [ISOTimestamp.format(now), actor, reason, address, id])
                let n = db.changesCount
                guard n > 0 else { throw RetentionError.notFound("an opt-out mark for \(id) in \(address)") }
                try AuditTrail.append(db, kind: .optOut, command: "optout undo", actor: actor, objectIds: ["mailbox:\(address)"],
                                      outcome: "undone (\(n) mark\(n == 1 ? "" : "s")): \(reason)", at: now)
                return n
            }
        } catch let e as RetentionError { throw e } catch { throw .archive("\(error)") }
    }

    // MARK: Hotspots

    /// All hotspots, by name.
    public func hotspots() throws(RetentionError) -> [Hotspot] {
        do {
            return try catalog.read { db in
                try Row.fetchAll(db, sql: "SELECT id, name, status, criteriaJSON, decisionRef FROM hotspot ORDER BY name").map { row in
                    Hotspot(id: row[0], name: row[1], status: HotspotStatus(rawValue: row[2]) ?? .proposed,
                            criteria: try JSONDecoder().decode(MatchCriteria.self, from: Data((row[3] as String).utf8)), decisionRef: row[4])
                }
            }
        } catch { throw .archive("\(error)") }
    }

    /// Adds a hotspot. Returns its id.
    public func addHotspot(name: String, status: HotspotStatus, criteria: MatchCriteria, decisionRef: String?, actor: String, at now: Date) throws(RetentionError) -> String {
        guard !criteria.isEmpty else { throw .invalidInput("a hotspot needs at least one of --terms, --addresses, --mailboxes or --zaak") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("a hotspot needs a name (--name)") }
        let json = RetentionStore.encode(criteria)
        do {
            return try catalog.write { db -> String in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM hotspot WHERE name = ?", arguments: [name]) == true {
                    throw RetentionError.invalidInput("a hotspot named '\(name)' already exists")
                }
                let n = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM hotspot") ?? 0) + 1
                let id = "hs-\(n)"
                let t = ISOTimestamp.format(now)
                try db.execute(sql: "INSERT INTO hotspot (id, name, status, criteriaJSON, decisionRef, createdAt, statusChangedAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [id, name, status.rawValue, json, decisionRef, t, t])
                try AuditTrail.append(db, kind: .hotspot, command: "hotspot add", actor: actor, objectIds: ["hotspot:\(id)"],
                                      outcome: "added '\(name)' as \(status.rawValue)", at: now)
                return id
            }
        } catch let e as RetentionError { throw e } catch { throw .archive("\(error)") }
    }

    /// Changes the status of a hotspot (designate, reject), found by name or id.
    public func setHotspotStatus(_ nameOrId: String, to status: HotspotStatus, decisionRef: String?, actor: String, at now: Date) throws(RetentionError) -> Hotspot {
        do {
            try catalog.write { db in
                guard let id = try String.fetchOne(db, sql: "SELECT id FROM hotspot WHERE id = ? OR name = ?", arguments: [nameOrId, nameOrId]) else {
                    throw RetentionError.notFound("hotspot '\(nameOrId)'")
                }
                try db.execute(sql: "UPDATE hotspot SET status = ?, statusChangedAt = ?, decisionRef = COALESCE(?, decisionRef) WHERE id = ?",
                               arguments: [status.rawValue, ISOTimestamp.format(now), decisionRef, id])
                try AuditTrail.append(db, kind: .hotspot, command: "hotspot \(status == .designated ? "designate" : status == .rejected ? "reject" : "status")",
                                      actor: actor, objectIds: ["hotspot:\(id)"], outcome: "status \(status.rawValue)", at: now)
            }
        } catch let e as RetentionError { throw e } catch { throw .archive("\(error)") }
        guard let h = try hotspots().first(where: { $0.id == nameOrId || $0.name == nameOrId }) else { throw .notFound("hotspot '\(nameOrId)'") }
        return h
    }

    // MARK: Woo holds

    /// All Woo holds, by zaaknummer.
    public func holds() throws(RetentionError) -> [WooHold] {
        do {
            return try catalog.read { db in
                try Row.fetchAll(db, sql: "SELECT id, zaaknummer, received, released, releaseReason, criteriaJSON FROM wooHold ORDER BY zaaknummer, id").map { row in
                    WooHold(id: row[0], zaaknummer: row[1], received: CivilDate(iso: row[2])!, released: (row[3] as String?).flatMap { CivilDate(iso: $0) },
                            releaseReason: row[4], criteria: try JSONDecoder().decode(MatchCriteria.self, from: Data((row[5] as String).utf8)))
                }
            }
        } catch { throw .archive("\(error)") }
    }

    /// Adds a Woo hold from its received date. Returns its id.
    public func addHold(zaaknummer: String, received: CivilDate, criteria: MatchCriteria, actor: String, at now: Date) throws(RetentionError) -> String {
        guard !zaaknummer.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("a Woo hold needs a zaaknummer (--woo)") }
        guard !criteria.mailboxes.isEmpty || criteria.hasTextCriteria || !criteria.addresses.isEmpty else {
            throw .invalidInput("a Woo hold needs --mailboxes or --terms (otherwise it would hold nothing)")
        }
        let json = RetentionStore.encode(criteria)
        do {
            return try catalog.write { db -> String in
                let n = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wooHold") ?? 0) + 1
                let id = "woo-\(n)"
                try db.execute(sql: "INSERT INTO wooHold (id, zaaknummer, received, criteriaJSON, createdAt) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, zaaknummer, received.iso, json, ISOTimestamp.format(now)])
                try AuditTrail.append(db, kind: .hold, command: "hold add", actor: actor, objectIds: ["hold:\(id)", "woo:\(zaaknummer)"],
                                      outcome: "Woo hold from \(received.iso)", at: now)
                return id
            }
        } catch { throw .archive("\(error)") }
    }

    /// Releases a hold (by id or zaaknummer) as of the Amsterdam date of `now`.
    public func releaseHold(_ idOrZaak: String, reason: String, actor: String, at now: Date) throws(RetentionError) -> [String] {
        let today = AmsterdamTime.date(of: Instant(now))
        do {
            return try catalog.write { db -> [String] in
                let ids = try String.fetchAll(db, sql: "SELECT id FROM wooHold WHERE (id = ? OR zaaknummer = ?) AND released IS NULL", arguments: [idOrZaak, idOrZaak])
                guard !ids.isEmpty else { throw RetentionError.notFound("an active Woo hold '\(idOrZaak)'") }
                for id in ids {
                    try db.execute(sql: "UPDATE wooHold SET released = ?, releaseReason = ? WHERE id = ?", arguments: [today.iso, reason, id])
                    try AuditTrail.append(db, kind: .hold, command: "hold release", actor: actor, objectIds: ["hold:\(id)"],
                                          outcome: "released on \(today.iso): \(reason)", at: now)
                }
                return ids
            }
        } catch let e as RetentionError { throw e } catch { throw .archive("\(error)") }
    }

    static func encode(_ criteria: MatchCriteria) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(criteria)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

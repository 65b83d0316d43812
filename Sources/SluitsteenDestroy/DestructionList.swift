// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// Where a vernietigingslijst stands: proposed (approvals being collected), approved (bedenktijd running or over),
/// rejected or cancelled (closed, never executed), executing (interrupted or running), executed.
public enum ListStatus: String, Sendable, Codable, CaseIterable {
    case proposed, approved, rejected, cancelled, executing, executed

    /// The status in Dutch, for documents.
    public var dutch: String {
        switch self {
        case .proposed: return "voorgesteld (goedkeuring loopt)"
        case .approved: return "goedgekeurd"
        case .rejected: return "afgewezen"
        case .cancelled: return "ingetrokken"
        case .executing: return "vernietiging loopt (onderbroken of bezig)"
        case .executed: return "uitgevoerd"
        }
    }
}

/// What a row of `destructionList` is: a vernietigingslijst (approved by people) or an opt-out purge run (the
/// employee's own choice, no approvals).
public enum ListKind: String, Sendable, Codable {
    case vernietigingslijst
    case optOutPurge = "optout-purge"
}

/// The journal state of one item: `listed` or `excluded` before execution; at execution `due` (re-decided and
/// still to be destroyed), `destroying` (the catalog committed to it; bytes may be gone), `destroyed`, or `skipped`.
public enum ItemState: String, Sendable, Codable, CaseIterable {
    case listed, excluded, due, destroying, destroyed, skipped
}

/// A category of a list: one message class × one selection rule (e.g. staff × `staff-7y`).
public struct CategoryKey: Sendable, Hashable, Comparable, Codable {
    public var messageClass: String
    public var rule: String
    public init(messageClass: String, rule: String) {
        self.messageClass = messageClass
        self.rule = rule
    }
    public static func < (a: CategoryKey, b: CategoryKey) -> Bool { (a.messageClass, a.rule) < (b.messageClass, b.rule) }
    /// `staff × staff-7y`.
    public var label: String { "\(messageClass) × \(rule)" }
}

/// The fixed texts of a category, written at proposal from the policy then in force.
public struct CategoryText: Sendable, Codable, Equatable {
    public var messageClass: String
    public var rule: String
    /// What the messages are, in Dutch ("E-mail in functionele mailboxen").
    public var description: String
    /// The selection rule in Dutch, with its id and term.
    public var selectionRule: String

    public init(messageClass: String, rule: String, description: String, selectionRule: String) {
        self.messageClass = messageClass
        self.rule = rule
        self.description = description
        self.selectionRule = selectionRule
    }

    /// The texts for a class and rule id under `policy`.
    public static func make(messageClass: MessageClass, rule: String, policy: Policy) -> CategoryText {
        let description: String
        switch messageClass {
        case .functional: description = "E-mail in functionele mailboxen"
        case .staff: description = "E-mail van medewerkers zonder sleutelfunctie (overig personeel)"
        case .keyPerson: description = "E-mail van sleutelpersonen"
        case .unclassified: description = "E-mail in niet-geregistreerde mailboxen"
        }
        let rules = [policy.staff, policy.staffLeft, policy.functional, policy.keyPerson]
        var selection = rule
        if let r = rules.first(where: { $0.id == rule }) {
            let action = r.waardering == .vernietigen ? "vernietigen" : "bewaren en overbrengen"
            let from = r.id == policy.staffLeft.id
                ? "na de datum van uitdiensttreding (medewerkers die vóór \(DutchText.date(policy.goLive)) uit dienst gingen)"
                : "na de datum van het bericht"
            selection = "\(r.id): waardering \(r.waardering.rawValue), \(action) \(DutchText.duration(r.after)) \(from)"
        }
        return CategoryText(messageClass: messageClass.rawValue, rule: rule, description: description, selectionRule: selection)
    }
}

/// One item of a list: a mailbox copy of a message, with the facts the documents and the verklaring need.
public struct ListItem: Sendable, Equatable {
    public var seq: Int64
    public var copyId: Int64
    public var mailbox: String
    public var sha256: String
    public var messageId: String
    /// Message date in Europe/Amsterdam (`YYYY-MM-DD`).
    public var date: String?
    public var size: Int64
    public var messageClass: String
    public var rule: String
    /// Opt-out ground (opt-out purges only).
    public var ground: String?
    public var state: ItemState
    /// Why the item was excluded or skipped.
    public var reason: String?
    public var changedAt: String?
    public var changedBy: String?

    public var category: CategoryKey { CategoryKey(messageClass: messageClass, rule: rule) }

    static let columns = "seq, copyId, mailbox, sha256, messageId, date, size, messageClass, rule, ground, state, reason, changedAt, changedBy"

    init(row: Row) {
        seq = row[0]; copyId = row[1]; mailbox = row[2]; sha256 = row[3]; messageId = row[4]; date = row[5]; size = row[6]
        messageClass = row[7]; rule = row[8]; ground = row[9]; state = ItemState(rawValue: row[10]) ?? .listed
        reason = row[11]; changedAt = row[12]; changedBy = row[13]
    }

    /// The items of a list, in list order.
    static func fetchAll(_ db: Database, listId: String, states: [ItemState]? = nil) throws -> [ListItem] {
        var sql = "SELECT \(columns) FROM destructionItem WHERE listId = ?"
        var args: [any DatabaseValueConvertible] = [listId]
        if let states {
            sql += " AND state IN (\(states.map { _ in "?" }.joined(separator: ",")))"
            args += states.map(\.rawValue)
        }
        sql += " ORDER BY seq"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(ListItem.init(row:))
    }
}

/// An approval given to a list.
public struct Approval: Sendable, Equatable {
    /// 1-based position of the role in the required order.
    public var position: Int
    public var role: String
    /// The approver's name (from the personnel register).
    public var name: String
    /// ISO 8601 UTC.
    public var at: String
    /// The approver's person id (nil for approvals recorded before approvers were registered persons).
    public var personId: String?
    /// The operating-system account the approval was given from.
    public var osUser: String?
}

/// Totals of one category over a set of items.
public struct CategoryTotals: Sendable, Equatable {
    public var key: CategoryKey
    public var text: CategoryText
    public var count: Int
    public var size: Int64
    /// Earliest and latest message date (Amsterdam).
    public var periodFrom: String?
    public var periodTo: String?
    public var mailboxes: [String]

    /// Groups `items` per class × rule, in key order.
    static func group(_ items: [ListItem], texts: [CategoryText]) -> [CategoryTotals] {
        var byKey: [CategoryKey: CategoryTotals] = [:]
        for item in items {
            let key = item.category
            let text = texts.first { $0.messageClass == key.messageClass && $0.rule == key.rule }
                ?? CategoryText(messageClass: key.messageClass, rule: key.rule, description: key.messageClass, selectionRule: key.rule)
            var t = byKey[key] ?? CategoryTotals(key: key, text: text, count: 0, size: 0, periodFrom: nil, periodTo: nil, mailboxes: [])
            t.count += 1
            t.size += item.size
            if let d = item.date {
                if t.periodFrom.map({ d < $0 }) ?? true { t.periodFrom = d }
                if t.periodTo.map({ d > $0 }) ?? true { t.periodTo = d }
            }
            if !t.mailboxes.contains(item.mailbox) { t.mailboxes.append(item.mailbox) }
            byKey[key] = t
        }
        return byKey.values.sorted { $0.key < $1.key }.map { var t = $0; t.mailboxes.sort(); return t }
    }
}

/// A vernietigingslijst (or opt-out purge run) as stored in the catalog.
public struct DestructionList: Sendable, Equatable {
    public var id: String
    public var kind: ListKind
    public var status: ListStatus
    /// The decision date of the proposal.
    public var asOf: String
    public var mailboxes: [String]
    public var policyName: String
    public var policySource: String
    /// Roles whose approval is required, in order.
    public var approvalsRequired: [String]
    public var bedenktijd: ISODuration
    public var legalGround: String
    public var selectielijst: String
    public var archiefvormer: Archiefvormer
    public var proposedAt: String
    public var proposedBy: String
    public var withSubjects: Bool
    public var categoryTexts: [CategoryText]
    /// SHA-256 of the item list (CSV), fixed when the list is fully approved.
    public var itemListSHA256: String?
    public var approvedAt: String?
    public var approvedEpoch: Int64?
    public var closedAt: String?
    public var closedBy: String?
    public var closeReason: String?
    public var executionAsOf: String?
    public var executionAsOfEpoch: Int64?
    public var executionStartedAt: String?
    public var executedAt: String?
    public var executedBy: String?
    public var auditAnchorSeq: Int64?
    public var auditAnchorHash: String?
    public var verklaringHtml: String?
    public var verklaringJson: String?
    public var verklaringSHA256: String?
    /// What the documents call each approver role, from the policy the list was proposed under.
    public var roleNames: [String: String]

    /// The name of an approver role in documents ("DIV-medewerker"), never the code ("div").
    public func roleName(_ role: String) -> String {
        roleNames[role] ?? DestructionSettings.defaultRoleNames[role] ?? role
    }

    /// The instant from which execution is allowed (full approval + bedenktijd), once fully approved.
    public var executableFrom: Instant? {
        guard let approvedEpoch else { return nil }
        return AmsterdamTime.adding(bedenktijd, to: Instant(secondsSinceEpoch: approvedEpoch))
    }

    init(row: Row) {
        id = row["id"]; kind = ListKind(rawValue: row["kind"]) ?? .vernietigingslijst
        status = ListStatus(rawValue: row["status"]) ?? .proposed
        asOf = row["asOf"]; mailboxes = JSONText.decodeArray(row["mailboxesJSON"])
        policyName = row["policyName"]; policySource = row["policySource"]
        approvalsRequired = JSONText.decodeArray(row["approvalsJSON"])
        bedenktijd = ISODuration(iso: row["bedenktijd"]) ?? ISODuration(days: 7)
        legalGround = row["legalGround"]; selectielijst = row["selectielijst"]
        archiefvormer = Archiefvormer(name: row["archiefvormer"], tooi: row["archiefvormerTooi"])
        proposedAt = row["proposedAt"]; proposedBy = row["proposedBy"]; withSubjects = row["withSubjects"]
        categoryTexts = (try? JSONDecoder().decode([CategoryText].self, from: Data((row["categoriesJSON"] as String).utf8))) ?? []
        itemListSHA256 = row["itemListSHA256"]; approvedAt = row["approvedAt"]; approvedEpoch = row["approvedEpoch"]
        closedAt = row["closedAt"]; closedBy = row["closedBy"]; closeReason = row["closeReason"]
        executionAsOf = row["executionAsOf"]; executionAsOfEpoch = row["executionAsOfEpoch"]
        executionStartedAt = row["executionStartedAt"]; executedAt = row["executedAt"]; executedBy = row["executedBy"]
        auditAnchorSeq = row["auditAnchorSeq"]; auditAnchorHash = row["auditAnchorHash"]
        verklaringHtml = row["verklaringHtml"]; verklaringJson = row["verklaringJson"]; verklaringSHA256 = row["verklaringSHA256"]
        roleNames = (try? JSONDecoder().decode([String: String].self, from: Data((row["roleNamesJSON"] as String? ?? "{}").utf8))) ?? [:]
    }

    static func fetch(_ db: Database, id: String) throws -> DestructionList? {
        try Row.fetchOne(db, sql: "SELECT * FROM destructionList WHERE id = ?", arguments: [id]).map(DestructionList.init(row:))
    }

    static func approvals(_ db: Database, listId: String) throws -> [Approval] {
        try Row.fetchAll(db, sql: """
            SELECT position, role, approvedBy, approvedAt, personId, osUser FROM destructionApproval WHERE listId = ? ORDER BY position
            """, arguments: [listId]).map { Approval(position: $0[0], role: $0[1], name: $0[2], at: $0[3], personId: $0[4], osUser: $0[5]) }
    }
}

/// A list with its items and approvals, as read in one snapshot.
public struct ListSnapshot: Sendable {
    public var list: DestructionList
    public var items: [ListItem]
    public var approvals: [Approval]

    /// Items still on the list (not excluded).
    public var onList: [ListItem] { items.filter { $0.state != .excluded } }
    public var excluded: [ListItem] { items.filter { $0.state == .excluded } }
    /// Categories over the items still on the list.
    public var categories: [CategoryTotals] { CategoryTotals.group(onList, texts: list.categoryTexts) }
    /// The roles that have not approved yet, in order.
    public var pendingRoles: [String] { list.approvalsRequired.filter { r in !approvals.contains { $0.role == r } } }

    static func read(_ db: Database, id: String) throws -> ListSnapshot {
        guard let list = try DestructionList.fetch(db, id: id) else { throw DestroyError.unknownList(id) }
        return ListSnapshot(list: list, items: try ListItem.fetchAll(db, listId: id), approvals: try DestructionList.approvals(db, listId: id))
    }
}

/// The moment a command decides "as of": the end of the Amsterdam day `asOf` (23:59:59), or now.
public struct DecisionMoment: Sendable, Equatable {
    public let instant: Instant
    public let date: CivilDate

    public init(asOf: CivilDate?, now: Date) {
        if let asOf {
            instant = AmsterdamTime.instant(date: asOf.adding(days: 1), secondOfDay: 0).adding(seconds: -1)
            date = asOf
        } else {
            instant = Instant(now)
            date = AmsterdamTime.date(of: instant)
        }
    }

    init(instant: Instant) {
        self.instant = instant
        date = AmsterdamTime.date(of: instant)
    }

    /// The moment a destructive command (propose, execute, purge) decides as of: `now`, or the end of an earlier day.
    /// A date after today is refused (``DestroyError/futureRefused(command:asOf:today:)``); today means now (not the
    /// end of the day, when an opt-out window may still be open).
    public static func present(asOf: CivilDate?, now: Date, command: String) throws(DestroyError) -> DecisionMoment {
        let today = AmsterdamTime.date(of: Instant(now))
        guard let asOf, asOf < today else {
            if let asOf, asOf > today { throw .futureRefused(command: command, asOf: asOf.iso, today: today.iso) }
            return DecisionMoment(asOf: nil, now: now)
        }
        return DecisionMoment(asOf: asOf, now: now)
    }

    /// True when `asOf` lies after today: a plan, explanation or export for it is a forecast (vooruitblik).
    public static func isForecast(_ asOf: Instant, now: Date) -> Bool {
        AmsterdamTime.date(of: asOf) > AmsterdamTime.date(of: Instant(now))
    }
}

extension ListItem {
    /// The item as a JSON object (`subject` only when given).
    public func json(subject: String? = nil) -> String {
        var members: [(String, JSONText.Value)] = [
            ("seq", .int(seq)), ("mailbox", .string(mailbox)), ("sha256", .string(sha256)), ("messageId", .string(messageId)),
            ("date", date.map { .string($0) } ?? .null), ("size", .int(size)), ("class", .string(messageClass)), ("rule", .string(rule)),
            ("state", .string(state.rawValue)),
        ]
        if let reason { members.append(("reason", .string(reason))) }
        if let subject { members.append(("subject", .string(subject))) }
        return JSONText.object(members)
    }
}

extension CategoryTotals {
    /// The category as a JSON object.
    public var json: String {
        JSONText.object([
            ("class", .string(key.messageClass)), ("rule", .string(key.rule)), ("description", .string(text.description)),
            ("selectionRule", .string(text.selectionRule)), ("periodFrom", periodFrom.map { .string($0) } ?? .null),
            ("periodTo", periodTo.map { .string($0) } ?? .null), ("messages", .int(Int64(count))), ("totalSize", .int(size)),
            ("mailboxes", .strings(mailboxes)),
        ])
    }
}

extension ListSnapshot {
    /// The list as one JSON object: id, status, dates, approvals, categories and items (with subjects when given).
    public func json(subjects: [Int64: String] = [:], extra: [(String, JSONText.Value)] = []) -> String {
        let l = list
        func str(_ s: String?) -> JSONText.Value { s.map { .string($0) } ?? .null }
        let apps = approvals.map {
            JSONText.object([("position", .int(Int64($0.position))), ("role", .string($0.role)), ("roleName", .string(l.roleName($0.role))),
                             ("name", .string($0.name)), ("personId", $0.personId.map { .string($0) } ?? .null), ("at", .string($0.at))])
        }
        var members: [(String, JSONText.Value)] = [
            ("listId", .string(l.id)), ("kind", .string(l.kind.rawValue)), ("status", .string(l.status.rawValue)), ("asOf", .string(l.asOf)),
            ("proposedAt", .string(l.proposedAt)), ("proposedBy", .string(l.proposedBy)),
            ("approvalsRequired", .strings(l.approvalsRequired)), ("approvals", .raw("[" + apps.joined(separator: ",") + "]")),
            ("pendingRoles", .strings(pendingRoles)), ("approvedAt", str(l.approvedAt)), ("bedenktijd", .string(l.bedenktijd.iso)),
            ("executableFrom", str(l.executableFrom?.iso)), ("itemListSHA256", str(l.itemListSHA256)),
            ("closedAt", str(l.closedAt)), ("closedBy", str(l.closedBy)), ("closeReason", str(l.closeReason)),
            ("executedAt", str(l.executedAt)), ("verklaringHtml", str(l.verklaringHtml)), ("verklaringJson", str(l.verklaringJson)),
            ("categories", .raw("[" + categories.map(\.json).joined(separator: ",") + "]")),
            ("itemCount", .int(Int64(onList.count))), ("excludedCount", .int(Int64(excluded.count))),
            ("items", .raw("[" + items.map { $0.json(subject: subjects[$0.copyId]) }.joined(separator: ",") + "]")),
        ]
        members += extra
        return JSONText.object(members)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// The Woo workflow over an archive workspace, from a registered request to a redacted, publishable disclosure:
///
/// 1. ``register(_:actor:)``: the request, its deadline, its hold (from the day of receipt) and its verzameling (every
///    copy in scope, one document per mail and per attachment, with family, thread and duplicate links);
/// 2. ``review(_:documents:_:actor:)``: relevant or not, the assessment, grounds and a note per document; duplicates
///    and near-duplicates follow the document they duplicate;
/// 3. ``scan(_:documents:again:access:)`` stores the recognisers' suggestions; ``decideRedactions(_:ids:accept:note:actor:)``
///    and ``addRedaction(_:document:text:field:ground:note:actor:)`` record a person's decisions;
/// 4. ``produce(_:into:zip:access:)`` writes the publishable folder (PDFs with the redactions burned in, the
///    inventarislijst as XLSX and CSV, a manifest with SHA-256 sums);
/// 5. ``extend(_:reason:actor:)`` and ``close(_:decisionDate:type:actor:)``: the deadline, the decision, and the hold
///    through the objection period.
///
/// Every state change appends an audit entry in its own transaction; every read of a document's content writes an
/// access-log entry with the request as its reason. Nothing here prints: the CLI and the web pages call these
/// functions and show what they return.
public struct WooWorkflow: Sendable {
    public let workspace: Workspace
    public let policy: Policy

    public init(workspace: Workspace, policy: Policy) {
        self.workspace = workspace
        self.policy = policy
    }

    /// Today on the workspace's clock (Amsterdam).
    var today: CivilDate { AmsterdamTime.date(of: Instant(workspace.clock.now())) }
    var nowText: String { ISOTimestamp.format(workspace.clock.now()) }

    // MARK: Catalog access

    func read<T>(_ body: (Database) throws -> T) throws(WooWorkflowError) -> T {
        do { return try workspace.catalog.read(body) } catch let e as WooWorkflowError { throw e } catch { throw .archive("\(error)") }
    }

    func write<T>(_ body: (Database) throws -> T) throws(WooWorkflowError) -> T {
        do { return try workspace.catalog.write(body) } catch let e as WooWorkflowError { throw e } catch { throw .archive("\(error)") }
    }

    /// Steps of a request are taken by a registered person (the Woo coordinator or a gemachtigde), named in the audit trail.
    func requirePerson(_ actor: Actor) throws(WooWorkflowError) {
        guard actor.personId != nil else {
            throw .refused("a step of a Woo request is taken by a registered person: give their person id (--by P0007)")
        }
    }

    /// The Woo grounds list (shipped as data).
    func groundsList() throws(WooWorkflowError) -> WooGrounds {
        do { return try WooGrounds.shipped() } catch { throw .archive(error.description) }
    }

    // MARK: Requests

    /// Every request, newest receipt first.
    public func requests() throws(WooWorkflowError) -> [WooRequest] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM wooRequest ORDER BY received DESC, zaaknummer").map(Self.request(_:)) }
    }

    /// The request with this zaaknummer.
    public func request(_ zaaknummer: String) throws(WooWorkflowError) -> WooRequest {
        try read { db in try Self.request(db, zaaknummer) }
    }

    static func request(_ db: Database, _ zaaknummer: String) throws -> WooRequest {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM wooRequest WHERE zaaknummer = ?", arguments: [zaaknummer]) else {
            throw WooWorkflowError.notFound("Woo request '\(SafeText.terminal(String(zaaknummer.prefix(60))))' "
                + "(see `sluitsteen woo list` for the registered requests)")
        }
        return try request(row)
    }

    static func request(_ row: Row) throws -> WooRequest {
        let scope = try JSONDecoder().decode(WooScope.self, from: Data((row["scopeJSON"] as String).utf8))
        return WooRequest(
            zaaknummer: row["zaaknummer"], holdId: row["holdId"], title: row["title"], received: CivilDate(iso: row["received"])!,
            deadline: CivilDate(iso: row["deadline"])!, extendedOn: (row["extendedOn"] as String?).flatMap { CivilDate(iso: $0) },
            extensionReason: row["extensionReason"], scope: scope,
            status: WooRequestStatus(rawValue: row["status"]) ?? .open,
            decisionDate: (row["decisionDate"] as String?).flatMap { CivilDate(iso: $0) },
            decisionType: (row["decisionType"] as String?).flatMap { WooDecisionType(rawValue: $0) },
            holdUntil: (row["holdUntil"] as String?).flatMap { CivilDate(iso: $0) },
            createdAt: row["createdAt"], createdBy: row["createdBy"])
    }

    // MARK: Documents

    /// The documents of the verzameling, by number.
    public func documents(_ zaaknummer: String) throws(WooWorkflowError) -> [WooDocument] {
        try read { db in
            _ = try Self.request(db, zaaknummer)
            return try Self.documents(db, zaaknummer)
        }
    }

    /// One document.
    public func document(_ zaaknummer: String, _ number: Int) throws(WooWorkflowError) -> WooDocument {
        try read { db in try Self.document(db, zaaknummer, number) }
    }

    static func documents(_ db: Database, _ zaaknummer: String) throws -> [WooDocument] {
        try Row.fetchAll(db, sql: "SELECT * FROM wooDocument WHERE zaaknummer = ? ORDER BY number", arguments: [zaaknummer])
            .map(Self.document(_:))
    }

    static func document(_ db: Database, _ zaaknummer: String, _ number: Int) throws -> WooDocument {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM wooDocument WHERE zaaknummer = ? AND number = ?",
                                         arguments: [zaaknummer, number]) else {
            _ = try request(db, zaaknummer)
            throw WooWorkflowError.notFound("document \(WooDocument.id(number)) of Woo request \(zaaknummer) "
                + "(see `sluitsteen woo documents \(zaaknummer)`)")
        }
        return document(row)
    }

    static func document(_ row: Row) -> WooDocument {
        let grounds = JSONText.decodeArray(row["groundsJSON"])
        let review = WooReview(relevant: (row["relevant"] as Int?).map { $0 != 0 },
                               assessment: (row["assessment"] as String?).flatMap { WooAssessment(rawValue: $0) },
                               grounds: grounds, note: row["note"], suspended: (row["suspended"] as Int) != 0,
                               publicLink: row["publicLink"], reviewedAt: row["reviewedAt"], reviewedBy: row["reviewedBy"])
        return WooDocument(
            number: row["number"], kind: WooDocumentKind(rawValue: row["kind"]) ?? .email, family: row["family"], thread: row["thread"],
            copyId: row["copyId"], mailbox: row["mailbox"], sha256: row["sha256"], messageId: row["messageId"], date: row["date"],
            dateEpoch: row["dateEpoch"], title: row["title"], fileType: row["fileType"], mimeType: row["mimeType"],
            attachmentIndex: row["attachmentIndex"], extractionIndex: row["extractionIndex"], follows: row["follows"],
            relation: (row["relation"] as String?).flatMap { WooRelation(rawValue: $0) }, review: review,
            scannedAt: row["scannedAt"], problem: row["problem"], conversationId: row["conversationId"])
    }

    /// The review that counts for `document`: its own, or (for a duplicate or near-duplicate) the one of the document it
    /// follows. `all` is the request's documents by number.
    public static func effectiveReview(of document: WooDocument, in all: [Int: WooDocument]) -> WooReview {
        var current = document
        var seen: Set<Int> = [document.number]
        while let next = current.follows, let master = all[next], seen.insert(next).inserted { current = master }
        return current.review
    }

    /// The document whose review and redactions count for `document` (itself when it follows none).
    public static func master(of document: WooDocument, in all: [Int: WooDocument]) -> WooDocument {
        var current = document
        var seen: Set<Int> = [document.number]
        while let next = current.follows, let master = all[next], seen.insert(next).inserted { current = master }
        return current
    }

    // MARK: Redactions

    /// The redactions of a request (of one document, and of one status, when given), by document, field and start.
    public func redactions(_ zaaknummer: String, document: Int? = nil,
                           status: WooRedactionStatus? = nil) throws(WooWorkflowError) -> [WooRedactionRecord] {
        try read { db in
            _ = try Self.request(db, zaaknummer)
            return try Self.redactions(db, zaaknummer, document: document, status: status)
        }
    }

    static func redactions(_ db: Database, _ zaaknummer: String, document: Int? = nil,
                           status: WooRedactionStatus? = nil) throws -> [WooRedactionRecord] {
        var sql = "SELECT * FROM wooRedaction WHERE zaaknummer = ?"
        var args: [any DatabaseValueConvertible] = [zaaknummer]
        if let document { sql += " AND document = ?"; args.append(document) }
        if let status { sql += " AND status = ?"; args.append(status.rawValue) }
        sql += " ORDER BY document, id"
        let records = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).compactMap { row -> WooRedactionRecord? in
            guard let field = WooTextField(storedName: row["field"]), let status = WooRedactionStatus(rawValue: row["status"]) else {
                return nil
            }
            return WooRedactionRecord(id: row["id"], document: row["document"], field: field, start: row["start"], end: row["end"],
                                      text: row["text"], ground: row["ground"], kind: row["kind"], status: status, note: row["note"],
                                      createdAt: row["createdAt"], createdBy: row["createdBy"], decidedAt: row["decidedAt"],
                                      decidedBy: row["decidedBy"])
        }
        return records.sorted { ($0.document, $0.field, $0.start, $0.id) < ($1.document, $1.field, $1.start, $1.id) }
    }
}

/// Who reads a document's content, and in which role. Every read is decided by the access policy (``AccessPolicy``:
/// the Woo-coördinator reads what the request's hold covers, a gemachtigde what their designation covers; other roles
/// nothing) and recorded in the access log with the request as the reason.
public struct WooAccess: Sendable {
    public var actor: Actor
    /// The role they read in (the Woo coordinator, or a gemachtigde): from the sign-in (web) or the registers
    /// (``WooWorkflow/access(for:)``, the command line).
    public var role: ArchiveRole

    public init(actor: Actor, role: ArchiveRole = .wooCoordinator) {
        self.actor = actor
        self.role = role
    }
}

extension WooWorkflow {
    /// The register role that makes a person the Woo-coördinator (roles.csv).
    public static let coordinatorRole = ArchiveRole.wooCoordinator.rawValue

    /// The access of a registered person on the command line, from the registers and the designations: the
    /// Woo-coördinator when roles.csv gives them the role `woo-coordinator` today, a gemachtigde when they hold an
    /// active designation; anyone else is refused (bijlage 3 punt 9: archived mail only for the roles that need it).
    public func access(for actor: Actor) throws(WooWorkflowError) -> WooAccess {
        try requirePerson(actor)
        let person = actor.personId!
        let store = AccessStore(workspace: workspace)
        let policy: AccessPolicy
        do { policy = try store.policy(self.policy) } catch { throw .archive(error.description) }
        let today = today
        if policy.registers.roles(of: person).contains(where: { $0.role == Self.coordinatorRole && $0.period.contains(today) }) {
            return WooAccess(actor: actor, role: .wooCoordinator)
        }
        if policy.delegations.contains(where: { $0.delegate == person && $0.isActive(on: today) }) {
            return WooAccess(actor: actor, role: .gemachtigde)
        }
        throw .refused("\(actor.documentText) is not the Woo-coördinator (role \(Self.coordinatorRole) in roles.csv today) and holds no "
            + "active designation (made on the web page /woo): reading archived mail for a Woo request is for them")
    }

    /// A reader of the request's documents, with the access policy in force today and whether the hold still applies.
    func reader(_ request: WooRequest, _ docs: [WooDocument]) throws(WooWorkflowError) -> DocumentReader {
        let accessPolicy: AccessPolicy
        let hold: WooHold?
        do {
            accessPolicy = try AccessStore(workspace: workspace).policy(policy)
            hold = try RetentionStore(workspace: workspace).holds().first { $0.id == request.holdId }
        } catch { throw .archive(error.description) }
        return DocumentReader(workflow: self, request: request, documents: docs, accessPolicy: accessPolicy,
                              holdActive: hold?.isActive(on: today) == true)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

extension ListStatus: DatabaseValueConvertible {}
extension ListKind: DatabaseValueConvertible {}

/// One row of `destructionList`: a vernietigingslijst or opt-out purge run, column for column. The destruction stage
/// owns the table; the rest of it reads ``DestructionList``.
struct DestructionListRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "destructionList"

    var id: String
    var kind: ListKind
    var status: ListStatus
    var asOf: String
    var asOfEpoch: Int64
    var mailboxesJSON: String
    var policyName: String
    var policySource: String
    var approvalsJSON: String
    var bedenktijd: String
    var legalGround: String
    var selectielijst: String
    var archiefvormer: String
    var archiefvormerTooi: String
    var proposedAt: String
    var proposedBy: String
    var withSubjects: Bool
    var categoriesJSON: String
    var itemListSHA256: String?
    var approvedAt: String?
    var approvedEpoch: Int64?
    var closedAt: String?
    var closedBy: String?
    var closeReason: String?
    var executionAsOf: String?
    var executionAsOfEpoch: Int64?
    var executionStartedAt: String?
    var executedAt: String?
    var executedBy: String?
    var auditAnchorSeq: Int64?
    var auditAnchorHash: String?
    var verklaringHtml: String?
    var verklaringJson: String?
    var verklaringSHA256: String?
    var roleNamesJSON: String
    /// The policy's version at proposal (`[policy] version`; migration v17, nil for lists proposed before or without one).
    var policyVersion: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let status = Column(CodingKeys.status)
        static let proposedAt = Column(CodingKeys.proposedAt)
        static let withSubjects = Column(CodingKeys.withSubjects)
        static let itemListSHA256 = Column(CodingKeys.itemListSHA256)
        static let approvedAt = Column(CodingKeys.approvedAt)
        static let approvedEpoch = Column(CodingKeys.approvedEpoch)
        static let closedAt = Column(CodingKeys.closedAt)
        static let closedBy = Column(CodingKeys.closedBy)
        static let closeReason = Column(CodingKeys.closeReason)
        static let executionAsOf = Column(CodingKeys.executionAsOf)
        static let executionAsOfEpoch = Column(CodingKeys.executionAsOfEpoch)
        static let executionStartedAt = Column(CodingKeys.executionStartedAt)
        static let executedAt = Column(CodingKeys.executedAt)
        static let executedBy = Column(CodingKeys.executedBy)
        static let auditAnchorSeq = Column(CodingKeys.auditAnchorSeq)
        static let auditAnchorHash = Column(CodingKeys.auditAnchorHash)
        static let verklaringHtml = Column(CodingKeys.verklaringHtml)
        static let verklaringJson = Column(CodingKeys.verklaringJson)
        static let verklaringSHA256 = Column(CodingKeys.verklaringSHA256)
    }

    /// The row of a new list or purge run: as proposed (or started), nothing approved, closed or executed yet.
    init(id: String, kind: ListKind, status: ListStatus, asOf: CivilDate, asOfEpoch: Int64, mailboxes: [String], policyName: String,
         policySource: String, approvals: [String], bedenktijd: String, legalGround: String, selectielijst: String,
         archiefvormer: Archiefvormer, proposedAt: String, proposedBy: String, withSubjects: Bool, categoriesJSON: String,
         roleNamesJSON: String, policyVersion: String? = nil) {
        self.policyVersion = policyVersion
        self.id = id
        self.kind = kind
        self.status = status
        self.asOf = asOf.iso
        self.asOfEpoch = asOfEpoch
        mailboxesJSON = JSONText.array(mailboxes)
        self.policyName = policyName
        self.policySource = policySource
        approvalsJSON = JSONText.array(approvals)
        self.bedenktijd = bedenktijd
        self.legalGround = legalGround
        self.selectielijst = selectielijst
        self.archiefvormer = archiefvormer.name
        archiefvormerTooi = archiefvormer.tooi
        self.proposedAt = proposedAt
        self.proposedBy = proposedBy
        self.withSubjects = withSubjects
        self.categoriesJSON = categoriesJSON
        self.roleNamesJSON = roleNamesJSON
    }

    /// The list as the rest of the stage reads it.
    var list: DestructionList {
        DestructionList(
            id: id, kind: kind, status: status, asOf: asOf, mailboxes: JSONText.decodeArray(mailboxesJSON), policyName: policyName,
            policySource: policySource, approvalsRequired: JSONText.decodeArray(approvalsJSON),
            bedenktijd: ISODuration(iso: bedenktijd) ?? ISODuration(days: 7), legalGround: legalGround, selectielijst: selectielijst,
            archiefvormer: Archiefvormer(name: archiefvormer, tooi: archiefvormerTooi), proposedAt: proposedAt, proposedBy: proposedBy,
            withSubjects: withSubjects,
            categoryTexts: (try? JSONDecoder().decode([CategoryText].self, from: Data(categoriesJSON.utf8))) ?? [],
            itemListSHA256: itemListSHA256, approvedAt: approvedAt, approvedEpoch: approvedEpoch, closedAt: closedAt, closedBy: closedBy,
            closeReason: closeReason, executionAsOf: executionAsOf, executionAsOfEpoch: executionAsOfEpoch,
            executionStartedAt: executionStartedAt, executedAt: executedAt, executedBy: executedBy, auditAnchorSeq: auditAnchorSeq,
            auditAnchorHash: auditAnchorHash, verklaringHtml: verklaringHtml, verklaringJson: verklaringJson,
            verklaringSHA256: verklaringSHA256,
            roleNames: (try? JSONDecoder().decode([String: String].self, from: Data(roleNamesJSON.utf8))) ?? [:],
            policyVersion: policyVersion)
    }
}

extension DestructionListRecord {
    private static func list(_ id: String) -> QueryInterfaceRequest<DestructionListRecord> { filter(Columns.id == id) }

    /// The list with this id, if any.
    static func find(_ db: Database, id: String) throws -> DestructionList? { try list(id).fetchOne(db)?.list }

    /// Every list and purge run, newest first.
    static func all(_ db: Database) throws -> [DestructionList] {
        try order(Columns.proposedAt.desc, Columns.id.desc).fetchAll(db).map(\.list)
    }

    /// The purge runs an interruption left executing, by id.
    static func unfinishedPurges(_ db: Database) throws -> [DestructionList] {
        try filter(Columns.kind == ListKind.optOutPurge && Columns.status == ListStatus.executing).order(Columns.id).fetchAll(db).map(\.list)
    }

    /// The ids of the lists proposed with subjects.
    static func idsWithSubjects(_ db: Database) throws -> [String] {
        try filter(Columns.withSubjects == true).order(Columns.id).select(Columns.id, as: String.self).fetchAll(db)
    }

    /// The next id with `prefix` (`VL-2033-` gives `VL-2033-001`, `VL-2033-002`, …).
    static func nextId(_ db: Database, prefix: String) throws -> String {
        let n = try filter(Columns.id.like(prefix + "%")).fetchCount(db) + 1
        return prefix + String(format: "%03d", n)
    }

    /// The status of list `id`, if there is one.
    static func status(_ db: Database, id: String) throws -> ListStatus? {
        try list(id).select(Columns.status, as: ListStatus.self).fetchOne(db)
    }

    /// Records the last approval: the list is approved, its bedenktijd runs from `at`, its item list is fixed by `sha256`.
    static func approve(_ db: Database, id: String, at: String, epoch: Int64, itemListSHA256: String) throws {
        try list(id).updateAll(db, [Columns.status.set(to: ListStatus.approved), Columns.approvedAt.set(to: at),
                                    Columns.approvedEpoch.set(to: epoch), Columns.itemListSHA256.set(to: itemListSHA256)])
    }

    /// Closes the list (rejected or cancelled).
    static func close(_ db: Database, id: String, status: ListStatus, at: String, by: String, reason: String?) throws {
        try list(id).updateAll(db, [Columns.status.set(to: status), Columns.closedAt.set(to: at), Columns.closedBy.set(to: by),
                                    Columns.closeReason.set(to: reason)])
    }

    /// Records the start of the execution: as of which moment, by whom, and the audit entry that anchors it.
    static func startExecution(_ db: Database, id: String, asOf: CivilDate, asOfEpoch: Int64, at: String, by: String,
                               anchor: AuditEntry) throws {
        try list(id).updateAll(db, [
            Columns.status.set(to: ListStatus.executing), Columns.executionAsOf.set(to: asOf.iso), Columns.executionAsOfEpoch.set(to: asOfEpoch),
            Columns.executionStartedAt.set(to: at), Columns.executedBy.set(to: by), Columns.auditAnchorSeq.set(to: anchor.seq),
            Columns.auditAnchorHash.set(to: anchor.hash),
        ])
    }

    /// Records a list's execution as finished, with its verklaring; only a list still executing is. Returns whether it was.
    static func finishExecution(_ db: Database, id: String, at: String, verklaringHtml: String, verklaringJson: String,
                                verklaringSHA256: String) throws -> Bool {
        try filter(Columns.id == id && Columns.status == ListStatus.executing).updateAll(db, [
            Columns.status.set(to: ListStatus.executed), Columns.executedAt.set(to: at), Columns.verklaringHtml.set(to: verklaringHtml),
            Columns.verklaringJson.set(to: verklaringJson), Columns.verklaringSHA256.set(to: verklaringSHA256),
        ]) == 1
    }

    /// Records a purge run as finished.
    static func finishPurge(_ db: Database, id: String, at: String) throws {
        try list(id).updateAll(db, [Columns.status.set(to: ListStatus.executed), Columns.executedAt.set(to: at)])
    }
}

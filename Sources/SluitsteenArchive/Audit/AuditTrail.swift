// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenHashing

/// The kind of a state change, mapped to a PREMIS event type so the trail can be read by preservation systems.
public enum AuditKind: String, Sendable, CaseIterable, Codable {
    case ingest, registerImport = "register-import", policyChange = "policy-change", optOut = "opt-out"
    case optOutPurge = "opt-out-purge", hotspot, hold, listProposal = "list-proposal", listExclusion = "list-exclusion"
    case listApproval = "list-approval", listRejection = "list-rejection", listCancellation = "list-cancellation"
    case destruction, export, transferConfirmation = "transfer-confirmation", workspace

    /// The PREMIS 3 event type (id.loc.gov/vocabulary/preservation/eventType) this kind records.
    public var premisEventType: String {
        switch self {
        case .ingest: return "ingestion"
        case .registerImport, .policyChange, .hotspot, .optOut, .hold: return "appraisal"
        case .listProposal, .listExclusion, .listApproval, .listRejection, .listCancellation: return "appraisal"
        case .destruction, .optOutPurge: return "deletion"
        case .export: return "transfer"
        case .transferConfirmation: return "accession"
        case .workspace: return "creation"
        }
    }
}

/// One entry of the audit trail: who did what, when, to which objects, with what outcome, chained to the
/// previous entry by its SHA-256.
public struct AuditEntry: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    public var seq: Int64
    public var at: String
    public var actor: String
    public var command: String
    public var kind: String
    public var premisEventType: String
    public var objectIds: String
    public var outcome: String
    public var previousHash: String
    public var hash: String

    public static let databaseTableName = "auditEntry"

    /// The canonical text hashed for this entry: every field but `hash`, tab-separated, in a fixed order.
    public var canonicalText: String {
        [String(seq), at, actor, command, kind, premisEventType, objectIds, outcome, previousHash]
            .map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n") }
            .joined(separator: "\t")
    }
}

/// A break found by ``AuditTrail/verify(_:)``: the first entry whose chain does not hold.
public struct AuditBreak: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let reason: String
    public var description: String { "audit trail broken at entry \(seq): \(reason)" }
}

/// The tamper-evident audit trail: an append-only hash chain in the catalog.
///
/// Every state-changing command appends through ``append(_:kind:command:actor:objectIds:outcome:at:)`` inside the
/// same transaction as its change, so an entry exists exactly when the change does.
public enum AuditTrail {
    /// The hash that the first entry chains to.
    public static let genesis = String(repeating: "0", count: 64)

    /// Appends an entry inside the caller's write transaction.
    @discardableResult
    public static func append(_ db: Database, kind: AuditKind, command: String, actor: String, objectIds: [String],
                              outcome: String, at: Date) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditEntry ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let previous: String = last?["hash"] ?? genesis
        var entry = AuditEntry(seq: seq, at: ISOTimestamp.format(at), actor: actor, command: command, kind: kind.rawValue,
                               premisEventType: kind.premisEventType, objectIds: objectIds.joined(separator: " "),
                               outcome: outcome, previousHash: previous, hash: "")
        entry.hash = Digest.hex(Data(entry.canonicalText.utf8))
        try entry.insert(db)
        return entry
    }

    /// Checks the whole chain. Returns nil when intact, else the first break (edited, removed, inserted or
    /// reordered entries all break the chain or the numbering).
    public static func verify(_ db: Database) throws -> (checked: Int, firstBreak: AuditBreak?) {
        var expectedPrevious = genesis
        var expectedSeq: Int64 = 1
        var checked = 0
        let cursor = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM auditEntry ORDER BY seq")
        while let entry = try cursor.next() {
            checked += 1
            if entry.seq != expectedSeq {
                return (checked, AuditBreak(seq: entry.seq, reason: entry.seq > expectedSeq
                    ? "entries \(expectedSeq)–\(entry.seq - 1) are missing" : "entry number out of order"))
            }
            if entry.previousHash != expectedPrevious {
                return (checked, AuditBreak(seq: entry.seq, reason: "it does not chain to the entry before it (removed, inserted or reordered entry)"))
            }
            if Digest.hex(Data(entry.canonicalText.utf8)) != entry.hash {
                return (checked, AuditBreak(seq: entry.seq, reason: "its content was changed after it was written"))
            }
            expectedPrevious = entry.hash
            expectedSeq += 1
        }
        return (checked, nil)
    }

    /// Entries in order, optionally since an instant and of one kind.
    public static func entries(_ db: Database, since: Date? = nil, kind: AuditKind? = nil) throws -> [AuditEntry] {
        var sql = "SELECT * FROM auditEntry WHERE 1"
        var args: [any DatabaseValueConvertible] = []
        if let since { sql += " AND at >= ?"; args.append(ISOTimestamp.format(since)) }
        if let kind { sql += " AND kind = ?"; args.append(kind.rawValue) }
        sql += " ORDER BY seq"
        return try AuditEntry.fetchAll(db, sql: sql, arguments: StatementArguments(args))
    }
}

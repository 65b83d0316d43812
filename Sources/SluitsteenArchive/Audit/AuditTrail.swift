// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenHashing
import SluitsteenSupport

/// The kind of a state change, mapped to a PREMIS event type so the trail can be read by preservation systems.
public enum AuditKind: String, Sendable, CaseIterable, Codable {
    case ingest, registerImport = "register-import", policyChange = "policy-change", optOut = "opt-out"
    case optOutPurge = "opt-out-purge", hotspot, hold, listProposal = "list-proposal", listExclusion = "list-exclusion"
    case listApproval = "list-approval", listRejection = "list-rejection", listCancellation = "list-cancellation"
    case destruction, export, transferConfirmation = "transfer-confirmation", workspace
    /// An ingest batch withdrawn (`ingest undo`).
    case ingestWithdrawal = "ingest-withdrawal"
    /// A transfer package withdrawn before the e-depot accepted it (`transfer withdraw`).
    case transferWithdrawal = "transfer-withdrawal"
    /// A read of archived mail's content (who, role, which copy, on what ground, why).
    case access
    /// A designation of a gemachtigde, or its withdrawal.
    case delegation
    /// A sign-in to the web service (`serve`), or a refused one (the outcome says which).
    case signIn = "sign-in"
    /// A sign-out from the web service, or the end of a session.
    case signOut = "sign-out"
    /// A step of a Woo request: registered, reviewed, redaction decided, extended, closed, settings changed.
    case woo
    /// A Woo production: the redacted, publishable set written for a request.
    case wooProduction = "woo-production"
    /// A chat export taken in under a hotspot or a Woo request (`chat ingest`).
    case chatIngest = "chat-ingest"
    /// Private messages stripped from a conversation before its hand-over (how many, never which).
    case chatStrip = "chat-strip"
    /// A conversation handed over to DIV: read-only from then on.
    case chatHandover = "chat-handover"
    /// What the store's recovery did when a command took the store lock after an interrupted one: whole pack entries
    /// listed again, an incomplete tail cut off, damaged unlisted entries found (counts and packs only).
    case storeRecovery = "store-recovery"
    /// The one-file store of earlier versions converted into pack files (`store migrate`).
    case storeMigration = "store-migration"

    /// The PREMIS 3 event type (id.loc.gov/vocabulary/preservation/eventType) this kind records.
    public var premisEventType: String {
        switch self {
        case .ingest, .chatIngest: return "ingestion"
        case .chatStrip: return "redaction"
        case .chatHandover: return "accession"
        case .registerImport, .policyChange, .hotspot, .optOut, .hold: return "appraisal"
        case .listProposal, .listExclusion, .listApproval, .listRejection, .listCancellation: return "appraisal"
        case .destruction, .optOutPurge, .ingestWithdrawal: return "deletion"
        case .export, .transferWithdrawal: return "transfer"
        case .transferConfirmation: return "accession"
        case .workspace: return "creation"
        case .access: return "displaying"
        case .delegation: return "appraisal"
        // PREMIS has no event type for authentication; a sign-in validates who acts on the archive.
        case .signIn, .signOut: return "validation"
        case .woo: return "appraisal"
        case .wooProduction: return "dissemination"
        case .storeRecovery: return "recovery"
        case .storeMigration: return "migration"
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
    /// The clock that dated the entry (`system` or `replayed`); nil for entries written before it was recorded.
    public var clock: String?

    public static let databaseTableName = "auditEntry"

    public enum Columns {
        public static let seq = Column(CodingKeys.seq)
        public static let at = Column(CodingKeys.at)
        public static let kind = Column(CodingKeys.kind)
        public static let hash = Column(CodingKeys.hash)
    }

    /// The canonical text hashed for this entry: every field but `hash`, tab-separated, in a fixed order (the clock
    /// last, when it was recorded, so that entries written before it keep their hash).
    public var canonicalText: String {
        ([String(seq), at, actor, command, kind, premisEventType, objectIds, outcome, previousHash] + (clock.map { [$0] } ?? []))
            .map {
                $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
                    .replacingOccurrences(of: "\n", with: "\\n")
            }
            .joined(separator: "\t")
    }
}

/// A break found by ``AuditTrail/verify(_:)``: the first entry whose chain does not hold.
public struct AuditBreak: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let reason: String
    public var description: String { "audit trail broken at entry \(seq): \(reason)" }
}

/// An entry dated earlier than an entry before it, by more than ``AuditTrail/timeTolerance``: the clock was set back
/// (or replayed) between them.
public struct AuditTimeFinding: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let at: String
    /// The latest time of the entries before it, and the entry that had it.
    public let latestBefore: String
    public let latestSeq: Int64
    public var description: String {
        "entry \(seq) is dated \(at), earlier than entry \(latestSeq) (\(latestBefore)): the clock ran backwards between them"
    }
}

/// What ``AuditTrail/verify(_:)`` found.
public struct AuditCheck: Sendable, Equatable {
    /// Entries checked.
    public var checked: Int
    /// The first break of the hash chain, if any.
    public var firstBreak: AuditBreak?
    /// Entries whose time runs backwards.
    public var timeFindings: [AuditTimeFinding]
    /// Entries dated by a replayed clock (a demo/test archive).
    public var replayedEntries: Int
    /// True when the chain holds and no time runs backwards.
    public var isClean: Bool { firstBreak == nil && timeFindings.isEmpty }
}

/// The tamper-evident audit trail: an append-only hash chain in the catalog.
///
/// Every state-changing command appends through ``append(_:kind:command:actor:objectIds:outcome:)`` inside the same
/// transaction as its change, so an entry exists exactly when the change does. The entry is dated by the trail's
/// clock at the moment it is appended (inside the write transaction, so entries are in time order), and records
/// which clock that was.
public struct AuditTrail: Sendable {
    /// The hash that the first entry chains to.
    public static let genesis = String(repeating: "0", count: 64)
    /// How far an entry may be dated before an earlier one without a finding (the system clock may be corrected by
    /// a few seconds; two minutes is far more than that).
    public static let timeTolerance: TimeInterval = 120

    /// The clock that dates new entries.
    public let clock: WorkspaceClock

    public init(clock: WorkspaceClock) { self.clock = clock }

    /// Appends an entry inside the caller's write transaction.
    @discardableResult
    public func append(_ db: Database, kind: AuditKind, command: String, actor: String, objectIds: [String],
                       outcome: String) throws -> AuditEntry {
        let last = try AuditEntry.select(AuditEntry.Columns.seq, AuditEntry.Columns.hash).order(AuditEntry.Columns.seq.desc)
            .asRequest(of: Row.self).fetchOne(db)
        let seq: Int64 = (last?[0] as Int64? ?? 0) + 1
        let previous: String = last?[1] ?? Self.genesis
        var entry = AuditEntry(seq: seq, at: ISOTimestamp.format(clock.now()), actor: actor, command: command, kind: kind.rawValue,
                               premisEventType: kind.premisEventType, objectIds: objectIds.joined(separator: " "),
                               outcome: outcome, previousHash: previous, hash: "", clock: clock.kind.rawValue)
        entry.hash = Digest.hex(Data(entry.canonicalText.utf8))
        try entry.insert(db)
        return entry
    }

    /// Checks the whole chain, and that no entry is dated before an earlier one. Edited, removed, inserted or
    /// reordered entries all break the chain or the numbering; the first break is reported.
    public static func verify(_ db: Database) throws -> AuditCheck {
        var expectedPrevious = genesis
        var expectedSeq: Int64 = 1
        var check = AuditCheck(checked: 0, firstBreak: nil, timeFindings: [], replayedEntries: 0)
        var latest: (seq: Int64, at: String, date: Date)? = nil
        let cursor = try AuditEntry.order(AuditEntry.Columns.seq).fetchCursor(db)
        while let entry = try cursor.next() {
            check.checked += 1
            if entry.seq != expectedSeq {
                check.firstBreak = AuditBreak(seq: entry.seq, reason: entry.seq > expectedSeq
                    ? "entries \(expectedSeq)–\(entry.seq - 1) are missing" : "entry number out of order")
                return check
            }
            if entry.previousHash != expectedPrevious {
                check.firstBreak = AuditBreak(seq: entry.seq,
                                              reason: "it does not chain to the entry before it (removed, inserted or reordered entry)")
                return check
            }
            if Digest.hex(Data(entry.canonicalText.utf8)) != entry.hash {
                check.firstBreak = AuditBreak(seq: entry.seq, reason: "its content was changed after it was written")
                return check
            }
            if entry.clock == ClockKind.replayed.rawValue { check.replayedEntries += 1 }
            if let date = ISOTimestamp.parse(entry.at) {
                if let l = latest, date.timeIntervalSince(l.date) < -timeTolerance {
                    check.timeFindings.append(AuditTimeFinding(seq: entry.seq, at: entry.at, latestBefore: l.at, latestSeq: l.seq))
                }
                if latest == nil || date > latest!.date { latest = (entry.seq, entry.at, date) }
            }
            expectedPrevious = entry.hash
            expectedSeq += 1
        }
        return check
    }

    /// Entries in order, optionally since an instant and of one kind.
    public static func entries(_ db: Database, since: Date? = nil, kind: AuditKind? = nil) throws -> [AuditEntry] {
        var request = AuditEntry.order(AuditEntry.Columns.seq)
        if let since { request = request.filter(AuditEntry.Columns.at >= ISOTimestamp.format(since)) }
        if let kind { request = request.filter(AuditEntry.Columns.kind == kind.rawValue) }
        return try request.fetchAll(db)
    }

    /// Whether the trail has no entry yet.
    public static func isEmpty(_ db: Database) throws -> Bool { try AuditEntry.fetchCount(db) == 0 }

    /// Whether the trail has an entry of `kind`.
    public static func hasEntry(_ db: Database, kind: AuditKind) throws -> Bool {
        try AuditEntry.filter(AuditEntry.Columns.kind == kind.rawValue).fetchCount(db) > 0
    }
}

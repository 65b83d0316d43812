// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenIndex
import SluitsteenPolicy
import SluitsteenSupport

/// A message copy with the facts the retention stage and its users (plan, destroy, export) need.
public struct CopyFacts: Sendable, Equatable {
    public var copyId: Int64
    public var mailbox: String
    public var sha256: String
    public var size: Int64
    public var messageId: String
    /// Message date, ISO 8601 with the offset it was written in.
    public var date: String?
    public var dateEpoch: Int64?
    public var capturedEpoch: Int64
    public var folder: String
    /// Present or transferred (decisions are made only for copies still in the archive).
    public var state: CopyState
}

/// One copy and its decision.
public struct DecidedCopy: Sendable {
    public var copy: CopyFacts
    public var decision: Decision
}

/// Decides, as of a moment, what the policy requires for every message copy in the archive.
///
/// It loads the registers, hotspots, Woo holds and opt-out marks once, finds the messages that hold hotspot and
/// hold terms through its ``textHitSource`` (the full-text index, confirmed with the policy's own
/// ``TextMatcher``), and then streams the copies through the pure ``DecisionContext/decide(_:explain:)``: memory
/// does not grow with the archive.
///
/// Deciding only reads. The full-text index is derived data that can lag behind the store (messages captured since
/// it was last brought up to date are not in it yet): a caller that matches terms brings it up to date first, at the
/// call site, with ``prepareTextIndex()`` or ``prepareTextIndexForTerms()``.
public struct RetentionEngine: Sendable {
    public let workspace: Workspace
    public let policy: Policy
    /// Where the messages holding hotspot and hold terms are found: the full-text index unless a test says otherwise.
    public var textHitSource: any TextHitSource = TextIndex()
    /// Told how the full-text index catches up in ``prepareTextIndex()`` (a command may show a progress line).
    public var indexProgress: @Sendable (TextIndexProgress) -> Void = { _ in }

    public init(workspace: Workspace, policy: Policy) {
        self.workspace = workspace
        self.policy = policy
    }

    /// The decision context as of `asOf`. Without imported registers every copy is `unclassified`.
    public func context(asOf: Instant) throws(RetentionError) -> DecisionContext {
        let store = RetentionStore(workspace: workspace)
        let registers = try store.registers() ?? Registers()
        return DecisionContext(policy: policy, registers: RegisterIndex(registers, policy: policy), hotspots: try store.hotspots(),
                               holds: try store.holds(), marks: try store.optOutMarks(), asOf: asOf)
    }

    /// Decides every copy that is still in the archive (state `present` or `transferred`), optionally only in the
    /// given mailboxes, in catalog order (mailbox, folder, position). Transferred copies get the action
    /// `transferred`.
    public func forEachDecision(asOf: Instant, mailboxes: [String]? = nil, explain: Bool = false,
                                _ body: (DecidedCopy) throws -> Void) throws(RetentionError) {
        let context = try context(asOf: asOf)
        // The text hits first, in a read of their own: a reader started before them would hold a second connection's
        // page cache (64 MB) at the same time.
        let reading = DecisionReading(context: context, hits: try textHits(context))
        let needsAddresses = reading.needsAddresses
        // Two stages on the two cores: a reader thread steps through the catalog's rows, in batches, while this
        // thread turns them into facts, decides them and hands them to `body` in catalog order. At most four batches
        // are in flight. (The reader is the slower stage: SQLite's work is most of a plan, so the facts, and the
        // strings of the message's texts, are made on this side.)
        let catalog = workspace.catalog
        let reader = PipelineReader<CopyDecisionBatch, Void, RetentionError>(name: "sluitsteen.decide.read", readAhead: 4) {
            emit throws(RetentionError) in
            try catalog.scan(throwing: RetentionError.self) { db in
                var cursor = try CopyDecisionRow.fetchCursor(db, mailboxes: mailboxes, addresses: needsAddresses)
                var batch = CopyDecisionBatch(capacity: 2048)
                while try cursor.next(into: &batch) {
                    if batch.count == 2048 {
                        guard emit(batch) else { return }
                        batch = CopyDecisionBatch(capacity: 2048)
                    }
                }
                if batch.count > 0 { _ = emit(batch) }
            }
        }
        do {
            while let batch = reader.next() {
                for i in 0..<batch.count {
                    let (facts, copy) = reading.facts(batch.row(i))
                    var decision = context.decide(copy, explain: explain)
                    if facts.state == .transferred { decision = decision.transferred() }
                    try body(DecidedCopy(copy: facts, decision: decision))
                }
            }
        } catch {
            reader.cancel()
            throw (error as? RetentionError) ?? .handler(error)
        }
        try reader.finish()
    }

    /// Decides the given copies (by id) as of `asOf`, with the steps that explain each decision when `explain` is
    /// set; copies no longer in the archive are absent from the result. Reads the full-text index as it is (see
    /// ``prepareTextIndex()``).
    public func decide(copyIds: Set<Int64>, asOf: Instant, explain: Bool = false) throws(RetentionError) -> [Int64: DecidedCopy] {
        try workspace.catalog.read(throwing: RetentionError.self) { db in try decide(copyIds: copyIds, asOf: asOf, explain: explain, in: db) }
    }

    /// Brings the full-text index up to date (messages captured since the last run), so that the decisions after it
    /// see every term of a hotspot or hold. It writes the index: commands call it where they say they do.
    public func prepareTextIndex() throws(RetentionError) {
        do throws(ArchiveError) { try TextIndexer(workspace: workspace).run(progress: indexProgress) } catch { throw .archive(error) }
    }

    /// ``prepareTextIndex()`` when a hotspot or Woo hold has terms or zaak numbers (else the index is not read, and
    /// not brought up to date): what plan, explain, export and the destruction proposals do before they decide.
    public func prepareTextIndexForTerms() throws(RetentionError) {
        if try matchesTerms() { try prepareTextIndex() }
    }

    /// Whether a hotspot or Woo hold has terms or zaak numbers to find in the messages' text.
    public func matchesTerms() throws(RetentionError) -> Bool {
        let store = RetentionStore(workspace: workspace)
        if try store.hotspots().contains(where: { $0.criteria.hasTextCriteria }) { return true }
        return try store.holds().contains { $0.criteria.hasTextCriteria }
    }

    /// Decides the given copies as of `asOf` inside the caller's transaction: the registers, hotspots, Woo holds and
    /// opt-out marks are read in `db`, so that whatever was committed before the transaction counts, and nothing can
    /// change them until it ends. Destruction calls this in the transaction that commits the deletion of each batch, so
    /// a hold recorded during an execution stops every item it covers that is not yet deleted. The full-text index
    /// must be up to date for these copies (``prepareTextIndex()``); copies no longer in the archive are absent.
    public func decide(copyIds: Set<Int64>, asOf: Instant, explain: Bool = false, in db: Database) throws -> [Int64: DecidedCopy] {
        guard !copyIds.isEmpty else { return [:] }
        let registers = try RetentionStore.registers(db) ?? Registers()
        let context = DecisionContext(policy: policy, registers: RegisterIndex(registers, policy: policy),
                                      hotspots: try RetentionStore.hotspots(db), holds: try RetentionStore.holds(db),
                                      marks: try RetentionStore.optOutMarks(db), asOf: asOf)
        let targets = Self.textTargets(context)
        let hits = targets.isEmpty ? [:] : try textHitSource.hits(for: targets, in: db, amongCopies: Array(copyIds))
        let reading = DecisionReading(context: context, hits: hits)
        var out: [Int64: DecidedCopy] = [:]
        var cursor = try CopyDecisionRow.fetchCursor(db, copyIds: copyIds, addresses: reading.needsAddresses)
        while let row = try cursor.next() {
            let (facts, copy) = reading.facts(row)
            var decision = context.decide(copy, explain: explain)
            if facts.state == .transferred { decision = decision.transferred() }
            out[facts.copyId] = DecidedCopy(copy: facts, decision: decision)
        }
        return out
    }

    /// For every hotspot and hold with terms or zaak numbers: the messages (by SHA-256) whose subject or text body
    /// contains one, as ``textHitSource`` finds them (it only reads).
    func textHits(_ context: DecisionContext) throws(RetentionError) -> [String: Set<TextHitKey>] {
        let targets = Self.textTargets(context)
        guard !targets.isEmpty else { return [:] }
        return try workspace.catalog.read(throwing: RetentionError.self) { db in try textHitSource.hits(for: targets, in: db, amongCopies: nil) }
    }

    private static func textTargets(_ context: DecisionContext) -> [TextTarget] {
        var targets: [TextTarget] = []
        for h in context.hotspots where h.criteria.hasTextCriteria {
            targets.append(TextTarget(key: h.textHitKey, matcher: h.criteria.textMatcher))
        }
        for h in context.holds where h.criteria.hasTextCriteria {
            targets.append(TextTarget(key: h.textHitKey, matcher: h.criteria.textMatcher))
        }
        return targets
    }
}

/// How the catalog's rows become what decisions read: the copy's facts, and the copy as the decision core sees it.
struct DecisionReading: Sendable {
    let hits: TextHitTable
    /// Whether the hotspots or holds match addresses (then the address lists are read).
    let needsAddresses: Bool

    init(context: DecisionContext, hits: [String: Set<TextHitKey>]) {
        self.hits = TextHitTable(hits)
        needsAddresses = (context.hotspots.map(\.criteria) + context.holds.map(\.criteria)).contains { !$0.addresses.isEmpty }
    }

    /// The facts of one row, and the copy as the decision core sees it.
    func facts(_ row: CopyDecisionRow) -> (CopyFacts, MessageCopy) {
        let facts = CopyFacts(copyId: row.copyId, mailbox: row.mailbox, sha256: row.sha256, size: row.size, messageId: row.messageId,
                              date: row.date, dateEpoch: row.dateEpoch, capturedEpoch: row.capturedEpoch, folder: row.folder, state: row.state)
        // Keywords come only from the mailbox owner's side (folder flags, Maildir/IMAP keywords, PST categories), never
        // from the message's own Keywords header, which its sender writes.
        let keywords = row.keywordsJSON == "[]" ? [] : JSONText.decodeArray(row.keywordsJSON)
        var from: [String] = [], to: [String] = [], cc: [String] = []
        if needsAddresses {
            from = Self.addresses(row.fromJSON); to = Self.addresses(row.toJSON); cc = Self.addresses(row.ccJSON)
        }
        let copy = MessageCopy(
            mailbox: facts.mailbox, messageId: facts.messageId, sha256: facts.sha256,
            messageInstant: Instant(secondsSinceEpoch: facts.dateEpoch ?? facts.capturedEpoch),
            captureInstant: Instant(secondsSinceEpoch: facts.capturedEpoch), folderPath: facts.folder,
            keywords: keywords, from: from, to: to, cc: cc,
            textHits: hits.keys(of: facts.sha256),
            receivedInstant: row.receivedEpoch.map { Instant(secondsSinceEpoch: $0) })
        return (facts, copy)
    }

    /// The addresses (not the names) of a catalog address list.
    static func addresses(_ json: String) -> [String] {
        CatalogAddress.list(json: json).map(\.address).filter { !$0.isEmpty }
    }
}

/// The text hits by message (``TextHitSource``'s result), looked up for every copy a plan decides: by the first eight
/// bytes of the SHA-256 as one integer, then the SHA-256 itself. (A dictionary keyed by the 64 characters hashes all of
/// them, and compares them with every key it probes, for each of a million copies that mostly hold no term.)
struct TextHitTable: Sendable {
    private let byPrefix: [UInt64: [(sha256: String, keys: Set<TextHitKey>)]]

    init(_ hits: [String: Set<TextHitKey>]) {
        var byPrefix: [UInt64: [(sha256: String, keys: Set<TextHitKey>)]] = [:]
        byPrefix.reserveCapacity(hits.count)
        for (sha256, keys) in hits where !keys.isEmpty { byPrefix[Self.prefix(sha256), default: []].append((sha256, keys)) }
        self.byPrefix = byPrefix
    }

    var isEmpty: Bool { byPrefix.isEmpty }

    /// The keys of the targets whose terms the message `sha256` holds (empty when none).
    @inline(__always)
    func keys(of sha256: String) -> Set<TextHitKey> {
        guard !byPrefix.isEmpty, let found = byPrefix[Self.prefix(sha256)] else { return [] }
        for entry in found where entry.sha256 == sha256 { return entry.keys }
        return []
    }

    /// The first eight bytes of the text's UTF-8 (fewer for a shorter text), with its length, as one integer.
    @inline(__always)
    static func prefix(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var p = UInt64(truncatingIfNeeded: bytes.count) << 56
            for i in 0..<min(7, bytes.count) { p ^= UInt64(bytes[i]) << (UInt64(i) * 8) }
            return p
        }
    }
}

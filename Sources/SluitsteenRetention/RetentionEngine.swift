// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenIngest
import SluitsteenPolicy

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
    /// `present`, `transferred`, `destroyed` or `purged`.
    public var state: String
}

/// One copy and its decision.
public struct DecidedCopy: Sendable {
    public var copy: CopyFacts
    public var decision: Decision
}

/// Decides, as of a moment, what the policy requires for every message copy in the archive.
///
/// It loads the registers, hotspots, Woo holds and opt-out marks once, finds the hotspot and hold terms in the
/// messages' text with the catalog's full-text index (confirmed with the policy's own ``TextMatcher``), and then
/// streams the copies through the pure ``DecisionContext/decide(_:explain:)``: memory does not grow with the archive.
public struct RetentionEngine: Sendable {
    public let workspace: Workspace
    public let policy: Policy
    /// Told how the full-text index catches up, when a hotspot or hold has terms and messages were captured since
    /// it was last brought up to date (a command may show a progress line).
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
        let hits = try textHits(context)
        let needsAddresses = (context.hotspots.map(\.criteria) + context.holds.map(\.criteria)).contains { !$0.addresses.isEmpty }
        var sql = """
            SELECT c.id, c.mailbox, c.sha256, m.size, m.messageId, m.date, m.dateEpoch, c.capturedEpoch, c.folder, c.state,
                   c.keywordsJSON, m.headerKeywordsJSON\(needsAddresses ? ", m.fromJSON, m.toJSON, m.ccJSON" : "")
            FROM copy c JOIN message m ON m.rowid = c.messageRowid
            WHERE c.state IN ('present', 'transferred')
            """
        var args: [any DatabaseValueConvertible] = []
        if let mailboxes, !mailboxes.isEmpty {
            sql += " AND c.mailbox IN (\(mailboxes.map { _ in "?" }.joined(separator: ",")))"
            args += mailboxes.map { $0.lowercased() }
        }
        sql += " ORDER BY c.mailbox, c.folder, c.position, c.id"
        // Two stages on the two cores: a reader thread turns catalog rows into facts, in batches, while this
        // thread decides them and hands them to `body` in catalog order. At most four batches are in flight.
        let channel = BatchChannel<(CopyFacts, MessageCopy)>(capacity: 4)
        let catalog = workspace.catalog
        let arguments: StatementArguments = StatementArguments(args)
        let query = sql
        Thread.detachNewThread {
            do {
                try catalog.read { db in
                    let cursor = try Row.fetchCursor(db, sql: query, arguments: arguments)
                    var batch: [(CopyFacts, MessageCopy)] = []
                    batch.reserveCapacity(2048)
                    while let row = try cursor.next() {
                        let facts = CopyFacts(copyId: row[0], mailbox: row[1], sha256: row[2], size: row[3], messageId: row[4], date: row[5],
                                              dateEpoch: row[6], capturedEpoch: row[7], folder: row[8], state: row[9])
                        var keywords = FastJSON.strings(row[10])
                        for k in FastJSON.strings(row[11]) where !keywords.contains(k) { keywords.append(k) }
                        var from: [String] = [], to: [String] = [], cc: [String] = []
                        if needsAddresses {
                            from = FastJSON.addresses(row[12]); to = FastJSON.addresses(row[13]); cc = FastJSON.addresses(row[14])
                        }
                        let copy = MessageCopy(
                            mailbox: facts.mailbox, messageId: facts.messageId, sha256: facts.sha256,
                            messageInstant: Instant(secondsSinceEpoch: facts.dateEpoch ?? facts.capturedEpoch),
                            captureInstant: Instant(secondsSinceEpoch: facts.capturedEpoch), folderPath: facts.folder,
                            keywords: keywords, from: from, to: to, cc: cc,
                            textHits: hits.isEmpty ? [] : (hits[facts.sha256] ?? []))
                        batch.append((facts, copy))
                        if batch.count == 2048 {
                            guard channel.put(batch) else { return }
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                    if !batch.isEmpty { _ = channel.put(batch) }
                }
                channel.finish(error: nil)
            } catch {
                channel.finish(error: "\(error)")
            }
        }
        do {
            while let batch = channel.take() {
                for (facts, copy) in batch {
                    var decision = context.decide(copy, explain: explain)
                    if facts.state == "transferred" { decision = decision.transferred() }
                    try body(DecidedCopy(copy: facts, decision: decision))
                }
            }
        } catch {
            channel.cancel()
            if let e = error as? RetentionError { throw e }
            throw .archive("\(error)")
        }
        if let failure = channel.failure { throw .archive(failure) }
    }

    /// Decides the given copies (by id) as of `asOf`; copies no longer in the archive are absent from the result.
    public func decide(copyIds: Set<Int64>, asOf: Instant) throws(RetentionError) -> [Int64: DecidedCopy] {
        var out: [Int64: DecidedCopy] = [:]
        let mailboxes: [String]
        do {
            mailboxes = try workspace.catalog.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT mailbox FROM copy WHERE id IN (SELECT value FROM json_each(?))",
                                    arguments: ["[" + copyIds.map(String.init).joined(separator: ",") + "]"])
            }
        } catch { throw .archive("\(error)") }
        guard !mailboxes.isEmpty else { return [:] }
        try forEachDecision(asOf: asOf, mailboxes: mailboxes) { d in
            if copyIds.contains(d.copy.copyId) { out[d.copy.copyId] = d }
        }
        return out
    }

    /// For every hotspot and hold with terms or zaak numbers: the messages (by SHA-256) whose subject or text body
    /// contains one, found with the FTS5 index (brought up to date first) and confirmed with ``TextMatcher``.
    func textHits(_ context: DecisionContext) throws(RetentionError) -> [String: Set<String>] {
        var hits: [String: Set<String>] = [:]
        var targets: [(key: String, matcher: TextMatcher)] = []
        for h in context.hotspots where h.criteria.hasTextCriteria { targets.append((h.textHitKey, h.criteria.textMatcher)) }
        for h in context.holds where h.criteria.hasTextCriteria { targets.append((h.textHitKey, h.criteria.textMatcher)) }
        guard !targets.isEmpty else { return [:] }
        // Messages captured since the last run are added to the full-text index first (derived data, see TextIndexer).
        do throws(ArchiveError) { try TextIndexer(workspace: workspace).run(progress: indexProgress) } catch { throw .archive(error.description) }
        do {
            try workspace.catalog.read { db in
                for target in targets {
                    // Each term as an FTS5 phrase (SQLite tokenizes it as it tokenized the text); TextMatcher then
                    // confirms the term in the text itself.
                    let query = target.matcher.terms
                        .map { TextMatcher.words(in: $0) }
                        .filter { !$0.isEmpty }
                        .map { "\"" + $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") + "\"" }
                        .joined(separator: " OR ")
                    guard !query.isEmpty else { continue }
                    let cursor = try Row.fetchCursor(db, sql: "SELECT sha256, text FROM messageText WHERE messageText MATCH ?", arguments: [query])
                    while let row = try cursor.next() {
                        let text: String = row[1]
                        if target.matcher.matches(text) { hits[row[0], default: []].insert(target.key) }
                    }
                }
            }
        } catch { throw .archive("\(error)") }
        return hits
    }
}

/// Reads the JSON the ingest stage writes (arrays of strings, arrays of address objects) without Foundation's
/// general JSON parser, which would dominate the time of a million-copy plan.
enum FastJSON {
    static func strings(_ text: String) -> [String] {
        if text == "[]" { return [] }
        return JSONText.decodeArray(text)
    }

    static func addresses(_ text: String) -> [String] {
        if text == "[]" { return [] }
        guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.compactMap { $0["address"] as? String }.filter { !$0.isEmpty }
    }
}

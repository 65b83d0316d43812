// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenSupport

/// Builds the full-text index (subject and text body of every stored message) that the terms and zaak numbers of
/// hotspots and Woo holds are matched against, and reads in full every message ingest read only the header block
/// of: its attachments and the defects of its body go into its catalog row (``MessageText/FullReading``), in the
/// same GMime parse as its text and the same transaction as its index row.
///
/// Ingest only captures; the index is derived data and is built here afterwards, from the store: by the commands that
/// match terms, before they read it (`RetentionEngine.prepareTextIndex()`), or ahead of time with `sluitsteen index`.
/// Reading the index is ``TextIndex``'s (a ``TextHitSource``); only this type writes it.
///
/// A pipeline of three stages: a reader thread lists the waiting messages batch by batch, this thread reads them
/// and extracts their text on every core, and a committer thread writes the batch before (each batch is one
/// transaction, so an interrupted run leaves a consistent index and the next run goes on where it stopped). A message destroyed while
/// the indexer runs is never indexed (the check is made inside the writing transaction).
public struct TextIndexer: Sendable {
    public let workspace: Workspace
    /// Messages per batch (one transaction each: fewer, larger index segments).
    public var batchSize = 1024
    /// Stored bytes per batch at most (a batch holds at least one message): bounds memory with large messages.
    public var batchBytes: Int64 = 32 << 20
    /// Larger stored messages are checked and read from their file in chunks, never held in memory whole.
    public var inMemoryLimit = ContentStore.defaultInMemoryLimit
    /// Called with each batch's message rowids after they are listed and before their bytes are read: lets tests
    /// act as a destruction running at that moment.
    var beforeReading: (@Sendable ([Int64]) -> Void)?
    /// Called after a batch's bytes are read, before failed reads are looked into (tests act as an ingest there).
    var afterReading: (@Sendable ([Int64]) -> Void)?

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Stored messages whose text is not in the index yet.
    public func pendingCount() throws(ArchiveError) -> Int {
        try workspace.catalog.read(throwing: ArchiveError.self) { db in try MessageText.pendingCount(db) }
    }

    /// Indexes every pending message. Reading a stored message also checks it against its SHA-256: a missing or
    /// damaged message stops the run with an error naming it (the index stays consistent up to that point), unless
    /// a destruction took it out of the index's work while this run was reading (then it is skipped).
    @discardableResult
    public func run(progress: @escaping @Sendable (TextIndexProgress) -> Void = { _ in }) throws(ArchiveError) -> TextIndexSummary {
        let total = try pendingCount()
        guard total > 0 else { return TextIndexSummary() }
        let started = Date()
        let catalog = workspace.catalog
        let (batchSize, batchBytes) = (batchSize, batchBytes)
        let reader = PipelineReader<[Pending], Void, ArchiveError>(
            name: "sluitsteen.text-index.list", readAhead: 1
        ) { emit throws(ArchiveError) in
            var after: Int64 = 0
            while true {
                let batch = try TextIndexer.waitingMessages(in: catalog, after: after, batchSize: batchSize, batchBytes: batchBytes)
                guard let last = batch.last else { return }
                after = last.rowid
                guard emit(batch) else { return }
            }
        }
        // One batch is written while the next is read: the writer waits for nothing else.
        let committer = PipelineCommitter<[Entry], TextIndexSummary, ArchiveError>(
            name: "sluitsteen.text-index.write", backlog: 1, state: TextIndexSummary()
        ) { entries, summary throws(ArchiveError) in
            summary = try TextIndexer.write(entries, to: catalog, after: summary)
            progress(TextIndexProgress(messages: summary.messages, pending: max(0, total - summary.messages),
                                       elapsed: Date().timeIntervalSince(started)))
        }
        progress(TextIndexProgress(messages: 0, pending: total, elapsed: Date().timeIntervalSince(started)))
        do throws(ArchiveError) {
            while let pending = reader.next() {
                try committer.submit(try texts(of: pending))
            }
            try reader.finish()
            return try committer.finish()
        } catch {
            reader.cancel()
            committer.drain()
            throw error
        }
    }
}

extension TextIndexer {
    typealias Pending = MessageText.Pending
    typealias Entry = MessageText.Entry

    /// The next batch of waiting messages after rowid `after`, in rowid order: at most `batchSize` messages and
    /// `batchBytes` stored bytes (but at least one message).
    fileprivate static func waitingMessages(in catalog: Catalog, after: Int64, batchSize: Int,
                                            batchBytes: Int64) throws(ArchiveError) -> [Pending] {
        try catalog.read(throwing: ArchiveError.self) { db in try MessageText.waiting(db, after: after, limit: batchSize, bytes: batchBytes) }
    }

    /// Reads the messages of one batch and extracts their text, on every core. A message that cannot be read is
    /// skipped when a destruction took it out of the index's work meanwhile, else read once more (an ingest may have
    /// brought its bytes back); bytes still missing then are damage, and stop the run.
    fileprivate func texts(of pending: [Pending]) throws(ArchiveError) -> [Entry] {
        beforeReading?(pending.map(\.rowid))
        let store = workspace.store
        let limit = Int64(inMemoryLimit)
        // Where each message is, in one catalog read for the batch (a message missing from it is looked up again).
        let located = (try? store.locations(of: pending.map(\.sha256))) ?? [:]
        let results = parallelMap(count: pending.count) { i in
            TextIndexer.entry(pending[i], at: located[pending[i].sha256], store: store, inMemoryLimit: limit)
        }
        afterReading?(pending.map(\.rowid))
        var entries: [Entry] = []
        entries.reserveCapacity(pending.count)
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let e): entries.append(e)
            case .failure(let e):
                guard try stillPending(pending[i].rowid) else { continue }
                guard case .success(let again) = TextIndexer.entry(pending[i], store: store, inMemoryLimit: limit) else { throw e }
                entries.append(again)
            }
        }
        return entries
    }

    /// Reads one stored message and extracts its text (a large one from its file, in chunks); one that ingest read
    /// only the header block of is read in full in the same parse.
    fileprivate static func entry(_ message: Pending, at location: PackEntryRecord? = nil, store: ContentStore,
                                  inMemoryLimit: Int64) -> Result<Entry, ArchiveError> {
        // The date is the header block's, recorded at capture: the full reading adds only attachments and defects (whose
        // codes do not depend on where a fallback date comes from).
        let fallback = (Date(timeIntervalSince1970: 0), DateSource.captureTime)
        do throws(ArchiveError) {
            let text: String
            var full: ParsedMessage?
            if message.size > inMemoryLimit {
                try store.verify(message.sha256)
                let range = try store.range(of: message.sha256)
                do throws(MIMEError) {
                    if message.parsed {
                        text = try MessageParser.text(file: range)
                    } else {
                        (full, text) = try MessageParser.parseWithText(file: range, sha256: message.sha256, fallbackDate: fallback)
                    }
                } catch {
                    throw .cannotRead(error.path, reason: error.reason)
                }
            } else {
                let bytes = try store.read(message.sha256, at: location)
                if message.parsed {
                    text = bytes.withUnsafeBytes { MessageParser.text($0) }
                } else {
                    (full, text) = bytes.withUnsafeBytes { MessageParser.parseWithText($0, sha256: message.sha256, fallbackDate: fallback) }
                }
            }
            let reading = full.map { p in
                MessageText.FullReading(attachmentCount: p.attachmentCount, attachmentNamesJSON: JSONText.array(p.attachmentNames),
                                        defectsJSON: JSONText.array(p.defects), flagged: p.isFlagged)
            }
            return .success(Entry(rowid: message.rowid, sha256: message.sha256, text: text, size: message.size, reading: reading))
        } catch {
            return .failure(error)
        }
    }

    /// Whether the message is still waiting for the index with its bytes in the store.
    fileprivate func stillPending(_ rowid: Int64) throws(ArchiveError) -> Bool {
        try workspace.catalog.read(throwing: ArchiveError.self) { db in try MessageText.isWaiting(db, messageRowid: rowid) }
    }

    /// Writes one batch of texts in one transaction and returns the totals with it. A message no longer waiting
    /// (destroyed meanwhile) is left out: the check is made inside the transaction.
    fileprivate static func write(_ entries: [Entry], to catalog: Catalog,
                                  after summary: TextIndexSummary) throws(ArchiveError) -> TextIndexSummary {
        CrashPoint.pass("index-before-commit")
        let s = try catalog.write(throwing: ArchiveError.self) { db -> TextIndexSummary in
            var s = summary
            for e in entries where try MessageText.store(db, e) {
                s.messages += 1
                s.bytes += e.size
                if let r = e.reading {
                    s.parsed += 1
                    if r.flagged { s.flagged += 1 }
                }
            }
            return s
        }
        CrashPoint.pass("index-after-commit")
        return s
    }
}

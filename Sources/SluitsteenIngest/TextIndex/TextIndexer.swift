// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenMIME

/// How far a text-index run has come, reported after every batch.
public struct TextIndexProgress: Sendable {
    public var messages: Int
    public var pending: Int
    public var elapsed: TimeInterval
}

/// The account of one text-index run.
public struct TextIndexSummary: Sendable, Equatable {
    /// Messages added to the index in this run.
    public var messages = 0
    /// Their stored size in bytes.
    public var bytes: Int64 = 0
}

/// Builds the full-text index (subject and text body of every stored message) that the terms and zaak numbers of
/// hotspots and Woo holds are matched against.
///
/// Ingest only captures; the index is derived data and is built here afterwards, from the store: on demand by the
/// retention engine when a hotspot or hold has terms, or ahead of time with `sluitsteen index`. Messages are read
/// and their text extracted on every core while the batch before is written; each batch is one transaction, so an
/// interrupted run leaves a consistent index and the next run goes on where it stopped. A message destroyed while
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

    /// The SQL condition on `message` of waiting for the index: not indexed yet, and its bytes still stored.
    static let waiting = "textIndexed = 0 AND contentState = 'stored'"

    /// Stored messages whose text is not in the index yet.
    public func pendingCount() throws(ArchiveError) -> Int {
        do {
            return try workspace.catalog.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE \(TextIndexer.waiting)") ?? 0
            }
        } catch let e as ArchiveError { throw e } catch { throw .catalog("\(error)") }
    }

    /// Indexes every pending message. Reading a stored message also checks it against its SHA-256: a missing or
    /// damaged message stops the run with an error naming it (the index stays consistent up to that point), unless
    /// a destruction took it out of the index's work while this run was reading (then it is skipped).
    @discardableResult
    public func run(progress: @escaping @Sendable (TextIndexProgress) -> Void = { _ in }) throws(ArchiveError) -> TextIndexSummary {
        let total = try pendingCount()
        guard total > 0 else { return TextIndexSummary() }
        let started = Date()
        let writer = IndexWriter(catalog: workspace.catalog)
        var after: Int64 = 0
        while true {
            let pending: [(rowid: Int64, sha256: String, size: Int64)]
            do {
                pending = try workspace.catalog.read { db in
                    var pending: [(rowid: Int64, sha256: String, size: Int64)] = []
                    let rows = try Row.fetchCursor(db, sql: """
                        SELECT rowid, sha256, size FROM message
                        WHERE \(TextIndexer.waiting) AND rowid > ? ORDER BY rowid LIMIT ?
                        """, arguments: [after, batchSize])
                    var bytes: Int64 = 0
                    while let row = try rows.next() {
                        let size: Int64 = row[2]
                        if !pending.isEmpty && bytes + size > batchBytes { break }
                        bytes += size
                        pending.append((row[0], row[1], size))
                    }
                    return pending
                }
            } catch let e as ArchiveError { throw e } catch { throw .catalog("\(error)") }
            guard let last = pending.last else { break }
            after = last.rowid
            beforeReading?(pending.map(\.rowid))
            let texts = ResultSlots<Result<IndexWriter.Entry, ArchiveError>>(count: pending.count)
            let store = workspace.store
            let limit = Int64(inMemoryLimit)
            DispatchQueue.concurrentPerform(iterations: pending.count) { i in
                let (rowid, sha, size) = pending[i]
                texts[i] = TextIndexer.entry(rowid: rowid, sha256: sha, size: size, store: store, inMemoryLimit: limit)
            }
            afterReading?(pending.map(\.rowid))
            var entries: [IndexWriter.Entry] = []
            entries.reserveCapacity(pending.count)
            for (i, r) in texts.values.enumerated() {
                switch r {
                case .success(let e): entries.append(e)
                case .failure(let e):
                    // A destruction running meanwhile marks bytes as not for the index before it removes them: such
                    // a message is skipped. If it is still waiting (an ingest may have brought the bytes back since),
                    // it is read once more; bytes still missing then are damage.
                    guard try stillPending(pending[i].rowid) else { continue }
                    let (rowid, sha, size) = pending[i]
                    switch TextIndexer.entry(rowid: rowid, sha256: sha, size: size, store: store, inMemoryLimit: limit) {
                    case .success(let again): entries.append(again)
                    case .failure: _ = try? writer.waitForPrevious(); throw e
                    }
                case .none: throw .catalog("a message was not read for the text index")
                }
            }
            let done = try writer.waitForPrevious()
            progress(TextIndexProgress(messages: done.messages, pending: max(0, total - done.messages), elapsed: Date().timeIntervalSince(started)))
            writer.submit(entries)
        }
        let done = try writer.waitForPrevious()
        progress(TextIndexProgress(messages: done.messages, pending: max(0, total - done.messages), elapsed: Date().timeIntervalSince(started)))
        return done
    }
}

extension TextIndexer {
    /// Reads one stored message and extracts its text (a large one from its file, in chunks).
    fileprivate static func entry(rowid: Int64, sha256 sha: String, size: Int64, store: ContentStore,
                                  inMemoryLimit: Int64) -> Result<IndexWriter.Entry, ArchiveError> {
        do throws(ArchiveError) {
            let text: String
            if size > inMemoryLimit {
                try store.verify(sha)
                do { text = try MessageParser.text(file: store.url(for: sha).path) } catch {
                    throw .cannotRead(error.path, reason: error.reason)
                }
            } else {
                text = try store.read(sha).withUnsafeBytes { MessageParser.text($0) }
            }
            return .success(IndexWriter.Entry(rowid: rowid, sha256: sha, text: text, size: size))
        } catch {
            return .failure(error)
        }
    }

    /// Whether the message is still waiting for the index with its bytes in the store.
    fileprivate func stillPending(_ rowid: Int64) throws(ArchiveError) -> Bool {
        do {
            return try workspace.catalog.read { db in
                try Bool.fetchOne(db, sql: "SELECT \(TextIndexer.waiting) FROM message WHERE rowid = ?",
                                  arguments: [rowid]) ?? false
            }
        } catch let e as ArchiveError { throw e } catch { throw .catalog("\(error)") }
    }
}

/// Writes batches of extracted text on a serial thread while the next batch is read.
private final class IndexWriter: @unchecked Sendable {
    struct Entry: Sendable {
        var rowid: Int64
        var sha256: String
        var text: String
        var size: Int64
    }

    private let catalog: Catalog
    private let queue = DispatchQueue(label: "sluitsteen.text-index.write")
    private let group = DispatchGroup()
    // Touched only on `queue`, or after `group.wait()` on the caller's thread.
    private var summary = TextIndexSummary()
    private var error: ArchiveError?

    init(catalog: Catalog) { self.catalog = catalog }

    func waitForPrevious() throws(ArchiveError) -> TextIndexSummary {
        group.wait()
        if let error { throw error }
        return summary
    }

    func submit(_ entries: [Entry]) {
        queue.async(group: group) { [self] in
            do {
                summary = try catalog.write { db -> TextIndexSummary in
                    var s = summary
                    let stillPending = try db.cachedStatement(sql: """
                        SELECT 1 FROM message WHERE rowid = ? AND \(TextIndexer.waiting)
                        """)
                    // A row can be there already when the store had lost the bytes and ingest put them back.
                    let remove = try db.cachedStatement(sql: "DELETE FROM messageText WHERE rowid = ?")
                    let insert = try db.cachedStatement(sql: "INSERT INTO messageText (rowid, sha256, text) VALUES (?, ?, ?)")
                    let mark = try db.cachedStatement(sql: "UPDATE message SET textIndexed = 1 WHERE rowid = ?")
                    for e in entries where try Bool.fetchOne(stillPending, arguments: [e.rowid]) != nil {
                        try remove.execute(arguments: [e.rowid])
                        try insert.execute(arguments: [e.rowid, e.sha256, e.text])
                        try mark.execute(arguments: [e.rowid])
                        s.messages += 1
                        s.bytes += e.size
                    }
                    return s
                }
            } catch let e as ArchiveError { self.error = e } catch { self.error = .catalog("\(error)") }
        }
    }
}

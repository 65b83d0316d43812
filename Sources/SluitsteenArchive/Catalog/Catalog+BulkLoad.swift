// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// A bulk load: an ingest that brings in far more than the archive holds sets two secondary indexes aside and builds
/// them once at its end.
///
/// Every new message adds an entry at a random place in each index keyed by a SHA-256 or a Message-ID. Once such an
/// index no longer fits the page cache (about a million messages), every message dirties a page of it that the
/// transaction writes to the log and the checkpoint writes again: with five such indexes the millionth message cost
/// twice what the hundred-thousandth did. Two of them are not needed while messages are taken in — the lookup of a
/// message by Message-ID and of copies by SHA-256 — and building them from the finished tables sorts once instead.
/// The three that ingest itself needs (a message by SHA-256, a copy by its message's rowid, mailbox, folder and
/// occurrence, the store's map) stay.
///
/// The log may also grow larger between checkpoints during a bulk load (``bulkLoadCheckpointPages`` instead of
/// ``checkpointPages``): a page of the indexes that stay is dirtied by many batches, and a checkpoint writes it to the
/// catalog file once for all the batches since the last one. At 1,000,000 messages this took a quarter off what ingest
/// wrote to the disk. The log file is cut back to ``journalSizeLimit`` at the first checkpoint after the load.
///
/// Nothing depends on the indexes for being right, only for being fast: while they are set aside, other commands find
/// the same rows by reading the table. A bulk load stopped in any way (an error, a kill, a power loss) leaves them set
/// aside until the next opening of the catalog builds them (``init(path:)``).
extension Catalog {
    /// The indexes a bulk load sets aside: their names and their definitions, as the migrations created them.
    static let deferrableIndexes: [(name: String, sql: String)] = [
        ("message_messageId", "CREATE INDEX IF NOT EXISTS message_messageId ON message(messageId)"),
        ("copy_sha256", "CREATE INDEX IF NOT EXISTS copy_sha256 ON copy(sha256)"),
    ]

    /// Drops the indexes of ``deferrableIndexes`` for a bulk load, in one transaction, and lets the log grow to
    /// ``bulkLoadCheckpointPages`` between checkpoints; ``restoreIndexes()`` builds them again and sets the checkpoints
    /// back.
    public func setIndexesAside() throws(ArchiveError) {
        try write(throwing: ArchiveError.self) { db in
            for index in Catalog.deferrableIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
            // A setting of the connection that writes (the pool has one), not of the file: a new connection has the usual.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Catalog.bulkLoadCheckpointPages)")
        }
    }

    /// Builds every index of ``deferrableIndexes`` that is missing (none is, unless a bulk load set them aside), in
    /// one transaction, and sets the checkpoints back to every ``checkpointPages``.
    public func restoreIndexes() throws(ArchiveError) {
        try write(throwing: ArchiveError.self) { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Catalog.checkpointPages)")
            try Catalog.restoreIndexes(db)
        }
    }

    /// The log's size in pages (of 4 KiB) at which a checkpoint is made during a bulk load: 512 MiB.
    static let bulkLoadCheckpointPages = 131_072

    /// ``restoreIndexes()`` inside the caller's write transaction. Building an index sorts its entries in memory up
    /// to the size of the page cache, then in files: the connection's cache is emptied and made small for the build,
    /// so that it does not add a second cache's worth to what the process holds (a bulk load's cache is full).
    static func restoreIndexes(_ db: Database) throws {
        let missing = try missingIndexes(db)
        if missing.isEmpty { return }
        try db.execute(sql: "PRAGMA shrink_memory; PRAGMA cache_size = -\(Catalog.indexBuildCacheKibibytes)")
        defer { try? db.execute(sql: "PRAGMA cache_size = -\(Catalog.cacheKibibytes)") }
        for index in deferrableIndexes where missing.contains(index.name) { try db.execute(sql: index.sql) }
    }

    /// The page cache (and so the in-memory part of the sort) while indexes are built, in KiB.
    static let indexBuildCacheKibibytes = 8_192

    /// The names of the indexes of ``deferrableIndexes`` that the catalog does not have now.
    public func setAsideIndexes() throws(ArchiveError) -> [String] {
        try read(throwing: ArchiveError.self) { db in try Catalog.missingIndexes(db) }
    }

    static func missingIndexes(_ db: Database) throws -> [String] {
        let present = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        return Catalog.deferrableIndexes.map(\.name).filter { !present.contains($0) }
    }
}

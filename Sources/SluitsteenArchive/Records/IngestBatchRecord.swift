// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// One row of `ingestBatch`: one ingest run into one mailbox, with what it found and how it ended.
///
/// The archive target owns the table; ingest records its runs through ``start(_:mailbox:format:paths:at:)``,
/// ``record(_:id:counts:)`` and ``finish(_:id:status:at:counts:)``, and `ingest undo` through ``withdraw(_:id:at:by:reason:)``.
public struct IngestBatchRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "ingestBatch"

    public var id: Int64?
    public var mailbox: String
    /// The formats read, comma-separated (`mbox,maildir`).
    public var format: String
    public var pathsJSON: String
    public var startedAt: String
    public var finishedAt: String?
    public var found: Int
    public var storedNew: Int
    public var alreadyPresent: Int
    public var flagged: Int
    public var status: BatchStatus
    public var withdrawnAt: String?
    public var withdrawnBy: String?
    public var withdrawReason: String?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let mailbox = Column(CodingKeys.mailbox)
        public static let finishedAt = Column(CodingKeys.finishedAt)
        public static let found = Column(CodingKeys.found)
        public static let storedNew = Column(CodingKeys.storedNew)
        public static let alreadyPresent = Column(CodingKeys.alreadyPresent)
        public static let flagged = Column(CodingKeys.flagged)
        public static let status = Column(CodingKeys.status)
        public static let withdrawnAt = Column(CodingKeys.withdrawnAt)
        public static let withdrawnBy = Column(CodingKeys.withdrawnBy)
        public static let withdrawReason = Column(CodingKeys.withdrawReason)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// What a batch counted: message copies found, new to the catalog, already there, and flagged.
    public struct Counts: Sendable, Equatable {
        public var found: Int
        public var storedNew: Int
        public var alreadyPresent: Int
        public var flagged: Int

        public init(found: Int, storedNew: Int, alreadyPresent: Int, flagged: Int) {
            self.found = found
            self.storedNew = storedNew
            self.alreadyPresent = alreadyPresent
            self.flagged = flagged
        }

        var assignments: [ColumnAssignment] {
            [Columns.found.set(to: found), Columns.storedNew.set(to: storedNew), Columns.alreadyPresent.set(to: alreadyPresent),
             Columns.flagged.set(to: flagged)]
        }
    }
}

extension IngestBatchRecord {
    /// Records the start of a run: a batch still `running` belongs to an ingest that was killed and becomes
    /// `interrupted`; the new batch is `running`. Returns its id.
    public static func start(_ db: Database, mailbox: String, format: String, paths: [String], at startedAt: String) throws -> Int64 {
        try filter(Columns.status == BatchStatus.running).updateAll(db, Columns.status.set(to: BatchStatus.interrupted))
        var batch = IngestBatchRecord(id: nil, mailbox: mailbox, format: format, pathsJSON: JSONText.array(paths), startedAt: startedAt,
                                      finishedAt: nil, found: 0, storedNew: 0, alreadyPresent: 0, flagged: 0, status: .running,
                                      withdrawnAt: nil, withdrawnBy: nil, withdrawReason: nil)
        try batch.insert(db)
        return batch.id ?? db.lastInsertedRowID
    }

    /// Records what the batch has committed so far.
    public static func record(_ db: Database, id: Int64, counts: Counts) throws {
        try filter(Columns.id == id).updateAll(db, counts.assignments)
    }

    /// Records the end of a run (`complete` or `failed`) with what it committed.
    public static func finish(_ db: Database, id: Int64, status: BatchStatus, at finishedAt: String, counts: Counts) throws {
        try filter(Columns.id == id).updateAll(db, [Columns.finishedAt.set(to: finishedAt), Columns.status.set(to: status)] + counts.assignments)
    }

    /// Records the withdrawal of the batch (`ingest undo`).
    public static func withdraw(_ db: Database, id: Int64, at: String, by: String, reason: String) throws {
        try filter(Columns.id == id).updateAll(db, [
            Columns.status.set(to: BatchStatus.withdrawn), Columns.withdrawnAt.set(to: at), Columns.withdrawnBy.set(to: by),
            Columns.withdrawReason.set(to: reason),
        ])
    }

    /// The batch with this id, if any.
    public static func find(_ db: Database, id: Int64) throws -> IngestBatchRecord? {
        try filter(Columns.id == id).fetchOne(db)
    }
}

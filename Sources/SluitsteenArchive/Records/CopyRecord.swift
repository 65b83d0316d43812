// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// One row of `copy`: a message as found in one mailbox, folder and position of an export.
///
/// The archive target owns the table: ingest adds rows through ``CaptureWriter``, a confirmed transfer marks them
/// `transferred` (``ExportPackageRecord/confirm(_:id:at:by:receipt:)``), destruction turns them into
/// tombstones (``PersonalData/scrubCopy(_:id:state:)``), and the withdrawal of a batch removes them
/// (``removeAll(_:batchId:)``).
public struct CopyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "copy"

    public var id: Int64?
    /// The mailbox address (lowercase).
    public var mailbox: String
    public var sha256: String
    /// The folder path in the export (a tombstone keeps a digest instead, see ``Tombstone``).
    public var folder: String
    /// 1 for the first copy of these bytes in this folder, 2 for the second, …
    public var occurrence: Int
    public var sourceFile: String
    public var position: Int
    public var keywordsJSON: String
    public var flagsJSON: String
    public var capturedAt: String
    public var capturedEpoch: Int64
    public var batchId: Int64
    public var state: CopyState
    /// The rowid of the message (its `sha256` row), for joins by integer; with `mailbox`, `folder` and `occurrence`
    /// the copy's unique key.
    public var messageRowid: Int64

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let mailbox = Column(CodingKeys.mailbox)
        public static let sha256 = Column(CodingKeys.sha256)
        public static let folder = Column(CodingKeys.folder)
        public static let occurrence = Column(CodingKeys.occurrence)
        public static let sourceFile = Column(CodingKeys.sourceFile)
        public static let position = Column(CodingKeys.position)
        public static let keywordsJSON = Column(CodingKeys.keywordsJSON)
        public static let flagsJSON = Column(CodingKeys.flagsJSON)
        public static let capturedAt = Column(CodingKeys.capturedAt)
        public static let capturedEpoch = Column(CodingKeys.capturedEpoch)
        public static let batchId = Column(CodingKeys.batchId)
        public static let state = Column(CodingKeys.state)
        public static let messageRowid = Column(CodingKeys.messageRowid)
    }

    /// The states of a copy that is gone (only its tombstone is left).
    static let goneStates: [CopyState] = [.destroyed, .purged]
}

extension CopyRecord {
    /// The copy with this id, if any.
    public static func find(_ db: Database, id: Int64) throws -> CopyRecord? {
        try filter(Columns.id == id).fetchOne(db)
    }

    /// The copies an ingest batch added, by id.
    public static func all(_ db: Database, batchId: Int64) throws -> [CopyRecord] {
        try filter(Columns.batchId == batchId).order(Columns.id).fetchAll(db)
    }

    /// The ids of the copies of these bytes that are not gone (any mailbox, present or transferred), other than `excluding`.
    public static func liveCopyIds(_ db: Database, sha256: String, excluding: Int64? = nil) throws -> [Int64] {
        var request = filter(Columns.sha256 == sha256 && !goneStates.contains(Columns.state))
        if let excluding { request = request.filter(Columns.id != excluding) }
        return try request.select(Columns.id, as: Int64.self).order(Columns.id).fetchAll(db)
    }

    /// How many copies of these bytes the catalog lists, in any state.
    public static func count(_ db: Database, sha256: String) throws -> Int {
        try filter(Columns.sha256 == sha256).fetchCount(db)
    }

    /// Removes every copy an ingest batch added (its withdrawal).
    public static func removeAll(_ db: Database, batchId: Int64) throws {
        try filter(Columns.batchId == batchId).deleteAll(db)
    }

    /// Marks the present copies that export package `packageId` holds as transferred. Returns how many were marked.
    static func markTransferred(_ db: Database, packageId: String) throws -> Int {
        try db.execute(sql: """
            UPDATE copy SET state = ? WHERE state = ? AND id IN (SELECT copyId FROM exportItem WHERE packageId = ?)
            """, arguments: [CopyState.transferred, CopyState.present, packageId])
        return db.changesCount
    }

    /// The mailbox addresses in the catalog, sorted.
    static func mailboxes(_ db: Database) throws -> [String] {
        try select(Columns.mailbox, as: String.self).distinct().order(Columns.mailbox).fetchAll(db)
    }
}

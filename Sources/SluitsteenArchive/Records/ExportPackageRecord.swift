// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// A transfer package as the catalog records it (`exportPackage`): where it was written, its hash, and whether the
/// e-depot confirmed its acceptance.
///
/// The archive target owns the table and `exportItem` (the copies a package holds): they record what left the
/// archive, which the export stage writes (``record(_:items:)``), a transfer confirmation completes (``confirm(_:id:at:by:receipt:)``,
/// which also marks the copies transferred), and the withdrawal of an ingest batch must see (``ExportItemRecord/exportedCount(_:copyIds:)``).
public struct ExportPackageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "exportPackage"

    public var id: String
    public var createdAt: String
    public var createdBy: String
    public var location: String
    public var container: String
    public var packageSHA256: String
    public var copyCount: Int
    public var confirmedAt: String?
    public var confirmedBy: String?
    public var receiptSHA256: String?
    public var receiptName: String?

    public init(id: String, createdAt: String, createdBy: String, location: String, container: String, packageSHA256: String,
                copyCount: Int, confirmedAt: String? = nil, confirmedBy: String? = nil, receiptSHA256: String? = nil,
                receiptName: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.location = location
        self.container = container
        self.packageSHA256 = packageSHA256
        self.copyCount = copyCount
        self.confirmedAt = confirmedAt
        self.confirmedBy = confirmedBy
        self.receiptSHA256 = receiptSHA256
        self.receiptName = receiptName
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let confirmedAt = Column(CodingKeys.confirmedAt)
        public static let confirmedBy = Column(CodingKeys.confirmedBy)
        public static let receiptSHA256 = Column(CodingKeys.receiptSHA256)
        public static let receiptName = Column(CodingKeys.receiptName)
    }

    /// The receipt of the e-depot a confirmation keeps: its SHA-256 and file name.
    public struct Receipt: Sendable, Equatable {
        public var sha256: String
        public var name: String

        public init(sha256: String, name: String) {
            self.sha256 = sha256
            self.name = name
        }
    }
}

extension ExportPackageRecord {
    /// The package with this id, if any.
    public static func find(_ db: Database, id: String) throws -> ExportPackageRecord? {
        try filter(Columns.id == id).fetchOne(db)
    }

    /// Every package, oldest first.
    public static func all(_ db: Database) throws -> [ExportPackageRecord] {
        try order(Columns.createdAt, Columns.id).fetchAll(db)
    }

    /// Records the package and the copies it holds; `items` hands every (copy id, SHA-256) to the closure it gets.
    public static func record(_ db: Database, _ package: ExportPackageRecord,
                              items: ((_ copyId: Int64, _ sha256: String) throws -> Void) throws -> Void) throws {
        try package.insert(db)
        let statement = try db.makeStatement(sql: "INSERT INTO exportItem (packageId, copyId, sha256) VALUES (?, ?, ?)")
        try items { copyId, sha256 in try statement.execute(arguments: [package.id, copyId, sha256]) }
    }

    /// Records the e-depot's acceptance of package `id` and marks its copies that are still present as transferred.
    /// Returns how many copies were marked.
    public static func confirm(_ db: Database, id: String, at: String, by: String, receipt: Receipt?) throws -> Int {
        let transferred = try CopyRecord.markTransferred(db, packageId: id)
        try filter(Columns.id == id).updateAll(db, [
            Columns.confirmedAt.set(to: at), Columns.confirmedBy.set(to: by), Columns.receiptSHA256.set(to: receipt?.sha256),
            Columns.receiptName.set(to: receipt?.name),
        ])
        return transferred
    }
}

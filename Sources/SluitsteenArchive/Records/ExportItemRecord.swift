// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `exportItem`: a copy held by an export package (owned with ``ExportPackageRecord``).
public struct ExportItemRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "exportItem"

    public var packageId: String
    public var copyId: Int64
    public var sha256: String

    public enum Columns {
        public static let packageId = Column(CodingKeys.packageId)
        public static let copyId = Column(CodingKeys.copyId)
    }

    /// How many copies package `packageId` holds.
    public static func count(_ db: Database, packageId: String) throws -> Int {
        try filter(Columns.packageId == packageId).fetchCount(db)
    }

    /// How many of the copies `copyIds` are held by any export package.
    public static func exportedCount(_ db: Database, copyIds: [Int64]) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT copyId) FROM exportItem WHERE copyId IN (SELECT value FROM json_each(?))",
                         arguments: ["[" + copyIds.map(String.init).joined(separator: ",") + "]"]) ?? 0
    }
}

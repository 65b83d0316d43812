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
    /// When the package was withdrawn before the e-depot accepted it (`transfer withdraw`), by whom and why; a
    /// withdrawn package's copies may be exported again (migration v16).
    public var withdrawnAt: String?
    public var withdrawnBy: String?
    public var withdrawReason: String?

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
        public static let withdrawnAt = Column(CodingKeys.withdrawnAt)
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

    /// Records that package `id` was withdrawn before the e-depot accepted it.
    public static func withdraw(_ db: Database, id: String, at: String, by: String, reason: String) throws {
        try filter(Columns.id == id).updateAll(db, [
            Columns.withdrawnAt.set(to: at), Column(CodingKeys.withdrawnBy).set(to: by), Column(CodingKeys.withdrawReason).set(to: reason),
        ])
    }

    /// The packages (not withdrawn) that hold any of `copyIds`, with how many of them each holds, oldest first.
    public static func holding(_ db: Database, copyIds: [Int64]) throws -> [(package: ExportPackageRecord, copies: Int)] {
        var counts: [String: Int] = [:]
        for chunk in stride(from: 0, to: copyIds.count, by: 500).map({ Array(copyIds[$0..<min($0 + 500, copyIds.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.packageId AS id, COUNT(*) AS n FROM exportItem i JOIN exportPackage p ON p.id = i.packageId
                WHERE p.withdrawnAt IS NULL AND i.copyId IN (\(marks)) GROUP BY i.packageId
                """, arguments: StatementArguments(chunk))
            for r in rows { counts[r["id"], default: 0] += r["n"] as Int }
        }
        return try all(db).compactMap { p in counts[p.id].map { (p, $0) } }
    }

    /// For package `id`: how many of its copies are still present, and the other confirmed packages through which
    /// its copies that are no longer present were transferred (with how many each).
    public static func transferState(_ db: Database, id: String) throws
        -> (present: Int, elsewhere: [(id: String, confirmedAt: String, copies: Int)]) {
        let present = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM exportItem i JOIN copy c ON c.id = i.copyId WHERE i.packageId = ? AND c.state = 'present'
            """, arguments: [id]) ?? 0
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.packageId AS id, p.confirmedAt AS at, COUNT(*) AS n FROM exportItem i
            JOIN exportItem o ON o.copyId = i.copyId AND o.packageId <> i.packageId
            JOIN exportPackage p ON p.id = o.packageId AND p.confirmedAt IS NOT NULL
            WHERE i.packageId = ? GROUP BY o.packageId ORDER BY p.confirmedAt
            """, arguments: [id])
        return (present, rows.map { ($0["id"], $0["at"], $0["n"]) })
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

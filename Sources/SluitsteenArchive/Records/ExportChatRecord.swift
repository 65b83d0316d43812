// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `exportChat`: a conversation (chat, bijlage 5) held by an export package, with the SHA-256 of its export
/// file as received (which identifies the conversation in the package). Owned with ``ExportPackageRecord``: the export
/// stage writes the rows (``record(_:packageId:conversations:)``), the selection and the transfer confirmation read
/// them.
public struct ExportChatRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "exportChat"

    public var packageId: String
    public var conversationId: Int64
    public var exportSHA256: String

    public enum Columns {
        public static let packageId = Column(CodingKeys.packageId)
        public static let conversationId = Column(CodingKeys.conversationId)
    }

    public init(packageId: String, conversationId: Int64, exportSHA256: String) {
        self.packageId = packageId
        self.conversationId = conversationId
        self.exportSHA256 = exportSHA256
    }
}

extension ExportChatRecord {
    /// Records that package `packageId` holds `conversations` (id, export SHA-256).
    public static func record(_ db: Database, packageId: String, conversations: [(id: Int64, exportSHA256: String)]) throws {
        for c in conversations { try ExportChatRecord(packageId: packageId, conversationId: c.id, exportSHA256: c.exportSHA256).insert(db) }
    }

    /// The conversations package `packageId` holds.
    public static func conversationIds(_ db: Database, packageId: String) throws -> [Int64] {
        try filter(Columns.packageId == packageId).order(Columns.conversationId).select(Columns.conversationId, as: Int64.self).fetchAll(db)
    }

    /// The conversations transferred, each with the package the e-depot confirmed (the first, when several did) and
    /// when it did.
    public static func transfers(_ db: Database) throws -> [Int64: (packageId: String, confirmedAt: String)] {
        var out: [Int64: (packageId: String, confirmedAt: String)] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT e.conversationId AS c, p.id AS id, p.confirmedAt AS at FROM exportChat e JOIN exportPackage p ON p.id = e.packageId
            WHERE p.confirmedAt IS NOT NULL AND p.withdrawnAt IS NULL ORDER BY p.confirmedAt DESC, p.id DESC
            """) {
            out[r["c"]] = (r["id"], r["at"])
        }
        return out
    }

    /// The packages (not withdrawn) that hold any of `conversationIds`, with how many of them each holds.
    public static func holding(_ db: Database, conversationIds: [Int64]) throws -> [String: Int] {
        guard !conversationIds.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.packageId AS id, COUNT(*) AS n FROM exportChat e JOIN exportPackage p ON p.id = e.packageId
            WHERE p.withdrawnAt IS NULL AND e.conversationId IN (SELECT value FROM json_each(?)) GROUP BY e.packageId
            """, arguments: ["[" + conversationIds.map(String.init).joined(separator: ",") + "]"])
        return Dictionary(rows.map { ($0["id"] as String, $0["n"] as Int) }, uniquingKeysWith: +)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `packEntry`: where the bytes with one SHA-256 are in the store's pack files (`store/packs/000001.pack`):
/// the pack's number, the offset of the bytes (after the entry's header) and their length. A row is written only
/// after its pack was synced to disk (``ContentStore/flush()``). `removing` marks bytes destruction (or another
/// removal) has given up: the next flush rewrites the pack without them and then deletes the row. The map can be
/// rebuilt from the packs alone, since every entry carries its SHA-256 and length.
public struct PackEntryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "packEntry"

    public var sha256: String
    public var pack: Int
    public var offset: Int64
    public var length: Int64
    public var removing: Bool

    public enum Columns {
        public static let sha256 = Column(CodingKeys.sha256)
        public static let pack = Column(CodingKeys.pack)
        public static let offset = Column(CodingKeys.offset)
        public static let length = Column(CodingKeys.length)
        public static let removing = Column(CodingKeys.removing)
    }

    public init(sha256: String, pack: Int, offset: Int64, length: Int64, removing: Bool = false) {
        self.sha256 = sha256
        self.pack = pack
        self.offset = offset
        self.length = length
        self.removing = removing
    }

    static func migrate(_ m: inout DatabaseMigrator) {
        m.registerMigration("v20-pack-store") { db in
            try db.execute(sql: """
                CREATE TABLE packEntry (
                    sha256 TEXT NOT NULL PRIMARY KEY,
                    pack INTEGER NOT NULL CHECK (pack > 0),
                    offset INTEGER NOT NULL CHECK (offset >= 0),
                    length INTEGER NOT NULL CHECK (length >= 0),
                    removing INTEGER NOT NULL DEFAULT 0 CHECK (removing IN (0, 1))
                ) WITHOUT ROWID;
                CREATE INDEX packEntryByPack ON packEntry(pack, offset);
                """)
        }
    }

    /// Every flush asks which packs hold bytes marked for removal (``packsWithRemovals(_:)``): without this partial
    /// index that read the whole map, once per ingest batch — a million messages made ingest quadratic.
    static func migrateRemovingIndex(_ m: inout DatabaseMigrator) {
        m.registerMigration("v25-pack-removing") { db in
            try db.execute(sql: "CREATE INDEX packEntryRemoving ON packEntry(pack) WHERE removing = 1")
        }
    }

    /// Every ingest, capture and store command starts with recovery, which asks per pack how many entries the catalog
    /// lists, their bytes and their end (``packSummaries(_:)``). With `length` outside the index on (pack, offset)
    /// that read looked up every entry in the map by its SHA-256: six seconds before a single message of a
    /// 1,000,000-message archive was taken in. The index now holds `length` too, and the question reads it alone.
    static func migrateSummaryIndex(_ m: inout DatabaseMigrator) {
        m.registerMigration("v26-pack-summary") { db in
            try db.execute(sql: """
                DROP INDEX packEntryByPack;
                CREATE INDEX packEntryByPack ON packEntry(pack, offset, length);
                """)
        }
    }

    /// Where the bytes with this SHA-256 are, or nil (also when they are given up and wait for their pack's rewrite).
    static func find(_ db: Database, sha256: String) throws -> PackEntryRecord? {
        // A cached statement: ingest and the indexer look up every message (the query interface would build the SQL
        // again each time, which cost more than the lookup).
        let statement = try db.cachedStatement(sql: "SELECT pack, offset, length FROM packEntry WHERE sha256 = ? AND removing = 0")
        guard let row = try Row.fetchOne(statement, arguments: [sha256]) else { return nil }
        return PackEntryRecord(sha256: sha256, pack: row[0], offset: row[1], length: row[2])
    }

    /// Records entries whose pack is durable (a later entry for the same bytes replaces an earlier one).
    static func record(_ db: Database, _ entries: [PackEntryRecord]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO packEntry (sha256, pack, offset, length, removing) VALUES (?, ?, ?, ?, 0)
            ON CONFLICT(sha256) DO UPDATE SET pack = excluded.pack, offset = excluded.offset, length = excluded.length, removing = 0
            """)
        for e in entries { try statement.execute(arguments: [e.sha256, e.pack, e.offset, e.length]) }
    }

    /// Marks bytes for removal: the next flush rewrites their pack without them. Returns false when none are stored.
    @discardableResult
    static func markRemoving(_ db: Database, sha256: String) throws -> Bool {
        try PackEntryRecord.filter(key: sha256).updateAll(db, Columns.removing.set(to: true)) > 0
    }

    /// The packs that hold bytes marked for removal.
    static func packsWithRemovals(_ db: Database) throws -> [Int] {
        try Int.fetchAll(db, sql: removalsSQL)
    }

    /// The question of ``packsWithRemovals(_:)``: it reads the partial index on entries marked for removal only.
    static let removalsSQL = "SELECT DISTINCT pack FROM packEntry WHERE removing = 1 ORDER BY pack"

    /// The entries of one pack, in the order they are in it.
    static func entries(_ db: Database, pack: Int) throws -> [PackEntryRecord] {
        try PackEntryRecord.filter(Columns.pack == pack).order(Columns.offset).fetchAll(db)
    }

    /// The end of the last entry of `pack` the catalog lists (nil when it lists none).
    static func listedEnd(_ db: Database, pack: Int) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MAX(offset + length) FROM packEntry WHERE pack = ?", arguments: [pack])
    }

    /// The numbers of the packs the catalog lists entries in.
    static func listedPacks(_ db: Database) throws -> Set<Int> {
        Set(try Int.fetchAll(db, sql: "SELECT DISTINCT pack FROM packEntry"))
    }

    /// Per pack the catalog lists entries in: how many, their bytes and the end of the last one (recovery: a pack whose
    /// listed entries fill it exactly holds nothing unlisted and need not be walked).
    static func packSummaries(_ db: Database) throws -> [Int: (count: Int64, bytes: Int64, end: Int64)] {
        var out: [Int: (count: Int64, bytes: Int64, end: Int64)] = [:]
        let rows = try Row.fetchAll(db, sql: summarySQL)
        for r in rows { out[r[0]] = (r[1], r[2], r[3]) }
        return out
    }

    /// The question of ``packSummaries(_:)``: it reads the index on (pack, offset, length) only.
    static let summarySQL = "SELECT pack, COUNT(*), SUM(length), MAX(offset + length) FROM packEntry GROUP BY pack"

    /// Whether any entry names these bytes.
    static func isListed(_ db: Database, sha256: String) throws -> Bool {
        try PackEntryRecord.filter(key: sha256).fetchCount(db) > 0
    }

    /// Every entry, by SHA-256 (store verify).
    static func all(_ db: Database) throws -> [PackEntryRecord] {
        try PackEntryRecord.order(Columns.pack, Columns.offset).fetchAll(db)
    }

    /// Moves the survivors of a rewritten pack to their places in the new one and deletes the removed entries.
    static func switchPack(_ db: Database, from old: Int, survivors: [PackEntryRecord]) throws {
        try PackEntryRecord.filter(Columns.pack == old && Columns.removing == true).deleteAll(db)
        let statement = try db.cachedStatement(sql: "UPDATE packEntry SET pack = ?, offset = ? WHERE sha256 = ? AND pack = ?")
        for s in survivors { try statement.execute(arguments: [s.pack, s.offset, s.sha256, old]) }
    }

    /// Deletes entries (orphans removed by `store verify --repair` after their pack was rewritten).
    static func delete(_ db: Database, sha256s: [String]) throws {
        for sha in sha256s { _ = try PackEntryRecord.deleteOne(db, key: sha) }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `pendingRemoval`: stored bytes a withdrawn batch left without any message, to be removed from the store
/// after the catalog commit (a crash in between is finished by the next command that holds the store lock). Bytes
/// listed here are removed only while no message row names them.
public struct PendingRemoval: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pendingRemoval"

    public var sha256: String
    /// Why (`ingest undo 7`).
    public var reason: String

    public enum Columns {
        public static let sha256 = Column(CodingKeys.sha256)
        public static let reason = Column(CodingKeys.reason)
    }

    public init(sha256: String, reason: String) {
        self.sha256 = sha256
        self.reason = reason
    }

    /// Lists bytes for removal (once: a second listing of the same bytes is ignored).
    public static func add(_ db: Database, sha256: String, reason: String) throws {
        try PendingRemoval(sha256: sha256, reason: reason).insert(db, onConflict: .ignore)
    }

    /// The bytes waiting for removal, by SHA-256.
    public static func all(_ db: Database) throws -> [String] {
        try PendingRemoval.select(Columns.sha256, as: String.self).order(Columns.sha256).fetchAll(db)
    }

    /// Takes bytes off the list (they were removed, or a message names them again).
    public static func remove(_ db: Database, sha256s: [String]) throws {
        for sha in sha256s { try PendingRemoval.filter(Columns.sha256 == sha).deleteAll(db) }
    }
}

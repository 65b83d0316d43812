// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `workspaceSetting`: a setting of the workspace, fixed or changeable by key. The archive kind is recorded
/// when the workspace is created and can never be changed or removed (a trigger refuses it).
struct WorkspaceSetting: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "workspaceSetting"

    var key: String
    var value: String

    enum Columns {
        static let key = Column(CodingKeys.key)
        static let value = Column(CodingKeys.value)
    }

    /// The `workspaceSetting` key that records the archive kind.
    static let archiveKindKey = "archiveKind"

    /// The archive kind recorded, if any (an unknown value reads as a real archive).
    static func archiveKind(_ db: Database) throws -> ArchiveKind? {
        try filter(Columns.key == archiveKindKey).fetchOne(db).map { ArchiveKind(rawValue: $0.value) ?? .real }
    }

    /// Records the archive kind (once: the catalog refuses to change it).
    static func recordArchiveKind(_ db: Database, _ kind: ArchiveKind) throws {
        try WorkspaceSetting(key: archiveKindKey, value: kind.rawValue).insert(db)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenPolicy

/// One row of `registerVersion`: one import of the registers (people, roles, mailboxes, approvers, teams), kept
/// whole as JSON; the latest is in force. The retention stage owns the table (``RetentionStore``).
struct RegisterVersionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "registerVersion"

    var id: Int64?
    var importedAt: String
    var importedBy: String
    /// SHA-256 of ``registersJSON``: an import of the same registers changes nothing.
    var sourcesSHA256: String
    var registersJSON: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let sourcesSHA256 = Column(CodingKeys.sourcesSHA256)
        static let registersJSON = Column(CodingKeys.registersJSON)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    private static var latest: QueryInterfaceRequest<RegisterVersionRecord> { order(Columns.id.desc).limit(1) }

    /// The hash of the registers in force, if any were imported.
    static func latestHash(_ db: Database) throws -> String? {
        try latest.select(Columns.sourcesSHA256, as: String.self).fetchOne(db)
    }

    /// The registers in force, or nil when none were imported.
    static func registers(_ db: Database) throws -> Registers? {
        guard let json = try latest.select(Columns.registersJSON, as: String.self).fetchOne(db) else { return nil }
        do { return try JSONDecoder().decode(Registers.self, from: Data(json.utf8)) } catch { throw RetentionError.storedRegisters(error) }
    }
}

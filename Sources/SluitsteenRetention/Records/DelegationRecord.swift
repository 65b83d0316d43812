// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenPolicy

/// One row of `delegation`: the designation of a gemachtigde, with its scope (JSON) and reason. The retention stage
/// owns the table (``AccessStore``).
struct DelegationRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "delegation"

    var id: String
    var delegate: String
    var grantedBy: String
    var scopeJSON: String
    var validFrom: String
    var validTo: String
    var revokedOn: String?
    var reason: String
    var createdAt: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let revokedOn = Column(CodingKeys.revokedOn)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    /// The designation this row records (nil when its scope or dates cannot be read).
    var delegation: Delegation? {
        guard let scope = try? JSONDecoder().decode(Delegation.Scope.self, from: Data(scopeJSON.utf8)),
              let from = CivilDate(iso: validFrom), let to = CivilDate(iso: validTo) else { return nil }
        return Delegation(id: id, delegate: delegate, grantedBy: grantedBy, scope: scope, validFrom: from, validTo: to,
                          revokedOn: revokedOn.flatMap { CivilDate(iso: $0) })
    }

    /// Every designation, newest first.
    static func all(_ db: Database) throws -> [Delegation] {
        try order(Columns.createdAt.desc, Columns.id.desc).fetchAll(db).compactMap(\.delegation)
    }

    /// Withdraws the designation from `date` on. Returns whether one in force was withdrawn.
    static func revoke(_ db: Database, id: String, on date: CivilDate) throws -> Bool {
        try filter(Columns.id == id && Columns.revokedOn == nil).updateAll(db, Columns.revokedOn.set(to: date.iso)) == 1
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenPolicy

/// One row of `wooHold`: a Woo hold with its criteria (JSON), from its received date until released. The retention
/// stage owns the table (``RetentionStore``).
struct WooHoldRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "wooHold"

    var id: String
    var zaaknummer: String
    var received: String
    var released: String?
    var releaseReason: String?
    var criteriaJSON: String
    var createdAt: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let zaaknummer = Column(CodingKeys.zaaknummer)
        static let released = Column(CodingKeys.released)
        static let releaseReason = Column(CodingKeys.releaseReason)
    }

    /// Every hold, by zaaknummer and id.
    static func all(_ db: Database) throws -> [WooHold] {
        try order(Columns.zaaknummer, Columns.id).fetchAll(db).map { r in
            WooHold(id: r.id, zaaknummer: r.zaaknummer, received: CivilDate(iso: r.received)!, released: r.released.flatMap { CivilDate(iso: $0) },
                    releaseReason: r.releaseReason, criteria: try JSONDecoder().decode(MatchCriteria.self, from: Data(r.criteriaJSON.utf8)))
        }
    }

    /// The ids of the holds in force with this id or zaaknummer.
    static func activeIds(_ db: Database, idOrZaak: String) throws -> [String] {
        try filter((Columns.id == idOrZaak || Columns.zaaknummer == idOrZaak) && Columns.released == nil)
            .select(Columns.id, as: String.self).fetchAll(db)
    }

    /// Releases hold `id` on `date`.
    static func release(_ db: Database, id: String, on date: CivilDate, reason: String) throws {
        try filter(Columns.id == id).updateAll(db, [Columns.released.set(to: date.iso), Columns.releaseReason.set(to: reason)])
    }
}

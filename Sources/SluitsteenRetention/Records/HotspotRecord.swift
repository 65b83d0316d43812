// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenPolicy

/// One row of `hotspot`: a hotspot with its criteria (JSON) and status. The retention stage owns the table
/// (``RetentionStore``).
struct HotspotRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "hotspot"

    var id: String
    var name: String
    var status: String
    var criteriaJSON: String
    var decisionRef: String?
    var createdAt: String
    var statusChangedAt: String
    /// What the event is and why it matters, for the public page (migration v15; nil for hotspots added before).
    var description: String?
    /// The project lead's person_id (migration v21-woo-chat; nil when none was named).
    var projectLead: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let name = Column(CodingKeys.name)
        static let status = Column(CodingKeys.status)
        static let decisionRef = Column(CodingKeys.decisionRef)
        static let statusChangedAt = Column(CodingKeys.statusChangedAt)
    }

    /// Every hotspot, by name (an unknown status reads as proposed).
    static func all(_ db: Database) throws -> [Hotspot] {
        try order(Columns.name).fetchAll(db).map { r in
            Hotspot(id: r.id, name: r.name, status: HotspotStatus(rawValue: r.status) ?? .proposed,
                    criteria: try JSONDecoder().decode(MatchCriteria.self, from: Data(r.criteriaJSON.utf8)), decisionRef: r.decisionRef,
                    description: r.description, statusChangedAt: r.statusChangedAt, projectLead: r.projectLead)
        }
    }

    /// Whether a hotspot has this name.
    static func exists(_ db: Database, name: String) throws -> Bool {
        try filter(Columns.name == name).fetchCount(db) > 0
    }

    /// The id of the hotspot with this id or name.
    static func id(_ db: Database, idOrName: String) throws -> String? {
        try filter(Columns.id == idOrName || Columns.name == idOrName).select(Columns.id, as: String.self).fetchOne(db)
    }

    /// Sets (or, with nil, clears) the project lead of hotspot `id`.
    static func setProjectLead(_ db: Database, id: String, _ personId: String?) throws {
        try filter(Columns.id == id).updateAll(db, [Column(CodingKeys.projectLead).set(to: personId)])
    }

    /// Sets the status of hotspot `id`, and its decision reference when one is given.
    static func setStatus(_ db: Database, id: String, _ status: HotspotStatus, at: String, decisionRef: String?,
                          description: String? = nil) throws {
        var assignments = [Columns.status.set(to: status.rawValue), Columns.statusChangedAt.set(to: at)]
        if let decisionRef { assignments.append(Columns.decisionRef.set(to: decisionRef)) }
        if let description { assignments.append(Column(CodingKeys.description).set(to: description)) }
        try filter(Columns.id == id).updateAll(db, assignments)
    }
}

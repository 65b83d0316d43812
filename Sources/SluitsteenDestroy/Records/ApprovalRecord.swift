// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `destructionApproval`: an approval given to a list, one per required role. The destruction stage owns
/// the table; the rest of it reads ``Approval``.
struct ApprovalRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "destructionApproval"

    var listId: String
    var position: Int
    var role: String
    var approvedBy: String
    var approvedAt: String
    var personId: String?
    var osUser: String?

    enum Columns {
        static let listId = Column(CodingKeys.listId)
        static let position = Column(CodingKeys.position)
    }

    /// The approvals of a list, in the order of the roles.
    static func approvals(_ db: Database, listId: String) throws -> [Approval] {
        try filter(Columns.listId == listId).order(Columns.position).fetchAll(db).map {
            Approval(position: $0.position, role: $0.role, name: $0.approvedBy, at: $0.approvedAt, personId: $0.personId, osUser: $0.osUser)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// One row of `optOutPurgeCount`: what a purge run keeps of its items, copies and bytes per mailbox and ground. The
/// destruction stage owns the table.
struct OptOutPurgeCountRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "optOutPurgeCount"

    var runId: String
    var mailbox: String
    var ground: String
    var copies: Int
    var bytes: Int64

    enum Columns {
        static let runId = Column(CodingKeys.runId)
        static let mailbox = Column(CodingKeys.mailbox)
        static let ground = Column(CodingKeys.ground)
    }

    /// The counts of every run, by run id.
    static func all(_ db: Database) throws -> [String: [OptOutPurge.Count]] {
        var out: [String: [OptOutPurge.Count]] = [:]
        for r in try order(Columns.runId, Columns.mailbox, Columns.ground).fetchAll(db) {
            out[r.runId, default: []].append(OptOutPurge.Count(mailbox: r.mailbox, ground: r.ground, copies: r.copies, bytes: r.bytes))
        }
        return out
    }
}

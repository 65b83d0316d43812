// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// Lookups of single copies for the web service: the message view finds a copy by its id, the opt-out page the copies
/// captured recently in a person's own mailboxes.
extension Catalog {
    /// The copy with id `id` (in any state), or nil when there is none.
    public func copy(id: Int64) throws -> CatalogCopy? {
        try read { db in
            try Row.fetchOne(db, sql: CatalogCopy.selectSQL + " WHERE c.id = ?", arguments: [id]).map(CatalogCopy.init(row:))
        }
    }

    /// The copies still in the archive (state `present`) in `mailboxes` that were captured at or after `capturedSince`
    /// (seconds since the epoch), newest capture first, then by message date; at most `limit`, after skipping `offset`.
    public func copies(mailboxes: [String], capturedSince: Int64, limit: Int, offset: Int = 0) throws -> [CatalogCopy] {
        guard !mailboxes.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: CatalogCopy.selectSQL + """
                 WHERE c.state = 'present' AND c.mailbox IN (SELECT value FROM json_each(?)) AND c.capturedEpoch >= ?
                 ORDER BY c.capturedEpoch DESC, COALESCE(m.dateEpoch, c.capturedEpoch) DESC, c.id DESC LIMIT ? OFFSET ?
                """, arguments: [JSONText.array(mailboxes.map { $0.lowercased() }.sorted()), capturedSince, max(0, limit), max(0, offset)])
                .map(CatalogCopy.init(row:))
        }
    }

    /// How many copies ``copies(mailboxes:capturedSince:limit:offset:)`` finds in all.
    public func countCopies(mailboxes: [String], capturedSince: Int64) throws -> Int {
        guard !mailboxes.isEmpty else { return 0 }
        return try read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM copy c WHERE c.state = 'present' AND c.mailbox IN (SELECT value FROM json_each(?)) AND c.capturedEpoch >= ?
                """, arguments: [JSONText.array(mailboxes.map { $0.lowercased() }.sorted()), capturedSince]) ?? 0
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

extension ItemState: DatabaseValueConvertible {}

/// One row of `destructionItem`: the journal of one item of a list, column for column. The destruction stage owns the
/// table; the rest of it reads ``ListItem``.
struct DestructionItemRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "destructionItem"

    var listId: String
    var seq: Int64
    var copyId: Int64
    var mailbox: String
    var sha256: String
    var messageId: String
    var date: String?
    var size: Int64
    var messageClass: String
    var rule: String
    var ground: String?
    var state: ItemState
    var reason: String?
    var changedAt: String?
    var changedBy: String?
    /// Whether the item's execution removes its bytes (no other copy in the archive needs them).
    var removeBytes: Bool?

    enum Columns {
        static let listId = Column(CodingKeys.listId)
        static let seq = Column(CodingKeys.seq)
        static let copyId = Column(CodingKeys.copyId)
        static let size = Column(CodingKeys.size)
        static let ground = Column(CodingKeys.ground)
        static let state = Column(CodingKeys.state)
        static let reason = Column(CodingKeys.reason)
        static let changedAt = Column(CodingKeys.changedAt)
        static let changedBy = Column(CodingKeys.changedBy)
        static let removeBytes = Column(CodingKeys.removeBytes)
    }

    /// The item as the rest of the stage reads it.
    var item: ListItem {
        ListItem(seq: seq, copyId: copyId, mailbox: mailbox, sha256: sha256, messageId: messageId, date: date, size: size,
                 messageClass: messageClass, rule: rule, ground: ground, state: state, reason: reason, changedAt: changedAt,
                 changedBy: changedBy)
    }
}

extension DestructionItemRecord {
    private static func item(_ listId: String, _ copyId: Int64) -> QueryInterfaceRequest<DestructionItemRecord> {
        filter(Columns.listId == listId && Columns.copyId == copyId)
    }

    /// The items of a list, in list order; optionally only those in `states`.
    static func items(_ db: Database, listId: String, states: [ItemState]? = nil) throws -> [ListItem] {
        var request = filter(Columns.listId == listId)
        if let states { request = request.filter(states.contains(Columns.state)) }
        return try request.order(Columns.seq).fetchAll(db).map(\.item)
    }

    /// The next items of a list to carry out: first those a killed run left `destroying`, then the `due` ones, in list
    /// order; at most `limit`.
    static func toCarryOut(_ db: Database, listId: String, limit: Int) throws -> [ListItem] {
        try filter(Columns.listId == listId && [ItemState.destroying, .due].contains(Columns.state))
            .order(SQL("CASE state WHEN 'destroying' THEN 0 ELSE 1 END"), Columns.seq).limit(limit).fetchAll(db).map(\.item)
    }

    /// The copies on a list that is still open (proposed, approved or executing) and not taken off it.
    static func openCopyIds(_ db: Database) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: """
            SELECT i.copyId FROM destructionItem i JOIN destructionList l ON l.id = i.listId
            WHERE l.status IN ('proposed', 'approved', 'executing') AND i.state NOT IN ('excluded', 'skipped')
            """))
    }

    /// Which of `copyIds` an item of any list is destroying right now.
    static func destroyingCopyIds(_ db: Database, among copyIds: [Int64]) throws -> Set<Int64> {
        guard !copyIds.isEmpty else { return [] }
        return Set(try Int64.fetchAll(db, sql: """
            SELECT DISTINCT copyId FROM destructionItem WHERE state = 'destroying' AND copyId IN (SELECT value FROM json_each(?))
            """, arguments: ["[" + copyIds.map(String.init).joined(separator: ",") + "]"]))
    }

    /// How many of `copyIds` are items of any list or purge run.
    static func listedCount(_ db: Database, copyIds: [Int64]) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(DISTINCT i.copyId) FROM destructionItem i JOIN destructionList l ON l.id = i.listId
            WHERE i.copyId IN (SELECT value FROM json_each(?))
            """, arguments: ["[" + copyIds.map(String.init).joined(separator: ",") + "]"]) ?? 0
    }

    /// How many items of a list were destroyed while their bytes stayed for other copies.
    static func destroyedKeepingBytes(_ db: Database, listId: String) throws -> Int {
        try filter(Columns.listId == listId && Columns.state == ItemState.destroyed && Columns.removeBytes == false).fetchCount(db)
    }

    /// How many items of a list are in `state`.
    static func count(_ db: Database, listId: String, state: ItemState) throws -> Int {
        try filter(Columns.listId == listId && Columns.state == state).fetchCount(db)
    }

    /// The destroyed items of a purge run counted per mailbox and ground (a missing ground counts as private).
    static func purgeCounts(_ db: Database, listId: String) throws -> [OptOutPurge.Count] {
        try Row.fetchAll(db, sql: """
            SELECT mailbox, COALESCE(ground, 'private'), COUNT(*), SUM(size) FROM destructionItem
            WHERE listId = ? AND state = 'destroyed' GROUP BY mailbox, ground ORDER BY mailbox, ground
            """, arguments: [listId]).map { OptOutPurge.Count(mailbox: $0[0], ground: $0[1], copies: $0[2], bytes: $0[3]) }
    }

    /// Takes an item off a list before approval (excluded), with the reason.
    static func exclude(_ db: Database, listId: String, copyId: Int64, reason: String, at: String, by: String) throws {
        try item(listId, copyId).updateAll(db, [Columns.state.set(to: ItemState.excluded), Columns.reason.set(to: reason),
                                                Columns.changedAt.set(to: at), Columns.changedBy.set(to: by)])
    }

    /// Skips an item at execution, with the reason.
    static func skip(_ db: Database, listId: String, copyId: Int64, reason: String, at: String) throws {
        try item(listId, copyId).updateAll(db, [Columns.state.set(to: ItemState.skipped), Columns.reason.set(to: reason),
                                                Columns.changedAt.set(to: at)])
    }

    /// Records the opt-out ground an item is purged on.
    static func setGround(_ db: Database, listId: String, copyId: Int64, ground: String) throws {
        try item(listId, copyId).updateAll(db, Columns.ground.set(to: ground))
    }

    /// Confirms a listed item as due at execution (an item already due stays as it is).
    static func markDue(_ db: Database, listId: String, copyId: Int64, at: String) throws {
        try item(listId, copyId).filter(Columns.state == ItemState.listed)
            .updateAll(db, [Columns.state.set(to: ItemState.due), Columns.changedAt.set(to: at)])
    }

    /// Commits an item to its destruction: from now on its bytes may be gone.
    static func markDestroying(_ db: Database, listId: String, copyId: Int64, removeBytes: Bool, at: String) throws {
        try item(listId, copyId).updateAll(db, [Columns.state.set(to: ItemState.destroying), Columns.removeBytes.set(to: removeBytes),
                                                Columns.changedAt.set(to: at)])
    }

    /// Records that the item's bytes stay after all (another copy has appeared).
    static func keepBytes(_ db: Database, listId: String, copyId: Int64) throws {
        try item(listId, copyId).updateAll(db, Columns.removeBytes.set(to: false))
    }

    /// Records the item as destroyed.
    static func markDestroyed(_ db: Database, listId: String, copyId: Int64, at: String) throws {
        try item(listId, copyId).updateAll(db, [Columns.state.set(to: ItemState.destroyed), Columns.changedAt.set(to: at)])
    }

    /// Removes the items of a purge run (its counts stay, see ``OptOutPurgeCountRecord``).
    static func removeAll(_ db: Database, listId: String) throws {
        try filter(Columns.listId == listId).deleteAll(db)
    }
}

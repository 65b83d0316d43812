// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// One row of `chatStrip`: that the project lead stripped private messages from a conversation before its hand-over
/// (bijlage 4, privacy): how many, with how many media files, by whom and when; never which or what.
///
/// The archive target owns the table; the chat stage adds one row per strip.
public struct ChatStripRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "chatStrip"

    public var id: Int64?
    public var conversationId: Int64
    public var messageCount: Int
    public var mediaCount: Int
    public var strippedAt: String
    /// The actor's audit text.
    public var strippedBy: String

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let conversationId = Column(CodingKeys.conversationId)
    }

    public init(conversationId: Int64, messageCount: Int, mediaCount: Int, strippedAt: String, strippedBy: String) {
        self.conversationId = conversationId
        self.messageCount = messageCount
        self.mediaCount = mediaCount
        self.strippedAt = strippedAt
        self.strippedBy = strippedBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The strips of a conversation, in order.
    public static func all(_ db: Database, conversationId: Int64) throws -> [ChatStripRecord] {
        try filter(Columns.conversationId == conversationId).order(Columns.id).fetchAll(db)
    }
}

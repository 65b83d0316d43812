// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// One row of `chatMedia`: a media file of a conversation (a zip member or an MMS part), stored on its own in the
/// content store so that it outlives the export file, or named by a message but missing from the export.
///
/// The archive target owns the table (so that `store verify` knows the files); the chat stage adds rows at ingest,
/// marks those of stripped messages (``markStripped(_:conversationId:messageSeqs:)``) and removes them at hand-over
/// (``removeStripped(_:conversationId:)``).
public struct ChatMediaRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "chatMedia"

    public var conversationId: Int64
    public var name: String
    /// The SHA-256 of its bytes in the store; nil when the export does not hold it.
    public var sha256: String?
    public var size: Int64?
    /// The first message that names it; nil when no message does.
    public var messageSeq: Int?
    public var state: ChatMediaState

    public enum Columns {
        public static let conversationId = Column(CodingKeys.conversationId)
        public static let name = Column(CodingKeys.name)
        public static let sha256 = Column(CodingKeys.sha256)
        public static let messageSeq = Column(CodingKeys.messageSeq)
        public static let state = Column(CodingKeys.state)
    }

    public init(conversationId: Int64, name: String, sha256: String?, size: Int64?, messageSeq: Int?, state: ChatMediaState) {
        self.conversationId = conversationId
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.messageSeq = messageSeq
        self.state = state
    }
}

extension ChatMediaRecord {
    /// The media of a conversation, by name.
    public static func all(_ db: Database, conversationId: Int64) throws -> [ChatMediaRecord] {
        try filter(Columns.conversationId == conversationId).order(Columns.name).fetchAll(db)
    }

    /// Marks the media of messages `messageSeqs` stripped. Returns how many files that concerns.
    @discardableResult
    public static func markStripped(_ db: Database, conversationId: Int64, messageSeqs: [Int]) throws -> Int {
        try filter(Columns.conversationId == conversationId && messageSeqs.contains(Columns.messageSeq))
            .updateAll(db, Columns.state.set(to: ChatMediaState.stripped))
    }

    /// Removes the rows of a conversation's stripped media; returns the SHA-256s of their bytes that no other media file
    /// or export in the catalog still needs (the caller removes those bytes from the store after the commit).
    public static func removeStripped(_ db: Database, conversationId: Int64) throws -> [String] {
        let mine = filter(Columns.conversationId == conversationId && Columns.state == ChatMediaState.stripped)
        let shas = Set(try mine.select(Columns.sha256, as: String?.self).fetchAll(db).compactMap { $0 })
        try mine.deleteAll(db)
        let needed = try storedSHA256s(db).union(ChatConversationRecord.storedExportSHA256s(db))
        return shas.subtracting(needed).sorted()
    }

    /// The SHA-256 of every media file the store must hold (stored, or stripped but not yet removed).
    public static func storedSHA256s(_ db: Database) throws -> Set<String> {
        try Set(filter(Columns.state != ChatMediaState.missing && Columns.sha256 != nil)
            .select(Columns.sha256, as: String.self).fetchAll(db))
    }
}

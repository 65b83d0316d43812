// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// One row of `chatMessage`: one message of a conversation as read from its export, numbered in export order.
///
/// The archive target owns the table; the chat stage adds the rows at ingest (``insert(_:)``) and removes the messages
/// the project lead strips (``remove(_:conversationId:seqs:)``): a stripped message leaves no row, only a gap in the
/// numbering and a count in ``ChatStripRecord``.
public struct ChatMessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "chatMessage"

    public var conversationId: Int64
    /// 1 for the first message of the export, 2 for the second, …
    public var seq: Int
    /// The line of the export where it starts.
    public var line: Int
    public var kind: ChatMessageKind
    /// The sender as the export names them; nil for system lines.
    public var sender: String?
    /// The sender's phone number, when the export gives it apart from the name (SMS).
    public var senderAddress: String?
    /// The register person whose name the sender's name is, if any.
    public var personId: String?
    /// ISO 8601 with the Amsterdam offset of that moment.
    public var time: String
    public var epoch: Int64
    public var text: String
    /// The media file names, a JSON array.
    public var mediaJSON: String
    /// The export left the media out (`<Media weggelaten>`).
    public var mediaOmitted: Bool

    public enum Columns {
        public static let conversationId = Column(CodingKeys.conversationId)
        public static let seq = Column(CodingKeys.seq)
        public static let epoch = Column(CodingKeys.epoch)
    }

    public init(conversationId: Int64, seq: Int, line: Int, kind: ChatMessageKind, sender: String?, senderAddress: String?,
                personId: String?, time: String, epoch: Int64, text: String, media: [String], mediaOmitted: Bool) {
        self.conversationId = conversationId
        self.seq = seq
        self.line = line
        self.kind = kind
        self.sender = sender
        self.senderAddress = senderAddress
        self.personId = personId
        self.time = time
        self.epoch = epoch
        self.text = text
        self.mediaJSON = JSONText.array(media)
        self.mediaOmitted = mediaOmitted
    }

    /// The media file names.
    public var media: [String] { JSONText.decodeArray(mediaJSON) }
}

extension ChatMessageRecord {
    /// The messages of a conversation (or of every conversation), in conversation and export order.
    public static func all(_ db: Database, conversationId: Int64? = nil) throws -> [ChatMessageRecord] {
        var request = order(Columns.conversationId, Columns.seq)
        if let conversationId { request = request.filter(Columns.conversationId == conversationId) }
        return try request.fetchAll(db)
    }

    /// Which of `seqs` the conversation has.
    public static func existing(_ db: Database, conversationId: Int64, seqs: [Int]) throws -> Set<Int> {
        try Set(filter(Columns.conversationId == conversationId && seqs.contains(Columns.seq))
            .select(Columns.seq, as: Int.self).fetchAll(db))
    }

    /// Removes messages `seqs` of a conversation (a strip). Returns how many were removed.
    @discardableResult
    public static func remove(_ db: Database, conversationId: Int64, seqs: [Int]) throws -> Int {
        try filter(Columns.conversationId == conversationId && seqs.contains(Columns.seq)).deleteAll(db)
    }
}

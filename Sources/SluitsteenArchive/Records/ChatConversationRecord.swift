// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// One row of `chatConversation`: one chat export taken in under a hotspot or a Woo request, with the person who
/// handed it over, where its bytes are (``exportSHA256`` in the content store) and where its review stands.
///
/// The archive target owns the table (so that `store verify` knows the export files); the chat stage adds rows at
/// ingest (``insert(_:)``), marks the hand-over (``markHandedOver(_:id:at:by:exportRemoved:)``) and nothing else.
public struct ChatConversationRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "chatConversation"

    public var id: Int64?
    public var format: ChatFormat
    /// The chat's name (from the export's file name).
    public var title: String
    /// The path the export was taken in from.
    public var sourceFile: String
    public var exportSHA256: String
    public var exportSize: Int64
    public var exportState: ChatExportState
    /// The order of day and month its dates were read in (nil for SMS XML).
    public var dateOrder: DateOrder?
    /// The hotspot it was taken in under (its id and name at ingest), or nil under a Woo request.
    public var hotspotId: String?
    public var hotspotName: String?
    /// The Woo hold it was taken in under (its id and the request's zaaknummer), or nil under a hotspot.
    public var wooHoldId: String?
    public var zaaknummer: String?
    /// The registered person who handed the export over (person_id), and their name then.
    public var handedOverBy: String
    public var handedOverByName: String
    public var capturedAt: String
    public var capturedEpoch: Int64
    /// The first and last message's time (ISO 8601 with offset) and epoch seconds.
    public var firstTime: String?
    public var firstEpoch: Int64?
    public var lastTime: String?
    public var lastEpoch: Int64?
    /// Messages read from the export at ingest (stripped ones included: see ``ChatStripRecord``).
    public var messageCount: Int
    public var state: ChatConversationState
    public var handoverAt: String?
    /// Who handed it over to DIV (the audit text of the actor).
    public var handoverBy: String?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let exportSHA256 = Column(CodingKeys.exportSHA256)
        public static let exportState = Column(CodingKeys.exportState)
        public static let state = Column(CodingKeys.state)
        public static let handoverAt = Column(CodingKeys.handoverAt)
        public static let handoverBy = Column(CodingKeys.handoverBy)
    }

    public init(id: Int64? = nil, format: ChatFormat, title: String, sourceFile: String, exportSHA256: String, exportSize: Int64,
                exportState: ChatExportState = .stored, dateOrder: DateOrder?, hotspotId: String?, hotspotName: String?,
                wooHoldId: String?, zaaknummer: String?, handedOverBy: String, handedOverByName: String, capturedAt: String,
                capturedEpoch: Int64, firstTime: String?, firstEpoch: Int64?, lastTime: String?, lastEpoch: Int64?,
                messageCount: Int, state: ChatConversationState = .review, handoverAt: String? = nil, handoverBy: String? = nil) {
        self.id = id
        self.format = format
        self.title = title
        self.sourceFile = sourceFile
        self.exportSHA256 = exportSHA256
        self.exportSize = exportSize
        self.exportState = exportState
        self.dateOrder = dateOrder
        self.hotspotId = hotspotId
        self.hotspotName = hotspotName
        self.wooHoldId = wooHoldId
        self.zaaknummer = zaaknummer
        self.handedOverBy = handedOverBy
        self.handedOverByName = handedOverByName
        self.capturedAt = capturedAt
        self.capturedEpoch = capturedEpoch
        self.firstTime = firstTime
        self.firstEpoch = firstEpoch
        self.lastTime = lastTime
        self.lastEpoch = lastEpoch
        self.messageCount = messageCount
        self.state = state
        self.handoverAt = handoverAt
        self.handoverBy = handoverBy
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ChatConversationRecord {
    /// The conversation with this id, if any.
    public static func find(_ db: Database, id: Int64) throws -> ChatConversationRecord? {
        try filter(Columns.id == id).fetchOne(db)
    }

    /// The conversation taken in from an export with these bytes, if any.
    public static func find(_ db: Database, exportSHA256: String) throws -> ChatConversationRecord? {
        try filter(Columns.exportSHA256 == exportSHA256).fetchOne(db)
    }

    /// Every conversation, by id.
    public static func all(_ db: Database) throws -> [ChatConversationRecord] {
        try order(Columns.id).fetchAll(db)
    }

    /// Marks conversation `id` handed over to DIV (read-only from now on); `exportRemoved` records that the export file
    /// as received was removed from the store (messages had been stripped from it).
    public static func markHandedOver(_ db: Database, id: Int64, at: String, by: String, exportRemoved: Bool) throws {
        var assignments = [Columns.state.set(to: ChatConversationState.handedOver), Columns.handoverAt.set(to: at),
                           Columns.handoverBy.set(to: by)]
        if exportRemoved { assignments.append(Columns.exportState.set(to: ChatExportState.removed)) }
        try filter(Columns.id == id).updateAll(db, assignments)
    }

    /// The SHA-256 of every export file the store must hold.
    public static func storedExportSHA256s(_ db: Database) throws -> Set<String> {
        try Set(filter(Columns.exportState == ChatExportState.stored).select(Columns.exportSHA256, as: String.self).fetchAll(db))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// One row of `message`: a distinct message, keyed by the SHA-256 of its bytes, with the metadata ingest read from
/// its header.
///
/// The archive target owns the table: ingest adds rows through ``CaptureWriter``, the full-text index marks them
/// through ``MessageText``, destruction scrubs them (``PersonalData/scrubMessage(_:sha256:state:)``) and the withdrawal
/// of a batch removes them (``remove(_:sha256:)``). The address columns hold ``CatalogAddress`` lists.
public struct MessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "message"

    public var sha256: String
    public var size: Int64
    public var messageId: String
    public var messageIdSynthetic: Bool
    /// The Date header, ISO 8601 with the offset it was written in.
    public var date: String?
    public var dateEpoch: Int64?
    /// Where the date came from (`header`, `received`, `from-line`, `capture-time`, …).
    public var dateSource: String
    public var subject: String
    public var fromJSON: String
    public var toJSON: String
    public var ccJSON: String
    public var bccJSON: String
    public var headerKeywordsJSON: String
    public var attachmentCount: Int
    public var attachmentNamesJSON: String
    public var defectsJSON: String
    public var flagged: Bool
    public var contentState: ContentState
    /// The full-text index needs nothing more for this message (indexed, or its content is gone).
    public var textIndexed: Bool
    /// The newest Received header (the organisation's own server).
    public var receivedEpoch: Int64?
    /// The message was read in full (attachments and every defect); false while only its header block is read
    /// (ingest), until `index` reads the rest.
    public var parsed: Bool = true

    public enum Columns {
        public static let sha256 = Column(CodingKeys.sha256)
        public static let size = Column(CodingKeys.size)
        public static let messageId = Column(CodingKeys.messageId)
        public static let messageIdSynthetic = Column(CodingKeys.messageIdSynthetic)
        public static let date = Column(CodingKeys.date)
        public static let dateEpoch = Column(CodingKeys.dateEpoch)
        public static let dateSource = Column(CodingKeys.dateSource)
        public static let subject = Column(CodingKeys.subject)
        public static let fromJSON = Column(CodingKeys.fromJSON)
        public static let toJSON = Column(CodingKeys.toJSON)
        public static let ccJSON = Column(CodingKeys.ccJSON)
        public static let bccJSON = Column(CodingKeys.bccJSON)
        public static let headerKeywordsJSON = Column(CodingKeys.headerKeywordsJSON)
        public static let attachmentCount = Column(CodingKeys.attachmentCount)
        public static let attachmentNamesJSON = Column(CodingKeys.attachmentNamesJSON)
        public static let defectsJSON = Column(CodingKeys.defectsJSON)
        public static let flagged = Column(CodingKeys.flagged)
        public static let contentState = Column(CodingKeys.contentState)
        public static let textIndexed = Column(CodingKeys.textIndexed)
        public static let receivedEpoch = Column(CodingKeys.receivedEpoch)
        public static let parsed = Column(CodingKeys.parsed)
    }

    /// The senders, addressees, cc and bcc addressees.
    public var from: [CatalogAddress] { CatalogAddress.list(json: fromJSON) }
    public var to: [CatalogAddress] { CatalogAddress.list(json: toJSON) }
    public var cc: [CatalogAddress] { CatalogAddress.list(json: ccJSON) }
    public var bcc: [CatalogAddress] { CatalogAddress.list(json: bccJSON) }
}

extension MessageRecord {
    /// The message with this SHA-256, if the catalog has it.
    public static func find(_ db: Database, sha256: String) throws -> MessageRecord? {
        try filter(Columns.sha256 == sha256).fetchOne(db)
    }

    /// Whether the catalog has a message with this SHA-256.
    public static func exists(_ db: Database, sha256: String) throws -> Bool {
        try filter(Columns.sha256 == sha256).fetchCount(db) > 0
    }

    /// The SHA-256 of every message whose bytes are stored.
    public static func storedSHA256s(_ db: Database) throws -> Set<String> {
        try Set(filter(Columns.contentState == ContentState.stored).select(Columns.sha256, as: String.self).fetchAll(db))
    }

    /// The subjects of the messages with these SHA-256s (what a scrubbed message has is an empty subject).
    public static func subjects(_ db: Database, sha256s: Set<String>) throws -> [String: String] {
        var out: [String: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT sha256, subject FROM message WHERE sha256 IN (SELECT value FROM json_each(?))",
                                         arguments: [JSONText.array(sha256s.sorted())])
        while let row = try cursor.next() { out[row[0]] = row[1] }
        return out
    }

    /// The Message-IDs of the messages with these SHA-256s.
    public static func messageIds(_ db: Database, sha256s: Set<String>) throws -> [String: String] {
        var out: [String: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT sha256, messageId FROM message WHERE sha256 IN (SELECT value FROM json_each(?))",
                                         arguments: [JSONText.array(sha256s.sorted())])
        while let row = try cursor.next() { out[row[0]] = row[1] }
        return out
    }

    /// Sets whether the full-text index needs anything more for the message (destruction sets it before the bytes
    /// go, so that no index run reads them, and back when the bytes stay after all).
    public static func setTextIndexed(_ db: Database, sha256: String, _ indexed: Bool) throws {
        try filter(Columns.sha256 == sha256).updateAll(db, Columns.textIndexed.set(to: indexed))
    }

    /// Removes the message and its full-text index row (the withdrawal of the batch that alone held it). Returns its
    /// size, or nil when there was no such message.
    @discardableResult
    public static func remove(_ db: Database, sha256: String) throws -> Int64? {
        guard let row = try filter(Columns.sha256 == sha256).select(Column.rowID, Columns.size).asRequest(of: Row.self).fetchOne(db)
        else { return nil }
        let rowid: Int64 = row[0]
        try MessageText.remove(db, messageRowid: rowid)
        try filter(Column.rowID == rowid).deleteAll(db)
        return row[1]
    }
}

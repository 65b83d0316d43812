// SPDX-License-Identifier: EUPL-1.2

/// The catalog values of one captured message (its `message` row), built from its parsed header on the parsing
/// threads, so that the single writer thread only binds and inserts.
public struct CapturedMessage: Sendable {
    public var messageId: String
    public var messageIdSynthetic: Bool
    public var date: String?
    public var dateEpoch: Int64?
    public var dateSource: String
    public var subject: String
    /// ``CatalogAddress`` lists (``CatalogAddress/json(_:)``).
    public var fromJSON: String
    public var toJSON: String
    public var ccJSON: String
    public var bccJSON: String
    public var headerKeywordsJSON: String
    public var attachmentCount: Int
    public var attachmentNamesJSON: String
    public var defectsJSON: String
    public var flagged: Bool
    public var receivedEpoch: Int64?
    /// Read in full (attachments and every defect), or only its header block (the full reading is `index`'s).
    public var parsed: Bool

    public init(messageId: String, messageIdSynthetic: Bool, date: String?, dateEpoch: Int64?, dateSource: String, subject: String,
                fromJSON: String, toJSON: String, ccJSON: String, bccJSON: String, headerKeywordsJSON: String, attachmentCount: Int,
                attachmentNamesJSON: String, defectsJSON: String, flagged: Bool, receivedEpoch: Int64?, parsed: Bool = true) {
        self.messageId = messageId
        self.messageIdSynthetic = messageIdSynthetic
        self.date = date
        self.dateEpoch = dateEpoch
        self.dateSource = dateSource
        self.subject = subject
        self.fromJSON = fromJSON
        self.toJSON = toJSON
        self.ccJSON = ccJSON
        self.bccJSON = bccJSON
        self.headerKeywordsJSON = headerKeywordsJSON
        self.attachmentCount = attachmentCount
        self.attachmentNamesJSON = attachmentNamesJSON
        self.defectsJSON = defectsJSON
        self.flagged = flagged
        self.receivedEpoch = receivedEpoch
        self.parsed = parsed
    }
}

/// One captured mailbox copy (its `copy` row) with its message, as ingest hands it to ``CaptureWriter``.
public struct CapturedCopy: Sendable {
    public var sha256: String
    public var size: Int
    /// The bytes were written to the store by this run (not there before).
    public var newContent: Bool
    public var message: CapturedMessage
    public var folder: String
    /// 1 for the first copy of these bytes in this folder of this capture, 2 for the second, …
    public var occurrence: Int
    public var sourceFile: String
    public var position: Int
    public var keywordsJSON: String
    public var flagsJSON: String

    public init(sha256: String, size: Int, newContent: Bool, message: CapturedMessage, folder: String, occurrence: Int,
                sourceFile: String, position: Int, keywordsJSON: String, flagsJSON: String) {
        self.sha256 = sha256
        self.size = size
        self.newContent = newContent
        self.message = message
        self.folder = folder
        self.occurrence = occurrence
        self.sourceFile = sourceFile
        self.position = position
        self.keywordsJSON = keywordsJSON
        self.flagsJSON = flagsJSON
    }
}

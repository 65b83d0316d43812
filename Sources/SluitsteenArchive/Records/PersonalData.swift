// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// The one place that knows which columns of `message` and `copy` are personal data: what goes when a message's last
/// copy is destroyed or purged, and what a copy's tombstone keeps.
///
/// Every column of the two tables is listed here, either as personal (with what scrubbing leaves in it) or as kept
/// (with the reason it may stay). A test reads the tables' columns from the catalog and fails on a column in neither
/// list, so a column added later cannot outlive a destruction unnoticed.
public enum PersonalData {
    /// What scrubbing leaves in a personal column: an empty text or list, or (a copy's folder) the tombstone's digest.
    public enum Scrubbed: Sendable, Equatable {
        case value(String)
        case folderKey
    }

    /// The personal columns of `message`: the header values that say what the mail is about and who took part.
    public static let messageColumns: [(column: String, scrubbed: Scrubbed)] = [
        ("subject", .value("")), ("fromJSON", .value("[]")), ("toJSON", .value("[]")), ("ccJSON", .value("[]")),
        ("bccJSON", .value("[]")), ("headerKeywordsJSON", .value("[]")), ("attachmentNamesJSON", .value("[]")),
        ("defectsJSON", .value("[]")),
    ]

    /// The columns of `message` a scrubbed message keeps, and why they may stay.
    public static let keptMessageColumns: [String: String] = [
        "sha256": "identifies the destroyed content (its bytes are gone)",
        "size": "the verklaring van vernietiging counts the bytes destroyed",
        "messageId": "the item list and the verklaring name the destroyed message by it",
        "messageIdSynthetic": "says only whether the Message-ID was made up at capture",
        "date": "the item list and the verklaring date the destroyed message",
        "dateEpoch": "the same date, as a number",
        "dateSource": "says only where the date came from",
        "attachmentCount": "a number; the attachments' names go",
        "flagged": "says only that capture found a defect",
        "contentState": "records that the content was destroyed or purged",
        "textIndexed": "the full-text index's bookkeeping (its row goes with the scrub)",
        "receivedEpoch": "the arrival time, a date like the others",
        "parsed": "says only whether the message was read in full (bookkeeping of `index`)",
    ]

    /// The personal columns of `copy`: where the owner kept the mail and what they marked it with.
    public static let copyColumns: [(column: String, scrubbed: Scrubbed)] = [
        ("folder", .folderKey), ("keywordsJSON", .value("[]")), ("flagsJSON", .value("[]")), ("sourceFile", .value("")),
    ]

    /// The columns of `copy` a tombstone keeps, and why they may stay.
    public static let keptCopyColumns: [String: String] = [
        "id": "the item lists and the audit trail refer to the copy by it",
        "mailbox": "the verklaring counts per mailbox; the register names the mailbox anyway",
        "sha256": "ties the tombstone to its message's tombstone",
        "occurrence": "with the folder's digest, keeps a re-ingest from bringing the copy back",
        "position": "a number in the export",
        "capturedAt": "when the copy was captured",
        "capturedEpoch": "the same moment, as a number",
        "batchId": "the ingest batch that captured it",
        "state": "records that the copy was destroyed or purged",
        "messageRowid": "the join to its message's tombstone",
    ]

    /// Scrubs a message whose last copy is gone: every personal column gets its scrubbed value, the content state
    /// records how it went, and its row of the full-text index is removed.
    public static func scrubMessage(_ db: Database, sha256: String, state: ContentState) throws {
        var assignments = messageColumns.map { entry -> ColumnAssignment in
            guard case .value(let text) = entry.scrubbed else { preconditionFailure("a message column has no folder key") }
            return Column(entry.column).set(to: text)
        }
        assignments.append(MessageRecord.Columns.contentState.set(to: state))
        let message = MessageRecord.filter(MessageRecord.Columns.sha256 == sha256)
        try message.updateAll(db, assignments)
        if let rowid = try message.select(Column.rowID, as: Int64.self).fetchOne(db) {
            try MessageText.remove(db, messageRowid: rowid)
        }
        try message.updateAll(db, MessageRecord.Columns.textIndexed.set(to: true))
    }

    /// Turns a copy into its tombstone: every personal column gets its scrubbed value (the folder name its digest, see
    /// ``Tombstone``), and the state records how it went.
    public static func scrubCopy(_ db: Database, id: Int64, state: CopyState) throws {
        guard let copy = try CopyRecord.find(db, id: id) else { return }
        var assignments = copyColumns.map { entry -> ColumnAssignment in
            switch entry.scrubbed {
            case .value(let text): return Column(entry.column).set(to: text)
            case .folderKey:
                let key = Tombstone.isFolderKey(copy.folder) ? copy.folder : Tombstone.folderKey(mailbox: copy.mailbox, folder: copy.folder)
                return Column(entry.column).set(to: key)
            }
        }
        assignments.append(CopyRecord.Columns.state.set(to: state))
        try CopyRecord.filter(CopyRecord.Columns.id == id).updateAll(db, assignments)
    }
}

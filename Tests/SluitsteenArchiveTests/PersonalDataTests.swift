import Foundation
import SluitsteenTestSupport
import GRDB
@testable import SluitsteenArchive
import Testing

/// Which columns of `message` and `copy` are personal data, and that scrubbing empties each of them.
@Suite struct PersonalDataTests {
    /// A new catalog in the test process's temporary folder (removed when the process exits).
    func catalog() throws -> Catalog {
        try Catalog(path: try TemporaryDirectory.forProcess("personal").path + ".sqlite")
    }

    /// The columns of `table` that ``PersonalData`` lists neither as personal nor as kept.
    static func unclassified(_ db: Database, table: String) throws -> [String] {
        let (personal, kept) = table == "message"
            ? (PersonalData.messageColumns.map(\.column), PersonalData.keptMessageColumns)
            : (PersonalData.copyColumns.map(\.column), PersonalData.keptCopyColumns)
        return try db.columns(in: table).map(\.name).filter { !personal.contains($0) && kept[$0] == nil }
    }

    @Test func everyColumnOfMessageAndCopyIsPersonalOrKeptForAReason() throws {
        try catalog().read { db throws in
            for table in ["message", "copy"] {
                #expect(try Self.unclassified(db, table: table) == [], "a column of \(table) that destruction would leave as it is")
                // No name in the lists that the table does not have, and none in both.
                let names = Set(try db.columns(in: table).map(\.name))
                let (personal, kept) = table == "message"
                    ? (PersonalData.messageColumns.map(\.column), PersonalData.keptMessageColumns)
                    : (PersonalData.copyColumns.map(\.column), PersonalData.keptCopyColumns)
                #expect(Set(personal).isSubset(of: names) && Set(kept.keys).isSubset(of: names))
                #expect(Set(personal).isDisjoint(with: kept.keys))
            }
        }
    }

    @Test func aColumnAddedLaterIsCaughtUntilItIsClassified() throws {
        let catalog = try catalog()
        try catalog.write { db throws in
            try db.execute(sql: "ALTER TABLE message ADD COLUMN senderNickname TEXT")
            try db.execute(sql: "ALTER TABLE copy ADD COLUMN ownerNote TEXT")
            #expect(try Self.unclassified(db, table: "message") == ["senderNickname"])
            #expect(try Self.unclassified(db, table: "copy") == ["ownerNote"])
        }
    }

    /// A message and a copy with a value in every column, and the message's index row.
    func filled(_ db: Database) throws -> (message: MessageRecord, copy: CopyRecord) {
        let message = MessageRecord(
            sha256: String(repeating: "a", count: 64), size: 1234, messageId: "<m@x>", messageIdSynthetic: false, date: "2024-03-01T10:00:00+01:00",
            dateEpoch: 1_709_283_600, dateSource: "header", subject: "Sollicitatie Jansen",
            fromJSON: CatalogAddress.json([CatalogAddress(name: "Jan Jansen", address: "jan@example.org")]),
            toJSON: CatalogAddress.json([CatalogAddress(name: nil, address: "hr@gemeente.example")]),
            ccJSON: CatalogAddress.json([CatalogAddress(name: "Piet", address: "piet@example.org")]),
            bccJSON: CatalogAddress.json([CatalogAddress(name: "Geheim", address: "geheim@example.org")]),
            headerKeywordsJSON: #"["vertrouwelijk"]"#, attachmentCount: 1, attachmentNamesJSON: #"["cv-jansen.pdf"]"#,
            defectsJSON: #"["no-date"]"#, flagged: true, contentState: .stored, textIndexed: true, receivedEpoch: 1_709_283_700)
        try message.insert(db)
        let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM message WHERE sha256 = ?", arguments: [message.sha256])!
        try db.execute(sql: "INSERT INTO messageText (rowid, sha256, text) VALUES (?, ?, 'Sollicitatie Jansen cv')",
                       arguments: [rowid, message.sha256])
        try db.execute(sql: "INSERT INTO ingestBatch (mailbox, format, pathsJSON, startedAt) VALUES ('hr@gemeente.example', 'mbox', '[]', 't')")
        var copy = CopyRecord(id: nil, mailbox: "hr@gemeente.example", sha256: message.sha256, folder: "Inbox/Sollicitatie Jansen", occurrence: 1,
                              sourceFile: "/exports/hr.mbox", position: 7, keywordsJSON: #"["privé"]"#, flagsJSON: #"["\\Seen"]"#,
                              capturedAt: "2024-03-02T10:00:00Z", capturedEpoch: 1_709_373_600, batchId: db.lastInsertedRowID,
                              state: .present, messageRowid: rowid)
        try copy.insert(db)
        copy.id = db.lastInsertedRowID
        return (message, copy)
    }

    @Test func scrubbingEmptiesEveryPersonalColumnAndKeepsTheRest() throws {
        try catalog().write { db throws in
            let (message, copy) = try filled(db)
            try PersonalData.scrubCopy(db, id: copy.id!, state: .destroyed)
            try PersonalData.scrubMessage(db, sha256: message.sha256, state: .destroyed)

            let scrubbedMessage = try Row.fetchOne(db, sql: "SELECT * FROM message WHERE sha256 = ?", arguments: [message.sha256])!
            let original = try Row(message.databaseDictionary)
            for (column, scrubbed) in PersonalData.messageColumns {
                #expect(scrubbed == .value(scrubbedMessage[column]), "message.\(column)")
                #expect(original[column] as String != scrubbedMessage[column] as String, "message.\(column) held a value to scrub")
            }
            for column in PersonalData.keptMessageColumns.keys where !["contentState", "textIndexed"].contains(column) {
                #expect(original[column] as DatabaseValue == scrubbedMessage[column] as DatabaseValue, "message.\(column)")
            }
            #expect(scrubbedMessage["contentState"] == "destroyed" && scrubbedMessage["textIndexed"] == true)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messageText") == 0)

            let tombstone = try Row.fetchOne(db, sql: "SELECT * FROM copy WHERE id = ?", arguments: [copy.id])!
            let originalCopy = try Row(copy.databaseDictionary)
            for (column, scrubbed) in PersonalData.copyColumns {
                switch scrubbed {
                case .value(let text): #expect(tombstone[column] == text, "copy.\(column)")
                case .folderKey: #expect(tombstone[column] == Tombstone.folderKey(mailbox: copy.mailbox, folder: copy.folder))
                }
                #expect(originalCopy[column] as String != tombstone[column] as String, "copy.\(column) held a value to scrub")
            }
            for column in PersonalData.keptCopyColumns.keys where column != "state" {
                #expect(originalCopy[column] as DatabaseValue == tombstone[column] as DatabaseValue, "copy.\(column)")
            }
            #expect(tombstone["state"] == "destroyed")
        }
    }

    @Test func addressListsRoundTrip() {
        let list = [CatalogAddress(name: "Jansen, \"Jan\"\n", address: "jan@example.org"), CatalogAddress(name: nil, address: "a\\b@x.nl"),
                    CatalogAddress(name: "Ölçü ✓", address: "")]
        let json = CatalogAddress.json(list)
        #expect(json.hasPrefix(#"[{"name":"Jansen, \"Jan\"\n","address":"jan@example.org"},{"name":null,"address":"a\\b@x.nl"}"#))
        #expect(CatalogAddress.list(json: json) == list)
        #expect(CatalogAddress.list(json: "[]") == [] && CatalogAddress.list(json: "[{\"name\":") == [])
        #expect(list.map(\.text) == ["Jansen, \"Jan\"\n <jan@example.org>", "a\\b@x.nl", "Ölçü ✓"])
    }
}

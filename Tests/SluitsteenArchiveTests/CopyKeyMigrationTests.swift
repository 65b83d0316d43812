// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
@testable import SluitsteenArchive
import SluitsteenTestSupport
import Testing

/// `v27-copy-key-by-message`, run on a catalog as the code before it wrote one: the copy's unique key names the
/// message by rowid, every row stays with its id, the AUTOINCREMENT counter stays, and the key refuses what the old
/// one refused.
@Suite struct CopyKeyMigrationTests {
    static let mailbox = "a@b.example"
    static func sha(_ n: Int) -> String { String(repeating: "\(n)", count: 64) }

    /// A catalog at `v26-pack-summary` with three messages (the second deleted, so rowids have a gap), copies of them
    /// in two folders and twice in one (occurrence 2), a tombstone, a removed copy (the counter is ahead of the
    /// highest id), and a copy without its message's rowid (as copies made before `v6` may be).
    static func oldCatalog(in folder: TemporaryDirectory) throws -> String {
        let path = folder.appending("catalog.sqlite").path
        let old = try DatabaseQueue(path: path)
        try Catalog.migrator.migrate(old, upTo: "v26-pack-summary")
        try old.write { db in
            for n in 1...4 {
                try db.execute(sql: "INSERT INTO message (sha256, size, messageId, dateSource) VALUES (?, ?, ?, 'header')",
                               arguments: [sha(n), 100 + n, "<\(n)@x>"])
            }
            try db.execute(sql: "DELETE FROM message WHERE sha256 = ?", arguments: [sha(2)])
            try db.execute(sql: "INSERT INTO ingestBatch (mailbox, format, pathsJSON, startedAt) VALUES (?, 'mbox', '[]', 't')",
                           arguments: [mailbox])
            let copies: [(n: Int, folder: String, occurrence: Int, state: String)] = [
                (1, "Inbox", 1, "present"), (3, "Inbox", 1, "present"), (3, "Inbox", 2, "present"), (1, "Archief", 1, "transferred"),
                (4, "#digest", 1, "destroyed"), (4, "Weg", 1, "present"),
            ]
            for (position, c) in copies.enumerated() {
                try db.execute(sql: """
                    INSERT INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, capturedAt, capturedEpoch, batchId, state,
                        messageRowid)
                    VALUES (?, ?, ?, ?, 'f', ?, 't', 1, 1, ?, (SELECT rowid FROM message WHERE sha256 = ?))
                    """, arguments: [mailbox, sha(c.n), c.folder, c.occurrence, position, c.state, sha(c.n)])
            }
            try db.execute(sql: "DELETE FROM copy WHERE folder = 'Weg'")
            try db.execute(sql: "UPDATE copy SET messageRowid = NULL WHERE folder = 'Archief'")
        }
        try old.close()
        return path
    }

    /// The columns of the unique index of `copy`, in order.
    static func uniqueKey(_ db: Database) throws -> [String] {
        let unique = try Row.fetchAll(db, sql: "PRAGMA index_list(copy)").filter { $0["unique"] == 1 && $0["origin"] == "u" }
        #expect(unique.count == 1)
        guard let name = unique.first?["name"] as String? else { return [] }
        return try Row.fetchAll(db, sql: "PRAGMA index_info(\(name.quotedDatabaseIdentifier))").map { $0["name"] as String }
    }

    /// Every column of `copy`, in the table's order.
    static let columns = "id, mailbox, sha256, folder, occurrence, sourceFile, position, keywordsJSON, flagsJSON, capturedAt, "
        + "capturedEpoch, batchId, state"

    @Test func theKeyNamesTheMessageByRowidAndEveryCopyStays() throws {
        let folder = try TemporaryDirectory("copykey")
        let path = try Self.oldCatalog(in: folder)
        let before = try DatabaseQueue(path: path)
        // What every row must be after the migration: as it was, with a missing message rowid filled in.
        let rows = try before.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.columns), coalesce(messageRowid, (SELECT m.rowid FROM message m WHERE m.sha256 = copy.sha256)) AS messageRowid
                FROM copy ORDER BY id
                """).map(\.description)
        }
        #expect(try before.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM copy WHERE messageRowid IS NULL") } == 1)
        let counter = try before.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'copy'") }
        #expect(try before.read(Self.uniqueKey) == ["mailbox", "folder", "sha256", "occurrence"])
        try before.close()
        #expect(rows.count == 5 && counter == 6)

        let catalog = try Catalog(path: path)
        try catalog.read { db throws in
            #expect(try Self.uniqueKey(db) == ["messageRowid", "mailbox", "folder", "occurrence"])
            #expect(try Row.fetchAll(db, sql: "SELECT \(Self.columns), messageRowid FROM copy ORDER BY id").map(\.description) == rows)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM copy WHERE messageRowid IS NULL") == 0)
            #expect(try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'copy'") == counter)
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'copy' ORDER BY name")
            #expect(indexes == ["copy_plan", "copy_sha256", "sqlite_autoindex_copy_1"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
        }
    }

    /// The copies of a Message-ID in a mailbox (an employee's exclusion, a copy named by Message-ID) are found from the
    /// message through the new key, not by reading every copy of the mailbox; a copy whose rowid the migration filled
    /// in is found too.
    @Test func copiesOfAMessageIdAreFoundThroughTheKey() throws {
        let folder = try TemporaryDirectory("copykey")
        let catalog = try Catalog(path: Self.oldCatalog(in: folder))
        let plan = try catalog.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + CatalogCopy.byMessageSQL + " WHERE c.mailbox = ? AND m.messageId = ?",
                             arguments: [Self.mailbox, "<1@x>"]).map { $0["detail"] as String? ?? "" }.joined(separator: "; ")
        }
        #expect(plan.hasPrefix("SEARCH m USING INDEX message_messageId") && !plan.contains("copy_plan") && !plan.contains("SCAN"), "\(plan)")
        #expect(try catalog.copies(mailbox: "A@B.example", messageId: "1@x").map(\.folder) == ["Inbox", "Archief"])
        #expect(try catalog.copies(mailbox: Self.mailbox, messageId: "<3@x>").map(\.copyId) == [2, 3])
        #expect(try catalog.copies(mailbox: "c@d.example", messageId: "<3@x>").isEmpty)
    }

    /// A copy whose message is gone (only a hand-edited catalog can have one) cannot be given a message rowid: the
    /// upgrade stops, says which step failed and that running again will not help, and leaves the catalog as it was.
    @Test func anUpgradeThatCannotBeDoneSaysWhichStepAndChangesNothing() throws {
        let folder = try TemporaryDirectory("copykey")
        let path = try Self.oldCatalog(in: folder)
        let old = try DatabaseQueue(path: path)
        try old.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: """
                INSERT INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, capturedAt, capturedEpoch, batchId)
                VALUES (?, ?, 'Inbox', 1, 'f', 9, 't', 1, 1)
                """, arguments: [Self.mailbox, Self.sha(7)])
        }
        try old.close()
        let error = #expect(throws: ArchiveError.self) { try Catalog(path: path) }
        let text = error?.description ?? ""
        #expect(text.contains("could not be upgraded") && text.contains("(step v27-copy-key-by-message)"), "\(text)")
        #expect(text.contains("running it again gives the same result") && !text.contains("Nothing was changed; run the command again"))
        let after = try DatabaseQueue(path: path)
        defer { try? after.close() }
        #expect(try after.read { db in try Catalog.migrator.appliedIdentifiers(db).contains("v26-pack-summary") })
        #expect(try after.read { db in try !Catalog.migrator.appliedIdentifiers(db).contains("v27-copy-key-by-message") })
        #expect(try after.read(Self.uniqueKey) == ["mailbox", "folder", "sha256", "occurrence"])
    }

    @Test func theNewKeyRefusesWhatTheOldOneRefused() throws {
        let folder = try TemporaryDirectory("copykey")
        let catalog = try Catalog(path: Self.oldCatalog(in: folder))
        func insert(_ n: Int, folder: String, occurrence: Int, rowid: Int64?, orIgnore: Bool = false) throws {
            try catalog.write { db in
                try db.execute(sql: """
                    INSERT \(orIgnore ? "OR IGNORE " : "")INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, capturedAt,
                        capturedEpoch, batchId, messageRowid)
                    VALUES (?, ?, ?, ?, 'f', 9, 't', 1, 1, ?)
                    """, arguments: [Self.mailbox, Self.sha(n), folder, occurrence, rowid])
            }
        }
        let rowid3 = try #require(try catalog.read { db in
            try Int64.fetchOne(db, sql: "SELECT rowid FROM message WHERE sha256 = ?", arguments: [Self.sha(3)])
        })
        // The same message, mailbox, folder and occurrence: refused, or ignored by ingest's INSERT OR IGNORE.
        let error = #expect(throws: ArchiveError.self) { try insert(3, folder: "Inbox", occurrence: 2, rowid: rowid3) }
        #expect(error?.description.contains("UNIQUE constraint failed") == true)
        try insert(3, folder: "Inbox", occurrence: 2, rowid: rowid3, orIgnore: true)
        #expect(try catalog.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM copy") } == 5)
        // A third occurrence, another folder: new copies, with ids after the counter.
        try insert(3, folder: "Inbox", occurrence: 3, rowid: rowid3)
        try insert(3, folder: "Verzonden", occurrence: 1, rowid: rowid3)
        let added = try catalog.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM copy WHERE id > 5 ORDER BY id") }
        #expect(added.count == 2 && added.allSatisfy { $0 > 6 }, "the removed copy's id 6 is not given out again: \(added)")
        // A copy must name its message.
        let missing = #expect(throws: ArchiveError.self) { try insert(1, folder: "Nieuw", occurrence: 1, rowid: nil) }
        #expect(missing?.description.contains("NOT NULL constraint failed: copy.messageRowid") == true)
    }
}

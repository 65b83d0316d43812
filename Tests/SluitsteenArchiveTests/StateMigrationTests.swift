import Foundation
import SluitsteenTestSupport
import GRDB
@testable import SluitsteenArchive
import Testing

/// The migration that puts CHECK constraints on the state columns (`v13-checked-states`), run on a catalog as the
/// code before it wrote one: every row stays, with its rowid, and the AUTOINCREMENT counters stay.
@Suite struct StateMigrationTests {
    /// A catalog at the schema before the state checks, with rows in every rebuilt table: message rowids with a gap,
    /// a withdrawn batch's copy removed (so the copy counter is ahead of the highest id), index rows keyed by message
    /// rowid, a destruction list with items, an approval and purge counts.
    static func oldCatalog() throws -> String {
        let path = try TemporaryDirectory.forProcess("states").path + ".sqlite"
        let old = try DatabaseQueue(path: path)
        try Catalog.migrator.migrate(old, upTo: "v12-delegations")
        try old.write { db in
            for (n, state) in ["stored", "stored", "destroyed", "stored"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO message (sha256, size, messageId, dateSource, subject, fromJSON, contentState, textIndexed, receivedEpoch)
                    VALUES (?, ?, ?, 'header', ?, '[{"name":null,"address":"a@b.example"}]', ?, ?, ?)
                    """, arguments: [String(repeating: "\(n)", count: 64), 100 + n, "<\(n)@x>", "onderwerp \(n)", state, n == 3 ? 0 : 1,
                                     n == 1 ? 1_700_000_000 : nil])
            }
            try db.execute(sql: "DELETE FROM message WHERE sha256 = ?", arguments: [String(repeating: "1", count: 64)])
            for (rowid, n) in [(1, 0), (3, 2)] {
                try db.execute(sql: "INSERT INTO messageText (rowid, sha256, text) VALUES (?, ?, ?)",
                               arguments: [rowid, String(repeating: "\(n)", count: 64), "tekst \(n) gemeenteraad"])
            }
            for status in ["complete", "withdrawn", "interrupted"] {
                try db.execute(sql: "INSERT INTO ingestBatch (mailbox, format, pathsJSON, startedAt, status) "
                                   + "VALUES ('a@b.example', 'mbox', '[]', 't', ?)",
                               arguments: [status])
            }
            for (n, sha) in ["0", "2", "3", "0"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, capturedAt, capturedEpoch, batchId, state,
                        messageRowid)
                    VALUES ('a@b.example', ?, ?, 1, 'f', ?, 't', 1, 1, ?, (SELECT rowid FROM message WHERE sha256 = ?))
                    """, arguments: [String(repeating: sha, count: 64), "Inbox\(n)", n, n == 1 ? "destroyed" : "present",
                                     String(repeating: sha, count: 64)])
            }
            try db.execute(sql: "DELETE FROM copy WHERE id = 4")
            try db.execute(sql: """
                INSERT INTO destructionList (id, kind, status, asOf, asOfEpoch, policyName, policySource, bedenktijd, legalGround, selectielijst,
                    archiefvormer, archiefvormerTooi, proposedAt, proposedBy)
                VALUES ('VL-2033-001', 'vernietigingslijst', 'executed', '2033-06-01', 1, 'p', 's', 'P7D', 'g', 'sl', 'a', 'gm', 't', 'DIV')
                """)
            try db.execute(sql: """
                INSERT INTO destructionItem (listId, seq, copyId, mailbox, sha256, size, messageClass, rule, state)
                VALUES ('VL-2033-001', 1, 2, 'a@b.example', ?, 102, 'staff', 'staff-7y', 'destroyed')
                """, arguments: [String(repeating: "2", count: 64)])
            try db.execute(sql: """
                INSERT INTO destructionApproval (listId, position, role, approvedBy, approvedAt) VALUES ('VL-2033-001', 1, 'div', 'D', 't')
                """)
            try db.execute(sql: "INSERT INTO optOutPurgeCount (runId, mailbox, ground, copies, bytes) "
                               + "VALUES ('VL-2033-001', 'a@b.example', 'private', 1, 2)")
        }
        try old.close()
        return path
    }

    static let rebuilt = ["message", "ingestBatch", "copy", "destructionList", "destructionItem"]

    /// The names of the indexes and triggers on the rebuilt tables.
    static let indexQuery = "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ("
        + rebuilt.map { "'\($0)'" }.joined(separator: ", ") + ") ORDER BY name"

    /// Every row of every rebuilt table with its rowid, as text: the columns of `columns` (table → names; all when
    /// nil), so that columns later migrations add (empty in old rows) stay out of the comparison.
    static func dump(_ db: Database, columns: [String: [String]]? = nil) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in rebuilt {
            let list = columns?[table]?.map { "\"\($0)\"" }.joined(separator: ", ") ?? "*"
            out[table] = try Row.fetchAll(db, sql: "SELECT rowid AS rowid_, \(list) FROM \(table) ORDER BY rowid").map { $0.description }
        }
        return out
    }

    /// The column names of every rebuilt table.
    static func columns(_ db: Database) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in rebuilt { out[table] = try db.columns(in: table).map(\.name) }
        return out
    }

    @Test func everyRowStaysWithItsRowidAndTheCountersStay() throws {
        let path = try Self.oldCatalog()
        let before = try DatabaseQueue(path: path)
        let rows = try before.read { try Self.dump($0) }
        let oldColumns = try before.read { try Self.columns($0) }
        // The indexes and triggers of the rebuilt tables (later migrations add tables of their own, with their indexes).
        let indexes = try before.read { db in try String.fetchAll(db, sql: Self.indexQuery) }
        let counters = try before.read { try Row.fetchAll($0, sql: "SELECT name, seq FROM sqlite_sequence ORDER BY name") }
        try before.close()
        #expect(counters.contains { $0["name"] == "copy" && $0["seq"] == 4 })

        let catalog = try Catalog(path: path)
        try catalog.read { db throws in
            #expect(try Self.dump(db, columns: oldColumns) == rows)
            // … and `v24-plan-index` one on `copy` (the plan's scan).
            #expect(try String.fetchAll(db, sql: Self.indexQuery) == (indexes + ["copy_plan"]).sorted())
            #expect(try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence ORDER BY name") == counters)
            // The index still finds its messages by rowid.
            #expect(try String.fetchAll(db, sql: """
                SELECT m.sha256 FROM messageText t JOIN message m ON m.rowid = t.rowid WHERE messageText MATCH 'gemeenteraad' ORDER BY m.sha256
                """) == [String(repeating: "0", count: 64), String(repeating: "2", count: 64)])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
        }
        // A new copy does not take the id of the removed one.
        try catalog.write { db throws in
            try db.execute(sql: """
                INSERT INTO copy (mailbox, sha256, folder, occurrence, sourceFile, position, capturedAt, capturedEpoch, batchId, messageRowid)
                VALUES ('a@b.example', ?, 'Nieuw', 1, 'f', 9, 't', 1, 3, 1)
                """, arguments: [String(repeating: "0", count: 64)])
            #expect(db.lastInsertedRowID == 5)
        }
    }

    @Test(arguments: [
        ("copy", "state", CopyState.allCases.map(\.rawValue)),
        ("message", "contentState", ContentState.allCases.map(\.rawValue)),
        ("ingestBatch", "status", BatchStatus.allCases.map(\.rawValue)),
        ("destructionList", "status", ["proposed", "approved", "rejected", "cancelled", "executing", "executed"]),
        ("destructionList", "kind", ["vernietigingslijst", "optout-purge"]),
        ("destructionItem", "state", ["listed", "excluded", "due", "destroying", "destroyed", "skipped"]),
    ])
    func aStateOutsideItsEnumIsRefused(table: String, column: String, values: [String]) throws {
        let catalog = try Catalog(path: Self.oldCatalog())
        for value in values {
            try catalog.write { try $0.execute(sql: "UPDATE \(table) SET \(column) = ?", arguments: [value]) }
        }
        for value in ["Present", "gone", ""] {
            let error = #expect(throws: ArchiveError.self) {
                try catalog.write { try $0.execute(sql: "UPDATE \(table) SET \(column) = ?", arguments: [value]) }
            }
            #expect(error?.description.contains("CHECK constraint failed") == true)
        }
    }
}

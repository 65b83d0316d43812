// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// Tables of the rules engine: the registers in force, opt-out marks, hotspots and Woo holds.
    static func registerRetentionSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-retention") { db in
            try db.execute(sql: """
                CREATE TABLE registerVersion (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    importedAt TEXT NOT NULL,
                    importedBy TEXT NOT NULL,
                    sourcesSHA256 TEXT NOT NULL,
                    registersJSON TEXT NOT NULL
                );
                CREATE TABLE optOutMark (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    mailbox TEXT NOT NULL,
                    messageId TEXT NOT NULL,
                    ground TEXT NOT NULL,
                    markedAt TEXT NOT NULL,
                    markedEpoch INTEGER NOT NULL,
                    markedBy TEXT NOT NULL,
                    source TEXT NOT NULL,
                    undoneAt TEXT,
                    undoneBy TEXT,
                    undoReason TEXT
                );
                CREATE INDEX optOutMark_message ON optOutMark(mailbox, messageId);
                CREATE TABLE hotspot (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    criteriaJSON TEXT NOT NULL,
                    decisionRef TEXT,
                    createdAt TEXT NOT NULL,
                    statusChangedAt TEXT NOT NULL
                );
                CREATE TABLE wooHold (
                    id TEXT PRIMARY KEY NOT NULL,
                    zaaknummer TEXT NOT NULL,
                    received TEXT NOT NULL,
                    released TEXT,
                    releaseReason TEXT,
                    criteriaJSON TEXT NOT NULL,
                    createdAt TEXT NOT NULL
                );
                CREATE TABLE workspaceSetting (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                """)
        }
    }
}

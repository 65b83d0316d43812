// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// The unique key of `copy` names the message by its rowid instead of its SHA-256: (messageRowid, mailbox,
    /// folder, occurrence) instead of (mailbox, folder, sha256, occurrence).
    ///
    /// Both say the same: a message's rowid and its SHA-256 name each other one to one (``CaptureWriter`` sets the
    /// rowid of every copy, and a message row is deleted only with its last copy). But a key that begins with a
    /// random SHA-256 puts every new copy at a random place in the index: once the index outgrows the page cache
    /// (a few hundred thousand copies), every copy dirties a page of it that the transaction writes to the log and
    /// the checkpoint writes again, and at 1,000,000 messages this index was the largest of the three that made the
    /// millionth message cost twice what the hundred-thousandth did. New messages get ever larger rowids, so the copies
    /// of an ingest now go to the end of the index. The rowid is required (NOT NULL), so that the key is enforced for
    /// every row.
    ///
    /// SQLite cannot change a table's UNIQUE constraint: the table is rebuilt (``rebuild(_:table:autoincrement:columns:indexes:)``),
    /// keeping every row with its id and the AUTOINCREMENT counter, and its two indexes are created again. At
    /// 1,000,000 copies this takes about 15 seconds, once.
    static func registerCopyKeyByMessage(_ m: inout DatabaseMigrator) {
        m.registerMigration("v27-copy-key-by-message") { db in
            // The indexes are built with a small page cache, as a bulk load's are (``restoreIndexes(_:)``): the
            // command that opens the catalog first has its own work to do after the migration.
            try db.execute(sql: "PRAGMA cache_size = -\(Catalog.indexBuildCacheKibibytes)")
            defer { try? db.execute(sql: "PRAGMA shrink_memory; PRAGMA cache_size = -\(Catalog.cacheKibibytes)") }
            try db.execute(sql: """
                UPDATE copy SET messageRowid = (SELECT rowid FROM message WHERE message.sha256 = copy.sha256)
                WHERE messageRowid IS NULL
                """)
            try rebuild(db, table: "copy", autoincrement: true, columns: """
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                mailbox TEXT NOT NULL,
                sha256 TEXT NOT NULL REFERENCES message(sha256),
                folder TEXT NOT NULL,
                occurrence INTEGER NOT NULL,
                sourceFile TEXT NOT NULL,
                position INTEGER NOT NULL,
                keywordsJSON TEXT NOT NULL DEFAULT '[]',
                flagsJSON TEXT NOT NULL DEFAULT '[]',
                capturedAt TEXT NOT NULL,
                capturedEpoch INTEGER NOT NULL,
                batchId INTEGER NOT NULL REFERENCES ingestBatch(id),
                state TEXT NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'transferred', 'destroyed', 'purged')),
                messageRowid INTEGER NOT NULL,
                UNIQUE (messageRowid, mailbox, folder, occurrence)
                """, indexes: """
                CREATE INDEX copy_sha256 ON copy(sha256);
                CREATE INDEX copy_plan ON copy(mailbox, folder, position, id, state, messageRowid, capturedEpoch, keywordsJSON);
                """)
        }
    }
}

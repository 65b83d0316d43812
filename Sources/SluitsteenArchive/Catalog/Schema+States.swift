// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// The states of copies, messages, ingest batches, destruction lists and their items, checked by the catalog
    /// itself: a value outside its enum (``CopyState``, ``ContentState``, ``BatchStatus``, and the destruction stage's
    /// `ListKind`, `ListStatus` and `ItemState`) is refused by SQLite.
    ///
    /// SQLite cannot add a CHECK constraint to an existing column, so each table is rebuilt as SQLite's documentation
    /// describes (create the new table, copy every row with its rowid, drop the old one, rename, recreate the indexes).
    /// Rowids are kept, because the copies and the full-text index refer to messages by rowid; the AUTOINCREMENT
    /// counters are kept, so that an id given out once (a withdrawn batch's copies) is never given out again. The
    /// columns stay as they were, in the same order. GRDB runs the migration with foreign keys off and checks them all
    /// before it commits.
    static func registerStateChecks(_ m: inout DatabaseMigrator) {
        m.registerMigration("v13-checked-states") { db in
            try rebuild(db, table: "message", autoincrement: false, columns: """
                sha256 TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                messageId TEXT NOT NULL,
                messageIdSynthetic INTEGER NOT NULL DEFAULT 0,
                date TEXT,
                dateEpoch INTEGER,
                dateSource TEXT NOT NULL,
                subject TEXT NOT NULL DEFAULT '',
                fromJSON TEXT NOT NULL DEFAULT '[]',
                toJSON TEXT NOT NULL DEFAULT '[]',
                ccJSON TEXT NOT NULL DEFAULT '[]',
                bccJSON TEXT NOT NULL DEFAULT '[]',
                headerKeywordsJSON TEXT NOT NULL DEFAULT '[]',
                attachmentCount INTEGER NOT NULL DEFAULT 0,
                attachmentNamesJSON TEXT NOT NULL DEFAULT '[]',
                defectsJSON TEXT NOT NULL DEFAULT '[]',
                flagged INTEGER NOT NULL DEFAULT 0,
                contentState TEXT NOT NULL DEFAULT 'stored' CHECK (contentState IN ('stored', 'destroyed', 'purged')),
                textIndexed INTEGER NOT NULL DEFAULT 0,
                receivedEpoch INTEGER
                """, indexes: """
                CREATE INDEX message_messageId ON message(messageId);
                CREATE INDEX message_textPending ON message(textIndexed) WHERE textIndexed = 0;
                """)
            try rebuild(db, table: "ingestBatch", autoincrement: true, columns: """
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                mailbox TEXT NOT NULL,
                format TEXT NOT NULL,
                pathsJSON TEXT NOT NULL,
                startedAt TEXT NOT NULL,
                finishedAt TEXT,
                found INTEGER NOT NULL DEFAULT 0,
                storedNew INTEGER NOT NULL DEFAULT 0,
                alreadyPresent INTEGER NOT NULL DEFAULT 0,
                flagged INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'complete', 'interrupted', 'failed', 'withdrawn')),
                withdrawnAt TEXT,
                withdrawnBy TEXT,
                withdrawReason TEXT
                """, indexes: "")
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
                messageRowid INTEGER,
                UNIQUE (mailbox, folder, sha256, occurrence)
                """, indexes: "CREATE INDEX copy_sha256 ON copy(sha256);")
            try rebuild(db, table: "destructionList", autoincrement: false, columns: """
                id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('vernietigingslijst', 'optout-purge')),
                status TEXT NOT NULL
                    CHECK (status IN ('proposed', 'approved', 'rejected', 'cancelled', 'executing', 'executed')),
                asOf TEXT NOT NULL,
                asOfEpoch INTEGER NOT NULL,
                mailboxesJSON TEXT NOT NULL DEFAULT '[]',
                policyName TEXT NOT NULL,
                policySource TEXT NOT NULL,
                approvalsJSON TEXT NOT NULL DEFAULT '[]',
                bedenktijd TEXT NOT NULL,
                legalGround TEXT NOT NULL,
                selectielijst TEXT NOT NULL,
                archiefvormer TEXT NOT NULL,
                archiefvormerTooi TEXT NOT NULL,
                proposedAt TEXT NOT NULL,
                proposedBy TEXT NOT NULL,
                withSubjects INTEGER NOT NULL DEFAULT 0,
                categoriesJSON TEXT NOT NULL DEFAULT '[]',
                itemListSHA256 TEXT,
                approvedAt TEXT,
                approvedEpoch INTEGER,
                closedAt TEXT,
                closedBy TEXT,
                closeReason TEXT,
                executionAsOf TEXT,
                executionAsOfEpoch INTEGER,
                executionStartedAt TEXT,
                executedAt TEXT,
                executedBy TEXT,
                auditAnchorSeq INTEGER,
                auditAnchorHash TEXT,
                verklaringHtml TEXT,
                verklaringJson TEXT,
                verklaringSHA256 TEXT,
                roleNamesJSON TEXT NOT NULL DEFAULT '{}'
                """, indexes: "")
            try rebuild(db, table: "destructionItem", autoincrement: false, columns: """
                listId TEXT NOT NULL REFERENCES destructionList(id),
                seq INTEGER NOT NULL,
                copyId INTEGER NOT NULL,
                mailbox TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                messageId TEXT NOT NULL DEFAULT '',
                date TEXT,
                size INTEGER NOT NULL,
                messageClass TEXT NOT NULL,
                rule TEXT NOT NULL,
                ground TEXT,
                state TEXT NOT NULL DEFAULT 'listed'
                    CHECK (state IN ('listed', 'excluded', 'due', 'destroying', 'destroyed', 'skipped')),
                reason TEXT,
                changedAt TEXT,
                changedBy TEXT,
                removeBytes INTEGER,
                PRIMARY KEY (listId, copyId)
                """, indexes: """
                CREATE UNIQUE INDEX destructionItem_seq ON destructionItem(listId, seq);
                CREATE INDEX destructionItem_copy ON destructionItem(copyId);
                CREATE INDEX destructionItem_state ON destructionItem(listId, state);
                """)
        }
    }

    /// Rebuilds `table` with the column definitions `columns` (the same columns, in the same order, with constraints
    /// added), keeping every row with its rowid and the table's AUTOINCREMENT counter, then creates `indexes`.
    static func rebuild(_ db: Database, table: String, autoincrement: Bool, columns: String, indexes: String) throws {
        let names = try db.columns(in: table).map(\.name)
        let list = names.map { $0.quotedDatabaseIdentifier }.joined(separator: ", ")
        let counter = autoincrement
            ? try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table]) : nil
        let rebuilt = "rebuilt_" + table
        try db.execute(sql: "CREATE TABLE \(rebuilt) (\n\(columns)\n)")
        try db.execute(sql: "INSERT INTO \(rebuilt) (rowid, \(list)) SELECT rowid, \(list) FROM \(table)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(rebuilt) RENAME TO \(table)")
        if !indexes.isEmpty { try db.execute(sql: indexes) }
        if let counter {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table])
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, counter])
        }
    }
}

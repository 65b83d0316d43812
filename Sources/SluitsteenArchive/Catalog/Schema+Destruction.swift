// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// Tables of the destruction chain (vernietigingslijsten, approvals, execution, tombstones).
    ///
    /// - `destructionList`: one row per vernietigingslijst or opt-out purge run, with the policy settings it was
    ///   proposed under (approvals, bedenktijd, legal ground), its status and its execution record.
    /// - `destructionItem`: the per-item journal: `listed` → `excluded`, or at execution `due` → `destroying` →
    ///   `destroyed`, or `skipped` (with the reason). Bytes are removed only while an item is `destroying`.
    /// - `destructionApproval`: the approvals given, one per required role.
    /// - `optOutPurgeCount`: what an opt-out purge keeps: counts per mailbox and ground, nothing else.
    static func registerDestructionSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-destruction") { db in
            try db.execute(sql: """
                CREATE TABLE destructionList (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
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
                    verklaringSHA256 TEXT
                );
                CREATE TABLE destructionItem (
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
                    state TEXT NOT NULL DEFAULT 'listed',
                    reason TEXT,
                    changedAt TEXT,
                    changedBy TEXT,
                    removeBytes INTEGER,
                    PRIMARY KEY (listId, copyId)
                );
                CREATE UNIQUE INDEX destructionItem_seq ON destructionItem(listId, seq);
                CREATE INDEX destructionItem_copy ON destructionItem(copyId);
                CREATE INDEX destructionItem_state ON destructionItem(listId, state);
                CREATE TABLE destructionApproval (
                    listId TEXT NOT NULL REFERENCES destructionList(id),
                    position INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    approvedBy TEXT NOT NULL,
                    approvedAt TEXT NOT NULL,
                    PRIMARY KEY (listId, role)
                );
                CREATE TABLE optOutPurgeCount (
                    runId TEXT NOT NULL REFERENCES destructionList(id),
                    mailbox TEXT NOT NULL,
                    ground TEXT NOT NULL,
                    copies INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    PRIMARY KEY (runId, mailbox, ground)
                );
                """)
        }
    }

    /// Approvals by registered persons (issue: approvals are given by a person id from the personnel register, with
    /// the operating-system account beside it), and the names of the approver roles as the documents use them.
    static func registerApproverSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v9-approvals-by-person") { db in
            try db.execute(sql: """
                ALTER TABLE destructionApproval ADD COLUMN personId TEXT;
                ALTER TABLE destructionApproval ADD COLUMN osUser TEXT;
                ALTER TABLE destructionList ADD COLUMN roleNamesJSON TEXT NOT NULL DEFAULT '{}';
                """)
        }
        m.registerMigration("v10-batch-withdrawal") { db in
            // `ingest undo`: the contents a withdrawn batch leaves without any copy, whose bytes are still to be removed
            // from the store (removed after the catalog commit; a crash in between is finished by the next command that
            // holds the store lock). A content listed here is removed only while no message row names it.
            try db.execute(sql: """
                CREATE TABLE pendingRemoval (
                    sha256 TEXT PRIMARY KEY NOT NULL,
                    reason TEXT NOT NULL
                );
                ALTER TABLE ingestBatch ADD COLUMN withdrawnAt TEXT;
                ALTER TABLE ingestBatch ADD COLUMN withdrawnBy TEXT;
                ALTER TABLE ingestBatch ADD COLUMN withdrawReason TEXT;
                """)
        }
    }
}

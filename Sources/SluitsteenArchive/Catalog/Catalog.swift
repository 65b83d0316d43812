// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB

/// The SQLite catalog of an archive workspace (GRDB, WAL mode, versioned migrations).
///
/// It holds one row per distinct message (`message`, keyed by SHA-256) and one per mailbox copy (`copy`), the
/// ingest batches, the registers, opt-out marks, hotspots, holds, destruction lists, exports and the audit trail.
/// Later stages add their tables through migrations registered here, so one schema version describes a workspace.
///
/// Every table has one owner: the target that defines its record type and alone writes it (see README, "Who owns
/// which table"). Other targets call the owner's operations, inside a transaction opened here.
public final class Catalog: Sendable {
    /// The underlying database pool: only the transactions below use it.
    let pool: DatabasePool
    /// Read-only connections of the content store's own (its map lookups), so that a reader may look up stored bytes
    /// while it is inside a transaction of ``pool`` (GRDB's accesses to one pool are not reentrant).
    let storeReader: DatabasePool
    /// The catalog file.
    public let path: String

    /// Opens (creating if needed) the catalog at `path` and migrates it to the current schema.
    public init(path: String) throws(ArchiveError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleted content (a destroyed message's subject, addresses, index words) is overwritten with zeros in the
            // file, not merely unlinked from the B-tree.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // A 64 MB page cache and fewer, larger checkpoints: ingest and the text indexer write in big batches. The
            // log file is cut back to 64 MB once a checkpoint has emptied it (a bulk load lets it grow larger).
            try db.execute(sql: "PRAGMA cache_size = -\(Catalog.cacheKibibytes)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Catalog.checkpointPages)")
            try db.execute(sql: "PRAGMA journal_size_limit = \(Catalog.journalSizeLimit)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            do { try Catalog.migrator.migrate(pool) } catch {
                throw ArchiveError.catalogUpgrade(path, step: Catalog.firstPendingMigration(pool) ?? "?", reason: "\(error)")
            }
            // A migration that rebuilt a large table filled the writer's page cache: given back before the command's own
            // work begins, so that the two do not add up in the process's memory (nothing to give back otherwise).
            pool.releaseMemory()
            // A bulk load that did not reach its end left indexes set aside (see ``setIndexesAside()``).
            if try !pool.read(Catalog.missingIndexes).isEmpty { try pool.write(Catalog.restoreIndexes) }
            var readOnly = Configuration()
            readOnly.readonly = true
            readOnly.busyMode = .timeout(30)
            storeReader = try DatabasePool(path: path, configuration: readOnly)
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw .catalog(CatalogFailure(error, context: "cannot open \(path)"))
        }
    }

    /// The name of the first migration the catalog in `pool` has not completed (the one that failed, after a failure).
    private static func firstPendingMigration(_ pool: DatabasePool) -> String? {
        guard let applied = try? pool.read(migrator.appliedIdentifiers) else { return nil }
        return migrator.migrations.first { !applied.contains($0) }
    }

    /// Runs `body` in one write transaction; any error rolls everything back. Errors of type `E` thrown by `body`
    /// pass through unchanged; every other error is wrapped by `E`'s ``CatalogTransactionError/init(wrapping:)``.
    public func write<T, E: CatalogTransactionError>(throwing _: E.Type, _ body: (Database) throws -> T) throws(E) -> T {
        do { return try pool.write(body) } catch let e as E { throw e } catch { throw E(wrapping: error) }
    }

    /// Runs `body` with a read-only snapshot of the catalog (errors as for ``write(throwing:_:)``).
    public func read<T, E: CatalogTransactionError>(throwing _: E.Type, _ body: (Database) throws -> T) throws(E) -> T {
        do { return try pool.read(body) } catch let e as E { throw e } catch { throw E(wrapping: error) }
    }

    /// The log's size in pages (of 4 KiB) at which a checkpoint is made: 32 MiB.
    static let checkpointPages = 8_192

    /// The size in bytes the log file is cut back to after a checkpoint has emptied it.
    static let journalSizeLimit = 64 << 20

    /// The page cache of every connection (64 MB), in KiB.
    static let cacheKibibytes = 65_536

    /// The page cache of a read that steps through the whole archive (``scan(throwing:_:)``), in KiB: a plan looks
    /// up the message of every copy, and with the message table in the cache those look-ups read no pages from the
    /// file. Fixed, so memory does not grow with the archive.
    public static let scanCacheKibibytes = 163_840

    /// ``read(throwing:_:)`` with a page cache of ``scanCacheKibibytes`` for the read, given back to the usual size
    /// when it ends (SQLite frees the pages above it).
    public func scan<T, E: CatalogTransactionError>(throwing _: E.Type, _ body: (Database) throws -> T) throws(E) -> T {
        do {
            return try pool.read { db in
                try db.execute(sql: "PRAGMA cache_size = -\(Catalog.scanCacheKibibytes)")
                defer { try? db.execute(sql: "PRAGMA cache_size = -\(Catalog.cacheKibibytes)") }
                return try body(db)
            }
        } catch let e as E { throw e } catch { throw E(wrapping: error) }
    }

    /// Runs `body` in one write transaction; any error rolls everything back. Errors thrown by `body` pass through
    /// unchanged; SQLite's own errors become ``ArchiveError/catalog(_:)``. (Stages use ``write(throwing:_:)``.)
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let e as DatabaseError { throw ArchiveError(wrapping: e) }
    }

    /// Runs `body` with a read-only snapshot of the catalog (errors as for ``write(_:)``).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let e as DatabaseError { throw ArchiveError(wrapping: e) }
    }

    /// Runs `body` with a read-only snapshot, on the content store's own connections (see ``storeReader``).
    func readForStore<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do { return try storeReader.read(body) } catch let e as ArchiveError { throw e } catch { throw ArchiveError(wrapping: error) }
    }

    /// Copies every page of the write-ahead log into the catalog file and truncates the log to nothing, so that no
    /// earlier version of a page (with deleted content) stays behind in it.
    public func checkpoint() throws(ArchiveError) {
        do { try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } } catch {
            throw .catalog(CatalogFailure(error, context: "cannot checkpoint the catalog"))
        }
    }

    /// The schema, as an ordered list of migrations. Never edit a released migration: add a new one.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1-archive") { db in
            try db.execute(sql: """
                CREATE TABLE message (
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
                    contentState TEXT NOT NULL DEFAULT 'stored'
                );
                CREATE INDEX message_messageId ON message(messageId);
                CREATE TABLE ingestBatch (
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
                );
                CREATE TABLE copy (
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
                    state TEXT NOT NULL DEFAULT 'present',
                    UNIQUE (mailbox, folder, sha256, occurrence)
                );
                CREATE INDEX copy_sha256 ON copy(sha256);
                CREATE INDEX copy_mailbox ON copy(mailbox);
                CREATE VIRTUAL TABLE messageText USING fts5(
                    sha256 UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2'
                );
                CREATE TABLE auditEntry (
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    command TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    premisEventType TEXT NOT NULL,
                    objectIds TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    previousHash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                """)
        }
        registerRetentionSchema(&m)
        registerExportSchema(&m)
        registerDestructionSchema(&m)
        m.registerMigration("v5-fts-bulk-merge") { db in
            // Ingest writes the full-text index in large batches: no incremental merging on every insert (it cost
            // a quarter of ingest time); segments are merged only when 64 accumulate on one level.
            try db.execute(sql: "INSERT INTO messageText(messageText, rank) VALUES('automerge', 0)")
            try db.execute(sql: "INSERT INTO messageText(messageText, rank) VALUES('crisismerge', 64)")
        }
        m.registerMigration("v6-copy-message-rowid") { db in
            // Plans join every copy to its message: an integer join (message rows are never deleted) instead of a
            // lookup by the 64-character SHA-256 text.
            try db.execute(sql: """
                ALTER TABLE copy ADD COLUMN messageRowid INTEGER;
                UPDATE copy SET messageRowid = (SELECT rowid FROM message WHERE message.sha256 = copy.sha256);
                """)
        }
        m.registerMigration("v7-deferred-text-index") { db in
            // The full-text index is derived data, built after capture by the text indexer (ingest only captures).
            // textIndexed = 1: the index needs nothing more for this message (indexed, or its content destroyed).
            // Its rows take the rowid of their message, so a destruction removes one by key instead of by scan.
            try db.execute(sql: """
                ALTER TABLE message ADD COLUMN textIndexed INTEGER NOT NULL DEFAULT 0;
                CREATE VIRTUAL TABLE messageTextByRowid USING fts5(
                    sha256 UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2'
                );
                INSERT INTO messageTextByRowid (rowid, sha256, text)
                    SELECT m.rowid, t.sha256, t.text FROM messageText t JOIN message m ON m.sha256 = t.sha256;
                UPDATE message SET textIndexed = 1 WHERE rowid IN (SELECT rowid FROM messageTextByRowid) OR contentState <> 'stored';
                DROP TABLE messageText;
                ALTER TABLE messageTextByRowid RENAME TO messageText;
                INSERT INTO messageText(messageText, rank) VALUES('automerge', 0);
                INSERT INTO messageText(messageText, rank) VALUES('crisismerge', 64);
                CREATE INDEX message_textPending ON message(textIndexed) WHERE textIndexed = 0;
                -- Lookups by mailbox use the unique (mailbox, folder, sha256, occurrence) index: one B-tree less per copy.
                DROP INDEX copy_mailbox;
                """)
        }
        m.registerMigration("v8-archive-kind-and-clock") { db in
            // Which clock dated each audit entry (system, or a demo archive's replayed clock); and the archive kind,
            // recorded at creation in workspaceSetting, can never be changed or removed afterwards.
            try db.execute(sql: """
                ALTER TABLE auditEntry ADD COLUMN clock TEXT;
                CREATE TRIGGER workspaceSetting_kindFixed BEFORE UPDATE ON workspaceSetting WHEN OLD.key = 'archiveKind'
                BEGIN SELECT RAISE(ABORT, 'the archive kind is fixed when the workspace is created'); END;
                CREATE TRIGGER workspaceSetting_kindKept BEFORE DELETE ON workspaceSetting WHEN OLD.key = 'archiveKind'
                BEGIN SELECT RAISE(ABORT, 'the archive kind is fixed when the workspace is created'); END;
                """)
        }
        registerApproverSchema(&m)
        m.registerMigration("v11-received-date") { db in
            // The date of the newest Received header: when the organisation's own server received the message. Decisions
            // count from it when the Date header (written by the sender) lies more than a day before it.
            try db.execute(sql: "ALTER TABLE message ADD COLUMN receivedEpoch INTEGER")
        }
        m.registerMigration("v12-delegations") { db in
            // Designations of gemachtigden by a Woo-coördinator or teammanager: for one Woo request or a set of mailboxes,
            // until an end date.
            try db.execute(sql: """
                CREATE TABLE delegation (
                    id TEXT PRIMARY KEY NOT NULL,
                    delegate TEXT NOT NULL,
                    grantedBy TEXT NOT NULL,
                    scopeJSON TEXT NOT NULL,
                    validFrom TEXT NOT NULL,
                    validTo TEXT NOT NULL,
                    revokedOn TEXT,
                    reason TEXT NOT NULL,
                    createdAt TEXT NOT NULL
                )
                """)
        }
        registerStateChecks(&m)
        m.registerMigration("v14-woo-requests") { db in
            // Woo requests (SluitsteenWoo): the request and its deadlines, the verzameling (one document per mail copy and
            // per attachment, with family, thread and duplicate links), the review per document, the redactions
            // (suggested, accepted, rejected or added, with who and when), the productions, and the workflow's settings.
            try db.execute(sql: """
                CREATE TABLE wooRequest (
                    zaaknummer TEXT PRIMARY KEY NOT NULL,
                    holdId TEXT NOT NULL,
                    title TEXT NOT NULL DEFAULT '',
                    received TEXT NOT NULL,
                    deadline TEXT NOT NULL,
                    extendedOn TEXT,
                    extensionReason TEXT,
                    scopeJSON TEXT NOT NULL,
                    status TEXT NOT NULL,
                    decisionDate TEXT,
                    decisionType TEXT,
                    holdUntil TEXT,
                    createdAt TEXT NOT NULL,
                    createdBy TEXT NOT NULL
                );
                CREATE TABLE wooDocument (
                    zaaknummer TEXT NOT NULL REFERENCES wooRequest(zaaknummer),
                    number INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    family INTEGER NOT NULL,
                    thread INTEGER NOT NULL,
                    copyId INTEGER NOT NULL,
                    mailbox TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    messageId TEXT NOT NULL,
                    date TEXT,
                    dateEpoch INTEGER,
                    title TEXT NOT NULL,
                    fileType TEXT NOT NULL,
                    mimeType TEXT,
                    attachmentIndex INTEGER,
                    extractionIndex INTEGER,
                    follows INTEGER,
                    relation TEXT,
                    relevant INTEGER,
                    assessment TEXT,
                    groundsJSON TEXT NOT NULL DEFAULT '[]',
                    note TEXT NOT NULL DEFAULT '',
                    suspended INTEGER NOT NULL DEFAULT 0,
                    publicLink TEXT NOT NULL DEFAULT '',
                    reviewedAt TEXT,
                    reviewedBy TEXT,
                    scannedAt TEXT,
                    problem TEXT,
                    PRIMARY KEY (zaaknummer, number)
                );
                CREATE TABLE wooRedaction (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    zaaknummer TEXT NOT NULL,
                    document INTEGER NOT NULL,
                    field TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    ground TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    note TEXT NOT NULL DEFAULT '',
                    createdAt TEXT NOT NULL,
                    createdBy TEXT NOT NULL,
                    decidedAt TEXT,
                    decidedBy TEXT,
                    FOREIGN KEY (zaaknummer, document) REFERENCES wooDocument(zaaknummer, number)
                );
                CREATE INDEX wooRedaction_document ON wooRedaction(zaaknummer, document);
                CREATE TABLE wooProduction (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    zaaknummer TEXT NOT NULL REFERENCES wooRequest(zaaknummer),
                    folder TEXT NOT NULL,
                    zip TEXT,
                    manifestSHA256 TEXT NOT NULL,
                    files INTEGER NOT NULL,
                    manual INTEGER NOT NULL,
                    producedAt TEXT NOT NULL,
                    producedBy TEXT NOT NULL
                );
                CREATE TABLE wooSetting (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v15-capture-state") { db in
            // Live capture over IMAP (sluitsteen capture): per archive mailbox and server folder, the folder's UIDVALIDITY
            // and the highest UID whose message is committed (every UID up to it is captured), so that a run fetches only
            // new mail; and per captured UID its content and the keywords last seen on the server, for the flag rescan.
            // A folder's rows belong to its current UIDVALIDITY. Never a secret: the account is user@server:port.
            try db.execute(sql: """
                CREATE TABLE captureFolder (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    mailbox TEXT NOT NULL,
                    account TEXT NOT NULL,
                    name TEXT NOT NULL,
                    folder TEXT NOT NULL,
                    uidValidity INTEGER NOT NULL,
                    lastUid INTEGER NOT NULL DEFAULT 0,
                    highestModseq INTEGER,
                    state TEXT NOT NULL DEFAULT 'present',
                    firstSeenAt TEXT NOT NULL,
                    checkedAt TEXT NOT NULL,
                    UNIQUE (mailbox, account, name)
                );
                CREATE TABLE captureMessage (
                    folderId INTEGER NOT NULL REFERENCES captureFolder(id),
                    uid INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    keywordsJSON TEXT NOT NULL DEFAULT '[]',
                    flagsJSON TEXT NOT NULL DEFAULT '[]',
                    goneAt TEXT,
                    PRIMARY KEY (folderId, uid)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v16-hotspot-description") { db in
            // What a hotspot is and why it matters, in words for residents: the public hotspot page prints it.
            try db.execute(sql: "ALTER TABLE hotspot ADD COLUMN description TEXT")
        }
        m.registerMigration("v17-export-withdrawal") { db in
            // A package withdrawn before the e-depot accepted it (`transfer withdraw`): when, by whom, why.
            try db.execute(sql: """
                ALTER TABLE exportPackage ADD COLUMN withdrawnAt TEXT;
                ALTER TABLE exportPackage ADD COLUMN withdrawnBy TEXT;
                ALTER TABLE exportPackage ADD COLUMN withdrawReason TEXT;
                """)
        }
        m.registerMigration("v18-list-policy-version") { db in
            // The policy's version at proposal, which the vernietigingslijst and the verklaring print beside its name.
            try db.execute(sql: "ALTER TABLE destructionList ADD COLUMN policyVersion TEXT")
        }
        registerChatSchema(&m)
        PackEntryRecord.migrate(&m)
        registerWooChatSchema(&m)
        registerChatExportSchema(&m)
        m.registerMigration("v23-parse-state") { db in
            // Capture first, parse later: ingest reads only a message's header block; its full MIME reading (attachments,
            // every defect) is done by the derived step `index`. parsed = 1: the attachment and defect columns come from
            // the full reading. Messages captured before this migration were read in full at capture.
            try db.execute(sql: "ALTER TABLE message ADD COLUMN parsed INTEGER NOT NULL DEFAULT 1 CHECK (parsed IN (0, 1))")
        }
        m.registerMigration("v24-plan-index") { db in
            // A plan reads every copy in catalog order (mailbox, folder, position, id) with the copy's columns it
            // decides on: this index holds them in that order, so the scan neither sorts nor visits the copy table.
            try db.execute(sql: """
                CREATE INDEX copy_plan ON copy(mailbox, folder, position, id, state, messageRowid, capturedEpoch, keywordsJSON)
                """)
        }
        PackEntryRecord.migrateRemovingIndex(&m)
        PackEntryRecord.migrateSummaryIndex(&m)
        registerCopyKeyByMessage(&m)
        return m
    }()
}

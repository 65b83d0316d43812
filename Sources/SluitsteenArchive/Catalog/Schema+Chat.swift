// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// Tables of chat and text messages (bijlagen 4 and 5): one row per conversation (an export file taken in under a
    /// hotspot or a Woo request), its messages, its media files and the record of each strip. Self-contained: it
    /// refers to no other table, so it can be renumbered against other branches.
    static func registerChatSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v19-chat") { db in
            try db.execute(sql: """
                CREATE TABLE chatConversation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    format TEXT NOT NULL CHECK (format IN ('whatsapp-android', 'whatsapp-ios', 'sms-backup-restore')),
                    title TEXT NOT NULL,
                    sourceFile TEXT NOT NULL,
                    exportSHA256 TEXT NOT NULL UNIQUE,
                    exportSize INTEGER NOT NULL,
                    exportState TEXT NOT NULL DEFAULT 'stored' CHECK (exportState IN ('stored', 'removed')),
                    dateOrder TEXT CHECK (dateOrder IS NULL OR dateOrder IN ('dmy', 'mdy')),
                    hotspotId TEXT,
                    hotspotName TEXT,
                    wooHoldId TEXT,
                    zaaknummer TEXT,
                    handedOverBy TEXT NOT NULL,
                    handedOverByName TEXT NOT NULL,
                    capturedAt TEXT NOT NULL,
                    capturedEpoch INTEGER NOT NULL,
                    firstTime TEXT,
                    firstEpoch INTEGER,
                    lastTime TEXT,
                    lastEpoch INTEGER,
                    messageCount INTEGER NOT NULL,
                    state TEXT NOT NULL DEFAULT 'review' CHECK (state IN ('review', 'handed-over')),
                    handoverAt TEXT,
                    handoverBy TEXT,
                    CHECK ((hotspotId IS NULL) <> (wooHoldId IS NULL))
                );
                CREATE TABLE chatMessage (
                    conversationId INTEGER NOT NULL REFERENCES chatConversation(id),
                    seq INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('message', 'system', 'deleted')),
                    sender TEXT,
                    senderAddress TEXT,
                    personId TEXT,
                    time TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    mediaJSON TEXT NOT NULL DEFAULT '[]',
                    mediaOmitted INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (conversationId, seq)
                );
                CREATE TABLE chatMedia (
                    conversationId INTEGER NOT NULL REFERENCES chatConversation(id),
                    name TEXT NOT NULL,
                    sha256 TEXT,
                    size INTEGER,
                    messageSeq INTEGER,
                    state TEXT NOT NULL CHECK (state IN ('stored', 'missing', 'stripped')),
                    PRIMARY KEY (conversationId, name)
                );
                CREATE INDEX chatMedia_sha256 ON chatMedia(sha256);
                CREATE TABLE chatStrip (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    conversationId INTEGER NOT NULL REFERENCES chatConversation(id),
                    messageCount INTEGER NOT NULL,
                    mediaCount INTEGER NOT NULL,
                    strippedAt TEXT NOT NULL,
                    strippedBy TEXT NOT NULL
                );
                """)
        }
    }
}

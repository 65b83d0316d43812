// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// Which transfer package holds which conversation (chat, bijlage 5), as `exportItem` does for message copies: the
    /// export records a row per conversation it wrote, a confirmed package's conversations are not exported again, a
    /// withdrawn package's are. Refers to `exportPackage` and `chatConversation` only.
    static func registerChatExportSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v22-chat-export") { db in
            try db.execute(sql: """
                CREATE TABLE exportChat (
                    packageId TEXT NOT NULL REFERENCES exportPackage(id),
                    conversationId INTEGER NOT NULL REFERENCES chatConversation(id),
                    exportSHA256 TEXT NOT NULL,
                    PRIMARY KEY (packageId, conversationId)
                );
                CREATE INDEX exportChat_conversation ON exportChat(conversationId);
                """)
        }
    }
}

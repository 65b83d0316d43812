// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// Chat in the Woo workflow and the project lead of a hotspot (issue 18):
    ///
    /// - `wooDocument.conversationId`: a document of a request's verzameling may be a conversation (`kind` `chat`); its
    ///   text is read from `chatMessage`, its `copyId` is 0 (no mail copy) and its `sha256` the export file's.
    /// - `hotspot.projectLead`: the person_id of the hotspot's project lead or responsible employee (bijlage 4, privacy:
    ///   "de projectleider of verantwoordelijke medewerker"), the one who may strip private messages from its chat.
    static func registerWooChatSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v21-woo-chat") { db in
            try db.execute(sql: """
                ALTER TABLE wooDocument ADD COLUMN conversationId INTEGER;
                ALTER TABLE hotspot ADD COLUMN projectLead TEXT;
                """)
        }
    }
}

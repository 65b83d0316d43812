// SPDX-License-Identifier: EUPL-1.2
import GRDB

extension Catalog {
    /// Tables of the export stage: transfer packages and the copies each one holds.
    static func registerExportSchema(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-export") { db in
            try db.execute(sql: """
                CREATE TABLE exportPackage (
                    id TEXT PRIMARY KEY NOT NULL,
                    createdAt TEXT NOT NULL,
                    createdBy TEXT NOT NULL,
                    location TEXT NOT NULL,
                    container TEXT NOT NULL,
                    packageSHA256 TEXT NOT NULL,
                    copyCount INTEGER NOT NULL,
                    confirmedAt TEXT,
                    confirmedBy TEXT,
                    receiptSHA256 TEXT,
                    receiptName TEXT
                );
                CREATE TABLE exportItem (
                    packageId TEXT NOT NULL REFERENCES exportPackage(id),
                    copyId INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY (packageId, copyId)
                );
                CREATE INDEX exportItem_copy ON exportItem(copyId);
                """)
        }
    }
}

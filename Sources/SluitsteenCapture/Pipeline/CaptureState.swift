// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenSupport

/// One server folder of one archive mailbox as the capture knows it (`captureFolder`).
struct FolderRow: Sendable, Equatable {
    var id: Int64
    /// The folder's name on the server (modified UTF-7), as listed.
    var name: String
    /// The archive's folder path for it.
    var folder: String
    var uidValidity: UInt32
    /// Every UID up to this one is captured.
    var lastUid: UInt32
    var highestModseq: UInt64?
    var state: String
}

/// What the capture knows of a UID it captured (`captureMessage`).
struct CapturedUID: Sendable, Equatable {
    var sha256: String
    var keywords: [String]
    var gone: Bool
}

/// One message the capture handed to the ingest pipeline, in order; written to the state once its batch is committed.
struct CaptureEntry: Sendable {
    var folderId: Int64
    var uid: UInt32
    var sha256: String
    var keywordsJSON: String
    var flagsJSON: String
}

/// The capture's own tables in the catalog (migration `v15-capture-state`): UIDVALIDITY and the highest captured UID
/// per mailbox and folder, and per captured UID its content and keywords.
struct CaptureState: Sendable {
    let catalog: Catalog

    func folders(mailbox: String, account: String) throws(CaptureError) -> [FolderRow] {
        do {
            return try catalog.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, name, folder, uidValidity, lastUid, highestModseq, state FROM captureFolder
                    WHERE mailbox = ? AND account = ? ORDER BY id
                    """, arguments: [mailbox, account]).map { r in
                    FolderRow(id: r[0], name: r[1], folder: r[2], uidValidity: UInt32(truncatingIfNeeded: r[3] as Int64),
                              lastUid: UInt32(truncatingIfNeeded: r[4] as Int64), highestModseq: (r[5] as Int64?).map { UInt64($0) }, state: r[6])
                }
            }
        } catch { throw .archive("\(error)") }
    }

    /// A folder seen for the first time.
    func insertFolder(mailbox: String, account: String, name: String, folder: String, uidValidity: UInt32, at: String) throws(CaptureError) -> Int64 {
        do {
            return try catalog.write { db in
                try db.execute(sql: """
                    INSERT INTO captureFolder (mailbox, account, name, folder, uidValidity, firstSeenAt, checkedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [mailbox, account, name, folder, Int64(uidValidity), at, at])
                return db.lastInsertedRowID
            }
        } catch { throw .archive("\(error)") }
    }

    /// A folder renamed on the server (same UIDVALIDITY): its new name, and present again.
    func rename(_ id: Int64, to name: String, folder: String, at: String) throws(CaptureError) {
        try execute("UPDATE captureFolder SET name = ?, folder = ?, state = 'present', checkedAt = ? WHERE id = ?", [name, folder, at, id])
    }

    /// A folder whose UIDVALIDITY changed: its UIDs mean nothing any more, it is scanned again from UID 1.
    func reset(_ id: Int64, uidValidity: UInt32, at: String) throws(CaptureError) {
        do {
            try catalog.write { db in
                try db.execute(sql: "DELETE FROM captureMessage WHERE folderId = ?", arguments: [id])
                try db.execute(sql: """
                    UPDATE captureFolder SET uidValidity = ?, lastUid = 0, highestModseq = NULL, state = 'present', checkedAt = ? WHERE id = ?
                    """, arguments: [Int64(uidValidity), at, id])
            }
        } catch { throw .archive("\(error)") }
    }

    func setState(_ id: Int64, _ state: String, at: String) throws(CaptureError) {
        try execute("UPDATE captureFolder SET state = ?, checkedAt = ? WHERE id = ?", [state, at, id])
    }

    func setModseq(_ id: Int64, _ modseq: UInt64?) throws(CaptureError) {
        try execute("UPDATE captureFolder SET highestModseq = ? WHERE id = ?", [modseq.map { Int64(bitPattern: $0) }, id])
    }

    /// Records committed messages and moves each folder's highest captured UID up (never down).
    func commit(_ entries: ArraySlice<CaptureEntry>) throws {
        guard !entries.isEmpty else { return }
        try catalog.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO captureMessage (folderId, uid, sha256, keywordsJSON, flagsJSON) VALUES (?, ?, ?, ?, ?)
                """)
            var highest: [Int64: UInt32] = [:]
            for e in entries {
                try insert.execute(arguments: [e.folderId, Int64(e.uid), e.sha256, e.keywordsJSON, e.flagsJSON])
                highest[e.folderId] = max(highest[e.folderId] ?? 0, e.uid)
            }
            for (id, uid) in highest {
                try db.execute(sql: "UPDATE captureFolder SET lastUid = MAX(lastUid, ?) WHERE id = ?", arguments: [Int64(uid), id])
            }
        }
    }

    /// Moves a folder's highest captured UID up to `uid` (UIDs that vanished before they could be fetched).
    func advance(_ id: Int64, to uid: UInt32) throws(CaptureError) {
        try execute("UPDATE captureFolder SET lastUid = MAX(lastUid, ?) WHERE id = ?", [Int64(uid), id])
    }

    /// The captured UIDs of a folder.
    func captured(_ id: Int64) throws(CaptureError) -> [UInt32: CapturedUID] {
        do {
            return try catalog.read { db in
                var out: [UInt32: CapturedUID] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT uid, sha256, keywordsJSON, goneAt FROM captureMessage WHERE folderId = ?",
                                               arguments: [id])
                while let r = try rows.next() {
                    out[UInt32(truncatingIfNeeded: r[0] as Int64)] = CapturedUID(sha256: r[1], keywords: JSONText.decodeArray(r[2]),
                                                                               gone: (r[3] as String?) != nil)
                }
                return out
            }
        } catch { throw .archive("\(error)") }
    }

    /// New keywords and flags of captured UIDs, and UIDs no longer on the server.
    func update(_ id: Int64, changed: [(uid: UInt32, keywordsJSON: String, flagsJSON: String)], gone: [UInt32], at: String) throws(CaptureError) {
        guard !changed.isEmpty || !gone.isEmpty else { return }
        do {
            try catalog.write { db in
                for c in changed {
                    try db.execute(sql: "UPDATE captureMessage SET keywordsJSON = ?, flagsJSON = ? WHERE folderId = ? AND uid = ?",
                                   arguments: [c.keywordsJSON, c.flagsJSON, id, Int64(c.uid)])
                }
                for uid in gone {
                    try db.execute(sql: "UPDATE captureMessage SET goneAt = ? WHERE folderId = ? AND uid = ? AND goneAt IS NULL",
                                   arguments: [at, id, Int64(uid)])
                }
            }
        } catch { throw .archive("\(error)") }
    }

    /// The Message-IDs of stored messages, by SHA-256.
    func messageIds(_ shas: [String]) throws(CaptureError) -> [String: String] {
        do {
            return try catalog.read { db in
                var out: [String: String] = [:]
                for sha in Set(shas) {
                    if let id = try String.fetchOne(db, sql: "SELECT messageId FROM message WHERE sha256 = ?", arguments: [sha]) { out[sha] = id }
                }
                return out
            }
        } catch { throw .archive("\(error)") }
    }

    private func execute(_ sql: String, _ arguments: StatementArguments) throws(CaptureError) {
        do { try catalog.write { db in try db.execute(sql: sql, arguments: arguments) } } catch { throw .archive("\(error)") }
    }
}

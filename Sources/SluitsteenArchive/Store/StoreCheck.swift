// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenHashing

/// `sluitsteen store verify`: every stored file against its name and against the catalog.
///
/// Recomputes the SHA-256 of every file in the store and compares the store with the catalog: a message (or chat
/// export or chat media file) the catalog lists as stored whose file is missing or damaged is a loss to restore from a
/// backup; a file no stored message, chat export or chat media file names (left by a kill or a full disk between
/// writing it and committing it, or by an interrupted destruction) is an orphan. With `repair`, orphans and
/// half-written copies are removed — only while holding the store lock, so no running ingest can be writing them.
/// Missing or damaged messages are never "repaired": they are reported.
public struct StoreCheck: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// What a check found.
    public struct Report: Sendable, Equatable {
        /// Stored files whose SHA-256 was recomputed, and their bytes.
        public var checked = 0
        public var bytes: Int64 = 0
        /// Messages the catalog lists as stored whose file is missing.
        public var missing: [String] = []
        /// Files whose bytes no longer match their name.
        public var damaged: [String] = []
        /// Files no stored message names (removed with `repair`).
        public var orphans: [String] = []
        /// Other entries in the store that are not message files (names that are not a SHA-256, folders, links).
        public var strays: [String] = []
        /// Half-written copies in `store/.incoming/`.
        public var leftovers = 0
        /// Whether orphans and leftovers were removed.
        public var repaired = false

        /// True when every message the catalog lists is present and whole.
        public var isSound: Bool { missing.isEmpty && damaged.isEmpty }
    }

    /// Checks the store; with `repair`, removes orphans and leftovers. Holds the store lock throughout.
    public func run(repair: Bool, progress: (Int) -> Void = { _ in }) throws(ArchiveError) -> Report {
        try workspace.withStoreLock(for: repair ? "store verify --repair" : "store verify", now: workspace.clock.now(),
                                    failure: { $0 }) { lock throws(ArchiveError) in
            var report = Report()
            // Messages, and the chat export files and media files (which no message names).
            let stored = try workspace.catalog.read(throwing: ArchiveError.self) { db in
                try MessageRecord.storedSHA256s(db).union(ChatConversationRecord.storedExportSHA256s(db))
                    .union(ChatMediaRecord.storedSHA256s(db))
            }
            let fm = FileManager.default
            let root = workspace.store.root
            var seen = Set<String>()
            let fanouts: [String]
            do { fanouts = try fm.contentsOfDirectory(atPath: root.path).sorted() } catch {
                if !fm.fileExists(atPath: root.path) { fanouts = [] } else { throw .cannotRead(root.path, reason: error.localizedDescription) }
            }
            for dir in fanouts {
                if dir == ContentStore.incomingName {
                    report.leftovers = (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path).count) ?? 0
                    continue
                }
                let dirURL = root.appendingPathComponent(dir, isDirectory: true)
                var st = stat()
                guard lstat(dirURL.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, dir.count == 2, Self.isHex(dir) else {
                    report.strays.append(dir)
                    continue
                }
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: dirURL.path).sorted() } catch {
                    throw .cannotRead(dirURL.path, reason: error.localizedDescription)
                }
                for name in names {
                    let file = dirURL.appendingPathComponent(name)
                    guard lstat(file.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, name.count == 64, Self.isHex(name), name.hasPrefix(dir) else {
                        report.strays.append(dir + "/" + name)
                        continue
                    }
                    seen.insert(name)
                    guard stored.contains(name) else { report.orphans.append(name); continue }
                    do {
                        let digest = try Digest.file(at: file)
                        report.checked += 1
                        report.bytes += Int64(st.st_size)
                        if digest.hex != name { report.damaged.append(name) }
                    } catch {
                        report.damaged.append(name)
                    }
                    if report.checked % 1000 == 0 { progress(report.checked) }
                }
            }
            report.missing = stored.subtracting(seen).sorted()
            if repair {
                try workspace.store.removeLeftovers(holding: lock)
                for sha in report.orphans { try workspace.store.remove(sha) }
                workspace.store.flush()
                report.repaired = true
            }
            return report
        }
    }

    static func isHex(_ s: String) -> Bool { s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }
}

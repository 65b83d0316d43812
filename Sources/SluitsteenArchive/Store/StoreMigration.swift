// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// `sluitsteen store migrate`: converts the one-file store of earlier versions (`store/ab/ab12…`, one file per
/// message named by its SHA-256) to pack files.
///
/// Crash-safe and resumable without a journal of its own: the catalog's map is the journal. Files are copied into the
/// packs in groups; a group is synced and listed (``ContentStore/flush()``), then each of its entries is read back
/// from its pack and its SHA-256 recomputed, and only then is the old file unlinked. A kill leaves old files whose
/// bytes are listed (the re-run checks them in the pack and unlinks them), old files not yet copied (copied by the
/// re-run), or an unlisted tail of a pack (cut off by the next lock holder). A second run finds nothing to do. A file
/// whose bytes do not match its name is not migrated: it is reported and left where it is.
public struct StoreMigration: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// What a migration did.
    public struct Report: Sendable, Equatable {
        /// Files copied into packs (or found there already, from an interrupted run) and then unlinked.
        public var migrated = 0
        public var bytes: Int64 = 0
        /// Files whose bytes do not match their name: left in place.
        public var damaged: [String] = []
    }

    /// Files copied per group (and bytes, at most): one sync and one catalog transaction per group.
    static let groupFiles = 2000
    static let groupBytes: Int64 = 256 << 20

    /// Whether the store folder `root` still holds fan-out folders of the one-file store (`store/ab/`).
    public static func hasLegacyFiles(_ root: URL) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return false }
        return names.contains(where: isFanOut)
    }

    static func isFanOut(_ name: String) -> Bool { name.count == 2 && isHex(name) }

    static func isHex(_ s: String) -> Bool { s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }

    /// Migrates every file; holds the store lock throughout.
    public func run(progress: (Int) -> Void = { _ in }) throws(ArchiveError) -> Report {
        try workspace.withStoreLock(for: "store migrate", now: workspace.clock.now(), failure: { $0 }) { _ throws(ArchiveError) in
            var report = Report()
            let store = workspace.store
            let fm = FileManager.default
            let fanOuts = ((try? fm.contentsOfDirectory(atPath: store.root.path)) ?? []).filter(Self.isFanOut).sorted()
            var group: [(sha: String, path: String)] = []
            var groupBytes: Int64 = 0
            func finish() throws(ArchiveError) {
                try store.flush()
                for f in group {
                    // Read back from the pack: only bytes that are whole there let the old file go.
                    try store.verify(f.sha)
                    if unlink(f.path) != 0 && errno != ENOENT { throw .cannotWrite(f.path, reason: Errno.currentText) }
                    report.migrated += 1
                    CrashPoint.pass("store-migrate-unlinked")
                    if report.migrated % 1000 == 0 { progress(report.migrated) }
                }
                group = []
                groupBytes = 0
            }
            for dir in fanOuts {
                let folder = store.root.appendingPathComponent(dir, isDirectory: true).path
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: folder).sorted() } catch {
                    throw .cannotRead(folder, reason: error.localizedDescription)
                }
                for name in names {
                    let path = folder + "/" + name
                    var st = stat()
                    guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, name.count == 64, StoreMigration.isHex(name) else {
                        report.damaged.append(dir + "/" + name)
                        continue
                    }
                    let size = Int64(st.st_size)
                    if store.contains(name) {
                        group.append((name, path))
                    } else {
                        let stored = try store.put(copyOf: path, offset: 0, length: size)
                        guard stored.sha256 == name else {
                            // What was copied is not what the name promises: given up again, and the file reported.
                            if stored.isNew { try store.remove(stored.sha256) }
                            report.damaged.append(dir + "/" + name)
                            continue
                        }
                        group.append((name, path))
                    }
                    report.bytes += size
                    groupBytes += size
                    if group.count >= Self.groupFiles || groupBytes >= Self.groupBytes { try finish() }
                }
                try finish()
                // The fan-out folder goes once it is empty (a damaged file keeps it, and the workspace refused).
                if ((try? fm.contentsOfDirectory(atPath: folder)) ?? ["?"]).isEmpty { rmdir(folder) }
            }
            try finish()
            report.damaged.sort()
            if report.migrated > 0 || !report.damaged.isEmpty {
                var outcome = "moved \(report.migrated) stored file(s) (\(report.bytes) bytes) of the one-file store into pack files; each "
                    + "was read back from its pack and checked against its SHA-256 before its old file was removed"
                if !report.damaged.isEmpty {
                    outcome += "; \(report.damaged.count) file(s) kept where they are, their bytes not matching their name: "
                        + report.damaged.prefix(20).joined(separator: ", ") + (report.damaged.count > 20 ? ", …" : "")
                }
                try workspace.catalog.write(throwing: ArchiveError.self) { db in
                    _ = try workspace.audit.append(db, kind: .storeMigration, command: "store migrate",
                                               actor: "Sluitsteen (OS-account \(Actor.currentOSUser))", objectIds: ["store"], outcome: outcome)
                }
            }
            return report
        }
    }
}

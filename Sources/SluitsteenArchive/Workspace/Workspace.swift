// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// An archive workspace: one folder holding the SQLite catalog, the content store and the documents
/// Sluitsteen produces (destruction lists, verklaringen, export records).
///
/// Layout: `catalog.sqlite` (GRDB, WAL), `store/packs/` (pack files holding each distinct message once; see
/// ``ContentStore``),
/// `documents/` (vernietigingslijsten, verklaringen, reports), `policy.toml` (optional workspace policy),
/// `store.lock` (held by the one command that adds or removes stored bytes; see ``StoreLock``).
///
/// The folder is private to its owner (0700) and the store's pack files are for the owner alone (0600), whatever the
/// umask: the catalog holds every subject and address.
public struct Workspace: Sendable {
    /// The workspace folder.
    public let root: URL
    /// The catalog of messages, copies, registers, decisions' inputs and the audit trail.
    public let catalog: Catalog
    /// The content-addressed store of message bytes.
    public let store: ContentStore
    /// A real archive or a demo/test archive, fixed when the workspace was created.
    public let kind: ArchiveKind
    /// "Now" for this workspace: the system clock, or in a demo archive a replayed one.
    public let clock: WorkspaceClock
    /// The audit trail, dated by ``clock``.
    public var audit: AuditTrail { AuditTrail(clock: clock) }

    /// Where documents (lists, verklaringen, reports) are written.
    public var documentsDirectory: URL { root.appendingPathComponent("documents", isDirectory: true) }
    /// The workspace's own policy file, used when a command gets no `--policy`.
    public var policyFile: URL { root.appendingPathComponent("policy.toml") }

    static let catalogName = "catalog.sqlite"
    static let markerName = "SLUITSTEEN-WORKSPACE"

    /// Resolves the workspace folder: an explicit `--home`, else `$SLUITSTEEN_HOME`, else `./archief`.
    public static func resolveDirectory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let path = explicit ?? environment["SLUITSTEEN_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "archief"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// Creates a new workspace of `kind` at `directory` and opens it. Creating over an existing workspace opens it,
    /// provided the kind asked for is the kind it was created as (a real archive never becomes a demo, nor the other
    /// way round). The clock comes from `environment` as for ``open(at:environment:)``.
    public static func create(at directory: URL, kind: ArchiveKind = .real,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) -> Workspace {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDir), !isDir.boolValue {
            throw .notAWorkspace(directory.path, reason: "a file with that name exists")
        }
        for folder in [directory, directory.appendingPathComponent("store"), directory.appendingPathComponent("documents")] {
            do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw .cannotWrite(directory.path, reason: error.localizedDescription)
            }
            guard chmod(folder.path, 0o700) == 0 else { throw .cannotWrite(folder.path, reason: Errno.text(errno)) }
        }
        let catalog = try Catalog(path: directory.appendingPathComponent(catalogName).path)
        _ = chmod(catalog.path, 0o600)
        let recorded = try catalog.write(throwing: ArchiveError.self) { db -> ArchiveKind in
            if let recorded = try WorkspaceSetting.archiveKind(db) { return recorded }
            // A workspace made before the kind was recorded, with entries already, is a real archive.
            let k = try AuditTrail.isEmpty(db) ? kind : ArchiveKind.real
            try WorkspaceSetting.recordArchiveKind(db, k)
            return k
        }
        guard recorded == kind else { throw .kindMismatch(directory.path, recorded: recorded, requested: kind) }
        let marker = directory.appendingPathComponent(markerName)
        if !fm.fileExists(atPath: marker.path) {
            let text = "Sluitsteen archive workspace (\(kind == .demo ? "demo/test archive" : "real archive")). "
                + "Do not edit or remove files here by hand.\n"
            do { try Data(text.utf8).write(to: marker, options: .atomic) } catch {
                throw .cannotWrite(marker.path, reason: error.localizedDescription)
            }
        }
        return try open(at: directory, environment: environment)
    }

    /// Creates (or opens) a workspace of `kind` at `directory` as ``create(at:kind:environment:)`` does, and records
    /// its creation in the audit trail once, with the kind it was created as. Returns the workspace and whether it
    /// was new.
    public static func initialise(at directory: URL, kind: ArchiveKind, actor: Actor,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) -> (Workspace, Bool) {
        let workspace = try create(at: directory, kind: kind, environment: environment)
        let created = try workspace.catalog.write(throwing: ArchiveError.self) { db -> Bool in
            guard try !AuditTrail.hasEntry(db, kind: .workspace) else { return false }
            try workspace.audit.append(db, kind: .workspace, command: "init" + (kind == .demo ? " --demo" : ""), actor: actor.auditText,
                                       objectIds: ["workspace", "kind:\(kind.rawValue)"],
                                       outcome: "created \(directory.path) as a \(kind == .demo ? "demo/test archive" : "real archive")")
            return true
        }
        return (workspace, created)
    }

    /// Opens an existing workspace and brings its catalog up to the current schema version. A real archive refuses a
    /// replayed clock (`SLUITSTEEN_NOW` in `environment`); a demo archive honours it.
    /// A workspace whose store still has the one-file layout of earlier versions is refused (``ArchiveError/legacyStore(_:)``)
    /// unless `allowingLegacyStore` (only `store migrate` opens it so).
    public static func open(at directory: URL, allowingLegacyStore: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ArchiveError) -> Workspace {
        let fm = FileManager.default
        let marker = directory.appendingPathComponent(markerName)
        guard fm.fileExists(atPath: marker.path) else {
            throw .notAWorkspace(directory.path, reason: "no Sluitsteen workspace there; create one with `sluitsteen init \(directory.path)`")
        }
        let catalog = try Catalog(path: directory.appendingPathComponent(catalogName).path)
        let kind = try catalog.read(throwing: ArchiveError.self) { db in try WorkspaceSetting.archiveKind(db) ?? .real }
        let clock = try WorkspaceClock.resolve(for: kind, at: directory.path, environment: environment)
        let store = ContentStore(root: directory.appendingPathComponent("store", isDirectory: true), catalog: catalog, clock: clock)
        if !allowingLegacyStore, StoreMigration.hasLegacyFiles(store.root) { throw .legacyStore(directory.path) }
        return Workspace(root: directory, catalog: catalog, store: store, kind: kind, clock: clock)
    }

    /// The workspace's scratch folder (`tmp/`), private to its owner: PST conversion and export bookkeeping work here,
    /// never in a world-readable system folder.
    public var scratchDirectory: URL { root.appendingPathComponent("tmp", isDirectory: true) }

    /// Creates (if needed) the scratch folder and the folder `name` in it, both 0700 whatever the umask, and checks that
    /// each is a real folder of this account (not a symbolic link or someone else's folder). Returns the folder.
    public func scratchFolder(named name: String) throws(ArchiveError) -> URL {
        let folder = scratchDirectory.appendingPathComponent(name, isDirectory: true)
        for dir in [scratchDirectory, folder] {
            if mkdir(dir.path, 0o700) != 0 && errno != EEXIST { throw .cannotWrite(dir.path, reason: Errno.text(errno)) }
            var st = stat()
            guard lstat(dir.path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR, st.st_uid == geteuid(), chmod(dir.path, 0o700) == 0 else {
                throw .cannotWrite(dir.path, reason: "it is not a private folder of this account (a symbolic link, or owned by someone "
                    + "else); remove it and run the command again")
            }
        }
        return folder
    }

    /// The same workspace on another clock (tests of a demo archive, which replay several moments in one process).
    public func replaying(_ date: Date) throws(ArchiveError) -> Workspace {
        guard kind == .demo else { throw .clockReplayRefused(root.path, value: ISOTimestamp.format(date)) }
        let clock = WorkspaceClock.replaying(date)
        return Workspace(root: root, catalog: catalog, store: ContentStore(root: store.root, catalog: catalog, clock: clock), kind: kind,
                         clock: clock)
    }
}

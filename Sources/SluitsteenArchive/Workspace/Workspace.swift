// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// An archive workspace: one folder holding the SQLite catalog, the content store and the documents
/// Sluitsteen produces (destruction lists, verklaringen, export records).
///
/// Layout: `catalog.sqlite` (GRDB, WAL), `store/` (one file per distinct message, named by its SHA-256),
/// `documents/` (vernietigingslijsten, verklaringen, reports), `policy.toml` (optional workspace policy),
/// `store.lock` (held by the one command that adds or removes stored bytes; see ``StoreLock``).
public struct Workspace: Sendable {
    /// The workspace folder.
    public let root: URL
    /// The catalog of messages, copies, registers, decisions' inputs and the audit trail.
    public let catalog: Catalog
    /// The content-addressed store of message bytes.
    public let store: ContentStore

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

    /// Creates a new workspace at `directory` (which may exist but must not already be a workspace with data).
    /// Returns the opened workspace. Creating over an existing workspace is harmless: it is opened and migrated.
    public static func create(at directory: URL) throws(ArchiveError) -> Workspace {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDir), !isDir.boolValue {
            throw .notAWorkspace(directory.path, reason: "a file with that name exists")
        }
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            try fm.createDirectory(at: directory.appendingPathComponent("store"), withIntermediateDirectories: true)
            try fm.createDirectory(at: directory.appendingPathComponent("documents"), withIntermediateDirectories: true)
            let marker = directory.appendingPathComponent(markerName)
            if !fm.fileExists(atPath: marker.path) {
                try Data("Sluitsteen archive workspace. Do not edit or remove files here by hand.\n".utf8)
                    .write(to: marker, options: .atomic)
            }
        } catch {
            throw .cannotWrite(directory.path, reason: "\(error.localizedDescription)")
        }
        return try open(at: directory)
    }

    /// Opens an existing workspace and brings its catalog up to the current schema version.
    public static func open(at directory: URL) throws(ArchiveError) -> Workspace {
        let fm = FileManager.default
        let marker = directory.appendingPathComponent(markerName)
        guard fm.fileExists(atPath: marker.path) else {
            throw .notAWorkspace(directory.path, reason: "no Sluitsteen workspace there; create one with `sluitsteen init \(directory.path)`")
        }
        let catalog = try Catalog(path: directory.appendingPathComponent(catalogName).path)
        let store = ContentStore(root: directory.appendingPathComponent("store", isDirectory: true))
        return Workspace(root: directory, catalog: catalog, store: store)
    }
}

/// Errors of the archive workspace, worded for a records manager.
public enum ArchiveError: Error, CustomStringConvertible, Sendable {
    case notAWorkspace(String, reason: String)
    case cannotWrite(String, reason: String)
    case cannotRead(String, reason: String)
    case catalog(String)
    case storeCorrupt(sha256: String, reason: String)
    case notFound(String)
    /// Another command is adding bytes to or removing bytes from the store (see ``StoreLock``).
    case busy(String, holder: String)

    public var description: String {
        switch self {
        case .notAWorkspace(let path, let reason): return "\(path) is not an archive workspace: \(reason)."
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason). Check the disk space and permissions."
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)."
        case .catalog(let reason): return "the catalog could not be updated: \(reason). Nothing was changed; run the command again."
        case .storeCorrupt(let sha, let reason): return "stored message \(sha) is damaged: \(reason). Restore it from a backup."
        case .notFound(let what): return "\(what) was not found in the catalog."
        case .busy(let path, let holder):
            return "the archive in \(path) is busy: another command is changing its stored messages (\(holder)). Nothing was changed; run this command again when that one has finished."
        }
    }
}

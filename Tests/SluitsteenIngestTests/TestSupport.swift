import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
@testable import SluitsteenIndex
import SluitsteenIngest
import SluitsteenSupport

/// Paths and temporary workspaces for the ingest tests.
enum TestPaths {
    /// The package root (the folder holding Package.swift).
    static let packageRoot = PackagePaths.root
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/mailboxes")
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let corpora = shared.appendingPathComponent("corpora")
    static var hasCorpora: Bool { FileManager.default.fileExists(atPath: corpora.appendingPathComponent("README.md").path) }

    /// A new workspace in a fresh temporary folder, which the caller removes (`defer { TemporaryDirectory.remove(ws.root) }`).
    static func workspace() throws -> Workspace {
        try Workspace.create(at: FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-ws-\(UUID().uuidString)"))
    }
}

/// Runs Python 3 as an independent oracle and returns its standard output.
enum Python {
    static func run(_ args: [String]) throws -> String {
        try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + args).out
    }

    static var available: Bool {
        (try? run(["-c", "print('ok')"]))?.hasPrefix("ok") == true
    }
}

/// The two ways a message travels through ingest: in memory, and (above the in-memory limit) as a range of its
/// file, copied into the store while hashed and parsed from the stored file. Both must give the same archive.
enum BothPaths {
    /// Ingests `sources` (mailbox, paths, format) into a new workspace with the given in-memory limit, builds the
    /// full-text index with the same limit, and returns the workspace.
    static func ingest(_ sources: [(String, [URL], MailboxFormat?)], inMemoryLimit: Int) throws -> Workspace {
        let ws = try TestPaths.workspace()
        var ingestor = Ingestor(workspace: ws, now: ISOTimestamp.parse("2026-06-01T10:00:00Z")!)
        ingestor.flushToDisk = false
        ingestor.batchSize = 64
        ingestor.inMemoryLimit = inMemoryLimit
        for (mailbox, paths, format) in sources {
            let summary = try ingestor.run(IngestRequest(mailbox: mailbox, paths: paths, format: format, actor: "test"))
            guard summary.found == summary.storedNew + summary.alreadyPresent else { throw IngestError.notFound("found != stored + present") }
        }
        var indexer = TextIndexer(workspace: ws)
        indexer.inMemoryLimit = inMemoryLimit
        try indexer.run()
        return ws
    }

    /// Every copy as its JSON line, every stored file with its size, and every index row, in a fixed order.
    static func contents(_ ws: Workspace) throws -> (copies: [String], files: [String], text: [String]) {
        var copies: [String] = []
        try ws.catalog.forEachCopy { copies.append($0.jsonLine) }
        let files = (FileManager.default.enumerator(atPath: ws.store.root.path)?.allObjects as? [String] ?? [])
            .filter { ($0 as NSString).lastPathComponent.count == 64 }
            .map { name -> String in
                let path = ws.store.root.appendingPathComponent(name).path
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
                return "\((name as NSString).lastPathComponent) \(size)"
            }
        let text = try ws.catalog.read { db in
            try String.fetchAll(db, sql: "SELECT m.sha256 || ' ' || t.text FROM messageText t JOIN message m ON m.rowid = t.rowid ORDER BY m.sha256")
        }
        return (copies.sorted(), files.sorted(), text)
    }
}

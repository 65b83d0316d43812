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

    /// What ``contents(_:)`` reads: every copy as its JSON line, every stored message's SHA-256 with its length, and
    /// every index row, each in a fixed order.
    typealias Contents = (copies: [String], files: [String], text: [String])

    /// Every copy as its JSON line, every message in the store's map with its length, and every index row, in a fixed
    /// order.
    static func contents(_ ws: Workspace) throws -> Contents {
        var copies: [String] = []
        try ws.catalog.forEachCopy { copies.append($0.jsonLine) }
        let (files, text) = try ws.catalog.read { db in
            (try String.fetchAll(db, sql: "SELECT sha256 || ' ' || length FROM packEntry ORDER BY sha256"),
             try String.fetchAll(db, sql: """
                 SELECT m.sha256 || ' ' || t.text FROM messageText t JOIN message m ON m.rowid = t.rowid ORDER BY m.sha256
                 """))
        }
        return (copies.sorted(), files, text)
    }

    /// ``contents(_:)`` of `sources` ingested both ways (in memory, and with every message above the in-memory
    /// limit); the two workspaces are removed afterwards.
    static func bothWays(_ sources: [(String, [URL], MailboxFormat?)]) throws -> (inMemory: Contents, inFiles: Contents) {
        let memoryWorkspace = try ingest(sources, inMemoryLimit: ContentStore.defaultInMemoryLimit)
        defer { TemporaryDirectory.remove(memoryWorkspace.root) }
        let fileWorkspace = try ingest(sources, inMemoryLimit: 0)
        defer { TemporaryDirectory.remove(fileWorkspace.root) }
        return (try contents(memoryWorkspace), try contents(fileWorkspace))
    }
}

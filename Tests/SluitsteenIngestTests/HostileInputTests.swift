// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenSupport
import Synchronization
@testable import SluitsteenIngest
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Building blocks for hostile mailbox exports, made in a temporary folder. Links point at a marker file made here
/// (and one at /proc/self/environ), never at real system files.
enum Hostile {
    static let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!

    static func ingestor(_ ws: Workspace, batchSize: Int = 512) -> Ingestor {
        var ingestor = Ingestor(workspace: ws, now: Hostile.now)
        ingestor.batchSize = batchSize
        ingestor.flushToDisk = false
        return ingestor
    }

    static func message(_ subject: String, id: String) -> Data {
        Data(("From: a@b.example\nTo: c@d.example\nSubject: \(subject)\nMessage-ID: <\(id)@b.example>\n"
            + "Date: Mon, 1 Jan 2024 10:00:00 +0100\n\ntekst \(id)\n").utf8)
    }

    /// A secret the export points at with links: it must never reach the store or the catalog.
    struct Marker {
        let text = "GEHEIM-MARKER-\(UUID().uuidString)"
        let file: URL
        init(in dir: URL) throws {
            file = dir.appendingPathComponent("geheim.txt")
            try Data("Subject: \(text)\n\n\(text)\n".utf8).write(to: file)
        }
    }

    static func makeMaildir(_ url: URL) throws {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(at: url.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    static func link(_ path: URL, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: target)
    }

    /// Every stored file's bytes, as text.
    static func storedTexts(_ ws: Workspace) throws -> [String] {
        let names = FileManager.default.enumerator(atPath: ws.store.root.path)?.allObjects as? [String] ?? []
        return try names.filter { ($0 as NSString).lastPathComponent.count == 64 }.map {
            String(decoding: try Data(contentsOf: ws.store.root.appendingPathComponent($0)), as: UTF8.self)
        }
    }

    static func copies(_ ws: Workspace) throws -> [CatalogCopy] {
        var out: [CatalogCopy] = []
        try ws.catalog.forEachCopy { out.append($0) }
        return out
    }
}

/// Issue 19, point 1: whoever hands over an export must not choose what the operator's account reads. Nothing
/// inside an export is followed or opened unless it is a regular file or folder, and each entry skipped is named.
@Suite struct HostileInputTests {
    @Test func maildirLinksAreNeverFollowedAndEachIsReported() throws {
        let tmp = try TemporaryDirectory("hostile-maildir")
        let dir = tmp.url
        let marker = try Hostile.Marker(in: dir)
        let secretFolder = dir.appendingPathComponent("geheime-map")
        try FileManager.default.createDirectory(at: secretFolder, withIntermediateDirectories: true)
        try Data(marker.text.utf8).write(to: secretFolder.appendingPathComponent("1700000000.geheim:2,S"))
        try Data("0 \(marker.text)\n".utf8).write(to: dir.appendingPathComponent("keywords"))
        let elsewhere = dir.appendingPathComponent("andere-maildir")
        try Hostile.makeMaildir(elsewhere)
        try Data(marker.text.utf8).write(to: elsewhere.appendingPathComponent("cur/1700000001.ander:2,S"))

        let root = dir.appendingPathComponent("Maildir")
        try Hostile.makeMaildir(root)
        try Hostile.message("gewoon", id: "gewoon").write(to: root.appendingPathComponent("cur/1700000002.gewoon:2,Sa"))
        let fileLink = root.appendingPathComponent("cur/1700000003.link:2,S")
        try Hostile.link(fileLink, to: marker.file.path)
        let procLink = root.appendingPathComponent("cur/1700000004.environ:2,S")
        try Hostile.link(procLink, to: "/proc/self/environ")
        let keywordsLink = root.appendingPathComponent("dovecot-keywords")
        try Hostile.link(keywordsLink, to: dir.appendingPathComponent("keywords").path)
        // A Maildir++ folder whose cur is a link to another folder, and a folder that is itself a link.
        let evil = root.appendingPathComponent(".Kwaad")
        try FileManager.default.createDirectory(at: evil.appendingPathComponent("new"), withIntermediateDirectories: true)
        try Hostile.link(evil.appendingPathComponent("cur"), to: secretFolder.path)
        let linkedFolder = root.appendingPathComponent(".Gelinkt")
        try Hostile.link(linkedFolder, to: elsewhere.path)

        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let summary = try Hostile.ingestor(ws).run(IngestRequest(mailbox: "a@b.example", paths: [root], actor: "test"))
        #expect(summary.found == 1, "only the one real message file is read")
        let all = try Hostile.copies(ws)
        #expect(all.map(\.subject) == ["gewoon"])
        #expect(all.allSatisfy { !$0.keywords.contains { $0.contains("GEHEIM") } }, "dovecot-keywords behind a link is not read")
        #expect(try Hostile.storedTexts(ws).allSatisfy { !$0.contains(marker.text) && !$0.contains("PATH=") })
        for skipped in [fileLink, procLink, keywordsLink, evil.appendingPathComponent("cur"), linkedFolder] {
            #expect(summary.notices.contains { $0.hasPrefix(skipped.path + ":") && $0.contains("symbolic link") },
                    "\(skipped.lastPathComponent) is reported: \(summary.notices)")
        }
    }

    @Test func emlTreeLinksAreReportedByName() throws {
        let tmp = try TemporaryDirectory("hostile-eml")
        let dir = tmp.url
        let marker = try Hostile.Marker(in: dir)
        let secretFolder = dir.appendingPathComponent("geheime-map")
        try FileManager.default.createDirectory(at: secretFolder, withIntermediateDirectories: true)
        try Data("Subject: \(marker.text)\n\n".utf8).write(to: secretFolder.appendingPathComponent("diep.eml"))
        let root = dir.appendingPathComponent("berichten")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("map"), withIntermediateDirectories: true)
        try Hostile.message("gewoon", id: "eml").write(to: root.appendingPathComponent("map/a.eml"))
        let fileLink = root.appendingPathComponent("map/b.eml")
        try Hostile.link(fileLink, to: marker.file.path)
        let folderLink = root.appendingPathComponent("gelinkt")
        try Hostile.link(folderLink, to: secretFolder.path)
        let procLink = root.appendingPathComponent("omgeving.eml")
        try Hostile.link(procLink, to: "/proc/self/environ")

        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let summary = try Hostile.ingestor(ws).run(IngestRequest(mailbox: "a@b.example", paths: [root], format: .eml, actor: "test"))
        #expect(summary.found == 1)
        #expect(try Hostile.copies(ws).map(\.folder) == ["map"])
        #expect(try Hostile.storedTexts(ws).allSatisfy { !$0.contains(marker.text) })
        for skipped in [fileLink, folderLink, procLink] {
            #expect(summary.notices.contains { $0.hasPrefix(skipped.path + ":") && $0.contains("symbolic link") },
                    "\(skipped.lastPathComponent) is reported: \(summary.notices)")
        }
    }

    /// FIFOs are never opened (opening one for reading would wait for a writer forever).
    @Test func specialFilesInAnExportAreSkipped() throws {
        let tmp = try TemporaryDirectory("hostile-fifo")
        let dir = tmp.url
        let root = dir.appendingPathComponent("Maildir")
        try Hostile.makeMaildir(root)
        try Hostile.message("gewoon", id: "fifo").write(to: root.appendingPathComponent("cur/1700000000.a:2,S"))
        let fifo = root.appendingPathComponent("cur/1700000001.pijp:2,S")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let emlRoot = dir.appendingPathComponent("eml")
        try FileManager.default.createDirectory(at: emlRoot, withIntermediateDirectories: true)
        try Hostile.message("gewoon", id: "fifo-eml").write(to: emlRoot.appendingPathComponent("a.eml"))
        let emlFifo = emlRoot.appendingPathComponent("pijp.eml")
        #expect(mkfifo(emlFifo.path, 0o600) == 0)

        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let summary = try Hostile.ingestor(ws).run(IngestRequest(mailbox: "a@b.example", paths: [root, emlRoot], actor: "test"))
        #expect(summary.found == 2)
        #expect(summary.notices.contains { $0.hasPrefix(fifo.path + ":") && $0.contains("FIFO") }, "\(summary.notices)")
        #expect(summary.notices.contains { $0.hasPrefix(emlFifo.path + ":") && $0.contains("FIFO") }, "\(summary.notices)")
        // A FIFO named on the command line is refused before anything is ingested, with or without --format.
        for format in [nil, MailboxFormat.mbox, .pst, .eml] {
            #expect(throws: IngestError.self) {
                try Hostile.ingestor(ws).run(IngestRequest(mailbox: "a@b.example", paths: [emlFifo], format: format, actor: "test"))
            }
        }
    }

    /// A path named on the command line is the operator's choice: followed, and noted.
    @Test func aLinkNamedOnTheCommandLineIsFollowedAndNoted() throws {
        let tmp = try TemporaryDirectory("hostile-named")
        let dir = tmp.url
        let named = dir.appendingPathComponent("postvak.mbox")
        try Hostile.link(named, to: TestPaths.fixtures.appendingPathComponent("burgemeester.mbox").path)
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let summary = try Hostile.ingestor(ws).run(IngestRequest(mailbox: "a@b.example", paths: [named], actor: "test"))
        #expect(summary.found > 5)
        #expect(summary.notices.contains { $0.hasPrefix(named.path + " is a symbolic link") && $0.contains("burgemeester.mbox") },
                "\(summary.notices)")
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import GRDB
@testable import SluitsteenExport
import SluitsteenHashing
import SluitsteenPolicy
import Testing

/// `--container tar` writes its members straight into the tar (the `.eml` from the store, the sidecars from one spool
/// file): no staging folder of per-message files, the same bytes as the tar of the folder form, and a damaged stored
/// message is still refused.
@Suite(.enabled(if: ExportFixture.available, "needs the MDTO XSD and xmllint"))
struct ExportTarStreamingTests {
    /// The files under the export's hidden working folders next to `out` whose name ends in `suffix` (extracted
    /// attachments aside).
    static func stagedFiles(next out: URL, endingIn suffix: String) -> [String] {
        let parent = out.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var found: [String] = []
        for name in names where name.hasPrefix(".") && name.contains(PackageExporter.tempMarker) {
            let walker = FileManager.default.enumerator(atPath: parent.appendingPathComponent(name).path)
            while let rel = walker?.nextObject() as? String {
                // A large message's extracted attachments are unpacked from the store into files (as in the folder form).
                if rel.hasSuffix(suffix) && !rel.split(separator: "/").last!.hasPrefix("bijlage-") { found.append(rel) }
            }
        }
        return found
    }

    /// Exports the fixtures as a folder (in one workspace) and as a tar (in another, built the same way), and packs the
    /// folder with the folder packer: the tar export's bytes must be those bytes.
    static func compare(_ configure: @escaping (inout ExportRequest) -> Void, extraMessage: Bool = false) throws {
        let tmp = try TemporaryDirectory("export-tarstream")
        let base = tmp.url
        let folderWorkspace = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(folderWorkspace.root) }
        let tarWorkspace = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(tarWorkspace.root) }
        if extraMessage {
            try ExportFixture.addRichMessage(to: folderWorkspace)
            try ExportFixture.addRichMessage(to: tarWorkspace)
        }
        let folder = base.appendingPathComponent("p")
        let folderSummary = try ExportFixture.export(folderWorkspace, ExportFixture.request(folder, configure))
        let tar = base.appendingPathComponent("p.tar")
        var emlSeen = -1
        var request = ExportFixture.request(tar, configure)
        request.container = .tar
        let exporter = PackageExporter(workspace: tarWorkspace, now: ExportFixture.now)
        let tarSummary = try exporter.run(request, policy: try Policy.krimpenerwaard) { _, _ in
            // After every batch of messages: nothing per message in the working folder.
            emlSeen = max(emlSeen, stagedFiles(next: tar, endingIn: ".eml").count + stagedFiles(next: tar, endingIn: ".bestand.mdto.xml").count)
        }
        #expect(emlSeen == 0, "the tar export wrote \(emlSeen) per-message files to a staging folder")
        #expect(tarSummary.packageId == folderSummary.packageId)
        #expect(tarSummary.packageHash == folderSummary.packageHash)
        let expected = base.appendingPathComponent("expected.tar")
        try TarWriter.pack(folder: folder, into: expected, root: folderSummary.packageId, mtime: Int64(ExportFixture.now.timeIntervalSince1970))
        let made = try Data(contentsOf: tar)
        #expect(made.count == (try Data(contentsOf: expected)).count)
        #expect(Digest.hex(made) == Digest.hex(try Data(contentsOf: expected)), "the tar export's bytes are the folder's tar")
        // Nothing of the working folder is left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == ["expected.tar", "p", "p.tar"])
    }

    @Test("A tar export writes no per-message files to a staging folder, and its bytes are the tar of the folder form")
    func sameBytesWithoutStaging() throws {
        try Self.compare { _ in }
    }

    @Test("The same with BagIt, extracted attachments, and every message above the in-memory limit")
    func sameBytesBagItAttachmentsLarge() throws {
        try Self.compare({ $0.bagit = true }, extraMessage: false)
        try Self.compare({ $0.extractAttachments = true }, extraMessage: true)
        try Self.compare({
            $0.extractAttachments = true
            $0.inMemoryLimit = 16
        }, extraMessage: true)
        try Self.compare({ $0.inMemoryLimit = 16 }, extraMessage: true)
    }

    @Test("A damaged stored message is refused while the tar is written: the message is named, nothing is left, nothing recorded")
    func damagedMessageRefused() throws {
        let ws = try ExportFixture.workspace(hotspot: false)
        defer { TemporaryDirectory.remove(ws.root) }
        let victim = try ExportFixture.damageLastBurgemeesterMessage(ws)
        let tmp = try TemporaryDirectory("export-tardamage")
        let base = tmp.url
        let out = base.appendingPathComponent("p.tar")
        var message = ""
        do {
            _ = try ExportFixture.export(ws, ExportFixture.request(out) { $0.container = .tar })
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("message <"), "the error names the message: \(message)")
        #expect(message.contains("no longer matches") || message.contains(victim.prefix(12)), "\(message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).isEmpty)
        let packages = try ws.catalog.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exportPackage") ?? 0 }
        #expect(packages == 0)
    }

    @Test("Tar members sort as the folder walk lists them: a folder before its contents, names in byte order")
    func memberOrder() {
        let paths = ["a", "a/x", "a.txt", "a_", "a(b", "a/x/y", "B", "é", "2024-01-01_x"]
        let walked = ["2024-01-01_x", "B", "a", "a/x", "a/x/y", "a(b", "a.txt", "a_", "é"]
        #expect(paths.sorted { TarMember.key($0).lexicographicallyPrecedes(TarMember.key($1)) } == walked)
    }
}

/// The tar writer copies its members in batches and looks up (and announces to the kernel) the next batch's stored
/// messages before it copies the current one: whatever the batch size, the same tar.
@Suite(.enabled(if: ExportFixture.available, "needs the MDTO XSD and xmllint"))
struct TarBatchTests {
    @Test("Members copied in batches of 1, 2, 5, 7 and 1024 give the same tar, with every stored message's bytes")
    func batchesGiveTheSameTar() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-tarbatch")
        let base = tmp.url
        let stored = try ws.catalog.read { db in
            try Row.fetchAll(db, sql: "SELECT sha256, size FROM message ORDER BY sha256").map { (sha: $0[0] as String, size: $0[1] as Int64) }
        }
        #expect(stored.count >= 7, "enough messages for several batches")
        func pack(_ batchSize: Int) throws -> Data {
            let dir = base.appendingPathComponent("b\(batchSize)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let selection = try ExportSelection(path: dir.appendingPathComponent("selection.sqlite"))
            let spool = try SidecarSpool(path: dir.appendingPathComponent("spool").path)
            var members: [TarMember] = []
            for (i, m) in stored.enumerated() {
                let folder = String(format: "m%03d", i)
                members.append(TarMember(path: folder, isDirectory: true))
                members.append(TarMember(path: folder + "/bericht.eml", size: m.size, source: .stored, sha256: m.sha))
                let note = Data("bij \(m.sha)\n".utf8)
                members.append(TarMember(path: folder + "/notitie.txt", size: Int64(note.count), source: .spool, offset: try spool.append(note)))
            }
            try selection.record(members)
            try spool.flush()
            let tar = dir.appendingPathComponent("p.tar")
            try TarWriter.pack(members: selection, folder: dir, spool: spool, store: ws.store, into: tar, root: "pakket", mtime: 1_700_000_000,
                               batchSize: batchSize)
            return try Data(contentsOf: tar)
        }
        let whole = try pack(1024)
        for size in [1, 2, 5, 7] { #expect(try pack(size) == whole, "batches of \(size)") }
        let out = base.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try whole.write(to: base.appendingPathComponent("whole.tar"))
        #expect(try ExportFixture.run("/usr/bin/tar", ["-xf", base.appendingPathComponent("whole.tar").path], in: out).0 == 0)
        for (i, m) in stored.enumerated() {
            let eml = try Data(contentsOf: out.appendingPathComponent(String(format: "pakket/m%03d/bericht.eml", i)))
            #expect(eml == (try ws.store.read(m.sha)), "message \(i)")
        }
    }
}

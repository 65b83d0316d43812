import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenTestSupport
import Testing

/// `store migrate` on a workspace made by the version before the pack store (commit 4b32a3b, one file per message in
/// `store/ab/ab12…`), not by today's code imitating it: the fixture is that version's demo workspace after the README
/// tour's kinds of work (three mail formats, a withdrawn batch, the index, hotspots, Woo hold and request, opt-outs,
/// chat with a hand-over that removed its export file, an executed destruction list, an opt-out purge, an export
/// confirmed as transferred), packed by `scripts/make-old-workspace.sh`. What it must hold after the migration is read
/// from the old workspace itself before it: its files and its catalog.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct StoreMigrateOldWorkspaceCLITests {
    static let fixture = PackagePaths.root.appendingPathComponent("Tests/SluitsteenCLITests/Fixtures/old-workspace-4b32a3b.tar.gz")

    /// The files of the one-file store under `store`: SHA-256 (the file's name) → bytes.
    static func oneFileStore(_ store: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let fm = FileManager.default
        for fan in try fm.contentsOfDirectory(atPath: store.path) where fan.count == 2 {
            let folder = store.appendingPathComponent(fan)
            for name in try fm.contentsOfDirectory(atPath: folder.path) {
                files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
            }
        }
        return files
    }

    /// What the old catalog says: every copy (number → "sha256 state"), the messages whose bytes it keeps, the
    /// messages whose bytes were removed, and the number of audit entries.
    struct OldCatalog {
        var copies: [Int64: String] = [:]
        var stored: Set<String> = []
        var removed: Set<String> = []
        var auditEntries = 0
    }

    static func readOldCatalog(_ home: URL) throws -> OldCatalog {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: home.appendingPathComponent("catalog.sqlite").path, configuration: config)
        defer { try? db.close() }
        return try db.read { db in
            var old = OldCatalog()
            for row in try Row.fetchAll(db, sql: "SELECT id, sha256, state FROM copy") {
                old.copies[row["id"]] = "\(row["sha256"] as String) \(row["state"] as String)"
            }
            old.stored = Set(try String.fetchAll(db, sql: "SELECT sha256 FROM message WHERE contentState = 'stored'"))
            old.removed = Set(try String.fetchAll(db, sql: "SELECT sha256 FROM message WHERE contentState <> 'stored'"))
            old.auditEntries = try Int.fetchOne(db, sql: "SELECT count(*) FROM auditEntry") ?? 0
            return old
        }
    }

    /// The SHA-256s the catalog's map lists, read without opening the workspace (which a lock holder would recover).
    static func listedInMap(_ home: URL) throws -> Set<String> {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: home.appendingPathComponent("catalog.sqlite").path, configuration: config)
        defer { try? db.close() }
        return try db.read { Set(try String.fetchAll($0, sql: "SELECT sha256 FROM packEntry")) }
    }

    func json(_ cli: CLI, _ args: [String]) throws -> (status: Int32, object: [String: Any], stderr: String) {
        let r = try cli.run(args + ["--json"])
        return (r.status, cli.jsonLines(r.stdout).first ?? [:], r.stderr)
    }

    /// Every pack file's name and bytes.
    func packs(_ home: URL) throws -> [String: Data] {
        let folder = home.appendingPathComponent("store/packs")
        var packs: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            packs[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return packs
    }

    @Test func aWorkspaceMadeByTheOneFileVersionIsMigratedWhole() throws {
        let tmp = try TemporaryDirectory("old-workspace")
        let unpacked = try Subprocess.run(tool: "tar", ["-xzf", Self.fixture.path, "-C", tmp.url.path])
        try #require(unpacked.status == 0, "\(unpacked.err)")
        var cli = CLI(home: tmp.appending("archief"))
        cli.now = "2036-01-06T09:00:00Z"  // after the old workspace's last entry (its demo clock ran to 2036)
        let store = cli.home.appendingPathComponent("store")

        // What the old version left: its files, each named by the SHA-256 of its bytes, and its catalog.
        let files = try Self.oneFileStore(store)
        #expect(files.allSatisfy { name, bytes in bytes.withUnsafeBytes { Digest.hex($0) } == name })
        let old = try Self.readOldCatalog(cli.home)
        #expect(files.count >= 15 && !old.removed.isEmpty && old.copies.count > old.stored.count, "a rich workspace")
        #expect(old.stored.isSubset(of: Set(files.keys)), "every stored message is a file")
        #expect(old.removed.isDisjoint(with: Set(files.keys)), "destroyed and purged messages left the store")
        #expect(files.count > old.stored.count, "chat export files and media are in the store too")
        let fanOuts = try FileManager.default.contentsOfDirectory(atPath: store.path).filter { $0.count == 2 }
        #expect(fanOuts.count > Set(files.keys.map { $0.prefix(2) }).count, "destruction left empty folders behind")

        // Every other command refuses the workspace and names the migration; none of them moves a file.
        for args in [["messages"], ["index"], ["store", "verify"], ["audit", "verify"], ["plan"], ["chat", "messages"]] {
            let refused = try cli.run(args)
            #expect(refused.status == 1 && refused.stderr.contains("sluitsteen store migrate"), "\(args): \(refused.stderr)")
        }
        #expect(try Self.oneFileStore(store) == files)

        let migrated = try json(cli, ["store", "migrate"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.object["migrated"] as? Int == files.count && (migrated.object["damaged"] as? [String])?.isEmpty == true)
        #expect(migrated.object["bytes"] as? Int == files.values.reduce(0) { $0 + $1.count })
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.path) == ["packs"], "no old file or folder is left")
        // Listed by the migration itself, before any later command could list again what it found unlisted in a pack.
        #expect(try Self.listedInMap(cli.home) == Set(files.keys))

        let verified = try json(cli, ["store", "verify"])
        #expect(verified.status == 0 && verified.object["sound"] as? Bool == true, "\(verified.object)")
        #expect(verified.object["checked"] as? Int == files.count && verified.object["leftovers"] as? Int == 0)
        #expect((verified.object["orphans"] as? [String])?.isEmpty == true && (verified.object["missing"] as? [String])?.isEmpty == true)

        // The same copies, each naming the same message in the same state.
        let listed = try cli.run(["messages", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        var copies: [Int64: String] = [:]
        for line in cli.jsonLines(listed.stdout) {
            guard let copy = line["copy"] as? Int, let sha = line["sha256"] as? String, let state = line["state"] as? String else { continue }
            copies[Int64(copy)] = "\(sha) \(state)"
        }
        #expect(copies == old.copies)

        // Every old file's bytes, read back from the packs through the store, exactly.
        do {
            let ws = try Workspace.open(at: cli.home)
            for (sha, bytes) in files { #expect(try ws.store.read(sha) == bytes, "\(sha)") }
        }
        // The derived work reads every message from the packs.
        let indexed = try cli.run(["index"])
        #expect(indexed.status == 0, "\(indexed.stderr)")

        let audit = try json(cli, ["audit", "verify"])
        #expect(audit.status == 0 && audit.object["intact"] as? Bool == true, "\(audit.object)")
        #expect((audit.object["checked"] as? Int ?? 0) >= old.auditEntries && (audit.object["timeFindings"] as? [Any])?.isEmpty == true)
        // The migration is one audit entry, saying how many files moved.
        let trail = try cli.run(["audit", "show", "--kind", "store-migration", "--json"])
        #expect(trail.status == 0 && trail.stdout.contains("moved \(files.count) stored file(s)"), "\(trail.stdout) \(trail.stderr)")

        let packsBefore = try packs(cli.home)
        let again = try json(cli, ["store", "migrate"])
        #expect(again.status == 0 && again.object["migrated"] as? Int == 0 && again.object["bytes"] as? Int == 0)
        #expect(try packs(cli.home) == packsBefore, "a second run changes no pack")
    }
}

import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import Testing

/// `store migrate`: a workspace with the one-file store of earlier versions is refused by every other command until it
/// is migrated; the migration survives a real SIGKILL, resumes, checks every message in its pack and is idempotent.
///
/// The old workspace is made from a new one the way the earlier code laid it out: every stored message's bytes as a
/// read-only file `store/ab/ab12…` named by its SHA-256 (folders 0700), no pack files and no `packEntry` rows.
/// `StoreMigrateOldWorkspaceCLITests` migrates a workspace the earlier version made itself.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct StoreMigrateCLITests {
    let mbox = CLI.fixtures.appendingPathComponent("mailboxes/burgemeester.mbox").path
    let maildir = CLI.fixtures.appendingPathComponent("mailboxes/beleidsmedewerker").path

    /// Rewrites the store of the workspace at `home` into the one-file layout; returns the SHA-256s it holds.
    func makeOneFileStore(_ home: URL) throws -> [String] {
        let ws = try Workspace.open(at: home)
        let shas = try ws.catalog.read { try String.fetchAll($0, sql: "SELECT sha256 FROM packEntry ORDER BY sha256") }
        for sha in shas {
            let folder = ws.store.root.appendingPathComponent(String(sha.prefix(2)))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = folder.appendingPathComponent(sha)
            try ws.store.read(sha).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: file.path)
        }
        try ws.catalog.write { try $0.execute(sql: "DELETE FROM packEntry") }
        try FileManager.default.removeItem(at: ws.store.root.appendingPathComponent("packs"))
        return shas
    }

    func json(_ cli: CLI, _ args: [String], env: [String: String] = [:]) throws -> (status: Int32, object: [String: Any]) {
        let r = try cli.run(args + ["--json"], env: env)
        return (r.status, cli.jsonLines(r.stdout).first ?? [:])
    }

    @Test func anOldStoreIsRefusedThenMigratedAfterAKill() throws {
        let cli = try CLI()
        try cli.initialise()
        #expect(try cli.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", mbox, maildir]).status == 0)
        let listed = try cli.run(["messages", "--json"]).stdout
        let shas = try makeOneFileStore(cli.home)
        #expect(shas.count >= 20)

        let refused = try cli.run(["messages"])
        #expect(refused.status == 1 && refused.stderr.contains("sluitsteen store migrate"), "\(refused.stderr)")

        let killed = try cli.run(["store", "migrate"], env: ["SLUITSTEEN_TEST_KILL": "store-migrate-unlinked:5"])
        #expect(killed.killed, "the migration should have been killed after its fifth old file")
        #expect(try cli.run(["messages"]).status == 1, "half migrated is still refused")

        let resumed = try json(cli, ["store", "migrate"])
        #expect(resumed.status == 0 && resumed.object["migrated"] as? Int == shas.count - 5)
        let store = cli.home.appendingPathComponent("store")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.path) == ["packs"], "no old file or folder is left")
        let verify = try json(cli, ["store", "verify"])
        #expect(verify.status == 0 && verify.object["checked"] as? Int == shas.count && verify.object["leftovers"] as? Int == 0)
        #expect(try cli.run(["messages", "--json"]).stdout == listed)

        let again = try json(cli, ["store", "migrate"])
        #expect(again.status == 0 && again.object["migrated"] as? Int == 0)
    }
}

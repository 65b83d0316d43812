import Foundation
import SluitsteenTestSupport
import Testing

/// A store that fills more than one pack: with the pack size limit lowered (`SLUITSTEEN_TEST_PACK_LIMIT`), ingest
/// closes a pack once it holds the limit and goes on in the next; every message is found in its pack, and a
/// withdrawal rewrites the packs that held the withdrawn bytes while the others keep theirs.
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct PackRolloverCLITests {
    /// Small enough that the fixtures' messages (about 1 KB each) fill several packs.
    static let limit = 4096
    let env = ["SLUITSTEEN_TEST_PACK_LIMIT": String(Self.limit)]

    func packs(_ cli: CLI) throws -> [(name: String, size: Int)] {
        let folder = cli.home.appendingPathComponent("store/packs")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pack") }.sorted().map { name in
            let size = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as? Int
            return (name, size ?? -1)
        }
    }

    func verify(_ cli: CLI) throws -> [String: Any] {
        let r = try cli.run(["store", "verify", "--json"], env: env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        return cli.jsonLines(r.stdout).first ?? [:]
    }

    @Test func ingestFillsPackAfterPackAndAWithdrawalRewritesOnlyWhatItTouched() throws {
        let cli = try CLI()
        #expect(try cli.initialise().status == 0)
        let mbox = CLI.fixtures.appendingPathComponent("mailboxes/burgemeester.mbox").path
        #expect(try cli.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", mbox], env: env).status == 0)
        let first = try packs(cli)
        #expect(first.count > 1, "the burgemeester's messages fill more than one pack of \(Self.limit) bytes")
        let sound = try verify(cli)
        #expect(sound["packs"] as? Int == first.count && sound["sound"] as? Bool == true)
        let stored = try #require(sound["checked"] as? Int)

        let maildir = CLI.fixtures.appendingPathComponent("mailboxes/beleidsmedewerker").path
        let added = try cli.run(["ingest", "--json", "--new-mailbox", "--mailbox", "nieuw@krimpenerwaard.example", maildir], env: env)
        #expect(added.status == 0, "\(added.stderr)")
        let batch = try #require(cli.jsonLines(added.stdout).first?["batch"] as? Int)
        let grown = try packs(cli)
        #expect(grown.count > first.count)
        #expect(Array(grown.prefix(first.count - 1)).map(\.name) == first.dropLast().map(\.name), "closed packs are not appended to")
        #expect(Array(grown.prefix(first.count - 1)).map(\.size) == first.dropLast().map(\.size))
        let more = try #require(try verify(cli)["checked"] as? Int)
        #expect(more > stored)

        // Withdrawing the second batch removes the bytes only it brought: the packs that held them are rewritten, the
        // burgemeester's closed packs are untouched, and every message the catalog still lists is whole in its pack.
        let undone = try cli.run(["ingest", "undo", String(batch), "--reason", "verkeerde mailbox"], env: env)
        #expect(undone.status == 0, "\(undone.stderr)")
        let after = try verify(cli)
        #expect(after["checked"] as? Int == stored && after["sound"] as? Bool == true, "\(after)")
        let left = try packs(cli)
        #expect(Array(left.prefix(first.count - 1)).map(\.name) == first.dropLast().map(\.name))
        #expect(Array(left.prefix(first.count - 1)).map(\.size) == first.dropLast().map(\.size))
        #expect(left.map(\.size).reduce(0, +) < grown.map(\.size).reduce(0, +), "the withdrawn bytes left the packs")
    }
}

import Foundation
import SluitsteenTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The exit status of a failed command follows from the kind of its error (one table, in `sluitsteen --help`): a
/// script can tell "refused" from "unreadable input", "busy" and "the workspace failed".
@Suite(.enabled(if: CLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct ExitStatusCLITests {
    let mbox = CLI.fixtures.appendingPathComponent("mailboxes/burgemeester.mbox").path

    @Test func theHelpGivesTheTable() throws {
        let help = try CLI().run(["--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit status: 0 done; 1 refused or invalid"))
        #expect(text.contains("3 busy") && text.contains("4 the workspace failed"))
    }

    @Test func refusedIsOne() throws {
        let cli = try CLI()
        try cli.initialise()
        let approve = try cli.run(["destroy", "approve", "VL-2099-001", "--role", "div", "--by", "P0010"])
        #expect(approve.status == 1 && approve.stderr.contains("VL-2099-001"))
    }

    @Test func anUnreadableExportIsTwo() throws {
        let cli = try CLI()
        try cli.initialise()
        let missing = try cli.run(["ingest", "--mailbox", "burgemeester@krimpenerwaard.example", "/nonexistent/burgemeester.mbox"])
        #expect(missing.status == 2 && missing.stderr.contains("does not exist"))
    }

    @Test func aCommandThatFindsTheStoreBusyIsThree() throws {
        let cli = try CLI()
        try cli.initialise()
        // This process holds the store lock (an flock on the workspace folder), as a running ingest would.
        let fd = open(cli.home.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let busy = try cli.run(["ingest", "--quiet", "--mailbox", "burgemeester@krimpenerwaard.example", mbox])
        #expect(busy.status == 3 && busy.stderr.contains("is busy"))
        let purge = try cli.run(["optout", "purge"])
        #expect(purge.status == 3 && purge.stderr.contains("is busy"))
    }

    @Test func aDamagedCatalogIsFour() throws {
        let cli = try CLI()
        try cli.initialise()
        let catalog = cli.home.appendingPathComponent("catalog.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: catalog.path + suffix) }
        try Data(repeating: 0x5A, count: 8192).write(to: catalog)
        let plan = try cli.run(["plan"])
        #expect(plan.status == 4 && plan.stderr.contains("the catalog could not be updated"))
    }
}

import Foundation
import SluitsteenTestSupport

/// Runs the built `sluitsteen` executable as a real subprocess (as a records manager would).
struct CLI {
    static let packageRoot = PackagePaths.root
    static let binary = packageRoot.appendingPathComponent(".build/debug/sluitsteen")
    static let fixtures = packageRoot.appendingPathComponent("Fixtures")
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the process was ended by a signal (e.g. the deliberate SIGKILL of a crash test).
        var killed: Bool
    }

    let home: URL
    var now = "2026-12-01T10:00:00Z"
    /// The temporary folder holding `home` (removed when the last copy of this CLI goes); nil for a given home.
    let folder: TemporaryDirectory?

    /// A workspace-to-be in a fresh temporary folder (`init` makes it).
    init() throws {
        let folder = try TemporaryDirectory("cli")
        self.folder = folder
        home = folder.appending("archief")
    }

    /// Works on the workspace at `home` (one a test unpacked, for example); the caller owns its folder.
    init(home: URL) {
        self.home = home
        folder = nil
    }

    /// Creates the workspace as a demo/test archive (the tests replay the clock with SLUITSTEEN_NOW, which only a demo
    /// archive honours) and imports the fixtures' registers, so that ingest knows the mailboxes.
    @discardableResult
    func initialise() throws -> Result {
        let created = try run(["init", "--demo"])
        guard created.status == 0 else { return created }
        let r = CLI.fixtures.appendingPathComponent("registers")
        return try run(["register", "import"] + ["people", "roles", "mailboxes", "approvers"].map { r.appendingPathComponent("\($0).csv").path })
    }

    @discardableResult
    func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        var environment: [String: String?] = ["SLUITSTEEN_HOME": home.path, "SLUITSTEEN_NOW": now, "SLUITSTEEN_TEST_KILL": nil]
        for (k, v) in env { environment[k] = v }
        let r = try Subprocess.run(CLI.binary, args, environment: environment)
        return Result(status: r.status, stdout: r.out, stderr: r.err, killed: r.killed)
    }

    func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

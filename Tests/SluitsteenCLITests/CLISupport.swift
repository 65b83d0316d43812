import Foundation

/// Runs the built `sluitsteen` executable as a real subprocess (as a records manager would).
struct CLI {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url = url.deletingLastPathComponent() }
        return url
    }()
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

    init() {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-cli-\(UUID().uuidString)")
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
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["SLUITSTEEN_HOME"] = home.path
        environment["SLUITSTEEN_NOW"] = now
        environment.removeValue(forKey: "SLUITSTEEN_TEST_KILL")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes concurrently so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), killed: p.terminationReason == .uncaughtSignal)
    }

    func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

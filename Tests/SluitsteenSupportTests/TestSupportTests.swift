// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing

/// The test targets' shared machinery does what the tests rely on.
@Suite("Test support: subprocesses, paths, temporary folders")
struct TestSupportTests {
    @Test("A program that fills standard error before it writes standard output does not dead-lock the runner")
    func fullPipesDoNotDeadlock() throws {
        // 1 MiB to each pipe, standard error first: a runner reading standard output to its end before it reads standard
        // error waits forever here (the pipe buffer is 64 KiB).
        let r = try Subprocess.run(tool: "sh", ["-c", "head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero; exit 3"])
        #expect(r.status == 3)
        #expect(r.stdout.count == 1_048_576)
        #expect(r.stderr.count == 1_048_576)
        #expect(!r.killed)
    }

    @Test("Input reaches the program; environment entries are added and removed")
    func inputAndEnvironment() throws {
        // A variable the process already has (never set here: setenv while other tests read the environment can free the
        // table under them), removed for the program.
        let inherited = try #require(ProcessInfo.processInfo.environment.keys.sorted().first {
            $0 != "PATH" && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        })
        let r = try Subprocess.run(tool: "sh", ["-c", "cat; printf '%s|%s' \"$ADDED\" \"${\(inherited)-unset}\""],
                                   environment: ["ADDED": "yes", inherited: nil], input: Data("in\n".utf8))
        #expect(r.out == "in\nyes|unset", "\(inherited)")
    }

    @Test("A program ended by a signal is reported as killed")
    func killedBySignal() throws {
        let r = try Subprocess.run(tool: "sh", ["-c", "kill -9 $$"])
        #expect(r.killed)
        #expect(r.status == SIGKILL)
    }

    @Test("The package root holds Package.swift; a temporary folder is gone with its last reference")
    func pathsAndTemporaryFolders() throws {
        #expect(FileManager.default.fileExists(atPath: PackagePaths.root.appendingPathComponent("Package.swift").path))
        var folder: TemporaryDirectory? = try TemporaryDirectory("support")
        let url = try #require(folder?.url)
        try Data("x".utf8).write(to: url.appendingPathComponent("f"))
        #expect(FileManager.default.fileExists(atPath: url.path))
        folder = nil
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}

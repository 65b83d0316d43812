// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `sluitsteen serve` as a records manager runs it: the built executable.
@Suite("sluitsteen serve (the command)", .serialized)
struct ServeCommandTests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String]) throws -> Run {
        let r = try Subprocess.run(Paths.binary, arguments)
        return Run(status: r.status, stdout: r.out, stderr: r.err)
    }

    @Test("serve --check: the demo configuration is valid (exit 0); a wrong one lists every error with its line (exit 1)")
    func check() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Paths.binary.path), "build first: swift build")
        let ok = try Self.run(["serve", "--check", "--config", Paths.fixtures.appendingPathComponent("serve-demo.toml").path])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("the service configuration is valid"))

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("serve-bad-\(UUID().uuidString).toml")
        defer { try? FileManager.default.removeItem(at: bad) }
        try """
            [service]
            public-url = "http://archief.gemeente.nl"

            [oidc]
            issuer = "https://login.gemeente.nl"
            client-id = "sluitsteen"
            client-secret = "Geheim-123"
            roles-claim = "groups"

            [identity]
            claim = "email"

            [roles]
            "g" = "koning"
            """.write(to: bad, atomically: true, encoding: .utf8)
        let r = try Self.run(["serve", "--check", "--config", bad.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(bad.path), line 2: service.public-url: http is allowed only on loopback"))
        #expect(r.stdout.contains("\(bad.path), line 7: oidc.client-secret: the client secret may not be written in this file"))
        #expect(r.stdout.contains("\(bad.path), line 14: roles.g: 'koning' is not a role"))
        #expect(r.stderr.contains("3 errors in \(bad.path)"))
        #expect(!r.stdout.contains("Geheim-123") && !r.stderr.contains("Geheim-123"))
    }

    @Test("serve runs against a workspace, answers /healthz, and stops cleanly on SIGTERM")
    func serveAndStop() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Paths.binary.path), "build first: swift build")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(try Self.run(["init", "--demo", home.path]).status == 0)
        let port = try LoopbackPorts.free()
        let p = Process()
        p.executableURL = Paths.binary
        p.arguments = ["serve", "--home", home.path, "--listen", "127.0.0.1:\(port)",
                       "--config", Paths.fixtures.appendingPathComponent("serve-demo.toml").path]
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        #expect(await Ports.waitUntilAccepting(port, while: { p.isRunning }))
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "ok\n")
        p.terminate()
        let deadline = Date().addingTimeInterval(20)
        while p.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(25)) }
        #expect(!p.isRunning, "the service stops on SIGTERM")
        if !p.isRunning { #expect(p.terminationStatus == 0) }
        let log = String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        #expect(log.contains("no registers imported"), "the service warns that no one can sign in yet")
        #expect(log.contains("\"event\":\"listening\""))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import Testing

/// The sign-in in a real browser: headless Chromium, driven by Selenium (Tests/Browser/signin_browser.py).
@Suite("Sign-in in headless Chromium", .serialized)
struct BrowserTests {
    @Test("Dora de Wit signs in through the provider's login page and sees her name and role")
    func signInInChromium() async throws {
        let service = try await TestService.start()
        defer { service.stop() }
        let report = try await Self.runScript(["--service", service.base, "--user", "dora"])
        if let skip = report["skip"] as? String { try Test.cancel("skipped: \(skip)") }
        #expect(report["ok"] as? Bool == true, "\(report)")
        #expect(report["heading"] as? String == "Welkom, Dora de Wit")
        #expect(report["roles"] as? [String] == ["DIV"])
        #expect((report["account"] as? String)?.contains("Aangemeld als Dora de Wit") == true)
        #expect(report["lang"] as? String == "nl")
        #expect(report["headerBorder"] as? String == "solid", "the service's own stylesheet applied under its CSP")
        // The provider's own page may log its missing favicon; the service's pages log nothing (no CSP violation).
        let console = (report["console"] as? [String] ?? []).filter { !$0.contains(service.provider.issuer) }
        #expect(console.isEmpty, "no CSP violations or errors in the console on the service's pages: \(console)")
        let steps = report["steps"] as? [[String: String]] ?? []
        #expect(steps.first?["url"] == service.provider.issuer + "/authorize", "the provider's real login page")
        #expect(try service.audit(.signIn).first?.actor.hasPrefix("P0010 Dora de Wit") == true)
    }

    /// Runs a Selenium script of Tests/Browser with the test virtualenv's Python and returns its JSON report.
    ///
    /// The script drives a browser against the service in this process, so it is waited for on a thread of its own, not
    /// on one of Swift concurrency's few threads: those run the service's handlers, and two browser tests blocking them
    /// would leave the service unable to answer its browser.
    static func runScript(_ arguments: [String], script: String = "signin_browser.py") async throws -> [String: Any] {
        let process = Process()
        process.executableURL = Paths.python
        process.arguments = [Paths.browser.appendingPathComponent(script).path] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let (data, errData, status) = await withCheckedContinuation { (done: CheckedContinuation<(Data, Data, Int32), Never>) in
            Thread.detachNewThread {
                let group = DispatchGroup()
                nonisolated(unsafe) var errData = Data()
                group.enter()
                DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
                let data = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                done.resume(returning: (data, errData, process.terminationStatus))
            }
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            let errors = String(String(decoding: errData, as: UTF8.self).suffix(1500))
            Issue.record("the browser script printed no report (exit \(status)): \(text.suffix(500)) \(errors)")
            return [:]
        }
        return object
    }
}

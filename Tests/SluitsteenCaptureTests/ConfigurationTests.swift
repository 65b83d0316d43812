// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenCapture
import Testing

/// The capture configuration as the README shows it (no server needed).
struct CaptureConfigurationTests {
    /// The README's `capture.toml` example reads without a diagnostic and means what its comments say.
    @Test func theReadmeExampleReads() throws {
        let readme = try String(contentsOf: CaptureTest.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Live capture (IMAP)"))
        let rest = readme[section.upperBound...]
        let start = try #require(rest.range(of: "```toml\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-capture-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The secret file must exist (the check says so when it does not).
        try "client-secret\n".write(to: dir.appendingPathComponent("capture-client.secret"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("capture.toml")
        try String(rest[start.upperBound..<end.lowerBound]).write(to: file, atomically: true, encoding: .utf8)
        let c = try CaptureConfiguration.load(contentsOf: file, environment: [:])
        #expect(c.server == ServerSettings(host: "outlook.office365.com", port: 993, tls: .implicit, caFile: nil, timeout: c.server.timeout))
        guard case .oauth2(.clientCredentials(let endpoint, let clientId, .file(let secret), let scope)) = c.authentication else {
            Issue.record("not client credentials: \(c.authentication)"); return
        }
        #expect(endpoint.host == "login.microsoftonline.com" && clientId.hasPrefix("00000000") && scope == "https://outlook.office365.com/.default")
        #expect(secret.lastPathComponent == "capture-client.secret"
                && secret.deletingLastPathComponent().standardizedFileURL.path == dir.standardizedFileURL.path)
        #expect(c.every == 300 && c.mailboxes == [MailboxCapture(address: "burgemeester@krimpenerwaard.nl", user: "burgemeester@krimpenerwaard.nl")])
    }
}

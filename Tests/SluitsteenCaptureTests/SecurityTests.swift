// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenCapture
import SluitsteenHashing
import Testing

/// TLS with a CA the test makes, and OAuth 2.0 (XOAUTH2) against Dovecot's oauth2 passdb validating JWTs locally.
@Suite(.enabled(if: Dovecot.unavailable == nil, "\(Dovecot.unavailable ?? "")"))
struct CaptureSecurityTests {
    /// Implicit TLS and STARTTLS to a server whose certificate the given CA signed, for the name in the certificate.
    @Test(arguments: [TLSMode.implicit, .starttls])
    func tlsWithTheTestCA(_ mode: TLSMode) throws {
        let dovecot = try Dovecot(tls: true)
        let message = try #require(try CaptureTest.fixtureMessages().first)
        try dovecot.imap(user: "alice", [CaptureTest.append("INBOX", message)])
        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let run = try CaptureTest.capturer(ws, dovecot, host: "localhost", tls: mode, caFile: dovecot.caFile).runOnce().mailboxes[0]
        #expect(run.error == nil, "\(run.error?.description ?? "")")
        #expect(try CaptureTest.copies(ws).map(\.sha256) == [Digest.hex(message)])
    }

    /// A certificate from a CA that is not trusted, or for another name, is refused before anything is sent, and the
    /// message says why and what to do.
    @Test(arguments: [TLSMode.implicit, .starttls])
    func untrustedCertificatesAreRefused(_ mode: TLSMode) throws {
        let dovecot = try Dovecot(tls: true)
        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let unknownCA = try CaptureTest.capturer(ws, dovecot, host: "localhost", tls: mode, caFile: dovecot.otherCAFile).runOnce().mailboxes[0]
        guard case .certificate(_, let reason)? = unknownCA.error else { Issue.record("not refused: \(String(describing: unknownCA.error))"); return }
        #expect(reason.contains("local issuer") || reason.contains("self-signed") || reason.contains("unable to get"), "\(reason)")
        #expect(unknownCA.error!.description.contains("nothing was sent") && unknownCA.error!.description.contains("ca-file"))
        #expect(unknownCA.attempts == 1, "a certificate refusal is not retried")

        // The certificate names localhost, not 127.0.0.1.
        let wrongHost = try CaptureTest.capturer(ws, dovecot, host: "127.0.0.1", tls: mode, caFile: dovecot.caFile).runOnce().mailboxes[0]
        guard case .certificate(_, let why)? = wrongHost.error else { Issue.record("not refused: \(String(describing: wrongHost.error))"); return }
        #expect(why.contains("mismatch"), "\(why)")
        #expect(try CaptureTest.copies(ws).isEmpty)
    }

    /// XOAUTH2 with a JWT that Dovecot validates locally (HS256, a key the test made): a valid token signs in; an
    /// expired one and one signed with another key are refused, and the error says that the token was refused.
    @Test func oauth2BearerTokens() throws {
        let dovecot = try Dovecot()
        let message = try #require(try CaptureTest.fixtureMessages().first)
        try dovecot.imap(user: "alice", [CaptureTest.append("INBOX", message)])
        let ws = try CaptureTest.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tokenFile = dovecot.root.appendingPathComponent("token")
        let now = Int(Date().timeIntervalSince1970)
        func capture(_ token: String) throws -> MailboxCaptureSummary {
            try (token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
            return try CaptureTest.capturer(ws, dovecot, auth: .oauth2(.file(tokenFile))).runOnce().mailboxes[0]
        }
        let expired = try capture(dovecot.token(for: "alice", expires: now - 600))
        guard case .authentication(_, let user, let reason)? = expired.error else {
            Issue.record("an expired token was not refused: \(String(describing: expired.error))"); return
        }
        #expect(user == "alice" && reason.contains("token"), "\(reason)")
        let forged = try capture(dovecot.token(for: "alice", expires: now + 600, key: Data("another key, not the server's".utf8)))
        guard case .authentication? = forged.error else {
            Issue.record("a wrongly signed token was not refused: \(String(describing: forged.error))"); return
        }
        #expect(try CaptureTest.copies(ws).isEmpty)

        let valid = try capture(dovecot.token(for: "alice", expires: now + 600))
        #expect(valid.error == nil, "\(valid.error?.description ?? "")")
        #expect(try CaptureTest.copies(ws).map(\.sha256) == [Digest.hex(message)])
    }
}

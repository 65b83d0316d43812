import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenCapture
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// Paths, workspaces and fixture mail for the capture tests.
enum CaptureTest {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url = url.deletingLastPathComponent() }
        return url
    }()
    static let fixtures = packageRoot.appendingPathComponent("Fixtures")
    static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static var hasCorpora: Bool { FileManager.default.fileExists(atPath: corpora.appendingPathComponent("README.md").path) }
    static let binary = packageRoot.appendingPathComponent(".build/debug/sluitsteen")
    static let captured = ISOTimestamp.parse("2026-12-01T10:00:00Z")!
    static let policy = try! Policy.krimpenerwaard
    static let actor = Actor(personId: nil, name: "capture-test")

    /// A demo workspace with its clock at `captured` and the fixtures' registers.
    static func workspace() throws -> Workspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-capture-\(UUID().uuidString)")
        let ws = try Workspace.create(at: dir, kind: .demo, environment: [:]).replaying(captured)
        let r = fixtures.appendingPathComponent("registers")
        _ = try RetentionStore(workspace: ws).importRegisters(
            people: r.appendingPathComponent("people.csv"), roles: r.appendingPathComponent("roles.csv"),
            mailboxes: r.appendingPathComponent("mailboxes.csv"), policy: policy, actor: actor)
        return ws
    }

    /// Recorded waits (the capture's back-off and intervals): tests never sleep.
    final class Waits: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [TimeInterval] = []
        func record(_ t: TimeInterval) { lock.lock(); list.append(t); lock.unlock() }
        var all: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return list }
    }

    /// A capturer of `mailbox` read as `user` on `dovecot`.
    static func capturer(_ ws: Workspace, _ dovecot: Dovecot, user: String = "alice", mailbox: String = "burgemeester@krimpenerwaard.example",
                         host: String = "127.0.0.1", tls: TLSMode = .none, caFile: URL? = nil, auth: Authentication? = nil,
                         more: [MailboxCapture] = [], waits: Waits = Waits(), port: Int? = nil) throws -> Capturer {
        let pw = dovecot.root.appendingPathComponent("\(user).password")
        if let p = dovecot.users[user] { try (p + "\n").write(to: pw, atomically: true, encoding: .utf8) }
        let server = ServerSettings(host: host, port: UInt16(port ?? (tls == .implicit ? dovecot.imapsPort : dovecot.imapPort)), tls: tls,
                                    caFile: caFile, timeout: 20)
        let configuration = CaptureConfiguration(server: server, authentication: auth ?? .password(.file(pw)),
                                                 mailboxes: [MailboxCapture(address: mailbox, user: user)] + more)
        var options = CaptureOptions(actor: actor)
        options.policy = policy
        options.flushToDisk = false
        options.wait = { waits.record($0) }
        return Capturer(workspace: ws, configuration: configuration, options: options)
    }

    /// CRLF line ends (IMAP messages travel with CRLF; Dovecot stores LF and serves CRLF).
    static func crlf(_ data: Data) -> Data {
        var out = Data(capacity: data.count + data.count / 30)
        var previous: UInt8 = 0
        for b in data {
            if b == 0x0A && previous != 0x0D { out.append(0x0D) }
            out.append(b)
            previous = b
        }
        return out
    }

    /// The fixtures' messages (the Maildir, the .eml tree, the mbox split at its From_ lines), with CRLF line ends.
    static func fixtureMessages() throws -> [Data] {
        var out: [Data] = []
        let fm = FileManager.default
        let maildir = fixtures.appendingPathComponent("mailboxes/beleidsmedewerker")
        for sub in ["cur", "new"] {
            for name in (try fm.contentsOfDirectory(atPath: maildir.appendingPathComponent(sub).path)).sorted() where !name.hasPrefix(".") {
                out.append(crlf(try Data(contentsOf: maildir.appendingPathComponent(sub).appendingPathComponent(name))))
            }
        }
        let info = fixtures.appendingPathComponent("mailboxes/info")
        for path in (fm.enumerator(atPath: info.path)?.allObjects as? [String] ?? []).sorted() where path.hasSuffix(".eml") {
            out.append(crlf(try Data(contentsOf: info.appendingPathComponent(path))))
        }
        let mbox = try String(contentsOf: fixtures.appendingPathComponent("mailboxes/burgemeester.mbox"), encoding: .utf8)
        var current: [Substring] = []
        func flush() {
            guard !current.isEmpty else { return }
            var body = current.dropFirst().joined(separator: "\n")
            while body.hasSuffix("\n\n") { body.removeLast() }
            if !body.hasSuffix("\n") { body += "\n" }
            out.append(crlf(Data(body.utf8)))
            current = []
        }
        for line in mbox.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("From ") { flush() }
            current.append(line)
        }
        flush()
        return out.filter { !$0.isEmpty }
    }

    /// The corpora's .eml files under 200 KB (../shared/corpora), with CRLF line ends, in path order.
    static func corpusMessages() throws -> [Data] {
        let fm = FileManager.default
        let paths = (fm.enumerator(atPath: corpora.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return try paths.compactMap { p in
            let url = corpora.appendingPathComponent(p)
            let size = (try fm.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            return size > 0 && size < 200_000 ? crlf(try Data(contentsOf: url)) : nil
        }
    }

    static func append(_ folder: String, _ message: Data, flags: String? = nil) -> [String: Any] {
        var op: [String: Any] = ["op": "append", "folder": folder, "data": message.base64EncodedString()]
        if let flags { op["flags"] = flags }
        return op
    }

    /// The copies of `mailbox` in the catalog: folder, SHA-256, provenance, keywords.
    static func copies(_ ws: Workspace, mailbox: String = "burgemeester@krimpenerwaard.example") throws
        -> [(folder: String, sha256: String, source: String, keywords: [String])] {
        var out: [(String, String, String, [String])] = []
        try ws.catalog.forEachCopy(mailbox: mailbox) { out.append(($0.folder, $0.sha256, $0.sourceFile, $0.keywords)) }
        return out
    }

    /// The stored file of `sha` hashes to its name (the bytes are exactly what was captured).
    static func storedBytes(_ ws: Workspace, _ sha: String) -> Data? {
        guard let range = try? ws.store.range(of: sha), let handle = FileHandle(forReadingAtPath: range.path) else { return nil }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(range.offset))
        return try? handle.read(upToCount: Int(range.length ?? 0))
    }
}

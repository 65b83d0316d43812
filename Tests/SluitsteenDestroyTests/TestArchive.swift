// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenSupport
import Testing
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenDestroy

/// Fixed instants of the test scenario: the test archive is a demo archive whose clock each step sets (no system
/// clock is read for a decision). Destruction works on the present only, so the scenario takes place in 2033, when
/// all staff mail (latest 2025-03-10 + 7 years) and the functional mail is due.
enum Moments {
    /// Capture time of the fixtures: opt-out windows close about ten weeks later (mid-August 2025).
    static let ingest = ISOTimestamp.parse("2025-06-01T10:00:00Z")!
    static let propose = ISOTimestamp.parse("2033-01-05T09:00:00Z")!
    static let approveDiv = ISOTimestamp.parse("2033-01-05T10:00:00Z")!
    static let approveArchivist = ISOTimestamp.parse("2033-01-06T09:00:00Z")!
    /// Last approval + P7D (2033-01-06 10:00 Amsterdam + 7 days = 2033-01-13 10:00 Amsterdam = 09:00Z).
    static let bedenktijdOver = ISOTimestamp.parse("2033-01-13T09:00:00Z")!
    static let execute = ISOTimestamp.parse("2033-01-14T09:00:00Z")!
    /// A proposal's decision date, a few days before it is made.
    static let asOf = CivilDate(iso: "2033-01-01")!
}

/// Registered persons of the fixtures who approve (Fixtures/registers/approvers.csv, plus in the test archive
/// Arie Jansen also as DIV, to test four eyes).
enum Approvers {
    /// Dora de Wit, DIV-medewerker.
    static let dora = "P0010"
    /// Arie Jansen, archivaris (and, in the test archive, DIV-medewerker too).
    static let arie = "P0011"
    /// Mirjam Kuipers: a DIV approver until 2024-12-31 only.
    static let mirjam = "P0008"
}

extension Actor {
    /// A name as given, for the steps of a test that need no registered person.
    static func test(_ name: String) -> Actor { Actor(personId: nil, name: name, osUser: "test") }
}

/// Mailbox addresses of the fixtures (Fixtures/README.md).
enum Boxes {
    static let burgemeester = "burgemeester@krimpenerwaard.example"
    static let devries = "j.devries@krimpenerwaard.example"
    static let info = "info@krimpenerwaard.example"
}

/// A workspace built from the fixtures: the three mailboxes ingested, the registers imported, a workspace policy.
struct TestArchive {
    let workspace: Workspace
    let policy: PolicyInForce
    /// The temporary folder holding the workspace: removed when the test's last copy of this archive goes (nil for the
    /// template, which lives as long as the test process).
    let folder: TemporaryDirectory?

    static let packageRoot = PackagePaths.root
    static let fixtures = packageRoot.appendingPathComponent("Fixtures")
    static let binary = packageRoot.appendingPathComponent(".build/debug/sluitsteen")
    static var hasBinary: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// The shipped policy, with the fixtures' staff role `beleidsmedewerker` added when the policy lacks it.
    static func policyText() throws -> String {
        let text = try Policy.krimpenerwaardText()
        if text.contains("\"beleidsmedewerker\"") { return text }
        return text.replacingOccurrences(of: "  \"medewerker\",", with: "  \"medewerker\",\n  \"beleidsmedewerker\",")
    }

    /// The standard archive, built once per test run and copied for each test (ingest is the slow part).
    private static let template: Result<URL, any Error> = Result {
        let built = try build(at: try TemporaryDirectory.forProcess("destroy-template"), owner: nil, extraMailboxes: [], extraIngest: [])
        try built.workspace.catalog.checkpoint()
        return built.workspace.root
    }

    /// A fresh copy of the standard archive, or a new archive built with `extraMailboxes` (lines added to
    /// mailboxes.csv) and `extraIngest` (more mailboxes to ingest: address, path under Fixtures/mailboxes).
    static func make(extraMailboxes: [String] = [], extraIngest: [(String, String)] = []) throws -> TestArchive {
        let folder = try TemporaryDirectory("destroy")
        guard extraMailboxes.isEmpty, extraIngest.isEmpty else {
            return try build(at: folder.appending("archief"), owner: folder, extraMailboxes: extraMailboxes, extraIngest: extraIngest)
        }
        let source = try template.get()
        let dir = folder.appending("archief")
        try FileManager.default.copyItem(at: source, to: dir)
        let ws = try Workspace.open(at: dir, environment: [:])
        return TestArchive(workspace: ws, policy: try PolicyInForce.resolve(explicit: nil, workspace: ws), folder: folder)
    }

    private static func build(at dir: URL, owner: TemporaryDirectory?, extraMailboxes: [String], extraIngest: [(String, String)]) throws
        -> TestArchive {
        let ws = try Workspace.create(at: dir, kind: .demo, environment: [:]).replaying(Moments.ingest)
        try Data(try policyText().utf8).write(to: ws.policyFile)
        let policy = try PolicyInForce.resolve(explicit: nil, workspace: ws)
        let ingestor = Ingestor(workspace: ws, now: Moments.ingest)
        let boxes = fixtures.appendingPathComponent("mailboxes")
        for (mailbox, path) in [(Boxes.burgemeester, "burgemeester.mbox"), (Boxes.devries, "beleidsmedewerker"), (Boxes.info, "info")] + extraIngest {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : boxes.appendingPathComponent(path)
            _ = try ingestor.run(IngestRequest(mailbox: mailbox, paths: [url], actor: "test"))
        }
        let registers = fixtures.appendingPathComponent("registers")
        var mailboxesCSV = registers.appendingPathComponent("mailboxes.csv")
        if !extraMailboxes.isEmpty {
            var text = try String(contentsOf: mailboxesCSV, encoding: .utf8)
            for line in extraMailboxes { text += line + "\n" }
            mailboxesCSV = dir.appendingPathComponent("mailboxes.csv")
            try Data(text.utf8).write(to: mailboxesCSV)
        }
        // The fixtures' approvers, and Arie Jansen (archivaris) also as DIV, so that four eyes can be tested.
        let approvers = dir.appendingPathComponent("approvers.csv")
        try Data((try String(contentsOf: registers.appendingPathComponent("approvers.csv"), encoding: .utf8)
                  + "\(Approvers.arie),div,2012-09-01,\n").utf8).write(to: approvers)
        _ = try RetentionStore(workspace: ws).importRegisters(
            people: registers.appendingPathComponent("people.csv"), roles: registers.appendingPathComponent("roles.csv"),
            mailboxes: mailboxesCSV, approvers: approvers, policy: policy.policy, actor: .test("test"))
        return TestArchive(workspace: ws, policy: policy, folder: owner)
    }

    var lists: DestructionLists { DestructionLists(workspace: workspace) }

    /// The same archive with its (demo) clock at `date`.
    func at(_ date: Date) throws -> TestArchive { TestArchive(workspace: try workspace.replaying(date), policy: policy, folder: folder) }

    /// The registered person `id` as the actor.
    func person(_ id: String) throws -> Actor { try RetentionStore(workspace: workspace).registeredActor(id, osUser: "test") }

    /// Proposes as of `Moments.asOf` and approves as div then archivist.
    func proposeAndApprove(withSubjects: Bool = false) throws -> String {
        let p = try at(Moments.propose).lists.propose(policy: policy, asOf: Moments.asOf, mailboxes: nil, withSubjects: withSubjects,
                                                      actor: .test("Piet Voorstel"))
        let id = try #require(p).snapshot.list.id
        try at(Moments.approveDiv).lists.approve(id, role: "div", actor: try person(Approvers.dora))
        try at(Moments.approveArchivist).lists.approve(id, role: "archivist", actor: try person(Approvers.arie))
        return id
    }

    func execute(_ id: String, at now: Date = Moments.execute) throws -> DestructionExecution.Outcome {
        try DestructionExecution(workspace: try workspace.replaying(now)).execute(id, policy: policy, actor: .test("Eva Uitvoer"))
    }

    /// Copies as (id, mailbox, sha256, state, subject), in id order.
    func copies() throws -> [(id: Int64, mailbox: String, sha256: String, state: String, subject: String, messageId: String)] {
        try workspace.catalog.read { db in
            try Row.fetchAll(db, sql: "SELECT c.id, c.mailbox, c.sha256, c.state, m.subject, m.messageId "
                                 + "FROM copy c JOIN message m USING (sha256) ORDER BY c.id")
                .map { ($0[0], $0[1], $0[2], $0[3], $0[4], $0[5]) }
        }
    }

    func sql<T: DatabaseValueConvertible>(_ query: String, _ args: StatementArguments = []) throws -> T? {
        try workspace.catalog.read { try T.fetchOne($0, sql: query, arguments: args) }
    }

    /// Runs the built CLI on this workspace.
    func cli(_ args: [String], now: Date, kill: String? = nil) throws -> CLIRun {
        let r = try Subprocess.run(Self.binary, args, environment: [
            "SLUITSTEEN_HOME": workspace.root.path, "SLUITSTEEN_NOW": ISOTimestamp.format(now), "SLUITSTEEN_TEST_KILL": kill])
        return CLIRun(status: r.status, killed: r.killed && r.status == SIGKILL, stdout: r.out, stderr: r.err)
    }
}

/// The result of one run of the CLI.
struct CLIRun {
    let status: Int32
    /// True when the process ended by SIGKILL.
    let killed: Bool
    let stdout: String
    let stderr: String
}

/// Independent facts about the fixtures, from the files themselves (not from Sluitsteen's catalog).
enum FixtureFacts {
    /// The `.eml` files of info@ (each file is exactly one message's bytes).
    static func infoFiles() throws -> [URL] {
        let root = TestArchive.fixtures.appendingPathComponent("mailboxes/info")
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "eml" }
    }

    static func sha256(_ url: URL) throws -> String { Digest.hex(try Data(contentsOf: url)) }
}

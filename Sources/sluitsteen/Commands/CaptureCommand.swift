// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenCapture
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension TLSMode: ExpressibleByArgument {}

/// `sluitsteen capture`: keeps the archive filled from the mail server over IMAP, incrementally.
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture mail from the mail server (IMAP) into the archive, incrementally: once, or as a service.",
        discussion: """
            With a configuration (--config FILE, else capture.toml in the workspace) every mailbox listed there is \
            captured; `capture --check` checks the file and names every error with its line. For scripts and tests \
            one mailbox can be given on the command line: --server HOST --port N --tls none|starttls|implicit \
            --user USER --password-file FILE (or --token-file FILE for OAuth 2.0) --mailbox ADDRESS.

            Only new mail is fetched (per folder the highest captured UID is kept), read-only (EXAMINE, BODY.PEEK[]: \
            nothing is marked as read) and stored byte for byte through the same path as ingest. A changed \
            UIDVALIDITY scans the folder again and adds only what is missing; a renamed folder is followed. A \
            message that gets an opt-out keyword (Privé) within its window is opted out. One mailbox's failure does \
            not stop the others; network failures are retried with back-off. `--every 5m` (or --service with the \
            configuration's interval, --idle to wake on new mail in the first mailbox's Inbox) keeps running; the \
            store lock is free between runs. The audit trail records every run; passwords and tokens never appear \
            in output, the catalog or the audit trail.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var policy: PolicyOptions

    @Option(name: .long, help: ArgumentHelp("The capture configuration (TOML); default: capture.toml in the workspace.", valueName: "FILE"))
    var config: String?

    @Flag(name: .long, help: "Check the configuration (every error with its line, and the mailbox register) and exit.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("One-off: the IMAP server's host name.", valueName: "HOST")) var server: String?
    @Option(name: .long, help: ArgumentHelp("One-off: the port (default 993 for implicit, else 143).", valueName: "N")) var port: Int?
    @Option(name: .long, help: ArgumentHelp("One-off: implicit (TLS from the start), starttls, or none (only to this machine).",
                                            valueName: "MODE")) var tls: TLSMode = .implicit
    @Option(name: .customLong("ca-file"), help: ArgumentHelp("One-off: trust this CA (PEM) instead of the system's.", valueName: "FILE"))
    var caFile: String?
    @Option(name: .long, help: ArgumentHelp("One-off: the IMAP user the mailbox is read as.", valueName: "USER")) var user: String?
    @Option(name: .customLong("password-file"), help: ArgumentHelp("One-off: a file holding the password.", valueName: "FILE"))
    var passwordFile: String?
    @Option(name: .customLong("token-file"), help: ArgumentHelp("One-off: a file holding an OAuth 2.0 bearer token (XOAUTH2).",
                                                               valueName: "FILE"))
    var tokenFile: String?
    @Option(name: .long, help: ArgumentHelp("One-off: the archive's mailbox the captured mail belongs to (in the mailbox register).",
                                            valueName: "ADDRESS"))
    var mailbox: String?
    @Flag(name: .long, help: "One-off: take the mail in although the mailbox is not in the register (it stays unclassified).")
    var newMailbox = false

    @Option(name: .long, help: ArgumentHelp("Run as a service: capture, wait this long (e.g. 5m, 30s, 1h), capture again.",
                                            valueName: "DURATION"))
    var every: String?
    @Flag(name: .long, help: "Run as a service with the configuration's interval (default 5m).") var service = false
    @Flag(name: .long, help: "As a service, wake as soon as the first mailbox's Inbox reports new mail (IMAP IDLE).") var idle = false

    @Option(name: .long, help: ArgumentHelp("Retries per mailbox for failures that may pass (default 3).", valueName: "N"))
    var retries: Int = 3
    @Option(name: .customLong("fetch-batch"), help: ArgumentHelp("Messages per UID FETCH (tuning).", visibility: .hidden))
    var fetchBatch: Int = 200
    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Messages per catalog transaction (tuning).", visibility: .hidden))
    var batchSize: Int = Ingestor.defaultBatchSize
    @Option(name: .customLong("runs"), help: ArgumentHelp("Stop the service after this many runs (tests).", visibility: .hidden))
    var runs: Int?

    @OptionGroup var output: ProgressOptions

    /// The configuration: the one-off form when --server is given, else the file.
    private func configuration(_ ws: Workspace) throws -> CaptureConfiguration {
        let oneOff = [server, user, passwordFile, tokenFile, mailbox, caFile].contains { $0 != nil } || port != nil
        if !oneOff {
            let file = config.map { URL(fileURLWithPath: $0) } ?? ws.root.appendingPathComponent("capture.toml")
            guard config != nil || FileManager.default.fileExists(atPath: file.path) else {
                throw CLIError("No capture configuration: \(file.path) does not exist. Write one (see `sluitsteen capture --help` and the "
                    + "README), or give one mailbox on the command line: --server HOST --port N --tls MODE --user USER "
                    + "--password-file FILE --mailbox ADDRESS.")
            }
            return try attempt { try CaptureConfiguration.load(contentsOf: file) }
        }
        guard config == nil else { throw CLIError("Give either --config or the one-off options (--server …), not both.") }
        var missing: [String] = []
        if server == nil { missing.append("--server HOST") }
        if user == nil { missing.append("--user USER") }
        if mailbox == nil { missing.append("--mailbox ADDRESS") }
        if passwordFile == nil && tokenFile == nil { missing.append("--password-file FILE (or --token-file FILE)") }
        guard missing.isEmpty else { throw CLIError("The one-off capture needs \(missing.joined(separator: ", ")).") }
        guard passwordFile == nil || tokenFile == nil else { throw CLIError("Give --password-file or --token-file, not both.") }
        let p = port ?? (tls == .implicit ? 993 : 143)
        guard (1...65535).contains(p) else { throw CLIError("--port \(p) is not a port number (1 to 65535).") }
        let settings = ServerSettings(host: server!, port: UInt16(p), tls: tls, caFile: caFile.map { URL(fileURLWithPath: $0) })
        if tls == .none && !settings.isLoopback { throw CLIError(CaptureError.cleartextRefused(server: server!).description) }
        let auth: Authentication = passwordFile.map { .password(.file(URL(fileURLWithPath: $0))) }
            ?? .oauth2(.file(URL(fileURLWithPath: tokenFile!)))
        return CaptureConfiguration(server: settings, authentication: auth,
                                    mailboxes: [MailboxCapture(address: mailbox!, user: user!, newMailbox: newMailbox)])
    }

    func run() throws {
        let ws = try workspace.open()
        if check { return try runCheck(ws) }
        let configuration = try self.configuration(ws)
        var options = CaptureOptions(actor: try actor.resolve(ws))
        options.policy = try? policy.resolve(ws).policy
        options.retries = max(0, retries)
        options.fetchMessages = max(1, fetchBatch)
        options.batchSize = max(1, batchSize)
        let capturer = Capturer(workspace: ws, configuration: configuration, options: options)
        let showProgress = output.showsProgress
        let onProgress: @Sendable (CaptureProgress) -> Void = { p in
            guard showProgress else { return }
            let rate = p.elapsed > 0 ? Double(p.messages) / p.elapsed : 0
            var line = String(format: "\r%@: %d messages, %.1f MB, %.0f msg/s", p.mailbox, p.messages, Double(p.bytes) / 1_000_000, rate)
            if let total = p.expectedBytes, total > 0 { line += String(format: ", %.0f%%", min(100, 100 * Double(p.bytes) / Double(total))) }
            FileHandle.standardError.write(Data((line + "   ").utf8))
        }
        let interval = try every.map { text -> TimeInterval in
            guard let d = CaptureConfiguration.duration(text), d >= 1 else {
                throw CLIError("--every '\(text)' is not a duration (e.g. 5m, 30s, 1h).")
            }
            return d
        }
        if interval != nil || service || idle {
            var done = 0
            var failedLast = false
            capturer.runService(every: interval ?? configuration.every ?? 300, idle: idle || configuration.idle, progress: onProgress,
                                report: { outcome in
                                    done += 1
                                    if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
                                    switch outcome {
                                    case .success(let run):
                                        // Written at once (not buffered): a service's log shows each run as it ends.
                                        FileHandle.standardOutput.write(Data((render(run) + "\n").utf8))
                                        failedLast = run.failed > 0
                                    case .failure(let e): printError("capture run \(done): \(SafeText.terminalLines(e.description))")
                                    }
                                }, shouldStop: { runs.map { done >= $0 } ?? false })
            if failedLast { throw ExitCode(1) }
            return
        }
        let run = try attempt { try capturer.runOnce(progress: onProgress) }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        print(render(run))
        if run.failed > 0 { throw ExitCode(1) }
    }

    private func runCheck(_ ws: Workspace) throws {
        let configuration = try self.configuration(ws)
        let store = RetentionStore(workspace: ws)
        var problems: [String] = []
        for m in configuration.mailboxes {
            do { _ = try store.admitIngest(into: m.address, allowNew: m.newMailbox) } catch { problems.append(error.description) }
        }
        guard problems.isEmpty else {
            throw CLIError("The configuration reads well, but:\n" + problems.map { "  " + $0 }.joined(separator: "\n"))
        }
        let s = configuration.server
        print(SafeText.terminal("Capture configuration OK: \(s.host):\(s.port) (tls \(s.tls.rawValue)), \(configuration.mailboxes.count) "
            + "mailbox\(configuration.mailboxes.count == 1 ? "" : "es"): \(configuration.mailboxes.map(\.address).joined(separator: ", "))."))
    }

    private func render(_ run: CaptureRunSummary) -> String {
        if output.json {
            return JSONText.object([
                ("startedAt", .string(run.startedAt)), ("finishedAt", .string(run.finishedAt)), ("failed", .int(Int64(run.failed))),
                ("mailboxes", .raw("[" + run.mailboxes.map(json).joined(separator: ",") + "]")),
            ])
        }
        var lines = ["Capture run \(run.startedAt): \(run.mailboxes.count) mailbox\(run.mailboxes.count == 1 ? "" : "es"), "
            + "\(run.failed) failed"]
        for m in run.mailboxes {
            if let e = m.error {
                lines.append("  \(m.address) (\(m.account)): FAILED after \(m.attempts) attempt\(m.attempts == 1 ? "" : "s"): \(e.description)")
            } else {
                lines.append("  \(m.address) (\(m.account)): fetched \(m.fetched), stored new \(m.storedNew), already present "
                    + "\(m.alreadyPresent), flagged \(m.flagged), \(m.folders) folder\(m.folders == 1 ? "" : "s")")
            }
            if !m.newFolders.isEmpty { lines.append("    new folders: \(m.newFolders.joined(separator: ", "))") }
            if !m.renamedFolders.isEmpty { lines.append("    renamed: \(m.renamedFolders.joined(separator: ", "))") }
            if !m.goneFolders.isEmpty { lines.append("    no longer on the server (captured mail stays): \(m.goneFolders.joined(separator: ", "))") }
            if !m.rescannedFolders.isEmpty {
                lines.append("    UIDVALIDITY changed, scanned again: \(m.rescannedFolders.joined(separator: ", "))")
            }
            if m.flagChanges > 0 || m.optOutMarks > 0 || m.expunged > 0 {
                lines.append("    flag changes \(m.flagChanges), opt-out marks \(m.optOutMarks), expunged on the server \(m.expunged) (kept)")
            }
            for n in m.notices { lines.append("    note: \(n)") }
        }
        return SafeText.terminalLines(lines.joined(separator: "\n"))
    }

    private func json(_ m: MailboxCaptureSummary) -> String {
        JSONText.object([
            ("mailbox", .string(m.address)), ("account", .string(m.account)), ("batch", m.batchId.map { .int($0) } ?? .null),
            ("ok", .bool(m.succeeded)), ("error", m.error.map { .string($0.description) } ?? .null), ("attempts", .int(Int64(m.attempts))),
            ("folders", .int(Int64(m.folders))), ("newFolders", .strings(m.newFolders)), ("renamedFolders", .strings(m.renamedFolders)),
            ("goneFolders", .strings(m.goneFolders)), ("rescannedFolders", .strings(m.rescannedFolders)),
            ("fetched", .int(Int64(m.fetched))), ("storedNew", .int(Int64(m.storedNew))), ("alreadyPresent", .int(Int64(m.alreadyPresent))),
            ("flagged", .int(Int64(m.flagged))), ("bytes", .int(m.bytes)), ("flagChanges", .int(Int64(m.flagChanges))),
            ("optOutMarks", .int(Int64(m.optOutMarks))), ("expunged", .int(Int64(m.expunged))), ("condstore", .bool(m.condstore)),
            ("notices", .strings(m.notices)),
        ])
    }
}

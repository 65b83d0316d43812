// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// How a capture runs: who runs it, how hard it retries, how it waits. The waits are injectable so that tests never
/// sleep.
public struct CaptureOptions: Sendable {
    /// Who runs the capture (the audit trail's actor).
    public var actor: Actor
    public var command = "capture"
    /// The policy in force: keywords that opt a message out, for the flag rescan (no opt-out marks without it).
    public var policy: Policy?
    /// Attempts per mailbox after the first, for failures that may pass (network, server, store lock).
    public var retries = 3
    /// The waits before each retry (the last one repeats).
    public var backoff: [TimeInterval] = [5, 30, 120]
    /// Messages and bytes per `UID FETCH` of bodies.
    public var fetchMessages = 200
    public var fetchBytes = 16 << 20
    /// Messages per catalog transaction (the ingest batch size).
    public var batchSize = Ingestor.defaultBatchSize
    /// Sync the store before each catalog commit (tests of parsing may switch it off).
    public var flushToDisk = true
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// Waits this long (a retry's back-off, the service's interval); tests inject one that records and returns.
    public var wait: @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }

    public init(actor: Actor) { self.actor = actor }
}

/// The account of one mailbox in one capture run.
public struct MailboxCaptureSummary: Sendable {
    public var address: String
    /// `user@host:port`, never a secret.
    public var account: String
    public var batchId: Int64?
    /// Folders on the server that are captured.
    public var folders = 0
    public var newFolders: [String] = []
    public var renamedFolders: [String] = []
    public var goneFolders: [String] = []
    /// Folders whose UIDVALIDITY changed: scanned again, only what was not there yet is added.
    public var rescannedFolders: [String] = []
    /// Messages fetched (new UIDs).
    public var fetched = 0
    public var storedNew = 0
    public var alreadyPresent = 0
    public var flagged = 0
    public var bytes: Int64 = 0
    /// Captured messages whose keywords or flags changed on the server since.
    public var flagChanges = 0
    /// Opt-out marks made because a message got an opt-out keyword within its window.
    public var optOutMarks = 0
    /// Captured messages no longer on the server (they stay in the archive).
    public var expunged = 0
    /// Whether the server offered CONDSTORE (flag changes asked for with CHANGEDSINCE).
    public var condstore = false
    public var notices: [String] = []
    /// Why the mailbox failed (after its retries), or nil.
    public var error: CaptureError?
    public var attempts = 0

    public var succeeded: Bool { error == nil }
}

/// The account of one capture run over every configured mailbox.
public struct CaptureRunSummary: Sendable {
    public var startedAt: String
    public var finishedAt: String = ""
    public var mailboxes: [MailboxCaptureSummary] = []
    public var failed: Int { mailboxes.filter { !$0.succeeded }.count }
}

/// Progress of a running capture: the mailbox, and the ingest pipeline's progress in it.
public struct CaptureProgress: Sendable {
    public var mailbox: String
    public var messages: Int
    public var bytes: Int64
    public var expectedBytes: Int64?
    public var elapsed: TimeInterval
}

/// Live capture over IMAP: keeps the archive filled from the mail server, incrementally and exactly.
///
/// Per mailbox it signs in, lists the folders, and per folder compares UIDVALIDITY and the highest captured UID with
/// what the catalog recorded: only new UIDs are fetched (`BODY.PEEK[]`, in a read-only EXAMINE), and they go through
/// the ingest pipeline (hashing, store, parse, dedup, one transaction per batch); the highest captured UID moves up
/// after each committed batch. A changed UIDVALIDITY scans the folder again and adds only what is not there yet (by
/// content and folder); a folder renamed on the server (same UIDVALIDITY) goes on where it was. Flags are rescanned
/// (CHANGEDSINCE with CONDSTORE, else all): a message that got an opt-out keyword within its window gets an opt-out
/// mark. One mailbox's failure does not stop the others; failures that may pass are retried with back-off.
public final class Capturer: Sendable {
    public let workspace: Workspace
    public let configuration: CaptureConfiguration
    public let options: CaptureOptions
    private let credentials: Credentials

    public init(workspace: Workspace, configuration: CaptureConfiguration, options: CaptureOptions) {
        self.workspace = workspace
        self.configuration = configuration
        self.options = options
        let clock = workspace.clock
        credentials = Credentials(configuration.authentication, environment: options.environment, clock: { clock.now() })
    }

    /// `user@host:port` of a mailbox, the key of its capture state (no secret).
    func account(_ m: MailboxCapture) -> String { "\(m.user)@\(configuration.server.host):\(configuration.server.port)" }

    /// Captures every mailbox once, holding the store lock throughout (so that capture and `destroy execute` never
    /// overlap). Throws only when the run cannot start (the lock is held by another command); a mailbox's failure is
    /// in its summary.
    public func runOnce(progress: @escaping @Sendable (CaptureProgress) -> Void = { _ in }) throws(CaptureError) -> CaptureRunSummary {
        let started = workspace.clock.now()
        let lockText = "capture (\(configuration.mailboxes.count) mailbox\(configuration.mailboxes.count == 1 ? "" : "es"))"
        return try workspace.withStoreLock(for: lockText, now: started,
                                           failure: { CaptureError.archive($0.description) }) { lock throws(CaptureError) in
            var run = CaptureRunSummary(startedAt: ISOTimestamp.format(started))
            for mailbox in configuration.mailboxes {
                run.mailboxes.append(captureWithRetries(mailbox, holding: lock, progress: progress))
            }
            run.finishedAt = ISOTimestamp.format(workspace.clock.now())
            try record(run)
            return run
        }
    }

    /// Captures again and again: every `every` seconds, or (with `idle`) as soon as the first mailbox's Inbox reports
    /// new mail, at the latest after `every`. Between runs the store lock is free (destruction can run); a run that
    /// finds it held waits with back-off. `report` gets every run's summary; the loop ends when `shouldStop` says so
    /// (checked after each run and wait).
    public func runService(every: TimeInterval, idle: Bool, progress: @escaping @Sendable (CaptureProgress) -> Void = { _ in },
                           report: (Result<CaptureRunSummary, CaptureError>) -> Void, shouldStop: () -> Bool) {
        var busy = 0
        while true {
            let outcome: Result<CaptureRunSummary, CaptureError>
            do throws(CaptureError) { outcome = .success(try runOnce(progress: progress)) } catch { outcome = .failure(error) }
            report(outcome)
            if shouldStop() { return }
            if case .failure(let e) = outcome, e.isTransient {
                // The store lock was held (a destruction runs): try again after a back-off, not a whole interval.
                options.wait(options.backoff[min(busy, options.backoff.count - 1)])
                busy += 1
                if shouldStop() { return }
                continue
            }
            busy = 0
            if idle, let first = configuration.mailboxes.first {
                waitWithIdle(first, atMost: every)
            } else {
                options.wait(every)
            }
            if shouldStop() { return }
        }
    }

    /// Waits with IDLE on `mailbox`'s Inbox for at most `seconds`; falls back to a plain wait when the server has no
    /// IDLE or the connection fails.
    func waitWithIdle(_ mailbox: MailboxCapture, atMost seconds: TimeInterval) {
        do throws(CaptureError) {
            let c = try connect(mailbox)
            defer { c.logout() }
            guard c.hasIdle else { options.wait(seconds); return }
            _ = try c.examine("INBOX", condstore: false)
            _ = try c.idle(seconds: Int(seconds))
        } catch {
            options.wait(seconds)
        }
    }

    private func connect(_ mailbox: MailboxCapture) throws(CaptureError) -> IMAPConnection {
        let s = configuration.server
        if s.tls == .none && !s.isLoopback { throw .cleartextRefused(server: s.host) }
        let c = try IMAPConnection(server: s.host, port: s.port, tls: s.tls, caFile: s.caFile?.path, timeout: s.timeout)
        try credentials.signIn(c, as: mailbox)
        return c
    }

    private func captureWithRetries(_ mailbox: MailboxCapture, holding lock: StoreLock,
                                    progress: @escaping @Sendable (CaptureProgress) -> Void) -> MailboxCaptureSummary {
        var attempt = 0
        var notices: [String] = []
        while true {
            attempt += 1
            var summary = capture(mailbox, holding: lock, progress: progress)
            summary.attempts = attempt
            summary.notices = notices + summary.notices
            guard let error = summary.error, error.isTransient, attempt <= options.retries else { return summary }
            notices.append("attempt \(attempt) failed: \(error.description)")
            options.wait(options.backoff[min(attempt - 1, options.backoff.count - 1)])
        }
    }

    /// One attempt at one mailbox.
    private func capture(_ mailbox: MailboxCapture, holding lock: StoreLock,
                         progress: @escaping @Sendable (CaptureProgress) -> Void) -> MailboxCaptureSummary {
        var summary = MailboxCaptureSummary(address: mailbox.address, account: account(mailbox))
        do throws(CaptureError) {
            do {
                if let notice = try RetentionStore(workspace: workspace).admitIngest(into: mailbox.address, allowNew: mailbox.newMailbox) {
                    summary.notices.append(notice)
                }
            } catch { throw .refused(error.description) }
            let connection = try connect(mailbox)
            defer { connection.logout() }
            try capture(mailbox, over: connection, into: &summary, holding: lock, progress: progress)
        } catch {
            summary.error = error
        }
        return summary
    }

    private func capture(_ mailbox: MailboxCapture, over connection: IMAPConnection, into summary: inout MailboxCaptureSummary,
                         holding lock: StoreLock, progress: @escaping @Sendable (CaptureProgress) -> Void) throws(CaptureError) {
        let now = workspace.clock.now()
        let at = ISOTimestamp.format(now)
        let account = self.account(mailbox)
        let state = CaptureState(catalog: workspace.catalog)
        let condstore = connection.capabilities().contains("CONDSTORE")
        summary.condstore = condstore
        let skip = Set(configuration.skipFolders.map { $0.lowercased() })
        let listed = try connection.listFolders().filter { $0.selectable && !skip.contains(Capturer.archiveFolder($0).lowercased()) }
        summary.folders = listed.count
        var known = try state.folders(mailbox: mailbox.address, account: account)
        let listedNames = Set(listed.map(\.name))
        var plans: [FolderPlan] = []
        var modseqs: [(Int64, UInt64?)] = []
        var marks: [(sha: String, keyword: String)] = []
        let accountUser = FolderPlan.encode(mailbox.user).replacingOccurrences(of: "@", with: "%40")
        let accountURL = "imap://\(accountUser)@\(configuration.server.host):\(configuration.server.port)/"

        for folder in listed.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            let path = Capturer.archiveFolder(folder)
            let status = try connection.examine(folder.name, condstore: condstore)
            var row: FolderRow
            var scanFlags = true
            if let existing = known.first(where: { $0.name == folder.name }) {
                row = existing
                if row.uidValidity != status.uidValidity {
                    try state.reset(row.id, uidValidity: status.uidValidity, at: at)
                    row.uidValidity = status.uidValidity
                    row.lastUid = 0
                    row.highestModseq = nil
                    summary.rescannedFolders.append(path)
                    scanFlags = false
                } else if row.state != "present" {
                    try state.setState(row.id, "present", at: at)
                }
            } else if let renamed = known.first(where: { $0.uidValidity == status.uidValidity && !listedNames.contains($0.name) }) {
                // Renamed on the server: the same UIDs under another name. Its mail is captured already.
                try state.rename(renamed.id, to: folder.name, folder: path, at: at)
                summary.renamedFolders.append("\(renamed.folder) → \(path)")
                row = renamed
                row.name = folder.name
                row.folder = path
                known.removeAll { $0.id == renamed.id }
                known.append(row)
            } else {
                let id = try state.insertFolder(mailbox: mailbox.address, account: account, name: folder.name, folder: path,
                                                uidValidity: status.uidValidity, at: at)
                row = FolderRow(id: id, name: folder.name, folder: path, uidValidity: status.uidValidity, lastUid: 0, highestModseq: nil,
                                state: "present")
                known.append(row)
                summary.newFolders.append(path)
                scanFlags = false
            }

            // Flags of what was captured: CHANGEDSINCE when the server keeps modification sequences, else all of them.
            if scanFlags && row.lastUid > 0 && (status.highestModseq == nil || status.highestModseq != row.highestModseq) {
                let since = condstore ? row.highestModseq : nil
                let current = try connection.flags(upTo: row.lastUid, changedSince: since)
                let captured = try state.captured(row.id)
                var changed: [(uid: UInt32, keywordsJSON: String, flagsJSON: String)] = []
                for (uid, serverFlags) in current {
                    guard let before = captured[uid] else { continue }
                    let (flags, keywords) = IMAPFlags.split(serverFlags)
                    if keywords != before.keywords || since != nil {
                        changed.append((uid, JSONText.array(keywords), JSONText.array(flags)))
                        for k in keywords where !before.keywords.contains(k) { marks.append((before.sha256, k)) }
                    }
                }
                var gone: [UInt32] = []
                if since == nil {
                    let present = Set(current.map(\.uid))
                    gone = captured.filter { !$0.value.gone && !present.contains($0.key) }.map(\.key)
                }
                summary.flagChanges += changed.count
                summary.expunged += gone.count
                try state.update(row.id, changed: changed, gone: gone, at: at)
            }
            modseqs.append((row.id, status.highestModseq))

            // New mail: the UIDs above the highest captured one.
            var fresh: [UIDSummary] = []
            if status.uidNext.map({ $0 > row.lastUid + 1 }) ?? (status.exists > 0) {
                fresh = try connection.summaries(from: row.lastUid + 1)
                if !fresh.isEmpty {
                    plans.append(FolderPlan(folderId: row.id, name: folder.name, folder: path, uidValidity: status.uidValidity,
                                            uids: fresh, account: accountURL))
                }
            }

            // Expunged on the server since capture (they stay in the archive). CHANGEDSINCE does not report them, but the
            // message count does: fewer messages than captured-and-present plus new means some are gone; only then
            // are the UIDs asked for.
            if condstore && row.lastUid > 0 {
                let captured = try state.captured(row.id)
                let present = captured.values.filter { !$0.gone }.count
                if Int(status.exists) < present + fresh.count {
                    let onServer = Set(try connection.uids(upTo: row.lastUid))
                    let gone = captured.filter { !$0.value.gone && !onServer.contains($0.key) }.map(\.key)
                    summary.expunged += gone.count
                    try state.update(row.id, changed: [], gone: gone, at: at)
                }
            }
        }
        for row in known where !listedNames.contains(row.name) && row.state == "present" {
            try state.setState(row.id, "gone", at: at)
            summary.goneFolders.append(row.folder)
        }

        if !plans.isEmpty {
            let log = CaptureLog()
            var sources: [any MessageSource] = []
            for plan in plans {
                sources.append(FolderSource(connection: connection, plan: plan, log: log, chunkMessages: options.fetchMessages,
                                            chunkBytes: options.fetchBytes))
            }
            var ingestor = Ingestor(workspace: workspace, now: now)
            ingestor.batchSize = options.batchSize
            ingestor.flushToDisk = options.flushToDisk
            let address = mailbox.address
            let result: IngestSummary
            do throws(IngestError) {
                result = try ingestor.run(sources: sources, mailbox: mailbox.address, origins: plans.map { $0.account + FolderPlan.encode($0.name) },
                                          format: "imap", actor: options.actor.auditText, command: options.command, holding: lock) { p in
                    // Each committed batch moves the folders' highest captured UIDs up (a crash between the two refetches
                    // that batch, which the pipeline then finds already present).
                    try? state.commit(log.committed(upTo: p.messages))
                    CrashPoint.pass("capture-after-state")
                    progress(CaptureProgress(mailbox: address, messages: p.messages, bytes: p.bytes, expectedBytes: p.expectedBytes,
                                             elapsed: p.elapsed))
                }
                try? state.commit(log.committed(upTo: result.found))
            } catch {
                if case .stopped(_, let committed) = error {
                    try? state.commit(log.committed(upTo: committed.found))
                    summary.batchId = committed.batchId
                    summary.fetched = committed.found
                    summary.storedNew = committed.storedNew
                    summary.alreadyPresent = committed.alreadyPresent
                }
                throw log.failure ?? .archive(error.description)
            }
            summary.batchId = result.batchId
            summary.fetched = result.found
            summary.storedNew = result.storedNew
            summary.alreadyPresent = result.alreadyPresent
            summary.flagged = result.flagged
            summary.bytes = result.bytes
            summary.notices += result.notices
        }
        // The flags up to here are known: the next run asks only for changes after this point.
        for (id, modseq) in modseqs where condstore { try state.setModseq(id, modseq) }
        summary.optOutMarks = try markOptOuts(marks, mailbox: mailbox.address, notices: &summary.notices)
    }

    /// Opt-out marks for messages that got an opt-out keyword (of the policy in force) after they were captured; a
    /// mark after the window closed is refused by the retention rules and reported.
    private func markOptOuts(_ marks: [(sha: String, keyword: String)], mailbox: String, notices: inout [String]) throws(CaptureError) -> Int {
        guard let policy = options.policy, !marks.isEmpty else { return 0 }
        let optOut = Set(policy.optOut.keywords.map(TextMatcher.normalize))
        let wanted = marks.filter { optOut.contains(TextMatcher.normalize($0.keyword)) }
        guard !wanted.isEmpty else { return 0 }
        let ids = try CaptureState(catalog: workspace.catalog).messageIds(wanted.map(\.sha))
        let store = RetentionStore(workspace: workspace)
        var made = 0
        var done = Set<String>()
        for w in wanted {
            guard let id = ids[w.sha], done.insert(id).inserted else { continue }
            do {
                _ = try store.markOptOut(mailbox: mailbox, messageId: id, ground: .private, policy: policy, actor: options.actor,
                                         source: "imap keyword \(w.keyword)")
                made += 1
            } catch {
                notices.append("\(id) got the keyword \(w.keyword) on the server, but it was not opted out: \(error.description)")
            }
        }
        return made
    }

    /// The archive's folder path for a server folder: the name decoded from modified UTF-7, the server's delimiter as
    /// `/` (Dovecot's `Projecten.Brug` and Exchange's `Projecten/Brug` are both `Projecten/Brug`, as in a Maildir
    /// export), the Inbox as `INBOX`.
    static func archiveFolder(_ f: IMAPFolder) -> String {
        let parts = f.delimiter.map { d in f.name.split(separator: d, omittingEmptySubsequences: false).map(String.init) } ?? [f.name]
        let decoded = parts.map { ModifiedUTF7.decode($0) }
        if decoded.count == 1, decoded[0].uppercased() == "INBOX" { return "INBOX" }
        return decoded.joined(separator: "/")
    }

    /// One audit entry per run: the configuration, the actor, per mailbox the counts (never a secret).
    private func record(_ run: CaptureRunSummary) throws(CaptureError) {
        var parts: [String] = []
        for m in run.mailboxes {
            var p = "\(m.address) (\(m.account)): "
            if let e = m.error {
                var cause = e.description
                if cause.utf8.count > 500 { cause = String(cause.prefix(500)) + "…" }
                p += "failed after \(m.attempts) attempt\(m.attempts == 1 ? "" : "s"): \(cause)"
            } else {
                p += "fetched \(m.fetched), stored new \(m.storedNew), already present \(m.alreadyPresent), folders \(m.folders)"
                if !m.newFolders.isEmpty { p += ", new folders \(m.newFolders.count)" }
                if !m.renamedFolders.isEmpty { p += ", renamed \(m.renamedFolders.joined(separator: "; "))" }
                if !m.rescannedFolders.isEmpty { p += ", UIDVALIDITY changed: \(m.rescannedFolders.joined(separator: "; "))" }
                if m.flagChanges > 0 { p += ", flag changes \(m.flagChanges)" }
                if m.optOutMarks > 0 { p += ", opt-out marks \(m.optOutMarks)" }
                if m.expunged > 0 { p += ", expunged on the server \(m.expunged) (kept)" }
            }
            parts.append(p)
        }
        let outcome = "capture run \(run.startedAt)–\(run.finishedAt), configuration \(configuration.origin): " + parts.joined(separator: "; ")
        do {
            try workspace.catalog.write { db in
                _ = try workspace.audit.append(db, kind: .ingest, command: options.command, actor: options.actor.auditText,
                                               objectIds: run.mailboxes.map { "mailbox:\($0.address)" }, outcome: outcome)
            }
        } catch { throw .archive("\(error)") }
    }
}

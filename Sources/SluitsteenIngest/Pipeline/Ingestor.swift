// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenMIME
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// What to ingest: the mailbox the messages belong to and the exports to read.
public struct IngestRequest: Sendable {
    public var mailbox: String
    public var paths: [URL]
    public var format: MailboxFormat?
    public var actor: String
    public var command: String
    /// Convert password-protected PSTs anyway (readpst ignores the password); refused by default.
    public var allowPasswordProtectedPST = false
    public init(mailbox: String, paths: [URL], format: MailboxFormat? = nil, actor: String, command: String = "ingest") {
        self.mailbox = mailbox
        self.paths = paths
        self.format = format
        self.actor = actor
        self.command = command
    }
}

/// The account of one ingest run. `found == storedNew + alreadyPresent` always holds for messages; items of a
/// PST that are not mail, or that could not be converted, are reported in ``notMail`` and ``failed``.
public struct IngestSummary: Sendable, Equatable {
    public var batchId: Int64 = 0
    public var mailbox: String = ""
    /// Message copies found in the exports.
    public var found = 0
    /// Copies new to the catalog in this run.
    public var storedNew = 0
    /// Copies already in the catalog (a re-run, or the same message twice in one folder counts separately).
    public var alreadyPresent = 0
    /// Copies whose message carries a defect flag (parse defects, synthetic Message-ID, fallback date).
    public var flagged = 0
    /// Distinct message contents written to the store for the first time.
    public var newContents = 0
    /// Bytes read.
    public var bytes: Int64 = 0
    /// PST items that are not mail, per folder and kind (reported, and kept where readpst renders them).
    public var notMail: [String: Int] = [:]
    /// Items that could not be converted, with folder and position.
    public var failed: [String] = []
    /// Findings about the exports that are not messages.
    public var notices: [String] = []
    public var formats: [String] = []

    /// Every item found, mail or not: `storedNew + alreadyPresent + not-mail reported + failed reported`.
    public var itemsFound: Int { found + notMail.values.reduce(0, +) + failed.count }
}

/// Progress of a running ingest, reported after every batch.
public struct IngestProgress: Sendable {
    public var messages: Int
    public var bytes: Int64
    public var expectedBytes: Int64?
    public var elapsed: TimeInterval
}

/// Takes mailbox exports into an archive workspace without losing or altering a byte.
///
/// A pipeline of three stages: a reader thread cuts the exports into batches in order; each batch is hashed,
/// written to the content store and parsed on every core; a writer thread commits the batches to the catalog, one
/// transaction each. A crash at any point leaves only complete entries; a re-run skips what is already there, so
/// ingest is idempotent. Ingest captures first and parses later: it reads only each message's header block (what
/// decisions need: Message-ID, date, addresses, subject, keywords); the full MIME reading (attachments, the defects of
/// the body) and the full-text index are the derived step ``TextIndexer`` (`sluitsteen index`).
public struct Ingestor: Sendable {
    public let workspace: Workspace
    public let now: Date
    /// Messages per catalog transaction, at least (``defaultBatchSize`` unless set; the last may hold fewer). They
    /// are read, hashed, stored and parsed in parts of at most ``parseBatchSize`` messages; the transaction and the
    /// pack sync before it cover the whole batch, so that a page of the catalog's indexes is written once for many
    /// messages, not once for every 512.
    public var batchSize = Ingestor.defaultBatchSize
    /// Bytes per part read and parsed together.
    public var batchBytes = 32 << 20
    /// Messages larger than this are never held in memory: they are copied into the store while being hashed and
    /// parsed from the stored file (tests lower it to run every message through that path).
    public var inMemoryLimit = ContentStore.defaultInMemoryLimit
    /// Make every batch's files durable before its catalog commit (a flusher thread syncs the store while later
    /// batches are parsed), so the catalog never refers to bytes a power loss could take away. Crash safety against
    /// a killed process does not depend on it (a message is committed only after its file is whole); tests of
    /// parsing may switch it off.
    public var flushToDisk = true
    /// Read every message in full at capture, as ingest did before it captured first and parsed later (`index` then
    /// only adds the text): for comparing the two paths.
    public var parseInFull = false
    /// A bulk load: exports of at least this many bytes, and at least twice what the store holds, are taken in with two
    /// of the catalog's secondary indexes set aside, built once at the end (see ``Catalog/setIndexesAside()``). An
    /// initial load of a whole organisation's mail; a day's capture never is one.
    public var bulkLoadBytes: Int64 = 256 << 20

    public init(workspace: Workspace, now: Date) {
        self.workspace = workspace
        self.now = now
    }

    /// Runs the ingest. Every path is checked before anything is written; a bad path stops the run with nothing
    /// ingested from any path. A path given here that is a symbolic link is followed (the operator named it; the
    /// summary notes it), but nothing found inside an export is: see ``InputFiles``.
    ///
    /// Once the run has begun, a failure (an unreadable file, an mbox that changed while it was read, a full disk)
    /// throws ``IngestError/stopped(reason:committed:)`` with what was committed until then, which stays; the
    /// batch is marked `failed` and the failure is recorded in the audit trail.
    public func run(_ request: IngestRequest,
                    progress: @escaping @Sendable (IngestProgress) -> Void = { _ in }) throws(IngestError) -> IngestSummary {
        let mailbox = request.mailbox.trimmingCharacters(in: .whitespaces).lowercased()
        guard Ingestor.isAddress(mailbox) else { throw .invalidMailboxAddress(request.mailbox) }
        guard !request.paths.isEmpty else { throw .notFound("(no path given)") }

        // Preflight: detect every format first, so that a bad path means nothing is ingested at all.
        var plans: [(URL, MailboxFormat)] = []
        for url in request.paths {
            if let wanted = request.format {
                // An explicit format overrides detection, but the path must exist and fit the format's shape.
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { throw .notFound(url.path) }
                if (wanted == .maildir && !isDir.boolValue) || ((wanted == .mbox || wanted == .pst) && isDir.boolValue) {
                    throw .formatMismatch(url.path, expected: wanted)
                }
                if !isDir.boolValue { _ = try InputFiles.openNamedFile(url.path) }
                if wanted == .pst && !PSTFile.hasSignature(at: url) { throw .formatMismatch(url.path, expected: wanted) }
                plans.append((url, wanted))
            } else {
                plans.append((url, try MailboxFormat.detect(url)))
            }
        }
        // One command at a time adds or removes stored bytes (see StoreLock); held until the capture returns.
        return try workspace.withStoreLock(for: "\(request.command) --mailbox \(mailbox)", now: now,
                                           failure: IngestError.archive) { lock throws(IngestError) in
            try capture(plans, request: request, mailbox: mailbox, holding: lock, progress: progress)
        }
    }

    /// Notes for the paths of `plans` that are symbolic links: followed, because the operator named them.
    static func linkNotices(_ plans: [(URL, MailboxFormat)]) -> [String] {
        plans.compactMap { url, _ in
            guard case .link(let target) = InputFiles.entry(url.path) else { return nil }
            return "\(url.path) is a symbolic link (to \(target)); it was followed because it was named on the command line"
        }
    }

    /// The workspace's private scratch folder (`<workspace>/tmp`, mode 0700 whatever the umask), where a PST is
    /// converted: nobody but the archive's own account can read what readpst writes there.
    public static func scratchFolder(of workspace: Workspace) -> URL { workspace.scratchDirectory }

    /// The prefix of the folders ingest makes in the scratch folder; what a killed run left there is removed by
    /// the next ingest.
    static let scratchPrefix = "ingest-"

    /// A new private folder (0700) in the workspace's scratch folder for one PST.
    private func makeScratchFolder() throws(IngestError) -> URL {
        do { return try workspace.scratchFolder(named: Ingestor.scratchPrefix + "pst-" + UUID().uuidString) } catch {
            throw .archive(error)
        }
    }

    /// Removes what a killed ingest left in the scratch folder. Only the holder of the store lock may.
    private func removeScratchLeftovers(holding lock: StoreLock) {
        withExtendedLifetime(lock) {}
        let scratch = Ingestor.scratchFolder(of: workspace)
        for name in InputFiles.names(in: scratch.path) ?? [] where name.hasPrefix(Ingestor.scratchPrefix) {
            try? FileManager.default.removeItem(at: scratch.appendingPathComponent(name))
        }
    }

    /// Captures the exports of `plans` while holding the store lock.
    private func capture(_ plans: [(URL, MailboxFormat)], request: IngestRequest, mailbox: String, holding lock: StoreLock,
                         progress: @escaping @Sendable (IngestProgress) -> Void) throws(IngestError) -> IngestSummary {
        do { try workspace.store.removeLeftovers(holding: lock) } catch { throw .archive(error) }
        removeScratchLeftovers(holding: lock)
        var sources: [any MessageSource] = []
        var pstExtractions: [PSTExtraction] = []
        var workDirectories: [URL] = []
        defer { for w in workDirectories { try? FileManager.default.removeItem(at: w) } }
        for (url, format) in plans {
            switch format {
            case .mbox: sources.append(try MboxReader(url: url, inMemoryLimit: inMemoryLimit))
            case .maildir: sources.append(try MaildirReader(url: url, inMemoryLimit: inMemoryLimit))
            case .eml: sources.append(try EMLTreeReader(url: url, inMemoryLimit: inMemoryLimit))
            case .pst:
                let work = try makeScratchFolder()
                workDirectories.append(work)
                let extraction: PSTExtraction
                do {
                    extraction = try PSTExtractor.extract(file: url, workDirectory: work,
                                                          options: PSTExtractionOptions(allowPasswordProtected: request.allowPasswordProtectedPST))
                } catch { throw .pst(error) }
                pstExtractions.append(extraction)
                sources.append(PSTMessageSource(extraction: extraction, sourceFile: url.path, inMemoryLimit: inMemoryLimit))
            }
        }

        var summary = IngestSummary()
        summary.mailbox = mailbox
        summary.formats = plans.map { $0.1.rawValue }
        summary.notices = Ingestor.linkNotices(plans)
        for e in pstExtractions {
            for c in e.notMail {
                let fate = c.rendered ? "reported, rendered by readpst as \(c.renderedFiles.first?.pathExtension ?? "file"), not kept as " +
                                        "mail" : "reported, not kept"
                summary.notMail["\(c.folderPath): \(c.kind.rawValue) (\(fate))", default: 0] += c.count
            }
            summary.failed += e.failures.map { "\($0.folderPath)\($0.position.map { " #\($0)" } ?? ""): \($0.reason)" }
        }
        return try capture(sources, summary: summary, paths: request.paths.map { $0.standardizedFileURL.path }, request: request,
                           mailbox: mailbox, progress: progress)
    }

    /// Runs the pipeline on `sources` (the store lock is held and leftovers are removed by the caller): one ingest batch,
    /// recorded in the catalog and the audit trail as `paths`. `summary` carries what the caller found beforehand.
    func capture(_ sources: sending [any MessageSource], summary: IngestSummary, paths: [String], request: IngestRequest, mailbox: String,
                 progress: @escaping @Sendable (IngestProgress) -> Void) throws(IngestError) -> IngestSummary {
        var summary = summary
        let capturedAt = ISOTimestamp.format(now)
        let capturedEpoch = Int64(now.timeIntervalSince1970.rounded(.down))
        let expected = sources.reduce(Int64(0)) { $0 + ($1.expectedBytes ?? 0) }
        let started = Date()

        let batchId = try workspace.catalog.write(throwing: IngestError.self) { db -> Int64 in
            let id = try IngestBatchRecord.start(db, mailbox: mailbox, format: summary.formats.joined(separator: ","), paths: paths,
                                                 at: capturedAt)
            try workspace.audit.append(db, kind: .ingest, command: request.command, actor: request.actor,
                                       objectIds: ["batch:\(id)", "mailbox:\(mailbox)"], outcome: "started: \(paths.joined(separator: ", "))")
            return id
        }
        summary.batchId = batchId
        let bulk: Bool
        do throws(ArchiveError) {
            let stored = try workspace.store.packBytes()
            bulk = expected >= bulkLoadBytes && expected >= 2 * stored
            if bulk { try workspace.catalog.setIndexesAside() }
        } catch { throw .archive(error) }

        // Three stages run at once (see PipelineReader): a reader thread cuts the exports into batches, this thread
        // hashes, stores and parses each batch on every core, and a committer thread commits the batches behind it,
        // each once its files are durable (the flusher syncs them while later batches are parsed).
        let expectedBytes = expected > 0 ? expected : nil
        let flusher = StoreFlusher(store: workspace.store, durable: flushToDisk)
        defer { flusher.stop() }
        let writer = BatchWriter(workspace: workspace, mailbox: mailbox, batchId: batchId, capturedAt: capturedAt,
                                 capturedEpoch: capturedEpoch)
        let committer = PipelineCommitter<(rows: [BatchWriter.Row], sequence: Int), IngestSummary, IngestError>(
            name: "sluitsteen.ingest.commit", backlog: Ingestor.commitBacklog(batchSize: batchSize), state: summary
        ) { batch, done throws(IngestError) in
            do throws(ArchiveError) { try flusher.waitUntilDurable(batch.sequence) } catch { throw .archive(error) }
            try writer.commit(batch.rows, summary: &done)
            progress(IngestProgress(messages: done.found, bytes: done.bytes, expectedBytes: expectedBytes,
                                    elapsed: Date().timeIntervalSince(started)))
        }
        let (partSize, batchBytes) = (min(batchSize, Ingestor.parseBatchSize), self.batchBytes)
        let reader = PipelineReader<[RawMessage], [any MessageSource], IngestError>(
            name: "sluitsteen.ingest.read", readAhead: 2, stackSize: 4 << 20, state: sources
        ) { sources, emit throws(IngestError) in
            try Ingestor.read(&sources, batchSize: partSize, batchBytes: batchBytes, emit)
        }
        var occurrences = OccurrenceCounter { [workspace] () throws(IngestError) -> URL in
            do throws(ArchiveError) {
                return try workspace.scratchFolder(named: Ingestor.scratchPrefix + "occurrences-" + UUID().uuidString)
            } catch { throw .archive(error) }
        }
        var sequence = 0
        var rows: [BatchWriter.Row] = []
        // The batch's files are written: the flusher may make them durable, and the committer list them.
        func submit() throws(IngestError) {
            sequence += 1
            flusher.written(sequence)
            try committer.submit((rows, sequence))
            rows = []
        }
        let committed: IngestSummary
        do throws(IngestError) {
            while let part = reader.next() {
                for item in try process(part) {
                    let occurrence = try occurrences.next(folder: item.raw.folder, sha256: item.sha256)
                    rows.append(BatchWriter.Row(item: item, occurrence: occurrence))
                }
                if rows.count >= batchSize { try submit() }
            }
            if !rows.isEmpty { try submit() }
            try reader.finish()
            // Every message is stored: an export that changed meanwhile may have given wrong or partial bytes.
            for source in reader.finalState { try source.checkUnchanged() }
            committed = try committer.finish()
        } catch {
            reader.cancel()
            var sofar = committer.drain()
            // Built now, not at the next opening of the catalog, when they can be.
            if bulk { try? workspace.catalog.restoreIndexes() }
            sofar.notices += reader.finalState.flatMap(\.notices)
            recordFailure(error, committed: sofar, request: request, mailbox: mailbox, at: capturedAt)
            throw .stopped(reason: error, committed: sofar)
        }
        summary.notices += reader.finalState.flatMap(\.notices)
        summary.found = committed.found
        summary.storedNew = committed.storedNew
        summary.alreadyPresent = committed.alreadyPresent
        summary.flagged = committed.flagged
        summary.newContents = committed.newContents
        summary.bytes = committed.bytes
        do throws(IngestError) {
            try workspace.catalog.write(throwing: IngestError.self) { db in
                try IngestBatchRecord.finish(db, id: batchId, status: .complete, at: capturedAt, counts: summary.counts)
                var outcome = "found \(summary.found), stored new \(summary.storedNew), already present \(summary.alreadyPresent), " +
                              "flagged \(summary.flagged)"
                if !summary.notMail.isEmpty { outcome += ", not mail \(summary.notMail.values.reduce(0, +))" }
                if !summary.failed.isEmpty { outcome += ", failed \(summary.failed.count)" }
                try workspace.audit.append(db, kind: .ingest, command: request.command, actor: request.actor,
                                           objectIds: ["batch:\(batchId)", "mailbox:\(mailbox)"], outcome: outcome)
            }
        } catch {
            // As when the pipeline stops: the indexes built now, and the log checkpointed as usual again on this
            // connection, not only at the next opening of the catalog (a long-running process may go on using it).
            if bulk { try? workspace.catalog.restoreIndexes() }
            throw error
        }
        if bulk {
            // Every message is in; the indexes are the catalog's to build (again at its next opening if this fails).
            do throws(ArchiveError) { try workspace.catalog.restoreIndexes() } catch {
                summary.notices.append("the catalog's indexes by Message-ID and by SHA-256 could not be built now (\(error)); "
                    + "the next command that opens the workspace builds them")
            }
        }
        return summary
    }

    /// Marks the batch `failed` with what it committed and records the failure in the audit trail (best effort: if
    /// the catalog itself failed, the next run marks the batch `interrupted`).
    private func recordFailure(_ error: IngestError, committed s: IngestSummary, request: IngestRequest, mailbox: String,
                               at finishedAt: String) {
        var cause = error.cause
        if cause.utf8.count > 2000 { cause = String(cause.prefix(2000)) + "…" }
        try? workspace.catalog.write(throwing: IngestError.self) { db in
            try IngestBatchRecord.finish(db, id: s.batchId, status: .failed, at: finishedAt, counts: s.counts)
            try workspace.audit.append(db, kind: .ingest, command: request.command, actor: request.actor,
                                  objectIds: ["batch:\(s.batchId)", "mailbox:\(mailbox)"],
                                  outcome: "failed: \(cause) Committed before the failure: found \(s.found), stored new \(s.storedNew), "
                                      + "already present \(s.alreadyPresent), flagged \(s.flagged)")
        }
    }

    /// One message after hashing, storing and parsing, with its catalog values already built (on the parsing
    /// threads, so that the single writer thread only binds and inserts).
    struct Processed: Sendable {
        /// Where the message came from (its bytes are dropped once stored).
        var raw: RawMessage
        var size: Int
        var sha256: String
        var newContent: Bool
        var message: CapturedMessage
        var keywordsJSON: String
        var flagsJSON: String
    }

    /// Messages per catalog transaction unless ``batchSize`` says otherwise. With a transaction for every 512
    /// messages, a 1,000,000-message archive wrote about 35 KB to the catalog's log and file per message captured
    /// (each new message lands on a different page of each SHA-256-keyed index); 4,096 write about a quarter less.
    public static let defaultBatchSize = 4096

    /// Messages read and parsed together: the part of a batch that is held in memory with its bytes.
    static let parseBatchSize = 512

    /// Batches that may wait for the committer or be committed at once (their rows hold metadata only: the bytes
    /// are in the store by then), so that parsing can go on while the disk makes earlier batches durable: about
    /// 4,096 messages' rows, and at least two batches.
    static func commitBacklog(batchSize: Int) -> Int { max(2, min(8, 4096 / max(1, batchSize))) }

    /// Reads the exports in `sources` into parts of at most `batchSize` messages and about `batchBytes` bytes, in
    /// order, handing each to `emit` (on the reader's thread); stops when `emit` says the consumer has gone.
    private static func read(_ sources: inout [any MessageSource], batchSize: Int, batchBytes: Int,
                             _ emit: ([RawMessage]) -> Bool) throws(IngestError) {
        for index in sources.indices {
            while true {
                var batch: [RawMessage] = []
                var size = 0
                while batch.count < batchSize && size < batchBytes, let m = try sources[index].next() {
                    // A message held in a file takes no memory for its bytes, but its parsed metadata waits for the
                    // commit like any other: it counts as 1 MB, so a batch holds at most 32 of them.
                    size += m.file == nil ? m.bytes.count : 1 << 20
                    batch.append(m)
                }
                if batch.isEmpty { break }
                guard emit(batch) else { return }
            }
        }
    }

    private func process(_ batch: [RawMessage]) throws(IngestError) -> [Processed] {
        // Hash first, so that the same bytes twice in one batch are stored by one thread only: the first copy
        // writes the file, the others are not new content. (A message held in a file is hashed as it is copied.)
        let shas = parallelMap(count: batch.count) { i in
            batch[i].file == nil ? batch[i].bytes.withUnsafeBytes { Digest.hex($0) } : ""
        }
        var seen = Set<String>()
        let storesFile = shas.map { seen.insert($0).inserted }
        let store = workspace.store
        // Which of them the catalog lists already: one read for the batch instead of one per message.
        let listing: ContentStore.Listing
        do throws(ArchiveError) { listing = try store.listing(of: shas.filter { !$0.isEmpty }) } catch { throw .archive(error) }
        let now = self.now
        let inFull = parseInFull
        let results = parallelMap(count: batch.count) { i -> Result<Processed, ArchiveError> in
            var raw = batch[i]
            let fallback: (Date, DateSource) = raw.deliveryTime.map { ($0, raw.deliveryTimeSource) } ?? (now, .captureTime)
            let stored: (sha256: String, isNew: Bool, parsed: ParsedMessage)
            do throws(ArchiveError) {
                if let file = raw.file {
                    // Too large for memory: copied into the store while hashed, then parsed from the stored file. It
                    // is copied from the file the reader opened (and checked), whatever its name points to now.
                    let source = raw.input?.path ?? file.path
                    let sha: String, isNew: Bool
                    do throws(ArchiveError) {
                        (sha, isNew) = try store.put(copyOf: source, offset: file.offset, length: file.length)
                    } catch {
                        if case .cannotRead(let path, let reason) = error, path == source { throw .cannotRead(file.path, reason: reason) }
                        throw error
                    }
                    let parsed: ParsedMessage
                    let range = try store.range(of: sha)
                    do throws(MIMEError) {
                        parsed = inFull
                            ? try MessageParser.parse(file: range, fromLine: raw.fromLine, sha256: sha, fallbackDate: fallback)
                            : try MessageParser.parseHeader(file: range, fromLine: raw.fromLine, sha256: sha, fallbackDate: fallback)
                    } catch { throw .cannotRead(error.path, reason: error.reason) }
                    stored = (sha, isNew, parsed)
                } else {
                    let sha = shas[i]
                    stored = try raw.bytes.withUnsafeBytes { buffer in
                        Result { () throws(ArchiveError) in
                            let isNew = storesFile[i] ? try store.put(buffer, sha256: sha, listing: listing) : false
                            let parsed = inFull
                                ? MessageParser.parse(buffer, fromLine: raw.fromLine, sha256: sha, fallbackDate: fallback)
                                : MessageParser.parseHeader(buffer, fromLine: raw.fromLine, sha256: sha, fallbackDate: fallback)
                            return (sha, isNew, parsed)
                        }
                    }.get()
                }
            } catch {
                return .failure(error)
            }
            let size = raw.size
            // The bytes are stored: the rows waiting for the catalog do not keep them.
            raw.bytes = Data()
            raw.file = nil
            raw.input = nil
            return .success(Processed(raw: raw, size: size, sha256: stored.sha256, newContent: stored.isNew,
                                      message: CapturedMessage(stored.parsed, inFull: inFull), keywordsJSON: JSONText.array(raw.keywords),
                                      flagsJSON: JSONText.array(raw.flags)))
        }
        var out: [Processed] = []
        out.reserveCapacity(batch.count)
        for r in results {
            switch r {
            case .success(let p): out.append(p)
            case .failure(let e): throw .archive(e)
            }
        }
        return out
    }

    static func isAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(where: { $0.isWhitespace })
    }
}

extension CapturedMessage {
    /// The catalog values of a parsed message: read in full, or only its header block (`inFull` false).
    init(_ p: ParsedMessage, inFull: Bool) {
        self.init(messageId: p.messageId, messageIdSynthetic: p.messageIdSynthetic,
                  date: p.date.map { ISOTimestamp.format($0, offsetMinutes: p.dateOffsetMinutes) },
                  dateEpoch: p.date.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, dateSource: p.dateSource.rawValue,
                  subject: p.subject, fromJSON: BatchWriter.addresses(p.from), toJSON: BatchWriter.addresses(p.to),
                  ccJSON: BatchWriter.addresses(p.cc), bccJSON: BatchWriter.addresses(p.bcc),
                  headerKeywordsJSON: JSONText.array(p.headerKeywords), attachmentCount: p.attachmentCount,
                  attachmentNamesJSON: JSONText.array(p.attachmentNames), defectsJSON: JSONText.array(p.defects),
                  flagged: p.isFlagged,
                  receivedEpoch: p.receivedDate.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, parsed: inFull)
    }
}

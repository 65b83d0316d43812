// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenIngest
import SluitsteenRetention
import SluitsteenSupport

extension MailboxFormat: ExpressibleByArgument {}

/// `sluitsteen ingest --mailbox ADDRESS PATH...`: takes mailbox exports into the archive.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Take mailbox exports (mbox, Maildir, .eml folders, PST/OST) into the archive, byte for byte.",
        discussion: """
            Every message is stored once by its SHA-256 and listed once per mailbox copy. Re-running the same \
            ingest adds nothing; after an interruption it completes what was left. Messages GMime cannot parse are \
            kept with a defect flag, never dropped. Ingest captures first and parses later: it reads each message's \
            header block (Message-ID, date, addresses, subject, keywords: what decisions need); `sluitsteen index` \
            reads the rest (attachments, the defects of the body) and adds the text to the full-text index (commands \
            that match terms do so by themselves). Until then `sluitsteen messages` says "nog niet volledig gelezen". \
            The mailbox must be in the mailbox register (a typo would make an unregistered mailbox whose mail is never \
            destroyed), unless --new-mailbox says it is new. `sluitsteen ingest undo BATCH` withdraws a batch nothing was done with yet.

            A PATH that is a symbolic link is followed (you named it; the summary notes it). Inside an export \
            nothing is followed: symbolic links, FIFOs and other special files in a Maildir or .eml folder are \
            skipped and listed as notes, as is a message file that a mail program moved away during the ingest. \
            If the ingest stops (an unreadable file, an mbox that changed while it was read), it says what was \
            committed before that; running it again adds only what is missing.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var actor: ActorOptions

    @Option(name: .long, help: ArgumentHelp("The mailbox these exports belong to (e.g. burgemeester@gemeente.nl).", valueName: "ADDRESS"))
    var mailbox: String

    @Option(name: .long, help: "Read PATH as this format instead of detecting it (mbox, maildir, eml, pst).")
    var format: MailboxFormat?

    @Flag(name: .long, help: "Take the mail in although the mailbox is not in the mailbox register (it stays unclassified until registered).")
    var newMailbox = false

    @Flag(name: .long, help: "Convert a password-protected PST anyway (readpst ignores the password). Refused by default.")
    var allowPstPassword = false

    @Option(name: .long, help: ArgumentHelp("Messages per catalog transaction (tuning; default 4096).", visibility: .hidden))
    var batchSize: Int = Ingestor.defaultBatchSize

    @Flag(name: .long, help: ArgumentHelp("Read every message in full now, as ingest did before it captured first (for comparisons).",
                                          visibility: .hidden))
    var parseInFull = false

    @OptionGroup var output: ProgressOptions

    @Argument(help: ArgumentHelp("mbox files, Maildir folders, folders of .eml files, PST/OST files.", valueName: "PATH"))
    var paths: [String]

    func run() throws {
        let ws = try workspace.open()
        let now = ws.clock.now()
        if let notice = try attempt({ try RetentionStore(workspace: ws).admitIngest(into: mailbox, allowNew: newMailbox) }) {
            printError("note: \(notice)")
        }
        let showProgress = output.showsProgress
        var request = IngestRequest(mailbox: mailbox, paths: paths.map { URL(fileURLWithPath: $0) }, format: format,
                                    actor: try actor.resolve(ws).auditText)
        request.allowPasswordProtectedPST = allowPstPassword
        let onProgress: @Sendable (IngestProgress) -> Void = { p in
            guard showProgress else { return }
            let mb = Double(p.bytes) / 1_000_000
            let rate = p.elapsed > 0 ? Double(p.messages) / p.elapsed : 0
            var line = String(format: "\r%d messages, %.1f MB, %.0f msg/s", p.messages, mb, rate)
            if let total = p.expectedBytes, total > 0, p.bytes > 0, p.elapsed > 0 {
                let remaining = Double(total - p.bytes) / (Double(p.bytes) / p.elapsed)
                line += String(format: ", %.0f%%, ETA %.0f s", 100 * Double(p.bytes) / Double(total), max(0, remaining))
            }
            FileHandle.standardError.write(Data((line + "   ").utf8))
        }
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.batchSize = max(1, batchSize)
        ingestor.parseInFull = parseInFull
        let summary: IngestSummary = try attempt {
            do throws(IngestError) { return try ingestor.run(request, progress: onProgress) } catch {
                // The error says what was committed before the ingest stopped; the notes say what it skipped.
                if case .stopped(_, let committed) = error {
                    if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
                    for n in committed.notices { printError("note: \(n)") }
                }
                throw error
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if output.json {
            print(JSONText.object([
                ("mailbox", .string(summary.mailbox)), ("batch", .int(summary.batchId)), ("formats", .strings(summary.formats)),
                ("found", .int(Int64(summary.found))), ("itemsFound", .int(Int64(summary.itemsFound))), ("storedNew", .int(Int64(summary.storedNew))),
                ("alreadyPresent", .int(Int64(summary.alreadyPresent))), ("flagged", .int(Int64(summary.flagged))),
                ("newContents", .int(Int64(summary.newContents))), ("bytes", .int(summary.bytes)),
                ("notMail", .raw(JSONText.object(summary.notMail.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) }))),
                ("failed", .strings(summary.failed)), ("notices", .strings(summary.notices)),
            ]))
        } else {
            print("Ingested into \(summary.mailbox) (batch \(summary.batchId)):")
            print("  found           \(summary.found)\(summary.itemsFound != summary.found ? " messages (\(summary.itemsFound) items in all)" : "")")
            print("  stored new      \(summary.storedNew)")
            print("  already present \(summary.alreadyPresent)")
            print("  flagged         \(summary.flagged)  (defects, missing Message-ID or fallback date; see `sluitsteen messages`)")
            if !parseInFull && summary.storedNew > 0 {
                print("  note: only the header blocks were read; `sluitsteen index` reads the rest (attachments, body defects, text)")
            }
            if !summary.notMail.isEmpty {
                print("  not mail        \(summary.notMail.values.reduce(0, +))")
                for (k, v) in summary.notMail.sorted(by: { $0.key < $1.key }) { print("    \(k): \(v)") }
            }
            if !summary.failed.isEmpty {
                print("  failed          \(summary.failed.count)")
                for f in summary.failed { print("    \(f)") }
            }
            for n in summary.notices { print("  note: \(n)") }
        }
    }
}

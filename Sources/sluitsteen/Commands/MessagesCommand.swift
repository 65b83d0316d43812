// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenSupport

/// `sluitsteen messages [--mailbox ADDRESS] [--json]`: lists catalog entries, one per mailbox copy, with where each
/// stands; `--query WORDS` searches instead (as `sluitsteen search WORDS`).
struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "List the message copies in the archive (metadata only), with their state.",
        discussion: """
            One line per copy: the copy's number (give it to explain, optout mark and destroy exclude as --copy NUMBER), \
            the date, the mailbox, the folder, the sender, the subject, the state (aanwezig, vernietigd (VL-…), \
            verwijderd (opt-out), overgebracht (pakket …)) and, for a copy flagged at capture, the reason. A message ingest \
            read only the header block of says "nog niet volledig gelezen": its attachments and the defects of its body \
            follow from `sluitsteen index` (in --json: "parsePending": true, attachmentCount and attachments null). Of a destroyed \
            or purged message only what may lawfully remain is shown: its date and its Message-ID (after "(onderwerp niet \
            bewaard)"); sender and folder read "niet bewaard". --query WORDS searches the text as `sluitsteen search WORDS` does.
            """)

    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: ArgumentHelp("Only this mailbox.", valueName: "ADDRESS"))
    var mailbox: String?

    @Option(name: .long, help: ArgumentHelp("Search the text instead of listing (as `sluitsteen search WORDS`).", valueName: "WORDS"))
    var query: String?

    @Flag(name: .long, help: "One JSON object per line.")
    var json = false

    /// Characters of a header value shown in the listing; a longer one (a catalog written before ingest bounded
    /// header values, or a hostile message) is cut and marked, the full value stays in the message itself.
    static let valueMax = 1_000

    /// `text` cut to ``valueMax`` characters, ending in ` […]` when cut.
    static func bounded(_ text: String) -> String {
        text.utf8.count <= valueMax || text.count <= valueMax ? text : String(text.prefix(valueMax)) + " […]"
    }

    func run() throws {
        if let query {
            let arguments = [query] + (mailbox.map { ["--mailbox", $0] } ?? []) + ["--include-gone"] + (json ? ["--json"] : [])
            var search = try SearchCommand.parse(arguments)
            search.workspace = workspace
            try search.run()
            return
        }
        let ws = try workspace.open()
        var out = FileOutput()
        try attempt {
            try ws.catalog.forEachListedCopy(mailbox: mailbox) { listed, standing in
                var copy = listed
                copy.subject = Self.bounded(copy.subject)
                copy.messageId = Self.bounded(copy.messageId)
                copy.keywords = copy.keywords.map(Self.bounded)
                copy.attachmentNames = copy.attachmentNames.map(Self.bounded)
                let reasons = CopyLine.flagReasons(copy, standing)
                if json {
                    var line = copy.jsonLine
                    line.removeLast()  // the closing brace: the listing's own fields follow
                    line += "," + JSONText.object([
                        ("copy", .int(copy.copyId)), ("stateText", .string(standing.dutch)),
                        ("destructionList", standing.destructionList.map { .string($0) } ?? .null),
                        ("package", standing.package.map { .string($0) } ?? .null),
                        ("sender", .string(CopyLine.sender(copy.fromJSON, standing))), ("descriptionKept", .bool(standing.descriptionKept)),
                        ("flagReasons", .strings(reasons)),
                    ]).dropFirst()
                    out.write(line)
                } else {
                    out.write(CopyLine.text(number: copy.copyId, date: copy.date, mailbox: copy.mailbox, folder: copy.folder,
                                            messageId: copy.messageId,
                                            sender: CopyLine.sender(copy.fromJSON, standing), subject: copy.subject, standing: standing,
                                            status: standing.dutch, flagReasons: reasons, parsePending: copy.parsePending))
                }
            }
        }
        out.flush()
    }
}

/// One line of a listing of copies (`messages`, `search`): the same columns in the same words everywhere.
enum CopyLine {
    /// Width of the number column.
    static let numberWidth = 7

    /// The line: number, date, mailbox, folder, sender, subject, [state], and the flag's reasons. Values from mail are
    /// shown inert, so that none can forge a line or move the cursor.
    static func text(number: Int64, date: String?, mailbox: String, folder: String, messageId: String, sender: String, subject: String,
                     standing: CopyStanding, status: String, flagReasons: [String], parsePending: Bool = false) -> String {
        let n = String(number)
        let day = date.map { String($0.prefix(10)) } ?? "(geen datum)"
        var flag = flagReasons.isEmpty ? "" : "  [let op: \(flagReasons.joined(separator: "; "))]"
        if parsePending { flag += "  [\(Self.parsePendingText)]" }
        return SafeText.terminal(n.padding(toLength: max(numberWidth, n.count), withPad: " ", startingAt: 0) + " \(day)  \(mailbox)  "
            + "\(Self.folder(folder))  \(sender)  \(Self.subject(subject, standing, messageId: messageId))  [\(status)]\(flag)")
    }

    /// What a line says of a message whose body is not read yet (ingest read its header block only).
    static let parsePendingText = "nog niet volledig gelezen: bijlagen en gebreken volgen uit sluitsteen index"

    /// The folder as shown: `.` for the top, "(map niet bewaard)" for a tombstone's digest.
    static func folder(_ folder: String) -> String {
        Tombstone.isFolderKey(folder) ? "(map niet bewaard)" : folder.isEmpty ? "." : folder
    }

    /// The subject as shown: an empty subject of a scrubbed message was not kept, not absent; the Message-ID, which
    /// is kept, stands beside it so that the line still says which message it was.
    static func subject(_ subject: String, _ standing: CopyStanding, messageId: String) -> String {
        guard subject.isEmpty else { return subject }
        return standing.descriptionKept ? "(geen onderwerp)" : "(onderwerp niet bewaard) \(messageId)"
    }

    /// The first sender ("Name <address>"), or why there is none.
    static func sender(_ fromJSON: String, _ standing: CopyStanding) -> String {
        if let first = CatalogAddress.list(json: fromJSON).first?.text, !first.isEmpty { return first }
        return standing.descriptionKept ? "(geen afzender)" : "(afzender niet bewaard)"
    }

    /// Why the copy was flagged at capture, in words (empty when it was not).
    static func flagReasons(_ copy: CatalogCopy, _ standing: CopyStanding) -> [String] {
        guard copy.flagged else { return [] }
        if copy.defects.isEmpty { return [standing.descriptionKept ? "gemarkeerd bij het vastleggen" : "reden niet bewaard"] }
        return copy.defects.map(MessageDefect.dutch(code:))
    }
}

/// Buffered standard output for long listings.
struct FileOutput {
    private var buffer = Data()
    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive

/// `sluitsteen messages [--mailbox ADDRESS] --json`: lists catalog entries, one per mailbox copy.
struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "List the message copies in the archive (metadata only).")

    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: ArgumentHelp("Only this mailbox.", valueName: "ADDRESS"))
    var mailbox: String?

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
        let ws = try workspace.open()
        var out = FileOutput()
        try attempt {
            try ws.catalog.forEachCopy(mailbox: mailbox) { listed in
                var copy = listed
                copy.subject = Self.bounded(copy.subject)
                copy.messageId = Self.bounded(copy.messageId)
                copy.keywords = copy.keywords.map(Self.bounded)
                copy.attachmentNames = copy.attachmentNames.map(Self.bounded)
                if json {
                    out.write(copy.jsonLine)
                } else {
                    let date = copy.date.map { String($0.prefix(10)) } ?? "(geen datum)"
                    let flag = copy.flagged ? " [!]" : ""
                    // Subjects and folder names come from mail: shown inert, so that none can forge a line or move the cursor.
                    out.write(SafeText.terminal("\(copy.mailbox)  \(copy.folder.isEmpty ? "." : copy.folder)  \(date)  "
                        + "\(copy.subject.isEmpty ? "(geen onderwerp)" : copy.subject)\(flag)"))
                }
            }
        }
        out.flush()
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

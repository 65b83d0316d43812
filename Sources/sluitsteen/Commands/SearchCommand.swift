// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension MessageClass: ExpressibleByArgument {}
extension RetentionAction: ExpressibleByArgument {}

/// `sluitsteen search [WORDS] [filters]`: find message copies by words in their text and by their metadata.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find message copies: words in the subject and text, and filters on mailbox, period, sender, class and more.",
        discussion: """
            Words must all occur (accents and case do not matter); put a phrase in double quotes. Filters combine. \
            The first column is the copy's number: give it to explain, optout mark and destroy exclude as --copy NUMBER. \
            --folder matches a part of the folder's name; --hold is --woo. Searching reads the full-text index as it is: run `sluitsteen index` \
            first after a large ingest. Results are metadata only; the command line reads no message content.
            """)

    /// The state in words, with the action decided now for a copy in the archive, in words too
    /// (e.g. `aanwezig; vernietiging is aan de orde`; the JSON gives the action's code).
    static func status(_ h: SearchHit, _ standing: CopyStanding?) -> String {
        let words = standing?.dutch ?? CopyStanding(state: h.state).dutch
        return h.action.map { "\(words); \($0.dutchName)" } ?? words
    }

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var policy: PolicyOptions
    @Argument(help: ArgumentHelp("Words to find (all of them; \"a phrase\" in quotes).", valueName: "WORDS")) var words: [String] = []
    @Option(name: .long, help: ArgumentHelp("Only this mailbox (repeat for more).", valueName: "ADDRESS")) var mailbox: [String] = []
    @Option(name: .long, help: ArgumentHelp("Message date from (YYYY-MM-DD).", valueName: "DATE")) var from: String?
    @Option(name: .long, help: ArgumentHelp("Message date to, inclusive (YYYY-MM-DD).", valueName: "DATE")) var to: String?
    @Option(name: .long, help: ArgumentHelp("A part of the sender's address or name.", valueName: "TEXT")) var sender: String?
    @Option(name: .long, help: ArgumentHelp("A part of a recipient's address or name (To, Cc, Bcc).", valueName: "TEXT")) var recipient: String?
    @Option(name: .long, help: ArgumentHelp("A part of the folder's name.", valueName: "TEXT")) var folder: String?
    @Flag(name: .long, help: "Only messages with attachments (known once `sluitsteen index` has read them).") var withAttachments = false
    @Option(name: .long, help: ArgumentHelp("Only what this hotspot covers (its name).", valueName: "NAME")) var hotspot: String?
    @Option(name: [.long, .customLong("hold")],
            help: ArgumentHelp("Only what this Woo request holds (hold id or zaaknummer).", valueName: "ID"))
    var woo: String?
    @Option(name: .customLong("class"), help: ArgumentHelp("Only this class (key-person, staff, functional, unclassified).", valueName: "CLASS"))
    var messageClass: MessageClass?
    @Option(name: .long, help: ArgumentHelp("Only this action as decided now (e.g. destroy-due, hold, purge-optout).", valueName: "ACTION"))
    var action: RetentionAction?
    @Flag(name: .long, help: "Also list destroyed, purged and transferred copies.") var includeGone = false
    @Option(name: .long, help: "Page (1 = the newest messages).") var page = 1
    @Option(name: .long, help: "Results per page (at most 500).") var pageSize = 50
    @Flag(name: .long, help: "One JSON object per line, then a summary object.") var json = false

    func run() throws {
        let ws = try workspace.open()
        let inForce = try policy.resolve(ws)
        let query = SearchQuery(
            text: words.isEmpty ? nil : words.joined(separator: " "), mailboxes: mailbox, from: try civilDate(from, option: "--from"),
            to: try civilDate(to, option: "--to"), sender: sender, recipient: recipient, folder: folder,
            hasAttachments: withAttachments ? true : nil,
            hotspot: hotspot, wooRequest: woo, messageClass: messageClass, action: action, includeGone: includeGone, page: page,
            pageSize: pageSize)
        let result = try attempt { try ArchiveSearch(workspace: ws, policy: inForce.policy).run(query, scope: nil) }
        if withAttachments {
            // Attachments are known once a message is read in full (`index`); ingest reads only the header block.
            let pending = try attempt { try ws.catalog.read { db in try MessageText.parsePendingCount(db) } }
            if pending > 0 {
                printError("note: \(pending) messages are not read in full yet (run `sluitsteen index`): their attachments are not known, "
                           + "so they are not among these results")
            }
        }
        let standings = try attempt { try ws.catalog.standings(copyIds: Set(result.hits.map(\.copyId))) }
        var out = FileOutput()
        if json {
            for h in result.hits {
                out.write(JSONText.object([
                    ("copy", .int(h.copyId)), ("mailbox", .string(h.mailbox)), ("folder", .string(h.folder)), ("messageId", .string(h.messageId)),
                    ("date", h.date.map { .string($0) } ?? .null), ("sender", .string(h.sender)), ("subject", .string(h.subject)),
                    ("attachments", .int(Int64(h.attachmentCount))), ("state", .string(h.state.rawValue)),
                    ("class", h.messageClass.map { .string($0.rawValue) } ?? .null), ("action", h.action.map { .string($0.rawValue) } ?? .null),
                    ("rules", .strings(h.rules.map(\.description))),
                    ("stateText", .string((standings[h.copyId] ?? CopyStanding(state: h.state)).dutch)),
                    ("destructionList", standings[h.copyId]?.destructionList.map { .string($0) } ?? .null),
                    ("package", standings[h.copyId]?.package.map { .string($0) } ?? .null),
                ]))
            }
            out.write(JSONText.object([("total", .int(Int64(result.total))), ("page", .int(Int64(result.page))),
                                       ("pages", .int(Int64(result.pages))), ("pageSize", .int(Int64(result.pageSize)))]))
        } else {
            out.write("\(result.total) cop\(result.total == 1 ? "y" : "ies") found; page \(result.page) of \(result.pages).")
            for h in result.hits {
                let standing = standings[h.copyId] ?? CopyStanding(state: h.state)
                out.write(CopyLine.text(number: h.copyId, date: h.date, mailbox: h.mailbox, folder: h.folder, messageId: h.messageId,
                                        sender: h.sender.isEmpty ? CopyLine.sender("[]", standing) : h.sender, subject: h.subject,
                                        standing: standing, status: Self.status(h, standing), flagReasons: []))
            }
            if result.pages > result.page { out.write("Next page: add --page \(result.page + 1)") }
        }
        out.flush()
    }
}

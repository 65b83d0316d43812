// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension OptOutGround: ExpressibleByArgument {}

/// `sluitsteen optout mark|import|undo|purge`: employees' exclusions of private or informal mail.
struct OptOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optout",
        abstract: "Exclude private or informal mail from retention, within the opt-out window (10 weeks by default).",
        subcommands: [Mark.self, Import.self, Undo.self, OptOutPurgeCommand.self])

    struct Mark: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark one message as private or informal (refused after the window closed).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, help: ArgumentHelp("Mailbox of the message.", valueName: "ADDRESS")) var mailbox: String
        @Option(name: .customLong("message-id"), help: ArgumentHelp("Message-ID (with or without < >).", valueName: "ID")) var messageId: String
        @Option(name: .long, help: "private or informal") var ground: OptOutGround

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let closes = try attempt {
                try RetentionStore(workspace: ws).markOptOut(mailbox: mailbox, messageId: messageId, ground: ground, policy: inForce.policy,
                                                             actor: try actor.resolve(ws), source: "mark")
            }
            print(SafeText.terminal("Opted out (\(ground.rawValue)): \(Catalog.canonicalMessageId(messageId)) in \(mailbox.lowercased()); the window closes on \(closes.iso)."))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark many messages from a CSV file: mailbox,message_id,ground (header required).",
            discussion: "Every row is checked first; if any row is refused, nothing is marked and every refusal is listed with its line.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("CSV file with mailbox,message_id,ground.", valueName: "FILE")) var file: String

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let rows = try OptOutCSV.read(file)
            let store = RetentionStore(workspace: ws)
            let outcomes = try attempt { try store.markOptOuts(rows.map { ($0.mailbox, $0.messageId, $0.ground) }, policy: inForce.policy, actor: try actor.resolve(ws)) }
            var refused = 0
            for (row, outcome) in zip(rows, outcomes) {
                if case .failure(let e) = outcome { refused += 1; printError("\(file):\(row.line): \(e.description)") }
            }
            if refused > 0 {
                throw CLIError("\(refused) of \(rows.count) rows refused; nothing was marked. Correct the file and import it again.")
            }
            print(SafeText.terminal("Opted out \(rows.count) message\(rows.count == 1 ? "" : "s") from \(file)."))
        }
    }

    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw an opt-out: the message is kept under the normal rules again.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, help: ArgumentHelp("Mailbox of the message.", valueName: "ADDRESS")) var mailbox: String
        @Option(name: .customLong("message-id"), help: ArgumentHelp("Message-ID.", valueName: "ID")) var messageId: String
        @Option(name: .long, help: "Why the opt-out is withdrawn.") var reason: String = "withdrawn by the employee"

        func run() throws {
            let ws = try workspace.open()
            let n = try attempt { try RetentionStore(workspace: ws).undoOptOut(mailbox: mailbox, messageId: messageId, reason: reason, actor: try actor.resolve(ws)) }
            print(SafeText.terminal("Withdrawn \(n) opt-out mark\(n == 1 ? "" : "s") for \(Catalog.canonicalMessageId(messageId)) in \(mailbox.lowercased())."))
        }
    }
}

/// Rows of an opt-out CSV file, read with the package's CSV reader (RFC 4180: a quoted field may hold a comma).
enum OptOutCSV {
    struct Row { var line: Int; var mailbox: String; var messageId: String; var ground: OptOutGround }

    static func read(_ file: String) throws -> [Row] {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw CLIError("cannot read \(file): \(error.localizedDescription)") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIError("\(file) is empty; expected a header line mailbox,message_id,ground")
        }
        let table: CSVTable
        do { table = try CSVTable(text: text) } catch { throw CLIError("\(file):\(error.line), column \(error.column): \(error.message)") }
        let names = table.header
        guard let mi = names.firstIndex(of: "mailbox"), let ii = names.firstIndex(of: "message_id"), let gi = names.firstIndex(of: "ground") else {
            throw CLIError("\(file):\(table.headerLine): the header must name the columns mailbox,message_id,ground")
        }
        var rows: [Row] = []
        var problems: [String] = []
        for record in table.records {
            let cols = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            // A line of nothing but spaces is left out, as an empty line is.
            if cols.count == 1 && cols[0].isEmpty { continue }
            guard cols.count == names.count else {
                problems.append("\(file):\(record.line): expected \(names.count) columns, found \(cols.count)"); continue
            }
            guard let ground = OptOutGround(rawValue: cols[gi].lowercased()) else {
                problems.append("\(file):\(record.line), column \(gi + 1) (ground): '\(cols[gi])' is not private or informal"); continue
            }
            rows.append(Row(line: record.line, mailbox: cols[mi], messageId: cols[ii], ground: ground))
        }
        guard problems.isEmpty else { throw CLIError(problems.joined(separator: "\n")) }
        return rows
    }
}

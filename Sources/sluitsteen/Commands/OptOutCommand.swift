// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension OptOutGround: ExpressibleByArgument {}

/// `sluitsteen optout mark|import|undo|purge`: employees' exclusions of private or informal mail.
struct OptOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optout",
        abstract: "Exclude private or informal mail from retention, within the opt-out window (10 weeks by default).",
        subcommands: [Mark.self, Import.self, Undo.self, ListMarks.self, OptOutPurgeCommand.self])

    struct Mark: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark one message as private or informal (refused after the window closed).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var target: CopyOptions
        @Option(name: .long, help: "private or informal") var ground: OptOutGround

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            // A copy number names the message in its mailbox: the mark covers every copy of it there.
            let copies = try target.resolve(ws)
            guard let copy = copies.first(where: { $0.state == .present }) else {
                let standing = try attempt { try ws.catalog.standings(copyIds: [copies[0].copyId]) }[copies[0].copyId]
                throw CLIError("copy \(copies[0].copyId) (\(copies[0].messageId)) is no longer in the archive "
                    + "(\(standing?.dutch ?? copies[0].state.rawValue)); there is nothing to opt out")
            }
            let closes = try attempt {
                try RetentionStore(workspace: ws).markOptOut(mailbox: copy.mailbox, messageId: copy.messageId, ground: ground,
                                                             policy: inForce.policy, actor: try actor.resolve(ws), source: "mark")
            }
            print(SafeText.terminal("Opted out (\(ground.rawValue)): \(copy.messageId) (copy \(copy.copyId)) in \(copy.mailbox); "
                + "the window closes on \(closes.iso)."))
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
            let outcomes = try attempt {
                try store.markOptOuts(rows.map { ($0.mailbox, $0.messageId, $0.ground) }, policy: inForce.policy, actor: try actor.resolve(ws))
            }
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
        @OptionGroup var target: CopyOptions
        @Option(name: .long, help: "Why the opt-out is withdrawn.") var reason: String = "withdrawn by the employee"

        func run() throws {
            let ws = try workspace.open()
            let copy = try target.resolve(ws)[0]
            let n = try attempt {
                try RetentionStore(workspace: ws).undoOptOut(mailbox: copy.mailbox, messageId: copy.messageId, reason: reason,
                                                             actor: try actor.resolve(ws))
            }
            print(SafeText.terminal("Withdrawn \(n) opt-out mark\(n == 1 ? "" : "s") for \(copy.messageId) in \(copy.mailbox)."))
        }
    }
}

extension OptOutCommand {
    struct ListMarks: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the opt-outs in force per mailbox: message, ground, who marked it, when the window closes.",
            discussion: """
                While the window is open a mark can be undone (`optout undo --copy NUMBER`); after it closes the purge \
                (`optout purge`) removes the message unread. Dates are Amsterdam days.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @Option(name: .long, help: ArgumentHelp("Only this mailbox.", valueName: "ADDRESS")) var mailbox: String?
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let rows = try attempt { try RetentionStore(workspace: ws).optOutListing(policy: inForce.policy, mailbox: mailbox) }
            let now = Instant(ws.clock.now())
            var out = FileOutput()
            if !json {
                out.write(rows.isEmpty ? "Geen opt-outs van kracht\(mailbox.map { " in \($0.lowercased())" } ?? "")."
                                       : "\(rows.count) opt-out\(rows.count == 1 ? "" : "s") van kracht.")
            }
            var current: String?
            for r in rows {
                let closes = r.closesAt.map { AmsterdamTime.date(of: $0) }
                let open = r.isOpen(at: now)
                if json {
                    out.write(JSONText.object([
                        ("mailbox", .string(r.mailbox)), ("messageId", .string(r.messageId)),
                        ("copies", .raw("[" + r.copyIds.map(String.init).joined(separator: ",") + "]")), ("ground", .string(r.ground.rawValue)),
                        ("markedAt", .string(ISOTimestamp.format(Date(timeIntervalSince1970: TimeInterval(r.markedAt.secondsSinceEpoch))))),
                        ("markedBy", r.markedBy.map { .string($0) } ?? .null), ("windowCloses", closes.map { .string($0.iso) } ?? .null),
                        ("windowOpen", .bool(open)), ("state", r.state.map { .string($0.rawValue) } ?? .null),
                    ]))
                    continue
                }
                if r.mailbox != current {
                    current = r.mailbox
                    out.write("\n\(r.mailbox)")
                }
                let copies = r.copyIds.isEmpty ? "niet in de catalogus" : "kopie " + r.copyIds.map(String.init).joined(separator: ", ")
                let window = closes.map { "termijn \(open ? "sluit" : "gesloten op") \(DutchText.date($0))" } ?? "termijn onbekend"
                let state = r.state.map { CopyStanding(state: $0).dutch } ?? "—"
                let marked = DutchText.date(AmsterdamTime.date(of: r.markedAt)) + (r.markedBy.map { " door \($0)" } ?? "")
                out.write(SafeText.terminal("  \(copies)  \(r.messageId)  \(r.ground.dutch)  gemarkeerd \(marked)  \(window)  [\(state)]"))
            }
            out.flush()
        }
    }
}

/// Rows of an opt-out CSV file, read with the package's CSV reader (RFC 4180: a quoted field may hold a comma).
enum OptOutCSV {
    struct Row { var line: Int; var mailbox: String; var messageId: String; var ground: OptOutGround }

    static func read(_ file: String) throws -> [Row] {
        let text: String
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CLIError("cannot read \(file): \(error.localizedDescription)", status: .unreadable)
        }
        do throws(CSVText.Refusal) { text = try CSVText.decode(data).text } catch { throw CLIError("\(file): \(error)") }
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

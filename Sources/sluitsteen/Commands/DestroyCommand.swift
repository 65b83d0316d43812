// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// `sluitsteen destroy …`: vernietigingslijsten from proposal to the verklaring van vernietiging.
struct DestroyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Propose, approve and execute vernietigingslijsten (destruction lists).",
        discussion: """
            A list holds every copy whose action is destroy-due. It needs the approvals the policy requires, in \
            order (default: div, then archivist); after the last approval the bedenktijd runs; then `execute` \
            re-decides every item, destroys what is still due and writes the verklaring van vernietiging.
            """,
        subcommands: [Propose.self, Exclude.self, Approve.self, Reject.self, Cancel.self, Execute.self, Show.self, ListLists.self])

    /// `--as-of YYYY-MM-DD`, parsed.
    static func date(_ text: String?) throws -> CivilDate? {
        guard let text else { return nil }
        guard let d = CivilDate(iso: text) else { throw CLIError("--as-of '\(text)' is not a date; write it as YYYY-MM-DD (e.g. 2033-01-01)") }
        return d
    }

    static func policy(_ explicit: String?, _ ws: Workspace) throws -> PolicyInForce {
        try attempt { try PolicyInForce.resolve(explicit: explicit, workspace: ws) }
    }

    struct Propose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "propose", abstract: "Make a vernietigingslijst of every copy that is destroy-due.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, help: ArgumentHelp(
            "Decide as of the end of this day, not later than today (default: now). A later date is refused: use `plan --as-of` to look ahead.",
            valueName: "YYYY-MM-DD"))
        var asOf: String?
        @Option(name: .long, help: ArgumentHelp("Only this mailbox (repeat for more).", valueName: "ADDRESS"))
        var mailbox: [String] = []
        @Option(name: .long, help: ArgumentHelp("Policy file (default: the workspace's, else the shipped default).", valueName: "FILE"))
        var policy: String?
        @Flag(name: .long, help: "Also write an item list with subjects for the approvers (removed after execution).")
        var withSubjects = false
        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() throws {
            let ws = try workspace.open()
            let asOfDate = try DestroyCommand.date(asOf)
            let moment = try attempt { try DecisionMoment.present(asOf: asOfDate, now: ws.clock.now(), command: "destroy propose") }
            let pif = try DestroyCommand.policy(policy, ws)
            let by = try actor.resolve(ws)
            let proposal = try attempt {
                try DestructionLists(workspace: ws).propose(policy: pif, asOf: asOfDate, mailboxes: mailbox.isEmpty ? nil : mailbox,
                                                            withSubjects: withSubjects, actor: by)
            }
            guard let p = proposal else {
                if json {
                    print(JSONText.object([("listId", .null), ("asOf", .string(moment.date.iso)), ("items", .raw("[]"))]))
                } else {
                    print("Nothing is destroy-due as of \(moment.date.iso) (or it is already on an open list); no list was made.")
                }
                return
            }
            let s = p.snapshot
            if json {
                print(s.json(subjects: withSubjects ? p.subjects : [:], extra: [
                    ("documents", .raw(JSONText.object([
                        ("html", .string(p.documents.html.path)), ("csv", .string(p.documents.csv.path)), ("json", .string(p.documents.json.path)),
                        ("csvWithSubjects", p.documents.csvWithSubjects.map { .string($0.path) } ?? .null),
                    ]))),
                    ("csvSHA256", .string(p.documents.csvSHA256)), ("alreadyListed", .int(Int64(p.alreadyListed))),
                ]))
                return
            }
            print("Vernietigingslijst \(s.list.id): \(s.onList.count) item(s) in \(s.categories.count) " +
                  "categor\(s.categories.count == 1 ? "y" : "ies"), destroy-due as of \(s.list.asOf)")
            for c in s.categories {
                print("  \(c.key.label): \(c.count) message(s), \(c.periodFrom ?? "?") – \(c.periodTo ?? "?"), \(c.size) bytes; " +
                      "\(c.mailboxes.joined(separator: ", "))")
            }
            if p.alreadyListed > 0 { print("  (\(p.alreadyListed) destroy-due cop(ies) left out: already on an open list)") }
            print("For the approvers: \(p.documents.html.path)")
            print("Item list: \(p.documents.csv.path) and \(p.documents.json.path)")
            if let subj = p.documents.csvWithSubjects { print("With subjects: \(subj.path)") }
            print("Next: sluitsteen destroy approve \(s.list.id) --role \(s.pendingRoles.first ?? "?") --by PERSON_ID")
        }
    }

    struct Exclude: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exclude", abstract: "Take a message off a list, with a reason (uitzonderen).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The list id, e.g. VL-2026-001.", valueName: "LIST")) var list: String
        @OptionGroup var target: CopyOptions
        @Option(name: .long, help: ArgumentHelp("Why it is taken off (recorded on the list).", valueName: "TEXT")) var reason: String

        func run() throws {
            let ws = try workspace.open()
            let by = try actor.resolve(ws)
            // A copy number names the message in its mailbox: every item of it in that mailbox is taken off.
            let copy = try target.resolve(ws)[0]
            let n = try attempt {
                try DestructionLists(workspace: ws).exclude(list, mailbox: copy.mailbox, messageId: copy.messageId, reason: reason,
                                                            actor: by)
            }
            print("Took \(n) item(s) off \(list): \(SafeText.terminal(copy.messageId)) in \(SafeText.terminal(copy.mailbox)).")
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Approve a list in one of the roles the policy requires, in order.",
            discussion: """
                The approver is a registered person (--by PERSON_ID from people.csv) with an approver period for the role \
                on today's date in approvers.csv (columns person_id,approver_role,valid_from,valid_to). Each role is \
                approved by another person (four eyes, compared by person id).
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: PersonOptions
        @Argument(help: ArgumentHelp("The list id.", valueName: "LIST")) var list: String
        @Option(name: .long, help: ArgumentHelp("The approving role (e.g. div, archivist).", valueName: "ROLE")) var role: String
        @Flag(name: .long, help: "Print the list as one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let by = try actor.resolve(ws)
            let s = try attempt { try DestructionLists(workspace: ws).approve(list, role: role, actor: by) }
            if json { print(s.json()); return }
            print("Approved \(list) as \(role) (\(s.list.roleName(role))) by \(SafeText.terminal(by.documentText)).")
            if let next = s.pendingRoles.first {
                print("Next: approval as \(next).")
            } else if let from = s.list.executableFrom {
                print("Fully approved. The bedenktijd (\(s.list.bedenktijd.iso)) runs until \(from.iso); then run `sluitsteen destroy execute " +
                      "\(list)`.")
                print("Item list SHA-256: \(s.list.itemListSHA256 ?? "?")")
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a list (it will never be executed).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The list id.", valueName: "LIST")) var list: String
        @Option(name: .long, help: ArgumentHelp("Why it is rejected.", valueName: "TEXT")) var reason: String
        @Option(name: .long, help: ArgumentHelp("The role rejecting it (optional).", valueName: "ROLE")) var role: String?

        func run() throws {
            let ws = try workspace.open()
            let by = try actor.resolve(ws)
            try attempt { try DestructionLists(workspace: ws).reject(list, reason: reason, role: role, actor: by) }
            print("Rejected \(list): \(SafeText.terminal(reason))")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Withdraw a list before it is executed.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The list id.", valueName: "LIST")) var list: String
        @Option(name: .long, help: ArgumentHelp("Why it is withdrawn (optional).", valueName: "TEXT")) var reason: String?

        func run() throws {
            let ws = try workspace.open()
            let by = try actor.resolve(ws)
            try attempt { try DestructionLists(workspace: ws).cancel(list, reason: reason, actor: by) }
            print("Cancelled \(list).")
        }
    }

    struct Execute: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "execute",
            abstract: "Destroy what an approved list holds once the bedenktijd is over, and write the verklaring van vernietiging.",
            discussion: """
                Every item is decided again at the moment of execution (never as of the proposal's date), and once more \
                in the transaction that deletes it: what is no longer destroy-due now (a Woo hold came in, the rules \
                changed) is skipped and reported. After an interruption, run it again to finish.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The list id.", valueName: "LIST")) var list: String
        @Option(name: .long, help: ArgumentHelp(
            "Not needed: execution always decides as of now. A date after today is refused; an earlier one changes nothing.",
            valueName: "YYYY-MM-DD"))
        var asOf: String?
        @Option(name: .long, help: ArgumentHelp("Policy file (default: the workspace's, else the shipped default).", valueName: "FILE"))
        var policy: String?
        @Flag(name: .long, help: "Print one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open()
            if let date = try DestroyCommand.date(asOf) {
                _ = try attempt { try DecisionMoment.present(asOf: date, now: ws.clock.now(), command: "destroy execute") }
                printError("note: --as-of is not used by execute: every item is decided again as of now.")
            }
            let pif = try DestroyCommand.policy(policy, ws)
            let by = try actor.resolve(ws)
            let o = try attempt { try DestructionExecution(workspace: ws).execute(list, policy: pif, actor: by) }
            if json {
                print(JSONText.object([
                    ("listId", .string(o.listId)), ("destroyed", .int(Int64(o.destroyed))),
                    ("destroyedSize", .int(o.verklaring.destroyedSize)),
                    ("skipped", .raw("[" + o.skipped.map { i in
                        JSONText.object([("mailbox", .string(i.mailbox)), ("sha256", .string(i.sha256)), ("messageId", .string(i.messageId)),
                                         ("date", i.date.map { .string($0) } ?? .null), ("reason", .string(i.reason ?? ""))])
                    }.joined(separator: ",") + "]")),
                    ("verklaringHtml", .string(o.verklaringHtml.path)), ("verklaringJson", .string(o.verklaringJson.path)),
                    ("itemListSHA256", .string(o.verklaring.itemListSHA256)), ("resumed", .bool(o.resumed)),
                ]))
                return
            }
            print("Executed \(o.listId)\(o.resumed ? " (finished an interrupted run)" : ""): \(o.destroyed) destroyed " +
                  "(\(o.verklaring.destroyedSize) bytes), \(o.skipped.count) skipped.")
            for i in o.skipped { print(SafeText.terminal("  skipped \(i.mailbox) \(i.messageId): \(i.reason ?? "")")) }
            print("Verklaring van vernietiging: \(o.verklaringHtml.path)")
            print("                             \(o.verklaringJson.path)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a list: status, approvals, categories.")
        @OptionGroup var workspace: WorkspaceOptions
        @Argument(help: ArgumentHelp("The list id.", valueName: "LIST")) var list: String
        @Flag(name: .long, help: "Print one JSON object (with the items).") var json = false

        func run() throws {
            let ws = try workspace.open()
            let s = try attempt { try DestructionLists(workspace: ws).show(list) }
            if json { print(s.json()); return }
            let l = s.list
            print(SafeText.terminal("\(l.id) (\(l.kind.rawValue)): \(l.status.rawValue); as of \(l.asOf); proposed \(l.proposedAt) by " +
                                    "\(l.proposedBy)"))
            print("  items: \(s.onList.count) on the list, \(s.excluded.count) excluded")
            for c in s.categories { print("  \(c.key.label): \(c.count), \(c.periodFrom ?? "?") – \(c.periodTo ?? "?"), \(c.size) bytes") }
            for a in s.approvals { print(SafeText.terminal("  approved as \(a.role) (\(l.roleName(a.role))) by " +
                                                           "\(a.name)\(a.personId.map { " (\($0))" } ?? "") at \(a.at)")) }
            if !s.pendingRoles.isEmpty, l.status == .proposed { print("  awaiting approval as: \(s.pendingRoles.joined(separator: ", then "))") }
            if let from = l.executableFrom, l.status == .approved { print("  executable from \(from.iso) (bedenktijd \(l.bedenktijd.iso))") }
            if let at = l.closedAt { print(SafeText.terminal("  \(l.status.rawValue) at \(at) by " +
                                                             "\(l.closedBy ?? "?")\(l.closeReason.map { ": " + $0 } ?? "")")) }
            if let v = l.verklaringHtml { print("  verklaring: \(v)") }
        }
    }

    struct ListLists: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the vernietigingslijsten and opt-out purge runs.")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let lists = try attempt { try DestructionLists(workspace: ws).all() }
            for l in lists {
                if json {
                    print(JSONText.object([("listId", .string(l.id)), ("kind", .string(l.kind.rawValue)), ("status", .string(l.status.rawValue)),
                                           ("asOf", .string(l.asOf)), ("proposedAt", .string(l.proposedAt)),
                                           ("executedAt", l.executedAt.map { .string($0) } ?? .null)]))
                } else {
                    print("\(l.id)  \(l.kind.rawValue)  \(l.status.rawValue)  as of \(l.asOf)  proposed " +
                          "\(l.proposedAt)\(l.executedAt.map { "  executed \($0)" } ?? "")")
                }
            }
            if lists.isEmpty, !json { print("No vernietigingslijsten yet; make one with `sluitsteen destroy propose`.") }
        }
    }
}

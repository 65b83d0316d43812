// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// `sluitsteen register import people.csv roles.csv mailboxes.csv`: the registers of people, roles and mailboxes.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Import and show the registers of people, role periods and mailboxes.",
        subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import people.csv, roles.csv and mailboxes.csv, and approvers.csv and teams.csv if given (the same files again change " +
                      "nothing).",
            discussion: """
                people.csv:    person_id,name,employed_from,employed_to
                roles.csv:     person_id,role,valid_from,valid_to
                mailboxes.csv: address,kind,person_id   (kind: personal or functional)
                approvers.csv: person_id,approver_role,valid_from,valid_to   (optional; approver_role as the policy's \
                destruction approvals name them, e.g. div, archivist)
                teams.csv:     person_id,team,membership,valid_from,valid_to   (optional; membership: lid or manager; a \
                teammanager may read the mail of the team's members)
                The files may be given in any order: each is recognised by its header line. A file saved by Excel is read \
                as it is: fields separated by , or ; and UTF-8 (with or without byte order mark) or Windows-1252 (read \
                with a warning; "CSV UTF-8" is the safer choice). An import replaces the \
                registers in force (without approvers.csv, no one may approve destruction lists). Errors name the \
                file, line and column; nothing is imported while any error remains.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("people.csv roles.csv mailboxes.csv [approvers.csv] [teams.csv], in any order.", valueName: "FILE"))
        var files: [String]

        func run() throws {
            var byKind: [Registers.Kind: URL] = [:]
            for path in files {
                let url = URL(fileURLWithPath: path)
                // UTF-8 (with or without a byte order mark) or Windows-1252, `,` or `;`: as a Dutch Excel saves CSV.
                let text: String
                do { text = try RegisterSource.read(url).text } catch { throw CLIError(error.description, status: .unreadable) }
                guard let kind = Registers.Kind.recognise(text) else {
                    let header = SafeText.terminal(String(text.prefix(while: { $0 != "\n" && $0 != "\r" }).prefix(120)))
                    throw CLIError("\(path): its first line (\(header.isEmpty ? "empty" : header)) is not the header of a register; "
                        + Registers.Kind.allCases.map { "\($0.fileName) starts with \($0.columns.joined(separator: ","))" }.joined(separator: "; "))
                }
                if let other = byKind[kind] { throw CLIError("\(path) and \(other.path) are both \(kind.fileName) (same header); give each " +
                                                             "register once") }
                byKind[kind] = url
            }
            let missing = [Registers.Kind.people, .roles, .mailboxes].filter { byKind[$0] == nil }
            guard missing.isEmpty, let people = byKind[.people], let roles = byKind[.roles], let mailboxes = byKind[.mailboxes] else {
                throw CLIError("missing \(missing.map(\.fileName).joined(separator: ", ")): register import needs people.csv, roles.csv and " +
                               "mailboxes.csv (and optionally approvers.csv)")
            }
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let outcome = try attempt {
                try RetentionStore(workspace: ws).importRegisters(
                    people: people, roles: roles, mailboxes: mailboxes, approvers: byKind[.approvers], teams: byKind[.teams],
                    policy: inForce.policy, actor: try actor.resolve(ws))
            }
            for w in outcome.warnings { printError(w) }
            print("\(outcome.changed ? "Imported" : "Unchanged (already imported)"): \(outcome.people) people, \(outcome.roles) role periods, "
                + "\(outcome.mailboxes) mailboxes\(outcome.approvers > 0 ? ", \(outcome.approvers) approver periods" : "")"
                + "\(outcome.teamMemberships > 0 ? ", \(outcome.teamMemberships) team memberships" : "").")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the registers in force: people, their roles per period, mailboxes, approvers and teams.",
            discussion: """
                --on DATE shows who was a key person on that day (a key role of the policy, e.g. burgemeester), whose mail \
                is kept permanently, and the mailboxes that are theirs.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @Option(name: .long, help: ArgumentHelp("Show the key persons on this day (YYYY-MM-DD).", valueName: "DATE")) var on: String?
        @Flag(name: .long, help: "Print the registers as one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let day = try civilDate(on, option: "--on")
            guard let r = try attempt({ try RetentionStore(workspace: ws).registers() }) else {
                throw CLIError("no registers have been imported yet; import them with "
                    + "`sluitsteen register import people.csv roles.csv mailboxes.csv`")
            }
            let index = RegisterIndex(r, policy: inForce.policy)
            let keyRoles = Set(inForce.policy.keyRoles)
            func period(_ from: CivilDate?, _ to: CivilDate?) -> String {
                "\(from.map(DutchText.date) ?? "…") – \(to.map(DutchText.date) ?? "heden")"
            }
            func name(_ id: String?) -> String { id.map { "\(index.person($0)?.name ?? "?") (\($0))" } ?? "—" }
            if json {
                var members: [(String, JSONText.Value)] = []
                if let day {
                    members.append(("on", .string(day.iso)))
                    members.append(("keyPersons", .raw("[" + index.keyPersons(on: day).map { k in
                        JSONText.object([("personId", .string(k.person.id)), ("name", .string(k.person.name)), ("role", .string(k.role.role)),
                                         ("mailboxes", .strings(index.personalMailboxes(of: k.person.id)))])
                    }.joined(separator: ",") + "]")))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let data = try attempt { try encoder.encode(r) }
                members.append(("registers", .raw(String(decoding: data, as: UTF8.self))))
                print(JSONText.object(members))
                return
            }
            if let day {
                let keys = index.keyPersons(on: day)
                print("Sleutelfunctionarissen op \(DutchText.date(day)) (\(keys.count)):")
                for k in keys {
                    let boxes = index.personalMailboxes(of: k.person.id)
                    print(SafeText.terminal("  \(k.person.name) (\(k.person.id)): \(k.role.role) \(period(k.role.validFrom, k.role.validTo))"
                        + (boxes.isEmpty ? "; geen persoonlijke mailbox" : "; mailbox \(boxes.joined(separator: ", "))")))
                }
                if keys.isEmpty { print("  (niemand)") }
                return
            }
            print("Personen (\(r.people.count)):")
            for p in r.people {
                print(SafeText.terminal("  \(p.id)  \(p.name.isEmpty ? "(geen naam)" : p.name)  in dienst \(period(p.employedFrom, p.employedTo))"))
                for a in index.roles(of: p.id) {
                    print(SafeText.terminal("      \(a.role)\(keyRoles.contains(a.role) ? " (sleutelfunctie)" : "")  " +
                                            "\(period(a.validFrom, a.validTo))"))
                }
            }
            print("\nMailboxen (\(r.mailboxes.count)):")
            for m in r.mailboxes {
                print(SafeText.terminal("  \(m.address)  \(m.kind == .personal ? "persoonlijk, van \(name(m.personId))" : "functioneel")"))
            }
            if !r.approvers.isEmpty {
                print("\nGoedkeurders van vernietigingslijsten (\(r.approvers.count)):")
                for a in r.approvers { print(SafeText.terminal("  \(name(a.personId))  \(a.approverRole)  \(period(a.validFrom, a.validTo))")) }
            }
            if !r.teams.isEmpty {
                print("\nTeams (\(r.teams.count) lidmaatschappen):")
                for t in r.teams.sorted(by: { ($0.team, $0.personId) < ($1.team, $1.personId) }) {
                    let membership = t.membership == .manager ? "manager" : "lid"
                    print(SafeText.terminal("  \(t.team)  \(name(t.personId))  \(membership)  \(period(t.validFrom, t.validTo))"))
                }
            }
        }
    }
}

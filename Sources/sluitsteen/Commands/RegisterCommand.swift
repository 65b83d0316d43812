// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// `sluitsteen register import people.csv roles.csv mailboxes.csv`: the registers of people, roles and mailboxes.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Import the registers of people, role periods and mailboxes.",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import people.csv, roles.csv and mailboxes.csv, and approvers.csv and teams.csv if given (the same files again change nothing).",
            discussion: """
                people.csv:    person_id,name,employed_from,employed_to
                roles.csv:     person_id,role,valid_from,valid_to
                mailboxes.csv: address,kind,person_id   (kind: personal or functional)
                approvers.csv: person_id,approver_role,valid_from,valid_to   (optional; approver_role as the policy's \
                destruction approvals name them, e.g. div, archivist)
                teams.csv:     person_id,team,membership,valid_from,valid_to   (optional; membership: lid or manager; a \
                teammanager may read the mail of the team's members)
                The files may be given in any order: each is recognised by its header line. An import replaces the \
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
                let text: String
                do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                    throw CLIError("cannot read register file \(path): \(error.localizedDescription). Check the path; the file must be UTF-8 CSV.")
                }
                guard let kind = Registers.Kind.recognise(text) else {
                    let header = SafeText.terminal(String(text.prefix(while: { $0 != "\n" && $0 != "\r" }).prefix(120)))
                    throw CLIError("\(path): its first line (\(header.isEmpty ? "empty" : header)) is not the header of a register; "
                        + Registers.Kind.allCases.map { "\($0.fileName) starts with \($0.columns.joined(separator: ","))" }.joined(separator: "; "))
                }
                if let other = byKind[kind] { throw CLIError("\(path) and \(other.path) are both \(kind.fileName) (same header); give each register once") }
                byKind[kind] = url
            }
            let missing = [Registers.Kind.people, .roles, .mailboxes].filter { byKind[$0] == nil }
            guard missing.isEmpty, let people = byKind[.people], let roles = byKind[.roles], let mailboxes = byKind[.mailboxes] else {
                throw CLIError("missing \(missing.map(\.fileName).joined(separator: ", ")): register import needs people.csv, roles.csv and mailboxes.csv (and optionally approvers.csv)")
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
}

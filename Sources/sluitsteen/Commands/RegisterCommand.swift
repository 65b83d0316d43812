// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenRetention

/// `sluitsteen register import people.csv roles.csv mailboxes.csv`: the registers of people, roles and mailboxes.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Import the registers of people, role periods and mailboxes.",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import people.csv, roles.csv and mailboxes.csv (all three; importing the same files again changes nothing).",
            discussion: """
                people.csv:    person_id,name,employed_from,employed_to
                roles.csv:     person_id,role,valid_from,valid_to
                mailboxes.csv: address,kind,person_id   (kind: personal or functional)
                Errors name the file, line and column; nothing is imported while any error remains.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "people.csv") var people: String
        @Argument(help: "roles.csv") var roles: String
        @Argument(help: "mailboxes.csv") var mailboxes: String

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let now = try commandNow()
            let outcome = try attempt {
                try RetentionStore(workspace: ws).importRegisters(
                    people: URL(fileURLWithPath: people), roles: URL(fileURLWithPath: roles), mailboxes: URL(fileURLWithPath: mailboxes),
                    policy: inForce.policy, actor: actor.actor, at: now)
            }
            for w in outcome.warnings { printError(w) }
            print("\(outcome.changed ? "Imported" : "Unchanged (already imported)"): \(outcome.people) people, \(outcome.roles) role periods, \(outcome.mailboxes) mailboxes.")
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive

/// `sluitsteen init [DIR]`: creates an archive workspace.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create an archive workspace (catalog and content store).")

    @Argument(help: ArgumentHelp("Workspace folder (default: $SLUITSTEEN_HOME, else ./archief).", valueName: "DIR"))
    var directory: String?

    @OptionGroup var actor: ActorOptions

    func run() throws {
        let dir = Workspace.resolveDirectory(explicit: directory)
        let now = try commandNow()
        let workspace = try attempt { try Workspace.create(at: dir) }
        try attempt {
            try workspace.catalog.write { db in
                let existing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auditEntry WHERE kind = 'workspace'") ?? 0
                if existing == 0 {
                    try AuditTrail.append(db, kind: .workspace, command: "init", actor: actor.actor, objectIds: ["workspace"],
                                          outcome: "created \(dir.path)", at: now)
                }
            }
        }
        print("Archive workspace ready at \(dir.path)")
    }
}

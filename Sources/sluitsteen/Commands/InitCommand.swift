// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive

/// `sluitsteen init [--demo] [DIR]`: creates an archive workspace, real or demo/test.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create an archive workspace (catalog and content store).",
        discussion: """
            A workspace is a real archive unless it is made with --demo. The kind is recorded when the workspace is \
            created and can never change. Only a demo/test archive honours a replayed clock (SLUITSTEEN_NOW), and \
            every document it writes says that it comes from a demo archive; a real archive refuses SLUITSTEEN_NOW. \
            The folder is made private to its owner (0700).
            """)

    @Argument(help: ArgumentHelp("Workspace folder (default: $SLUITSTEEN_HOME, else ./archief).", valueName: "DIR"))
    var directory: String?

    @Flag(name: .long, help: "Create a demo/test archive (replayed clock allowed; every document says it is a demo).")
    var demo = false

    @Option(name: .long, help: ArgumentHelp("Who creates the archive, for the audit trail (a name; the OS account is recorded beside it).",
                                            valueName: "NAME"))
    var by: String?

    func run() throws {
        let dir = Workspace.resolveDirectory(explicit: directory)
        var actor = Actor(personId: nil, name: "niet opgegeven (zonder --by)")
        if let by {
            do throws(SafeText.Refusal) { actor = try Actor.named(by) } catch { throw CLIError(error.description) }
        }
        let (_, created) = try attempt { try Workspace.initialise(at: dir, kind: demo ? .demo : .real, actor: actor) }
        let kind = demo ? "demo/test archive" : "archive"
        print(created ? "\(kind.prefix(1).uppercased() + kind.dropFirst()) workspace ready at \(dir.path)"
                      : "Existing \(kind) workspace at \(dir.path)")
    }
}

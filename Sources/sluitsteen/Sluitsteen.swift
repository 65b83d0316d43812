// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// The `sluitsteen` command: Capstone e-mail retention and MDTO transfer for Dutch government bodies.
@main
struct Sluitsteen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluitsteen",
        abstract: "Keep, destroy and transfer e-mail by the Capstone method, with MDTO packages for the e-depot.",
        discussion: """
            Sluitsteen takes mailbox exports (mbox, Maildir, EML, PST) into an archive workspace, decides per \
            message what the selection list requires, and carries out destruction and transfer with a full \
            audit trail. Every command but `init` and `verify` works on a workspace: --home DIR, else \
            $SLUITSTEEN_HOME, else ./archief.

            \(ExitStatus.help)
            """,
        version: SluitsteenVersion.current,
        subcommands: [
            InitCommand.self, IngestGroup.self, IndexCommand.self, MessagesCommand.self, PolicyCommand.self, RegisterCommand.self,
            OptOutCommand.self, HotspotCommand.self, HoldCommand.self, PlanCommand.self, ExplainCommand.self, SearchCommand.self,
            VerifyCommand.self, DestroyCommand.self, AuditCommand.self, ExportCommand.self, TransferCommand.self, StoreCommand.self,
            ServeCommand.self, WooCommand.self, CaptureCommand.self, ChatCommand.self,
        ]
    )

    /// Every file and folder a command creates is private to its owner (the catalog holds every subject and address,
    /// the store every message), whatever the umask of the shell it runs in.
    static func main() {
        umask(0o077)
        let command: ParsableCommand
        do { command = try parseAsRoot(Array(CommandLine.arguments.dropFirst())) } catch { exit(withError: error) }
        do {
            var running = command
            try running.run()
        } catch {
            // An error of the library or the CLI is printed as the argument parser prints it, with the status ExitStatus
            // gives; the parser's own outcomes (help, a usage error, an exit code a command chose) exit as it decides.
            guard let status = ExitStatus(classifying: error) else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: ExitCode(status.rawValue))
        }
        exit()
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// `sluitsteen policy check|show`: the selection rules as data.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Check or show the e-mail selection policy (TOML).",
        subcommands: [Check.self, Show.self, Set.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report every error in a policy file, with its line.")
        @Argument(help: ArgumentHelp("Policy file (TOML).", valueName: "FILE")) var file: String

        func run() throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw CLIError("cannot read \(file): \(error.localizedDescription)")
            }
            let diagnostics = Policy.check(text: text, file: file)
            if diagnostics.isEmpty {
                print("\(file): the policy is valid.")
                return
            }
            for d in diagnostics { print(d.description) }
            printError("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(file)")
            throw ExitCode(1)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the policy in force (--policy, else the workspace's, else the shipped default).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @Flag(name: .long, help: "Print as JSON.") var json = false
        @Flag(name: .long, help: ArgumentHelp(
            "Print the policy file itself (TOML, with its comments): the file a municipality copies, adapts and sets with "
                + "'policy check' and 'policy set'.")) var toml = false

        func validate() throws {
            if json && toml { throw ValidationError("Give --json or --toml, not both.") }
        }

        func run() throws {
            let ws = try? workspace.open()
            let inForce = try policy.resolve(ws)
            if toml {
                print(inForce.text, terminator: inForce.text.hasSuffix("\n") ? "" : "\n")
            } else if json { print(inForce.policy.jsonText()) } else {
                print("# source: \(inForce.source)")
                print(inForce.policy.renderedText())
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a checked policy file the workspace's policy (used when a command gets no --policy).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("Policy file (TOML).", valueName: "FILE")) var file: String

        func run() throws {
            let ws = try workspace.open()
            let outcome = try attempt { try WorkspacePolicy(workspace: ws).set(from: URL(fileURLWithPath: file), actor: try actor.resolve(ws)) }
            print(outcome)
        }
    }
}

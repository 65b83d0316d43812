// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenExport
import SluitsteenSupport

/// `sluitsteen transfer confirm|list`: the e-depot's acceptance of transfer packages.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Record the e-depot's acceptance of a transfer package, or list the packages.",
        subcommands: [Confirm.self, List.self])

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the e-depot accepted a package: its copies become 'transferred'.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("The package id (pakbon identificatie, printed by `sluitsteen export`).", valueName: "PACKAGE-ID"))
        var packageId: String
        @Option(name: .long, help: ArgumentHelp("The e-depot's acceptance receipt; kept in the workspace with its SHA-256.", valueName: "FILE"))
        var receipt: String?

        func run() throws {
            let ws = try workspace.open()
            let s = try attempt {
                try TransferConfirmation(workspace: ws).confirm(packageId, receipt: receipt.map { URL(fileURLWithPath: $0) },
                                                               actor: try actor.resolve(ws))
            }
            print("Package \(s.packageId) confirmed: \(s.transferred) copies are now transferred"
                + (s.skipped > 0 ? " (\(s.skipped) were no longer present)" : "") + ".")
            if let hash = s.receiptSHA256 { print("  receipt \(s.receiptName ?? "") sha256 \(hash)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the export packages and whether they were confirmed.")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "JSON lines.") var json = false

        func run() throws {
            let ws = try workspace.open()
            for p in try attempt({ try TransferConfirmation(workspace: ws).packages() }) {
                if json {
                    print(JSONText.object([
                        ("id", .string(p.id)), ("createdAt", .string(p.createdAt)), ("createdBy", .string(p.createdBy)),
                        ("location", .string(p.location)), ("container", .string(p.container)),
                        ("packageHash", .string(p.packageSHA256)), ("copies", .int(Int64(p.copyCount))),
                        ("confirmedAt", p.confirmedAt.map { .string($0) } ?? .null),
                        ("receiptSHA256", p.receiptSHA256.map { .string($0) } ?? .null),
                    ]))
                } else {
                    print("\(p.id)  \(p.createdAt)  \(p.copyCount) copies  \(p.container)  "
                        + (p.confirmedAt.map { "confirmed \($0)" } ?? "not confirmed") + "  \(p.location)")
                }
            }
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenExport
import SluitsteenPolicy
import SluitsteenSupport

/// `sluitsteen transfer confirm|withdraw|list|statement`: the e-depot's acceptance of transfer packages.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Record the e-depot's acceptance of a transfer package, withdraw one, or list the packages.",
        subcommands: [Confirm.self, Withdraw.self, List.self, Statement.self])

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the e-depot accepted a package: its copies become 'transferred'.",
            discussion: """
                Refused when the package was withdrawn, or when none of its copies is still present (they were \
                transferred with another package): the message names that package. The verklaring van overbrenging \
                is rewritten with the acceptance.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var policy: PolicyOptions
        @Argument(help: ArgumentHelp("The package id (pakbon identificatie, printed by `sluitsteen export`).", valueName: "PACKAGE-ID"))
        var packageId: String
        @Option(name: .long, help: ArgumentHelp("The e-depot's acceptance receipt; kept in the workspace with its SHA-256.", valueName: "FILE"))
        var receipt: String?

        func run() throws {
            let ws = try workspace.open()
            let who = try actor.resolve(ws)
            let transfers = TransferConfirmation(workspace: ws)
            let s = try attempt { try transfers.confirm(packageId, receipt: receipt.map { URL(fileURLWithPath: $0) }, actor: who) }
            print("Package \(s.packageId) confirmed: \(s.transferred) copies are now transferred"
                + (s.skipped > 0 ? " (\(s.skipped) were no longer present)" : "")
                + (s.conversations > 0 ? "; \(s.conversations) conversation(s) transferred with it" : "") + ".")
            if let hash = s.receiptSHA256 { print("  receipt \(s.receiptName ?? "") sha256 \(hash)") }
            let statement = try attempt { try transfers.writeStatement(s.packageId, policy: try policy.resolve(ws).policy, actor: who) }
            print("  verklaring van overbrenging: \(statement.path)")
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a package the e-depot has not accepted: its copies may be exported again.",
            discussion: """
                The package stays in the catalog as withdrawn (when, by whom, why) and the audit trail records it. \
                Its files are not touched: delete them, or keep them, as the municipality decides.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var policy: PolicyOptions
        @Argument(help: ArgumentHelp("The package id.", valueName: "PACKAGE-ID")) var packageId: String
        @Option(name: .long, help: ArgumentHelp("Why the package is withdrawn (recorded).", valueName: "TEXT")) var reason: String

        func run() throws {
            let ws = try workspace.open()
            let who = try actor.resolve(ws)
            let transfers = TransferConfirmation(workspace: ws)
            let p = try attempt { try transfers.withdraw(packageId, reason: reason, actor: who) }
            print(SafeText.terminal("Package \(p.id) withdrawn: its \(p.copyCount) copies may be exported again."))
            print(SafeText.terminal("  its files are still at \(p.location); delete them or keep them as the municipality decides."))
            let statement = try attempt { try transfers.writeStatement(p.id, policy: try policy.resolve(ws).policy, actor: who) }
            print("  verklaring van overbrenging (marked withdrawn): \(statement.path)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the export packages: what each holds (copies per mailbox, period), and whether it was confirmed or withdrawn.")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "JSON lines.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let transfers = TransferConfirmation(workspace: ws)
            let packages = try attempt { try transfers.packages() }
            if packages.isEmpty && !json { print("No export packages yet (`sluitsteen export --out PATH`).") }
            for p in packages {
                let c = try attempt { try transfers.contents(p.id, policy: nil) }
                let status = p.confirmedAt.map { "confirmed \($0)" } ?? p.withdrawnAt.map { "withdrawn \($0)" } ?? "not confirmed"
                if json {
                    print(JSONText.object([
                        ("id", .string(p.id)), ("createdAt", .string(p.createdAt)), ("createdBy", .string(p.createdBy)),
                        ("location", .string(p.location)), ("container", .string(p.container)),
                        ("packageHash", .string(p.packageSHA256)), ("copies", .int(Int64(p.copyCount))),
                        ("confirmedAt", p.confirmedAt.map { .string($0) } ?? .null),
                        ("receiptSHA256", p.receiptSHA256.map { .string($0) } ?? .null),
                        ("withdrawnAt", p.withdrawnAt.map { .string($0) } ?? .null),
                        ("withdrawReason", p.withdrawReason.map { .string($0) } ?? .null),
                        ("from", c.from.map { .string($0.iso) } ?? .null), ("to", c.to.map { .string($0.iso) } ?? .null),
                        ("mailboxes", .raw(JSONText.object(c.mailboxes.map { ($0.name, .int(Int64($0.copies))) }))),
                        ("present", .int(Int64(c.present))), ("transferred", .int(Int64(c.transferred))), ("gone", .int(Int64(c.gone))),
                    ]))
                } else {
                    let period = [c.from?.iso, c.to?.iso].map { $0 ?? "?" }.joined(separator: " … ")
                    print(SafeText.terminal("\(p.id)  \(status)  \(p.copyCount) copies  \(p.container)  messages \(period)  \(p.location)"))
                    for m in c.mailboxes { print(SafeText.terminal("    \(m.name)  \(m.copies)")) }
                    print("    sha256 \(p.packageSHA256)")
                }
            }
        }
    }

    struct Statement: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write (again) the verklaring van overbrenging of a package into the workspace's documents folder.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var policy: PolicyOptions
        @Argument(help: ArgumentHelp("The package id.", valueName: "PACKAGE-ID")) var packageId: String

        func run() throws {
            let ws = try workspace.open()
            let url = try attempt {
                try TransferConfirmation(workspace: ws).writeStatement(packageId, policy: try policy.resolve(ws).policy, actor: try actor.resolve(ws))
            }
            print("Verklaring van overbrenging written to \(url.path)")
        }
    }
}

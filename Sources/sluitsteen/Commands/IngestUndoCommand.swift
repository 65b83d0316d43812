// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenDestroy

/// `sluitsteen ingest …`: take mail in (the default, `ingest run`), or withdraw a batch (`ingest undo`).
struct IngestGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Take mailbox exports into the archive (mbox, Maildir, .eml folders, PST/OST), or withdraw a batch.",
        subcommands: [IngestCommand.self, IngestUndoCommand.self],
        defaultSubcommand: IngestCommand.self)
}

/// `sluitsteen ingest undo BATCH --reason TEXT`: withdraws an ingest batch that nothing was done with yet.
struct IngestUndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Withdraw an ingest batch (e.g. mail taken into the wrong mailbox) whose copies were not acted on.",
        discussion: """
            Refused when any copy of the batch was exported, opted out, is held by a Woo request or a proposed hotspot, is \
            on a vernietigingslijst, or is no longer present. The batch's copies leave the catalog, with the messages no \
            other copy holds (catalog rows, index and stored bytes); the batch stays listed as withdrawn, and the audit \
            trail records who withdrew it and why. The batch number is printed by `sluitsteen ingest`.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var policy: PolicyOptions
    @Argument(help: ArgumentHelp("The batch number.", valueName: "BATCH")) var batch: Int64
    @Option(name: .long, help: ArgumentHelp("Why the batch is withdrawn (recorded in the audit trail).", valueName: "TEXT")) var reason: String

    func run() throws {
        let ws = try workspace.open()
        let pif = try policy.resolve(ws)
        let by = try actor.resolve(ws)
        let o = try attempt { try BatchWithdrawal(workspace: ws).withdraw(batch: batch, policy: pif, reason: reason, actor: by) }
        print("Withdrew batch \(o.batchId) (\(o.mailbox)): \(o.copies) cop\(o.copies == 1 ? "y" : "ies") taken out of the catalog, "
            + "\(o.contentsRemoved) message(s) removed from the store (\(o.bytesRemoved) bytes).")
    }
}

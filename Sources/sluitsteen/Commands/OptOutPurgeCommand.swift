// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenRetention
import SluitsteenSupport

/// `sluitsteen optout purge [--as-of D]`: removes every opted-out copy whose window has closed (action
/// purge-optout), without approvals; records counts per mailbox and ground only.
struct OptOutPurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Purge every opted-out message whose opt-out window has closed (no approvals needed).",
        discussion: "Only a tombstone and counts per mailbox and ground remain. After an interruption, run it again to finish.")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @Option(name: .long, help: ArgumentHelp(
        "Only what was purge-optout at the end of this day, not later than today (default: now); every copy is decided again as of now.",
        valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(name: .long, help: ArgumentHelp("Policy file (default: the workspace's, else the shipped default).", valueName: "FILE"))
    var policy: String?
    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let ws = try workspace.open()
        let asOfDate = try DestroyCommand.date(asOf)
        let moment = try attempt { try DecisionMoment.present(asOf: asOfDate, now: ws.clock.now(), command: "optout purge") }
        let pif = try DestroyCommand.policy(policy, ws)
        let by = try actor.resolve(ws)
        let runs = try attempt { try OptOutPurge(workspace: ws).purge(policy: pif, asOf: asOfDate, actor: by) }
        let total = runs.flatMap(\.counts).reduce(0) { $0 + $1.copies }
        if json {
            print(JSONText.object([
                ("asOf", .string(moment.date.iso)), ("purged", .int(Int64(total))),
                ("skipped", .int(Int64(runs.reduce(0) { $0 + $1.skipped }))),
                ("runs", .raw("[" + runs.map { r in
                    JSONText.object([("runId", .string(r.id)), ("resumed", .bool(r.resumed)), ("skipped", .int(Int64(r.skipped))),
                                     ("counts", .raw("[" + r.counts.map { c in
                                         JSONText.object([("mailbox", .string(c.mailbox)), ("ground", .string(c.ground)),
                                                          ("copies", .int(Int64(c.copies))), ("bytes", .int(c.bytes))])
                                     }.joined(separator: ",") + "]"))])
                }.joined(separator: ",") + "]")),
            ]))
            return
        }
        if runs.isEmpty { print("Nothing to purge as of \(moment.date.iso)."); return }
        for r in runs {
            let purged = r.counts.reduce(0) { $0 + $1.copies }
            print("\(r.id)\(r.resumed ? " (finished an interrupted run)" : ""): \(purged) purged, \(r.skipped) skipped")
            for c in r.counts { print("  \(c.mailbox)  \(c.ground)  \(c.copies) (\(c.bytes) bytes)") }
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenIndex
import SluitsteenRetention
import SluitsteenSupport

/// `sluitsteen index`: brings the full-text index up to date with the store.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Read newly captured messages in full and add them to the full-text index.",
        discussion: """
            Hotspot and Woo-hold terms are matched against a full-text index of every message's subject and text. \
            Ingest only captures (and reads each message's header block); the index is built from the store \
            afterwards, and each message ingest did not read in full is read in full in the same pass: its \
            attachments and the defects of its body go into the catalog (`sluitsteen messages` shows them). An \
            interrupted run (even kill -9) keeps what it committed and the next run goes on from there. `plan`, `explain` and the other \
            commands that match terms bring it up to date first (they say so in their help); run `index` after a \
            large ingest to do that work at a time of your choosing. Running it again adds only what is new.
            """)

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var output: ProgressOptions

    @Option(name: .long, help: ArgumentHelp("Messages per catalog transaction (tuning; default 1024).", visibility: .hidden))
    var batchSize: Int = 1024

    func run() throws {
        let ws = try workspace.open()
        let showProgress = output.showsProgress
        let started = Date()
        let summary = try attempt {
            let progress: @Sendable (TextIndexProgress) -> Void = { p in if showProgress { IndexProgressLine.draw(p) } }
            var indexer = TextIndexer(workspace: ws)
            indexer.batchSize = max(1, batchSize)
            return try indexer.run(progress: progress)
        }
        if showProgress { IndexProgressLine.end() }
        let seconds = Date().timeIntervalSince(started)
        if output.json {
            print(JSONText.object([("indexed", .int(Int64(summary.messages))), ("bytes", .int(summary.bytes)),
                                   ("readInFull", .int(Int64(summary.parsed))), ("flagged", .int(Int64(summary.flagged)))]))
        } else if summary.messages == 0 {
            print("The full-text index is up to date.")
        } else {
            print(String(format: "Indexed %d messages (%@) in %.1f s.", summary.messages, RetentionPlan.size(summary.bytes), seconds))
            if summary.parsed > 0 {
                print("Read \(summary.parsed) of them in full (attachments and defects are in the catalog now); \(summary.flagged) flagged.")
            }
        }
    }
}

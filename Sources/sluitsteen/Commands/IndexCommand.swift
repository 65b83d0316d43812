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
        abstract: "Add newly captured messages to the full-text index.",
        discussion: """
            Hotspot and Woo-hold terms are matched against a full-text index of every message's subject and text. \
            Ingest only captures; the index is built from the store afterwards. `plan`, `explain` and the other \
            commands that match terms bring it up to date first (they say so in their help); run `index` after a \
            large ingest to do that work at a time of your choosing. Running it again adds only what is new.
            """)

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var output: ProgressOptions

    func run() throws {
        let ws = try workspace.open()
        let showProgress = output.showsProgress
        let started = Date()
        let summary = try attempt {
            let progress: @Sendable (TextIndexProgress) -> Void = { p in if showProgress { IndexProgressLine.draw(p) } }
            return try TextIndexer(workspace: ws).run(progress: progress)
        }
        if showProgress { IndexProgressLine.end() }
        let seconds = Date().timeIntervalSince(started)
        if output.json {
            print(JSONText.object([("indexed", .int(Int64(summary.messages))), ("bytes", .int(summary.bytes))]))
        } else if summary.messages == 0 {
            print("The full-text index is up to date.")
        } else {
            print(String(format: "Indexed %d messages (%@) in %.1f s.", summary.messages, RetentionPlan.size(summary.bytes), seconds))
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenSupport

/// `sluitsteen store verify [--repair]`: every stored message against its SHA-256 and against the catalog.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Check the content store.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the SHA-256 of every stored message and compare the store with the catalog "
                + "(exit 1 when a message is missing or damaged).",
            discussion: """
                Reports messages the catalog lists whose file is missing or damaged (restore them from a backup), files \
                no message names (orphans, left by a kill or a full disk before their catalog commit), and half-written \
                copies. With --repair, orphans and half-written copies are removed. It holds the store lock, so it \
                waits for no one and runs only while no ingest or destruction does.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "Remove orphan files and half-written copies.") var repair = false
        @Flag(name: .long, help: "Print one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let show = !json && isatty(STDERR_FILENO) == 1
            let r = try attempt {
                try StoreCheck(workspace: ws).run(repair: repair) { n in
                    if show { FileHandle.standardError.write(Data("\r\(n) stored messages checked   ".utf8)) }
                }
            }
            if show { FileHandle.standardError.write(Data("\n".utf8)) }
            if json {
                print(JSONText.object([
                    ("sound", .bool(r.isSound)), ("checked", .int(Int64(r.checked))), ("bytes", .int(r.bytes)),
                    ("missing", .strings(r.missing)), ("damaged", .strings(r.damaged)), ("orphans", .strings(r.orphans)),
                    ("strays", .strings(r.strays.map(SafeText.terminal))), ("leftovers", .int(Int64(r.leftovers))), ("repaired", .bool(r.repaired)),
                ]))
            } else {
                print("Checked \(r.checked) stored messages (\(r.bytes) bytes).")
                for sha in r.missing { print("  MISSING  \(sha): the catalog lists it, its file is gone; restore it from a backup") }
                for sha in r.damaged { print("  DAMAGED  \(sha): its bytes no longer match their SHA-256; restore it from a backup") }
                if !r.orphans.isEmpty {
                    let fate = r.repaired ? ": removed" : " (remove them with --repair)"
                    print("  \(r.orphans.count) orphan file(s) that no stored message names\(fate)")
                }
                if r.leftovers > 0 {
                    print("  \(r.leftovers) half-written cop(ies) in store/.incoming\(r.repaired ? ": removed" : " (--repair removes them)")")
                }
                for s in r.strays { print("  not a message file: store/\(SafeText.terminal(s)) (left as it is)") }
                print(r.isSound ? "Store sound: every message the catalog lists is present and whole." : "Store NOT sound: see above.")
            }
            if !r.isSound { throw ExitCode(1) }
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenSupport

/// `sluitsteen store verify [--repair]`: every pack entry against its SHA-256 and against the catalog;
/// `sluitsteen store migrate`: the one-file store of earlier versions converted to pack files.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Check the content store, or convert an old one to pack files.", subcommands: [Verify.self, Migrate.self])

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Convert a store of one file per message (made by an earlier version) to pack files.",
            discussion: """
                Copies every stored file into the pack files, syncs and lists each group in the catalog, reads each \
                message back from its pack and checks its SHA-256, and only then removes the old file. It can be \
                interrupted and run again (it goes on where it stopped); a second run finds nothing to do. A file whose \
                bytes do not match its name is reported and left where it is (exit 1).
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "Print one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open(allowingLegacyStore: true)
            let r = try attempt { try StoreMigration(workspace: ws).run() }
            if json {
                print(JSONText.object([("migrated", .int(Int64(r.migrated))), ("bytes", .int(r.bytes)), ("damaged", .strings(r.damaged))]))
            } else {
                print("Migrated \(r.migrated) stored messages (\(r.bytes) bytes) to pack files.")
                for d in r.damaged { print("  DAMAGED  store/\(SafeText.terminal(d)): its bytes do not match its name; left in place") }
            }
            if !r.damaged.isEmpty { throw ExitCode(1) }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the SHA-256 of every stored message and compare the store with the catalog "
                + "(exit 1 when a message is missing or damaged).",
            discussion: """
                Walks every pack file entry by entry and recomputes each entry's SHA-256. Reports messages the catalog \
                lists whose bytes are missing or damaged (restore them from a backup), stored bytes no message names \
                (orphans, left by a kill or a full disk before their catalog commit), and entries the catalog's map \
                does not list (leftovers). With --repair, orphans and leftovers are removed (their packs are rewritten \
                without them) and entries holding a listed message's bytes are listed again. It holds the store lock, \
                so it waits for no one and runs only while no ingest or destruction does.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "Remove orphans and leftovers; list entries found again.") var repair = false
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
                    ("strays", .strings(r.strays.map(SafeText.terminal))), ("leftovers", .int(Int64(r.leftovers))),
                    ("relisted", .strings(r.relisted)), ("unlistedDamaged", .strings(r.unlistedDamaged)), ("packs", .int(Int64(r.packs))),
                    ("repaired", .bool(r.repaired)),
                ]))
            } else {
                print("Checked \(r.checked) stored messages (\(r.bytes) bytes) in \(r.packs) pack file(s).")
                for sha in r.missing { print("  MISSING  \(sha): the catalog lists it, its file is gone; restore it from a backup") }
                for sha in r.damaged { print("  DAMAGED  \(sha): its bytes no longer match their SHA-256; restore it from a backup") }
                if !r.orphans.isEmpty {
                    let fate = r.repaired ? ": removed" : " (remove them with --repair)"
                    print("  \(r.orphans.count) orphan(s): stored bytes that no stored message names\(fate)")
                }
                if r.leftovers > 0 {
                    let fate = r.repaired ? ": removed" : " (--repair removes them)"
                    print("  \(r.leftovers) leftover(s): pack entries the catalog does not list\(fate)")
                }
                for sha in r.relisted {
                    print("  FOUND    \(sha): in a pack but not in the catalog's map\(r.repaired ? ": listed again" : " (--repair lists it again)")")
                }
                for place in r.unlistedDamaged {
                    print("  DAMAGED  an entry the catalog does not list, in pack \(place): its bytes do not match its SHA-256 (no listed "
                          + "message is in it; left in place)")
                }
                for s in r.strays { print("  not a pack file: store/\(SafeText.terminal(s)) (left as it is)") }
                print(r.isSound ? "Store sound: every message the catalog lists is present and whole." : "Store NOT sound: see above.")
            }
            if !r.isSound { throw ExitCode(1) }
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// `sluitsteen audit verify|show`: checks and shows the tamper-evident audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check or show the audit trail.",
        subcommands: [Verify.self, Show.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the hash chain and the order of the entries' times (exit 1 on a break or a finding).",
            discussion: """
                Names the first edited, removed, inserted or reordered entry. Also reports every entry dated more than \
                \(Int(AuditTrail.timeTolerance)) seconds before an earlier entry (the clock was set back), and how many \
                entries a replayed clock dated (a demo/test archive).
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "Print one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let result = try attempt { try ws.catalog.read { try AuditTrail.verify($0) } }
            let head = try attempt { try ws.catalog.read { try AuditTrail.entries($0).last } }
            if json {
                print(JSONText.object([
                    ("intact", .bool(result.firstBreak == nil)), ("checked", .int(Int64(result.checked))),
                    ("firstBreak", result.firstBreak.map { b in
                        .raw(JSONText.object([("seq", .int(b.seq)), ("reason", .string(b.reason))]))
                    } ?? .null),
                    ("timeFindings", .raw("[" + result.timeFindings.map { f in
                        JSONText.object([("seq", .int(f.seq)), ("at", .string(f.at)), ("latestBefore", .string(f.latestBefore)),
                                         ("latestSeq", .int(f.latestSeq))])
                    }.joined(separator: ",") + "]")),
                    ("toleranceSeconds", .int(Int64(AuditTrail.timeTolerance))),
                    ("replayedEntries", .int(Int64(result.replayedEntries))), ("archiveKind", .string(ws.kind.rawValue)),
                    ("head", head.map { h in .raw(JSONText.object([("seq", .int(h.seq)), ("hash", .string(h.hash))])) } ?? .null),
                ]))
            } else if let b = result.firstBreak {
                print("BROKEN: \(b.description)")
                print("Entries before \(b.seq) are intact. Restore the catalog from a backup and find out who changed it.")
            } else {
                if result.timeFindings.isEmpty {
                    print("Audit trail intact: \(result.checked) entr\(result.checked == 1 ? "y" : "ies") checked.")
                } else {
                    print("Audit trail chain intact (\(result.checked) entries), but with \(result.timeFindings.count) finding(s): "
                        + "time runs backwards (more than \(Int(AuditTrail.timeTolerance)) s):")
                    for f in result.timeFindings { print("  FINDING: \(f.description)") }
                }
                if result.replayedEntries > 0 {
                    let entries = "\(result.replayedEntries) entr\(result.replayedEntries == 1 ? "y was" : "ies were")"
                    print("\(entries) dated by a replayed clock (demo/test archive).")
                }
                if let h = head { print("Last entry \(h.seq), hash \(h.hash) (write it down to detect later removal of entries at the end).") }
            }
            if !result.isClean { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show audit entries, oldest first.")
        @OptionGroup var workspace: WorkspaceOptions
        @Option(name: .long, help: ArgumentHelp("Only entries at or after this date (Amsterdam day) or ISO 8601 time.", valueName: "DATE"))
        var since: String?
        @Option(name: .long,
                help: ArgumentHelp("Only entries of this kind (\(AuditKind.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "KIND"))
        var kind: String?
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let ws = try workspace.open()
            var from: Date? = nil
            if let since {
                if let d = CivilDate(iso: since) {
                    from = AmsterdamTime.instant(date: d, secondOfDay: 0).date
                } else if let t = ISOTimestamp.parse(since) {
                    from = t
                } else {
                    throw CLIError("--since '\(since)' is neither a date (YYYY-MM-DD) nor an ISO 8601 time (2026-03-01T12:00:00Z)")
                }
            }
            var k: AuditKind? = nil
            if let kind {
                guard let parsed = AuditKind(rawValue: kind) else {
                    throw CLIError("unknown audit kind '\(kind)'; the kinds are \(AuditKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                k = parsed
            }
            let entries = try attempt { try ws.catalog.read { try AuditTrail.entries($0, since: from, kind: k) } }
            var out = FileOutput()
            for e in entries {
                if json {
                    out.write(JSONText.object([
                        ("seq", .int(e.seq)), ("at", .string(e.at)), ("actor", .string(e.actor)), ("command", .string(e.command)),
                        ("kind", .string(e.kind)), ("premisEventType", .string(e.premisEventType)),
                        ("objectIds", .strings(e.objectIds.split(separator: " ").map(String.init))), ("outcome", .string(e.outcome)),
                        ("previousHash", .string(e.previousHash)), ("hash", .string(e.hash)),
                        ("clock", e.clock.map { .string($0) } ?? .null),
                    ]))
                } else {
                    // Names, reasons and outcomes are made safe for the terminal: no entry can forge a line or an escape code.
                    let t = SafeText.terminal
                    out.write("\(e.seq)  \(e.at)\(e.clock == ClockKind.replayed.rawValue ? " (replayed)" : "")  \(e.kind) (\(e.premisEventType))  "
                        + "\(t(e.actor))  \(t(e.command))  [\(t(e.objectIds))]  \(t(e.outcome))")
                }
            }
            out.flush()
        }
    }
}

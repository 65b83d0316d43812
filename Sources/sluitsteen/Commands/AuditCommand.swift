// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy

/// `sluitsteen audit verify|show`: checks and shows the tamper-evident audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check or show the audit trail.",
        subcommands: [Verify.self, Show.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the hash chain; names the first edited, removed, inserted or reordered entry (exit 1 on a break).")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "Print one JSON object.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let result = try attempt { try ws.catalog.read { try AuditTrail.verify($0) } }
            let head = try attempt { try ws.catalog.read { try AuditTrail.entries($0).last } }
            if json {
                print(JSONText.object([
                    ("intact", .bool(result.firstBreak == nil)), ("checked", .int(Int64(result.checked))),
                    ("firstBreak", result.firstBreak.map { b in .raw(JSONText.object([("seq", .int(b.seq)), ("reason", .string(b.reason))])) } ?? .null),
                    ("head", head.map { h in .raw(JSONText.object([("seq", .int(h.seq)), ("hash", .string(h.hash))])) } ?? .null),
                ]))
            } else if let b = result.firstBreak {
                print("BROKEN: \(b.description)")
                print("Entries before \(b.seq) are intact. Restore the catalog from a backup and find out who changed it.")
            } else {
                print("Audit trail intact: \(result.checked) entr\(result.checked == 1 ? "y" : "ies") checked.")
                if let h = head { print("Last entry \(h.seq), hash \(h.hash) (write it down to detect later removal of entries at the end).") }
            }
            if result.firstBreak != nil { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show audit entries, oldest first.")
        @OptionGroup var workspace: WorkspaceOptions
        @Option(name: .long, help: ArgumentHelp("Only entries at or after this date (Amsterdam day) or ISO 8601 time.", valueName: "DATE"))
        var since: String?
        @Option(name: .long, help: ArgumentHelp("Only entries of this kind (\(AuditKind.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "KIND"))
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
                    ]))
                } else {
                    out.write("\(e.seq)  \(e.at)  \(e.kind) (\(e.premisEventType))  \(e.actor)  \(e.command)  [\(e.objectIds)]  \(e.outcome)")
                }
            }
            out.flush()
        }
    }
}

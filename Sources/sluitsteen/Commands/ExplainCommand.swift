// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

extension ExplanationLanguage: ExpressibleByArgument {}

/// `sluitsteen explain`: the decision for one message, step by step, with every rule that applied.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain the decision for one message in a mailbox, step by step.",
        discussion: """
            Name the message by its copy number (--copy, the first column of `sluitsteen messages` and `sluitsteen search`) \
            or by its Message-ID (--message-id, with --mailbox when the message is in more than one mailbox). \
            When a hotspot or Woo hold has terms or zaak numbers, messages captured since the full-text index was last \
            brought up to date are added to it first (as `sluitsteen index` does).
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var target: CopyOptions
    @Option(name: .long, help: "Language: nl or en.") var lang: ExplanationLanguage = .dutch

    func run() throws {
        let ws = try workspace.open()
        let inForce = try policy.resolve(ws)
        let instant = try asOf.instant(ws)
        let forecast = asOf.forecastToday(instant, ws)
        let copies = try target.resolve(ws)
        let engine = RetentionEngine(workspace: ws, policy: inForce.policy)
        let decided = try attempt { () throws -> [Int64: DecidedCopy] in
            try engine.prepareTextIndexForTerms()
            return try engine.explain(copyIds: Set(copies.map(\.copyId)), asOf: instant)
        }
        let found = copies.compactMap { decided[$0.copyId] }
        guard !found.isEmpty else {
            // Only copies no longer in the archive: say what became of them (a tombstone has no decision to explain).
            let standings = try attempt { try ws.catalog.standings(copyIds: Set(copies.map(\.copyId))) }
            let gone = copies.map {
                "copy \($0.copyId) (\(SafeText.terminal($0.messageId))): \(standings[$0.copyId]?.dutch ?? $0.state.rawValue)"
            }
            throw CLIError("no longer in the archive, so there is no decision to explain: \(gone.joined(separator: "; "))")
        }
        let dutch = lang == .dutch
        if let notice = ws.kind.documentNotice { print(notice) }
        if let today = forecast {
            print(dutch ? Forecast.notice(asOf: AmsterdamTime.date(of: instant), today: today)
                        : "FORECAST: as of \(AmsterdamTime.date(of: instant).iso), after today (\(today.iso)): what the rules will require then " +
                          "if nothing changes.")
        }
        for d in found {
            // Message-IDs, folder names and names come from mail and people: shown inert on the terminal.
            let t = SafeText.terminal
            print(dutch ? "Bericht \(t(d.copy.messageId)) (kopie \(d.copy.copyId)) in \(d.copy.mailbox) (map \(t(d.copy.folder))), peildatum " +
                          "\(AmsterdamTime.date(of: instant).iso):"
                        : "Message \(t(d.copy.messageId)) (copy \(d.copy.copyId)) in \(d.copy.mailbox) (folder \(t(d.copy.folder))), as of " +
                          "\(AmsterdamTime.date(of: instant).iso):")
            for line in d.decision.explanation(lang) { print("  \(t(line))") }
            print((dutch ? "  Regels: " : "  Rules: ") + d.decision.rules.map(\.description).joined(separator: ", "))
            print((dutch ? "  Beleid: " : "  Policy: ") + inForce.source)
        }
    }
}

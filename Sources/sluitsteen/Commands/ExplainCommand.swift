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
            When a hotspot or Woo hold has terms or zaak numbers, messages captured since the full-text index was last \
            brought up to date are added to it first (as `sluitsteen index` does).
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var asOf: AsOfOptions
    @Option(name: .long, help: ArgumentHelp("Mailbox of the message.", valueName: "ADDRESS")) var mailbox: String
    @Option(name: .customLong("message-id"), help: ArgumentHelp("Message-ID (with or without < >).", valueName: "ID")) var messageId: String
    @Option(name: .long, help: "Language: nl or en.") var lang: ExplanationLanguage = .dutch

    func run() throws {
        let ws = try workspace.open()
        let inForce = try policy.resolve(ws)
        let instant = try asOf.instant(ws)
        let forecast = asOf.forecastToday(instant, ws)
        let wanted = Catalog.canonicalMessageId(messageId)
        var found: [DecidedCopy] = []
        let engine = RetentionEngine(workspace: ws, policy: inForce.policy)
        try attempt {
            try engine.prepareTextIndexForTerms()
            try engine.forEachDecision(asOf: instant, mailboxes: [mailbox], explain: true) { d in
                if d.copy.messageId == wanted { found.append(d) }
            }
        }
        guard !found.isEmpty else { throw CLIError("message \(wanted) is not in mailbox \(mailbox.lowercased()) (see `sluitsteen messages --mailbox \(mailbox)`)") }
        let dutch = lang == .dutch
        if let notice = ws.kind.documentNotice { print(notice) }
        if let today = forecast {
            print(dutch ? Forecast.notice(asOf: AmsterdamTime.date(of: instant), today: today)
                        : "FORECAST: as of \(AmsterdamTime.date(of: instant).iso), after today (\(today.iso)): what the rules will require then if nothing changes.")
        }
        for d in found {
            // Message-IDs, folder names and names come from mail and people: shown inert on the terminal.
            let t = SafeText.terminal
            print(dutch ? "Bericht \(t(d.copy.messageId)) in \(d.copy.mailbox) (map \(t(d.copy.folder))), peildatum \(AmsterdamTime.date(of: instant).iso):"
                        : "Message \(t(d.copy.messageId)) in \(d.copy.mailbox) (folder \(t(d.copy.folder))), as of \(AmsterdamTime.date(of: instant).iso):")
            for line in d.decision.explanation(lang) { print("  \(t(line))") }
            print((dutch ? "  Regels: " : "  Rules: ") + d.decision.rules.map(\.description).joined(separator: ", "))
            print((dutch ? "  Beleid: " : "  Policy: ") + inForce.source)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenChat
import SluitsteenPolicy
import SluitsteenRetention

/// `sluitsteen plan`: what the policy requires, as of a date, for every message copy.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "The retention plan: counts per class and action, and the schedule per year.",
        discussion: """
            Conversations (chat, sms) are no message copies: they are counted below the table, and with --json listed \
            after the copies, one line each with "kind":"chat", "conversation" (its id), its action, rules, reason and \
            explanation. When a hotspot or Woo hold has terms or zaak numbers, messages captured since the full-text index was last \
            brought up to date are added to it first (as `sluitsteen index` does), with a progress line on a terminal.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var actor: ActorOptions
    @Option(name: .long, parsing: .upToNextOption, help: "Only these mailboxes.") var mailbox: [String] = []
    @Flag(name: .long, help: """
        One JSON line per message copy (mailbox, sha256, messageId, date, class, waardering, action, dueDate, rules), then one per \
        conversation ("kind":"chat", conversation, title, action, rules, reason, explanation).
        """)
    var json = false
    @Option(name: .long, help: ArgumentHelp("Also write a Dutch HTML report (with an SVG chart).", valueName: "FILE.html")) var report: String?

    func run() throws {
        let ws = try workspace.open()
        let inForce = try policy.resolve(ws)
        let instant = try asOf.instant(ws)
        let forecast = asOf.forecastToday(instant, ws)
        var plan = RetentionPlan(asOf: AmsterdamTime.date(of: instant), policySource: inForce.source, forecastToday: forecast,
                                 archiveKind: ws.kind)
        let store = RetentionStore(workspace: ws)
        plan.notices = try attempt { try store.planNotices() }
        let now = ws.clock.now()
        plan.municipality = inForce.policy.archiefvormer.name
        plan.policyName = inForce.policy.name
        plan.policyVersion = inForce.policy.version
        plan.madeAt = now
        plan.madeBy = store.documentPerson(try actor.resolve(ws), on: AmsterdamTime.date(of: Instant(now)))
        plan.mailboxOwners = store.mailboxOwners()
        if json { for n in plan.notices { printError("note: \(n)") } }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        // Messages captured since the last index run are indexed first when terms are matched: show that on a terminal.
        var engine = RetentionEngine(workspace: ws, policy: inForce.policy)
        let indexing = IndexingNotice()
        if isatty(STDERR_FILENO) == 1 { engine.indexProgress = { p in indexing.drew(); IndexProgressLine.draw(p) } }
        defer { indexing.endLine() }
        try attempt { try engine.prepareTextIndexForTerms() }
        var first = true
        try attempt {
            try engine.forEachDecision(asOf: instant, mailboxes: list(mailbox)) { d in
                if first { first = false; indexing.endLine() }
                plan.add(d)
                if json {
                    RetentionPlan.appendJSONLine(d, forecast: forecast != nil, to: &out)
                    if out.count >= 1 << 20 { FileHandle.standardOutput.write(Data(out)); out.removeAll(keepingCapacity: true) }
                }
            }
        }
        plan.conversations = try conversations(ws, policy: inForce.policy, asOf: AmsterdamTime.date(of: instant))
        if json {
            for c in plan.conversations { out += Array((RetentionPlan.jsonLine(c, forecast: forecast != nil) + "\n").utf8) }
        }
        FileHandle.standardOutput.write(Data(out))
        if !json {
            print(plan.text, terminator: "")
            printChat(plan.conversations)
        }
        if let report {
            do { try Data(plan.html.utf8).write(to: URL(fileURLWithPath: report), options: .atomic) } catch {
                throw CLIError("cannot write \(report): \(error.localizedDescription)")
            }
            if !json { print("\nReport written to \(report)") }
        }
    }

    /// The conversations (chat, bijlage 5), each decided as `chat explain` decides it.
    private func conversations(_ ws: Workspace, policy: Policy, asOf: CivilDate) throws -> [PlannedConversation] {
        let conversations = try attempt { try ChatArchive(workspace: ws).conversations() }
        guard !conversations.isEmpty else { return [] }
        let store = RetentionStore(workspace: ws)
        let hotspots = try attempt { try store.hotspots() }
        let holds = try attempt { try store.holds() }
        let transfers = try attempt { try ChatArchive(workspace: ws).transfers() }
        return conversations.map { c in
            let d = ChatRetention.decide(c, policy: policy, hotspots: hotspots, holds: holds, asOfDate: asOf,
                                         transfer: c.id.flatMap { transfers[$0] })
            return PlannedConversation(
                id: c.id ?? 0, title: c.title, format: c.format.displayName, hotspot: c.hotspotName, zaaknummer: c.zaaknummer,
                first: c.firstTime, last: c.lastTime, messages: c.messageCount, state: c.state.rawValue, action: d.action,
                waardering: d.waardering, dueDate: d.dueDate, rules: d.rules, explanation: d.explanation(.dutch))
        }
    }

    /// The conversations counted per action, when there are any: they are no message copies, so they are not in the
    /// table above; `chat explain` gives each one's reasons (and `--json` one line each, `"kind":"chat"`).
    private func printChat(_ conversations: [PlannedConversation]) {
        guard !conversations.isEmpty else { return }
        var counts: [RetentionAction: Int] = [:]
        for c in conversations { counts[c.action, default: 0] += 1 }
        print("\nGesprekken (chat en sms, bijlage 5): \(conversations.count)")
        for action in RetentionAction.allCases { if let n = counts[action] { print("  \(action.dutchName): \(n)") } }
        print("  Per gesprek: sluitsteen chat explain --conversation ID")
    }
}

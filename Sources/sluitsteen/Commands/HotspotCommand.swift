// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension HotspotStatus: ExpressibleByArgument {}

/// `sluitsteen hotspot add|list|designate|reject|publish`: events of special public significance.
struct HotspotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotspot",
        abstract: "Hotspots: a designated hotspot turns 'destroy' into 'keep permanently'; a proposed one holds the mail.",
        subcommands: [Add.self, List.self, Designate.self, Reject.self, Lead.self, Publish.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a hotspot (at least one of --terms, --addresses, --mailboxes, --zaak).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, help: "Name of the hotspot.") var name: String
        @Option(name: .long, help: ArgumentHelp("First day of the period.", valueName: "DATE")) var from: String?
        @Option(name: .long, help: ArgumentHelp("Last day of the period.", valueName: "DATE")) var to: String?
        @Option(name: .long, help: "proposed or designated") var status: HotspotStatus
        @Option(name: .long, parsing: .upToNextOption, help: "Terms (comma-separated): whole words in subject or text, case- and accent-insensitive.")
        var terms: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Sender/recipient addresses (comma-separated).") var addresses: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Mailboxes (comma-separated).") var mailboxes: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Zaak numbers (comma-separated).") var zaak: [String] = []
        @Option(name: .long, help: "Reference of the designation decision.") var decision: String?
        @Option(name: .long, help: "What the event is and why it matters, in words for residents (printed on the public page).")
        var description: String?
        @Option(name: .customLong("project-lead"), help: ArgumentHelp(
            "person_id of the project lead or responsible employee: the one who may strip private messages from its chat.",
            valueName: "PERSON_ID"))
        var projectLead: String?

        func run() throws {
            guard status != .rejected else { throw CLIError("a new hotspot is proposed or designated, not rejected") }
            let ws = try workspace.open()
            let criteria = MatchCriteria(period: DatePeriod(from: try civilDate(from, option: "--from"), to: try civilDate(to, option: "--to")),
                                         terms: list(terms), addresses: list(addresses).map { $0.lowercased() },
                                         mailboxes: list(mailboxes).map { $0.lowercased() }, zaakNumbers: list(zaak))
            let id = try attempt {
                try RetentionStore(workspace: ws).addHotspot(name: name, status: status, criteria: criteria, decisionRef: decision,
                                                             description: description, projectLead: projectLead,
                                                             actor: try actor.resolve(ws))
            }
            print(SafeText.terminal("Hotspot \(id) '\(name)' added (\(status.rawValue))."))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the hotspots.")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "JSON lines.") var json = false

        func run() throws {
            let ws = try workspace.open()
            for h in try attempt({ try RetentionStore(workspace: ws).hotspots() }) {
                if json {
                    print(JSONText.object([("id", .string(h.id)), ("name", .string(h.name)), ("status", .string(h.status.rawValue)),
                                           ("from", h.criteria.period.from.map { .string($0.iso) } ?? .null),
                                           ("to", h.criteria.period.to.map { .string($0.iso) } ?? .null),
                                           ("terms", .strings(h.criteria.terms)), ("addresses", .strings(h.criteria.addresses)),
                                           ("mailboxes", .strings(h.criteria.mailboxes)), ("zaak", .strings(h.criteria.zaakNumbers)),
                                           ("decision", h.decisionRef.map { .string($0) } ?? .null),
                                           ("description", h.description.map { .string($0) } ?? .null),
                                           ("projectLead", h.projectLead.map { .string($0) } ?? .null)]))
                } else {
                    print(SafeText.terminal("\(h.id)  \(h.name)  [\(h.status.rawValue)]  \(h.criteria.period.description)"))
                }
            }
        }
    }

    /// What designating or rejecting a hotspot takes: the hotspot (name or id) and the decision's reference.
    struct DecisionOptions: ParsableArguments {
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "Hotspot name or id.") var hotspot: String
        @Option(name: .long, help: "Reference of the decision.") var decision: String?
        @Option(name: .long, help: "What the event is and why it matters, in words for residents (printed on the public page).")
        var description: String?

        func apply(_ status: HotspotStatus) throws {
            let ws = try workspace.open()
            let h = try attempt {
                try RetentionStore(workspace: ws).setHotspotStatus(hotspot, to: status, decisionRef: decision, description: description,
                                                                   actor: try actor.resolve(ws))
            }
            print(SafeText.terminal("Hotspot \(h.id) '\(h.name)' \(status.rawValue)."))
        }
    }

    struct Designate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Designate a proposed hotspot (by name or id).")
        @OptionGroup var options: DecisionOptions
        func run() throws { try options.apply(.designated) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a proposed hotspot (by name or id): its hold ends.")
        @OptionGroup var options: DecisionOptions
        func run() throws { try options.apply(.rejected) }
    }

    struct Lead: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Name the project lead of a hotspot (a person_id of people.csv): the one who may strip its chat.",
            discussion: """
                Bijlage 4 (privacy) lets the project lead or responsible employee strip private messages from a hotspot's \
                chat before it is handed over to DIV; `chat strip` accepts only them. --clear removes the project lead.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "Hotspot name or id.") var hotspot: String
        @Option(name: .long, help: ArgumentHelp("The project lead's person_id.", valueName: "PERSON_ID")) var person: String?
        @Flag(name: .long, help: "Remove the project lead.") var clear = false

        func run() throws {
            guard (person == nil) == clear else { throw CLIError("give --person PERSON_ID or --clear") }
            let ws = try workspace.open()
            let h = try attempt {
                try RetentionStore(workspace: ws).setHotspotProjectLead(hotspot, personId: person, actor: try actor.resolve(ws))
            }
            print(SafeText.terminal("Hotspot \(h.id) '\(h.name)': " + (h.projectLead.map { "project lead \($0)." } ?? "no project lead.")))
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the Dutch HTML page of designated hotspots for the municipal website.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, help: ArgumentHelp("Output HTML file.", valueName: "FILE")) var out: String

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let now = ws.clock.now()
            let store = RetentionStore(workspace: ws)
            let hotspots = try attempt { try store.hotspots() }
            let html = HotspotPage.html(hotspots: hotspots, policy: inForce.policy, madeAt: now,
                                        madeBy: store.documentPerson(try actor.resolve(ws), on: AmsterdamTime.date(of: Instant(now))),
                                        demoNotice: ws.kind.documentNotice)
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch { throw CLIError("cannot write \(out): \(error.localizedDescription)") }
            print(SafeText.terminal("Published \(hotspots.filter { $0.status == .designated }.count) designated hotspot(s) to \(out)."))
        }
    }
}

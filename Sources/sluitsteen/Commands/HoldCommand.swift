// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// `sluitsteen hold add|release|list`: Woo requests freeze the mail they cover from the day they are received.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Woo holds: nothing they cover is destroyed or purged until they are released.",
        subcommands: [Add.self, Release.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Freeze the mail a Woo request covers, from the day it was received.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, help: ArgumentHelp("Zaaknummer of the Woo request.", valueName: "ZAAKNUMMER")) var woo: String
        @Option(name: .long, help: ArgumentHelp("Date the request was received.", valueName: "DATE")) var received: String
        @Option(name: .long, parsing: .upToNextOption, help: "Mailboxes (comma-separated).") var mailboxes: [String] = []
        @Option(name: .long, help: ArgumentHelp("First day of the period covered.", valueName: "DATE")) var from: String?
        @Option(name: .long, help: ArgumentHelp("Last day of the period covered.", valueName: "DATE")) var to: String?
        @Option(name: .long, parsing: .upToNextOption, help: "Terms (comma-separated).") var terms: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Sender/recipient addresses (comma-separated).") var addresses: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Zaak numbers to find in subject or text (comma-separated).") var zaak: [String] = []

        func run() throws {
            let ws = try workspace.open()
            guard let receivedDate = try civilDate(received, option: "--received") else { throw CLIError("--received is required") }
            let criteria = MatchCriteria(period: DatePeriod(from: try civilDate(from, option: "--from"), to: try civilDate(to, option: "--to")),
                                         terms: list(terms), addresses: list(addresses).map { $0.lowercased() },
                                         mailboxes: list(mailboxes).map { $0.lowercased() }, zaakNumbers: list(zaak))
            let id = try attempt {
                try RetentionStore(workspace: ws).addHold(zaaknummer: woo, received: receivedDate, criteria: criteria, actor: try actor.resolve(ws))
            }
            print(SafeText.terminal("Woo hold \(id) for \(woo) in force from \(receivedDate.iso)."))
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a hold (by id or zaaknummer) as of today.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: ArgumentHelp("Hold id or zaaknummer.", valueName: "ID-OR-ZAAKNUMMER")) var hold: String
        @Option(name: .long, help: "Why the hold ends (e.g. the Woo decision is final).") var reason: String

        func run() throws {
            let ws = try workspace.open()
            let ids = try attempt { try RetentionStore(workspace: ws).releaseHold(hold, reason: reason, actor: try actor.resolve(ws)) }
            print(SafeText.terminal("Released: \(ids.joined(separator: ", "))."))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the Woo holds.")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "JSON lines.") var json = false

        func run() throws {
            let ws = try workspace.open()
            for h in try attempt({ try RetentionStore(workspace: ws).holds() }) {
                if json {
                    print(JSONText.object([("id", .string(h.id)), ("zaaknummer", .string(h.zaaknummer)), ("received", .string(h.received.iso)),
                                           ("released", h.released.map { .string($0.iso) } ?? .null),
                                           ("releaseReason", h.releaseReason.map { .string($0) } ?? .null),
                                           ("from", h.criteria.period.from.map { .string($0.iso) } ?? .null),
                                           ("to", h.criteria.period.to.map { .string($0.iso) } ?? .null),
                                           ("mailboxes", .strings(h.criteria.mailboxes)), ("terms", .strings(h.criteria.terms)),
                                           ("addresses", .strings(h.criteria.addresses)), ("zaak", .strings(h.criteria.zaakNumbers))]))
                } else {
                    let state = h.released.map { "released \($0.iso)" } ?? "active"
                    print(SafeText.terminal("\(h.id)  \(h.zaaknummer)  received \(h.received.iso)  \(state)"))
                }
            }
        }
    }
}

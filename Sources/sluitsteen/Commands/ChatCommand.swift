// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenChat
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension DateOrder: ExpressibleByArgument {}

/// `sluitsteen chat …`: chat and text messages under a hotspot or a Woo request (bijlagen 4 and 5).
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Chat and text messages (WhatsApp, SMS) under a hotspot or a Woo request.",
        discussion: """
            Chat is archived only when it concerns a hotspot or a Woo request (bijlage 5). `chat ingest` keeps each export \
            file byte for byte and reads its messages; the project lead may then strip private messages (`chat strip`) \
            before `chat handover` hands the conversation to DIV, after which it is read-only. When messages were \
            stripped, the export file as received is removed from the store at hand-over (its SHA-256 stays recorded).
            """,
        subcommands: [Ingest.self, List.self, Messages.self, Strip.self, Handover.self, Explain.self])

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take WhatsApp exports (.txt or .zip) or SMS Backup & Restore XML in under a hotspot or a Woo request.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var person: PersonOptions
        @Option(name: .long, help: ArgumentHelp("The hotspot the chat concerns (its name).", valueName: "NAME")) var hotspot: String?
        @Option(name: .long, help: ArgumentHelp("The Woo request the chat is handed over for (hold id or zaaknummer).", valueName: "ID"))
        var woo: String?
        @Option(name: .customLong("date-order"), help: ArgumentHelp(
            "dmy or mdy: how the export writes dates, when no date in it shows (a day above 12).", valueName: "ORDER"))
        var dateOrder: DateOrder?
        @Flag(name: .long, help: "Print the summary as JSON lines.") var json = false
        @Argument(help: ArgumentHelp("The export files.", valueName: "FILE")) var files: [String]

        func run() throws {
            let ws = try workspace.open()
            let actor = try person.resolve(ws)
            let store = RetentionStore(workspace: ws)
            let outcomes = try attempt { () throws -> [ChatArchive.IngestOutcome] in
                guard let registers = try store.registers() else {
                    throw CLIError("no registers have been imported yet (`sluitsteen register import …`): the person who hands the chat "
                        + "over must be in the personnel register")
                }
                let today = AmsterdamTime.date(of: Instant(ws.clock.now()))
                let link = try ChatLink.resolve(hotspot: hotspot, woo: woo, hotspots: try store.hotspots(), holds: try store.holds(),
                                                on: today)
                let command = "chat ingest " + (hotspot.map { "--hotspot \($0)" } ?? "--woo \(woo ?? "")")
                return try ChatArchive(workspace: ws).ingest(files.map { URL(fileURLWithPath: $0) }, link: link, actor: actor,
                                                             registers: registers, dateOrder: dateOrder, command: command)
            }
            for o in outcomes {
                if json {
                    let persons = JSONText.object(o.persons.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
                    print(JSONText.object([("conversation", .int(o.conversationId)), ("title", .string(o.title)),
                                           ("format", .string(o.format.rawValue)),
                                           ("messages", .int(Int64(o.messages))), ("system", .int(Int64(o.systemLines))),
                                           ("deleted", .int(Int64(o.deleted))), ("mediaStored", .int(Int64(o.mediaStored))),
                                           ("mediaMissing", .strings(o.mediaMissing)), ("alreadyPresent", .bool(o.alreadyPresent)),
                                           ("persons", .raw(persons))]))
                } else if o.alreadyPresent {
                    print(SafeText.terminal("Conversation \(o.conversationId) (\(o.title)) was taken in before; nothing changed."))
                } else {
                    print(SafeText.terminal("Conversation \(o.conversationId) (\(o.title), \(o.format.displayName)): \(o.messages) messages "
                        + "(\(o.systemLines) system line(s), \(o.deleted) deleted), \(o.mediaStored) media files stored."))
                    if !o.mediaMissing.isEmpty {
                        print(SafeText.terminal("  Named in the chat but not in the export (not received): "
                            + o.mediaMissing.joined(separator: ", ")))
                    }
                    for (name, id) in o.persons.sorted(by: { $0.key < $1.key }) {
                        print(SafeText.terminal("  \(name) = \(id) (personnel register)"))
                    }
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the conversations.")
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let ws = try workspace.open()
            for c in try attempt({ try ChatArchive(workspace: ws).conversations() }) {
                let link = c.hotspotName.map { "hotspot \($0)" } ?? "Woo \(c.zaaknummer ?? "?")"
                if json {
                    print(JSONText.object([
                        ("conversation", .int(c.id ?? 0)), ("title", .string(c.title)), ("format", .string(c.format.rawValue)),
                        ("hotspot", c.hotspotName.map { .string($0) } ?? .null), ("woo", c.zaaknummer.map { .string($0) } ?? .null),
                        ("handedOverBy", .string(c.handedOverBy)), ("messages", .int(Int64(c.messageCount))),
                        ("first", c.firstTime.map { .string($0) } ?? .null), ("last", c.lastTime.map { .string($0) } ?? .null),
                        ("state", .string(c.state.rawValue)), ("exportSHA256", .string(c.exportSHA256)),
                        ("exportState", .string(c.exportState.rawValue)),
                    ]))
                } else {
                    print(SafeText.terminal("\(c.id ?? 0)  \(c.title)  \(c.format.displayName)  \(c.messageCount) messages  \(link)  "
                        + "from \(c.handedOverByName) (\(c.handedOverBy))  "
                        + (c.state == .review ? "under review" : "handed over \(c.handoverAt ?? "")")))
                }
            }
        }
    }

    struct Messages: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List chat messages: sender, time (Amsterdam, with offset), text, media.")
        @OptionGroup var workspace: WorkspaceOptions
        @Option(name: .long, help: ArgumentHelp("Only this conversation.", valueName: "ID")) var conversation: Int64?
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let ws = try workspace.open()
            let archive = ChatArchive(workspace: ws)
            if let conversation { _ = try attempt { try archive.conversation(conversation) } }
            var out = FileOutput()
            for m in try attempt({ try archive.messages(conversationId: conversation) }) {
                if json {
                    out.write(JSONText.object([
                        ("conversation", .int(m.conversationId)), ("seq", .int(Int64(m.seq))), ("kind", .string(m.kind.rawValue)),
                        ("sender", m.sender.map { .string($0) } ?? .null), ("senderAddress", m.senderAddress.map { .string($0) } ?? .null),
                        ("person", m.personId.map { .string($0) } ?? .null), ("time", .string(m.time)), ("text", .string(m.text)),
                        ("media", .raw(m.mediaJSON)), ("mediaOmitted", .bool(m.mediaOmitted)), ("line", .int(Int64(m.line))),
                    ]))
                } else {
                    // Chat text comes from people: shown inert, each of its lines indented under the first.
                    let who = m.kind == .system ? "(systeem)" : (m.sender ?? "?")
                    let lines = m.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let media = m.media.isEmpty ? "" : "  [media: \(m.media.joined(separator: ", "))]"
                    let deleted = m.kind == .deleted ? "  [verwijderd]" : ""
                    out.write(SafeText.terminal("\(m.conversationId)#\(m.seq)  \(m.time)  \(who): \(lines.first ?? "")\(media)\(deleted)"))
                    for more in lines.dropFirst() { out.write("    " + SafeText.terminal(more)) }
                }
            }
            out.flush()
        }
    }

    struct Strip: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Strip private messages from a conversation before its hand-over (records how many, by whom and when).",
            discussion: """
                Only the project lead of the conversation's hotspot (`hotspot lead`), or for a conversation under a Woo \
                request the Woo-coördinator (role woo-coordinator), may strip (bijlage 4, privacy).
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var person: PersonOptions
        @Option(name: .long, help: ArgumentHelp("The conversation.", valueName: "ID")) var conversation: Int64
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Numbers of the messages to strip (as `chat messages` shows them).",
                                                                           valueName: "N"))
        var message: [String]

        func run() throws {
            let ws = try workspace.open()
            var seqs: [Int] = []
            for part in list(message) {
                guard let n = Int(part), n > 0 else { throw CLIError("--message '\(part)' is not a message number (1, 2, …)") }
                seqs.append(n)
            }
            let actor = try person.resolve(ws)
            let store = RetentionStore(workspace: ws)
            let o = try attempt { () throws -> ChatArchive.StripOutcome in
                let authority = StripAuthority(hotspots: try store.hotspots(), registers: try store.registers() ?? Registers(),
                                               today: AmsterdamTime.date(of: Instant(ws.clock.now())))
                return try ChatArchive(workspace: ws).strip(conversationId: conversation, seqs: seqs, actor: actor, authority: authority)
            }
            print("Stripped \(o.messages) message(s)" + (o.media > 0 ? " and \(o.media) media file(s)" : "")
                + " from conversation \(conversation). The export file as received is kept until the hand-over.")
        }
    }

    struct Handover: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand a conversation over to DIV: read-only from then on.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var person: PersonOptions
        @Option(name: .long, help: ArgumentHelp("The conversation.", valueName: "ID")) var conversation: Int64

        func run() throws {
            let ws = try workspace.open()
            let actor = try person.resolve(ws)
            let o = try attempt { try ChatArchive(workspace: ws).handover(conversationId: conversation, actor: actor) }
            print("Conversation \(conversation) handed over to DIV with \(o.messages) message(s); it is read-only now.")
            if o.exportRemoved {
                print("\(o.strippedMessages) message(s) were stripped: the export file as received"
                    + (o.mediaRemoved > 0 ? " and \(o.mediaRemoved) stripped media file(s)" : "")
                    + " were removed from the store (its SHA-256 stays recorded).")
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Explain the retention decision for a conversation, step by step.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var asOf: AsOfOptions
        @Option(name: .long, help: ArgumentHelp("The conversation.", valueName: "ID")) var conversation: Int64
        @Option(name: .long, help: "Language: nl or en.") var lang: ExplanationLanguage = .dutch

        func run() throws {
            let ws = try workspace.open()
            let inForce = try policy.resolve(ws)
            let instant = try asOf.instant(ws)
            let date = AmsterdamTime.date(of: instant)
            let store = RetentionStore(workspace: ws)
            let archive = ChatArchive(workspace: ws)
            let c = try attempt { try archive.conversation(conversation) }
            let d = ChatRetention.decide(c, policy: inForce.policy, hotspots: try attempt { try store.hotspots() },
                                         holds: try attempt { try store.holds() }, asOfDate: date,
                                         transfer: try attempt { try archive.transfers() }[conversation])
            let dutch = lang == .dutch
            if let notice = ws.kind.documentNotice { print(notice) }
            print(SafeText.terminal(dutch ? "Gesprek \(conversation) (\(c.title)), peildatum \(date.iso):"
                                          : "Conversation \(conversation) (\(c.title)), as of \(date.iso):"))
            for line in d.explanation(lang) { print("  " + SafeText.terminal(line)) }
            print((dutch ? "  Regels: " : "  Rules: ") + SafeText.terminal(d.rules.map(\.description).joined(separator: ", ")))
            print((dutch ? "  Beleid: " : "  Policy: ") + inForce.source)
        }
    }
}

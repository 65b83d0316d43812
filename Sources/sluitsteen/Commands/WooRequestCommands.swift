// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenWoo

// The `sluitsteen woo` subcommands of the workflow: each parses its options, calls one function of WooWorkflow and
// prints what it returns (text, or JSON with --json).

extension WooCommand {
    /// The workflow on the workspace and policy in force.
    struct Context {
        let workspace: Workspace
        let workflow: WooWorkflow

        init(_ options: WorkspaceOptions, _ policy: PolicyOptions) throws {
            workspace = try options.open()
            workflow = WooWorkflow(workspace: workspace, policy: try policy.resolve(workspace).policy)
        }
    }

    /// `woo register`
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a Woo request: its hold, its deadline and its verzameling (every copy in scope).",
            discussion: """
                The hold applies from the day of receipt: nothing it covers is destroyed or purged. The deadline is four \
                weeks after receipt (`woo extend` adds two weeks once). The scope: a period (--from/--to), persons \
                (--persons P0003: their personal mailboxes from the registers) or mailboxes (--mailboxes), and terms, \
                zaak numbers or addresses; only the mailboxes the scope names are searched (none named: every mailbox, \
                and then terms or addresses are required). The full-text index is brought up to date first when the scope \
                has terms. The verzameling numbers every mail copy and every attachment as a document (Family ID: the \
                mail; Email Thread ID: the first mail of its conversation); the same message in several mailboxes is a \
                duplicate and takes the review of the first. Next: `sluitsteen woo documents ZAAKNUMMER`.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer, e.g. Z-2025-0142.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Option(name: .long, help: ArgumentHelp("Day the request was received (YYYY-MM-DD).", valueName: "DATE")) var received: String
        @Option(name: .long, help: ArgumentHelp("The request's subject in words.", valueName: "TEXT")) var title = ""
        @Option(name: .long, help: ArgumentHelp("First message date covered (YYYY-MM-DD).", valueName: "DATE")) var from: String?
        @Option(name: .long, help: ArgumentHelp("Last message date covered (YYYY-MM-DD).", valueName: "DATE")) var to: String?
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Person ids whose personal mailboxes are searched.", valueName: "ID"))
        var persons: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Mailboxes searched (comma-separated).", valueName: "ADDRESS"))
        var mailboxes: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Terms; any one in the subject or text.", valueName: "TERM"))
        var terms: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Sender or recipient addresses.", valueName: "ADDRESS"))
        var addresses: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Zaak numbers to find in the subject or text.", valueName: "NUMBER"))
        var zaak: [String] = []
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            guard let day = try civilDate(received, option: "--received") else { throw CLIError("--received is required") }
            let scope = WooScope(period: DatePeriod(from: try civilDate(from, option: "--from"), to: try civilDate(to, option: "--to")),
                                 persons: list(persons), mailboxes: list(mailboxes), terms: list(terms), addresses: list(addresses),
                                 zaakNumbers: list(zaak))
            let actor = try person.resolve(c.workspace)
            let o = try attempt { try c.workflow.register(WooRegistration(zaaknummer: zaaknummer, title: title, received: day, scope: scope),
                                                          actor: actor) }
            if json {
                print(JSONText.object(WooJSON.request(o.request) + [
                    ("adoptedHold", .bool(o.adoptedHold)), ("mailboxesSearched", o.mailboxes.map { .strings($0) } ?? .null),
                    ("copies", .int(Int64(o.copies))), ("attachments", .int(Int64(o.attachments))), ("threads", .int(Int64(o.threads))),
                    ("duplicates", .int(Int64(o.duplicates))), ("nearDuplicates", .int(Int64(o.nearDuplicates))),
                    ("conversations", .int(Int64(o.conversations))), ("notices", .strings(o.notices)),
                ]))
                return
            }
            print(SafeText.terminal("Woo request \(o.request.zaaknummer) registered: received \(o.request.received.iso), decision due "
                + "\(o.request.deadline.iso); hold \(o.request.holdId)\(o.adoptedHold ? " (taken over)" : "") in force from "
                + "\(o.request.received.iso)."))
            print(SafeText.terminal("Searched: " + (o.mailboxes?.joined(separator: ", ") ?? "every mailbox") + "."))
            print("Verzameling: \(o.copies) mail cop\(o.copies == 1 ? "y" : "ies") and \(o.attachments) attachment(s) = "
                + "\(o.copies + o.attachments) documents in \(o.threads) thread(s); \(o.duplicates) duplicate(s) and "
                + "\(o.nearDuplicates) near-duplicate(s) follow the review of their original.")
            if o.conversations > 0 { print("Conversations (chat, sms): \(o.conversations), after the mail.") }
            for n in o.notices { print(SafeText.terminal("Note: \(n)")) }
            print(SafeText.terminal("Next: sluitsteen woo suggestions \(o.request.zaaknummer) --by \(actor.personId ?? "…")  "
                + "(reads the documents and suggests redactions)"))
        }
    }

    /// `woo chats`
    struct Chats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the conversations (chat, sms) a request covers to its verzameling, when they are not in it yet.",
            discussion: """
                `woo register` takes in the conversations there are then; run this after `sluitsteen chat ingest --woo \
                ZAAKNUMMER` (or after a hotspot's chat was taken in) to add the new ones. A conversation is covered when \
                it was taken in for the request, or when a term or zaak number of the request's scope occurs in its title \
                or in a message of the period (whole words, case and accents ignored, as the search of mail) and, when \
                the scope names persons, one of them wrote in it or handed it over. Each becomes a document after the \
                last one: its title, and per message the sender and the text, are read, assessed and redacted like a mail.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Flag(name: .long, help: "Print the documents added, one JSON object per line.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let actor = try person.resolve(c.workspace)
            let added = try attempt { try c.workflow.addConversations(zaaknummer, actor: actor) }
            if json {
                for d in added { print(JSONText.object(WooJSON.document(d, effective: d.review))) }
                return
            }
            if added.isEmpty { print(SafeText.terminal("No conversation to add: the verzameling of \(zaaknummer) has every one it covers.")) }
            for d in added {
                print(SafeText.terminal("Document \(d.id): conversation \(d.conversationId ?? 0) (\(d.title)) added to \(zaaknummer)."))
            }
        }
    }

    /// `woo list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the Woo requests with their deadlines and progress.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let requests = try attempt { try c.workflow.requests() }
            if requests.isEmpty && !json { print("No Woo requests registered (sluitsteen woo register …).") }
            for r in requests {
                let s = try attempt { try c.workflow.summary(r.zaaknummer) }
                if json {
                    print(JSONText.object(WooJSON.request(r) + WooJSON.summary(s)))
                } else {
                    let due = s.daysLeft.map { $0 < 0 ? "OVERDUE by \(-$0) day(s)" : "\($0) day(s) left" } ?? "decided \(r.decisionDate?.iso ?? "")"
                    print(SafeText.terminal("\(r.zaaknummer)  \(r.status.rawValue)  received \(r.received.iso)  due \(r.deadline.iso) "
                        + "(\(due))  \(s.mails + s.attachments) documents, \(s.toAssess) to assess, \(s.suggestionsUndecided) suggestion(s) open"
                        + (r.title.isEmpty ? "" : "  \(r.title)")))
                }
            }
        }
    }

    /// `woo show`
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a Woo request: deadline, scope, hold, verzameling and progress.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Flag(name: .long, help: "Print one JSON object.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let s = try attempt { try c.workflow.summary(zaaknummer) }
            let r = s.request
            if json {
                let problems = try attempt { try c.workflow.productionProblems(zaaknummer) }
                print(JSONText.object(WooJSON.request(r) + WooJSON.summary(s) + [("productionProblems", .strings(problems))]))
                return
            }
            var lines = ["Woo request \(r.zaaknummer)" + (r.title.isEmpty ? "" : " — \(r.title)")]
            func line(_ label: String, _ value: String) { lines.append("  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + value) }
            line("status", r.status.rawValue)
            line("received", r.received.iso + "  (registered by \(r.createdBy))")
            line("deadline", r.deadline.iso + (s.daysLeft.map { $0 < 0 ? "  OVERDUE by \(-$0) day(s)" : "  \($0) day(s) left" } ?? "")
                + (r.extendedOn.map { "  (extended on \($0.iso): \(r.extensionReason ?? ""))" } ?? ""))
            if let d = r.decisionDate { line("decision", "\(d.iso)  \(r.decisionType?.rawValue ?? "")") }
            line("hold", "\(r.holdId) from \(r.received.iso)" + (s.holdReleased.map { "; no longer applies from \($0.iso)" } ?? "; in force"))
            line("scope", WooJSON.scopeText(r.scope))
            line("verzameling", "\(s.mails) mail(s), \(s.attachments) attachment(s) in \(s.threads) thread(s); \(s.following) follow "
                + "another (duplicates)" + (s.conversations > 0 ? "; \(s.conversations) conversation(s)" : ""))
            let assessed = WooAssessment.allCases.compactMap { a in s.assessed[a].map { "\(a.rawValue) \($0)" } }
            line("review", "\(s.toAssess) to assess, \(s.notRelevant) not " +
                           "relevant" + (assessed.isEmpty ? "" : "; " + assessed.joined(separator: ", ")))
            line("redactions", "\(s.suggestionsUndecided) suggestion(s) undecided, \(s.redactionsAccepted) accepted")
            line("productions", String(s.productions))
            lines.forEach { print(SafeText.terminal($0)) }
            if r.status != .decided {
                let problems = try attempt { try c.workflow.productionProblems(zaaknummer) }
                if problems.isEmpty {
                    print(SafeText.terminal("Ready to produce: sluitsteen woo produce \(r.zaaknummer) --out DIR --by PERSON_ID"))
                } else {
                    print("Before production (\(problems.count)):")
                    for p in problems.prefix(10) { print(SafeText.terminal("  - " + p)) }
                    if problems.count > 10 { print("  … and \(problems.count - 10) more (`sluitsteen woo documents \(r.zaaknummer) --todo`)") }
                }
            }
        }
    }

    /// `woo documents`
    struct Documents: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the documents of a request's verzameling with their review (metadata only).",
            discussion: """
                Columns: ID, Family ID, Thread ID, kind, mailbox, date, assessment (or what it follows), suggestions \
                undecided/accepted, title. A duplicate (same bytes) or near-duplicate (same message, other bytes) shows \
                `= ID`: it takes that document's review. Read a document's text with `sluitsteen woo read`.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Flag(name: .long, help: "Only documents that still need something before production.") var todo = false
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let docs = try attempt { try c.workflow.documents(zaaknummer) }
            let redactions = try attempt { try c.workflow.redactions(zaaknummer) }
            var open: [Int: Int] = [:], accepted: [Int: Int] = [:]
            for r in redactions {
                if r.status == .suggested { open[r.document, default: 0] += 1 }
                if r.status == .accepted { accepted[r.document, default: 0] += 1 }
            }
            let pending: Set<String>? = todo ? Set(try attempt { try c.workflow.productionProblems(zaaknummer) }
                .compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }) : nil
            var out = FileOutput()
            let byNumber = Dictionary(uniqueKeysWithValues: docs.map { ($0.number, $0) })
            for d in docs {
                if let pending, !pending.contains(d.id) { continue }
                let review = WooWorkflow.effectiveReview(of: d, in: byNumber)
                if json {
                    out.write(JSONText.object(WooJSON.document(d, effective: review) + [
                        ("suggestionsUndecided", .int(Int64(open[d.number] ?? 0))), ("redactionsAccepted", .int(Int64(accepted[d.number] ?? 0))),
                    ]))
                    continue
                }
                let state: String
                if let f = d.follows {
                    state = "= \(WooDocument.id(f)) (\(d.relation?.dutch ?? ""))"
                } else if review.relevant == false {
                    state = "niet relevant"
                } else {
                    state = (review.assessment?.rawValue ?? "te beoordelen")
                        + (review.grounds.isEmpty ? "" : " " + review.grounds.joined(separator: ";"))
                }
                let date = d.date.map { String($0.prefix(10)) } ?? "(geen datum)"
                let counts = (open[d.number] ?? 0) + (accepted[d.number] ?? 0) > 0 ? " [\(open[d.number] ?? 0)/\(accepted[d.number] ?? 0)]" : ""
                out.write(SafeText.terminal("\(d.id)  \(WooDocument.id(d.family))  \(WooDocument.id(d.thread))  "
                    + "\(d.kind == .email ? "email" : d.fileType)  \(d.kind == .chat ? "gesprek \(d.conversationId ?? 0)" : d.mailbox)  "
                    + "\(date)  \(state)\(counts)  \(d.title)"
                    + (d.problem.map { "  (! \($0))" } ?? "")))
            }
            out.flush()
        }
    }

    /// `woo read`
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a document's text as it will be disclosed, with its redactions marked (logged in the access log).",
            discussion: """
                Prints every field (Van, Aan, Cc, Datum, Onderwerp, Tekst, attachment names; for a PDF or Office \
                attachment the text of its pages) with accepted redactions as ⟦ground: text⟧ and undecided suggestions as \
                ⟨#number kind: text⟩. The read is recorded in the access log with the request as the reason.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Argument(help: ArgumentHelp("The document's ID.", valueName: "ID")) var document: String
        @Flag(name: .long, help: "Print one JSON object (fields and redactions with offsets).") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let actor = try person.resolve(c.workspace)
            let access = try attempt { try c.workflow.access(for: actor) }
            let number = try WooIds.one(document)
            let text = try attempt { try c.workflow.text(zaaknummer, document: number, access: access) }
            let redactions = try attempt { try c.workflow.redactions(zaaknummer, document: number) }
            if json {
                print(JSONText.object(WooJSON.document(text.document, effective: text.document.review) + [
                    ("fields", .raw("[" + text.fields.map { JSONText.object([("field", .string($0.field.storedName)), ("text", .string($0.text))]) }
                        .joined(separator: ",") + "]")),
                    ("redactions", .raw("[" + redactions.map { JSONText.object(WooJSON.redaction($0)) }.joined(separator: ",") + "]")),
                    ("bodyFromHTML", .bool(text.bodyFromHTML)), ("problem", text.problem.map { .string($0) } ?? .null),
                ]))
                return
            }
            print(SafeText.terminal("Document \(text.document.id) of \(zaaknummer): \(text.document.title)"))
            if text.bodyFromHTML { print("Note: this mail has no plain-text part; its text is taken from the HTML (check the PDF).") }
            if let p = text.problem { print(SafeText.terminal("Note: \(p)")) }
            for (field, value) in text.fields {
                let marked = WooJSON.marked(value, redactions.filter { $0.field == field && $0.status != .rejected })
                print(SafeText.terminalLines("\(field): \(marked)", lineLimit: 100_000, lineCount: 100_000))
            }
        }
    }

    /// `woo review`
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the review of documents: relevant or not, assessment, grounds, note.",
            discussion: """
                Assessments: openbaar, deels (deels openbaar), niet (niet openbaar), reeds (reeds openbaar). Grounds are \
                codes of the Woo grounds list, e.g. 5.1.1e (identification numbers such as the BSN), 5.1.2e (personal \
                privacy), 5.2.1 (personal policy opinions); `deels openbaar` takes the grounds of its accepted redactions. \
                Documents: IDs and ranges (3 7-9), --with-attachments adds the attachments of the mails named, \
                --all-open every document still to assess. A duplicate takes its original's review (review the original, \
                or give it its own with --separate).
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Argument(help: ArgumentHelp("Document IDs or ranges (3 7-9).", valueName: "ID")) var documents: [String] = []
        @Flag(name: .long, help: "Also the attachments of the mails named.") var withAttachments = false
        @Flag(name: .long, help: "Every document not yet assessed (and not marked irrelevant, not a duplicate).") var allOpen = false
        @Option(name: .long, help: ArgumentHelp("Relevant to the request: yes or no.", valueName: "YES|NO")) var relevant: String?
        @Option(name: .long, help: ArgumentHelp("openbaar, deels, niet or reeds.", valueName: "ASSESSMENT")) var assessment: String?
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Ground codes (comma-separated), e.g. 5.1.2e.", valueName: "CODE"))
        var ground: [String] = []
        @Flag(name: .long, help: "Remove the grounds recorded.") var noGrounds = false
        @Option(name: .long, help: ArgumentHelp("Toelichting (the motivation shown in the inventarislijst).", valueName: "TEXT")) var note: String?
        @Option(name: .long, help: ArgumentHelp("Opgeschort (disclosure suspended): yes or no.", valueName: "YES|NO")) var suspended: String?
        @Option(name: .long, help: ArgumentHelp("Where the document is already public (reeds openbaar).", valueName: "URL")) var link: String?
        @Flag(name: .long, help: "Give a duplicate a review of its own.") var separate = false
        @Flag(name: .long, help: "Print the documents as recorded, one JSON object per line.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let actor = try person.resolve(c.workspace)
            var numbers = try WooIds.parse(documents)
            let docs = try attempt { try c.workflow.documents(zaaknummer) }
            if withAttachments {
                let families = Set(numbers)
                numbers += docs.filter { $0.kind == .attachment && families.contains($0.family) && $0.follows == nil }.map(\.number)
            }
            if allOpen {
                numbers += docs.filter { $0.follows == nil && $0.review.relevant != false && $0.review.assessment == nil }.map(\.number)
            }
            guard !numbers.isEmpty else {
                throw CLIError(allOpen ? "no document is left to assess" : "name the documents to review (IDs, ranges, or --all-open)")
            }
            var change = WooReviewChange(note: note, publicLink: link, separate: separate)
            if let relevant { change.relevant = try WooIds.yesNo(relevant, option: "--relevant") }
            if let suspended { change.suspended = try WooIds.yesNo(suspended, option: "--suspended") }
            if let assessment {
                guard let a = WooAssessment(spelling: assessment) else {
                    throw CLIError("--assessment '\(assessment)' is not one of openbaar, deels, niet, reeds")
                }
                change.assessment = a
            }
            if noGrounds { change.grounds = [] } else if !ground.isEmpty { change.grounds = list(ground) }
            let recorded = try attempt { try c.workflow.review(zaaknummer, documents: numbers, change, actor: actor) }
            if json {
                for d in recorded { print(JSONText.object(WooJSON.document(d, effective: d.review))) }
            } else {
                print(SafeText.terminal("Recorded the review of \(recorded.count) document(s): "
                    + recorded.map(\.id).joined(separator: ", ").prefix(400) + "."))
            }
        }
    }

    /// `woo suggestions`
    struct Suggestions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the documents with the recognisers, store their suggested redactions, and list them.",
            discussion: """
                Documents not read before are read (every read is in the access log), except duplicates and documents \
                marked irrelevant; --again reads them all anew (spans already stored are not stored twice). Suggestions \
                (BSN, IBAN, phone, e-mail outside the organisation, address, licence plate, KvK, date of birth, names of \
                staff who are not key persons) are never applied by themselves: accept or reject each with \
                `sluitsteen woo redact`. Lists the undecided suggestions (--status for others).
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Argument(help: ArgumentHelp("Only these documents (IDs or ranges).", valueName: "ID")) var documents: [String] = []
        @Flag(name: .long, help: "Read the documents again.") var again = false
        @Flag(name: .long, help: "Only list; read no document.") var listOnly = false
        @Option(name: .long, help: ArgumentHelp("Which to list: suggested, accepted, rejected or all.", valueName: "STATUS")) var status = "suggested"
        @Flag(name: .long, help: "One JSON object per redaction, then a summary object.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let actor = try person.resolve(c.workspace)
            let access = try attempt { try c.workflow.access(for: actor) }
            let numbers = try WooIds.parse(documents)
            let wanted: WooRedactionStatus?
            if status == "all" { wanted = nil } else {
                guard let s = WooRedactionStatus(rawValue: status) else { throw CLIError("--status is suggested, accepted, rejected or all") }
                wanted = s
            }
            let scan = listOnly ? nil : try attempt {
                try c.workflow.scan(zaaknummer, documents: numbers.isEmpty ? nil : numbers, again: again, access: access)
            }
            var shown: [WooRedactionRecord] = []
            for n in numbers.isEmpty ? [nil] : numbers.map(Optional.some) {
                shown += try attempt { try c.workflow.redactionsForReview(zaaknummer, document: n, status: wanted, access: access) }
            }
            var out = FileOutput()
            if json {
                for r in shown { out.write(JSONText.object(WooJSON.redaction(r))) }
                out.write(JSONText.object([("scanned", .int(Int64(scan?.scanned ?? 0))), ("newSuggestions", .int(Int64(scan?.suggestions ?? 0))),
                                           ("listed", .int(Int64(shown.count))), ("problems", .strings(scan?.problems ?? []))]))
            } else {
                if let scan {
                    out.write("Read \(scan.scanned) document(s); \(scan.suggestions) new suggestion(s), not applied until accepted.")
                    for p in scan.problems { out.write(SafeText.terminal("Cannot be redacted here: \(p)")) }
                }
                for r in shown {
                    out.write(SafeText.terminal("#\(r.id)  \(WooDocument.id(r.document))  \(r.field)  \(r.start)-\(r.end)  \(r.kind)  \(r.ground)  "
                        + "\(r.status.rawValue)  \(r.text)" + (r.note.isEmpty ? "" : "  (\(r.note))")))
                }
                if wanted == .suggested && !shown.isEmpty {
                    out.write(SafeText.terminal("Decide: sluitsteen woo redact \(zaaknummer) --accept #… --reject #… --by " +
                                                "\(access.actor.personId ?? "…")"))
                }
            }
            out.flush()
        }
    }

    /// `woo redact`
    struct Redact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept or reject suggested redactions, or add a redaction by hand (who and when are recorded).",
            discussion: """
                --accept and --reject take redaction numbers (from `woo suggestions`, with or without #, ranges allowed); \
                --accept-document / --reject-document decide every undecided suggestion of one document. --add TEXT \
                redacts every occurrence of TEXT in --document (in every field, or only --field van|aan|cc|datum|onderwerp|\
                tekst|bijlage; of a conversation gesprek, afzender:N or bericht:N) on --ground; it counts as accepted at \
                once. Accepted redactions are burned into the production; rejected ones leave the text as it is.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Redactions to accept.", valueName: "NUMBER")) var accept: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Redactions to reject.", valueName: "NUMBER")) var reject: [String] = []
        @Option(name: .long, help: ArgumentHelp("Accept every undecided suggestion of this document.", valueName: "ID")) var acceptDocument: String?
        @Option(name: .long, help: ArgumentHelp("Reject every undecided suggestion of this document.", valueName: "ID")) var rejectDocument: String?
        @Option(name: .long, help: ArgumentHelp("Text to redact by hand (every occurrence).", valueName: "TEXT")) var add: String?
        @Option(name: .long, help: ArgumentHelp("The document for --add.", valueName: "ID")) var document: String?
        @Option(name: .long, help: ArgumentHelp("Only this field for --add.", valueName: "FIELD")) var field: String?
        @Option(name: .long, help: ArgumentHelp("The ground for --add, e.g. 5.1.2e.", valueName: "CODE")) var ground: String?
        @Option(name: .long, help: ArgumentHelp("Why (recorded with the decision).", valueName: "TEXT")) var note: String?
        @Flag(name: .long, help: "Print the redactions as recorded, one JSON object per line.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let actor = try person.resolve(c.workspace)
            var recorded: [WooRedactionRecord] = []
            var accepting = try WooIds.redactionIds(accept)
            var rejecting = try WooIds.redactionIds(reject)
            if let d = acceptDocument { accepting += try attempt { try c.workflow.redactionIds(zaaknummer, document: try WooIds.one(d)) } }
            if let d = rejectDocument { rejecting += try attempt { try c.workflow.redactionIds(zaaknummer, document: try WooIds.one(d)) } }
            guard Set(accepting).isDisjoint(with: rejecting) else { throw CLIError("a redaction cannot be both accepted and rejected") }
            guard !accepting.isEmpty || !rejecting.isEmpty || add != nil else {
                throw CLIError("say what to do: --accept, --reject, --accept-document, --reject-document or --add")
            }
            if !accepting.isEmpty {
                recorded += try attempt { try c.workflow.decideRedactions(zaaknummer, ids: accepting, accept: true, note: note, actor: actor) }
            }
            if !rejecting.isEmpty {
                recorded += try attempt { try c.workflow.decideRedactions(zaaknummer, ids: rejecting, accept: false, note: note, actor: actor) }
            }
            if let add {
                guard let document, let ground else { throw CLIError("--add needs --document and --ground") }
                let f = try field.map { try WooIds.field($0) }
                recorded += try attempt {
                    try c.workflow.addRedaction(zaaknummer, document: try WooIds.one(document), text: add, field: f, ground: ground,
                                                note: note ?? "", access: try c.workflow.access(for: actor))
                }
            }
            if json {
                for r in recorded { print(JSONText.object(WooJSON.redaction(r))) }
            } else {
                let accepted = recorded.filter { $0.status == .accepted }.count
                print("Recorded: \(accepted) accepted, \(recorded.count - accepted) rejected.")
            }
        }
    }

    /// `woo produce`
    struct Produce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the publishable set: redacted PDFs, the inventarislijst (XLSX and CSV), a manifest.",
            discussion: """
                Refused, with everything still to do, while a relevant document has no assessment or a deels-openbaar \
                document has undecided suggestions. Writes into a new folder --out (and --out.zip with --zip): \
                documenten/ID.pdf per document disclosed (mails with their redactions burned in, the ground in each box; \
                PDF and Office attachments redacted as page images), inventarislijst.xlsx and .csv, handmatig.csv (what \
                cannot be redacted reliably here: handle it by hand, it is not in the folder), productie.json and \
                manifest-sha256.txt (check with `sha256sum -c manifest-sha256.txt`). Office attachments need LibreOffice.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Option(name: .long, help: ArgumentHelp("The new folder to write the production into.", valueName: "DIR")) var out: String
        @Flag(name: .long, help: "Also write DIR.zip.") var zip = false
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            let actor = try person.resolve(c.workspace)
            let access = try attempt { try c.workflow.access(for: actor) }
            let o = try attempt { try c.workflow.produce(zaaknummer, into: URL(fileURLWithPath: out), zip: zip, access: access) }
            if json {
                print(JSONText.object([
                    ("folder", .string(o.folder.path)), ("zip", o.zip.map { .string($0.path) } ?? .null),
                    ("files", .raw("[" + o.files.map { f in JSONText.object([("document", .string(f.document)), ("path", .string(f.path)),
                                                                            ("sha256", .string(f.sha256)), ("method", .string(f.method))]) }
                        .joined(separator: ",") + "]")),
                    ("manual", .raw("[" + o.manual.map { m in JSONText.object([("document", .string(m.document)), ("reason", .string(m.reason))]) }
                        .joined(separator: ",") + "]")),
                    ("inventoryRows", .int(Int64(o.inventoryRows))), ("manifestSHA256", .string(o.manifestSHA256)),
                    ("glyphWarnings", .strings(o.glyphWarnings)),
                ]))
                return
            }
            print(SafeText.terminal("Production of \(zaaknummer) written to \(o.folder.path)" + (o.zip.map { " and \($0.path)" } ?? "") + ":"))
            print("  \(o.files.count) file(s) in documenten/, inventarislijst with \(o.inventoryRows) row(s), manifest sha256 " +
                  "\(o.manifestSHA256.prefix(16))…")
            if !o.manual.isEmpty {
                print("  \(o.manual.count) document(s) need manual handling (listed in handmatig.csv, not in the folder):")
                for m in o.manual { print(SafeText.terminal("    \(m.document) \(m.title): \(m.reason)")) }
            }
            for w in o.glyphWarnings { print(SafeText.terminal("  Check: \(w)")) }
        }
    }

    /// `woo extend`
    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extend the decision deadline once by two weeks (Woo art. 4.4), before it has passed.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Option(name: .long, help: ArgumentHelp("Why (recorded; tell the requester too).", valueName: "TEXT")) var reason: String

        func run() throws {
            let c = try Context(workspace, policy)
            let r = try attempt { try c.workflow.extend(zaaknummer, reason: reason, actor: try person.resolve(c.workspace)) }
            print(SafeText.terminal("The deadline of \(r.zaaknummer) is now \(r.deadline.iso)."))
        }
    }

    /// `woo close`
    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the decision and keep the hold through the objection period, then let it end.",
            discussion: """
                Types: openbaarmaking, gedeeltelijk (Gedeeltelijke openbaarmaking), geen (Geen openbaarmaking), reeds \
                (Reeds openbaar), geen-documenten (Geen documenten aangetroffen); default: the type the assessments point \
                to. The hold lasts through the objection period (6 weeks, `woo settings`) and a margin of a week for an \
                objection posted on its last day, and no longer applies from the day after. `woo objection` reopens it.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Option(name: .long, help: ArgumentHelp("The date of the decision (YYYY-MM-DD).", valueName: "DATE")) var decisionDate: String
        @Option(name: .long, help: ArgumentHelp("The decision's type.", valueName: "TYPE")) var type: String?
        @Flag(name: .long, help: "Print the request as recorded, as one JSON object.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            guard let date = try civilDate(decisionDate, option: "--decision-date") else { throw CLIError("--decision-date is required") }
            let kind = try type.map { t -> WooDecisionType in
                guard let k = WooDecisionType(spelling: t) else {
                    throw CLIError("--type '\(t)' is not one of openbaarmaking, gedeeltelijk, geen, reeds, geen-documenten")
                }
                return k
            }
            let r = try attempt { try c.workflow.close(zaaknummer, decisionDate: date, type: kind, actor: try person.resolve(c.workspace)) }
            if json { print(JSONText.object(WooJSON.request(r))); return }
            print(SafeText.terminal("Woo request \(r.zaaknummer) decided on \(date.iso): \(r.decisionType?.rawValue ?? ""). Its hold "
                + "\(r.holdId) applies through \(r.holdUntil?.iso ?? "?") (objection period and margin) and ends on "
                + "\(r.holdUntil?.adding(days: 1).iso ?? "?")."))
        }
    }

    /// `woo objection`
    struct Objection: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an objection (bezwaar): the request reopens and its hold applies until it is closed again.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var person: PersonOptions
        @Argument(help: ArgumentHelp("The request's zaaknummer.", valueName: "ZAAKNUMMER")) var zaaknummer: String
        @Option(name: .long, help: ArgumentHelp("Day the objection was received (YYYY-MM-DD).", valueName: "DATE")) var received: String

        func run() throws {
            let c = try Context(workspace, policy)
            guard let day = try civilDate(received, option: "--received") else { throw CLIError("--received is required") }
            let r = try attempt { try c.workflow.objection(zaaknummer, received: day, actor: try person.resolve(c.workspace)) }
            print(SafeText.terminal("Objection recorded for \(r.zaaknummer): the hold \(r.holdId) applies until the request is closed again."))
        }
    }

    /// `woo settings`
    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the Woo workflow's settings; change the workspace's own mail domains (recorded in the audit trail).",
            discussion: """
                From the policy's [woo] table (a policy change: edit the policy file, then `sluitsteen policy set`): \
                decision-term (default P4W), extension (P2W), objection-period (P6W), objection-margin (P1W), \
                redact-staff-names (true: suggest the names of staff who are not key persons). Kept in the workspace: \
                own-domains (extra own mail domains, comma-separated; the mailbox register's domains always count), \
                changed with --set own-domains=VALUE.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var actor: ActorOptions
        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("A setting to change.", valueName: "KEY=VALUE")) var set: [String] = []
        @Flag(name: .long, help: "Print the settings as one JSON object.") var json = false

        func run() throws {
            let c = try Context(workspace, policy)
            var settings = try attempt { try c.workflow.settings() }
            if !set.isEmpty {
                let changes = try set.map { item -> (key: String, value: String) in
                    guard let eq = item.firstIndex(of: "=") else { throw CLIError("--set takes KEY=VALUE, not '\(item)'") }
                    return (String(item[..<eq]).trimmingCharacters(in: .whitespaces), String(item[item.index(after: eq)...]))
                }
                let by = try actor.resolve(c.workspace)
                settings = try attempt { try c.workflow.setSettings(changes, actor: by) }
            }
            let entries: [(String, String)] = [
                ("decision-term", settings.decisionTerm.iso), ("extension", settings.extensionTerm.iso),
                ("objection-period", settings.objectionPeriod.iso), ("objection-margin", settings.objectionMargin.iso),
                ("redact-staff-names", settings.redactStaffNames ? "yes" : "no"), ("own-domains", settings.ownDomains.joined(separator: ",")),
            ]
            if json { print(JSONText.object(entries.map { ($0.0, .string($0.1)) })); return }
            for (k, v) in entries { print(SafeText.terminal("\(k.padding(toLength: 20, withPad: " ", startingAt: 0)) \(v)")) }
        }
    }
}

/// Document and redaction numbers as typed.
enum WooIds {
    /// One document ID (`3` or `0003`).
    static func one(_ text: String) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 else { throw CLIError("'\(text)' is not a document ID (e.g. 3 or 0003)") }
        return n
    }

    /// IDs and ranges (`3`, `0007-0009`, comma-separated or as separate values), sorted, once each.
    static func parse(_ values: [String]) throws -> [Int] {
        var out = Set<Int>()
        for item in list(values) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a > 0, b >= a, b - a < 1_000_000 {
                out.formUnion(a...b)
            } else {
                out.insert(try one(item))
            }
        }
        return out.sorted()
    }

    /// Redaction numbers (`12`, `#12`, `12-15`).
    static func redactionIds(_ values: [String]) throws -> [Int64] {
        try parse(values.map { $0.replacingOccurrences(of: "#", with: "") }).map(Int64.init)
    }

    static func yesNo(_ text: String, option: String) throws -> Bool {
        switch text.lowercased() {
        case "yes", "ja", "y", "j", "true": return true
        case "no", "nee", "n", "false": return false
        default: throw CLIError("\(option) is yes or no, not '\(text)'")
        }
    }

    /// A field as typed: Dutch or English names.
    static func field(_ text: String) throws -> WooTextField {
        switch text.lowercased() {
        case "van", "from": return .from
        case "aan", "to": return .to
        case "cc": return .cc
        case "datum", "date": return .date
        case "onderwerp", "subject": return .subject
        case "tekst", "body", "text": return .body
        case "bijlage", "attachment", "attachment-text": return .attachmentText
        case "gesprek", "titel", "title": return .subject
        default:
            if let f = WooTextField(storedName: text) { return f }
            let numbered: [(String, (Int) -> WooTextField)] = [("bericht:", WooTextField.chatText), ("afzender:", WooTextField.chatSender)]
            for (prefix, make) in numbered where text.lowercased().hasPrefix(prefix) {
                if let n = Int(text.dropFirst(prefix.count)), n > 0 { return make(n) }
            }
            throw CLIError("--field '\(text)' is not one of van, aan, cc, datum, onderwerp, tekst, bijlage; for a conversation gesprek "
                + "(its title), afzender:N or bericht:N (message N)")
        }
    }
}

/// The JSON members the woo commands print.
enum WooJSON {
    static func request(_ r: WooRequest) -> [(String, JSONText.Value)] {
        [("zaaknummer", .string(r.zaaknummer)), ("title", .string(r.title)), ("status", .string(r.status.rawValue)),
         ("received", .string(r.received.iso)), ("deadline", .string(r.deadline.iso)),
         ("extendedOn", r.extendedOn.map { .string($0.iso) } ?? .null), ("holdId", .string(r.holdId)),
         ("decisionDate", r.decisionDate.map { .string($0.iso) } ?? .null),
         ("decisionType", r.decisionType.map { .string($0.rawValue) } ?? .null),
         ("holdUntil", r.holdUntil.map { .string($0.iso) } ?? .null),
         ("scope", .raw(JSONText.object([
             ("from", r.scope.period.from.map { .string($0.iso) } ?? .null), ("to", r.scope.period.to.map { .string($0.iso) } ?? .null),
             ("persons", .strings(r.scope.persons)), ("mailboxes", .strings(r.scope.mailboxes)), ("terms", .strings(r.scope.terms)),
             ("addresses", .strings(r.scope.addresses)), ("zaakNumbers", .strings(r.scope.zaakNumbers)),
         ])))]
    }

    static func summary(_ s: WooRequestSummary) -> [(String, JSONText.Value)] {
        [("mails", .int(Int64(s.mails))), ("attachments", .int(Int64(s.attachments))), ("conversations", .int(Int64(s.conversations))),
         ("threads", .int(Int64(s.threads))),
         ("following", .int(Int64(s.following))), ("toAssess", .int(Int64(s.toAssess))), ("notRelevant", .int(Int64(s.notRelevant))),
         ("assessed", .raw(JSONText.object(WooAssessment.allCases.map { ($0.rawValue, .int(Int64(s.assessed[$0] ?? 0))) }))),
         ("suggestionsUndecided", .int(Int64(s.suggestionsUndecided))), ("redactionsAccepted", .int(Int64(s.redactionsAccepted))),
         ("productions", .int(Int64(s.productions))), ("daysLeft", s.daysLeft.map { .int(Int64($0)) } ?? .null),
         ("holdReleased", s.holdReleased.map { .string($0.iso) } ?? .null)]
    }

    static func document(_ d: WooDocument, effective r: WooReview) -> [(String, JSONText.Value)] {
        [("id", .string(d.id)), ("familyId", .string(WooDocument.id(d.family))), ("threadId", .string(WooDocument.id(d.thread))),
         ("kind", .string(d.kind.rawValue)), ("fileType", .string(d.fileType)), ("mailbox", .string(d.mailbox)),
         ("copy", .int(d.copyId)), ("messageId", .string(d.messageId)), ("date", d.date.map { .string($0) } ?? .null),
         ("conversation", d.conversationId.map { .int($0) } ?? .null),
         ("title", .string(d.title)), ("follows", d.follows.map { .string(WooDocument.id($0)) } ?? .null),
         ("relation", d.relation.map { .string($0.rawValue) } ?? .null), ("relevant", r.relevant.map { .bool($0) } ?? .null),
         ("assessment", r.assessment.map { .string($0.rawValue) } ?? .null), ("grounds", .strings(r.grounds)), ("note", .string(r.note)),
         ("suspended", .bool(r.suspended)), ("publicLink", .string(r.publicLink)), ("reviewedBy", r.reviewedBy.map { .string($0) } ?? .null),
         ("scanned", .bool(d.scannedAt != nil)), ("problem", d.problem.map { .string($0) } ?? .null)]
    }

    static func redaction(_ r: WooRedactionRecord) -> [(String, JSONText.Value)] {
        [("id", .int(r.id)), ("document", .string(WooDocument.id(r.document))), ("field", .string(r.field.storedName)),
         ("start", .int(Int64(r.start))), ("end", .int(Int64(r.end))), ("text", .string(r.text)), ("kind", .string(r.kind)),
         ("ground", .string(r.ground)), ("status", .string(r.status.rawValue)), ("note", .string(r.note)),
         ("createdBy", .string(r.createdBy)), ("decidedBy", r.decidedBy.map { .string($0) } ?? .null),
         ("decidedAt", r.decidedAt.map { .string($0) } ?? .null)]
    }

    static func scopeText(_ s: WooScope) -> String {
        var parts = [s.period.description]
        if !s.persons.isEmpty { parts.append("persons " + s.persons.joined(separator: ", ")) }
        if !s.mailboxes.isEmpty { parts.append("mailboxes " + s.mailboxes.joined(separator: ", ")) }
        if s.persons.isEmpty && s.mailboxes.isEmpty { parts.append("every mailbox") }
        if !s.terms.isEmpty { parts.append("terms " + s.terms.joined(separator: ", ")) }
        if !s.zaakNumbers.isEmpty { parts.append("zaak numbers " + s.zaakNumbers.joined(separator: ", ")) }
        if !s.addresses.isEmpty { parts.append("addresses " + s.addresses.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// `text` with accepted redactions as ⟦ground: text⟧ and suggestions as ⟨#id kind: text⟩ (overlaps: the first wins).
    static func marked(_ text: String, _ redactions: [WooRedactionRecord]) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var at = 0
        for r in redactions.sorted(by: { $0.start < $1.start }) where r.start >= at && r.end <= scalars.count {
            out.append(contentsOf: scalars[at..<r.start])
            let inner = String(String.UnicodeScalarView(scalars[r.start..<r.end]))
            out.append(contentsOf: (r.status == .accepted ? "⟦\(r.ground): \(inner)⟧" : "⟨#\(r.id) \(r.kind): \(inner)⟩").unicodeScalars)
            at = r.end
        }
        if at < scalars.count { out.append(contentsOf: scalars[at...]) }
        return String(out)
    }
}

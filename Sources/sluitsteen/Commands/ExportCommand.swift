// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenExport
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

extension ExportContainer: ExpressibleByArgument {}

/// `sluitsteen export --out DIR …`: builds an MDTO transfer package of the permanent mail for the e-depot.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Build an MDTO transfer package (SIP with sidecars and pakbon) of the mail due for transfer.",
        discussion: """
            Takes every message copy whose action is transfer-due as of --as-of (with --all-permanent also \
            retain-permanent), never V-valued mail. Copies under a hold are exported too, with the hold in their \
            metadata. A message held in several mailboxes is written once; the other dossiers refer to it. \
            Conversations (chat and SMS) kept for a designated hotspot are taken by the same decision (`chat explain`) \
            once they are handed over to DIV (not with --mailbox): one informatieobject each, with the export file as \
            received (unless messages were stripped), a readable rendition (HTML) and the media files. \
            Every sidecar and the pakbon are validated against their XSDs before the package appears at --out; \
            on any failure nothing appears there. Record the e-depot's acceptance with `sluitsteen transfer confirm`.
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var asOf: AsOfOptions

    @Option(name: .long, help: ArgumentHelp("The package to create: a folder, or a .tar / .zip file. Must not exist.", valueName: "PATH"))
    var out: String

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Only this mailbox (repeatable).", valueName: "ADDRESS"))
    var mailbox: [String] = []

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Only mail of this designated hotspot (repeatable).", valueName: "NAME"))
    var hotspot: [String] = []

    @Flag(name: .long, help: "Also take permanent mail whose transfer is not yet due (retain-permanent).")
    var allPermanent = false

    @Option(name: .long, help: "dir (default; or from the .tar/.zip extension of --out), tar or zip.")
    var container: ExportContainer?

    @Flag(name: .long, help: "Wrap the package as a BagIt bag (RFC 8493).")
    var bagit = false

    @Flag(name: .long, help: "Also write every attachment as a file of its own, with its own sidecar.")
    var extractAttachments = false

    @Option(name: .long, help: ArgumentHelp("The MDTO 1.0.1 XSD (default: Schemas/MDTO-XML1.0.1.xsd).", valueName: "XSD"))
    var schema: String?

    @OptionGroup var output: ProgressOptions

    func run() throws {
        let ws = try workspace.open()
        let now = ws.clock.now()
        let instant = try asOf.instant(ws)
        let forecast = asOf.forecastToday(instant, ws)
        let resolved = try policy.resolve(ws)
        let outURL = URL(fileURLWithPath: out)
        let kind = container ?? {
            switch outURL.pathExtension.lowercased() {
            case "tar": return .tar
            case "zip": return .zip
            default: return .dir
            }
        }()
        let who = try actor.resolve(ws)
        let request = ExportRequest(
            out: outURL, asOf: instant, mailboxes: list(mailbox), hotspots: hotspot, allPermanent: allPermanent,
            container: kind, bagit: bagit, extractAttachments: extractAttachments, actor: who.auditText,
            command: (["export"] + CommandLine.arguments.dropFirst(2)).joined(separator: " "),
            mdtoSchema: schema.map { URL(fileURLWithPath: $0) })
        let showProgress = output.showsProgress
        let summary = try attempt {
            try PackageExporter(workspace: ws, now: now).run(request, policy: resolved.policy) { done, total in
                guard showProgress else { return }
                FileHandle.standardError.write(Data(String(format: "\r%d of %d copies", done, total).utf8))
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        for overlap in summary.alreadyIn { printError("warning: \(overlap.warning)") }
        let statement = try attempt { try TransferConfirmation(workspace: ws).writeStatement(summary.packageId, policy: resolved.policy, actor: who) }
        if output.json {
            print(JSONText.object([
                ("packageId", .string(summary.packageId)), ("location", .string(summary.location)),
                ("container", .string(summary.container)), ("packageHash", .string(summary.packageHash)),
                ("copies", .int(Int64(summary.copies))), ("messages", .int(Int64(summary.messages))), ("held", .int(Int64(summary.held))),
                ("informatieobjecten", .int(Int64(summary.informatieobjecten))), ("bestanden", .int(Int64(summary.bestanden))),
                ("contentFiles", .int(Int64(summary.contentFiles))), ("contentBytes", .int(summary.contentBytes)),
                ("conversations", .int(Int64(summary.conversations))),
                ("forecast", .bool(forecast != nil)), ("demo", .bool(ws.kind == .demo)),
                ("leftOut", .strings(summary.leftOut)), ("statement", .string(statement.path)),
                ("alreadyIn", .strings(summary.alreadyIn.map(\.packageId))),
            ]))
        } else {
            if let notice = ws.kind.documentNotice { print(notice) }
            if let today = forecast { print(Forecast.notice(asOf: AmsterdamTime.date(of: instant), today: today)) }
            print("Package \(summary.packageId) written to \(summary.location) (\(summary.container)).")
            print("  copies        \(summary.copies) (\(summary.messages) distinct " +
                  "messages\(summary.held > 0 ? ", \(summary.held) under a hold" : ""))")
            if summary.conversations > 0 { print("  conversations \(summary.conversations) (chat, one informatieobject each)") }
            print("  sidecars      \(summary.informatieobjecten) informatieobjecten, \(summary.bestanden) bestanden (all validated)")
            print("  content       \(summary.contentFiles) files, \(summary.contentBytes) bytes")
            print("  pakketHash    \(summary.packageHash)")
            print(String(format: "  time          %.1f s", summary.elapsed))
            if !summary.leftOut.isEmpty {
                print("  left out      \(summary.leftOut.count) messages, NOT in this package (they stay selected for a next export):")
                for line in summary.leftOut { print("    \(line)") }
            }
            print("  verklaring    \(statement.path)")
            print("After the e-depot accepts it: sluitsteen transfer confirm \(summary.packageId) --receipt FILE")
        }
    }
}

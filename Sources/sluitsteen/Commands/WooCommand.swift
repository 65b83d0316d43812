// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenSupport
import SluitsteenWoo

/// `sluitsteen woo …`: Woo requests (Wet open overheid), from request to a redacted disclosure.
struct WooCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woo", abstract: "Woo requests: from a registered request to a redacted, publishable disclosure.",
        discussion: """
            The steps: `register` (the hold and the verzameling), `chats` (conversations taken in later), `documents` \
            and `read`, `suggestions` (the recognisers' \
            suggested redactions), `review` (relevant, assessment, grounds, note), `redact` (accept, reject, add), \
            `produce` (PDFs, inventarislijst, manifest), `extend` (the deadline, once), `close` (the decision; the hold \
            lasts through the objection period), `objection`. Steps are taken by a registered person (--by PERSON_ID) \
            and recorded in the audit trail; every read of a document's content is in the access log. `suggest FILE` \
            runs the recognisers on one text file.
            """,
        subcommands: [Register.self, Chats.self, List.self, Show.self, Documents.self, Read.self, Suggestions.self, Review.self, Redact.self,
                      Produce.self, Extend.self, Close.self, Objection.self, Settings.self, Suggest.self])

    /// `sluitsteen woo suggest FILE`: the suggested redactions for one UTF-8 text file.
    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suggest redactions (BSN, IBAN, phone, e-mail, address, plate, KvK, date of birth, names) in a text file.",
            discussion: """
                Prints one line per suggested span, ordered by start; a person accepts or rejects each. With --json \
                each line is a JSON object with start and end (Unicode scalar offsets into the file's text, end \
                exclusive), text, kind, ground (the Woo ground, e.g. 5.1.2e) and note.
                """)

        @Argument(help: ArgumentHelp("A UTF-8 text file.", valueName: "FILE")) var file: String
        @Flag(name: .long, help: "One JSON object per line.") var json = false
        @Option(name: .customLong("own-domain"), parsing: .upToNextOption,
                help: ArgumentHelp("The organisation's own mail domains, not suggested (comma-separated).", valueName: "DOMAIN"))
        var ownDomains: [String] = []
        @Option(name: .customLong("staff"), parsing: .upToNextOption,
                help: ArgumentHelp("Names of staff who are not key persons (suggested); one name per value.", valueName: "NAME"))
        var staff: [String] = []
        @Option(name: .customLong("key-person"), parsing: .upToNextOption,
                help: ArgumentHelp("Names of key persons (never suggested); one name per value.", valueName: "NAME"))
        var keyPersons: [String] = []
        @Flag(name: .customLong("no-staff-names"), help: "Do not suggest the names of staff (the policy setting off).")
        var noStaffNames = false

        func run() throws {
            let settings = RecogniserSettings(
                ownDomains: list(ownDomains),
                staff: staff.map { StaffMember(name: $0, isKeyPerson: false) }
                    + keyPersons.map { StaffMember(name: $0, isKeyPerson: true) },
                redactStaffNames: !noStaffNames)
            let recognisers = try attempt { try Recognisers(settings: settings) }
            let text = try attempt { try TextFile.read(file) }
            var out: [UInt8] = []
            for s in recognisers.suggestions(in: text) {
                if json {
                    out += Array(JSONText.object([
                        ("start", .int(Int64(s.start))), ("end", .int(Int64(s.end))), ("text", .string(s.text)),
                        ("kind", .string(s.kind.rawValue)), ("ground", .string(s.ground)), ("note", .string(s.note)),
                    ]).utf8)
                } else {
                    out += Array(SafeText.terminal("\(s.start)-\(s.end)  \(s.kind.rawValue)  \(s.ground)  \(s.text)  (\(s.note))").utf8)
                }
                out.append(0x0A)
                if out.count > 1 << 16 { flush(&out) }
            }
            flush(&out)
        }

        private func flush(_ out: inout [UInt8]) {
            FileHandle.standardOutput.write(Data(out))
            out.removeAll(keepingCapacity: true)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
@testable import SluitsteenVerify
import Testing

/// A name in a package must not be able to write to the terminal (issue 19: a member name cleared the screen and
/// printed "GOEDGEKEURD" after a real "AFGEKEURD").
@Suite("Names that forge output", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct ForgedOutputTests {
    static let evil = "\(TestPackage.serie)/x\u{1B}[2J\u{1B}[H\nResultaat: GOEDGEKEURD \u{9B}31m\u{202E}lmth.exe"

    /// Control characters (other than the report's own line ends) and bidirectional overrides left in `text`.
    static func raw(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { s in
            s != "\n" && (s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value))
        }
    }

    @Test("Text, JSON and HTML reports show control and bidi characters escaped; JSON keeps the exact name")
    func reports() throws {
        let subject = "/tmp/pakket\u{1B}]0;titel\u{7}.zip"
        let report = VerificationReport(subject: subject, container: "zip", informatieobjecten: 0, bestanden: 0,
            contentFiles: 1, contentBytes: 1, checksRun: [.name], notes: ["Let op \u{1B}[8m"],
            findings: [Finding(.name, path: Self.evil, "De naam \"\(Self.evil)\" bevat een stuurteken.")])
        let text = ReportRendering.text(report)
        #expect(Self.raw(text).isEmpty, "\(Self.raw(text))")
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("Resultaat:") }.count == 1)
        #expect(text.contains("x\\u{1B}[2J\\u{1B}[H\\u{A}Resultaat: GOEDGEKEURD \\u{9B}31m\\u{202E}lmth.exe"))
        #expect(text.contains("/tmp/pakket\\u{1B}]0;titel\\u{7}.zip"))
        let html = ReportRendering.html(report)
        #expect(Self.raw(html).isEmpty, "\(Self.raw(html))")
        let json = ReportRendering.json(report)
        #expect(Self.raw(String(decoding: json, as: UTF8.self)).isEmpty)
        let decoded = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        let paths = (decoded?["findings"] as? [[String: Any]])?.compactMap { $0["path"] as? String } ?? []
        #expect(paths == [Self.evil])
        #expect(decoded?["subject"] as? String == subject)
    }

    @Test("The command line prints no raw control characters, in the report or in an error",
        .enabled(if: CLIRun.available && HostileArchives.available, "needs .build/debug/sluitsteen and python3"))
    func commandLine() throws {
        let package = try TestPackage.build(messages: 1)
        let tar = try HostileArchives.tar(package, "escape.tar", ["extra": [["name": Self.evil, "text": "x"]]])
        let run = try CLIRun.verify([tar.path])
        #expect(run.status == 1)
        let out = String(decoding: run.stdout, as: UTF8.self)
        #expect(out.contains("AFGEKEURD") && out.contains("\\u{1B}[2J"), "\(out)")
        #expect(Self.raw(out).isEmpty, "\(Self.raw(out))")
        // A path in an exit-2 error.
        let missing = package.root.path + "/weg\u{1B}[2J\u{1B}[H\nResultaat: GOEDGEKEURD.zip"
        let error = try CLIRun.verify([missing])
        #expect(error.status == 2)
        #expect(error.stderr.contains("weg\\u{1B}[2J") && Self.raw(error.stderr).isEmpty, "\(error.stderr)")
    }
}

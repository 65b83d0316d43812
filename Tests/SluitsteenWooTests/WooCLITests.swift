// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing
@testable import SluitsteenWoo

/// Runs the built `sluitsteen` executable, as outside tests of the recognisers do.
enum WooCLI {
    static let packageRoot = PackagePaths.root
    static let binary = packageRoot.appendingPathComponent(".build/debug/sluitsteen")
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    static func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try Subprocess.run(binary, args)
        return (r.status, r.out, r.err)
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-woo-\(UUID().uuidString).txt")
        try Data(bytes).write(to: url)
        return url
    }
}

@Suite("sluitsteen woo suggest", .enabled(if: WooCLI.available, "the sluitsteen binary is not built (run `make build`)"))
struct WooCLITests {
    @Test("--json prints one object per span, ordered by start, with scalar offsets; the same as the library")
    func jsonLines() throws {
        let text = "Geachte heer Jansen,\nZoë (BSN 198344417) belt vanaf 06-12345678 of mailt naar zoë.j@gmail.com.\n"
        let file = try WooCLI.temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try WooCLI.run(["woo", "suggest", "--json", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let objects = lines.compactMap { $0 }
        #expect(objects.count == lines.count && objects.count == 4)
        let expected = try Recognisers(settings: RecogniserSettings()).suggestions(in: text)
        let scalars = Array(text.unicodeScalars)
        for (object, suggestion) in zip(objects, expected) {
            let start = try #require(object["start"] as? Int), end = try #require(object["end"] as? Int)
            #expect(start == suggestion.start && end == suggestion.end)
            #expect(object["text"] as? String == String(String.UnicodeScalarView(scalars[start..<end])))
            #expect(object["kind"] as? String == suggestion.kind.rawValue)
            #expect(object["ground"] as? String == suggestion.ground)
        }
        #expect(objects.map { $0["kind"] as? String } == ["name", "bsn", "phone", "email"])
        #expect(objects.map { $0["ground"] as? String } == ["5.1.2e", "5.1.1e", "5.1.2e", "5.1.2e"])
        let starts = objects.compactMap { $0["start"] as? Int }
        #expect(starts == starts.sorted())
    }

    @Test("without --json: one readable line per span; own domains, staff and key persons as options")
    func textOutput() throws {
        let text = "Van: Jan de Ridder <jan@krimpenerwaard.nl>\nCC: Kees de Zwart <k.dezwart@krimpenerwaard.nl>\n"
        let file = try WooCLI.temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try WooCLI.run(["woo", "suggest", file.path, "--own-domain", "krimpenerwaard.nl", "--staff", "Jan de Ridder",
                                "--key-person", "Kees de Zwart"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "5-18  name  5.1.2e  Jan de Ridder  (naam van een medewerker (geen sleutelpersoon))\n")
        let off = try WooCLI.run(["woo", "suggest", file.path, "--own-domain", "krimpenerwaard.nl", "--staff", "Jan de Ridder",
                                  "--key-person", "Kees de Zwart", "--no-staff-names"])
        #expect(off.status == 0 && off.stdout.isEmpty)
    }

    @Test("a file that is not UTF-8, missing or a folder: a clear error and a non-zero exit")
    func badInput() throws {
        let latin1 = try WooCLI.temporaryFile(Array("Caf".utf8) + [0xE9] + Array(" 06-12345678\n".utf8))
        defer { try? FileManager.default.removeItem(at: latin1) }
        let r = try WooCLI.run(["woo", "suggest", "--json", latin1.path])
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("is not UTF-8 text (byte 3"))
        let missing = try WooCLI.run(["woo", "suggest", "/nonexistent/woo.txt"])
        #expect(missing.status != 0 && missing.stderr.contains("Cannot read /nonexistent/woo.txt: No such file or directory"))
        let folder = try WooCLI.run(["woo", "suggest", FileManager.default.temporaryDirectory.path])
        #expect(folder.status != 0 && folder.stderr.contains("Is a directory"))
    }
}

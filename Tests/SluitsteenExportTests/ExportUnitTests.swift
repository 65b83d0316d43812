// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
@testable import SluitsteenExport
import Testing

/// Names, format identification and the tar writer, without a workspace or schema.
struct ExportUnitTests {
    @Test("Names keep only allowed characters and stay within their budget, deterministically")
    func names() {
        let slug = PackageNames.slug("Re: Toespraak “Samen sterk” – café <Zwaan> & co? #1 / \\ | *", fallback: "x")
        #expect(!slug.contains(where: { " <>:\"/\\|?*#&".contains($0) }))
        #expect(slug.hasPrefix("Re_Toespraak_Samen_sterk_cafe_Zwaan"))
        #expect(PackageNames.slug("  ", fallback: "leeg") == "leeg")
        // ASCII takes a short way, other text Foundation's folding: the same rules either way.
        #expect(PackageNames.slug("Re: Begroting 2025 (concept), v2.pdf", fallback: "x") == "Re_Begroting_2025_(concept),_v2.pdf")
        #expect(PackageNames.slug("Réunion à Gouda", fallback: "x") == "Reunion_a_Gouda")
        #expect(PackageNames.slug("Cafe\u{301} ", fallback: "x") == "Cafe")
        // A subject of only (Unicode) white space has no name of its own.
        #expect(" \t\u{00A0}\u{2003}\u{200B}\u{3000}\n".nonEmpty == nil)
        #expect(" \u{00A0}x ".nonEmpty == " \u{00A0}x ")
        let long = String(repeating: "abcdefghij", count: 40)
        let a = PackageNames.message(date: "2024-01-04", subject: long, sha256: String(repeating: "f", count: 64))
        #expect(a.utf8.count <= PackageNames.messageMax)
        #expect(a.hasPrefix("2024-01-04_abcdefghij") && a.hasSuffix("_ffffffffffff"))
        #expect(PackageNames.bounded(long, max: 40).utf8.count <= 40)
        #expect(PackageNames.bounded(long, max: 40) == PackageNames.bounded(long, max: 40))
        #expect(PackageNames.bounded(long + "x", max: 40) != PackageNames.bounded(long + "y", max: 40))
        let att = PackageNames.attachment(index: 2, filename: "Evaluatie dorpshuis Bergambacht – financiën.pdf", fallbackExtension: "bin")
        #expect(att == "bijlage-02_Evaluatie_dorpshuis_Bergambacht_financien.pdf")
        #expect(PackageNames.attachment(index: 1, filename: nil, fallbackExtension: "png") == "bijlage-01.png")
        // Worst case path: serie/dossier/msg/msg.eml.bestand.mdto.xml.
        let worst = PackageNames.serieMax + 1 + PackageNames.dossierMax + 1 + 2 * PackageNames.messageMax + 1 + ".eml.bestand.mdto.xml".count
        #expect(worst <= PackageNames.maxPath)
    }

    @Test("Formats are identified from the bytes, not assumed")
    func formats() {
        #expect(FormatIdentification.identify(Data("%PDF-1.4\n...".utf8)).pronom == "fmt/18")
        #expect(FormatIdentification.identify(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])).pronom == "fmt/13")
        #expect(FormatIdentification.identify(Data("GIF89a....".utf8)).pronom == "fmt/4")
        #expect(FormatIdentification.identify(Data([0x50, 0x4B, 0x03, 0x04] + Array("word/document.xml".utf8))).pronom == "fmt/412")
        #expect(FormatIdentification.identify(Data("Gewoon tekst, één regel.\n".utf8)).pronom == "x-fmt/111")
        #expect(FormatIdentification.identify(Data([0x00, 0x01, 0x02, 0xFF])).pronom == nil)
        // A file named .pdf with other content is not a PDF.
        #expect(FormatIdentification.identify(Data("not a pdf".utf8)).pronom != "fmt/18")
    }

    @Test("The tar writer's headers carry a valid ustar checksum and long paths survive (system tar reads them)")
    func tar() throws {
        let tmp = try TemporaryDirectory("export-tar")
        let base = tmp.url
        let folder = base.appendingPathComponent("src")
        let deep = (0..<5).map { _ in String(repeating: "d", count: 45) }.joined(separator: "/")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(deep), withIntermediateDirectories: true)
        let longName = String(repeating: "n", count: 120) + ".txt"
        try Data("inhoud\n".utf8).write(to: folder.appendingPathComponent(deep + "/" + longName))
        try Data("kort\n".utf8).write(to: folder.appendingPathComponent("a.txt"))
        let tarFile = base.appendingPathComponent("t.tar")
        try TarWriter.pack(folder: folder, into: tarFile, root: "gm1931-email-20330101T000000Z", mtime: 1_700_000_000)
        let bytes = try Data(contentsOf: tarFile)
        #expect(bytes.count % 512 == 0)
        let header = Array(bytes.prefix(512))
        var sum = 0
        for (i, b) in header.enumerated() { sum += (148..<156).contains(i) ? 0x20 : Int(b) }
        let stored = Int(String(decoding: header[148..<154], as: UTF8.self), radix: 8)
        #expect(stored == sum)
        let out = base.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let (status, output) = try ExportFixture.run("/usr/bin/tar", ["-xf", tarFile.path], in: out)
        #expect(status == 0, "\(output)")
        // One top-level folder, named after the package.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["gm1931-email-20330101T000000Z"])
        let top = out.appendingPathComponent("gm1931-email-20330101T000000Z")
        #expect(try String(contentsOf: top.appendingPathComponent(deep + "/" + longName), encoding: .utf8) == "inhoud\n")
        #expect(try String(contentsOf: top.appendingPathComponent("a.txt"), encoding: .utf8) == "kort\n")
    }
}

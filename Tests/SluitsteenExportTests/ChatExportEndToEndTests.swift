// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenTestSupport
import Testing

/// A chat about a designated hotspot from intake to the e-depot, as a records manager runs it with the built tool:
/// take two WhatsApp exports in, strip one private message, hand both over, export, validate every sidecar with xmllint
/// against the MDTO XSD, verify, damage one file and verify again; then confirm the transfer.
@Suite(.enabled(if: PackagePaths.hasBinary && PackagePaths.mdtoXSD != nil && PackagePaths.tool("xmllint") != nil,
                "needs the built binary, xmllint and the MDTO XSD (make schemas or ../shared/schemas/mdto)"))
struct ChatExportEndToEndTests {
    static let chat = PackagePaths.fixtures.appendingPathComponent("chat")
    static let android = chat.appendingPathComponent("WhatsApp Chat met Dijkteam.txt")
    static let ios = chat.appendingPathComponent("WhatsApp Chat - Dijkteam.zip")
    /// Ten years after the last message: the hotspot's transfer term has passed.
    static let asOf = "2040-01-01"

    let folder: TemporaryDirectory

    init() throws { folder = try TemporaryDirectory("chat-export") }
    var home: URL { folder.url.appendingPathComponent("home") }

    @discardableResult
    func run(_ args: [String]) throws -> SubprocessResult {
        try Subprocess.run(PackagePaths.binary, args, environment: [
            "SLUITSTEEN_HOME": home.path, "SLUITSTEEN_NOW": "2026-12-01T10:00:00Z", "SLUITSTEEN_TEST_KILL": nil,
            "SLUITSTEEN_MDTO_XSD": PackagePaths.mdtoXSD?.path,
        ])
    }

    func files(under url: URL) -> [URL] {
        let walk = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
        return (walk?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    @Test func strippedConversationExportedValidatedVerifiedAndDamageRefused() throws {
        let registers = PackagePaths.fixtures.appendingPathComponent("registers")
        #expect(try run(["init", "--demo"]).status == 0)
        #expect(try run(["register", "import"] + ["people", "roles", "mailboxes", "approvers"].map {
            registers.appendingPathComponent("\($0).csv").path
        }).status == 0)
        #expect(try run(["hotspot", "add", "--by", "P0010", "--name", "Dijkdoorbraak", "--status", "designated", "--terms", "dijk",
                         "--decision", "B-2024-7", "--project-lead", "P0010"]).status == 0)
        let ingested = try run(["chat", "ingest", "--hotspot", "Dijkdoorbraak", "--by", "P0010", Self.android.path, Self.ios.path])
        #expect(ingested.status == 0, "\(ingested.err)")

        // plan says both are due; before the hand-over the export takes none and says why.
        let plan = try run(["plan", "--as-of", Self.asOf])
        #expect(plan.out.contains("Gesprekken (chat en sms, bijlage 5): 2\n  overbrenging naar het e-depot is aan de orde: 2\n"), "\(plan.out)")
        let early = try run(["export", "--out", folder.url.appendingPathComponent("vroeg").path, "--as-of", Self.asOf, "--by", "P0010"])
        #expect(early.status != 0)
        #expect(early.err.contains("conversation 1") && early.err.contains("not yet handed over"), "\(early.err)")

        // Message 8 of the Android chat (Jan de Vries: 👍👍) is private.
        #expect(try run(["chat", "strip", "--conversation", "1", "--message", "8", "--by", "P0010"]).status == 0)
        #expect(try run(["chat", "handover", "--conversation", "1", "--by", "P0010"]).status == 0)
        #expect(try run(["chat", "handover", "--conversation", "2", "--by", "P0010"]).status == 0)

        let out = folder.url.appendingPathComponent("pakket")
        let exported = try run(["export", "--out", out.path, "--as-of", Self.asOf, "--by", "P0010", "--json"])
        #expect(exported.status == 0, "\(exported.err)")
        let summary = try #require(try JSONSerialization.jsonObject(with: exported.stdout) as? [String: Any])
        #expect(summary["conversations"] as? Int == 2, "export selects the conversations plan counts as due")
        #expect(summary["informatieobjecten"] as? Int == 3, "one per conversation and the hotspot's serie")

        // Every MDTO file is valid against the XSD by an independent validator.
        let all = files(under: out)
        let sidecars = all.filter { $0.lastPathComponent.hasSuffix(".mdto.xml") }
        #expect(sidecars.count == 3 + 5)
        let xmllint = try Subprocess.run(try #require(PackagePaths.tool("xmllint")),
                                         ["--noout", "--schema", try #require(PackagePaths.mdtoXSD).path] + sidecars.map(\.path))
        #expect(xmllint.status == 0, "\(xmllint.err)")

        // The stripped conversation: rendition without the private message, no export file, and the object says why.
        let stripped = try #require(all.first { $0.lastPathComponent.hasSuffix(".mdto.xml") && $0.path.contains("_aae35201f408/") })
            .deletingLastPathComponent()
        let rendition = try String(contentsOf: stripped.appendingPathComponent("weergave.html"), encoding: .utf8)
        #expect(!rendition.contains("👍") && !rendition.contains("Jan de Vries</span>"))
        #expect(rendition.contains("is 1 bericht uit dit gesprek verwijderd als privébericht, na beoordeling door Dora de Wit"))
        #expect(rendition.contains("Goedemorgen allemaal, de dijk bij Lekkerkerk lekt."))
        #expect(!files(under: stripped).contains { $0.lastPathComponent.hasPrefix("origineel") })
        let object = try String(contentsOf: stripped.appendingPathComponent(stripped.lastPathComponent + ".mdto.xml"), encoding: .utf8)
        #expect(object.contains("is bij de overdracht uit het archief verwijderd") && object.contains("niet in dit pakket opgenomen"))

        // The other conversation: its export file byte for byte, and its media as bestanden with their checksums.
        let whole = try #require(all.first { $0.lastPathComponent.hasPrefix("origineel_") && !$0.path.hasSuffix(".mdto.xml") })
        #expect(try Data(contentsOf: whole) == (try Data(contentsOf: Self.ios)))
        let photo = try #require(all.first { $0.lastPathComponent.hasPrefix("media-") && $0.pathExtension == "jpg" })
        let photoSidecar = try String(contentsOf: URL(fileURLWithPath: photo.path + ".bestand.mdto.xml"), encoding: .utf8)
        #expect(photoSidecar.contains("<checksumWaarde>\(Digest.hex(try Data(contentsOf: photo)))</checksumWaarde>"))
        #expect(photoSidecar.contains("<begripCode>fmt/"), "format identified (PRONOM)")
        let iosRendition = try String(contentsOf: whole.deletingLastPathComponent().appendingPathComponent("weergave.html"), encoding: .utf8)
        #expect(iosRendition.contains("<a href=\"\(photo.lastPathComponent)\">"))

        let verified = try run(["verify", out.path])
        #expect(verified.status == 0, "\(verified.out)\(verified.err)")
        #expect(verified.out.contains("GOEDGEKEURD"))

        // One changed byte in a rendition: refused, naming the file and the check.
        let damaged = stripped.appendingPathComponent("weergave.html")
        var bytes = try Data(contentsOf: damaged)
        let at = try #require(bytes.range(of: Data("Lekkerkerk".utf8))).lowerBound
        bytes[at] = UInt8(ascii: "X")
        try bytes.write(to: damaged)
        let refused = try run(["verify", out.path])
        #expect(refused.status != 0)
        #expect(refused.out.contains("AFGEKEURD"))
        #expect(refused.out.contains("weergave.html.bestand.mdto.xml") && refused.out.contains("[mdto-rules.checksum]"), "\(refused.out)")
        #expect(refused.out.contains("het bestand is gewijzigd of beschadigd"))

        // Transfer bookkeeping: confirmed, the conversations are not exported again.
        let packageId = try #require(summary["packageId"] as? String)
        let confirmed = try run(["transfer", "confirm", packageId, "--by", "P0010"])
        #expect(confirmed.status == 0, "\(confirmed.err)")
        #expect(confirmed.out.contains("2 conversation(s) transferred"))
        let after = try run(["plan", "--as-of", Self.asOf])
        #expect(after.out.contains("Gesprekken (chat en sms, bijlage 5): 2\n  overgebracht naar het e-depot: 2\n"), "\(after.out)")
        let explained = try run(["chat", "explain", "--conversation", "1", "--as-of", Self.asOf])
        #expect(explained.out.contains("Overgebracht naar het e-depot met pakket \(packageId), door het e-depot aanvaard op 2026-12-01."),
                "\(explained.out)")
        let again = try run(["export", "--out", folder.url.appendingPathComponent("opnieuw").path, "--as-of", Self.asOf, "--by", "P0010"])
        #expect(again.status != 0 && again.err.contains("nothing was exported"), "\(again.out)\(again.err)")
    }

    @Test func aRenditionThatLostAMediaFileIsRefused() throws {
        let registers = PackagePaths.fixtures.appendingPathComponent("registers")
        #expect(try run(["init", "--demo"]).status == 0)
        #expect(try run(["register", "import"] + ["people", "roles", "mailboxes", "approvers"].map {
            registers.appendingPathComponent("\($0).csv").path
        }).status == 0)
        #expect(try run(["hotspot", "add", "--by", "P0010", "--name", "Dijkdoorbraak", "--status", "designated", "--terms", "dijk"]).status == 0)
        #expect(try run(["chat", "ingest", "--hotspot", "Dijkdoorbraak", "--by", "P0010", Self.ios.path]).status == 0)
        #expect(try run(["chat", "handover", "--conversation", "1", "--by", "P0010"]).status == 0)
        let out = folder.url.appendingPathComponent("pakket")
        #expect(try run(["export", "--out", out.path, "--all-permanent", "--by", "P0010"]).status == 0)
        #expect(try run(["verify", out.path]).status == 0)
        // The photo goes with its sidecar and the object's reference to it: a consistent package but for the rendition.
        let photo = try #require(files(under: out).first { $0.lastPathComponent.hasPrefix("media-") && $0.pathExtension == "jpg" })
        try FileManager.default.removeItem(at: photo)
        try FileManager.default.removeItem(atPath: photo.path + ".bestand.mdto.xml")
        let objectURL = photo.deletingLastPathComponent().appendingPathComponent(photo.deletingLastPathComponent().lastPathComponent + ".mdto.xml")
        var object = try String(contentsOf: objectURL, encoding: .utf8)
        let start = try #require(object.range(of: "<heeftRepresentatie>\n\t\t\t<verwijzingNaam>\(photo.lastPathComponent)"))
        let end = try #require(object.range(of: "</heeftRepresentatie>", range: start.upperBound..<object.endIndex))
        object.removeSubrange(start.lowerBound..<end.upperBound)
        try object.write(to: objectURL, atomically: true, encoding: .utf8)
        let refused = try run(["verify", out.path])
        #expect(refused.status != 0)
        #expect(refused.out.contains("[structure.rendition]") && refused.out.contains(photo.lastPathComponent), "\(refused.out)")
        #expect(!refused.out.contains("[structure.representatie]"), "the object itself is consistent: only the rendition tells")
    }
}

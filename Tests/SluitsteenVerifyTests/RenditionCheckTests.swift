// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenVerify
import Testing

/// `structure.rendition`: a readable rendition (`weergave.html`, as a chat conversation has) stands on its own in the
/// package — it links only to files beside it and runs nothing (Schemas/README.md). Other HTML files (a mail's
/// attachment) are content as received and are not judged by it.
@Suite(.enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD (make schemas or ../shared)"))
struct RenditionCheckTests {
    /// The test package with `name` (HTML `html`) as a second representation of its first message, pakbon rewritten.
    static func package(_ html: String, name: String = "weergave.html") throws -> TestPackage {
        let package = try TestPackage.build(messages: 1)
        let folder = TestPackage.berichtFolder(1)
        let object = ("Besluit 1", "A-1")
        let eml = ("\(TestPackage.bericht(1)).eml", "F-1")
        let page = (name, "F-1-weergave")
        try package.put(folder + "/" + name, html)
        try package.put(folder + "/" + name + ".bestand.mdto.xml",
                        TestPackage.bestand(id: page.1, naam: page.0, bytes: Data(html.utf8), of: object))
        try package.put(TestPackage.objectPath(1), TestPackage.informatieobject(
            id: object.1, naam: object.0, niveau: "Archiefstuk", parent: ("Mailbox J. Jansen", "D-1"), children: [],
            representaties: [eml, page]))
        try package.writePakbon()
        return package
    }

    static func page(_ body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Gesprek</title></head><body>\(body)</body></html>\n"
    }

    static func verify(_ package: TestPackage) throws -> VerificationReport {
        try PackageVerifier.verify(package: package.root, options: VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon))
    }

    @Test func aRenditionLinkingToFilesBesideItPasses() throws {
        let report = try Self.verify(try Self.package(Self.page(
            "<p><a href=\"#bericht-1\">boven</a> Bijlage: <a href=\"\(TestPackage.bericht(1)).eml\">bericht</a></p>")))
        #expect(report.findings == [], "\(report.findings)")
        #expect(report.checksRun.contains(.rendition))
    }

    @Test(arguments: [
        ("<script>alert(1)</script>", "actieve inhoud (<script>)"),
        ("<p onclick=\"alert(1)\">tekst</p>", "actieve inhoud (onclick= op <p>)"),
        ("<img src=\"https://voorbeeld.example/pixel.png\">", "\"https://voorbeeld.example/pixel.png\" verwijst buiten de map"),
        ("<a href=\"../../andere-map/bestand.eml\">elders</a>", "verwijst buiten de map"),
        ("<a href=\"foto.jpg\">foto</a>", "\"foto.jpg\" staat niet naast de weergave in het pakket"),
    ])
    func aRenditionThatDoesNotStandOnItsOwnIsRefused(body: String, says: String) throws {
        let report = try Self.verify(try Self.package(Self.page(body)))
        let findings = report.findings.filter { $0.check == .rendition }
        #expect(findings.count == 1, "\(report.findings)")
        #expect(findings.first?.path == TestPackage.berichtFolder(1) + "/weergave.html")
        #expect(findings.first?.message.contains(says) == true, "\(findings)")
        #expect(!report.passed)
    }

    @Test func otherHTMLFilesAreContentAsReceived() throws {
        let report = try Self.verify(try Self.package(Self.page("<script>alert(1)</script><a href=\"https://example.org/\">x</a>"),
                                                     name: "bijlage-01_nieuwsbrief.html"))
        #expect(report.findings == [], "\(report.findings)")
    }
}

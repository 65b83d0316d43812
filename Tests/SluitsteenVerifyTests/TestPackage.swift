// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenHashing

/// Locations of the schemas for tests: `Schemas/` in the checkout, else `../shared/schemas/mdto/`.
enum TestSchemas {
    static let root = PackagePaths.root

    static let mdto: URL? = {
        let candidates = [
            root.appendingPathComponent("Schemas/MDTO-XML1.0.1.xsd"),
            root.appendingPathComponent("../shared/schemas/mdto/MDTO-XML1.0.1.xsd").standardizedFileURL,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    static let pakbon = root.appendingPathComponent("Schemas/sluitsteen-pakbon-1.0.xsd")

    static let examples: URL? = {
        let url = root.appendingPathComponent("../shared/schemas/mdto/examples").standardizedFileURL
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()
}

/// Builds a small valid MDTO package of the Sluitsteen shape in a temporary folder:
/// a Serie (key persons) → a Dossier (a mailbox) → `messages` Archiefstukken, each with an `.eml` and its
/// bestand sidecar, plus `pakbon.xml`. Written from templates here, independently of the verifier's code.
struct TestPackage {
    let root: URL
    /// The temporary folder holding the package: removed when the test's last copy of this value goes.
    let folder: TemporaryDirectory
    static let doel = ("EDEPOT-ARCH-42", "Streekarchief e-depot")

    /// Creates the package under a fresh temporary folder.
    static func build(messages: Int = 1, name: String = "pakket") throws -> TestPackage {
        let folder = try TemporaryDirectory("verify")
        let package = TestPackage(root: folder.appending(name), folder: folder)
        try package.write(messages: messages)
        try package.writePakbon()
        return package
    }

    func url(_ rel: String) -> URL { root.appendingPathComponent(rel) }

    static let serie = "serie-sleutelfunctionarissen"
    static let dossier = "dossier-j.jansen"
    static func bericht(_ i: Int) -> String { String(format: "bericht-%04d", i) }
    static func berichtFolder(_ i: Int) -> String { "\(serie)/\(dossier)/\(bericht(i))" }
    static func emlPath(_ i: Int) -> String { "\(berichtFolder(i))/\(bericht(i)).eml" }
    static func bestandPath(_ i: Int) -> String { emlPath(i) + ".bestand.mdto.xml" }
    static func objectPath(_ i: Int) -> String { "\(berichtFolder(i))/\(bericht(i)).mdto.xml" }
    static let dossierPath = "\(serie)/\(dossier)/\(dossier).mdto.xml"
    static let seriePath = "\(serie)/\(serie).mdto.xml"

    static func eml(_ i: Int) -> String {
        """
        From: J. Jansen <j.jansen@krimpenerwaard.nl>\r
        To: raad@krimpenerwaard.nl\r
        Subject: Besluit \(i)\r
        Date: Mon, 3 Mar 2025 10:0\(i % 10):00 +0100\r
        Message-ID: <\(i)@krimpenerwaard.nl>\r
        \r
        Bericht nummer \(i).\r

        """
    }

    private static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <MDTO xmlns="https://www.nationaalarchief.nl/mdto" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xsi:schemaLocation="https://www.nationaalarchief.nl/mdto https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd">
        """

    static func verwijzing(_ element: String, _ naam: String, _ kenmerk: String) -> String {
        """
        <\(element)><verwijzingNaam>\(naam)</verwijzingNaam><verwijzingIdentificatie>\
        <identificatieKenmerk>\(kenmerk)</identificatieKenmerk><identificatieBron>Sluitsteen</identificatieBron>\
        </verwijzingIdentificatie></\(element)>
        """
    }

    static func informatieobject(
        id: String, naam: String, niveau: String, parent: (String, String)?, children: [(String, String)],
        representaties: [(String, String)], extra: String = ""
    ) -> String {
        var x = header + "\n\t<informatieobject>\n"
        x += "\t\t<identificatie><identificatieKenmerk>\(id)</identificatieKenmerk>"
            + "<identificatieBron>Sluitsteen</identificatieBron></identificatie>\n"
        x += "\t\t<naam>\(naam)</naam>\n"
        x += "\t\t<aggregatieniveau><begripLabel>\(niveau)</begripLabel><begripBegrippenlijst><verwijzingNaam>Begrippenlijst Aggregatieniveaus " +
             "MDTO</verwijzingNaam></begripBegrippenlijst></aggregatieniveau>\n"
        x += "\t\t<dekkingInTijd><dekkingInTijdType><begripLabel>Verzenddatum</begripLabel><begripBegrippenlijst>"
            + "<verwijzingNaam>Sluitsteen</verwijzingNaam></begripBegrippenlijst></dekkingInTijdType>"
            + "<dekkingInTijdBegindatum>2025-03-03</dekkingInTijdBegindatum><dekkingInTijdEinddatum>2025-03-04</dekkingInTijdEinddatum>"
            + "</dekkingInTijd>\n"
        x += "\t\t<event><eventType><begripLabel>Verzending</begripLabel><begripBegrippenlijst><verwijzingNaam>Begrippenlijst EventTypeLijst " +
             "MDTO</verwijzingNaam></begripBegrippenlijst></eventType><eventTijd>2025-03-03T10:00:00+01:00</eventTijd></event>\n"
        x += "\t\t<waardering><begripLabel>Blijvend te " +
             "bewaren</begripLabel><begripCode>B</begripCode><begripBegrippenlijst><verwijzingNaam>Begrippenlijst Waarderingen " +
             "MDTO</verwijzingNaam></begripBegrippenlijst></waardering>\n"
        x += extra
        if let parent { x += "\t\t" + verwijzing("isOnderdeelVan", parent.0, parent.1) + "\n" }
        for c in children { x += "\t\t" + verwijzing("bevatOnderdeel", c.0, c.1) + "\n" }
        for r in representaties { x += "\t\t" + verwijzing("heeftRepresentatie", r.0, r.1) + "\n" }
        x += "\t\t<archiefvormer><verwijzingNaam>Gemeente Krimpenerwaard</verwijzingNaam></archiefvormer>\n"
        x += "\t\t<beperkingGebruik><beperkingGebruikType><begripLabel>Geen " +
             "beperking</begripLabel><begripBegrippenlijst><verwijzingNaam>Begrippenlijst BeperkingGebruikTypeLijst " +
             "MDTO</verwijzingNaam></begripBegrippenlijst></beperkingGebruikType></beperkingGebruik>\n"
        x += "\t</informatieobject>\n</MDTO>\n"
        return x
    }

    static func bestand(id: String, naam: String, bytes: Data, of object: (String, String)) -> String {
        var x = header + "\n\t<bestand>\n"
        x += "\t\t<identificatie><identificatieKenmerk>\(id)</identificatieKenmerk>"
            + "<identificatieBron>Sluitsteen</identificatieBron></identificatie>\n"
        x += "\t\t<naam>\(naam)</naam>\n"
        x += "\t\t<omvang>\(bytes.count)</omvang>\n"
        x += "\t\t<bestandsformaat><begripLabel>Internet Message " +
             "Format</begripLabel><begripCode>fmt/950</begripCode><begripBegrippenlijst><verwijzingNaam>PRONOM-register</verwijzingNaam>" +
             "</begripBegrippenlijst></bestandsformaat>\n"
        x += "\t\t<checksum><checksumAlgoritme><begripLabel>SHA-256</begripLabel><begripBegrippenlijst><verwijzingNaam>Begrippenlijst " +
             "ChecksumAlgoritme " +
             "MDTO</verwijzingNaam></begripBegrippenlijst></checksumAlgoritme><checksumWaarde>\(Digest.hex(bytes))</checksumWaarde>" +
             "<checksumDatum>2025-06-01T12:00:00Z</checksumDatum></checksum>\n"
        x += "\t\t" + verwijzing("isRepresentatieVan", object.0, object.1) + "\n"
        x += "\t</bestand>\n</MDTO>\n"
        return x
    }

    func write(messages: Int) throws {
        let serieRef = ("Mail van sleutelfunctionarissen", "S-1")
        let dossierRef = ("Mailbox J. Jansen", "D-1")
        try put(Self.seriePath, Self.informatieobject(
            id: serieRef.1, naam: serieRef.0, niveau: "Serie",
            parent: ("E-depot Krimpenerwaard", Self.doel.0), children: [dossierRef], representaties: [])
            .replacingOccurrences(of: "<identificatieBron>Sluitsteen</identificatieBron></verwijzingIdentificatie></isOnderdeelVan>",
                with: "<identificatieBron>\(Self.doel.1)</identificatieBron></verwijzingIdentificatie></isOnderdeelVan>"))
        let berichten = (1...messages).map { ("Besluit \($0)", "A-\($0)") }
        try put(Self.dossierPath, Self.informatieobject(
            id: dossierRef.1, naam: dossierRef.0, niveau: "Dossier", parent: serieRef, children: berichten,
            representaties: []))
        for i in 1...messages {
            let eml = Data(Self.eml(i).utf8)
            let bestandRef = ("\(Self.bericht(i)).eml", "F-\(i)")
            try put(Self.emlPath(i), eml)
            try put(Self.bestandPath(i), Self.bestand(id: bestandRef.1, naam: bestandRef.0, bytes: eml, of: berichten[i - 1]))
            try put(Self.objectPath(i), Self.informatieobject(
                id: berichten[i - 1].1, naam: berichten[i - 1].0, niveau: "Archiefstuk", parent: dossierRef,
                children: [], representaties: [bestandRef]))
        }
    }

    func put(_ rel: String, _ text: String) throws { try put(rel, Data(text.utf8)) }

    func put(_ rel: String, _ data: Data) throws {
        let url = self.url(rel)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ rel: String) throws -> String { try String(contentsOf: url(rel), encoding: .utf8) }

    /// Replaces `old` by `new` in a text file (the test fails if `old` is absent).
    func replace(_ rel: String, _ old: String, _ new: String) throws {
        let text = try read(rel)
        guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile) }
        try put(rel, text.replacingOccurrences(of: old, with: new))
    }

    /// Every regular file except pakbon.xml, relative, sorted by UTF-8 bytes.
    func files() throws -> [String] {
        let prefix = root.standardizedFileURL.path + "/"
        var out: [String] = []
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let u as URL in e where (try u.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let rel = String(u.standardizedFileURL.path.dropFirst(prefix.count))
            if rel != "pakbon.xml" { out.append(rel) }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Writes pakbon.xml from the folder's actual content (Schemas/README.md's package hash definition).
    func writePakbon() throws {
        var text = ""
        var objects = 0, bestanden = 0, inhoud = 0
        var bytes: Int64 = 0
        for rel in try files() {
            let data = try Data(contentsOf: url(rel))
            text += "\(Digest.hex(data))  \(rel)\n"
            if rel.hasSuffix(".bestand.mdto.xml") { bestanden += 1 }
            else if rel.hasSuffix(".mdto.xml") { objects += 1 }
            else { inhoud += 1; bytes += Int64(data.count) }
        }
        try put("pakbon.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <pakbon xmlns="https://sluitsteen.eu/ns/pakbon/1.0">
            \t<identificatie>sluitsteen-test-1</identificatie>
            \t<titel>Testpakket</titel>
            \t<doel><identificatieKenmerk>\(Self.doel.0)</identificatieKenmerk><identificatieBron>\(Self.doel.1)</identificatieBron></doel>
            \t<pakketHash algoritme="SHA-256">\(Digest.hex(Data(text.utf8)))</pakketHash>
            \t<aangemaaktOp>2025-06-01T12:00:00Z</aangemaaktOp>
            \t<archiefvormer><naam>Gemeente Krimpenerwaard</naam></archiefvormer>
            \t<contact><naam>Team Informatiebeheer</naam></contact>
            \t<aantalInformatieobjecten>\(objects)</aantalInformatieobjecten>
            \t<aantalBestanden>\(bestanden)</aantalBestanden>
            \t<aantalBestandenInhoud>\(inhoud)</aantalBestandenInhoud>
            \t<totaleOmvang>\(bytes)</totaleOmvang>
            </pakbon>

            """)
    }

    /// Runs a tool and returns its exit status and output.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) throws -> (Int32, String) {
        let r = try Subprocess.run(URL(fileURLWithPath: tool), arguments, in: directory)
        return (r.status, r.out + r.err)
    }

    /// Wraps the package as a BagIt bag at `bag` (RFC 8493) and returns it.
    func makeBag(at bag: URL) throws {
        let data = bag.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: bag, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root, to: data)
        var manifest = ""
        var octets = 0
        let all = (try files() + ["pakbon.xml"]).sorted()
        for rel in all {
            let bytes = try Data(contentsOf: url(rel))
            octets += bytes.count
            manifest += "\(Digest.hex(bytes))  data/\(rel)\n"
        }
        let tags: [(String, String)] = [
            ("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"),
            ("bag-info.txt", "Payload-Oxum: \(octets).\(all.count)\nBagging-Date: 2025-06-01\n"),
            ("manifest-sha256.txt", manifest),
        ]
        var tagManifest = ""
        for (name, text) in tags {
            try Data(text.utf8).write(to: bag.appendingPathComponent(name))
            tagManifest += "\(Digest.hex(Data(text.utf8)))  \(name)\n"
        }
        try Data(tagManifest.utf8).write(to: bag.appendingPathComponent("tagmanifest-sha256.txt"))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenXML

/// The pakbon (`pakbon.xml`, Sluitsteen pakbon 1.0): valid against its schema, and its counts, total size and
/// package hash equal to what the package really holds (see Schemas/README.md for the hash definition).
struct PakbonCheck {
    static let path = PackageVerifier.pakbonName
    private(set) var doel: Identity?
    private var root: XMLElement?
    /// Set when the pakbon says the package comes from a demo/test archive (its title starts with "DEMO", or its
    /// remarks carry the demo notice): the report must say so, whatever its verdict.
    private(set) var isDemo = false
    /// The pakbon's identification, archiefvormer and creation time, for the report.
    private(set) var identificatie: String?
    private(set) var archiefvormer: String?
    private(set) var aangemaaktOp: String?

    init(data: Data, options: VerifyOptions, findings: inout [Finding]) throws(VerifyError) {
        let schema = try PackageVerifier.loadPakbonSchema(options)
        let document: XMLDocument
        do {
            document = try XMLDocument(data: data, source: Self.path)
        } catch {
            findings.append(Finding(error.isSafetyRefusal ? .xmlSafety : .pakbonSchema, path: Self.path,
                SidecarAnalysis.dutch(error)))
            return
        }
        for issue in schema.validate(document).prefix(SidecarAnalysis.maxSchemaIssues) {
            findings.append(Finding(.pakbonSchema, path: Self.path, line: issue.line,
                "Voldoet niet aan het pakbonschema 1.0: \(issue.message)"))
        }
        guard document.root.name == "pakbon", document.root.namespaceURI == PackageVerifier.pakbonNamespace else {
            return
        }
        root = document.root
        identificatie = document.root.text(at: "identificatie")?.xmlTrimmed
        archiefvormer = document.root.child("archiefvormer")?.text(at: "naam")?.xmlTrimmed
        aangemaaktOp = document.root.text(at: "aangemaaktOp")?.xmlTrimmed
        isDemo = (document.root.text(at: "titel")?.xmlTrimmed.hasPrefix("DEMO") ?? false)
            || (document.root.text(at: "opmerkingen")?.contains("DEMO-/TESTARCHIEF") ?? false)
        if let d = document.root.child("doel"),
            let kenmerk = d.text(at: "identificatieKenmerk"), let bron = d.text(at: "identificatieBron")
        {
            doel = Identity(kenmerk: kenmerk.xmlTrimmed,
                bron: bron.xmlTrimmed)
        }
    }

    func compare(
        packageHash: String, informatieobjecten: Int, bestanden: Int, contentFiles: Int, contentBytes: Int64,
        into findings: inout [Finding]
    ) {
        guard let root else { return }
        func number(_ name: String, _ actual: Int64, _ check: CheckID, _ what: String) {
            guard let e = root.child(name) else { return }
            let text = e.text.xmlTrimmed
            if Int64(text) != actual {
                findings.append(Finding(check, path: Self.path, line: e.line,
                    "De pakbon noemt \(text) \(what) (\(name)), het pakket bevat er \(actual)."))
            }
        }
        number("aantalInformatieobjecten", Int64(informatieobjecten), .pakbonCounts, "informatieobjecten")
        number("aantalBestanden", Int64(bestanden), .pakbonCounts, "bestand-beschrijvingen")
        number("aantalBestandenInhoud", Int64(contentFiles), .pakbonCounts, "inhoudsbestanden")
        number("totaleOmvang", contentBytes, .pakbonOmvang, "bytes aan inhoudsbestanden")
        if let e = root.child("pakketHash") {
            let declared = e.text.xmlTrimmed.lowercased()
            if declared != packageHash {
                findings.append(Finding(.pakbonHash, path: Self.path, line: e.line,
                    "De pakkethash in de pakbon is \(declared), de berekende hash van het pakket is \(packageHash): "
                        + "er is een bestand gewijzigd, toegevoegd of verwijderd."))
            }
        }
    }
}

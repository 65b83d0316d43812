// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenXML

/// An MDTO identification: `identificatieKenmerk` with its `identificatieBron`.
struct Identity: Hashable, Sendable, CustomStringConvertible {
    let kenmerk: String
    let bron: String
    var description: String { "\"\(kenmerk)\" (bron \"\(bron)\")" }
}

/// A `verwijzingGegevens`: a name and, usually, an identification. Kept only while its element is read: what the
/// checks keep is its record in a ``ReferenceList``.
struct Reference: Sendable {
    let naam: String
    let identity: Identity?
    let line: Int
    var description: String { identity?.description ?? "\"\(naam)\"" }
}

/// What the package-wide checks need to know about one MDTO file, extracted once (the tree is then dropped).
struct SidecarSummary: Sendable {
    enum Kind: Sendable { case informatieobject, bestand, unknown }
    var kind: Kind = .unknown
    var identities: [Identity] = []
    var identityLine = 0
    var naam = ""
    var waarderingCode: String?
    var waarderingLine = 0
    /// `isOnderdeelVan`, `bevatOnderdeel` and `heeftRepresentatie` of an informatieobject, `isRepresentatieVan` of a
    /// bestand.
    var references = ReferenceList()
    var omvang: Int64?
    var omvangLine = 0
    var checksums: [(algorithm: HashAlgorithm, value: String, line: Int)] = []
}

/// Per-file judgement of one MDTO file: safety, schema and the rules that need only the file itself.
enum SidecarAnalysis {
    static let maxSchemaIssues = 20

    /// Parses and judges `data`; returns what later checks need and the failures found. References are keyed with
    /// `keys`; the text of those in `describe` is kept as well.
    static func analyse(
        _ data: Data, path: String, schema: XMLSchema, keys: RelationKeys = RelationKeys(doel: nil),
        describe: Set<ReferenceSlot> = []
    ) -> (SidecarSummary, [Finding]) {
        let document: XMLDocument
        do {
            document = try XMLDocument(data: data, source: path)
        } catch {
            return (SidecarSummary(), [refusal(error, path: path)])
        }
        return judge(document.root, schemaIssues: schema.validate(document), path: path, keys: keys, describe: describe,
            streamed: nil)
    }

    /// The finding for a document that could not be read as XML.
    static func refusal(_ error: XMLError, path: String) -> Finding {
        let check: CheckID = error.isSafetyRefusal ? .xmlSafety : .xmlWellFormed
        let line: Int
        switch error {
        case .doctypeRefused(_, let l), .tooDeep(_, let l, _): line = l
        case .notWellFormed(_, let issues): line = issues.first?.line ?? 0
        default: line = 0
        }
        return Finding(check, path: path, line: line, dutch(error))
    }

    /// The judgement of a tree, which for a file read as a stream (``SidecarStream``) lacks the reference lists of
    /// the informatieobject: they arrive already read in `streamed`, with the empty-value findings made inside them.
    /// References read here are keyed with `keys`; the text of those in `describe` is kept as well.
    static func judge(
        _ root: XMLElement, schemaIssues: [XMLIssue], path: String, keys: RelationKeys, describe: Set<ReferenceSlot>,
        streamed: (list: ReferenceList, findings: [Finding])?
    ) -> (SidecarSummary, [Finding]) {
        var findings: [Finding] = []
        for issue in schemaIssues.prefix(maxSchemaIssues) {
            findings.append(Finding(.schema, path: path, line: issue.line,
                "Voldoet niet aan het MDTO 1.0.1-schema: \(issue.message)"))
        }
        guard root.name == "MDTO", root.namespaceURI == MDTOSchema.namespace else {
            if findings.isEmpty {
                findings.append(Finding(.schema, path: path, line: root.line,
                    "Het hoofdelement is <\(root.name)>, geen <MDTO> in de MDTO-namespace."))
            }
            return (SidecarSummary(), findings)
        }
        var summary = SidecarSummary()
        emptyValues(root, path: path, into: &findings)
        if let object = root.child("informatieobject") {
            summary.kind = .informatieobject
            common(object, into: &summary)
            informatieobject(object, path: path, summary: &summary, findings: &findings)
            if let streamed {
                summary.references = streamed.list
                findings += streamed.findings
            } else {
                for kind in [RelationIndex.EdgeKind.isOnderdeelVan, .bevatOnderdeel, .heeftRepresentatie] {
                    for e in object.children(listName(kind)) {
                        summary.references.append(reference(e), kind, keys: keys, describe: describe)
                    }
                }
            }
        } else if let file = root.child("bestand") {
            summary.kind = .bestand
            common(file, into: &summary)
            bestand(file, path: path, summary: &summary, findings: &findings)
            // Only an informatieobject's lists are streamed: a bestand's reference is in the tree either way.
            if let r = file.child("isRepresentatieVan") {
                summary.references.append(reference(r), .isRepresentatieVan, keys: keys, describe: describe)
            }
        }
        return (summary, findings)
    }

    /// A Dutch reason for an XML refusal.
    static func dutch(_ error: XMLError) -> String {
        switch error {
        case .doctypeRefused:
            return "Het bestand bevat een DOCTYPE (DTD of entiteiten). Dat wordt geweigerd: entiteiten kunnen "
                + "bestanden uitlezen of het geheugen uitputten (XXE, 'billion laughs'). MDTO-bestanden hebben nooit een DOCTYPE."
        case .tooLarge(_, let size, let limit):
            return "Het XML-bestand is \(size) bytes, groter dan de grens van \(limit) bytes."
        case .tooDeep(_, _, let limit):
            return "Elementen zijn dieper dan \(limit) niveaus genest; geweigerd."
        case .notWellFormed(_, let issues):
            return "Geen geldige XML: " + (issues.first?.message ?? "onbekende fout")
        default:
            return error.description
        }
    }

    private static func text(_ e: XMLElement?) -> String? {
        e.map { $0.text.xmlTrimmed }
    }

    /// The element name of a reference list.
    static func listName(_ kind: RelationIndex.EdgeKind) -> String {
        switch kind {
        case .isOnderdeelVan: "isOnderdeelVan"
        case .bevatOnderdeel: "bevatOnderdeel"
        case .heeftRepresentatie: "heeftRepresentatie"
        case .isRepresentatieVan: "isRepresentatieVan"
        }
    }

    static func reference(_ e: XMLElement) -> Reference {
        var identity: Identity?
        if let id = e.child("verwijzingIdentificatie") {
            identity = Identity(kenmerk: text(id.child("identificatieKenmerk")) ?? "",
                bron: text(id.child("identificatieBron")) ?? "")
        }
        // The name is only needed to resolve a reference without identification (and to name it in messages).
        return Reference(naam: identity == nil ? text(e.child("verwijzingNaam")) ?? "" : "", identity: identity, line: e.line)
    }

    private static func common(_ object: XMLElement, into summary: inout SidecarSummary) {
        for id in object.children("identificatie") {
            summary.identities.append(Identity(kenmerk: text(id.child("identificatieKenmerk")) ?? "",
                bron: text(id.child("identificatieBron")) ?? ""))
            if summary.identityLine == 0 { summary.identityLine = id.line }
        }
        summary.naam = text(object.child("naam")) ?? ""
    }

    static func emptyValues(_ root: XMLElement, path: String, into findings: inout [Finding]) {
        root.forEachElement { e in
            if e.children.isEmpty && e.text.xmlTrimmed.isEmpty {
                findings.append(Finding(.emptyValue, path: path, line: e.line,
                    "Element <\(e.name)> is leeg; MDTO staat geen lege waarden toe."))
            }
        }
    }

    private static func informatieobject(
        _ object: XMLElement, path: String, summary: inout SidecarSummary, findings: inout [Finding]
    ) {
        // Waardering: closed list, code and label must agree.
        if let w = object.child("waardering") {
            summary.waarderingLine = w.line
            let label = text(w.child("begripLabel")) ?? ""
            let code = text(w.child("begripCode"))
            if let code {
                if let expected = MDTOBegrippen.waarderingen[code] {
                    summary.waarderingCode = code
                    if label != expected {
                        findings.append(Finding(.waardering, path: path, line: w.line,
                            "Waardering met code \(code) moet het label \"\(expected)\" hebben, niet \"\(label)\"."))
                    }
                } else {
                    findings.append(Finding(.waardering, path: path, line: w.line,
                        "Waarderingscode \"\(code)\" staat niet in de gesloten begrippenlijst Waarderingen "
                            + "(toegestaan: B, V, N)."))
                }
            } else if let match = MDTOBegrippen.waarderingen.first(where: { $0.value == label }) {
                summary.waarderingCode = match.key
            } else {
                findings.append(Finding(.waardering, path: path, line: w.line,
                    "Waardering \"\(label)\" staat niet in de gesloten begrippenlijst Waarderingen "
                        + "(Blijvend te bewaren, Tijdelijk te bewaren, Nader te bepalen)."))
            }
        }
        // Bewaartermijn only with waardering V; end = start + looptijd.
        if let term = object.child("bewaartermijn") {
            if let code = summary.waarderingCode, code != "V" {
                findings.append(Finding(.bewaartermijn, path: path, line: term.line,
                    "Een bewaartermijn hoort alleen bij waardering V (tijdelijk te bewaren); dit object heeft "
                        + "waardering \(code)."))
            }
            if let start = text(term.child("termijnStartdatumLooptijd")),
                let looptijd = text(term.child("termijnLooptijd")),
                let einde = text(term.child("termijnEinddatum")),
                let startDay = XSDDates.fullDate(start), let duration = XSDDates.dateDuration(looptijd),
                let endRange = XSDDates.dayRange(einde)
            {
                let computed = XSDDates.add(duration, to: startDay)
                if !endRange.contains(computed) {
                    findings.append(Finding(.bewaartermijnEinddatum, path: path, line: term.line,
                        "termijnEinddatum \(einde) klopt niet: \(start) + \(looptijd) = \(XSDDates.format(computed))."))
                }
            }
        }
        for dekking in object.children("dekkingInTijd") {
            if let b = text(dekking.child("dekkingInTijdBegindatum")).flatMap(XSDDates.dayRange),
                let e = text(dekking.child("dekkingInTijdEinddatum")).flatMap(XSDDates.dayRange),
                b.lowerBound > e.upperBound
            {
                findings.append(Finding(.dekkingInTijd, path: path, line: dekking.line,
                    "dekkingInTijd: de begindatum ligt na de einddatum."))
            }
        }
        object.forEachElement { e in
            guard let list = MDTOBegrippen.list(forElement: e.name),
                let listName = text(e.child("begripBegrippenlijst")?.child("verwijzingNaam")),
                listName.range(of: "MDTO", options: .caseInsensitive) != nil,
                let label = text(e.child("begripLabel")), !label.isEmpty
            else { return }
            if !list.labels.contains(label) {
                findings.append(Finding(.begrippenlijst, path: path, line: e.line,
                    "<\(e.name)> verwijst naar de MDTO-begrippenlijst \(list.name), maar \"\(label)\" staat daar niet in."))
            }
        }
    }

    private static func bestand(
        _ file: XMLElement, path: String, summary: inout SidecarSummary, findings: inout [Finding]
    ) {
        if let omvang = file.child("omvang") {
            summary.omvangLine = omvang.line
            let value = text(omvang) ?? ""
            if let n = Int64(value.hasPrefix("+") ? String(value.dropFirst()) : value) {
                summary.omvang = n
                if n < 0 {
                    findings.append(Finding(.omvang, path: path, line: omvang.line,
                        "omvang \(n) is negatief; een bestand heeft 0 of meer bytes."))
                }
            } else if !value.isEmpty {
                findings.append(Finding(.omvang, path: path, line: omvang.line,
                    "omvang \"\(value)\" is geen bruikbaar aantal bytes."))
            }
        }
        for checksum in file.children("checksum") {
            let label = text(checksum.child("checksumAlgoritme")?.child("begripLabel")) ?? ""
            let value = (text(checksum.child("checksumWaarde")) ?? "").lowercased()
            if let algorithm = HashAlgorithm(spelling: label) {
                summary.checksums.append((algorithm, value, checksum.line))
            } else {
                findings.append(Finding(.checksumAlgorithm, path: path, line: checksum.line,
                    "Checksumalgoritme \"\(label)\" is onbekend; gebruik SHA-224, SHA-256, SHA-384 of SHA-512 "
                        + "(begrippenlijst ChecksumAlgoritme)."))
            }
            if let datum = checksum.child("checksumDatum"), let value = text(datum),
                !value.isEmpty, !XSDDates.isFullDateTime(value)
            {
                findings.append(Finding(.checksumDatum, path: path, line: datum.line,
                    "checksumDatum \"\(value)\" is geen volledige datum-tijd (JJJJ-MM-DDTuu:mm:ss)."))
            }
        }
    }
}

extension String {
    /// The string without leading and trailing XML whitespace (space, tab, CR, LF); cheaper than Foundation's
    /// trimming, which bridges through NSString.
    var xmlTrimmed: String {
        let bytes = utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !isSpace($0) })!
        if first == bytes.startIndex && last == bytes.index(before: bytes.endIndex) { return self }
        return String(self[first...last])
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenXML

/// A person or organisation named in a message header.
struct Party: Sendable, Hashable {
    let name: String?
    let address: String
    /// The name for the metadata: the display name, else the address.
    var label: String { name?.nonEmpty ?? address }
}

/// The metadata of one message that its sidecars need (from the catalog, never from the body).
struct MessageMeta: Sendable {
    let sha256: String
    let size: Int64
    let messageId: String
    let messageIdSynthetic: Bool
    /// Date header as ISO 8601 with its offset, when known.
    let date: String?
    let subject: String
    let from: [Party]
    let to: [Party]
    let cc: [Party]

    /// The name of the message's informatieobject: the subject, or a Dutch placeholder.
    var naam: String { XMLText.safe(subject).nonEmpty.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "E-mailbericht zonder onderwerp" }
}

/// A file format as the bestand sidecar states it (PRONOM when known).
struct FileFormat: Sendable, Hashable {
    let label: String
    let pronom: String?
    let fileExtension: String
}

/// Text made fit for XML 1.0: characters XML cannot hold become U+FFFD.
enum XMLText {
    static func safe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !allowed($0) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars { out.append(allowed(scalar) ? scalar : "\u{FFFD}") }
        return String(out)
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000
    }
}

/// Everything the sidecars of one export share: archiefvormer, access restriction, id source, checksum date,
/// and the e-depot aggregation the series belong to.
struct SidecarContext: Sendable {
    let archiefvormer: String
    let tooi: String
    /// `identificatieBron` of the ids Sluitsteen assigns.
    let bron: String
    let beperking: String
    /// `checksumDatum` of every bestand (the export's moment, UTC).
    let checksumDatum: String
    /// The e-depot aggregation (pakbon `doel`).
    let doel: ObjectRef

    static let messageIdBron = "RFC 5322 Message-ID"

    func messageId(_ sha256: String) -> ObjectId { ObjectId(kenmerk: "\(tooi)-email-bericht-\(sha256)", bron: bron) }
    func fileId(_ sha256: String, _ suffix: String) -> ObjectId { ObjectId(kenmerk: "\(tooi)-email-bericht-\(sha256)-\(suffix)", bron: bron) }

    private var archiefvormerElement: XMLElement {
        MDTO.verwijzing("archiefvormer", naam: archiefvormer, id: ObjectId(kenmerk: tooi, bron: "TOOI"))
    }

    private var beperkingElement: XMLElement {
        MDTO.node("beperkingGebruik", [
            MDTO.begrip("beperkingGebruikType", label: "Overig", list: MDTO.beperkingGebruikTypen),
            MDTO.text("beperkingGebruikNadereBeschrijving", XMLText.safe(beperking)),
        ])
    }

    private static var waardering: XMLElement {
        MDTO.begrip("waardering", label: "Blijvend te bewaren", code: "B", list: MDTO.waarderingen)
    }

    private static func niveau(_ label: String) -> XMLElement {
        MDTO.begrip("aggregatieniveau", label: label, list: MDTO.aggregatieniveaus)
    }

    private static func dekking(_ type: String, _ begin: String, _ end: String?) -> XMLElement {
        var c = [MDTO.begrip("dekkingInTijdType", label: type, list: MDTO.dekkingTypen), MDTO.text("dekkingInTijdBegindatum", begin)]
        if let end { c.append(MDTO.text("dekkingInTijdEinddatum", end)) }
        return MDTO.node("dekkingInTijd", c)
    }

    private static func betrokkene(_ role: String, _ name: String) -> XMLElement {
        MDTO.node("betrokkene", [
            MDTO.begrip("betrokkeneTypeRelatie", label: role, list: MDTO.betrokkeneRollen),
            MDTO.verwijzing("betrokkeneActor", naam: XMLText.safe(name), id: nil),
        ])
    }

    private static func categorie(_ serie: SerieSpec) -> XMLElement {
        MDTO.begrip("informatiecategorie", label: XMLText.safe(serie.categorieLabel), code: serie.categorieCode.map(XMLText.safe),
                    list: XMLText.safe(serie.categorieList))
    }

    private static func related(_ ref: ObjectRef, _ relation: String) -> XMLElement {
        MDTO.node("gerelateerdInformatieobject", [
            MDTO.verwijzing("gerelateerdInformatieobjectVerwijzing", naam: ref.naam, id: ref.id),
            MDTO.begrip("gerelateerdInformatieobjectTypeRelatie", label: relation, list: MDTO.relatietypenInformatieobject),
        ])
    }

    /// The informatieobject of one message (aggregatieniveau Archiefstuk).
    func archiefstuk(_ m: MessageMeta, messageDate: String, mailbox: String, owner: String?, serie: SerieSpec,
                     holdRules: [String], withMessageId: Bool, versionOf: ObjectRef?, parent: ObjectRef,
                     representations: [ObjectRef]) -> XMLElement {
        var c: [XMLElement] = [MDTO.identificatie(messageId(m.sha256).kenmerk, bron)]
        if withMessageId { c.append(MDTO.identificatie(XMLText.safe(m.messageId), Self.messageIdBron)) }
        c.append(MDTO.text("naam", m.naam))
        c.append(Self.niveau("Archiefstuk"))
        if !holdRules.isEmpty {
            c.append(MDTO.text("omschrijving", "Bij de overdracht gold voor dit bericht een blokkade ("
                + holdRules.joined(separator: ", ") + "): het mag niet worden vernietigd zolang die blokkade geldt."))
        }
        c.append(Self.dekking("Datum bericht", messageDate, nil))
        let sent = m.from.contains { $0.address.lowercased() == mailbox.lowercased() }
        var event = [MDTO.begrip("eventType", label: sent ? "Verzending" : "Ontvangst", list: MDTO.eventTypes)]
        if let date = m.date { event.append(MDTO.text("eventTijd", date)) }
        let actor = sent ? (m.from.first?.label ?? owner ?? mailbox) : (owner ?? mailbox)
        event.append(MDTO.verwijzing("eventVerantwoordelijkeActor", naam: XMLText.safe(actor), id: nil))
        c.append(MDTO.node("event", event))
        c.append(Self.waardering)
        c.append(Self.categorie(serie))
        c.append(MDTO.verwijzing("isOnderdeelVan", naam: parent.naam, id: parent.id))
        for r in representations { c.append(MDTO.verwijzing("heeftRepresentatie", naam: r.naam, id: r.id)) }
        if let versionOf { c.append(Self.related(versionOf, "Is een versie van")) }
        c.append(archiefvormerElement)
        for p in m.from { c.append(Self.betrokkene("Afzender", p.label)) }
        for p in m.to { c.append(Self.betrokkene("Geadresseerde", p.label)) }
        for p in m.cc { c.append(Self.betrokkene("Geadresseerde in cc", p.label)) }
        c.append(beperkingElement)
        return MDTO.document(MDTO.node("informatieobject", c))
    }

    /// The informatieobject of a Dossier (one mailbox in one serie) or a Serie.
    func aggregation(level: String, ref: ObjectRef, omschrijving: String?, coverage: (String, String)?, serie: SerieSpec,
                     parent: ObjectRef, children: [ObjectRef], references: [ObjectRef], owner: String?) -> XMLElement {
        var c: [XMLElement] = [MDTO.identificatie(ref.id.kenmerk, ref.id.bron), MDTO.text("naam", ref.naam), Self.niveau(level)]
        if let omschrijving { c.append(MDTO.text("omschrijving", XMLText.safe(omschrijving))) }
        if let coverage { c.append(Self.dekking("Looptijd", coverage.0, coverage.1)) }
        c.append(Self.waardering)
        c.append(Self.categorie(serie))
        c.append(MDTO.verwijzing("isOnderdeelVan", naam: parent.naam, id: parent.id))
        for r in children { c.append(MDTO.verwijzing("bevatOnderdeel", naam: r.naam, id: r.id)) }
        for r in references { c.append(Self.related(r, "Refereert aan")) }
        c.append(archiefvormerElement)
        if let owner { c.append(Self.betrokkene("Eigenaar postvak", owner)) }
        c.append(beperkingElement)
        return MDTO.document(MDTO.node("informatieobject", c))
    }

    /// The bestand sidecar of a file.
    func bestand(_ ref: ObjectRef, size: Int64, format: FileFormat, sha256: String, of object: ObjectRef) -> XMLElement {
        var c: [XMLElement] = [MDTO.identificatie(ref.id.kenmerk, ref.id.bron), MDTO.text("naam", ref.naam),
                               MDTO.text("omvang", String(size))]
        c.append(MDTO.begrip("bestandsformaat", label: format.label, code: format.pronom,
                             list: format.pronom == nil ? "Sluitsteen formaatherkenning" : MDTO.pronom))
        c.append(MDTO.node("checksum", [
            MDTO.begrip("checksumAlgoritme", label: "SHA-256", list: MDTO.checksumAlgoritmen),
            MDTO.text("checksumWaarde", sha256),
            MDTO.text("checksumDatum", checksumDatum),
        ]))
        c.append(MDTO.verwijzing("isRepresentatieVan", naam: object.naam, id: object.id))
        return MDTO.document(MDTO.node("bestand", c))
    }
}

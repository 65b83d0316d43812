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

/// How much of a header value goes into the metadata. The catalog may hold values of any length (one written
/// before ingest bounded them, or a hostile message): the sidecars take a bounded part, say so in an
/// `omschrijving`, and the full value stays in the message itself (the `.eml`).
enum HeaderLimits {
    /// Characters of a Subject in a `naam`.
    static let subject = 1_000
    /// Characters of a person's name or address in a `betrokkene`.
    static let party = 500
    /// Betrokkenen per role (sender, addressees, cc).
    static let parties = 1_000
    /// Characters of a Message-ID given as an `identificatie` (a longer one is left out).
    static let messageId = 1_000
}

/// The metadata of one message that its sidecars need (from the catalog, never from the body), with header
/// values bounded by ``HeaderLimits``.
struct MessageMeta: Sendable {
    let sha256: String
    let size: Int64
    /// The Message-ID; empty when it is longer than ``HeaderLimits/messageId``.
    let messageId: String
    /// The length of the Message-ID in the catalog (characters).
    let messageIdLength: Int
    let messageIdSynthetic: Bool
    /// Date header as ISO 8601 with its offset, when known.
    let date: String?
    /// The subject, at most ``HeaderLimits/subject`` characters.
    let subject: String
    /// The length of the subject in the catalog (characters).
    let subjectLength: Int
    let from: [Party]
    let to: [Party]
    let cc: [Party]
    /// How many senders, addressees and cc addressees the catalog lists (the lists above hold at most
    /// ``HeaderLimits/parties`` each).
    let partyCounts: (from: Int, to: Int, cc: Int)

    /// The name of the message's informatieobject: the subject (cut to ``HeaderLimits/subject`` characters,
    /// ending in ` […]` when cut), or a Dutch placeholder.
    var naam: String {
        guard let text = XMLText.safe(subject).nonEmpty.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) else {
            return "E-mailbericht zonder onderwerp"
        }
        return subjectLength > HeaderLimits.subject ? String(text.prefix(HeaderLimits.subject)) + " […]" : text
    }

    /// What the metadata leaves out of the headers, in Dutch, one sentence each (empty for a normal message).
    var shortenings: [String] {
        var notes: [String] = []
        if subjectLength > HeaderLimits.subject {
            notes.append("Het onderwerp van dit bericht is \(subjectLength) tekens lang; de naam bevat de eerste \(HeaderLimits.subject). "
                + "Het volledige onderwerp staat in het bericht zelf.")
        }
        for (count, role) in [(partyCounts.from, "afzenders"), (partyCounts.to, "geadresseerden"), (partyCounts.cc, "geadresseerden in cc")]
        where count > HeaderLimits.parties {
            notes.append("Het bericht noemt \(count) \(role); de eerste \(HeaderLimits.parties) staan hier als betrokkene, "
                + "alle staan in het bericht zelf.")
        }
        if messageIdLength > HeaderLimits.messageId {
            notes.append("De Message-ID van dit bericht is \(messageIdLength) tekens lang en is daarom niet als kenmerk opgenomen; "
                + "hij staat in het bericht zelf.")
        }
        return notes
    }
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

    var archiefvormerElement: XMLElement {
        MDTO.verwijzing("archiefvormer", naam: archiefvormer, id: ObjectId(kenmerk: tooi, bron: "TOOI"))
    }

    var beperkingElement: XMLElement {
        MDTO.node("beperkingGebruik", [
            MDTO.begrip("beperkingGebruikType", label: "Overig", list: MDTO.beperkingGebruikTypen),
            MDTO.text("beperkingGebruikNadereBeschrijving", XMLText.safe(beperking)),
        ])
    }

    static var waardering: XMLElement {
        MDTO.begrip("waardering", label: "Blijvend te bewaren", code: "B", list: MDTO.waarderingen)
    }

    static func niveau(_ label: String) -> XMLElement {
        MDTO.begrip("aggregatieniveau", label: label, list: MDTO.aggregatieniveaus)
    }

    static func dekking(_ type: String, _ begin: String, _ end: String?) -> XMLElement {
        var c = [MDTO.begrip("dekkingInTijdType", label: type, list: MDTO.dekkingTypen), MDTO.text("dekkingInTijdBegindatum", begin)]
        if let end { c.append(MDTO.text("dekkingInTijdEinddatum", end)) }
        return MDTO.node("dekkingInTijd", c)
    }

    static func betrokkene(_ role: String, _ name: String) -> XMLElement {
        MDTO.node("betrokkene", [
            MDTO.begrip("betrokkeneTypeRelatie", label: role, list: MDTO.betrokkeneRollen),
            MDTO.verwijzing("betrokkeneActor", naam: XMLText.safe(name), id: nil),
        ])
    }

    static func categorie(_ serie: SerieSpec) -> XMLElement {
        MDTO.begrip("informatiecategorie", label: XMLText.safe(serie.categorieLabel), code: serie.categorieCode.map(XMLText.safe),
                    list: XMLText.safe(serie.categorieList))
    }

    static func related(_ ref: ObjectRef, _ relation: String) -> XMLElement {
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
        if withMessageId && !m.messageId.isEmpty { c.append(MDTO.identificatie(XMLText.safe(m.messageId), Self.messageIdBron)) }
        c.append(MDTO.text("naam", m.naam))
        c.append(Self.niveau("Archiefstuk"))
        if !holdRules.isEmpty {
            c.append(MDTO.text("omschrijving", "Bij de overdracht gold voor dit bericht een blokkade ("
                + holdRules.joined(separator: ", ") + "): het mag niet worden vernietigd zolang die blokkade geldt."))
        }
        for note in m.shortenings { c.append(MDTO.text("omschrijving", note)) }
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

    /// The informatieobject of a Dossier (one mailbox in one serie) or a Serie. With `streamed`, `children` and
    /// `references` are left out and one ``XMLSerializer/streamMarker`` stands where they go (see ``child(_:)`` and
    /// ``reference(_:)``), for ``XMLSerializer/write(_:to:indent:streamed:)``.
    func aggregation(level: String, ref: ObjectRef, omschrijving: String?, coverage: (String, String)?, serie: SerieSpec,
                     parent: ObjectRef, children: [ObjectRef], references: [ObjectRef], owner: String?,
                     streamed: Bool = false) -> XMLElement {
        var c: [XMLElement] = [MDTO.identificatie(ref.id.kenmerk, ref.id.bron), MDTO.text("naam", ref.naam), Self.niveau(level)]
        if let omschrijving { c.append(MDTO.text("omschrijving", XMLText.safe(omschrijving))) }
        if let coverage { c.append(Self.dekking("Looptijd", coverage.0, coverage.1)) }
        c.append(Self.waardering)
        c.append(Self.categorie(serie))
        c.append(MDTO.verwijzing("isOnderdeelVan", naam: parent.naam, id: parent.id))
        if streamed { c.append(XMLElement(XMLSerializer.streamMarker)) }
        for r in children { c.append(Self.child(r)) }
        for r in references { c.append(Self.reference(r)) }
        c.append(archiefvormerElement)
        if let owner { c.append(Self.betrokkene("Eigenaar postvak", owner)) }
        c.append(beperkingElement)
        return MDTO.document(MDTO.node("informatieobject", c))
    }

    /// An aggregation's `bevatOnderdeel`.
    static func child(_ r: ObjectRef) -> XMLElement { MDTO.verwijzing("bevatOnderdeel", naam: r.naam, id: r.id) }

    /// An aggregation's reference to a copy filed elsewhere.
    static func reference(_ r: ObjectRef) -> XMLElement { related(r, "Refereert aan") }

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

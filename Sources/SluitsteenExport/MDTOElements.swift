// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenXML

/// Small builders for MDTO 1.0.1 elements (`begripGegevens`, `verwijzingGegevens`, `identificatieGegevens`) and
/// the names of the begrippenlijsten Sluitsteen cites, so every sidecar spells them the same way.
enum MDTO {
    static let namespace = MDTOSchema.namespace
    static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    static let schemaLocation = "https://www.nationaalarchief.nl/mdto https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"

    // Begrippenlijsten of MDTO itself.
    static let aggregatieniveaus = "Begrippenlijst Aggregatieniveaus MDTO"
    static let waarderingen = "Begrippenlijst Waarderingen MDTO"
    static let eventTypes = "Begrippenlijst EventTypeLijst MDTO"
    static let relatietypenInformatieobject = "Begrippenlijst Relatietypen (informatieobject) MDTO"
    static let beperkingGebruikTypen = "Begrippenlijst BeperkingGebruikTypeLijst MDTO"
    static let checksumAlgoritmen = "Begrippenlijst ChecksumAlgoritme MDTO"
    static let pronom = "PRONOM-register"
    // Sluitsteen's own (open) lists; their names must not contain "MDTO".
    static let betrokkeneRollen = "Sluitsteen rollen bij e-mail"
    static let dekkingTypen = "Sluitsteen typen dekking in tijd"

    /// The root `<MDTO>` around one `informatieobject` or `bestand`.
    static func document(_ object: XMLElement) -> XMLElement {
        XMLElement("MDTO", namespaceURI: namespace,
                   attributes: [XMLAttribute("xmlns:xsi", xsi), XMLAttribute("xsi:schemaLocation", schemaLocation)],
                   children: [object])
    }

    static func text(_ name: String, _ value: String) -> XMLElement { XMLElement(name, text: value) }

    static func node(_ name: String, _ children: [XMLElement]) -> XMLElement { XMLElement(name, children: children) }

    static func identificatie(_ kenmerk: String, _ bron: String, element: String = "identificatie") -> XMLElement {
        node(element, [text("identificatieKenmerk", kenmerk), text("identificatieBron", bron)])
    }

    static func verwijzing(_ element: String, naam: String, id: ObjectId?) -> XMLElement {
        var children = [text("verwijzingNaam", naam)]
        if let id { children.append(identificatie(id.kenmerk, id.bron, element: "verwijzingIdentificatie")) }
        return node(element, children)
    }

    static func begrip(_ element: String, label: String, code: String? = nil, list: String) -> XMLElement {
        var children = [text("begripLabel", label)]
        if let code { children.append(text("begripCode", code)) }
        children.append(node("begripBegrippenlijst", [text("verwijzingNaam", list)]))
        return node(element, children)
    }
}

/// An MDTO identification: `identificatieKenmerk` and `identificatieBron`.
struct ObjectId: Sendable, Hashable {
    let kenmerk: String
    let bron: String
}

/// A reference to an object in the package: its name and identification.
struct ObjectRef: Sendable, Hashable {
    let naam: String
    let id: ObjectId
}

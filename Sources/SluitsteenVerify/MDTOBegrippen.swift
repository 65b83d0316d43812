// SPDX-License-Identifier: EUPL-1.2

/// The begrippenlijsten of MDTO (Nationaal Archief, "Begrippenlijsten MDTO"), as data.
///
/// Only Waarderingen is a closed list; the others are open, so a label is checked against them only when the
/// element cites the MDTO list itself (its `begripBegrippenlijst` name mentions "MDTO").
enum MDTOBegrippen {
    /// Waarderingen (gesloten): code → label.
    static let waarderingen: [String: String] = [
        "B": "Blijvend te bewaren",
        "V": "Tijdelijk te bewaren",
        "N": "Nader te bepalen",
    ]

    static let aggregatieniveaus: Set<String> = ["Archief", "Serie", "Dossier", "Archiefstuk"]

    static let eventTypes: Set<String> = [
        "Creatie", "Ontvangst", "Verzending", "Opname", "Digitalisering", "Vervanging", "Bevriezing", "Conversie",
        "Export", "Import", "Kopie", "Migratie", "Vernietigen", "Overbrenging", "Uitplaatsing", "Wijziging",
        "Publicatie", "Accordering", "Validatie Handtekening",
    ]

    static let relatietypenBetrokkene: Set<String> = ["Belanghebbende", "Indiener", "Rechthebbende"]

    static let relatietypenInformatieobject: Set<String> = [
        "Heeft Versie", "Wordt aangehaald door", "Is vervangen door", "Is vereist door", "Is een versie van",
        "Refereert aan", "Vervangt", "Heeft nodig",
    ]

    static let beperkingGebruikTypen: Set<String> = ["Geen beperking", "Nader te bepalen", "Overig"]

    /// The list an element draws its begrip from, by element name, with the list's name for messages.
    static func list(forElement name: String) -> (name: String, labels: Set<String>)? {
        switch name {
        case "aggregatieniveau": return ("Aggregatieniveaus", aggregatieniveaus)
        case "eventType": return ("EventTypeLijst", eventTypes)
        case "betrokkeneTypeRelatie": return ("Relatietypen (betrokkene)", relatietypenBetrokkene)
        case "gerelateerdInformatieobjectTypeRelatie":
            return ("Relatietypen (informatieobject)", relatietypenInformatieobject)
        case "beperkingGebruikType": return ("BeperkingGebruikTypeLijst", beperkingGebruikTypen)
        default: return nil
        }
    }
}

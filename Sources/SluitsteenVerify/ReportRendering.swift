// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

extension CheckID {
    /// What the check verifies, in Dutch, for reports.
    public var uitleg: String {
        Self.explanations[self] ?? rawValue
    }

    static let explanations: [CheckID: String] = [
        .xmlSafety: "XML veilig te lezen: geen DOCTYPE, DTD, entiteiten of netwerktoegang; grootte en diepte begrensd",
        .xmlWellFormed: "XML welgevormd",
        .schema: "Geldig volgens het MDTO 1.0.1-schema (XSD)",
        .emptyValue: "Geen lege waarden",
        .omvang: "omvang is 0 of meer en gelijk aan de werkelijke bestandsgrootte",
        .checksum: "Checksum opnieuw berekend met het genoemde algoritme en gelijk aan het bestand",
        .checksumAlgorithm: "Checksumalgoritme uit de begrippenlijst (SHA-224/256/384/512)",
        .checksumDatum: "checksumDatum is een volledige datum-tijd",
        .waardering: "Waardering uit de gesloten begrippenlijst (B, V, N), code en label kloppen",
        .bewaartermijn: "Bewaartermijn alleen bij waardering V",
        .bewaartermijnEinddatum: "Einddatum bewaartermijn = startdatum + looptijd",
        .dekkingInTijd: "dekkingInTijd: begindatum niet na einddatum",
        .identificatieUnique: "Elk identificatiekenmerk met bron uniek in het pakket",
        .begrippenlijst: "Labels uit MDTO-begrippenlijsten bestaan in die lijst",
        .missingBestandSidecar: "Elk bestand heeft zijn <bestand>.bestand.mdto.xml",
        .missingFolderSidecar: "Elke map heeft haar eigen <map>.mdto.xml",
        .orphanSidecar: "Geen bestand-MDTO zonder bijbehorend bestand",
        .sidecarKind: "MDTO-bestanden bevatten het juiste soort object",
        .representatie: "heeftRepresentatie en isRepresentatieVan bestaan en komen overeen",
        .onderdeel: "isOnderdeelVan en bevatOnderdeel bestaan en komen overeen",
        .oneParent: "Elk object heeft precies één ouder",
        .name: "Namen toegestaan en uniek",
        .pathLength: "Volledige paden hoogstens 255 tekens",
        .fileType: "Alleen gewone bestanden en mappen",
        .pakbonPresent: "pakbon.xml aanwezig als bestand in de hoofdmap van het pakket",
        .pakbonSchema: "Pakbon geldig volgens het pakbonschema 1.0",
        .pakbonCounts: "Aantallen in de pakbon kloppen",
        .pakbonOmvang: "Totale omvang in de pakbon klopt",
        .pakbonHash: "Pakkethash in de pakbon klopt",
        .bagitDeclaration: "BagIt-declaratie (bagit.txt) aanwezig en juist",
        .bagitManifest: "BagIt-manifesten: elk bestand vermeld met juiste hash, niets ontbreekt",
        .bagitOxum: "BagIt Payload-Oxum klopt",
        .bagitTagManifest: "BagIt-tagmanifesten kloppen",
        .policyWaardering: "Beleid: alleen informatieobjecten met waardering B",
        .memberName: "Namen in de tar of zip eenduidig en veilig: relatief, zonder '..', elk één keer",
        VerifyError.unreadableCheck: "Pakket en bestanden leesbaar",
    ]
}

/// Renders a ``VerificationReport`` as text, JSON or a self-contained Dutch HTML page. Pure functions of the
/// report: the same report always gives the same bytes (no timestamps).
public enum ReportRendering {
    /// The human summary for the terminal. Names and messages pass through ``DisplayText/visible(_:)``, so a
    /// file name cannot smuggle terminal escapes or line breaks into it.
    public static func text(_ report: VerificationReport) -> String {
        let v = DisplayText.visible
        var out = "Verificatie van \(v(report.subject)) (\(report.container))\n"
        out += "Gecontroleerd: \(report.informatieobjecten) informatieobjecten, \(report.bestanden) bestand-beschrijvingen, "
            + "\(report.contentFiles) inhoudsbestanden (\(report.contentBytes) bytes); \(report.checksRun.count) controles.\n"
        for note in report.notes { out += "Let op: \(v(note))\n" }
        if report.passed {
            out += "Resultaat: GOEDGEKEURD — geen enkele controle faalde.\n"
            return out
        }
        out += "Resultaat: AFGEKEURD — \(report.findings.count) fout(en).\n\nFouten per controle:\n"
        for (check, n) in report.failuresByCheck { out += "  \(check.rawValue.padding(toLength: 38, withPad: " ", startingAt: 0)) \(n)\n" }
        out += "\nFouten (op pad):\n"
        for f in report.findings {
            out += "  \(v(f.path))\(f.line > 0 ? ":\(f.line)" : "")  [\(f.check.rawValue)]  \(v(f.message))\n"
        }
        return out
    }

    private struct JSONReport: Encodable {
        let subject: String
        let container: String
        let passed: Bool
        let informatieobjecten: Int
        let bestanden: Int
        let contentFiles: Int
        let contentBytes: Int64
        let checksRun: [String]
        let failuresByCheck: [String: Int]
        let notes: [String]
        let findings: [Finding]
    }

    /// Machine-readable JSON (sorted keys). Strings keep their exact text, but every character that
    /// ``DisplayText`` would escape is written as a JSON `\u` escape, so printing the JSON is safe as well.
    public static func json(_ report: VerificationReport) -> Data {
        let value = JSONReport(
            subject: report.subject, container: report.container, passed: report.passed,
            informatieobjecten: report.informatieobjecten, bestanden: report.bestanden,
            contentFiles: report.contentFiles, contentBytes: report.contentBytes,
            checksRun: report.checksRun.map(\.rawValue),
            failuresByCheck: Dictionary(uniqueKeysWithValues: report.failuresByCheck.map { ($0.0.rawValue, $0.1) }),
            notes: report.notes, findings: report.findings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return Data("{}".utf8) }
        // The encoder escapes C0 controls itself; the others can only occur inside strings.
        let text = String(decoding: data, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { $0.value >= 0x7F && DisplayText.needsEscape($0) }) else { return data }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x7F && DisplayText.needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return Data(out.utf8)
    }

    /// A self-contained Dutch HTML report; text is escaped for HTML after ``DisplayText/visible(_:)``, so control
    /// and bidirectional characters in names show as escapes instead of reordering or hiding text.
    public static func html(_ report: VerificationReport) -> String {
        func e(_ s: String) -> String { HTML.escape(DisplayText.visible(s)) }
        let failed = Dictionary(uniqueKeysWithValues: report.failuresByCheck)
        var h = """
            <!DOCTYPE html>
            <html lang="nl"><head><meta charset="utf-8">
            <title>Verificatierapport \(e(report.subject))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
            table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
            th{background:#f0f0f0}.ok{color:#0a6b2d;font-weight:bold}.fout{color:#a4141b;font-weight:bold}
            code{font-size:.95em}td.n{text-align:right}
            </style></head><body>
            <h1>Verificatierapport MDTO-overdrachtspakket</h1>
            <table>
            <tr><th>Pakket</th><td><code>\(e(report.subject))</code> (\(e(report.container)))</td></tr>
            <tr><th>Uitslag</th><td class="\(report.passed ? "ok" : "fout")">\(report.passed ? "Goedgekeurd: geen enkele controle faalde" : "Afgekeurd: \(report.findings.count) fout(en)")</td></tr>
            <tr><th>Informatieobjecten</th><td>\(report.informatieobjecten)</td></tr>
            <tr><th>Bestand-beschrijvingen</th><td>\(report.bestanden)</td></tr>
            <tr><th>Inhoudsbestanden</th><td>\(report.contentFiles) (\(report.contentBytes) bytes)</td></tr>
            </table>

            """
        for note in report.notes {
            // A demo package's note is a banner: it must not be missed next to a verdict.
            h += note.hasPrefix("DEMO") ? "<p class=\"demo\" role=\"note\" style=\"border:3px solid #b00000;color:#b00000;padding:.5em;font-weight:bold\">\(e(note))</p>\n"
                : "<p><strong>Let op:</strong> \(e(note))</p>\n"
        }
        h += "<h2>Controles</h2>\n<table><tr><th>Controle</th><th>Wat</th><th>Uitslag</th></tr>\n"
        let allChecks = Set(report.checksRun).union(failed.keys).sorted()
        for check in allChecks {
            let n = failed[check] ?? 0
            h += "<tr><td><code>\(e(check.rawValue))</code></td><td>\(e(check.uitleg))</td>"
                + (n == 0 ? "<td class=\"ok\">in orde</td>" : "<td class=\"fout\">\(n) fout(en)</td>") + "</tr>\n"
        }
        h += "</table>\n"
        if !report.findings.isEmpty {
            h += "<h2>Fouten</h2>\n<table><tr><th>Bestand</th><th>Regel</th><th>Controle</th><th>Reden</th></tr>\n"
            for f in report.findings {
                h += "<tr><td><code>\(e(f.path))</code></td><td class=\"n\">\(f.line > 0 ? String(f.line) : "")</td>"
                    + "<td><code>\(e(f.check.rawValue))</code></td><td>\(e(f.message))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += "<p>Gemaakt met <code>sluitsteen verify</code>. Dezelfde invoer geeft altijd hetzelfde rapport.</p>\n</body></html>\n"
        return h
    }
}

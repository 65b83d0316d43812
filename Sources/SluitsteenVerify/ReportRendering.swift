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
        .rendition: "Een leesbare weergave (weergave.html) verwijst alleen naar bestanden ernaast en bevat geen actieve inhoud",
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
        .expectedHash: "Pakkethash gelijk aan de verwachte hash (--expect-hash, uit het exportverslag of de verklaring van overbrenging)",
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

    /// Who verified, when, and with which tool: the parts of the verify report that are not a function of the
    /// package (the report is otherwise the same for the same package).
    public struct Context: Sendable {
        public var madeAt: Date?
        /// The verifier (an auditor, normally): name and role in words.
        public var verifier: DocumentFrame.Person
        public var toolVersion: String
        /// Set when the time is a replayed clock (SLUITSTEEN_NOW), which the report then says.
        public var replayedClock: Bool

        public init(madeAt: Date?, verifier: DocumentFrame.Person, toolVersion: String = SluitsteenVersion.current,
                    replayedClock: Bool = false) {
            self.madeAt = madeAt
            self.verifier = verifier
            self.toolVersion = toolVersion
            self.replayedClock = replayedClock
        }

        /// No time, verifier "niet vermeld": the report as a pure function of the package.
        public static let unsigned = Context(madeAt: nil, verifier: DocumentFrame.Person(name: "niet vermeld", role: "niet vermeld"))
    }

    /// A self-contained Dutch HTML report in the document frame: date, verifier, package id and hash (with the
    /// expected hash when one was given), archiefvormer, tool and schema versions, the failures first, then every
    /// check, and a signature block for the auditor. Text is escaped for HTML after ``DisplayText/visible(_:)``, so
    /// control and bidirectional characters in names show as escapes instead of reordering or hiding text; long
    /// paths and hashes wrap (the frame's CSS).
    public static func html(_ report: VerificationReport, context: Context = .unsigned) -> String {
        func e(_ s: String) -> String { HTML.escape(DisplayText.visible(s)) }
        let failed = Dictionary(uniqueKeysWithValues: report.failuresByCheck)
        let demo = report.notes.first { $0.hasPrefix("DEMO") }
        var frame = DocumentFrame(
            title: "Verificatierapport MDTO-overdrachtspakket",
            municipality: DisplayText.visible(report.archiefvormer ?? "onbekend (het pakket heeft geen leesbare pakbon)"),
            kenmerk: DisplayText.visible(report.packageId ?? (report.subject as NSString).lastPathComponent), madeAt: context.madeAt,
            madeBy: DocumentFrame.Person(name: DisplayText.visible(context.verifier.name), role: DisplayText.visible(context.verifier.role)),
            policyName: nil, policyVersion: nil, toolVersion: context.toolVersion,
            demoNotice: demo.map(DisplayText.visible), signatoryRole: "auditor")
        var hashText = report.packageHash.map { "<code>\(e($0))</code> (berekend uit het pakket)" } ?? "niet berekend"
        if let expected = report.expectedHash {
            let same = expected.lowercased() == report.packageHash
            hashText += "<br>verwacht: <code>\(e(expected))</code> — "
                + (same ? "<span class=\"ok\">gelijk</span>" : "<span class=\"fout\">ANDERS</span>")
        }
        frame.extraRows = [
            ("Pakket", "<code>\(e(report.packageId ?? "geen identificatie (geen pakbon)"))</code>"),
            ("Pakkethash (SHA-256)", hashText),
            ("Pakket aangemaakt", e(report.packageCreatedAt.map { DutchWords.date(iso: $0) } ?? "onbekend")),
            ("Gecontroleerd bestand", "<code>\(e(report.subject))</code> (\(e(containerWords(report.container))))"),
            ("Schema's", "MDTO 1.0.1 (XSD van het Nationaal Archief, met vaste SHA-256); Sluitsteen-pakbon 1.0"),
        ]
        if context.replayedClock {
            frame.extraRows.append(("Klok", "gesimuleerd (SLUITSTEEN_NOW): de datum hierboven is niet de werkelijke datum"))
        }
        frame.style = ".ok{color:#0a6b2d;font-weight:bold}.fout{color:#a4141b;font-weight:bold}"
        var h = """
            <h2>Uitslag</h2>
            <p class="\(report.passed ? "ok" : "fout")">\
            \(report.passed ? "Goedgekeurd: geen enkele controle faalde." : "Afgekeurd: \(report.findings.count) fout(en).")</p>
            <table class="meta">
            <tr><th>Informatieobjecten</th><td>\(report.informatieobjecten)</td></tr>
            <tr><th>Bestand-beschrijvingen</th><td>\(report.bestanden)</td></tr>
            <tr><th>Inhoudsbestanden</th><td>\(report.contentFiles) (\(report.contentBytes) bytes)</td></tr>
            </table>

            """
        for note in report.notes where !note.hasPrefix("DEMO") { h += "<p><strong>Let op:</strong> \(e(note))</p>\n" }
        // Failures first: what is wrong comes before what is right.
        if !report.findings.isEmpty {
            h += "<h2>Fouten</h2>\n<table><tr><th>Bestand</th><th>Regel</th><th>Controle</th><th>Reden</th></tr>\n"
            for f in report.findings {
                h += "<tr><td><code>\(e(f.path.isEmpty ? "(het pakket)" : f.path))</code></td><td " +
                     "class=\"n\">\(f.line > 0 ? String(f.line) : "")</td>"
                    + "<td><code>\(e(f.check.rawValue))</code></td><td>\(e(f.message))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += "<h2>Controles</h2>\n<table><tr><th>Controle</th><th>Wat</th><th>Uitslag</th></tr>\n"
        let allChecks = Set(report.checksRun).union(failed.keys).sorted { a, b in
            ((failed[a] ?? 0) > 0 ? 0 : 1, a) < ((failed[b] ?? 0) > 0 ? 0 : 1, b)
        }
        for check in allChecks {
            let n = failed[check] ?? 0
            h += "<tr><td><code>\(e(check.rawValue))</code></td><td>\(e(check.uitleg))</td>"
                + (n == 0 ? "<td class=\"ok\">in orde</td>" : "<td class=\"fout\">\(n) fout(en)</td>") + "</tr>\n"
        }
        h += "</table>\n<p class=\"note\">Gemaakt met <code>sluitsteen verify</code>, zonder het archief: alleen het pakket en de schema's. "
            + "Dezelfde invoer geeft dezelfde uitslag.</p>\n"
        return frame.html(body: h)
    }

    static func containerWords(_ container: String) -> String {
        let bag = container.hasPrefix("bagit-") ? " (BagIt)" : ""
        switch container.replacingOccurrences(of: "bagit-", with: "") {
        case "tar": return "tar-bestand" + bag
        case "zip": return "zip-bestand" + bag
        case "sidecars": return "losse MDTO-bestanden"
        default: return "map" + bag
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenPolicy

@Suite("Policy as data")
struct PolicyTests {
    @Test("the shipped default is Krimpenerwaard's policy as issue 3 states it")
    func shippedDefault() throws {
        let p = try Policy.krimpenerwaard
        #expect(p.goLive == World.d("2025-01-01"))
        #expect(p.inForce == World.d("2024-01-01"))
        #expect(p.archiefvormer == Archiefvormer(name: "Gemeente Krimpenerwaard", tooi: "gm1931"))
        #expect(Set(p.keyRoles) == ["burgemeester", "wethouder", "algemeen-directeur", "plv-algemeen-directeur",
                                    "directielid", "griffier", "concerncontroller", "ciso", "fg", "rekenkamerlid"])
        #expect(p.keyPerson == RetentionRule(id: "key-person-b", waardering: .bewaren, after: ISODuration(years: 10)))
        #expect(p.staff == RetentionRule(id: "staff-7y", waardering: .vernietigen, after: ISODuration(years: 7)))
        #expect(p.staffLeft == RetentionRule(id: "staff-left-3m", waardering: .vernietigen, after: ISODuration(months: 3)))
        #expect(p.functional == RetentionRule(id: "functional-1y", waardering: .vernietigen, after: ISODuration(years: 1)))
        #expect(p.optOut.window == ISODuration(weeks: 10))
        #expect(p.optOut.folders == ["Privé", "Prive", "Persoonlijk", "Private"])
        #expect(p.optOut.keywords == ["Privé", "Prive", "private"])
        #expect(p.destruction.approvals == ["div", "archivist"])
        #expect(p.destruction.bedenktijd == ISODuration(days: 7))
        #expect(p.mdto.beperkingGebruik.contains("Woo-coördinator"))
        #expect(Policy.check(text: try Policy.krimpenerwaardText()).isEmpty)
    }

    @Test("JSON rendering: goLive as ISO date, sorted keys, deterministic")
    func json() throws {
        let p = try Policy.krimpenerwaard
        let text = p.jsonText()
        #expect(text == (try Policy.krimpenerwaard).jsonText())
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["goLive"] as? String == "2025-01-01")
        #expect((object?["archiefvormer"] as? [String: Any])?["tooi"] as? String == "gm1931")
        #expect((object?["optOut"] as? [String: Any])?["window"] as? String == "P10W")
        let keys = ["archiefvormer", "destruction", "eDepot", "functional", "goLive", "hotspotTransferAfter"]
        let positions = keys.map { text.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(p.renderedText().contains("Go-live: 2025-01-01"))
    }

    /// 1-based line of the first line of `text` containing `needle` (plain search, independent of the parser).
    func line(_ needle: String, in text: String) -> Int {
        let lines = text.components(separatedBy: "\n")
        return lines.firstIndex { $0.contains(needle) }! + 1
    }

    @Test("policy check reports every error, each with its line")
    func checkReportsAllErrors() throws {
        var text = try Policy.krimpenerwaardText()
        text = text.replacingOccurrences(of: "after = \"P7Y\"", with: "after = \"7 years\"")
        text = text.replacingOccurrences(of: "tooi = \"gm1931\"", with: "tooi = \"1931\"")
        text = text.replacingOccurrences(of: "go-live = 2025-01-01", with: "golive = 2025-01-01")
        text = text.replacingOccurrences(of: "window = \"P10W\"", with: "window = \"P10W\"\nkeyword = [\"x\"]")
        text = text.replacingOccurrences(of: "  \"ciso\",", with: "  \"ciso\",\n  \"ciso\",")
        text = text.replacingOccurrences(of: "waardering = \"V\"               # vernietigen",
                                         with: "waardering = \"X\"")
        let diags = Policy.check(text: text, file: "bad.toml")
        let byKey = Dictionary(grouping: diags, by: \.key)
        #expect(byKey["rules.staff.after"]?.first?.line == line("\"7 years\"", in: text))
        #expect(byKey["archiefvormer.tooi"]?.first?.line == line("tooi = \"1931\"", in: text))
        // the misspelt key is unknown (on its line) and the required one is missing (reported at [policy])
        #expect(byKey["policy.golive"]?.first?.line == line("golive =", in: text))
        #expect(byKey["policy.go-live"]?.first?.line == line("[policy]", in: text))
        #expect(byKey["optout.keyword"]?.first?.line == line("keyword = [\"x\"]", in: text))
        let cisoLines = text.components(separatedBy: "\n").enumerated().filter { $0.element.contains("\"ciso\"") }
        #expect(byKey["roles.key"]?.first?.line == cisoLines.first.map { $0.offset + 1 })
        #expect(byKey["rules.staff.waardering"]?.first?.line == line("waardering = \"X\"", in: text))
        #expect(diags.count == 7, "\(diags.map(\.description))")
        #expect(diags.allSatisfy { $0.file == "bad.toml" && $0.line != nil })
        #expect(throws: PolicyError.self) { try Policy.parse(text: text) }
    }

    @Test("a TOML syntax error is reported with its line")
    func syntaxError() throws {
        var text = try Policy.krimpenerwaardText()
        text = text.replacingOccurrences(of: "bedenktijd = \"P7D\"", with: "bedenktijd = \"P7D")
        let diags = Policy.check(text: text)
        #expect(diags.count == 1)
        #expect(diags.first?.line == line("bedenktijd = \"P7D", in: text))
    }

    @Test("a missing table is an error naming the table")
    func missingTable() throws {
        let text = try Policy.krimpenerwaardText().replacingOccurrences(of: "[mdto]", with: "[mdt]")
        let diags = Policy.check(text: text)
        #expect(diags.contains { $0.key == "mdto" || $0.message.contains("[mdto]") })
        #expect(diags.contains { $0.key == "mdt" && $0.line == line("[mdt]", in: text) })
    }

    @Test("the go-live date is a setting")
    func goLiveSetting() throws {
        let text = try Policy.krimpenerwaardText().replacingOccurrences(of: "go-live = 2025-01-01", with: "go-live = 2025-06-15")
        #expect(try Policy.parse(text: text).goLive == World.d("2025-06-15"))
    }

    @Test("load from a file, and an unreadable file is a clear error")
    func loadFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-policy-\(UUID()).toml")
        try Policy.krimpenerwaardText().write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try Policy.load(contentsOf: url) == (try Policy.krimpenerwaard))
        #expect(throws: PolicyError.self) { try Policy.load(contentsOf: url.appendingPathExtension("missing")) }
    }

    @Test("the policy source text in ../shared names the key roles the default uses",
          .enabled(if: FileManager.default.fileExists(
            atPath: World.packageRoot.appendingPathComponent("../shared/policy-source/informatiebeleid-2024-2028-extract.md").path)))
    func sourceText() throws {
        let text = try String(contentsOf: World.packageRoot.appendingPathComponent(
            "../shared/policy-source/informatiebeleid-2024-2028-extract.md"), encoding: .utf8)
        #expect(text.contains("zeven jaar"))
        #expect(text.contains("10 weken"))
        #expect(text.contains("De griffier"))
    }

    @Test("a retention term of zero, or a number too long to be meant, is an error that says so")
    func zeroAndOverlongTerms() throws {
        let text = try Policy.krimpenerwaardText()
        let zero = Policy.check(text: text.replacingOccurrences(of: "after = \"P7Y\"", with: "after = \"P0D\""))
        #expect(zero.contains { $0.key == "rules.staff.after" && $0.message.contains("zero") })
        let long = Policy.check(text: text.replacingOccurrences(of: "after = \"P7Y\"", with: "after = \"P99999999999Y\""))
        #expect(long.contains { $0.key == "rules.staff.after" && $0.message.contains("six digits") })
    }

    @Test("approver role names: the usual ones by default, the policy's own when given")
    func roleNames() throws {
        let p = try Policy.krimpenerwaard
        #expect(p.destruction.roleName("div") == "DIV-medewerker" && p.destruction.roleName("archivist") == "archivaris")
        let text = try Policy.krimpenerwaardText() + "\n[destruction.role-names]\ndiv = \"Medewerker informatiebeheer\"\n"
        // A table after [mdto] is a subtable of [destruction] by its dotted name.
        let own = try Policy.parse(text: text)
        #expect(own.destruction.roleName("div") == "Medewerker informatiebeheer")
        let unknown = Policy.check(text: try Policy.krimpenerwaardText() + "\n[destruction.role-names]\nburgemeester = \"B\"\n")
        #expect(unknown.contains { $0.message.contains("not one of the approvals") })
    }

    @Test("[woo]: the law's terms when absent; the policy's own terms and staff-names choice when given; wrong values named")
    func wooSettings() throws {
        let shipped = try Policy.krimpenerwaard.woo
        #expect(shipped.decisionTerm == ISODuration(weeks: 4) && shipped.extensionTerm == ISODuration(weeks: 2))
        #expect(shipped.objectionPeriod == ISODuration(weeks: 6) && shipped.objectionMargin == ISODuration(weeks: 1))
        #expect(shipped.redactStaffNames)
        let text = try Policy.krimpenerwaardText()
        let own = try Policy.parse(text: text + "\n[woo]\nobjection-period = \"P8W\"\nredact-staff-names = false\n")
        #expect(own.woo.objectionPeriod == ISODuration(weeks: 8) && !own.woo.redactStaffNames)
        #expect(own.woo.decisionTerm == ISODuration(weeks: 4))
        let wrong = Policy.check(text: text + "\n[woo]\nobjection-period = \"zes weken\"\nredact-staff-names = \"ja\"\n"
                                 + "decision-term = \"P0D\"\nbezwaar = \"P6W\"\n")
        #expect(wrong.contains { $0.key == "woo.objection-period" && $0.message.contains("ISO 8601 duration") })
        #expect(wrong.contains { $0.key == "woo.redact-staff-names" && $0.message.contains("true or false") })
        #expect(wrong.contains { $0.key == "woo.decision-term" && $0.message.contains("longer than zero") })
        #expect(wrong.contains { $0.key == "woo.bezwaar" && $0.message.contains("unknown key") })
    }
}

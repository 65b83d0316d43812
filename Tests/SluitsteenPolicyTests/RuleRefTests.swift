import SluitsteenPolicy
import Testing

/// The rules a decision cites are values; their text is the one the plan's JSON, explanations and documents show.
@Suite struct RuleRefTests {
    @Test func descriptionsAreTheTextsDecisionsHaveAlwaysCited() {
        let cases: [(RuleRef, String)] = [
            (.base("staff-7y"), "staff-7y"), (.optOut(.private), "optout:private"), (.optOut(.informal), "optout:informal"),
            (.window, "optout-window"), (.unregisteredMailbox, "unregistered-mailbox"),
            (.hotspot(name: "N210 Brug Krimpen"), "hotspot:N210 Brug Krimpen"), (.wooHold(zaaknummer: "Z-2024-0815"), "woo:Z-2024-0815"),
        ]
        for (rule, text) in cases { #expect(rule.description == text) }
    }

    @Test func aHotspotIsCitedByNameAndFoundInTheTextByIdAHoldByZaaknummerAndById() {
        let hotspot = Hotspot(id: "hs-1", name: "Windpark", status: .designated, criteria: MatchCriteria(terms: ["windpark"]))
        let hold = WooHold(id: "woo-2", zaaknummer: "Z-1", received: CivilDate(iso: "2025-01-01")!, criteria: MatchCriteria(terms: ["x"]))
        #expect(hotspot.rule == .hotspot(name: "Windpark") && hotspot.rule.hotspotName == "Windpark" && hotspot.textHitKey == .hotspot(id: "hs-1"))
        #expect(hold.rule == .wooHold(zaaknummer: "Z-1") && hold.rule.zaaknummer == "Z-1" && hold.textHitKey == .hold(id: "woo-2"))
        #expect(RuleRef.base("staff-7y").baseRuleId == "staff-7y" && RuleRef.window.baseRuleId == nil && RuleRef.window.zaaknummer == nil)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenDestroy
import SluitsteenSupport

/// Every document a records office files carries the frame (municipality, kenmerk and version, made at and by a
/// registered person with their role, policy, tool version, A4 page numbers, signature block, demo notice) and
/// shows no codes: no `div`, `P7D`, `root` or ISO dates where words belong (issue 15).
@Suite("Documents a records office can file")
struct DocumentTests {
    /// The parts of the frame every document must show.
    static func expectFrame(_ html: String, madeBy: String, role: String, signs: Bool, _ what: String) {
        for part in ["Gemeente Krimpenerwaard", "Kenmerk", "Opgemaakt op", "\(madeBy), \(role)",
                     "Gemeente Krimpenerwaard: bewaren van e-mail (Capstone), versie Informatiebeleid 2024-2028",
                     "Sluitsteen versie \(SluitsteenVersion.current)",
                     "counter(page) \" van \" counter(pages)", "size: A4", "DEMO-/TESTARCHIEF"] {
            #expect(html.contains(part), "\(what): the frame lacks \(part)")
        }
        #expect(html.contains("<h2>Ondertekening</h2>") == signs, "\(what): signature block")
        #expect(DocumentFrame.leakedCodes(in: html).isEmpty, "\(what) shows codes: \(DocumentFrame.leakedCodes(in: html))")
    }

    @Test func theVernietigingslijstAndTheVerklaringCarryTheFrameAndNoCodes() throws {
        let a = try TestArchive.make()
        let dora = try a.person(Approvers.dora)
        let p = try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil,
                                                                     withSubjects: false, actor: dora))
        let id = p.snapshot.list.id
        let proposed = try String(contentsOf: p.documents.html, encoding: .utf8)
        Self.expectFrame(proposed, madeBy: "Dora de Wit (P0010)", role: "DIV-medewerker", signs: false, "vernietigingslijst")
        #expect(proposed.contains("\(id), versie 1"))
        #expect(proposed.contains("bedenktijd van 7 dagen"))
        #expect(proposed.contains("Vernietigen 7 jaar na de berichtdatum"))
        #expect(proposed.contains("5 januari 2033 om 10:00 uur"))

        try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: dora)
        let approved = try a.at(Moments.approveArchivist).lists.writeDocuments(id)
        #expect(try String(contentsOf: approved.html, encoding: .utf8).contains("\(id), versie 2"))
        try a.at(Moments.approveArchivist).lists.approve(id, role: "archivist", actor: try a.person(Approvers.arie))
        let o = try a.at(Moments.execute).execute(id, at: Moments.execute)
        let verklaring = try String(contentsOf: o.verklaringHtml, encoding: .utf8)
        // Executed by the test's actor (a name as given): the frame says it is not a registered person.
        Self.expectFrame(verklaring, madeBy: o.verklaring.executedBy, role: "geen geregistreerde persoon (naam zoals opgegeven)",
                         signs: true, "verklaring van vernietiging")
        #expect(verklaring.contains("Voor akkoord getekend door de archivaris"))
        #expect(verklaring.contains("Bedenktijd van 7 dagen"))
    }

    @Test func thePlanReportHasTotalsOverviewsAChartAndTheFrame() throws {
        let a = try TestArchive.make()
        let now = Moments.propose
        let store = RetentionStore(workspace: a.workspace)
        var plan = RetentionPlan(asOf: AmsterdamTime.date(of: Instant(now)), policySource: a.policy.source, archiveKind: a.workspace.kind)
        plan.municipality = a.policy.policy.archiefvormer.name
        plan.policyName = a.policy.policy.name
        plan.policyVersion = a.policy.policy.version
        plan.madeAt = now
        plan.madeBy = store.documentPerson(try a.person(Approvers.arie), on: AmsterdamTime.date(of: Instant(now)))
        plan.mailboxOwners = store.mailboxOwners()
        let engine = RetentionEngine(workspace: a.workspace, policy: a.policy.policy)
        try engine.prepareTextIndexForTerms()
        try engine.forEachDecision(asOf: Instant(now)) { plan.add($0) }
        let html = plan.html
        Self.expectFrame(html, madeBy: "Arie Jansen (P0011)", role: "archivaris en DIV-medewerker", signs: true, "bewaarplan")
        #expect(html.contains("<th colspan=\"2\">Totaal</th><th class=n>\(plan.total.count)</th>"))
        #expect(html.contains("<h2>Per mailbox</h2>") && html.contains("<h2>Per persoon</h2>"))
        #expect(html.contains(Boxes.devries))
        #expect(html.contains("<h2>Uitzonderingen</h2>") && html.contains("Bevroren"))
        // The chart: axes, a legend, and one slot for every year from the first to the last (true spacing).
        #expect(html.contains("aantal berichten") && html.contains("jaar waarin de termijn afloopt"))
        #expect(html.contains("te vernietigen (V)</text>") && html.contains("over te brengen (B)</text>"))
        let years = plan.scheduleYears
        #expect(years == Array(try #require(years.first)...(try #require(years.last))))
        for y in years { #expect(html.contains(">\(y)</text>"), "year \(y) has no slot on the axis") }
    }

    @Test func theHotspotPageSaysWhatAndWhyAndHowToRespond() throws {
        let a = try TestArchive.make().at(Moments.propose)
        let store = RetentionStore(workspace: a.workspace)
        _ = try store.addHotspot(name: "Dijkverzwaring Lekdijk", status: .designated,
                                 criteria: MatchCriteria(period: DatePeriod(from: CivilDate(iso: "2024-03-01"), to: CivilDate(iso: "2024-09-30")),
                                                         terms: ["dijkverzwaring"]),
                                 decisionRef: "SIO-2024-07", description: "De versterking van de Lekdijk leidde tot veel reacties.",
                                 actor: try a.person(Approvers.dora))
        _ = try store.addHotspot(name: "Voorstel", status: .proposed, criteria: MatchCriteria(terms: ["x"]), decisionRef: nil,
                                 actor: try a.person(Approvers.dora))
        let now = Moments.propose
        let html = HotspotPage.html(hotspots: try store.hotspots(), policy: a.policy.policy, madeAt: now,
                                    madeBy: store.documentPerson(try a.person(Approvers.dora), on: AmsterdamTime.date(of: Instant(now))),
                                    demoNotice: a.workspace.kind.documentNotice)
        Self.expectFrame(html, madeBy: "Dora de Wit (P0010)", role: "DIV-medewerker", signs: false, "hotspotpagina")
        #expect(html.contains("De versterking van de Lekdijk leidde tot veel reacties."))
        #expect(html.contains("van 1 maart 2024 tot en met 30 september 2024"))
        #expect(html.contains("besluit SIO-2024-07, aangewezen op 5 januari 2033"))
        #expect(html.contains("bewaard en 10 jaar na de berichtdatum overgebracht"))
        #expect(!html.contains("Voorstel"))
        #expect(html.contains("<h2>Reageren</h2>") && html.contains("Team DIV"))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenSupport

/// The public page of designated hotspots, in Dutch, for the municipal website: the hotspot policy requires the
/// hotspot list to be published, so that residents can respond (Informatiebeleid 2024-2028, bijlage 4).
public enum HotspotPage {
    /// Renders the page for the designated hotspots (proposed and rejected ones are not published): per hotspot what
    /// it is and why it is kept, its period and decision in words, and how residents respond (the policy's
    /// `[contact]`), in the document frame.
    public static func html(hotspots: [Hotspot], policy: Policy, madeAt: Date, madeBy: DocumentFrame.Person,
                            demoNotice: String?) -> String {
        let e = HTML.escape
        let designated = hotspots.filter { $0.status == .designated }.sorted { $0.name < $1.name }
        let published = AmsterdamTime.date(of: Instant(madeAt))
        var items = ""
        for h in designated {
            let p = h.criteria.period
            let period: String
            switch (p.from, p.to) {
            case let (f?, t?): period = "van \(f.words) tot en met \(t.words)"
            case let (f?, nil): period = "vanaf \(f.words)"
            case let (nil, t?): period = "tot en met \(t.words)"
            case (nil, nil): period = "geen begrenzing in tijd"
            }
            let designatedOn = h.statusChangedAt.map { DutchWords.date(iso: $0) }
            let decision = [h.decisionRef.map { "besluit \($0)" }, designatedOn.map { "aangewezen op \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            items += """
                <section class="hotspot">
                <h3>\(e(h.name))</h3>
                <p>\(e(h.description
                    ?? "Een gebeurtenis van bijzondere maatschappelijke betekenis voor de inwoners van \(policy.archiefvormer.name)."))</p>
                <table class="meta">
                <tr><th>Periode</th><td>\(e(period))</td></tr>
                <tr><th>Besluit</th><td>\(e(decision.isEmpty ? "niet vermeld" : decision))</td></tr>
                <tr><th>Gevolg</th><td>E-mail over deze gebeurtenis wordt blijvend bewaard en \(e(policy.hotspotTransferAfter.words)) \
                na de berichtdatum overgebracht naar het archief (e-depot), ook waar de selectielijst vernietiging voorschrijft.</td></tr>
                </table>
                </section>

                """
        }
        if designated.isEmpty { items = "<p>Er zijn op dit moment geen aangewezen hotspots.</p>\n" }
        var frame = DocumentFrame(
            title: "Hotspotmonitor \(policy.archiefvormer.name)", municipality: policy.archiefvormer.name,
            kenmerk: "HS-\(published.iso.replacingOccurrences(of: "-", with: ""))", madeAt: madeAt, madeBy: madeBy,
            policyName: policy.name, policyVersion: policy.version, demoNotice: demoNotice, signatoryRole: nil)
        frame.extraRows = [("Stand per", e(published.words))]
        frame.style = ".hotspot h3 { margin-bottom: .2em; }"
        let body = """
            <h2>Wat is een hotspot?</h2>
            <p>Een hotspot is een gebeurtenis waarbij het handelen van de overheid en de samenleving elkaar intens raken: \
            een gebeurtenis die maatschappelijke beroering veroorzaakt, van bijzondere betekenis is voor de inwoners en in \
            de media veel aandacht heeft gekregen. Informatie over een aangewezen hotspot, waaronder e-mail, wordt blijvend \
            bewaard, ook als de selectielijst vernietiging voorschrijft. Deze lijst is daarom een uitzondering op de \
            selectielijst en wordt gepubliceerd, zodat inwoners erop kunnen reageren.</p>
            <h2>Aangewezen hotspots</h2>
            <p>Stand per \(e(published.words)): \(designated.count) aangewezen hotspot\(designated.count == 1 ? "" : "s").</p>
            \(items)<h2>Reageren</h2>
            \(contactSection(policy))
            """
        return frame.html(body: body)
    }

    /// How residents respond: the policy's `[contact]`, or a plain request to contact the municipality.
    static func contactSection(_ policy: Policy) -> String {
        let e = HTML.escape
        guard let c = policy.contact else {
            return "<p>Wilt u reageren op deze lijst, of een gebeurtenis voordragen als hotspot? Neem contact op met "
                + "\(e(policy.archiefvormer.name)).</p>\n"
        }
        var rows = "<tr><th>Contact</th><td>\(e(c.name))</td></tr>\n"
        if let a = c.address { rows += "<tr><th>Adres</th><td>\(e(a))</td></tr>\n" }
        if let m = c.email { rows += "<tr><th>E-mail</th><td><a href=\"mailto:\(e(m))\">\(e(m))</a></td></tr>\n" }
        if let p = c.phone { rows += "<tr><th>Telefoon</th><td>\(e(p))</td></tr>\n" }
        if let w = c.web {
            let linked = w.lowercased().hasPrefix("https://") || w.lowercased().hasPrefix("http://")
            rows += "<tr><th>Website</th><td>" + (linked ? "<a href=\"\(e(w))\">\(e(w))</a>" : e(w)) + "</td></tr>\n"
        }
        return "<p>Wilt u reageren op deze lijst, of een gebeurtenis voordragen als hotspot? Dat kan hier:</p>\n"
            + "<table class=\"meta\">\n\(rows)</table>\n" + (c.text.map { "<p>\(e($0))</p>\n" } ?? "")
    }
}

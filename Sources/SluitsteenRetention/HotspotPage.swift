// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenSupport

/// The public page of designated hotspots, in Dutch, for the municipal website: the hotspot policy requires the
/// hotspot list to be published, so that residents can respond.
public enum HotspotPage {
    /// Renders the page for the designated hotspots (proposed and rejected ones are not published).
    public static func html(hotspots: [Hotspot], archiefvormer: String, published: CivilDate) -> String {
        let designated = hotspots.filter { $0.status == .designated }.sorted { $0.name < $1.name }
        var items = ""
        for h in designated {
            let p = h.criteria.period
            let period = [p.from?.iso, p.to?.iso].map { $0 ?? "…" }.joined(separator: " t/m ")
            items += "<tr><td>\(HTML.escape(h.name))</td><td>\(HTML.escape(period))</td><td>\(HTML.escape(h.decisionRef ?? "—"))</td></tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="nl"><head><meta charset="utf-8"><title>Hotspots \(HTML.escape(archiefvormer))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:50em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em}th{background:#eee}</style></head>
            <body>
            <h1>Hotspotmonitor \(HTML.escape(archiefvormer))</h1>
            <p>Een hotspot is een gebeurtenis van bijzondere maatschappelijke betekenis. Informatie over een aangewezen hotspot, waaronder e-mail, wordt blijvend bewaard, ook als de selectielijst vernietiging voorschrijft. Deze lijst is een uitzondering op de selectielijst en wordt daarom gepubliceerd; inwoners kunnen erop reageren.</p>
            <p>Stand per \(published.iso): \(designated.count) aangewezen hotspot\(designated.count == 1 ? "" : "s").</p>
            <table><tr><th>Hotspot</th><th>Periode</th><th>Besluit</th></tr>
            \(items)</table>
            </body></html>

            """
    }
}

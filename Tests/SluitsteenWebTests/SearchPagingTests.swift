// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import Testing

/// `ArchiveSearch.runPaged` (the search page's search: counted and paged by SQLite) gives exactly what
/// `ArchiveSearch.run` gives, for every filter, scope and page, on the demo archive.
@Suite("Search paged in SQL equals the library's search")
struct SearchPagingTests {
    @Test("Every filter, scope and page: the same total and the same hits")
    func sameResults() throws {
        let ws = try DemoArchive.make()
        defer { try? FileManager.default.removeItem(at: ws.root) }
        let search = ArchiveSearch(workspace: ws, policy: try Policy.krimpenerwaard)
        let queries: [SearchQuery] = [
            SearchQuery(), SearchQuery(text: "brug"), SearchQuery(text: "\"Brug Krimpen\""), SearchQuery(text: "N210 stikstof"),
            SearchQuery(text: "geen-woord-dat-voorkomt"), SearchQuery(mailboxes: [Demo.info]), SearchQuery(mailboxes: [Demo.devries, Demo.info]),
            SearchQuery(from: CivilDate(iso: "2024-01-01"), to: CivilDate(iso: "2024-12-31")), SearchQuery(sender: "provincie"),
            SearchQuery(recipient: "burgemeester"), SearchQuery(hasAttachments: true), SearchQuery(hasAttachments: false),
            SearchQuery(folder: "inbox"), SearchQuery(folder: "INBOX", includeGone: true),
            SearchQuery(text: "de", from: CivilDate(iso: "2023-06-01"), sender: "krimpenerwaard", hasAttachments: false),
            SearchQuery(messageClass: .staff), SearchQuery(action: .pendingWindow), SearchQuery(hotspot: "N210 Brug Krimpen"),
            SearchQuery(wooRequest: Demo.hold), SearchQuery(includeGone: true),
        ]
        let scopes: [Set<String>?] = [nil, [Demo.devries], [Demo.burgemeester, Demo.info], [], ["onbekend@krimpenerwaard.example"]]
        var compared = 0
        for base in queries {
            for scope in scopes {
                for size in [5, 50] {
                    var q = base
                    q.pageSize = size
                    let first = try search.run(q, scope: scope)
                    for page in 1...(first.pages + 1) {
                        q.page = page
                        let expected = try search.run(q, scope: scope)
                        let paged = try search.runPaged(q, scope: scope)
                        #expect(paged == expected, "\(q) in \(String(describing: scope))")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 300)
    }
}

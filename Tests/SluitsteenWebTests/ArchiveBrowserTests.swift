// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenRetention
import SluitsteenWeb
import Testing

extension BrowserTests {
    /// The archive in a real browser: headless Chromium driven by Selenium (Tests/Browser/archive_browser.py), signed in
    /// through the test provider's login page. Searching and reading with a reason, the employee's opt-out, two people
    /// approving a destruction list (and one person refused in a second role), and hostile mail that must stay inert.
    /// Inside ``BrowserTests``, whose tests run one at a time: one browser at a time.
    @Suite("The archive in headless Chromium", .serialized)
    struct ArchiveBrowserTests {
        static func run(_ service: TestService, _ arguments: [String]) async throws -> [String: Any] {
            let report = try await BrowserTests.runScript(["--service", service.base] + arguments, script: "archive_browser.py")
            if let skip = report["skip"] as? String { try Test.cancel("skipped: \(skip)") }
            #expect(report["ok"] as? Bool == true, "\(report["error"] ?? "") at \(report["url"] ?? ""): \(report["page"] ?? "")")
            return report
        }

        @Test("Sign in, search, open a message and read it with a reason (recorded in the access log)")
        func searchAndRead() async throws {
            let service = try await TestService.archive()
            defer { service.stop() }
            let r = try await Self.run(service, ["read", "--user", TestUsers.user(.wooCoordinator), "--query", "Lekkerkerk",
                                           "--subject", "Zorgen over verkeersveiligheid", "--reason", "Woo-verzoek over verkeersveiligheid"])
            #expect((r["count"] as? String)?.hasSuffix("getoond.") == true)
            #expect(r["heading"] as? String == "Zorgen over verkeersveiligheid Lekkerkerk")
            #expect(r["contentBefore"] as? Bool == false, "no content before the reason")
            #expect((r["recorded"] as? String)?.contains("reden: Woo-verzoek over verkeersveiligheid") == true)
            #expect((r["text"] as? String)?.isEmpty == false, "the text part is shown")
            #expect((r["explanation"] as? [String])?.isEmpty == false, "the decision's explanation is shown")
            #expect((r["console"] as? [String])?.isEmpty == true, "no CSP violation or error: \(r["console"] ?? "")")
            let reads = try service.audit(.access).filter { $0.command == "read" }
            #expect(reads.count == 1 && reads.first?.actor.hasPrefix("P0008 Mirjam Kuipers") == true)
            #expect(reads.first?.outcome.hasSuffix("grond: opgegeven reden; reden: Woo-verzoek over verkeersveiligheid") == true)
        }

        @Test("The employee marks a message private on the opt-out page")
        func optOut() async throws {
            let service = try await TestService.archive(at: DemoMoments.windowOpen)
            defer { service.stop() }
            let r = try await Self.run(service, ["optout", "--user", "johan", "--subject", "Huurcontract"])
            #expect(r["notice"] as? String == "Het bericht is uitgezonderd als privé: het wordt na de termijn ongelezen geschoond.")
            #expect(r["status"] as? String == "Uitgezonderd als privé")
            #expect(r["closes"] as? String == "9 februari 2027 om 11:00")
            #expect(r["undo"] as? Bool == true)
            let marks = try RetentionStore(workspace: service.workspace).optOutMarks()
            #expect(marks.count == 1 && marks.first?.ground == .private && marks.first?.by == "Johan de Vries (P0003)")
        }

        @Test("Two different people approve a list (DIV, then the archivaris); one person in a second role is refused")
        func approvals() async throws {
            let ws = try DemoArchive.make()
            defer { TemporaryDirectory.remove(ws.root) }
            let list = try DemoArchive.proposeList(ws)
            let service = try await TestService.start(routeGroups: ArchivePages.groups, workspace: try ws.replaying(DemoMoments.approve),
                                                      users: try TestUsers.file())
            defer { service.stop() }
            let r = try await Self.run(service, ["approve", "--list", list,
                                           "--steps", "dora:div,\(TestUsers.bothApprovers):archivist,arie:archivist"])
            let steps = r["steps"] as? [[String: Any]] ?? []
            #expect(steps.count == 3)
            #expect(steps.first?["notice"] as? String == "Uw goedkeuring is vastgelegd.")
            #expect(steps.dropFirst().first?["heading"] as? String == "Goedkeuring geweigerd: vier ogen",
                    "Dora de Wit, also signed in as archivaris, may not approve the same list twice: \(steps)")
            #expect(steps.last?["notice"] as? String == "Uw goedkeuring is vastgelegd.")
            let facts = r["facts"] as? [String: String] ?? [:]
            #expect(facts["Status"] == "goedgekeurd")
            #expect(facts["Uitvoerbaar vanaf"]?.contains("bedenktijd loopt") == true)
            let snapshot = try DestructionLists(workspace: ws).show(list)
            #expect(snapshot.approvals.map(\.personId) == ["P0010", "P0011"])
            #expect(try service.audit(.listApproval).count == 2)
        }

        /// A message written to attack its reader: a script in the subject, and an HTML part that tries every way to run a
        /// script or to load something from `port` on loopback.
        static func hostileMessage(port: Int) -> Data {
            let at = "http://127.0.0.1:\(port)"
            return Data("""
                From: "Aanvaller" <aanval@evil.example>\r
                To: j.devries@krimpenerwaard.example\r
                Subject: <script>window.__pwned=1;document.title='pwned'</script> Offerte\r
                Date: Mon, 30 Nov 2026 10:00:00 +0100\r
                Message-ID: <vijandig-1@evil.example>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="grens"\r
                \r
                --grens\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                Zie de opgemaakte versie. <script>window.__pwned=2</script>\r
                --grens\r
                Content-Type: text/html; charset=utf-8\r
                \r
                <html><head><meta http-equiv="refresh" content="0;url=\(at)/refresh">\r
                <link rel="stylesheet" href="\(at)/link.css"><base href="\(at)/">\r
                <style>@import url(\(at)/import.css); body { background: url(\(at)/style-bg.png) }</style></head>\r
                <body onload="fetch('\(at)/onload')"><p>Beste Johan,</p>\r
                <img src="\(at)/pixel.gif" alt="pixel"><img src="x" onerror="fetch('\(at)/onerror')">\r
                <div style="background-image:url('\(at)/inline-bg.png')">Achtergrond</div>\r
                <a href="javascript:fetch('\(at)/js-link')">Klik hier</a> <a href="\(at)/link">Gewone link</a>\r
                <script>window.__pwned = 3; fetch('\(at)/script');</script>\r
                <iframe src="\(at)/frame"></iframe><object data="\(at)/object"></object>\r
                <svg><image href="\(at)/svg-image"/></svg><video poster="\(at)/poster.png"></video>\r
                <form action="\(at)/form"><input type="submit" value="Verstuur"></form>\r
                </body></html>\r
                --grens--\r

                """.utf8)
        }

        @Test("Hostile mail stays inert in the browser: no script runs, nothing is requested but from the service")
        func hostileMail() async throws {
            let service = try await TestService.archive()
            defer { service.stop() }
            let port = try LoopbackPorts.free()
            try DemoArchive.ingest(Self.hostileMessage(port: port), into: Demo.devries, of: service.workspace, at: DemoMoments.ingest)
            let copy = try DemoArchive.copy(service.workspace, mailbox: Demo.devries, subject: "Offerte")
            let r = try await Self.run(service, ["hostile", "--user", TestUsers.user(.medewerker), "--copy", String(copy.copyId),
                                                 "--listen", String(port)])
            #expect(r["hits"] as? [String] == [], "requests reached the listener on loopback: \(r["hits"] ?? "")")
            let requests = r["requests"] as? [String] ?? []
            #expect(!requests.isEmpty, "the network log was read")
            #expect(requests.allSatisfy { $0.hasPrefix(service.base + "/") }, "requests to elsewhere than the service: \(requests)")
            #expect(requests.contains(service.base + "/berichten/\(copy.copyId)/html"), "the frame was loaded")
            let heading = r["heading"] as? String ?? ""
            #expect(heading == "<script>window.__pwned=1;document.title='pwned'</script> Offerte", "the subject shown as text")
            #expect((r["title"] as? String)?.hasPrefix("<script>") == true, "the title is the subject as text, not 'pwned'")
            let top = r["top"] as? [Any] ?? []
            #expect(top.first as? String == "undefined" && top.last as? Int == 0, "no script in the page: \(top)")
            #expect(r["sandbox"] as? String == "", "the frame is sandboxed without any allowance")
            let frame = r["frame"] as? [String: Any] ?? [:]
            let elements = frame["elements"] as? [String: Int] ?? [:]
            // Only the frame's own wrapper: its charset and its inline style.
            #expect(elements == ["script": 0, "img": 0, "iframe": 0, "object": 0, "style": 1, "link": 0, "form": 0, "a": 0, "svg": 0,
                                 "video": 0, "base": 0, "meta": 1], "elements in the frame: \(elements)")
            #expect(frame["attributes"] as? Int == 0)
            #expect((frame["pwned"] as? String).map { $0 == "undefined" || $0.hasPrefix("no script allowed") } == true)
            #expect((frame["text"] as? String)?.contains("Beste Johan") == true)
            #expect((r["pre"] as? String)?.contains("<script>window.__pwned=2</script>") == true, "the text part shown as text")
        }
    }
}

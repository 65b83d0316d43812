// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenExport
import SluitsteenXML
import Testing

/// The readable rendition of a conversation: formal Dutch without codes, every chat text escaped, and of the review
/// only how many messages were removed on whose review.
struct ChatRenditionTests {
    static func message(_ seq: Int, _ kind: ChatMessageKind = .message, sender: String? = "Karel Smit", text: String,
                        media: [String] = [], omitted: Bool = false) -> ChatMessageRecord {
        ChatMessageRecord(conversationId: 1, seq: seq, line: seq, kind: kind, sender: kind == .system ? nil : sender, senderAddress: nil,
                          personId: nil, time: "2024-03-01T09:0\(seq):00+01:00", epoch: 1_709_280_000 + Int64(seq) * 60, text: text,
                          media: media, mediaOmitted: omitted)
    }

    static func input(_ messages: [ChatMessageRecord], strips: [ChatStripRecord] = [], media: [String: String] = [:],
                      title: String = "Dijkteam") -> ChatRendition.Input {
        ChatRendition.Input(title: title, formatName: ChatFormat.whatsAppAndroid.displayName,
                            takenInFor: "de aangewezen hotspot Dijkdoorbraak", archiefvormer: "Gemeente Krimpenerwaard",
                            handedOverByName: "Dora de Wit", capturedAt: "2026-12-01T10:00:00Z", handoverAt: "2026-12-02T10:00:00Z",
                            messages: messages, strips: strips, mediaFiles: media)
    }

    static let strip = ChatStripRecord(conversationId: 1, messageCount: 2, mediaCount: 1, strippedAt: "2026-12-01T11:00:00Z",
                                       strippedBy: "P0010 Dora de Wit (OS-account dora)")

    @Test func markupInAChatStaysText() throws {
        let attack = "<script>alert('x')</script><img src=x onerror=alert(1)>"
        let html = ChatRendition.html(Self.input([
            Self.message(1, sender: "<b onmouseover=alert(2)>Karel</b>", text: attack + "\nregel twee"),
        ], title: "</title><script>alert(3)</script>"))
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<b "))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;<br>\nregel twee"))
        #expect(html.contains("&lt;b onmouseover=alert(2)&gt;Karel&lt;/b&gt;"))
        // Read as a browser would: nothing can run and nothing refers elsewhere.
        let scan = HTMLReferences.scan(Data(html.utf8))
        #expect(scan.active.isEmpty, "\(scan.active)")
        #expect(scan.references.isEmpty, "\(scan.references)")
    }

    @Test func theReviewIsOneLineOfHowManyAndWhoseNotWhat() throws {
        let kept = [Self.message(1, text: "Ik ben onderweg."), Self.message(4, text: "Tot straks.")]
        let html = ChatRendition.html(Self.input(kept, strips: [Self.strip]))
        #expect(html.contains("Vóór de overdracht aan DIV zijn 2 berichten uit dit gesprek verwijderd als privébericht, na beoordeling "
            + "door Dora de Wit"))
        #expect(html.components(separatedBy: "verwijderd als privébericht").count == 2, "one line")
        #expect(html.contains("id=\"bericht-1\"") && html.contains("id=\"bericht-4\""))
        #expect(!html.contains("bericht-2") && !html.contains("bericht-3"))
        #expect(ChatRendition.strippedLine([]) == nil)
        #expect(!ChatRendition.html(Self.input(kept)).contains("verwijderd als privébericht"))
    }

    @Test func formalDutchWithoutCodes() throws {
        let html = ChatRendition.html(Self.input([
            Self.message(1, .system, text: "Dora de Wit heeft de groep aangemaakt"),
            Self.message(2, text: "Foto van de bres", media: ["IMG-1.jpg", "IMG-2.jpg"]),
            Self.message(3, .deleted, text: "Dit bericht is verwijderd"),
            Self.message(4, text: "<Media weggelaten>", omitted: true),
        ], strips: [Self.strip], media: ["IMG-1.jpg": "media-01_IMG-1.jpg"]))
        for label in ["Soort gesprek", "WhatsApp (Android)", "Periode", "1 maart 2024 tot en met 1 maart 2024", "Aangeleverd door",
                      "Overgedragen aan DIV", "2 december 2026", "melding van de app", "door de afzender verwijderd bericht",
                      "1 maart 2024 om 09:02 uur", "niet in de export aanwezig", "De export bevat de media van dit bericht niet"] {
            #expect(html.contains(label), "missing: \(label)")
        }
        #expect(html.contains("<a href=\"media-01_IMG-1.jpg\">IMG-1.jpg</a>"))
        for code in ["whatsapp-android", "handed-over", "transfer-due", "review", "dmy", "P0010", "OS-account", "system", "deleted",
                     "2024-03-01T09:02:00+01:00</time>", "lang=\"en\""] {
            #expect(!html.contains(code), "code in the rendition: \(code)")
        }
        #expect(html.contains("<html lang=\"nl\">"))
    }
}

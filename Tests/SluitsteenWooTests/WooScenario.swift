// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPDF

/// A Woo request over invented but realistic Dutch municipal mail (gemeente Krimpenerwaard, domain
/// krimpenerwaard.example): a resident's objection to a solar park with his BSN, IBAN, address and phone numbers, its
/// forward to a policy officer (the same bytes in two mailboxes), his note to the mayor with a PDF attachment (again in
/// two mailboxes), the mayor's reply (the same message with other transport headers in a second mailbox: a
/// near-duplicate), an irrelevant lunch mail, an internal opinion, a photo, and mail outside the scope.
///
/// Written as one folder of EML files per mailbox plus the registers, so that the library tests and the CLI tests
/// ingest exactly the same bytes.
enum WooScenario {
    static let zaak = "Z-2025-0142"
    static let received = "2025-06-02"
    /// The workspace clock while the request is handled.
    static let handling = "2025-06-20T09:00:00Z"
    static let decision = "2025-06-25"

    static let coordinator = "P0010"
    static let burgemeester = "burgemeester@krimpenerwaard.example"
    static let devries = "j.devries@krimpenerwaard.example"
    static let bakker = "s.bakker@krimpenerwaard.example"
    static let info = "info@krimpenerwaard.example"

    /// A BSN that passes the elfproef, and a number of nine digits that does not.
    static let bsn = "111222333"
    static let notABSN = "123456789"
    static let iban = "NL91 ABNA 0417 1643 00"

    static let people = """
        person_id,name,employed_from,employed_to
        P0001,Annemarie Groeneveld-Bos,2019-09-01,
        P0003,Johan de Vries,2016-03-01,
        P0004,Sanne Bakker,2018-01-15,
        P0010,Dora de Wit,2019-04-01,

        """
    static let roles = """
        person_id,role,valid_from,valid_to
        P0001,burgemeester,2019-09-01,
        P0003,beleidsadviseur,2016-03-01,
        P0004,beleidsadviseur,2018-01-15,
        P0010,woo-coordinator,2019-04-01,

        """
    static let mailboxes = """
        address,kind,person_id
        burgemeester@krimpenerwaard.example,personal,P0001
        j.devries@krimpenerwaard.example,personal,P0003
        s.bakker@krimpenerwaard.example,personal,P0004
        d.dewit@krimpenerwaard.example,personal,P0010
        info@krimpenerwaard.example,functional,

        """

    /// The PDF attachment: a note rendered with SluitsteenPDF (a text PDF with a BSN, a phone number and names).
    static func notePDF() throws -> Data {
        let note = MailDocument(
            documentID: "notitie", requestNumber: "intern", from: "Johan de Vries", to: "Annemarie Groeneveld-Bos",
            date: "5 februari 2025", subject: "Notitie zonnepark Bergambacht",
            body: """
                Aanleiding
                Bewoner Kees Hoogendoorn (BSN \(bsn)) maakt bezwaar tegen het zonnepark aan de Achterweg.
                Hij is bereikbaar op +31 6 1234 5678.

                Advies
                Het college gaat in gesprek met de omwonenden voordat de omgevingsvergunning wordt verleend.
                """)
        return try MailPDFRenderer().render(note, info: PDFDocumentInfo(title: "Notitie", author: "Gemeente Krimpenerwaard",
                                                                       creationDate: Date(timeIntervalSince1970: 1_738_750_000))).data
    }

    /// A 1×1 PNG (a "photo" that cannot be redacted here).
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!

    static func base64Lines(_ data: Data) -> String {
        let text = data.base64EncodedString()
        var lines: [String] = []
        var i = text.startIndex
        while i < text.endIndex {
            let j = text.index(i, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(String(text[i..<j]))
            i = j
        }
        return lines.joined(separator: "\n")
    }

    static let m1 = """
        Return-Path: <k.hoogendoorn@ziggo.example>
        From: Kees Hoogendoorn <k.hoogendoorn@ziggo.example>
        To: Gemeente Krimpenerwaard <info@krimpenerwaard.example>
        Subject: Bezwaar tegen zonnepark Bergambacht
        Date: Mon, 03 Feb 2025 09:14:00 +0100
        Message-ID: <m1.bezwaar@ziggo.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Geachte heer, mevrouw,

        Hierbij maak ik bezwaar tegen de plannen voor het zonnepark aan de Achterweg.

        Mijn gegevens:
        Adres: Kerkstraat 12, 2861 AB Bergambacht
        BSN: \(bsn)
        Telefoon: 06-12345678 of 0182 - 35 67 89
        IBAN voor de proceskostenvergoeding: \(iban)
        Het kenmerk van mijn eerdere brief is \(notABSN).

        Met vriendelijke groet,
        Kees Hoogendoorn

        """

    static let m2 = """
        From: Gemeente Krimpenerwaard <info@krimpenerwaard.example>
        To: Johan de Vries <j.devries@krimpenerwaard.example>
        Subject: Fwd: Bezwaar tegen zonnepark Bergambacht
        Date: Mon, 03 Feb 2025 11:02:00 +0100
        Message-ID: <m2.doorgestuurd@krimpenerwaard.example>
        In-Reply-To: <m1.bezwaar@ziggo.example>
        References: <m1.bezwaar@ziggo.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Johan, wil jij dit bezwaar oppakken? Hij vraagt ook om terugbellen op 06-12345678.

        Groet, team Info

        ---------- Doorgestuurd bericht ----------
        Van: Kees Hoogendoorn <k.hoogendoorn@ziggo.example>
        Onderwerp: Bezwaar tegen zonnepark Bergambacht
        BSN: \(bsn)

        """

    static func m3() throws -> String {
        """
        From: Johan de Vries <j.devries@krimpenerwaard.example>
        To: Annemarie Groeneveld-Bos <burgemeester@krimpenerwaard.example>
        Cc: Sanne Bakker <s.bakker@krimpenerwaard.example>
        Subject: Notitie zonnepark Bergambacht
        Date: Wed, 05 Feb 2025 16:40:00 +0100
        Message-ID: <m3.notitie@krimpenerwaard.example>
        In-Reply-To: <m2.doorgestuurd@krimpenerwaard.example>
        References: <m1.bezwaar@ziggo.example> <m2.doorgestuurd@krimpenerwaard.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="grens-notitie"

        --grens-notitie
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Beste Annemarie,

        Bijgaand de notitie over het zonnepark. Bel me gerust op 0182-392 811.

        Groet,
        Johan de Vries
        Beleidsadviseur Ruimte

        --grens-notitie
        Content-Type: application/pdf; name="Notitie zonnepark Bergambacht.pdf"
        Content-Disposition: attachment; filename="Notitie zonnepark Bergambacht.pdf"
        Content-Transfer-Encoding: base64

        \(base64Lines(try notePDF()))
        --grens-notitie--

        """
    }

    static let m4 = """
        From: Annemarie Groeneveld-Bos <burgemeester@krimpenerwaard.example>
        To: Johan de Vries <j.devries@krimpenerwaard.example>
        Subject: Re: Notitie zonnepark Bergambacht
        Date: Thu, 06 Feb 2025 08:05:00 +0100
        Message-ID: <m4.antwoord@krimpenerwaard.example>
        In-Reply-To: <m3.notitie@krimpenerwaard.example>
        References: <m1.bezwaar@ziggo.example> <m2.doorgestuurd@krimpenerwaard.example> <m3.notitie@krimpenerwaard.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Dank je. Ik bespreek het donderdag in het college.

        Annemarie

        """

    /// The same reply as it arrived in the other mailbox: one transport header more (other bytes, same message).
    static let m4Received = "Received: from mail.krimpenerwaard.example (192.0.2.10) by mx.krimpenerwaard.example; "
        + "Thu, 06 Feb 2025 08:05:03 +0100\n" + m4

    static let m5 = """
        From: Johan de Vries <j.devries@krimpenerwaard.example>
        To: Sanne Bakker <s.bakker@krimpenerwaard.example>
        Subject: Lunch vrijdag
        Date: Mon, 10 Mar 2025 12:30:00 +0100
        Message-ID: <m5.lunch@krimpenerwaard.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Zullen we vrijdag lunchen? Dan hebben we het meteen even over het zonnepark.

        """

    static let m6 = """
        From: Annemarie Groeneveld-Bos <burgemeester@krimpenerwaard.example>
        To: Johan de Vries <j.devries@krimpenerwaard.example>
        Subject: Mijn gedachten over het zonnepark
        Date: Wed, 12 Mar 2025 21:15:00 +0100
        Message-ID: <m6.gedachten@krimpenerwaard.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Persoonlijk vind ik dat we het zonnepark kleiner moeten maken dan de ontwikkelaar wil. Dat is nog niet besproken.

        """

    static let m10 = """
        From: Ria Vink <ria.vink@kpnmail.example>
        To: info@krimpenerwaard.example
        Subject: Foto van de locatie zonnepark
        Date: Tue, 15 Apr 2025 10:00:00 +0200
        Message-ID: <m10.foto@kpnmail.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="grens-foto"

        --grens-foto
        Content-Type: text/plain; charset=utf-8

        Hierbij een foto van de plek waar het zonnepark komt.

        --grens-foto
        Content-Type: image/png; name="locatie.png"
        Content-Disposition: attachment; filename="locatie.png"
        Content-Transfer-Encoding: base64

        \(base64Lines(png))
        --grens-foto--

        """

    /// Before the period.
    static let m7 = """
        From: Kees Hoogendoorn <k.hoogendoorn@ziggo.example>
        To: info@krimpenerwaard.example
        Subject: Vraag over zonnepark
        Date: Fri, 01 Nov 2024 09:00:00 +0100
        Message-ID: <m7.vraag@ziggo.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Komt er een zonnepark bij ons in de buurt?

        """

    /// Only in a mailbox outside the scope.
    static let m8 = """
        From: Sanne Bakker <s.bakker@krimpenerwaard.example>
        To: Pieter Kok <p.kok@krimpenerwaard.example>
        Subject: Planning zonnepark
        Date: Mon, 10 Feb 2025 14:00:00 +0100
        Message-ID: <m8.planning@krimpenerwaard.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        De planning van het zonnepark schuift een maand op.

        """

    /// Without the term.
    static let m9 = """
        From: Johan de Vries <j.devries@krimpenerwaard.example>
        To: Sanne Bakker <s.bakker@krimpenerwaard.example>
        Subject: Rapportage Q1
        Date: Wed, 02 Apr 2025 09:00:00 +0200
        Message-ID: <m9.rapportage@krimpenerwaard.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        De rapportage over het eerste kwartaal staat klaar.

        """

    /// Mailbox → the messages in it (file name, text).
    static func messages() throws -> [String: [(String, String)]] {
        let m3 = try m3()
        return [
            info: [("m1.eml", m1), ("m2.eml", m2), ("m7.eml", m7), ("m10.eml", m10)],
            devries: [("m2.eml", m2), ("m3.eml", m3), ("m4.eml", m4Received), ("m5.eml", m5), ("m9.eml", m9)],
            burgemeester: [("m3.eml", m3), ("m4.eml", m4), ("m6.eml", m6)],
            bakker: [("m3.eml", m3), ("m8.eml", m8)],
        ]
    }

    /// Writes the registers (people.csv, roles.csv, mailboxes.csv) and one folder of EML files per mailbox into `dir`.
    /// Returns the mailbox folders by address.
    @discardableResult
    static func write(to dir: URL) throws -> [String: URL] {
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(people.utf8).write(to: dir.appendingPathComponent("people.csv"))
        try Data(roles.utf8).write(to: dir.appendingPathComponent("roles.csv"))
        try Data(mailboxes.utf8).write(to: dir.appendingPathComponent("mailboxes.csv"))
        var folders: [String: URL] = [:]
        for (box, messages) in try self.messages() {
            let folder = dir.appendingPathComponent(String(box.split(separator: "@")[0]), isDirectory: true)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, text) in messages { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
            folders[box] = folder
        }
        return folders
    }
}

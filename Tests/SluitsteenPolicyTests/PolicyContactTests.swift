// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenPolicy

@Suite("Policy: version and the residents' contact ([contact])")
struct PolicyContactTests {
    func text(_ extra: String) throws -> String {
        let base = try Policy.krimpenerwaardText()
        // The shipped file ends with its own [contact]; replace it.
        let cut = base.range(of: "\n[contact]").map { String(base[..<$0.lowerBound]) } ?? base
        return cut + "\n" + extra
    }

    @Test func theShippedPolicyHasAVersionAndAContact() throws {
        let p = try Policy.krimpenerwaard
        #expect(p.version?.contains("Informatiebeleid 2024-2028") == true)
        let c = try #require(p.contact)
        #expect(c.name.contains("Team DIV"))
        #expect(c.web != nil)
    }

    @Test func aContactBlockIsReadWithEveryField() throws {
        let p = try Policy.parse(text: try text("""
            [contact]
            name = "Team Informatiebeheer"
            address = "Postbus 1, 2820 AA Stolwijk"
            email = "archief@example.nl"
            phone = "0182 123 456"
            web = "https://example.nl/hotspots"
            text = "Reageer binnen zes weken."
            """))
        #expect(p.contact == PolicyContact(name: "Team Informatiebeheer", address: "Postbus 1, 2820 AA Stolwijk",
                                           email: "archief@example.nl", phone: "0182 123 456", web: "https://example.nl/hotspots",
                                           text: "Reageer binnen zes weken."))
    }

    @Test func theContactBlockIsOptional() throws {
        let p = try Policy.parse(text: try text(""))
        #expect(p.contact == nil)
    }

    @Test func aContactWithoutAWayToReachItOrWithAnUnknownKeyIsAnError() throws {
        let noWay = Policy.check(text: try text("[contact]\nname = \"Team DIV\"\n"))
        #expect(noWay.contains { $0.key == "contact" && $0.message.contains("at least one of address, email, phone or web") })
        let unknown = Policy.check(text: try text("[contact]\nname = \"Team DIV\"\nemail = \"a@b.nl\"\nfax = \"1\"\n"))
        #expect(unknown.contains { $0.key == "contact.fax" && $0.message.contains("unknown key") })
        let noName = Policy.check(text: try text("[contact]\nemail = \"a@b.nl\"\n"))
        #expect(noName.contains { $0.key == "contact.name" })
        let badMail = Policy.check(text: try text("[contact]\nname = \"x\"\nemail = \"geen adres\"\n"))
        #expect(badMail.contains { $0.key == "contact.email" })
    }
}

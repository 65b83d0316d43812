// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenPolicy

/// Who may read what (bijlage 3 punt 9), on the fixtures' registers: every role against every kind of mailbox.
@Suite("Access to archived mail")
struct AccessPolicyTests {
    static let registers: RegisterIndex = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let r = root.appendingPathComponent("Fixtures/registers")
        let imported = try! Registers.load(people: r.appendingPathComponent("people.csv"), roles: r.appendingPathComponent("roles.csv"),
                                           mailboxes: r.appendingPathComponent("mailboxes.csv"), teams: r.appendingPathComponent("teams.csv"),
                                           policy: World.policy)
        precondition(imported.isValid, "\(imported.errors)")
        return RegisterIndex(imported.registers, policy: World.policy)
    }()

    let devries = "j.devries@krimpenerwaard.example"
    let bakker = "s.bakker@krimpenerwaard.example"
    let burgemeester = "burgemeester@krimpenerwaard.example"

    func policy(_ delegations: [Delegation] = [], today: String = "2026-12-04") -> AccessPolicy {
        AccessPolicy(registers: Self.registers, delegations: delegations, today: World.d(today))
    }

    func copy(_ mailbox: String, _ date: String, held: Set<String> = []) -> CopyForAccess {
        CopyForAccess(mailbox: mailbox, messageDate: World.d(date), heldBy: held)
    }

    @Test func aMedewerkerReadsTheirOwnMailboxOnly() {
        let p = policy()
        #expect(p.content(of: copy(devries, "2024-05-14"), person: "P0003", roles: [.medewerker], reason: nil) == .allowed(.ownMailbox))
        #expect(!p.content(of: copy(burgemeester, "2024-05-14"), person: "P0003", roles: [.medewerker],
                           reason: .stated("nieuwsgierig naar")).isAllowed)
        #expect(p.searchableMailboxes(person: "P0003", roles: [.medewerker]) == [devries])
    }

    @Test func aTeammanagerReadsTheTeamsMailWithAReasonWrittenWhileAMember() {
        let p = policy()
        // Mirjam Kuipers (P0008) manages Ruimte since 2022-06-09; Johan de Vries (P0003) is a member since 2016.
        let reason = ReadReason.stated("overdracht dossier Brug Krimpen")
        #expect(p.content(of: copy(devries, "2024-05-14"), person: "P0008", roles: [.teammanager], reason: reason) == .allowed(.team("Ruimte")))
        #expect(!p.content(of: copy(devries, "2024-05-14"), person: "P0008", roles: [.teammanager], reason: nil).isAllowed)
        // Sanne Bakker left the team on 2024-09-30: what her mailbox got afterwards is not the team's.
        #expect(p.content(of: copy(bakker, "2024-09-01"), person: "P0008", roles: [.teammanager], reason: reason).isAllowed)
        #expect(!p.content(of: copy(bakker, "2024-10-15"), person: "P0008", roles: [.teammanager], reason: reason).isAllowed)
        // Not a team of hers.
        #expect(!p.content(of: copy(burgemeester, "2024-05-14"), person: "P0008", roles: [.teammanager], reason: reason).isAllowed)
        // Before she managed Ruimte, she managed nothing.
        #expect(!policy(today: "2022-01-01").content(of: copy(devries, "2021-05-14"), person: "P0008", roles: [.teammanager],
                                                     reason: reason).isAllowed)
        // Too short a reason is refused, with what to do.
        if case .refused(let why) = p.content(of: copy(devries, "2024-05-14"), person: "P0008", roles: [.teammanager], reason: .stated("x")) {
            #expect(why.contains("ten minste"))
        } else { Issue.record("a one-letter reason was accepted") }
        #expect(p.searchableMailboxes(person: "P0008", roles: [.teammanager])?.contains(devries) == true)
    }

    @Test func theWooCoordinatorReadsWhatARequestCoversOrWithAStatedReason() {
        let p = policy()
        let held = copy(burgemeester, "2024-06-03", held: ["woo-1"])
        #expect(p.content(of: held, person: "P0010", roles: [.wooCoordinator], reason: .wooRequest(holdId: "woo-1"))
                == .allowed(.wooRequest(holdId: "woo-1")))
        #expect(!p.content(of: held, person: "P0010", roles: [.wooCoordinator], reason: .wooRequest(holdId: "woo-2")).isAllowed)
        #expect(p.content(of: copy(devries, "2024-06-03"), person: "P0010", roles: [.wooCoordinator], reason: .stated("vooronderzoek Woo-verzoek"))
                == .allowed(.statedReason))
        #expect(!p.content(of: held, person: "P0010", roles: [.wooCoordinator], reason: nil).isAllowed)
        #expect(p.searchableMailboxes(person: "P0010", roles: [.wooCoordinator]) == nil)
    }

    @Test func aGemachtigdeReadsWhatTheDesignationCoversUntilItsEnd() {
        let d1 = Delegation(id: "m-1", delegate: "P0006", grantedBy: "P0010", scope: .mailboxes([devries]),
                            validFrom: World.d("2026-11-01"), validTo: World.d("2026-12-31"))
        let d2 = Delegation(id: "m-2", delegate: "P0006", grantedBy: "P0010", scope: .wooRequest(holdId: "woo-1"),
                            validFrom: World.d("2026-11-01"), validTo: World.d("2026-12-31"), revokedOn: World.d("2026-12-01"))
        let reason = ReadReason.stated("beoordeling namens de Woo-coördinator")
        #expect(policy([d1, d2]).content(of: copy(devries, "2024-05-14"), person: "P0006", roles: [.gemachtigde], reason: reason)
                == .allowed(.delegation(id: "m-1")))
        // Withdrawn, and after the end date: nothing.
        #expect(!policy([d1, d2]).content(of: copy(burgemeester, "2024-06-03", held: ["woo-1"]), person: "P0006", roles: [.gemachtigde],
                                          reason: reason).isAllowed)
        #expect(!policy([d1], today: "2027-01-01").content(of: copy(devries, "2024-05-14"), person: "P0006", roles: [.gemachtigde],
                                                           reason: reason).isAllowed)
        // Someone else's designation gives nothing.
        #expect(!policy([d1]).content(of: copy(devries, "2024-05-14"), person: "P0007", roles: [.gemachtigde], reason: reason).isAllowed)
    }

    @Test(arguments: [ArchiveRole.div, .archivaris, .auditor, .beheerder])
    func rolesWithoutContentNeverReadIt(role: ArchiveRole) {
        let p = policy()
        for reason in [nil, ReadReason.stated("controle op de vernietigingslijst"), .wooRequest(holdId: "woo-1")] {
            #expect(!p.content(of: copy(devries, "2024-05-14", held: ["woo-1"]), person: "P0011", roles: [role], reason: reason).isAllowed)
        }
    }

    @Test func metadataScope() {
        let p = policy()
        #expect(p.searchableMailboxes(person: "P0010", roles: [.div]) == nil)
        #expect(p.searchableMailboxes(person: "P0011", roles: [.auditor]) == [])
        #expect(p.searchableRequests(person: "P0010", roles: [.wooCoordinator], all: ["woo-1", "woo-2"]) == ["woo-1", "woo-2"])
    }
}

// SPDX-License-Identifier: EUPL-1.2
import SluitsteenArchive
import SluitsteenPolicy

/// Who may strip private messages from a conversation (bijlage 4, privacy: "het staat de projectleider of
/// verantwoordelijke medewerker vrij het berichtenverkeer te ontdoen van privé berichten"): for a conversation under a
/// hotspot, the hotspot's project lead (``Hotspot/projectLead``, set with `hotspot add --project-lead` or `hotspot lead`);
/// for one under a Woo request, the Woo-coördinator (role `woo-coordinator` in roles.csv on the day of the strip).
/// Anyone else is refused, and so is everyone when the hotspot has no project lead.
public struct StripAuthority: Sendable {
    public var hotspots: [Hotspot]
    public var registers: Registers
    /// The day of the strip (the workspace's today).
    public var today: CivilDate

    public init(hotspots: [Hotspot], registers: Registers, today: CivilDate) {
        self.hotspots = hotspots
        self.registers = registers
        self.today = today
    }

    /// The register role of the Woo-coördinator.
    public static let wooCoordinatorRole = ArchiveRole.wooCoordinator.rawValue

    /// Refuses `actor` unless they may strip messages from `c`.
    public func check(_ actor: Actor, strips c: ChatConversationRecord) throws(ChatError) {
        let id = c.id ?? 0
        guard let person = actor.personId else {
            throw .refused("--by must be the person_id of the project lead who strips the messages (people.csv), e.g. P0007")
        }
        if let hotspotId = c.hotspotId {
            let name = c.hotspotName ?? hotspotId
            guard let h = hotspots.first(where: { $0.id == hotspotId }) else {
                throw .refused("the hotspot \(name) of conversation \(id) is no longer in the archive: no one can strip its messages")
            }
            guard let lead = h.projectLead else {
                throw .refused("hotspot \(h.name) has no project lead, so no one may strip private messages from conversation \(id) "
                    + "(bijlage 4: de projectleider of verantwoordelijke medewerker). Name one first: "
                    + "`sluitsteen hotspot lead \"\(h.name)\" --person PERSON_ID --by …`; nothing was stripped")
            }
            guard lead == person else {
                throw .refused("\(actor.documentText) is not the project lead of hotspot \(h.name) (that is \(lead)): only the project "
                    + "lead or responsible employee may strip private messages before the hand-over (bijlage 4); nothing was stripped")
            }
            return
        }
        let zaak = c.zaaknummer ?? c.wooHoldId ?? "?"
        let coordinator = registers.roles.contains {
            $0.personId == person && $0.role == Self.wooCoordinatorRole && $0.period.contains(today)
        }
        guard coordinator else {
            throw .refused("\(actor.documentText) is not the Woo-coördinator (role \(Self.wooCoordinatorRole) in roles.csv on "
                + "\(today.iso)): only they may strip private messages from conversation \(id), taken in for Woo request \(zaak); "
                + "nothing was stripped")
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2

/// A role period as shown in an explanation.
public struct RoleOnDate: Sendable, Hashable {
    public var role: String
    public var period: DatePeriod
    public var isKey: Bool
    public init(role: String, period: DatePeriod, isKey: Bool) {
        self.role = role
        self.period = period
        self.isKey = isKey
    }
}

/// The language of a rendered explanation.
public enum ExplanationLanguage: String, Sendable, CaseIterable {
    case dutch = "nl"
    case english = "en"
}

/// One step in the reasoning behind a decision, for `sluitsteen explain`: structured, rendered in Dutch or English.
public enum ExplanationStep: Sendable, Hashable {
    case messageDate(instant: Instant, date: CivilDate)
    /// The `Date` header lies more than a day before the arrival: the terms count from the arrival.
    case receivedLater(dateHeader: Instant, received: Instant)
    case unregisteredMailbox(address: String)
    case unknownOwner(address: String, personId: String)
    case functionalMailbox(address: String)
    case personalMailbox(address: String, personId: String, name: String)
    case keyRoleHeld(role: String, period: DatePeriod)
    /// No key role on the message date; lists the person's role periods.
    case noKeyRole(roles: [RoleOnDate])
    case leftBeforeGoLive(employedTo: CivilDate, goLive: CivilDate)
    case leftAfterGoLive(employedTo: CivilDate, goLive: CivilDate)
    case baseRule(ruleId: String, waardering: Waardering, term: ISODuration, fromEmployedTo: Bool, due: CivilDate)
    case window(opensAt: Instant, closesAt: Instant, isOpen: Bool)
    case noOptOutForFunctional
    case optOutFolder(folder: String)
    case optOutKeyword(keyword: String)
    case optOutMark(ground: OptOutGround, markedAt: Instant, by: String?)
    case optOutMarkIgnored(ground: OptOutGround, markedAt: Instant, closesAt: Instant)
    case wooHold(zaaknummer: String, received: CivilDate, released: CivilDate?, releaseReason: String?, active: Bool)
    case hotspot(name: String, status: HotspotStatus, decisionRef: String?)
    case outcome(action: RetentionAction, waardering: Waardering?, dueDate: CivilDate?)

    /// The step as one sentence.
    public func text(_ language: ExplanationLanguage) -> String {
        let nl = language == .dutch
        func t(_ i: Instant) -> String { AmsterdamTime.localText(i) }
        func period(_ p: DatePeriod) -> String {
            let from = p.from?.iso ?? "…"
            if let to = p.to { return nl ? "van \(from) tot en met \(to.iso)" : "from \(from) to \(to.iso) inclusive" }
            return nl ? "vanaf \(from)" : "from \(from), ongoing"
        }
        switch self {
        case .messageDate(let instant, let date):
            return nl ? "Berichtdatum: \(date.iso) (verzonden \(instant.iso), in Amsterdamse tijd \(t(instant)))."
                : "Message date: \(date.iso) (sent \(instant.iso), Amsterdam time \(t(instant)))."
        case .receivedLater(let header, let received):
            return nl ? "De datum in het bericht (\(t(header))) ligt meer dan een dag vóór de ontvangst door de eigen server (\(t(received)), "
                + "volgens de bovenste Received-regel). De afzender schrijft die datum zelf; de termijnen tellen daarom vanaf de ontvangst: "
                + "\(AmsterdamTime.date(of: received).iso)."
                : "The date in the message (\(t(header))) lies more than a day before its arrival at the organisation's own server "
                + "(\(t(received)), from the topmost Received header). The sender writes that date; the terms therefore count from the "
                + "arrival: \(AmsterdamTime.date(of: received).iso)."
        case .unregisteredMailbox(let address):
            return nl ? "Mailbox \(address) staat niet in het mailboxregister: het bericht wordt niet ingedeeld en nooit vernietigd."
                : "Mailbox \(address) is not in the mailbox register: the message is not classified and is never destroyed."
        case .unknownOwner(let address, let personId):
            return nl ? "De eigenaar (\(personId)) van mailbox \(address) staat niet in het personeelsregister: niet ingedeeld."
                : "The owner (\(personId)) of mailbox \(address) is not in the people register: not classified."
        case .functionalMailbox(let address):
            return nl ? "Mailbox \(address) is een functionele mailbox." : "Mailbox \(address) is a functional mailbox."
        case .personalMailbox(let address, let personId, let name):
            return nl ? "Mailbox \(address) is de persoonlijke mailbox van \(name) (\(personId))."
                : "Mailbox \(address) is the personal mailbox of \(name) (\(personId))."
        case .keyRoleHeld(let role, let p):
            return nl ? "Op de berichtdatum had de eigenaar de sleutelrol \(role) (\(period(p))): sleutelpersoon."
                : "On the message date the owner held the key role \(role) (\(period(p))): key person."
        case .noKeyRole(let roles):
            let list = roles.map { "\($0.role) \(period($0.period))" }.joined(separator: "; ")
            if roles.isEmpty {
                return nl ? "De eigenaar had geen sleutelrol: overig personeel." : "The owner held no key role: staff."
            }
            return nl ? "Op de berichtdatum had de eigenaar geen sleutelrol (rollen: \(list)): overig personeel."
                : "On the message date the owner held no key role (roles: \(list)): staff."
        case .leftBeforeGoLive(let left, let goLive):
            return nl ? "De eigenaar is uit dienst getreden op \(left.iso), vóór de ingebruikname op \(goLive.iso): "
                + "de termijn telt vanaf de uitdiensttreding."
                : "The owner left on \(left.iso), before go-live on \(goLive.iso): the term counts from leaving."
        case .leftAfterGoLive(let left, let goLive):
            return nl ? "De eigenaar is uit dienst getreden op \(left.iso), niet vóór de ingebruikname op \(goLive.iso): de gewone termijn geldt."
                : "The owner left on \(left.iso), not before go-live on \(goLive.iso): the normal term applies."
        case .baseRule(let id, let w, let term, let fromLeaving, let due):
            let what = w == .bewaren ? (nl ? "bewaren (B), overbrengen" : "keep (B), transfer") : (nl ? "vernietigen (V)" : "destroy (V)")
            let from = fromLeaving ? (nl ? "na uitdiensttreding" : "after leaving") : (nl ? "na de berichtdatum" : "after the message date")
            return nl ? "Regel \(id): \(what) \(term.iso) \(from), dus op \(due.iso)."
                : "Rule \(id): \(what) \(term.iso) \(from), that is on \(due.iso)."
        case .window(let opens, let closes, let isOpen):
            return nl ? "Opt-outtermijn: van \(t(opens)) tot \(t(closes)) (Amsterdamse tijd); \(isOpen ? "nog open" : "gesloten")."
                : "Opt-out window: from \(t(opens)) to \(t(closes)) (Amsterdam time); \(isOpen ? "still open" : "closed")."
        case .noOptOutForFunctional:
            return nl ? "Functionele mailboxen kennen geen opt-out; map, trefwoord of markering telt niet."
                : "Functional mailboxes have no opt-out; folder, keyword or mark does not count."
        case .optOutFolder(let folder):
            return nl ? "Het bericht stond bij het vastleggen in de map \(folder): opt-out, grond privé."
                : "At capture the message was in the folder \(folder): opted out, ground private."
        case .optOutKeyword(let keyword):
            return nl ? "Het bericht had bij het vastleggen het trefwoord \(keyword): opt-out, grond privé."
                : "At capture the message had the keyword \(keyword): opted out, ground private."
        case .optOutMark(let ground, let at, let by):
            let g = ground == .private ? (nl ? "privé" : "private") : (nl ? "informeel" : "informal")
            let who = by.map { nl ? " door \($0)" : " by \($0)" } ?? ""
            return nl ? "Gemarkeerd als opt-out (grond \(g))\(who) op \(t(at)), binnen de termijn."
                : "Marked as opt-out (ground \(g))\(who) on \(t(at)), within the window."
        case .optOutMarkIgnored(_, let at, let closes):
            return nl ? "Een opt-outmarkering van \(t(at)) telt niet: de termijn sloot op \(t(closes))."
                : "An opt-out mark made \(t(at)) does not count: the window closed \(t(closes))."
        case .wooHold(let zaak, let received, let released, let reason, let active):
            if active {
                return nl ? "Woo-verzoek \(zaak) (ontvangen \(received.iso)) houdt dit bericht vast: "
                    + "niets wordt vernietigd of geschoond zolang het loopt."
                    : "Woo request \(zaak) (received \(received.iso)) holds this message: nothing is destroyed or purged while it runs."
            }
            if let released {
                let r = reason.map { " (\($0))" } ?? ""
                return nl ? "Woo-verzoek \(zaak) hield dit bericht vast van \(received.iso) tot de vrijgave op \(released.iso)\(r); "
                    + "het geldt niet meer."
                    : "Woo request \(zaak) held this message from \(received.iso) until its release on \(released.iso)\(r); it no longer applies."
            }
            return nl ? "Woo-verzoek \(zaak) is ontvangen op \(received.iso), na de peildatum: het geldt nog niet."
                : "Woo request \(zaak) was received on \(received.iso), after the decision date: it does not apply yet."
        case .hotspot(let name, let status, let ref):
            let r = ref.map { nl ? " (besluit \($0))" : " (decision \($0))" } ?? ""
            switch status {
            case .proposed:
                return nl ? "Het bericht valt onder de voorgestelde hotspot \(name): vastgehouden tot die is aangewezen of afgewezen."
                    : "The message falls under the proposed hotspot \(name): held until it is designated or rejected."
            case .designated:
                return nl ? "Het bericht valt onder de aangewezen hotspot \(name)\(r): bewaren (B)."
                    : "The message falls under the designated hotspot \(name)\(r): keep (B)."
            case .rejected:
                return nl ? "De hotspot \(name) is afgewezen en telt niet." : "The hotspot \(name) was rejected and does not count."
            }
        case .outcome(let action, let w, let due):
            let wText = w.map { " \(nl ? "Waardering" : "Waardering") \($0.rawValue)." } ?? ""
            let dueText = due.map { nl ? " Datum: \($0.iso)." : " Date: \($0.iso)." } ?? ""
            return (nl ? "Uitkomst: \(action.dutchName)." : "Outcome: \(action.englishName).") + wText + dueText
        }
    }
}

extension RetentionAction {
    /// Plain Dutch name of the action.
    public var dutchName: String {
        switch self {
        case .pendingWindow: return "opt-outtermijn loopt nog"
        case .purgeOptout: return "opt-out: inhoud wordt ongelezen geschoond"
        case .hold: return "vastgehouden"
        case .retain: return "bewaren tot de vernietigingsdatum"
        case .destroyDue: return "vernietiging is aan de orde"
        case .transferDue: return "overbrenging naar het e-depot is aan de orde"
        case .retainPermanent: return "permanent bewaren; overbrengen op de datum"
        case .unclassified: return "niet ingedeeld (wordt nooit vernietigd)"
        case .transferred: return "overgebracht naar het e-depot"
        }
    }

    /// Plain English name of the action.
    public var englishName: String {
        switch self {
        case .pendingWindow: return "opt-out window still open"
        case .purgeOptout: return "opted out: content will be purged unread"
        case .hold: return "held"
        case .retain: return "retain until the destruction date"
        case .destroyDue: return "destruction is due"
        case .transferDue: return "transfer to the e-depot is due"
        case .retainPermanent: return "keep permanently; transfer on the date"
        case .unclassified: return "unclassified (never destroyed)"
        case .transferred: return "transferred to the e-depot"
        }
    }
}

extension Decision {
    /// The explanation as numbered lines (requires a decision made with `explain: true`).
    public func explanation(_ language: ExplanationLanguage) -> [String] {
        steps.enumerated().map { "\($0.offset + 1). \($0.element.text(language))" }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import SluitsteenArchive
import SluitsteenPolicy

/// The retention decision for a conversation, and the steps that explain it (pure: the same facts give the same
/// decision).
///
/// A conversation follows what it was taken in for. Under a designated hotspot it is kept permanently (B), transferred
/// the policy's hotspot term (`hotspot_transfer_after`) after its last message; under a proposed one it is held until
/// the hotspot is designated or rejected. Under a Woo request it is held while the request runs (until the hold is
/// released, which the Woo-coördinator does after the objection period). When neither holds any more (a rejected
/// hotspot, a released request) no rule of the policy covers chat: it stays unclassified and is never destroyed
/// automatically; DIV decides.
public enum ChatRetention {
    /// The decision for conversation `c` as of `asOfDate`, with the hotspots and holds as they are now.
    /// `transfer` is the confirmed transfer of the conversation to the e-depot, if any (``ChatArchive/transfers()``).
    public static func decide(_ c: ChatConversationRecord, policy: Policy, hotspots: [Hotspot], holds: [WooHold],
                              asOfDate: CivilDate, transfer: ChatTransfer? = nil) -> ChatDecision {
        var steps: [ChatExplanationStep] = []
        let last = AmsterdamTime.date(of: Instant(secondsSinceEpoch: c.lastEpoch ?? c.capturedEpoch))
        steps.append(.conversation(title: c.title, format: c.format, lastMessage: last))
        steps.append(.review(state: c.state, handoverAt: c.handoverAt))
        func unclassified(_ rules: [RuleRef]) -> ChatDecision {
            steps.append(.noChatRule)
            steps.append(.policy(.outcome(action: .unclassified, waardering: nil, dueDate: nil)))
            return ChatDecision(action: .unclassified, waardering: nil, dueDate: nil, rules: rules, steps: steps)
        }
        if let id = c.hotspotId {
            guard let h = hotspots.first(where: { $0.id == id }) else {
                steps.append(.linkGone(what: "hotspot \(c.hotspotName ?? id)"))
                return unclassified([])
            }
            steps.append(.hotspot(name: h.name, status: h.status, decisionRef: h.decisionRef))
            switch h.status {
            case .proposed:
                steps.append(.policy(.outcome(action: .hold, waardering: nil, dueDate: nil)))
                return ChatDecision(action: .hold, waardering: nil, dueDate: nil, rules: [h.rule], steps: steps)
            case .designated:
                let due = last.adding(policy.hotspotTransferAfter)
                var action: RetentionAction = due <= asOfDate ? .transferDue : .retainPermanent
                steps.append(.transferTerm(term: policy.hotspotTransferAfter, lastMessage: last, due: due))
                if let transfer {
                    action = .transferred
                    steps.append(.transferred(packageId: transfer.packageId, confirmedAt: transfer.confirmedAt))
                }
                steps.append(.policy(.outcome(action: action, waardering: .bewaren, dueDate: due)))
                return ChatDecision(action: action, waardering: .bewaren, dueDate: due, rules: [h.rule], steps: steps)
            case .rejected:
                return unclassified([h.rule])
            }
        }
        guard let id = c.wooHoldId, let h = holds.first(where: { $0.id == id }) else {
            steps.append(.linkGone(what: "Woo request \(c.zaaknummer ?? c.wooHoldId ?? "?")"))
            return unclassified([])
        }
        let active = h.isActive(on: asOfDate)
        steps.append(.wooHold(zaaknummer: h.zaaknummer, received: h.received, released: h.released, releaseReason: h.releaseReason,
                              active: active))
        guard active else { return unclassified([h.rule]) }
        steps.append(.policy(.outcome(action: .hold, waardering: nil, dueDate: nil)))
        return ChatDecision(action: .hold, waardering: nil, dueDate: nil, rules: [h.rule], steps: steps)
    }
}

/// A conversation's transfer the e-depot confirmed: the package and when it was accepted.
public struct ChatTransfer: Sendable, Hashable {
    public var packageId: String
    public var confirmedAt: String
    public init(packageId: String, confirmedAt: String) {
        self.packageId = packageId
        self.confirmedAt = confirmedAt
    }
}

/// What is to happen to a conversation: the action (as for mail), its waardering and due date, the rules that decided
/// it, and the steps that explain it.
public struct ChatDecision: Sendable, Hashable {
    public var action: RetentionAction
    public var waardering: Waardering?
    public var dueDate: CivilDate?
    public var rules: [RuleRef]
    public var steps: [ChatExplanationStep]

    /// The explanation as numbered lines.
    public func explanation(_ language: ExplanationLanguage) -> [String] {
        steps.enumerated().map { "\($0.offset + 1). \($0.element.text(language))" }
    }
}

/// One step of a conversation's explanation: the steps mail shares (hotspot, Woo request, outcome) and those of chat.
public enum ChatExplanationStep: Sendable, Hashable {
    case conversation(title: String, format: ChatFormat, lastMessage: CivilDate)
    case review(state: ChatConversationState, handoverAt: String?)
    case hotspot(name: String, status: HotspotStatus, decisionRef: String?)
    case wooHold(zaaknummer: String, received: CivilDate, released: CivilDate?, releaseReason: String?, active: Bool)
    case transferTerm(term: ISODuration, lastMessage: CivilDate, due: CivilDate)
    case transferred(packageId: String, confirmedAt: String)
    case linkGone(what: String)
    case noChatRule
    case policy(ExplanationStep)

    public func text(_ language: ExplanationLanguage) -> String {
        let nl = language == .dutch
        switch self {
        case .conversation(let title, let format, let last):
            return nl ? "Gesprek \"\(title)\" (\(format.displayName)); laatste bericht op \(last.iso). Berichtenverkeer wordt alleen "
                + "gearchiveerd bij een hotspot of een Woo-verzoek (bijlage 5)."
                : "Conversation \"\(title)\" (\(format.displayName)); last message on \(last.iso). Chat is archived only for a hotspot "
                + "or a Woo request (bijlage 5)."
        case .review(let state, let at):
            switch state {
            case .review:
                return nl ? "Nog niet overgedragen aan DIV: de projectleider kan privéberichten verwijderen (bijlage 4, privacy)."
                    : "Not yet handed over to DIV: the project lead may strip private messages (bijlage 4, privacy)."
            case .handedOver:
                return nl ? "Overgedragen aan DIV op \(at ?? "?"); sindsdien ongewijzigd."
                    : "Handed over to DIV on \(at ?? "?"); unchanged since."
            }
        case .hotspot(let name, let status, let ref):
            let r = ref.map { nl ? " (besluit \($0))" : " (decision \($0))" } ?? ""
            switch status {
            case .proposed:
                return nl ? "Het gesprek is opgenomen voor de voorgestelde hotspot \(name): vastgehouden tot die is aangewezen of afgewezen."
                    : "The conversation was taken in for the proposed hotspot \(name): held until it is designated or rejected."
            case .designated:
                return nl ? "Het gesprek is opgenomen voor de aangewezen hotspot \(name)\(r): bewaren (B)."
                    : "The conversation was taken in for the designated hotspot \(name)\(r): keep (B)."
            case .rejected:
                return nl ? "Het gesprek is opgenomen voor de hotspot \(name), maar die is afgewezen en telt niet."
                    : "The conversation was taken in for the hotspot \(name), but it was rejected and does not count."
            }
        case .wooHold(let zaak, let received, let released, let reason, let active):
            if active {
                return nl ? "Het gesprek is opgenomen voor Woo-verzoek \(zaak) (ontvangen \(received.iso)): vastgehouden zolang het verzoek "
                    + "loopt (tot de vrijgave na de bezwaartermijn)."
                    : "The conversation was taken in for Woo request \(zaak) (received \(received.iso)): held while the request runs (until "
                    + "its release after the objection period)."
            }
            if let released {
                let r = reason.map { " (\($0))" } ?? ""
                return nl ? "Het gesprek is opgenomen voor Woo-verzoek \(zaak), dat is vrijgegeven op \(released.iso)\(r); het houdt "
                    + "niets meer vast."
                    : "The conversation was taken in for Woo request \(zaak), released on \(released.iso)\(r); it holds nothing any more."
            }
            return nl ? "Woo-verzoek \(zaak) is ontvangen op \(received.iso), na de peildatum: het geldt nog niet."
                : "Woo request \(zaak) was received on \(received.iso), after the decision date: it does not apply yet."
        case .transferTerm(let term, let last, let due):
            return nl ? "Overbrengen \(term.iso) na het laatste bericht (\(last.iso)), dus op \(due.iso)."
                : "Transfer \(term.iso) after the last message (\(last.iso)), that is on \(due.iso)."
        case .transferred(let id, let at):
            return nl ? "Overgebracht naar het e-depot met pakket \(id), door het e-depot aanvaard op \(at.prefix(10))."
                : "Transferred to the e-depot in package \(id), accepted by the e-depot on \(at.prefix(10))."
        case .linkGone(let what):
            return nl ? "De \(what) waarvoor het gesprek is opgenomen staat niet meer in het archief."
                : "The \(what) the conversation was taken in for is no longer in the archive."
        case .noChatRule:
            return nl ? "Geen regel van het beleid bewaart of vernietigt berichtenverkeer buiten een hotspot of lopend Woo-verzoek: "
                + "niet ingedeeld, nooit automatisch vernietigd; DIV beslist."
                : "No rule of the policy keeps or destroys chat outside a hotspot or a running Woo request: unclassified, never "
                + "destroyed automatically; DIV decides."
        case .policy(let step):
            return step.text(language)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// Figures of a request for lists and overviews.
public struct WooRequestSummary: Sendable, Hashable {
    public var request: WooRequest
    public var mails: Int
    public var attachments: Int
    /// Conversations (chat, sms).
    public var conversations: Int = 0
    public var threads: Int
    /// Documents that follow another (duplicates and near-duplicates).
    public var following: Int
    /// Documents still needing an assessment (relevant or undecided, not following another).
    public var toAssess: Int
    public var notRelevant: Int
    /// Assessments of the documents that do not follow another, by assessment.
    public var assessed: [WooAssessment: Int]
    public var suggestionsUndecided: Int
    public var redactionsAccepted: Int
    public var productions: Int
    /// Days until the deadline (negative: past it); nil once decided.
    public var daysLeft: Int?
    /// The hold's release date as recorded (nil: it holds until someone releases it).
    public var holdReleased: CivilDate?
}

extension WooWorkflow {
    /// The request with its figures.
    public func summary(_ zaaknummer: String) throws(WooWorkflowError) -> WooRequestSummary {
        let request = try request(zaaknummer)
        let docs = try documents(zaaknummer)
        let redactions = try redactions(zaaknummer)
        let released: CivilDate? = try read { db in
            try String.fetchOne(db, sql: "SELECT released FROM wooHold WHERE id = ?", arguments: [request.holdId]).flatMap { CivilDate(iso: $0) }
        }
        let productions = try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wooProduction WHERE zaaknummer = ?", arguments: [zaaknummer]) ?? 0
        }
        var s = WooRequestSummary(request: request, mails: 0, attachments: 0, threads: Set(docs.map(\.thread)).count, following: 0,
                                  toAssess: 0, notRelevant: 0, assessed: [:],
                                  suggestionsUndecided: redactions.filter { $0.status == .suggested }.count,
                                  redactionsAccepted: redactions.filter { $0.status == .accepted }.count, productions: productions,
                                  daysLeft: request.status == .open ? request.deadline.dayNumber - today.dayNumber : nil,
                                  holdReleased: released)
        for d in docs {
            switch d.kind {
            case .email: s.mails += 1
            case .attachment: s.attachments += 1
            case .chat: s.conversations += 1
            }
            if d.follows != nil { s.following += 1; continue }
            if d.review.relevant == false { s.notRelevant += 1; continue }
            if let a = d.review.assessment { s.assessed[a, default: 0] += 1 } else { s.toAssess += 1 }
        }
        return s
    }

    /// Extends the decision deadline once, by the extension term (two weeks; Woo art. 4.4), before it has passed.
    public func extend(_ zaaknummer: String, reason: String, actor: Actor) throws(WooWorkflowError) -> WooRequest {
        try requirePerson(actor)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard why.count >= 8 else { throw .invalidInput("give the reason for the extension (at least 8 characters); it is recorded") }
        let settings = try settings()
        let today = today
        return try write { db -> WooRequest in
            let request = try Self.request(db, zaaknummer)
            guard request.status == .open else { throw WooWorkflowError.refused("Woo request \(zaaknummer) is decided already") }
            guard request.extendedOn == nil else {
                throw WooWorkflowError.refused("the deadline of \(zaaknummer) was extended already on \(request.extendedOn!.iso) "
                    + "(to \(request.deadline.iso)); the Woo allows one extension")
            }
            guard today <= request.deadline else {
                throw WooWorkflowError.refused("the deadline of \(zaaknummer) passed on \(request.deadline.iso): it can no longer be extended")
            }
            let deadline = request.deadline.adding(settings.extensionTerm)
            try db.execute(sql: "UPDATE wooRequest SET deadline = ?, extendedOn = ?, extensionReason = ? WHERE zaaknummer = ?",
                           arguments: [deadline.iso, today.iso, why, zaaknummer])
            try workspace.audit.append(db, kind: .woo, command: "woo extend", actor: actor.auditText, objectIds: ["woo:\(zaaknummer)"],
                                       outcome: "beslistermijn verdaagd van \(request.deadline.iso) tot \(deadline.iso): \(why)")
            return try Self.request(db, zaaknummer)
        }
    }

    /// The decision type the assessments point to: no relevant document → Geen documenten aangetroffen; all already
    /// public → Reeds openbaar; all withheld → Geen openbaarmaking; all disclosed → Openbaarmaking; else Gedeeltelijke.
    public func suggestedDecisionType(_ zaaknummer: String) throws(WooWorkflowError) -> WooDecisionType {
        let assessments = try documents(zaaknummer).filter { $0.follows == nil && $0.review.countsAsRelevant }.compactMap(\.review.assessment)
        let kinds = Set(assessments)
        if assessments.isEmpty { return .noDocuments }
        if kinds == [.alreadyPublic] { return .alreadyPublic }
        if kinds.isSubset(of: [.withheld]) { return .noDisclosure }
        if kinds.isSubset(of: [.disclosed, .alreadyPublic]) { return .disclosure }
        return .partialDisclosure
    }

    /// Closes a request: records the decision (its date and type; the type the assessments point to when nil) and keeps
    /// the hold through the objection period: the hold's release date is set to the day after the objection period and
    /// its margin end (from that day on it no longer applies). Every relevant document must be assessed; `Geen
    /// documenten aangetroffen` only when none is relevant.
    public func close(_ zaaknummer: String, decisionDate: CivilDate, type: WooDecisionType? = nil,
                      actor: Actor) throws(WooWorkflowError) -> WooRequest {
        try requirePerson(actor)
        let request = try request(zaaknummer)
        guard request.status != .decided else {
            throw .refused("Woo request \(zaaknummer) was decided on \(request.decisionDate?.iso ?? "?") already; after an objection "
                + "(`sluitsteen woo objection`) it can be closed again")
        }
        guard decisionDate >= request.received, decisionDate <= today else {
            throw .invalidInput("the decision date must lie between the receipt (\(request.received.iso)) and today (\(today.iso))")
        }
        let docs = try documents(zaaknummer)
        let open = docs.filter { $0.follows == nil && $0.review.countsAsRelevant && $0.review.assessment == nil }
        guard open.isEmpty else {
            throw .refused("\(open.count) relevant document(s) of \(zaaknummer) have no assessment yet (first: \(open[0].id)); assess them "
                + "or mark them not relevant before the request is closed")
        }
        let chosen: WooDecisionType
        if let type { chosen = type } else { chosen = try suggestedDecisionType(zaaknummer) }
        let relevant = docs.contains { $0.follows == nil && $0.review.countsAsRelevant }
        if chosen == .noDocuments && relevant {
            throw .refused("Geen documenten aangetroffen does not fit: the verzameling holds relevant documents")
        }
        if chosen != .noDocuments && !relevant {
            throw .refused("no document of \(zaaknummer) is relevant: the decision is Geen documenten aangetroffen")
        }
        let settings = try settings()
        let holdUntil = decisionDate.adding(settings.objectionPeriod).adding(settings.objectionMargin)
        let release = holdUntil.adding(days: 1)
        return try write { db -> WooRequest in
            try db.execute(sql: "UPDATE wooRequest SET status = ?, decisionDate = ?, decisionType = ?, holdUntil = ? WHERE zaaknummer = ?",
                           arguments: [WooRequestStatus.decided.rawValue, decisionDate.iso, chosen.rawValue, holdUntil.iso, zaaknummer])
            // The hold ends when the objection period (and its margin) is over: from `release` on it no longer applies.
            try db.execute(sql: "UPDATE wooHold SET released = ?, releaseReason = ? WHERE id = ?",
                           arguments: [release.iso, "Woo-besluit (\(chosen.rawValue)) van \(decisionDate.iso); bezwaartermijn "
                                       + "\(settings.objectionPeriod.iso) en marge \(settings.objectionMargin.iso) tot en met \(holdUntil.iso)",
                                       request.holdId])
            try workspace.audit.append(db, kind: .woo, command: "woo close", actor: actor.auditText, objectIds: ["woo:\(zaaknummer)"],
                                       outcome: "besluit \(chosen.rawValue) van \(decisionDate.iso); hold tot en met \(holdUntil.iso)")
            try workspace.audit.append(db, kind: .hold, command: "woo close", actor: actor.auditText,
                                       objectIds: ["hold:\(request.holdId)", "woo:\(zaaknummer)"],
                                       outcome: "vrijgave gepland op \(release.iso) (na de bezwaartermijn)")
            return try Self.request(db, zaaknummer)
        }
    }

    /// Records an objection (bezwaar) against the decision: the request is open for review again and its hold applies
    /// again until the request is closed anew. Only before the hold has ended.
    public func objection(_ zaaknummer: String, received: CivilDate, actor: Actor) throws(WooWorkflowError) -> WooRequest {
        try requirePerson(actor)
        let today = today
        return try write { db -> WooRequest in
            let request = try Self.request(db, zaaknummer)
            guard request.status == .decided, let decided = request.decisionDate, let until = request.holdUntil else {
                throw WooWorkflowError.refused("Woo request \(zaaknummer) is not decided: there is nothing to object to yet")
            }
            guard received >= decided, received <= today else {
                throw WooWorkflowError.invalidInput("the objection must be received between the decision (\(decided.iso)) and today")
            }
            guard today <= until else {
                throw WooWorkflowError.refused("the hold of \(zaaknummer) ended after \(until.iso): mail may have been destroyed since; "
                    + "register the objection as a new request (`sluitsteen woo register`)")
            }
            try db.execute(sql: "UPDATE wooRequest SET status = ?, holdUntil = NULL WHERE zaaknummer = ?",
                           arguments: [WooRequestStatus.objection.rawValue, zaaknummer])
            try db.execute(sql: "UPDATE wooHold SET released = NULL, releaseReason = NULL WHERE id = ?", arguments: [request.holdId])
            try workspace.audit.append(db, kind: .woo, command: "woo objection", actor: actor.auditText, objectIds: ["woo:\(zaaknummer)"],
                                       outcome: "bezwaar ontvangen \(received.iso) tegen het besluit van \(decided.iso)")
            try workspace.audit.append(db, kind: .hold, command: "woo objection", actor: actor.auditText,
                                       objectIds: ["hold:\(request.holdId)", "woo:\(zaaknummer)"],
                                       outcome: "geplande vrijgave ingetrokken: de hold geldt tot het verzoek opnieuw is afgesloten")
            return try Self.request(db, zaaknummer)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenSupport

/// A change to the review of documents: only what is given changes.
public struct WooReviewChange: Sendable, Hashable {
    /// Relevant (within the request) or not.
    public var relevant: Bool?
    public var assessment: WooAssessment?
    /// The grounds (codes from the grounds list), replacing those recorded; besides them the accepted redactions'
    /// grounds count.
    public var grounds: [String]?
    /// Toelichting.
    public var note: String?
    /// Opgeschort.
    public var suspended: Bool?
    /// Where the document is already public (reeds openbaar).
    public var publicLink: String?
    /// A duplicate or near-duplicate gets a review of its own (it no longer follows the document it duplicates).
    public var separate: Bool

    public init(relevant: Bool? = nil, assessment: WooAssessment? = nil, grounds: [String]? = nil, note: String? = nil,
                suspended: Bool? = nil, publicLink: String? = nil, separate: Bool = false) {
        self.relevant = relevant
        self.assessment = assessment
        self.grounds = grounds
        self.note = note
        self.suspended = suspended
        self.publicLink = publicLink
        self.separate = separate
    }

    /// True when nothing would change.
    public var isEmpty: Bool {
        relevant == nil && assessment == nil && grounds == nil && note == nil && suspended == nil && publicLink == nil && !separate
    }
}

extension WooWorkflow {
    /// Records the review of `documents` (numbers), all or nothing, in one audit entry. A duplicate or near-duplicate
    /// takes the review of the document it follows and is not reviewed itself (unless `separate`): review that one, and
    /// the decision applies to every copy. An assessment makes a document relevant; `niet openbaar` needs a ground;
    /// `openbaar` has none. Returns the documents as recorded.
    public func review(_ zaaknummer: String, documents numbers: [Int], _ change: WooReviewChange,
                       actor: Actor) throws(WooWorkflowError) -> [WooDocument] {
        try requirePerson(actor)
        guard !numbers.isEmpty else { throw .invalidInput("name the documents to review (their IDs, e.g. 3 or 0003)") }
        guard !change.isEmpty else {
            throw .invalidInput("say what to record: --relevant, --assessment, --ground, --note, --suspended, --link or --separate")
        }
        if change.relevant == false, change.assessment != nil {
            throw .invalidInput("a document that is not relevant gets no assessment")
        }
        let known = try groundsList()
        for code in change.grounds ?? [] where known.ground(code: code) == nil {
            throw .invalidInput("'\(SafeText.terminal(String(code.prefix(20))))' is not a Woo ground in the list; the grounds are "
                + known.grounds.map(\.code).joined(separator: ", "))
        }
        if let note = change.note, note.unicodeScalars.contains(where: { SafeText.isControl($0) && $0 != "\n" && $0 != "\t" }) {
            throw .invalidInput("the note (toelichting) holds control characters")
        }
        let now = nowText
        return try write { db -> [WooDocument] in
            let request = try Self.request(db, zaaknummer)
            guard request.status != .decided else {
                throw WooWorkflowError.refused("Woo request \(zaaknummer) is decided (\(request.decisionDate?.iso ?? "")): its reviews are "
                    + "final. Record an objection first (`sluitsteen woo objection`) to review again")
            }
            var out: [WooDocument] = []
            for number in Array(Set(numbers)).sorted() {
                var doc = try Self.document(db, zaaknummer, number)
                if doc.follows != nil {
                    guard change.separate else {
                        throw WooWorkflowError.refused("document \(doc.id) is a \(doc.relation?.dutch ?? "duplicaat") of "
                            + "\(WooDocument.id(doc.follows!)) and takes its review: review \(WooDocument.id(doc.follows!)), or give this "
                            + "one a review of its own with --separate")
                    }
                    doc.follows = nil
                    doc.relation = nil
                }
                var r = doc.review
                if let relevant = change.relevant {
                    r.relevant = relevant
                    if !relevant { r.assessment = nil; r.grounds = [] }
                }
                if let assessment = change.assessment {
                    r.assessment = assessment
                    r.relevant = true
                    if assessment == .disclosed && change.grounds == nil { r.grounds = [] }
                }
                if let grounds = change.grounds { r.grounds = Array(Set(grounds)).sorted() }
                if let note = change.note { r.note = note.trimmingCharacters(in: .whitespacesAndNewlines) }
                if let suspended = change.suspended { r.suspended = suspended }
                if let link = change.publicLink { r.publicLink = link.trimmingCharacters(in: .whitespaces) }
                if r.assessment == .withheld && r.grounds.isEmpty {
                    throw WooWorkflowError.invalidInput("document \(doc.id) is niet openbaar: give the ground(s) it is withheld on (--ground)")
                }
                if r.assessment == .disclosed && !r.grounds.isEmpty {
                    throw WooWorkflowError.invalidInput("document \(doc.id) is openbaar: it has no ground to withhold on (leave out --ground)")
                }
                if !r.grounds.isEmpty && r.relevant == false {
                    throw WooWorkflowError.invalidInput("document \(doc.id) is not relevant: it has no grounds")
                }
                r.reviewedAt = now
                r.reviewedBy = actor.documentText
                doc.review = r
                try db.execute(sql: """
                    UPDATE wooDocument SET relevant = ?, assessment = ?, groundsJSON = ?, note = ?, suspended = ?, publicLink = ?,
                        reviewedAt = ?, reviewedBy = ?, follows = ?, relation = ?
                    WHERE zaaknummer = ? AND number = ?
                    """, arguments: [r.relevant.map { $0 ? 1 : 0 }, r.assessment?.rawValue, JSONText.array(r.grounds), r.note,
                                     r.suspended ? 1 : 0, r.publicLink, now, actor.documentText, doc.follows, doc.relation?.rawValue,
                                     zaaknummer, number])
                out.append(doc)
            }
            var what: [String] = []
            if change.separate { what.append("eigen beoordeling (los van het duplicaat)") }
            if let relevant = change.relevant { what.append(relevant ? "relevant" : "niet relevant") }
            if let a = change.assessment { what.append(a.rawValue) }
            if let g = change.grounds { what.append("gronden: " + (g.isEmpty ? "geen" : g.joined(separator: "; "))) }
            if let s = change.suspended { what.append(s ? "opgeschort" : "niet opgeschort") }
            if let l = change.publicLink { what.append("publieke link: \(l)") }
            if let n = change.note { what.append("toelichting: \(n.prefix(200))") }
            try workspace.audit.append(
                db, kind: .woo, command: "woo review", actor: actor.auditText,
                objectIds: ["woo:\(zaaknummer)"] + out.map { "woo-document:\(zaaknummer)/\($0.id)" },
                outcome: "beoordeeld: \(out.count) document(en): " + what.joined(separator: "; "))
            return out
        }
    }
}

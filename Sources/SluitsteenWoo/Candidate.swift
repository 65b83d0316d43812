// SPDX-License-Identifier: EUPL-1.2

/// A span one recogniser found, before overlaps are resolved and the ground is filled in.
struct Candidate: Hashable {
    var start: Int
    var end: Int
    var kind: SuggestionKind
    var note: String

    var length: Int { end - start }
}

/// Resolves overlapping candidates: the longest span wins; between spans of equal length the earlier one, then the
/// kind declared first. Deterministic whatever order the recognisers found them in; the result is ordered by start.
enum SpanSelection {
    static func select(_ candidates: [Candidate]) -> [Candidate] {
        let ranked = Set(candidates).sorted { a, b in
            if a.length != b.length { return a.length > b.length }
            if a.start != b.start { return a.start < b.start }
            if a.kind != b.kind { return a.kind < b.kind }
            return a.note < b.note
        }
        // Which scalars a kept span covers, by offset from the first candidate's start: each span is looked at
        // once, so the cost is the total length of the candidates.
        guard let lowest = ranked.map(\.start).min(), let highest = ranked.map(\.end).max() else { return [] }
        var taken = [Bool](repeating: false, count: highest - lowest)
        var kept: [Candidate] = []
        for c in ranked where !taken[(c.start - lowest)..<(c.end - lowest)].contains(true) {
            for i in (c.start - lowest)..<(c.end - lowest) { taken[i] = true }
            kept.append(c)
        }
        kept.sort { $0.start < $1.start }
        return kept
    }
}

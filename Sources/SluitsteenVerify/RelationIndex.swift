// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// The package-wide rules on identifications and relations, kept compact so that memory stays small for any
/// package size: every `identificatieKenmerk` + `bron` pair unique, and `isOnderdeelVan`/`bevatOnderdeel`,
/// `heeftRepresentatie`/`isRepresentatieVan` pointing to objects that exist and agree, each object with one parent.
///
/// MDTO files are numbered in walk order (their ordinal). Identifications and names are kept as 64-bit SipHash
/// values (``RelationKeys``, randomly seeded per run, so collisions cannot be engineered); references as fixed-size
/// records, made as each MDTO file is read (``ReferenceList``). Texts are not kept: the few findings that name other
/// files or references are worded at the end, after walking the package again to find those files (and re-reading
/// them, which also confirms a duplicate identification string by string).
struct RelationIndex {
    enum EdgeKind: UInt8, Sendable { case isOnderdeelVan, bevatOnderdeel, heeftRepresentatie, isRepresentatieVan }

    /// One reference: from which MDTO file (its ordinal, set when the file is added to the index), which one of its
    /// references of this kind, and to what (key).
    struct Edge: Sendable {
        var from: UInt32
        var index: UInt32
        var target: UInt64
        var line: Int32
        var kind: EdgeKind
        var byNaam: Bool
        var isDoel: Bool
    }

    /// Ordinals whose paths or summaries are needed to word the findings, and the references whose text is.
    struct Wanted {
        var paths = Set<UInt32>()
        var summaries = Set<UInt32>()
        var described: [UInt32: Set<ReferenceSlot>] = [:]
    }

    struct Lookup {
        var paths: [UInt32: String] = [:]
        var summaries: [UInt32: SidecarSummary] = [:]
    }

    private struct Pending {
        let make: (Lookup) -> Finding?
    }

    let keys: RelationKeys
    private(set) var unreadable = 0
    private var kinds: [SidecarSummary.Kind] = []
    /// A hashed identification or name with the ordinal of the MDTO file that has it.
    fileprivate struct Keyed {
        var hash: UInt64
        var ordinal: UInt32
        static func < (a: Keyed, b: Keyed) -> Bool { a.hash != b.hash ? a.hash < b.hash : a.ordinal < b.ordinal }
    }
    /// Every identification, appended in walk order (on disk beyond a block); read back and sorted by hash (then
    /// ordinal) in ``finish(into:lookup:)``.
    private let identityRecords = RecordSpill<Keyed>()
    private var identities: [Keyed] = []
    /// Every object name (`naam`), likewise: a reference without identification resolves only to a unique name, so
    /// they are read back only when some reference has no identification.
    private let nameRecords = RecordSpill<Keyed>()
    private var names: [Keyed] = []
    /// References, spilled to an unlinked temporary file in blocks: the largest part of the bookkeeping.
    private let edges = EdgeSpill()
    /// References per ``EdgeKind``, and those without identification.
    private var edgeCounts = [0, 0, 0, 0]
    private var byNaam = 0

    init(keys: RelationKeys) {
        self.keys = keys
    }

    /// Records the next MDTO file in walk order (`path` is used only for findings made right away).
    mutating func add(_ s: SidecarSummary, path: String, into findings: inout [Finding]) throws {
        let ordinal = UInt32(kinds.count)
        kinds.append(s.kind)
        if s.kind == .unknown { unreadable += 1 }
        for identity in s.identities { identityRecords.append(Keyed(hash: keys.key(identity), ordinal: ordinal)) }
        if s.kind != .unknown { nameRecords.append(Keyed(hash: keys.key(naam: s.naam), ordinal: ordinal)) }
        guard s.kind != .unknown else { return }
        var secondParentLine: Int32?
        try s.references.records.forEach { record in
            var edge = record
            edge.from = ordinal
            if edge.kind == .isOnderdeelVan && edge.index == 1 { secondParentLine = edge.line }
            edgeCounts[Int(edge.kind.rawValue)] += 1
            if edge.byNaam { byNaam += 1 }
            edges.append(edge)
        }
        let parents = s.references.count(.isOnderdeelVan)
        if s.kind == .informatieobject, parents > 1, let line = secondParentLine {
            findings.append(Finding(.oneParent, path: path, line: Int(line),
                "Het object heeft \(parents) keer isOnderdeelVan; elk object heeft precies één ouder."))
        }
    }

    /// Index of the first key with `hash`, or of where it would be.
    private static func lowerBound(_ keys: [Keyed], _ hash: UInt64) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid].hash < hash { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The MDTO file a reference points to: the first with that identification, or the only one with that name.
    private func resolve(_ e: Edge) -> UInt32? {
        let keys = e.byNaam ? names : identities
        let i = Self.lowerBound(keys, e.target)
        guard i < keys.count, keys[i].hash == e.target else { return nil }
        if e.byNaam && i + 1 < keys.count && keys[i + 1].hash == e.target { return nil }
        return keys[i].ordinal
    }

    /// A reference with the ordinal of the MDTO file it points to, or ``unresolved``.
    private struct Resolved {
        var edge: Edge
        var to: UInt32
    }
    private static let unresolved = UInt32.max

    private static func pair(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    private static func contains(_ sorted: [UInt64], _ value: UInt64) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }

    private static func reference(_ e: Edge, in summary: SidecarSummary?) -> String {
        summary?.references.description(ReferenceSlot(e)) ?? "(een verwijzing)"
    }

    /// Judges every reference and duplicate; `lookup` finds the paths and summaries the findings need.
    mutating func finish(into findings: inout [Finding], lookup: (Wanted) throws -> Lookup) throws {
        var pending: [Pending] = []
        var wanted = Wanted()
        identities = try identityRecords.all()
        identities.sort(by: <)
        if byNaam > 0 {
            names = try nameRecords.all()
            names.sort(by: <)
        }
        // Pass 1: every reference resolved once, to disk, so that the identifications and names are no longer in
        // memory when the pairs are.
        let resolved = RecordSpill<Resolved>()
        try edges.forEach { e in resolved.append(Resolved(edge: e, to: resolve(e) ?? Self.unresolved)) }
        // Duplicate identifications: equal hashes, confirmed on both files' own text (a hash may collide).
        var at = 0
        while at < identities.count {
            let first = identities[at]
            at += 1
            while at < identities.count, identities[at].hash == first.hash {
                let duplicate = identities[at].ordinal
                at += 1
                wanted.paths.formUnion([duplicate, first.ordinal])
                wanted.summaries.formUnion([duplicate, first.ordinal])
                pending.append(Pending { [keys] lookup in
                    guard let mine = lookup.summaries[duplicate], let theirs = lookup.summaries[first.ordinal],
                        let identity = mine.identities.first(where: { keys.key($0) == first.hash }),
                        theirs.identities.contains(identity)
                    else { return nil }
                    return Finding(.identificatieUnique, path: lookup.paths[duplicate] ?? "?", line: mine.identityLine,
                        "Identificatie \(identity) komt ook voor in \(lookup.paths[first.ordinal] ?? "?"); elk kenmerk met bron moet uniek zijn.")
                })
            }
        }
        identities = []
        names = []
        // The resolved pairs of each kind, sorted for binary search.
        var pairs: [[UInt64]] = edgeCounts.map { count in
            var pairs: [UInt64] = []
            pairs.reserveCapacity(count)
            return pairs
        }
        try resolved.forEach { r in
            if r.to != Self.unresolved { pairs[Int(r.edge.kind.rawValue)].append(Self.pair(r.edge.from, r.to)) }
        }
        for k in pairs.indices { pairs[k].sort() }
        func has(_ kind: EdgeKind, _ from: UInt32, _ to: UInt32) -> Bool {
            Self.contains(pairs[Int(kind.rawValue)], Self.pair(from, to))
        }
        let someUnreadable = unreadable > 0
        func want(_ e: Edge, other: UInt32?, _ check: CheckID, _ text: @escaping (String, String) -> String) {
            wanted.paths.insert(e.from)
            wanted.summaries.insert(e.from)
            wanted.described[e.from, default: []].insert(ReferenceSlot(e))
            if let other { wanted.paths.insert(other) }
            pending.append(Pending { lookup in
                let description = Self.reference(e, in: lookup.summaries[e.from])
                let otherPath = other.flatMap { lookup.paths[$0] } ?? ""
                return Finding(check, path: lookup.paths[e.from] ?? "?", line: Int(e.line), text(description, otherPath))
            })
        }
        // Pass 2: judge every reference.
        var parents: [UInt64] = []
        parents.reserveCapacity(edgeCounts[Int(EdgeKind.bevatOnderdeel.rawValue)])
        try resolved.forEach { r in
            let e = r.edge
            let target = r.to == Self.unresolved ? nil : r.to
            switch e.kind {
            case .isOnderdeelVan:
                if let p = target {
                    if kinds[Int(p)] != .informatieobject || !has(.bevatOnderdeel, p, e.from) {
                        want(e, other: p, .onderdeel) { d, o in
                            "isOnderdeelVan wijst naar \(d) in \(o), maar dat object noemt dit object niet in bevatOnderdeel."
                        }
                    }
                } else if e.isDoel {
                    return
                } else if !someUnreadable {
                    want(e, other: nil, .onderdeel) { d, _ in
                        "isOnderdeelVan wijst naar \(d), maar dat object staat niet in het pakket (en is niet het doel uit de pakbon)."
                    }
                }
            case .bevatOnderdeel:
                guard let c = target else {
                    if !someUnreadable {
                        want(e, other: nil, .onderdeel) { d, _ in
                            "bevatOnderdeel wijst naar \(d), maar dat object staat niet in het pakket."
                        }
                    }
                    return
                }
                parents.append(Self.pair(c, e.from))
                if kinds[Int(c)] != .informatieobject || !has(.isOnderdeelVan, c, e.from) {
                    want(e, other: c, .onderdeel) { d, o in
                        "bevatOnderdeel wijst naar \(d) in \(o), maar dat object noemt dit object niet in isOnderdeelVan."
                    }
                }
            case .heeftRepresentatie:
                guard let b = target else {
                    if !someUnreadable {
                        want(e, other: nil, .representatie) { d, _ in
                            "heeftRepresentatie wijst naar \(d), maar dat bestand staat niet in het pakket."
                        }
                    }
                    return
                }
                if kinds[Int(b)] != .bestand || !has(.isRepresentatieVan, b, e.from) {
                    want(e, other: b, .representatie) { d, o in
                        "heeftRepresentatie wijst naar \(d) in \(o), maar dat bestand wijst met isRepresentatieVan niet terug naar dit object."
                    }
                }
            case .isRepresentatieVan:
                guard let o = target else {
                    if !someUnreadable {
                        want(e, other: nil, .representatie) { d, _ in
                            "isRepresentatieVan wijst naar \(d), maar dat informatieobject staat niet in het pakket."
                        }
                    }
                    return
                }
                if kinds[Int(o)] != .informatieobject || !has(.heeftRepresentatie, o, e.from) {
                    want(e, other: o, .representatie) { d, p in
                        "isRepresentatieVan wijst naar \(d) in \(p), maar dat object noemt dit bestand niet in heeftRepresentatie."
                    }
                }
            }
        }
        pairs = []
        // One parent: a child listed by more than one aggregation.
        parents.sort()
        var i = 0
        while i < parents.count {
            let child = UInt32(parents[i] >> 32)
            var list: [UInt32] = []
            while i < parents.count, UInt32(parents[i] >> 32) == child {
                let parent = UInt32(truncatingIfNeeded: parents[i])
                if list.last != parent { list.append(parent) }
                i += 1
            }
            guard list.count > 1 else { continue }
            wanted.paths.insert(child)
            wanted.paths.formUnion(list)
            pending.append(Pending { lookup in
                let names = list.map { lookup.paths[$0] ?? "?" }.joined(separator: ", ")
                return Finding(.oneParent, path: lookup.paths[child] ?? "?",
                    "Het object is onderdeel van meer dan één aggregatie (\(names)); elk object heeft precies één ouder.")
            })
        }
        guard !pending.isEmpty else { return }
        let found = try lookup(wanted)
        for p in pending { if let finding = p.make(found) { findings.append(finding) } }
    }
}

/// How identifications, names and references are keyed for ``RelationIndex``: 64-bit SipHash values, seeded per run
/// (so collisions cannot be engineered), and whether a reference names the pakbon's doel. The same keys are used
/// by every worker that reads an MDTO file, so that its references can be kept as records from the start.
struct RelationKeys: Sendable {
    let doel: Identity?
    private let seed: Int

    init(doel: Identity?, seed: Int = Int.random(in: Int.min...Int.max)) {
        self.doel = doel
        self.seed = seed
    }

    func key(_ identity: Identity) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(identity.kenmerk)
        hasher.combine(identity.bron)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    func key(naam: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed &+ 1)
        hasher.combine(naam)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// The record of `reference`, the `slot.index`-th of its kind in its file (`from` is set by ``RelationIndex/add``).
    func record(_ reference: Reference, _ slot: ReferenceSlot) -> RelationIndex.Edge {
        RelationIndex.Edge(
            from: 0, index: slot.index, target: reference.identity.map(key) ?? key(naam: reference.naam),
            line: Int32(clamping: reference.line), kind: slot.kind, byNaam: reference.identity == nil,
            isDoel: reference.identity != nil && reference.identity == doel)
    }
}

/// Which reference of an MDTO file: its kind and its place among the references of that kind.
struct ReferenceSlot: Hashable, Sendable {
    let kind: RelationIndex.EdgeKind
    let index: UInt32

    init(kind: RelationIndex.EdgeKind, index: UInt32) {
        self.kind = kind
        self.index = index
    }

    init(_ edge: RelationIndex.Edge) { self.init(kind: edge.kind, index: edge.index) }
}

/// The references of one MDTO file as the relation checks need them: a fixed-size record each (``RelationKeys``),
/// in document order, on disk beyond one block (``EdgeSpill``), so that a dossier listing a million messages costs
/// no memory to speak of. Their text is kept only for the references asked for by `describe` (to word a finding).
struct ReferenceList: Sendable {
    let records = EdgeSpill()
    private var counts: [UInt32] = [0, 0, 0, 0]
    private var descriptions: [ReferenceSlot: String] = [:]

    /// Adds the next reference of `kind`.
    mutating func append(
        _ reference: Reference, _ kind: RelationIndex.EdgeKind, keys: RelationKeys, describe: Set<ReferenceSlot>
    ) {
        let slot = ReferenceSlot(kind: kind, index: counts[Int(kind.rawValue)])
        counts[Int(kind.rawValue)] += 1
        records.append(keys.record(reference, slot))
        if describe.contains(slot) { descriptions[slot] = reference.description }
    }

    /// How many references of `kind` the file has.
    func count(_ kind: RelationIndex.EdgeKind) -> Int { Int(counts[Int(kind.rawValue)]) }

    /// The text of a reference that was asked for (`describe`).
    func description(_ slot: ReferenceSlot) -> String? { descriptions[slot] }
}

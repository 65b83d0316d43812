// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// The structure rules of the NA SIP specification that need only one folder's listing: every file its bestand
/// sidecar, every folder its own sidecar, no orphan sidecars, legal names unique among siblings (ignoring case),
/// only files and folders, and full paths of at most 255 characters.
enum FolderChecks {
    static let maxPathLength = 255
    static let forbidden: Set<Character> = [" ", "<", ">", ":", "\"", "/", "\\", "|", "?", "*", "#", "&"]

    /// Checks `job`; `kinds` gives what each MDTO file of the folder (by container path) turned out to hold.
    static func run(
        _ job: FolderJob, payload: String, kinds: [String: SidecarSummary.Kind], into findings: inout [Finding]
    ) {
        var seen: [String: String] = [:]
        var fileNames = Set<String>()
        var sidecarNames = Set<String>()
        let named = job.entries.map { entry -> (PackageEntry, String, String) in
            let rel = String(entry.path.dropFirst(payload.count))
            let name = rel.split(separator: "/").last.map(String.init) ?? rel
            if entry.kind == .file {
                fileNames.insert(name)
                if name.hasSuffix(".mdto.xml") { sidecarNames.insert(name) }
            }
            return (entry, rel, name)
        }
        for (entry, rel, name) in named {
            if let problem = nameProblem(name) {
                findings.append(Finding(.name, path: rel, "De naam \"\(name)\" is niet toegestaan: \(problem)."))
            }
            if rel.utf8.count > maxPathLength && rel.count > maxPathLength {
                findings.append(Finding(.pathLength, path: rel,
                    "Het volledige pad is \(rel.count) tekens; het maximum is \(maxPathLength)."))
            }
            let key = folded(name)
            if let other = seen[key] {
                findings.append(Finding(.name, path: rel,
                    "De naam is niet uniek: \"\(other)\" verschilt alleen in hoofdletters."))
            } else {
                seen[key] = rel
            }
            if case .other(let what) = entry.kind {
                findings.append(Finding(.fileType, path: rel,
                    "Dit is een \(what), geen gewoon bestand of map; een pakket bevat alleen bestanden en mappen."))
            }
            guard entry.kind == .file else { continue }
            if name.lowercased().hasSuffix(".mdto.xml"), !name.hasSuffix(".mdto.xml") {
                findings.append(Finding(.name, path: rel, "MDTO-bestanden eindigen op \".mdto.xml\" in kleine letters."))
            }
            if name.hasSuffix(".mdto.xml") {
                let kind = kinds[entry.path] ?? .unknown
                if name.hasSuffix(".bestand.mdto.xml") {
                    let target = String(name.dropLast(".bestand.mdto.xml".count))
                    if !fileNames.contains(target) || target.hasSuffix(".mdto.xml") {
                        findings.append(Finding(.orphanSidecar, path: rel,
                            "Er is geen bestand \"\(target)\" waar dit bestand-MDTO bij hoort."))
                    }
                    if kind == .informatieobject {
                        findings.append(Finding(.sidecarKind, path: rel,
                            "Een .bestand.mdto.xml moet een <bestand> bevatten, geen <informatieobject>."))
                    }
                } else if kind == .bestand {
                    findings.append(Finding(.sidecarKind, path: rel,
                        "Dit MDTO-bestand bevat een <bestand>, maar heet niet \"<bestandsnaam>.bestand.mdto.xml\"."))
                }
            } else if rel != PackageVerifier.pakbonName, !sidecarNames.contains(name + ".bestand.mdto.xml") {
                findings.append(Finding(.missingBestandSidecar, path: rel,
                    "Het bestand heeft geen MDTO-beschrijving \"\(name).bestand.mdto.xml\" ernaast."))
            }
        }
        if !job.rel.isEmpty {
            let name = job.rel.split(separator: "/").last.map(String.init) ?? job.rel
            if !sidecarNames.contains(name + ".mdto.xml") {
                findings.append(Finding(.missingFolderSidecar, path: job.rel,
                    "De map heeft geen eigen MDTO-bestand \"\(name).mdto.xml\" met het informatieobject dat zij vormt."))
            }
        }
    }

    /// Bytes that may not appear in a name (all ASCII, so a byte scan is exact for UTF-8).
    private static let forbiddenBytes: Set<UInt8> = Set(forbidden.compactMap { $0.asciiValue })

    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "lege naam" }
        if name == "." || name == ".." { return "gereserveerde naam" }
        for byte in name.utf8 {
            if forbiddenBytes.contains(byte) { return "bevat het teken '\(Character(Unicode.Scalar(byte)))'" }
            if byte < 0x20 || byte == 0x7F { return "bevat een stuurteken" }
        }
        if name.hasSuffix(".") { return "eindigt op een punt" }
        return nil
    }

    /// Lowercase for the case-insensitive uniqueness test, cheap for ASCII names.
    static func folded(_ s: String) -> String {
        var bytes = Array(s.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return s.lowercased() }
        for i in bytes.indices where (0x41...0x5A).contains(bytes[i]) { bytes[i] += 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The package-wide rules on identifications and relations, kept compact so that memory stays small for any
/// package size: every `identificatieKenmerk` + `bron` pair unique, and `isOnderdeelVan`/`bevatOnderdeel`,
/// `heeftRepresentatie`/`isRepresentatieVan` pointing to objects that exist and agree, each object with one parent.
///
/// MDTO files are numbered in walk order (their ordinal). Identifications and names are kept as 64-bit SipHash
/// values (randomly seeded per run, so collisions cannot be engineered); references as fixed-size records. Texts
/// are not kept: the few findings that name other files are worded at the end, after walking the package again to
/// find those files (and re-reading them, which also confirms a duplicate identification string by string).
struct RelationIndex {
    enum EdgeKind: UInt8 { case isOnderdeelVan, bevatOnderdeel, heeftRepresentatie, isRepresentatieVan }

    /// One reference: from which MDTO file, which one of its references of this kind, and to what (hash).
    struct Edge {
        var from: UInt32
        var index: UInt32
        var target: UInt64
        var line: Int32
        var kind: EdgeKind
        var byNaam: Bool
        var isDoel: Bool
    }

    /// Ordinals whose paths or summaries are needed to word the findings.
    struct Wanted {
        var paths = Set<UInt32>()
        var summaries = Set<UInt32>()
    }

    struct Lookup {
        var paths: [UInt32: String] = [:]
        var summaries: [UInt32: SidecarSummary] = [:]
    }

    private struct Pending {
        let make: (Lookup) -> Finding?
    }

    let doel: Identity?
    private(set) var unreadable = 0
    private var kinds: [SidecarSummary.Kind] = []
    /// A hashed identification or name with the ordinal of the MDTO file that has it.
    private struct Keyed {
        var hash: UInt64
        var ordinal: UInt32
        static func < (a: Keyed, b: Keyed) -> Bool { a.hash != b.hash ? a.hash < b.hash : a.ordinal < b.ordinal }
    }
    /// Every identification, appended in walk order; sorted by hash (then ordinal) in ``finish(into:lookup:)``.
    private var identities: [Keyed] = []
    /// Every object name (`naam`), likewise: a reference without identification resolves only to a unique name.
    private var names: [Keyed] = []
    /// References, spilled to an unlinked temporary file in blocks: the largest part of the bookkeeping.
    private let edges = EdgeSpill()
    private let seed: Int

    init(doel: Identity?) {
        self.doel = doel
        self.seed = Int.random(in: Int.min...Int.max)
    }

    private func hash(_ identity: Identity) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(identity.kenmerk)
        hasher.combine(identity.bron)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    private func hash(naam: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed &+ 1)
        hasher.combine(naam)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// Records the next MDTO file in walk order (`path` is used only for findings made right away).
    mutating func add(_ s: SidecarSummary, path: String, into findings: inout [Finding]) {
        let ordinal = UInt32(kinds.count)
        kinds.append(s.kind)
        if s.kind == .unknown { unreadable += 1 }
        for identity in s.identities { identities.append(Keyed(hash: hash(identity), ordinal: ordinal)) }
        if s.kind != .unknown { names.append(Keyed(hash: hash(naam: s.naam), ordinal: ordinal)) }
        func edge(_ kind: EdgeKind, _ index: Int, _ ref: Reference) {
            edges.append(Edge(
                from: ordinal, index: UInt32(index), target: ref.identity.map(hash) ?? hash(naam: ref.naam),
                line: Int32(clamping: ref.line), kind: kind, byNaam: ref.identity == nil,
                isDoel: ref.identity != nil && ref.identity == doel))
        }
        switch s.kind {
        case .informatieobject:
            if s.isOnderdeelVan.count > 1 {
                findings.append(Finding(.oneParent, path: path, line: s.isOnderdeelVan[1].line,
                    "Het object heeft \(s.isOnderdeelVan.count) keer isOnderdeelVan; elk object heeft precies één ouder."))
            }
            for (i, ref) in s.isOnderdeelVan.enumerated() { edge(.isOnderdeelVan, i, ref) }
            for (i, ref) in s.bevatOnderdeel.enumerated() { edge(.bevatOnderdeel, i, ref) }
            for (i, ref) in s.heeftRepresentatie.enumerated() { edge(.heeftRepresentatie, i, ref) }
        case .bestand:
            if let ref = s.isRepresentatieVan { edge(.isRepresentatieVan, 0, ref) }
        case .unknown:
            break
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
        guard let summary else { return "(een verwijzing)" }
        let list: [Reference]
        switch e.kind {
        case .isOnderdeelVan: list = summary.isOnderdeelVan
        case .bevatOnderdeel: list = summary.bevatOnderdeel
        case .heeftRepresentatie: list = summary.heeftRepresentatie
        case .isRepresentatieVan: list = summary.isRepresentatieVan.map { [$0] } ?? []
        }
        return Int(e.index) < list.count ? list[Int(e.index)].description : "(een verwijzing)"
    }

    /// Judges every reference and duplicate; `lookup` finds the paths and summaries the findings need.
    mutating func finish(into findings: inout [Finding], lookup: (Wanted) throws -> Lookup) throws {
        identities.sort(by: <)
        names.sort(by: <)
        // Pass 1: the resolved pairs of each kind, sorted for binary search.
        var pairs: [[UInt64]] = [[], [], [], []]
        try edges.forEach { e in
            if let target = resolve(e) { pairs[Int(e.kind.rawValue)].append(Self.pair(e.from, target)) }
        }
        for k in pairs.indices { pairs[k].sort() }
        func has(_ kind: EdgeKind, _ from: UInt32, _ to: UInt32) -> Bool {
            Self.contains(pairs[Int(kind.rawValue)], Self.pair(from, to))
        }
        let someUnreadable = unreadable > 0
        var pending: [Pending] = []
        var wanted = Wanted()
        func want(_ e: Edge, other: UInt32?, _ check: CheckID, _ text: @escaping (String, String) -> String) {
            wanted.paths.insert(e.from)
            wanted.summaries.insert(e.from)
            if let other { wanted.paths.insert(other) }
            pending.append(Pending { lookup in
                let description = Self.reference(e, in: lookup.summaries[e.from])
                let otherPath = other.flatMap { lookup.paths[$0] } ?? ""
                return Finding(check, path: lookup.paths[e.from] ?? "?", line: Int(e.line), text(description, otherPath))
            })
        }
        // Pass 2: judge every reference.
        var parents: [UInt64] = []
        try edges.forEach { e in
            let target = resolve(e)
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
        // Duplicate identifications: equal hashes, confirmed on both files' own text (a hash may collide).
        var k = 0
        while k < identities.count {
            let first = identities[k]
            k += 1
            while k < identities.count, identities[k].hash == first.hash {
                let duplicate = identities[k].ordinal
                k += 1
                wanted.paths.formUnion([duplicate, first.ordinal])
                wanted.summaries.formUnion([duplicate, first.ordinal])
                pending.append(Pending { [self] lookup in
                    guard let mine = lookup.summaries[duplicate], let theirs = lookup.summaries[first.ordinal],
                        let identity = mine.identities.first(where: { self.hash($0) == first.hash }),
                        theirs.identities.contains(identity)
                    else { return nil }
                    return Finding(.identificatieUnique, path: lookup.paths[duplicate] ?? "?", line: mine.identityLine,
                        "Identificatie \(identity) komt ook voor in \(lookup.paths[first.ordinal] ?? "?"); elk kenmerk met bron moet uniek zijn.")
                })
            }
        }
        guard !pending.isEmpty else { return }
        let found = try lookup(wanted)
        for p in pending { if let finding = p.make(found) { findings.append(finding) } }
    }
}

/// Reference records of a ``RelationIndex``, kept in memory up to one block and spilled beyond that to a
/// temporary file that is unlinked at once (it disappears with the process). Falls back to memory when no
/// temporary file can be made.
final class EdgeSpill {
    typealias Edge = RelationIndex.Edge
    private static let block = 8192
    private var buffer: [Edge] = []
    private var fd: Int32 = -1
    private var spilled = 0
    private var failed = false

    deinit { if fd >= 0 { close(fd) } }

    func append(_ edge: Edge) {
        buffer.append(edge)
        if buffer.count >= Self.block && !failed { spill() }
    }

    private func spill() {
        if fd < 0 {
            let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((folder + "/sluitsteen-verify-XXXXXX").utf8CString)
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { failed = true; return }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        let ok = buffer.withUnsafeBytes { raw -> Bool in (try? FileDescriptor(rawValue: fd).writeAll(raw)) != nil }
        guard ok else {
            // Keep what is in memory; what was spilled before stays readable.
            failed = true
            return
        }
        spilled += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Visits every record in the order appended.
    func forEach(_ body: (Edge) throws -> Void) throws {
        if spilled > 0 {
            var chunk = [Edge](repeating: Edge(from: 0, index: 0, target: 0, line: 0, kind: .isOnderdeelVan,
                byNaam: false, isDoel: false), count: Self.block)
            var offset: off_t = 0
            var remaining = spilled
            while remaining > 0 {
                let want = min(remaining, Self.block)
                let bytes = want * MemoryLayout<Edge>.stride
                let read = chunk.withUnsafeMutableBytes { raw -> Int in
                    (try? FileDescriptor(rawValue: fd).readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<bytes]),
                                                                 at: Int64(offset))) ?? -1
                }
                guard read == bytes else { throw StoreError("the temporary file of the verifier could not be read back") }
                for i in 0..<want { try body(chunk[i]) }
                offset += off_t(bytes)
                remaining -= want
            }
        }
        for edge in buffer { try body(edge) }
    }
}

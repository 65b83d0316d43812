// SPDX-License-Identifier: EUPL-1.2

/// The structure rules of the NA SIP specification for sidecar packages: every file its bestand sidecar, every
/// folder its own sidecar, no orphans, legal and unique names, paths of at most 255 characters, and relations
/// (`isOnderdeelVan`/`bevatOnderdeel`, `heeftRepresentatie`/`isRepresentatieVan`) that exist and agree.
struct StructureCheck {
    let items: [PackageItem]
    let sidecars: [PackageItem]
    let summaries: [SidecarSummary]
    /// The pakbon's `doel`: top-level objects may point to it with `isOnderdeelVan`.
    let doel: Identity?

    static let maxPathLength = 255
    static let forbidden: Set<Character> = [" ", "<", ">", ":", "\"", "/", "\\", "|", "?", "*", "#", "&"]

    private let sidecarPaths: Set<String>
    /// When some MDTO files could not be read, references that do not resolve may point into them: those are
    /// not reported (the unreadable files already fail the package).
    private let someUnreadable: Bool
    private var byIdentity: [Identity: Int] = [:]
    private var byNaam: [String: [Int]] = [:]

    init(items: [PackageItem], sidecars: [PackageItem], summaries: [SidecarSummary], doel: Identity?) {
        self.items = items
        self.sidecars = sidecars
        self.summaries = summaries
        self.doel = doel
        self.sidecarPaths = Set(sidecars.map(\.rel))
        self.someUnreadable = summaries.contains { $0.kind == .unknown }
    }

    mutating func run(into findings: inout [Finding]) {
        names(into: &findings)
        files(into: &findings)
        identities(into: &findings)
        relations(into: &findings)
    }

    // MARK: Names, kinds, sidecars

    private func names(into findings: inout [Finding]) {
        var directories = Set<String>()
        for item in items where item.entry.kind == .directory { directories.insert(item.rel) }
        for item in items {
            var parent = item.parent
            while !parent.isEmpty, directories.insert(parent).inserted {
                parent = PackageItem(entry: item.entry, rel: parent).parent
            }
        }
        var seen: [String: String] = [:]
        let all = items.map { ($0.rel, $0.entry.kind) } + directories.subtracting(items.map(\.rel)).sorted().map { ($0, .directory) }
        for (rel, kind) in all {  // findings are sorted at the end
            let name = rel.split(separator: "/").last.map(String.init) ?? rel
            if let problem = Self.nameProblem(name) {
                findings.append(Finding(.name, path: rel, "De naam \"\(name)\" is niet toegestaan: \(problem)."))
            }
            if rel.utf8.count > Self.maxPathLength && rel.count > Self.maxPathLength {
                findings.append(Finding(.pathLength, path: rel,
                    "Het volledige pad is \(rel.count) tekens; het maximum is \(Self.maxPathLength)."))
            }
            let key = Self.folded(rel)
            if let other = seen[key] {
                findings.append(Finding(.name, path: rel,
                    "De naam is niet uniek: \"\(other)\" verschilt alleen in hoofdletters."))
            } else {
                seen[key] = rel
            }
            if case .other(let what) = kind {
                findings.append(Finding(.fileType, path: rel,
                    "Dit is een \(what), geen gewoon bestand of map; een pakket bevat alleen bestanden en mappen."))
            }
            if kind == .file, name.lowercased().hasSuffix(".mdto.xml"), !name.hasSuffix(".mdto.xml") {
                findings.append(Finding(.name, path: rel,
                    "MDTO-bestanden eindigen op \".mdto.xml\" in kleine letters."))
            }
        }
        for directory in directories.sorted() {
            let name = directory.split(separator: "/").last.map(String.init) ?? directory
            let expected = directory + "/" + name + ".mdto.xml"
            if !sidecarPaths.contains(expected) {
                findings.append(Finding(.missingFolderSidecar, path: directory,
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

    private func files(into findings: inout [Finding]) {
        let fileSet = Set(items.filter { $0.entry.kind == .file }.map(\.rel))
        let sidecarSet = sidecarPaths
        for (i, item) in sidecars.enumerated() {
            let kind = summaries[i].kind
            if item.name.hasSuffix(".bestand.mdto.xml") {
                let target = String(item.rel.dropLast(".bestand.mdto.xml".count))
                if !fileSet.contains(target) || target.hasSuffix(".mdto.xml") {
                    findings.append(Finding(.orphanSidecar, path: item.rel,
                        "Er is geen bestand \"\(target.split(separator: "/").last ?? "")\" waar dit bestand-MDTO bij hoort."))
                }
                if kind == .informatieobject {
                    findings.append(Finding(.sidecarKind, path: item.rel,
                        "Een .bestand.mdto.xml moet een <bestand> bevatten, geen <informatieobject>."))
                }
            } else if kind == .bestand {
                findings.append(Finding(.sidecarKind, path: item.rel,
                    "Dit MDTO-bestand bevat een <bestand>, maar heet niet \"<bestandsnaam>.bestand.mdto.xml\"."))
            }
        }
        for item in items where item.entry.kind == .file {
            guard item.rel != PackageVerifier.pakbonName, !item.name.hasSuffix(".mdto.xml") else { continue }
            if !sidecarSet.contains(item.rel + ".bestand.mdto.xml") {
                findings.append(Finding(.missingBestandSidecar, path: item.rel,
                    "Het bestand heeft geen MDTO-beschrijving \"\(item.name).bestand.mdto.xml\" ernaast."))
            }
        }
    }

    // MARK: Identities and relations

    private mutating func identities(into findings: inout [Finding]) {
        for (i, summary) in summaries.enumerated() {
            for identity in summary.identities {
                if let other = byIdentity[identity] {
                    findings.append(Finding(.identificatieUnique, path: sidecars[i].rel, line: summary.identityLine,
                        "Identificatie \(identity) komt ook voor in \(sidecars[other].rel); elk kenmerk met bron moet uniek zijn."))
                } else {
                    byIdentity[identity] = i
                }
            }
            if summary.kind != .unknown { byNaam[summary.naam, default: []].append(i) }
        }
    }

    private func resolve(_ reference: Reference) -> Int? {
        if let identity = reference.identity { return byIdentity[identity] }
        guard let candidates = byNaam[reference.naam], candidates.count == 1 else { return nil }
        return candidates[0]
    }


    private func relations(into findings: inout [Finding]) {
        // Resolve every reference once; the back-reference tests are then set lookups.
        let resolvedParents = summaries.map { Set($0.isOnderdeelVan.compactMap(resolve)) }
        let resolvedChildren = summaries.map { Set($0.bevatOnderdeel.compactMap(resolve)) }
        let resolvedRepresentaties = summaries.map { Set($0.heeftRepresentatie.compactMap(resolve)) }
        let resolvedRepresentatieVan = summaries.map { $0.isRepresentatieVan.flatMap(resolve) }
        var parents: [Int: [Int]] = [:]
        for (i, s) in summaries.enumerated() {
            let path = sidecars[i].rel
            switch s.kind {
            case .informatieobject:
                if s.isOnderdeelVan.count > 1 {
                    findings.append(Finding(.oneParent, path: path, line: s.isOnderdeelVan[1].line,
                        "Het object heeft \(s.isOnderdeelVan.count) keer isOnderdeelVan; elk object heeft precies één ouder."))
                }
                for ref in s.isOnderdeelVan {
                    if let p = resolve(ref) {
                        if summaries[p].kind != .informatieobject || !resolvedChildren[p].contains(i) {
                            findings.append(Finding(.onderdeel, path: path, line: ref.line,
                                "isOnderdeelVan wijst naar \(ref.description) in \(sidecars[p].rel), maar dat object "
                                    + "noemt dit object niet in bevatOnderdeel."))
                        }
                    } else if let identity = ref.identity, identity == doel {
                        continue
                    } else if !someUnreadable {
                        findings.append(Finding(.onderdeel, path: path, line: ref.line,
                            "isOnderdeelVan wijst naar \(ref.description), maar dat object staat niet in het pakket "
                                + "(en is niet het doel uit de pakbon)."))
                    }
                }
                for ref in s.bevatOnderdeel {
                    guard let c = resolve(ref) else {
                        if !someUnreadable { findings.append(Finding(.onderdeel, path: path, line: ref.line,
                            "bevatOnderdeel wijst naar \(ref.description), maar dat object staat niet in het pakket.")) }
                        continue
                    }
                    parents[c, default: []].append(i)
                    if summaries[c].kind != .informatieobject || !resolvedParents[c].contains(i) {
                        findings.append(Finding(.onderdeel, path: path, line: ref.line,
                            "bevatOnderdeel wijst naar \(ref.description) in \(sidecars[c].rel), maar dat object "
                                + "noemt dit object niet in isOnderdeelVan."))
                    }
                }
                for ref in s.heeftRepresentatie {
                    guard let b = resolve(ref) else {
                        if !someUnreadable { findings.append(Finding(.representatie, path: path, line: ref.line,
                            "heeftRepresentatie wijst naar \(ref.description), maar dat bestand staat niet in het pakket.")) }
                        continue
                    }
                    let back = resolvedRepresentatieVan[b] == i
                    if summaries[b].kind != .bestand || !back {
                        findings.append(Finding(.representatie, path: path, line: ref.line,
                            "heeftRepresentatie wijst naar \(ref.description) in \(sidecars[b].rel), maar dat "
                                + "bestand wijst met isRepresentatieVan niet terug naar dit object."))
                    }
                }
            case .bestand:
                guard let ref = s.isRepresentatieVan else { continue }
                guard let o = resolve(ref) else {
                    if !someUnreadable { findings.append(Finding(.representatie, path: path, line: ref.line,
                        "isRepresentatieVan wijst naar \(ref.description), maar dat informatieobject staat niet in het pakket.")) }
                    continue
                }
                if summaries[o].kind != .informatieobject || !resolvedRepresentaties[o].contains(i) {
                    findings.append(Finding(.representatie, path: path, line: ref.line,
                        "isRepresentatieVan wijst naar \(ref.description) in \(sidecars[o].rel), maar dat object "
                            + "noemt dit bestand niet in heeftRepresentatie."))
                }
            case .unknown:
                break
            }
        }
        for (child, list) in parents.sorted(by: { $0.key < $1.key }) where Set(list).count > 1 {
            let names = Set(list).sorted().map { sidecars[$0].rel }.joined(separator: ", ")
            findings.append(Finding(.oneParent, path: sidecars[child].rel,
                "Het object is onderdeel van meer dan één aggregatie (\(names)); elk object heeft precies één ouder."))
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// The structure rules of the NA SIP specification that need only one folder's listing: every file its bestand
/// sidecar, every folder its own sidecar, no orphan sidecars, legal names unique among siblings (ignoring case),
/// only files and folders, and full paths of at most 255 characters.
///
/// A folder's children are added part by part (``FolderWalk/partSize`` at a time), so that a wide folder is never
/// held whole: kept across parts are the names of its files and MDTO files (few in a folder of message folders),
/// a 64-bit hash of every case-folded name (seeded per run, like ``RelationIndex``) and the files still waiting
/// for their sidecar. A name whose hash was seen before is confirmed, and the earlier name found, by listing the
/// folder again in ``finish(relist:into:)``.
struct FolderChecks {
    static let maxPathLength = 255
    static let forbidden: Set<Character> = [" ", "<", ">", ":", "\"", "/", "\\", "|", "?", "*", "#", "&"]

    /// The folder's path relative to the package root.
    let rel: String
    let payload: String
    private let seed: Int
    private var seen = Set<UInt64>()
    /// Names whose case-folded hash was seen before: their path and folded name.
    private var repeated: [(rel: String, key: String)] = []
    private var fileNames = Set<String>()
    private var sidecarNames = Set<String>()
    /// Bestand sidecars whose file has not been seen, and files whose bestand sidecar has not been seen.
    private var orphans: [(rel: String, target: String)] = []
    private var bare: [(rel: String, name: String)] = []

    init(_ folder: FolderJob, payload: String, seed: Int) {
        self.rel = folder.rel
        self.payload = payload
        self.seed = seed
    }

    private func hash(_ key: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(key)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// Checks one part of the folder; `kinds` gives what each of its MDTO files (by container path) turned out to hold.
    mutating func add(_ entries: [PackageEntry], kinds: [String: SidecarSummary.Kind], into findings: inout [Finding]) {
        let named = entries.map { entry -> (PackageEntry, String, String) in
            let rel = String(entry.path.dropFirst(payload.count))
            let name = Self.lastStep(rel)
            if entry.kind == .file {
                fileNames.insert(name)
                if name.hasSuffix(".mdto.xml") { sidecarNames.insert(name) }
            }
            return (entry, rel, name)
        }
        for (entry, rel, name) in named {
            if let problem = Self.nameProblem(name) {
                findings.append(Finding(.name, path: rel, "De naam \"\(name)\" is niet toegestaan: \(problem)."))
            }
            if rel.utf8.count > Self.maxPathLength && rel.count > Self.maxPathLength {
                findings.append(Finding(.pathLength, path: rel,
                    "Het volledige pad is \(rel.count) tekens; het maximum is \(Self.maxPathLength)."))
            }
            let key = Self.folded(name)
            if !seen.insert(hash(key)).inserted { repeated.append((rel, key)) }
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
                    orphans.append((rel, String(name.dropLast(".bestand.mdto.xml".count))))
                    if kind == .informatieobject {
                        findings.append(Finding(.sidecarKind, path: rel,
                            "Een .bestand.mdto.xml moet een <bestand> bevatten, geen <informatieobject>."))
                    }
                } else if kind == .bestand {
                    findings.append(Finding(.sidecarKind, path: rel,
                        "Dit MDTO-bestand bevat een <bestand>, maar heet niet \"<bestandsnaam>.bestand.mdto.xml\"."))
                }
            } else if rel != PackageVerifier.pakbonName {
                bare.append((rel, name))
            }
        }
        // What has found its partner by now needs no keeping.
        orphans.removeAll { fileNames.contains($0.target) && !$0.target.hasSuffix(".mdto.xml") }
        bare.removeAll { sidecarNames.contains($0.name + ".bestand.mdto.xml") }
    }

    /// The rules that need the whole folder, after its last part; `relist` lists the folder again (only when a name
    /// may repeat another).
    mutating func finish(relist: () throws -> FolderListing, into findings: inout [Finding]) throws {
        for (rel, target) in orphans {
            findings.append(Finding(.orphanSidecar, path: rel, "Er is geen bestand \"\(target)\" waar dit bestand-MDTO bij hoort."))
        }
        for (rel, name) in bare {
            findings.append(Finding(.missingBestandSidecar, path: rel,
                "Het bestand heeft geen MDTO-beschrijving \"\(name).bestand.mdto.xml\" ernaast."))
        }
        if !self.rel.isEmpty {
            let name = self.rel.split(separator: "/").last.map(String.init) ?? self.rel
            if !sidecarNames.contains(name + ".mdto.xml") {
                findings.append(Finding(.missingFolderSidecar, path: self.rel,
                    "De map heeft geen eigen MDTO-bestand \"\(name).mdto.xml\" met het informatieobject dat zij vormt."))
            }
        }
        guard !repeated.isEmpty else { return }
        // The first name of each repeated key, in walk order.
        var wanted = Dictionary(repeated.map { ($0.key, "") }, uniquingKeysWith: { a, _ in a })
        var missing = wanted.count
        var listing = try relist()
        while missing > 0, let entry = try listing.next() {
            let rel = String(entry.path.dropFirst(payload.count))
            let key = Self.folded(Self.lastStep(rel))
            if wanted[key] == "" {
                wanted[key] = rel
                missing -= 1
            }
        }
        for (rel, key) in repeated {
            guard let other = wanted[key], other != rel, !other.isEmpty else { continue }
            findings.append(Finding(.name, path: rel, "De naam is niet uniek: \"\(other)\" verschilt alleen in hoofdletters."))
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

    /// The last step of a path (a path has no empty steps): the same name in ``add(_:kinds:into:)`` and when the
    /// folder is listed again in ``finish(relist:into:)``.
    static func lastStep(_ rel: String) -> String {
        rel.utf8.lastIndex(of: 0x2F).map { String(rel[rel.utf8.index(after: $0)...]) } ?? rel
    }

    /// Lowercase for the case-insensitive uniqueness test, cheap for ASCII names.
    static func folded(_ s: String) -> String {
        var bytes = Array(s.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return s.lowercased() }
        for i in bytes.indices where (0x41...0x5A).contains(bytes[i]) { bytes[i] += 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing

/// BagIt (RFC 8493): declaration, payload manifests (every payload file listed with the right digest, nothing
/// listed that is absent), Payload-Oxum, and tag manifests.
struct BagItCheck {
    let layout: Layout
    let tagEntries: [PackageEntry]
    /// Payload manifests by algorithm: path relative to the bag (`data/...`) → lowercase hex digest.
    private(set) var manifests: [HashAlgorithm: [String: String]] = [:]
    private var manifestFiles: [HashAlgorithm: String] = [:]
    private var bagInfo: [String: String] = [:]
    /// Manifest paths not (yet) seen in the payload.
    private var unseen: [HashAlgorithm: Set<String>]?
    static let tagLimit: Int64 = 512 << 20

    init(layout: Layout, tagEntries: [PackageEntry]) {
        self.layout = layout
        self.tagEntries = tagEntries
    }

    private func bagRelative(_ entry: PackageEntry) -> String { String(entry.path.dropFirst(layout.prefix.count)) }

    mutating func readTagFiles(store: any PackageStore, findings: inout [Finding]) throws {
        let reader = try store.makeReader()
        let byName = Dictionary(tagEntries.map { (bagRelative($0), $0) }, uniquingKeysWith: { a, _ in a })
        if let declaration = byName["bagit.txt"] {
            let text = String(decoding: try reader.readAll(declaration, limit: 1 << 16), as: UTF8.self)
            let fields = Self.fields(text)
            if fields["BagIt-Version"] == nil || fields["Tag-File-Character-Encoding"]?.uppercased() != "UTF-8" {
                findings.append(Finding(.bagitDeclaration, path: "bagit.txt",
                    "bagit.txt moet 'BagIt-Version' en 'Tag-File-Character-Encoding: UTF-8' bevatten."))
            }
        }
        if let info = byName["bag-info.txt"] {
            bagInfo = Self.fields(String(decoding: try reader.readAll(info, limit: 1 << 20), as: UTF8.self))
        }
        for (name, entry) in byName.sorted(by: { $0.key < $1.key }) where name.hasPrefix("manifest-") && name.hasSuffix(".txt") {
            let algorithmName = String(name.dropFirst("manifest-".count).dropLast(".txt".count))
            guard let algorithm = HashAlgorithm(spelling: algorithmName) else {
                findings.append(Finding(.bagitManifest, path: name,
                    "Manifest-algoritme \"\(algorithmName)\" wordt niet ondersteund (wel: sha224, sha256, sha384, sha512); "
                        + "dit manifest is niet gecontroleerd."))
                continue
            }
            let text = String(decoding: try reader.readAll(entry, limit: Self.tagLimit), as: UTF8.self)
            var map: [String: String] = [:]
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
                guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                    findings.append(Finding(.bagitManifest, path: name, line: number + 1, "Onleesbare regel in het manifest."))
                    continue
                }
                let digest = trimmed[..<space].lowercased()
                let path = Self.decode(String(trimmed[space...].drop { $0 == " " || $0 == "\t" }))
                map[path] = digest
            }
            manifests[algorithm] = map
            manifestFiles[algorithm] = name
        }
        if manifests.isEmpty && !byName.keys.contains(where: { $0.hasPrefix("manifest-") }) {
            findings.append(Finding(.bagitManifest, path: "bagit.txt",
                "De bag heeft geen payload-manifest (manifest-<algoritme>.txt)."))
        }
    }

    /// Findings for one payload file: digests that differ from, or are missing in, each manifest.
    static func compare(
        _ digests: [HashAlgorithm: String], path: String, rel: String, _ manifests: [HashAlgorithm: [String: String]]
    ) -> [Finding] {
        var findings: [Finding] = []
        for (algorithm, map) in manifests.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let name = "manifest-" + algorithm.rawValue.lowercased().replacingOccurrences(of: "-", with: "") + ".txt"
            guard let listed = map[path] else {
                findings.append(Finding(.bagitManifest, path: rel,
                    "Het bestand staat niet in \(name): het is toegevoegd na het maken van de bag."))
                continue
            }
            if let actual = digests[algorithm], actual != listed {
                findings.append(Finding(.bagitManifest, path: rel,
                    "De \(algorithm.rawValue)-hash is \(actual), maar \(name) noemt \(listed): het bestand is gewijzigd."))
            }
        }
        return findings
    }

    /// Notes that the payload file `path` (`data/...`) exists; what is never marked is missing from the bag.
    mutating func markPresent(_ path: String) {
        if unseen == nil { unseen = manifests.mapValues { Set($0.keys) } }
        for algorithm in manifests.keys { unseen?[algorithm]?.remove(path) }
    }

    func finish(store: any PackageStore, payloadBytes: Int64, payloadCount: Int, findings: inout [Finding]) throws {
        for (algorithm, map) in manifests.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let name = manifestFiles[algorithm] ?? "manifest"
            for path in (unseen?[algorithm] ?? Set(map.keys)).sorted() {
                let rel = path.hasPrefix("data/") ? String(path.dropFirst(5)) : path
                findings.append(Finding(.bagitManifest, path: rel,
                    "\(name) noemt dit bestand, maar het ontbreekt in de bag."))
            }
        }
        if let oxum = bagInfo["Payload-Oxum"] {
            let parts = oxum.split(separator: ".")
            if parts.count != 2 || Int64(parts[0]) != payloadBytes || Int(parts[1]) != payloadCount {
                findings.append(Finding(.bagitOxum, path: "bag-info.txt",
                    "Payload-Oxum is \(oxum), maar de payload is \(payloadBytes).\(payloadCount) (bytes.bestanden)."))
            }
        }
        // Tag manifests: digests of the tag files.
        let reader = try store.makeReader()
        let byName = Dictionary(tagEntries.map { (bagRelative($0), $0) }, uniquingKeysWith: { a, _ in a })
        for (name, entry) in byName.sorted(by: { $0.key < $1.key })
        where name.hasPrefix("tagmanifest-") && name.hasSuffix(".txt") {
            let algorithmName = String(name.dropFirst("tagmanifest-".count).dropLast(".txt".count))
            guard let algorithm = HashAlgorithm(spelling: algorithmName) else { continue }
            let text = String(decoding: try reader.readAll(entry, limit: 1 << 20), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
                guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { continue }
                let listed = trimmed[..<space].lowercased()
                let path = Self.decode(String(trimmed[space...].drop { $0 == " " || $0 == "\t" }))
                guard let tag = byName[path], tag.kind == .file else {
                    findings.append(Finding(.bagitTagManifest, path: path, "\(name) noemt dit tagbestand, maar het ontbreekt."))
                    continue
                }
                let data = try reader.readAll(tag, limit: Self.tagLimit)
                if Digest.hex(data, algorithm) != listed {
                    findings.append(Finding(.bagitTagManifest, path: path,
                        "De \(algorithm.rawValue)-hash van dit tagbestand klopt niet met \(name)."))
                }
            }
        }
    }

    private static func fields(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            if result[key] == nil { result[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return result
    }

    /// RFC 8493 §2.1.3: `%0A`, `%0D` and `%25` in manifest paths.
    private static func decode(_ path: String) -> String {
        guard path.contains("%") else { return path }
        return path.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r")
            .replacingOccurrences(of: "%25", with: "%")
    }
}

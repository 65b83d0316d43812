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

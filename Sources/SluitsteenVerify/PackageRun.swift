// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenXML

/// One file of the package with its path relative to the package root.
struct PackageItem: Sendable {
    let entry: PackageEntry
    let rel: String
    var name: Substring { rel.split(separator: "/").last ?? Substring(rel) }
    var parent: String {
        guard let slash = rel.lastIndex(of: "/") else { return "" }
        return String(rel[..<slash])
    }
}

/// Result of reading one MDTO file in a worker.
struct SidecarResult: Sendable {
    var summary = SidecarSummary()
    var findings: [Finding] = []
    var sha256 = ""
    var size: Int64 = 0
}

/// Result of reading one content file in a worker.
struct ContentResult: Sendable {
    var findings: [Finding] = []
    var sha256 = ""
    var size: Int64 = 0
}

/// The state of verifying one package: runs the phases and accumulates the report.
struct PackageRun {
    let store: any PackageStore
    let layout: Layout
    let schema: XMLSchema
    let options: VerifyOptions
    var report: VerificationReport

    init(store: any PackageStore, layout: Layout, schema: XMLSchema, options: VerifyOptions, subject: String) {
        self.store = store
        self.layout = layout
        self.schema = schema
        self.options = options
        let container = (layout.isBag ? "bagit-" : "") + store.kind
        self.report = VerificationReport(
            subject: subject, container: container, informatieobjecten: 0, bestanden: 0, contentFiles: 0,
            contentBytes: 0, checksRun: [], notes: [], findings: [])
    }

    mutating func execute() throws {
        var items: [PackageItem] = []
        var tagEntries: [PackageEntry] = []
        for entry in store.entries {
            if entry.path.hasPrefix(layout.payload) {
                items.append(PackageItem(entry: entry, rel: String(entry.path.dropFirst(layout.payload.count))))
            } else if layout.isBag, entry.path.hasPrefix(layout.prefix), entry.path != layout.prefix + "data" {
                tagEntries.append(entry)
            }
        }
        let files = items.filter { $0.entry.kind == .file }
        let pakbonItem = files.first { $0.rel == PackageVerifier.pakbonName }
        let sidecars = files.filter { $0.name.hasSuffix(".mdto.xml") }
        let contents = files.filter { $0.rel != PackageVerifier.pakbonName && !$0.name.hasSuffix(".mdto.xml") }

        // BagIt manifests first: they name the extra digests to compute while reading.
        var bag = BagItCheck(layout: layout, tagEntries: tagEntries)
        if layout.isBag { try bag.readTagFiles(store: store, findings: &report.findings) }
        let bagManifests = bag.manifests

        // Phase 1: every MDTO file, in parallel.
        let schema = self.schema
        let store = self.store
        let sidecarResults: [SidecarResult] = try parallelMap(
            count: sidecars.count, workers: options.workers, makeReader: { try store.makeReader() }
        ) { reader, i in
            let item = sidecars[i]
            var result = SidecarResult()
            do {
                if item.entry.size > PackageVerifier.sidecarLimit {
                    let hashed = try FileDigests.stream(reader, item.entry, [.sha256] + bagManifests.keys.sorted { $0.rawValue < $1.rawValue })
                    result.sha256 = hashed.digests[.sha256] ?? ""
                    result.size = hashed.size
                    result.findings.append(Finding(.xmlSafety, path: item.rel,
                        "Het XML-bestand is \(item.entry.size) bytes, groter dan de grens van \(PackageVerifier.sidecarLimit) bytes."))
                    result.findings += BagItCheck.compare(hashed.digests, path: "data/" + item.rel, rel: item.rel, bagManifests)
                    return result
                }
                let data = try reader.readAll(item.entry, limit: PackageVerifier.sidecarLimit)
                result.size = Int64(data.count)
                result.sha256 = Digest.hex(data, .sha256)
                var digests: [HashAlgorithm: String] = [.sha256: result.sha256]
                for algorithm in bagManifests.keys where algorithm != .sha256 {
                    digests[algorithm] = Digest.hex(data, algorithm)
                }
                result.findings += BagItCheck.compare(digests, path: "data/" + item.rel, rel: item.rel, bagManifests)
                let (summary, findings) = SidecarAnalysis.analyse(data, path: item.rel, schema: schema)
                result.summary = summary
                result.findings += findings
            } catch {
                result.findings.append(Finding(VerifyError.unreadableCheck, path: item.rel,
                    "Het bestand kan niet worden gelezen: \(error)"))
            }
            return result
        }
        var sidecarIndex: [String: Int] = [:]
        for (i, item) in sidecars.enumerated() { sidecarIndex[item.rel] = i }

        // Phase 2: every content file, in parallel: size, checksums named in its sidecar, bag digests.
        let summaries = sidecarResults.map(\.summary)
        let frozenIndex = sidecarIndex
        let contentResults: [ContentResult] = try parallelMap(
            count: contents.count, workers: options.workers, makeReader: { try store.makeReader() }
        ) { reader, i in
            let item = contents[i]
            var result = ContentResult()
            let sidecar = frozenIndex[item.rel + ".bestand.mdto.xml"].map { summaries[$0] }
            let named = sidecar?.checksums.map(\.algorithm) ?? []
            let algorithms = Array(Set([HashAlgorithm.sha256] + named + bagManifests.keys)).sorted { $0.rawValue < $1.rawValue }
            do {
                let hashed = try FileDigests.stream(reader, item.entry, algorithms)
                result.sha256 = hashed.digests[.sha256] ?? ""
                result.size = hashed.size
                result.findings += BagItCheck.compare(hashed.digests, path: "data/" + item.rel, rel: item.rel, bagManifests)
                if let sidecar, sidecar.kind == .bestand {
                    let sidecarPath = item.rel + ".bestand.mdto.xml"
                    if let omvang = sidecar.omvang, omvang >= 0, omvang != hashed.size {
                        result.findings.append(Finding(.omvang, path: sidecarPath, line: sidecar.omvangLine,
                            "omvang is \(omvang), maar \(item.name) is \(hashed.size) bytes groot."))
                    }
                    for checksum in sidecar.checksums {
                        let actual = hashed.digests[checksum.algorithm] ?? ""
                        if actual != checksum.value {
                            result.findings.append(Finding(.checksum, path: sidecarPath, line: checksum.line,
                                "De \(checksum.algorithm.rawValue)-checksum van \(item.name) is \(actual), "
                                    + "niet \(checksum.value) zoals vermeld: het bestand is gewijzigd of beschadigd."))
                        }
                    }
                }
            } catch {
                result.findings.append(Finding(VerifyError.unreadableCheck, path: item.rel,
                    "Het bestand kan niet worden gelezen: \(error)"))
            }
            return result
        }

        // Collect.
        for result in sidecarResults {
            report.findings += result.findings
            PackageVerifier.count(result.summary, into: &report)
        }
        for result in contentResults {
            report.findings += result.findings
            report.contentFiles += 1
            report.contentBytes += result.size
        }

        // Pakbon (read on this thread; small).
        var pakbon: PakbonCheck?
        if let pakbonItem {
            let reader = try store.makeReader()
            let data = try reader.readAll(pakbonItem.entry, limit: PackageVerifier.sidecarLimit)
            var digests: [HashAlgorithm: String] = [:]
            for algorithm in bagManifests.keys { digests[algorithm] = Digest.hex(data, algorithm) }
            report.findings += BagItCheck.compare(digests, path: "data/" + pakbonItem.rel, rel: pakbonItem.rel, bagManifests)
            pakbon = try PakbonCheck(data: data, options: options, findings: &report.findings)
        } else {
            report.notes.append("Het pakket heeft geen pakbon.xml; aantallen en pakkethash zijn niet gecontroleerd.")
        }

        // Package-wide checks.
        var structure = StructureCheck(items: items, sidecars: sidecars, summaries: summaries, doel: pakbon?.doel)
        structure.run(into: &report.findings)
        let unreadable = summaries.filter { $0.kind == .unknown }.count
        if unreadable > 0 {
            report.notes.append("\(unreadable) MDTO-bestand(en) konden niet worden gelezen; verwijzingen naar objecten "
                + "die daarin beschreven zouden zijn, zijn niet als ontbrekend gemeld.")
        }
        if let pakbon {
            // `sidecars` and `contents` are both in path order: merge them back into path order.
            var lines = StreamingHasher(.sha256)
            var s = 0, c = 0
            while s < sidecars.count || c < contents.count {
                let takeSidecar = c == contents.count
                    || (s < sidecars.count && sidecars[s].entry.path.utf8.lexicographicallyPrecedes(contents[c].entry.path.utf8))
                let (digest, rel) = takeSidecar
                    ? (sidecarResults[s].sha256, sidecars[s].rel) : (contentResults[c].sha256, contents[c].rel)
                if takeSidecar { s += 1 } else { c += 1 }
                lines.update(Array("\(digest)  \(rel)\n".utf8))
            }
            // The pakbon counts MDTO files by name (Schemas/README.md), so an unreadable file still counts.
            let bestandFiles = sidecars.filter { $0.name.hasSuffix(".bestand.mdto.xml") }.count
            pakbon.compare(
                packageHash: lines.finalizeHex(), informatieobjecten: sidecars.count - bestandFiles,
                bestanden: bestandFiles, contentFiles: report.contentFiles, contentBytes: report.contentBytes,
                into: &report.findings)
        }
        if layout.isBag {
            let payloadFiles = files.map { (path: "data/" + $0.rel, size: $0.entry.size) }
            try bag.finish(store: store, payloadFiles: payloadFiles, findings: &report.findings)
        }
        if options.requireWaarderingB {
            for (i, item) in sidecars.enumerated() {
                PackageVerifier.policy(summaries[i], path: item.rel, into: &report.findings)
            }
        }

        // Checks that ran.
        var run: [CheckID] = [
            .xmlSafety, .xmlWellFormed, .schema, .emptyValue, .omvang, .checksum, .checksumAlgorithm, .checksumDatum,
            .waardering, .bewaartermijn, .bewaartermijnEinddatum, .dekkingInTijd, .identificatieUnique,
            .begrippenlijst, .missingBestandSidecar, .missingFolderSidecar, .orphanSidecar, .sidecarKind,
            .representatie, .onderdeel, .oneParent, .name, .pathLength, .fileType,
        ]
        if pakbon != nil { run += [.pakbonSchema, .pakbonCounts, .pakbonOmvang, .pakbonHash] }
        if layout.isBag { run += [.bagitDeclaration, .bagitManifest, .bagitOxum, .bagitTagManifest] }
        if options.requireWaarderingB { run.append(.policyWaardering) }
        report.checksRun = run.sorted()
        report.findings.sort()
    }
}

/// Streams a file once per pair of algorithms and returns its digests and the number of bytes read.
enum FileDigests {
    static func stream(_ reader: any EntryReader, _ entry: PackageEntry, _ algorithms: [HashAlgorithm]) throws
        -> (digests: [HashAlgorithm: String], size: Int64)
    {
        var digests: [HashAlgorithm: String] = [:]
        var size: Int64 = 0
        var remaining = algorithms
        if remaining.isEmpty { remaining = [.sha256] }
        while !remaining.isEmpty {
            let first = remaining.removeFirst()
            let second = remaining.isEmpty ? nil : remaining.removeFirst()
            var a = StreamingHasher(first)
            var b: StreamingHasher? = second.map { StreamingHasher($0) }
            var n: Int64 = 0
            try reader.read(entry) { bytes in
                a.update(bytes)
                if b != nil { b!.update(bytes) }
                n += Int64(bytes.count)
            }
            digests[first] = a.finalizeHex()
            if let second, let hasher = b.take() { digests[second] = hasher.finalizeHex() }
            size = n
        }
        return (digests, size)
    }
}

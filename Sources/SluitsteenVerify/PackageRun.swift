// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenSupport
import SluitsteenXML

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

/// The state of verifying one package: walks it folder by folder (a wide folder in parts), checks each batch of
/// folders in parallel and keeps between batches only counters, the running package hash, the compact
/// ``RelationIndex`` and the ``FolderChecks`` of the folders on the current path that come in parts.
///
/// Memory bound (issue 17): besides a fixed part (the schemas, one batch of ``batchFiles`` files, the sort buffer of
/// ``MemberTable``: some 50-65 MB), what grows with the number of messages is small: while walking, one byte per
/// MDTO file in the ``RelationIndex`` (its identifications, names and references go to disk, as do the references of
/// a streamed dossier that lists every message, ``ReferenceList``) and a 64-bit hash per name of a folder of message
/// folders in ``FolderChecks``; while the relations are judged, first the identifications (16 bytes each, sorted),
/// then the resolved references (8 bytes each). Measured on exported tars: 66 MB at 40,000 messages, 67 MB at
/// 100,000, 85 MB at 300,000 (some 90 bytes per message). No path is kept per file. A BagIt bag also keeps its
/// payload manifests in memory (one path and digest per file).
struct PackageRun {
    let store: any PackageStore
    let layout: Layout
    let schema: XMLSchema
    let options: VerifyOptions
    var report: VerificationReport

    /// Batches are cut after this many files (bounds the memory of one batch).
    static let batchFiles = 1024

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

    /// Everything accumulated across batches.
    private struct Totals {
        var relations: RelationIndex
        var sidecarFiles = 0
        var bestandFiles = 0
        var payloadFiles = 0
        var payloadBytes: Int64 = 0
        /// The structure checks of folders that come in parts, until their last part.
        var folderChecks: [String: FolderChecks] = [:]
        let seed = Int.random(in: Int.min...Int.max)
    }

    mutating func execute() throws {
        let pool = try ReaderPool(store: store, workers: options.workers)
        let base = layout.payloadFolder

        // BagIt manifests first: they name the extra digests to compute while reading.
        var bag = BagItCheck(layout: layout, tagEntries: layout.isBag ? try tagEntries() : [])
        if layout.isBag { try bag.readTagFiles(store: store, findings: &report.findings) }

        // Members of a tar or zip that could not be placed in the package tree.
        for problem in store.problems {
            report.findings.append(Finding(.memberName, path: problem.name,
                "Dit item van de \(store.kind) is niet gecontroleerd: \(problem.reason)."))
        }

        // The pakbon first (small): its doel is needed to judge isOnderdeelVan. An e-depot needs it.
        var pakbon: PakbonCheck?
        let pakbonPath = layout.payload + PackageVerifier.pakbonName
        let pakbonEntry = try store.children(of: base).first { $0.path == pakbonPath }
        if let entry = pakbonEntry, entry.kind == .file {
            do {
                let data = try pool.readers[0].readAll(entry, limit: PackageVerifier.sidecarLimit)
                var digests: [HashAlgorithm: String] = [:]
                for algorithm in bag.manifests.keys { digests[algorithm] = Digest.hex(data, algorithm) }
                report.findings += BagItCheck.compare(digests, path: "data/" + PackageVerifier.pakbonName,
                    rel: PackageVerifier.pakbonName, bag.manifests)
                pakbon = try PakbonCheck(data: data, options: options, findings: &report.findings)
                if pakbon?.isDemo == true { report.notes.insert(PackageVerifier.demoNote, at: 0) }
            } catch let error as VerifyError {
                throw error
            } catch {
                report.findings.append(Finding(VerifyError.unreadableCheck, path: PackageVerifier.pakbonName,
                    "De pakbon kan niet worden gelezen: \(error)"))
            }
        } else {
            let what: String?
            switch pakbonEntry?.kind {
            case .directory?: what = "map"
            case .other(let kind)?: what = kind
            default: what = nil
            }
            report.findings.append(Finding(.pakbonPresent, path: PackageVerifier.pakbonName,
                (what.map { "pakbon.xml is een \($0), geen gewoon bestand" } ?? "Het pakket heeft geen pakbon.xml")
                    + "; aantallen en pakkethash zijn niet gecontroleerd. Een e-depot neemt geen pakket zonder pakbon aan."))
        }

        var totals = Totals(relations: RelationIndex(keys: RelationKeys(doel: pakbon?.doel)))
        var hashOrder = PackageHashOrder()
        var walk = FolderWalk(store: store, base: base, partSize: options.partSize)
        var batch: [FolderJob] = []
        var files = 0
        while let job = try walk.next() {
            files += job.entries.count(where: { $0.kind == .file })
            batch.append(job)
            if files >= Self.batchFiles {
                try process(batch, pool: pool, bag: &bag, totals: &totals, hashOrder: &hashOrder)
                batch.removeAll(keepingCapacity: true)
                files = 0
            }
        }
        if !batch.isEmpty { try process(batch, pool: pool, bag: &bag, totals: &totals, hashOrder: &hashOrder) }
        let packageHash = hashOrder.finish()
        report.packageHash = packageHash
        if let expected = options.expectedHash {
            report.expectedHash = expected
            if expected.lowercased() != packageHash {
                report.findings.append(Finding(.expectedHash, path: "", "De berekende pakkethash is \(packageHash), verwacht was "
                    + "\(expected.lowercased()): dit is niet het pakket dat het exportverslag noemt, of het is sindsdien gewijzigd."))
            }
        }

        // Package-wide checks.
        if totals.relations.unreadable > 0 {
            report.notes.append("\(totals.relations.unreadable) MDTO-bestand(en) konden niet worden gelezen; verwijzingen naar objecten "
                + "die daarin beschreven zouden zijn, zijn niet als ontbrekend gemeld.")
        }
        let snapshot = self
        var relationFindings: [Finding] = []
        try totals.relations.finish(into: &relationFindings) { wanted in
            try snapshot.lookup(wanted, pool: pool)
        }
        report.findings += relationFindings
        if let pakbon {
            report.packageId = pakbon.identificatie
            report.archiefvormer = pakbon.archiefvormer
            report.packageCreatedAt = pakbon.aangemaaktOp
            // The pakbon counts MDTO files by name (Schemas/README.md), so an unreadable file still counts.
            pakbon.compare(
                packageHash: packageHash,
                informatieobjecten: totals.sidecarFiles - totals.bestandFiles, bestanden: totals.bestandFiles,
                contentFiles: report.contentFiles, contentBytes: report.contentBytes, into: &report.findings)
        }
        if layout.isBag {
            try bag.finish(store: store, payloadBytes: totals.payloadBytes, payloadCount: totals.payloadFiles,
                findings: &report.findings)
        }

        // Checks that ran.
        var run: [CheckID] = [
            .xmlSafety, .xmlWellFormed, .schema, .emptyValue, .omvang, .checksum, .checksumAlgorithm, .checksumDatum,
            .waardering, .bewaartermijn, .bewaartermijnEinddatum, .dekkingInTijd, .identificatieUnique,
            .begrippenlijst, .missingBestandSidecar, .missingFolderSidecar, .orphanSidecar, .sidecarKind,
            .representatie, .onderdeel, .oneParent, .name, .pathLength, .fileType, .rendition,
        ]
        run.append(.pakbonPresent)
        if pakbon != nil { run += [.pakbonSchema, .pakbonCounts, .pakbonOmvang, .pakbonHash] }
        if store.kind != "folder" { run.append(.memberName) }
        if layout.isBag { run += [.bagitDeclaration, .bagitManifest, .bagitOxum, .bagitTagManifest] }
        if options.requireWaarderingB { run.append(.policyWaardering) }
        if options.expectedHash != nil { run.append(.expectedHash) }
        report.checksRun = run.sorted()
        report.findings.sort()
    }

    /// Files of the bag outside `data/` (tag files), at any depth.
    private func tagEntries() throws -> [PackageEntry] {
        var found: [PackageEntry] = []
        var folders = [String(layout.prefix.dropLast(layout.prefix.isEmpty ? 0 : 1))]
        while let folder = folders.popLast() {
            for entry in try store.children(of: folder) where entry.path != layout.prefix + "data" {
                if entry.kind == .directory { folders.append(entry.path) } else { found.append(entry) }
            }
        }
        return found
    }

    private func rel(_ entry: PackageEntry) -> String { String(entry.path.dropFirst(layout.payload.count)) }

    private static func name(_ entry: PackageEntry) -> Substring {
        guard let slash = entry.path.utf8.lastIndex(of: 0x2F) else { return Substring(entry.path) }
        return entry.path[entry.path.utf8.index(after: slash)...]
    }

    private func isPakbon(_ entry: PackageEntry) -> Bool { entry.path == layout.payload + PackageVerifier.pakbonName }

    /// Checks one batch of folders: every MDTO file, then every content file, in parallel; then folds the
    /// results into the report in walk order.
    private mutating func process(
        _ batch: [FolderJob], pool: ReaderPool, bag: inout BagItCheck, totals: inout Totals,
        hashOrder: inout PackageHashOrder
    ) throws {
        var sidecars: [PackageEntry] = []
        var contents: [PackageEntry] = []
        for job in batch {
            for entry in job.entries where entry.kind == .file && !isPakbon(entry) {
                if Self.name(entry).hasSuffix(".mdto.xml") { sidecars.append(entry) } else { contents.append(entry) }
            }
        }
        let bagManifests = bag.manifests
        let schema = self.schema
        let payloadPrefix = layout.payload.count
        let treeLimit = options.treeLimit
        let keys = totals.relations.keys
        let frozenSidecars = sidecars
        let sidecarResults: [SidecarResult] = parallelMap(count: sidecars.count, workers: pool.readers) { reader, i in
            let entry = frozenSidecars[i]
            let rel = String(entry.path.dropFirst(payloadPrefix))
            var result = SidecarResult()
            do {
                if entry.size > treeLimit {
                    let algorithms = [HashAlgorithm.sha256] + bagManifests.keys.filter { $0 != .sha256 }.sorted { $0.rawValue < $1.rawValue }
                    let streamed = try SidecarStream.analyse(entry, reader: reader, path: rel, schema: schema,
                        algorithms: algorithms, keys: keys)
                    result.sha256 = streamed.digests[.sha256] ?? ""
                    result.size = streamed.size
                    result.findings += BagItCheck.compare(streamed.digests, path: "data/" + rel, rel: rel, bagManifests)
                    result.summary = streamed.summary
                    result.findings += streamed.findings
                    return result
                }
                let data = try reader.readAll(entry, limit: treeLimit)
                result.size = Int64(data.count)
                result.sha256 = Digest.hex(data, .sha256)
                var digests: [HashAlgorithm: String] = [.sha256: result.sha256]
                for algorithm in bagManifests.keys where algorithm != .sha256 {
                    digests[algorithm] = Digest.hex(data, algorithm)
                }
                result.findings += BagItCheck.compare(digests, path: "data/" + rel, rel: rel, bagManifests)
                let (summary, findings) = SidecarAnalysis.analyse(data, path: rel, schema: schema, keys: keys)
                result.summary = summary
                result.findings += findings
            } catch {
                result.findings.append(Finding(VerifyError.unreadableCheck, path: rel,
                    "Het bestand kan niet worden gelezen: \(error)"))
            }
            return result
        }
        var sidecarIndex: [String: Int] = [:]
        for (i, entry) in sidecars.enumerated() { sidecarIndex[entry.path] = i }

        // Every content file: size, checksums named in its sidecar, bag digests.
        let frozenIndex = sidecarIndex
        let frozenContents = contents
        var contentResults: [ContentResult] = parallelMap(count: contents.count, workers: pool.readers) { reader, i in
            let entry = frozenContents[i]
            let rel = String(entry.path.dropFirst(payloadPrefix))
            let name = rel.split(separator: "/").last.map(String.init) ?? rel
            var result = ContentResult()
            let sidecar = frozenIndex[entry.path + ".bestand.mdto.xml"].map { sidecarResults[$0].summary }
            let named = sidecar?.checksums.map(\.algorithm) ?? []
            let algorithms = Array(Set([HashAlgorithm.sha256] + named + bagManifests.keys)).sorted { $0.rawValue < $1.rawValue }
            do {
                let hashed = try FileDigests.stream(reader, entry, algorithms)
                result.sha256 = hashed.digests[.sha256] ?? ""
                result.size = hashed.size
                result.findings += BagItCheck.compare(hashed.digests, path: "data/" + rel, rel: rel, bagManifests)
                if let sidecar, sidecar.kind == .bestand {
                    let sidecarPath = rel + ".bestand.mdto.xml"
                    if let omvang = sidecar.omvang, omvang >= 0, omvang != hashed.size {
                        result.findings.append(Finding(.omvang, path: sidecarPath, line: sidecar.omvangLine,
                            "omvang is \(omvang), maar \(name) is \(hashed.size) bytes groot."))
                    }
                    for checksum in sidecar.checksums {
                        let actual = hashed.digests[checksum.algorithm] ?? ""
                        if actual != checksum.value {
                            result.findings.append(Finding(.checksum, path: sidecarPath, line: checksum.line,
                                "De \(checksum.algorithm.rawValue)-checksum van \(name) is \(actual), "
                                    + "niet \(checksum.value) zoals vermeld: het bestand is gewijzigd of beschadigd."))
                        }
                    }
                }
            } catch {
                result.findings.append(Finding(VerifyError.unreadableCheck, path: rel,
                    "Het bestand kan niet worden gelezen: \(error)"))
            }
            return result
        }
        var contentIndex: [String: Int] = [:]
        for (i, entry) in contents.enumerated() { contentIndex[entry.path] = i }
        for (i, entry) in contents.enumerated() where Self.name(entry) == RenditionCheck.fileName {
            let folder = entry.path.utf8.lastIndex(of: 0x2F).map { String(entry.path[..<$0]) } ?? ""
            contentResults[i].findings += RenditionCheck.run(entry, rel: rel(entry), reader: pool.readers[0],
                siblings: try fileNames(of: folder, batch: batch))
        }

        // The structure rules of each folder that is whole in this batch, in parallel as well; those of a folder
        // that comes in parts, part by part in walk order below.
        let payload = layout.payload
        let seed = totals.seed
        let store = self.store
        @Sendable func kinds(_ job: FolderJob) -> [String: SidecarSummary.Kind] {
            var kinds: [String: SidecarSummary.Kind] = [:]
            for entry in job.entries {
                if let i = frozenIndex[entry.path] { kinds[entry.path] = sidecarResults[i].summary.kind }
            }
            return kinds
        }
        let folderFindings: [Result<[Finding], any Error>] = parallelMap(count: batch.count, workers: pool.readers) { _, j in
            let job = batch[j]
            if job.tooDeep {
                return .success([Finding(.pathLength, path: job.rel,
                    "De map ligt meer dan \(PackageStores.maxDepth) niveaus diep; wat erin staat is niet gecontroleerd.")])
            }
            guard !job.continued && !job.more else { return .success([]) }
            return Result {
                var findings: [Finding] = []
                var checks = FolderChecks(job, payload: payload, seed: seed)
                checks.add(job.entries, kinds: kinds(job), into: &findings)
                try checks.finish(relist: { try store.listing(of: job.folder) }, into: &findings)
                return findings
            }
        }

        // Fold into the report in walk order.
        for (j, job) in batch.enumerated() {
            report.findings += try folderFindings[j].get()
            if !job.tooDeep && (job.continued || job.more) {
                var checks = (job.continued ? totals.folderChecks.removeValue(forKey: job.folder) : nil)
                    ?? FolderChecks(job, payload: payload, seed: seed)
                checks.add(job.entries, kinds: kinds(job), into: &report.findings)
                if job.more {
                    totals.folderChecks[job.folder] = checks
                } else {
                    try checks.finish(relist: { try store.listing(of: job.folder) }, into: &report.findings)
                }
            }
            var slots: [PackageHashOrder.Slot] = []
            slots.reserveCapacity(job.entries.count)
            for entry in job.entries {
                guard entry.kind == .file else {
                    slots.append(entry.kind == .directory ? .folder : .skip)
                    continue
                }
                totals.payloadFiles += 1
                totals.payloadBytes += entry.size
                if layout.isBag { bag.markPresent("data/" + rel(entry)) }
                if isPakbon(entry) { slots.append(.skip); continue }
                if let i = sidecarIndex[entry.path] {
                    let result = sidecarResults[i]
                    let path = rel(entry)
                    report.findings += result.findings
                    PackageVerifier.count(result.summary, into: &report)
                    totals.sidecarFiles += 1
                    if Self.name(entry).hasSuffix(".bestand.mdto.xml") { totals.bestandFiles += 1 }
                    try totals.relations.add(result.summary, path: path, into: &report.findings)
                    if options.requireWaarderingB { PackageVerifier.policy(result.summary, path: path, into: &report.findings) }
                    slots.append(.file(result.sha256, path))
                } else if let i = contentIndex[entry.path] {
                    let result = contentResults[i]
                    report.findings += result.findings
                    report.contentFiles += 1
                    report.contentBytes += result.size
                    slots.append(.file(result.sha256, rel(entry)))
                }
            }
            if job.more { slots.append(.more) }
            if job.continued { hashOrder.resume(slots) } else { hashOrder.enter(slots) }
        }
    }

    /// The names of the files of `folder`: from its listing in `batch` when that is whole, else listed again.
    private func fileNames(of folder: String, batch: [FolderJob]) throws -> Set<String> {
        var names = Set<String>()
        func add(_ entry: PackageEntry) {
            if entry.kind == .file { names.insert(String(Self.name(entry))) }
        }
        if let job = batch.first(where: { $0.folder == folder }), !job.continued, !job.more {
            job.entries.forEach(add)
        } else {
            var listing = try store.listing(of: folder)
            while let entry = try listing.next() { add(entry) }
        }
        return names
    }

    /// Paths and (re-read) summaries of the MDTO files with the given ordinals, found by walking the package
    /// again in the same order; used only to word findings that name other files.
    private func lookup(_ wanted: RelationIndex.Wanted, pool: ReaderPool) throws -> RelationIndex.Lookup {
        var lookup = RelationIndex.Lookup()
        guard !wanted.paths.isEmpty || !wanted.summaries.isEmpty else { return lookup }
        var walk = FolderWalk(store: store, base: layout.payloadFolder, partSize: options.partSize)
        var ordinal: UInt32 = 0
        let keys = RelationKeys(doel: nil)
        while let job = try walk.next() {
            for entry in job.entries where entry.kind == .file && !isPakbon(entry) && Self.name(entry).hasSuffix(".mdto.xml") {
                defer { ordinal += 1 }
                let path = rel(entry)
                if wanted.paths.contains(ordinal) { lookup.paths[ordinal] = path }
                guard wanted.summaries.contains(ordinal) else { continue }
                let describe = wanted.described[ordinal] ?? []
                if entry.size > options.treeLimit {
                    lookup.summaries[ordinal] = try? SidecarStream.analyse(entry, reader: pool.readers[0], path: path,
                        schema: schema, algorithms: [], keys: keys, describe: describe).summary
                } else if let data = try? pool.readers[0].readAll(entry, limit: options.treeLimit) {
                    lookup.summaries[ordinal] = SidecarAnalysis.analyse(data, path: path, schema: schema, keys: keys,
                        describe: describe).0
                }
            }
        }
        return lookup
    }
}

/// Feeds the package hash (Schemas/README.md) in the byte order of full paths while folders arrive depth first:
/// each folder's slots are consumed in order, pausing at a subfolder until that subfolder's own slots arrive.
struct PackageHashOrder: ~Copyable {
    /// `more` ends a part of a folder whose next part follows (``resume(_:)``).
    enum Slot { case file(String, String), folder, skip, more }
    private var stack: [(slots: [Slot], next: Int)] = []
    private var hasher = StreamingHasher(.sha256)

    init() {}

    /// The slots of the next folder in walk order.
    mutating func enter(_ slots: [Slot]) {
        stack.append((slots, 0))
        drain()
    }

    /// The slots of the next part of the folder on top (whose subfolders so far have been entered and finished).
    mutating func resume(_ slots: [Slot]) {
        if let top = stack.indices.last {
            stack[top] = (slots, 0)
        } else {
            stack.append((slots, 0))
        }
        drain()
    }

    /// Consumes what remains (subfolders that were never listed count as empty) and returns the package hash.
    consuming func finish() -> String {
        while !stack.isEmpty { drain(final: true) }
        return hasher.finalizeHex()
    }

    private mutating func drain(final: Bool = false) {
        while let top = stack.indices.last {
            while stack[top].next < stack[top].slots.count {
                let slot = stack[top].slots[stack[top].next]
                if case .more = slot, !final { return }
                stack[top].next += 1
                switch slot {
                case .file(let digest, let rel): hasher.update(Array("\(digest)  \(rel)\n".utf8))
                case .folder: return
                case .skip, .more: break
                }
            }
            stack.removeLast()
        }
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

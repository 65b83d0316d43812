// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport
import SluitsteenXML
#if canImport(Glibc)
import Glibc
#endif

/// Builds an MDTO transfer package (NA SIP layout with sidecars, pakbon, optional BagIt, folder/tar/zip) from
/// the copies the retention decisions make transferable, and records it in the catalog.
///
/// Layout (package root = the folder holding `pakbon.xml`; with `--bagit` the bag's `data/`):
/// `<serie>/<serie>.mdto.xml`, `<serie>/<dossier>/<dossier>.mdto.xml`, and per message
/// `<serie>/<dossier>/<msg>/{<msg>.eml, <msg>.eml.bestand.mdto.xml, <msg>.mdto.xml}` (plus extracted attachments
/// and their bestand sidecars). Series are the top-level objects: each is `isOnderdeelVan` the e-depot's
/// aggregation named in the policy (`[edepot] aggregation-id`), which the pakbon names as its `doel`; the
/// Archief level itself lives in the e-depot, so successive transfers add series to the same archive.
///
/// Everything is built in a temporary folder next to `--out` and renamed into place only after every sidecar
/// and the pakbon have been validated against their XSDs; on any failure nothing appears at `--out`.
public struct PackageExporter: Sendable {
    public let workspace: Workspace
    /// The export's moment: pakbon creation time, checksum dates, catalog and audit records.
    public let now: Date

    /// Messages processed per parallel batch.
    static let batchSize = 256
    public static let pakbonSchemaName = "sluitsteen-pakbon-1.0.xsd"
    public static let pakbonNamespace = "https://sluitsteen.eu/ns/pakbon/1.0"

    public init(workspace: Workspace, now: Date) {
        self.workspace = workspace
        self.now = now
    }

    /// Runs the export. `progress` is called after every batch with (messages done, copies selected).
    public func run(_ request: ExportRequest, policy: Policy,
                    progress: ((Int, Int) -> Void)? = nil) throws(ExportError) -> ExportSummary {
        let started = Date()
        let out = request.out.standardizedFileURL
        let fm = FileManager.default
        if fm.fileExists(atPath: out.path) || (try? fm.destinationOfSymbolicLink(atPath: out.path)) != nil {
            throw .outExists(out.path)
        }
        let parent = out.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDir), isDir.boolValue else {
            throw .cannotWrite(out.path, reason: "the folder \(parent.path) does not exist")
        }
        let mdtoSchema: XMLSchema
        let pakbonSchema: XMLSchema
        do { mdtoSchema = try MDTOSchema.load(path: request.mdtoSchema) } catch { throw .schemaUnreadable(error) }
        do throws(XMLError) {
            if let url = request.pakbonSchema { pakbonSchema = try XMLSchema(contentsOf: url) } else { pakbonSchema = try PakbonSchema.builtIn() }
        } catch { throw .schemaUnreadable(error) }
        // What a killed export left next to its --out (a hidden, half-built package holding mail) goes first.
        Self.removeLeftovers(of: workspace)
        let temp = parent.appendingPathComponent(".\(out.lastPathComponent)\(Self.tempMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let registration: URL
        do {
            registration = try Self.register(temp, in: workspace)
            try PackageFiles.makeDirectory(temp)
        } catch {
            throw .cannotWrite(out.path, reason: "cannot create a working folder next to it (\(error))")
        }
        var renamed = false
        defer {
            if !renamed { PackageFiles.remove(temp) }
            unlink(registration.path)
        }
        let build = Build(exporter: self, request: request, policy: policy, out: out, temp: temp,
                          mdtoSchema: mdtoSchema, pakbonSchema: pakbonSchema, progress: progress)
        var summary = try build.run { renamed = true }
        PackageFiles.remove(temp)
        summary.elapsed = Date().timeIntervalSince(started)
        return summary
    }
}

extension PackageExporter {
    /// The part of a working folder's name that marks it as Sluitsteen's (`.NAME.sluitsteen-tmp-PID-RANDOM`).
    static let tempMarker = ".sluitsteen-tmp-"

    /// Records where an export builds its package (in the workspace's scratch folder, one file per run, named by the
    /// process), so that a killed export's hidden working folder — which holds mail — is found and removed later.
    static func register(_ temp: URL, in workspace: Workspace) throws -> URL {
        let folder = try workspace.scratchFolder(named: "exports")
        let file = folder.appendingPathComponent("\(getpid())-\(UUID().uuidString).path")
        try Data(temp.path.utf8).write(to: file)
        return file
    }

    /// Removes the working folders of exports whose process is gone, and their registrations.
    static func removeLeftovers(of workspace: Workspace) {
        let folder = workspace.scratchDirectory.appendingPathComponent("exports", isDirectory: true)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasSuffix(".path") {
            guard let pid = Int32(name.prefix(while: { $0 != "-" })), pid != getpid() else { continue }
            // A process that still runs (this pid, possibly reused) keeps its folder; only a gone one's is removed.
            if kill(pid, 0) == 0 || errno != ESRCH { continue }
            let file = folder.appendingPathComponent(name)
            if let path = try? String(contentsOf: file, encoding: .utf8), URL(fileURLWithPath: path).lastPathComponent.contains(tempMarker) {
                PackageFiles.remove(URL(fileURLWithPath: path))
            }
            unlink(file.path)
        }
    }
}

/// One export run: state and steps.
private final class Build {
    let exporter: PackageExporter
    let request: ExportRequest
    let policy: Policy
    let out: URL
    let temp: URL
    let mdtoSchema: XMLSchema
    let pakbonSchema: XMLSchema
    let progress: ((Int, Int) -> Void)?
    let context: SidecarContext
    /// The folder that becomes `--out` (folder container) or is packed into it.
    let top: URL
    /// The package root (holds pakbon.xml).
    let root: URL
    var workspace: Workspace { exporter.workspace }

    init(exporter: PackageExporter, request: ExportRequest, policy: Policy, out: URL, temp: URL, mdtoSchema: XMLSchema,
         pakbonSchema: XMLSchema, progress: ((Int, Int) -> Void)?) {
        self.exporter = exporter
        self.request = request
        self.policy = policy
        self.out = out
        self.temp = temp
        self.mdtoSchema = mdtoSchema
        self.pakbonSchema = pakbonSchema
        self.progress = progress
        let archiefvormer = policy.archiefvormer.name
        context = SidecarContext(
            archiefvormer: archiefvormer, tooi: policy.archiefvormer.tooi, bron: "Sluitsteen, \(archiefvormer)",
            beperking: policy.mdto.beperkingGebruik, checksumDatum: ISOTimestamp.format(exporter.now),
            doel: ObjectRef(naam: "E-mailarchief \(archiefvormer)",
                            id: ObjectId(kenmerk: policy.eDepot.aggregationId, bron: policy.eDepot.contact)))
        top = temp.appendingPathComponent(request.bagit ? "bag" : "package", isDirectory: true)
        root = request.bagit ? top.appendingPathComponent("data", isDirectory: true) : top
    }

    // Counters.
    var copies = 0
    var messages = 0
    var held = 0
    /// Messages left out (their metadata could not be made valid): SHA-256s, and one report line each.
    private var leftOutShas: Set<String> = []
    private var leftOut: [String] = []
    /// The first such failure, reported when no message at all could be exported.
    private var firstLeftOutError: ExportError?

    private struct Dossier {
        let key: String
        let serie: SerieSpec
        let mailbox: String
        let folder: String
        let ref: ObjectRef
        /// Its messages and its references to copies filed elsewhere, in files: they grow with the mailbox.
        let children: RefSpool
        let references: RefSpool
        var referenced: Set<String> = []
    }
    private var dossier: Dossier?
    private var serieChildren: [String: [ObjectRef]] = [:]
    private var coverage: (dossiers: [String: (String, String)], series: [String: (String, String)]) = ([:], [:])
    private var selection: ExportSelection!
    /// The conversations (chat, bijlage 5) in the package.
    private var chats: [ChatSelected] = []
    private var createdDirs: Set<String> = []
    /// How many dossiers have had spool files (names them).
    private var spools = 0
    /// A tar export writes no staging folder of per-message files: their sidecars go to this spool, their `.eml` stays
    /// in the store, and the tar is written from the members recorded in the selection (``TarWriter``).
    private var sidecarSpool: SidecarSpool?
    private var toTar: Bool { request.container == .tar }
    /// The path of a file of the package root relative to the folder that is packed.
    private var memberPrefix: String { request.bagit ? "data/" : "" }

    func run(markRenamed: () -> Void) throws(ExportError) -> ExportSummary {
        do {
            return try steps(markRenamed: markRenamed)
        } catch {
            throw ExportError.building(error)
        }
    }

    private func steps(markRenamed: () -> Void) throws -> ExportSummary {
        selection = try ExportSelection(path: temp.appendingPathComponent("selection.sqlite"))
        if toTar { sidecarSpool = try SidecarSpool(path: temp.path + "/sidecars.spool") }
        let total = try selection.select(request, workspace: workspace, policy: policy)
        let chatSelection = try ChatExportSelection.select(request, workspace: workspace, policy: policy)
        chats = chatSelection.selected
        leftOut += chatSelection.notHandedOver
        guard total > 0 || !chats.isEmpty else {
            throw ExportError.nothingSelected(([selectionText] + chatSelection.notHandedOver).joined(separator: "; "))
        }
        coverage = try selection.coverage()
        try PackageFiles.makeDirectory(top)
        try PackageFiles.makeDirectory(root)

        // A reader thread fetches the next batch (its rows, their metadata, their folder names) while this one is
        // written: one core would otherwise wait while the other reads (a sixth of the export of 100,000 messages).
        let queue = selection.db, workspace = workspace
        let reader = PipelineReader<Batch, Void, any Error>(name: "export-reader", readAhead: 2) { emit in
            var last: Int64 = 0
            while true {
                let rows = try ExportSelection.page(queue, after: last, limit: PackageExporter.batchSize)
                guard let tail = rows.last else { return }
                last = tail.ord
                var shas = Set(rows.map(\.sha256))
                for r in rows where r.isPrimary && r.firstShaOfMessageId != r.sha256 { shas.insert(r.firstShaOfMessageId) }
                let metas = try MessageCatalog.metadata(workspace, shas: Array(shas))
                let names = rows.map { r in
                    r.isPrimary ? metas[r.sha256].map { PackageNames.message(date: r.messageDate, subject: $0.subject, sha256: r.sha256) } : nil
                }
                guard emit(Batch(rows: rows, metas: metas, names: names)) else { return }
            }
        }
        // A recorder thread records what each batch wrote (its files, its tar members, its sidecars into the spool), in
        // batch order, while the next batch is written: on this thread it was a sixth of the export's CPU, with the
        // other core idle.
        let spool = sidecarSpool, prefix = memberPrefix
        let recorder = PipelineCommitter<[Recorded], Void, any Error>(name: "export-recorder", backlog: 1, state: ()) { written, _ in
            try Build.record(written, in: queue, spool: spool, prefix: prefix)
        }
        do {
            while let batch = reader.next() {
                try process(batch, recorder: recorder)
                progress?(copies, total)
            }
            try recorder.finish()
        } catch {
            reader.cancel()
            recorder.drain()
            throw error
        }
        try reader.finish()
        try finishDossier()
        if messages == 0, chats.isEmpty, let firstLeftOutError { throw firstLeftOutError }
        try writeSeries()
        if !chats.isEmpty {
            let writing = ChatWriting(workspace: workspace, root: root, context: context, schema: mdtoSchema,
                                      archiefvormer: policy.archiefvormer.name)
            try selection.record(try writing.write(chats))
        }

        // Pakbon, hash, counts.
        var counts: [WrittenFile.Kind: (Int, Int64)] = [:]
        var hasher = StreamingHasher(.sha256)
        try selection.forEachFile { f in
            hasher.update(Data("\(f.sha256)  \(f.path)\n".utf8))
            let c = counts[f.kind] ?? (0, 0)
            counts[f.kind] = (c.0 + 1, c.1 + f.size)
        }
        let packageHash = hasher.finalizeHex()
        let packageId = try newPackageId()
        let pakbon = pakbonElement(id: packageId, hash: packageHash, counts: counts)
        let pakbonData = try XMLSerializer.data(pakbon)
        let issues = pakbonSchema.validate(try XMLDocument(data: pakbonData, source: "pakbon.xml"))
        if let issue = issues.first {
            throw ExportError.invalid(file: "pakbon.xml", about: "the packing slip", rule: issue.description)
        }
        try PackageFiles.write(pakbonData, to: root.appendingPathComponent("pakbon.xml"))
        try selection.record([WrittenFile(path: "pakbon.xml", sha256: Digest.hex(pakbonData), size: Int64(pakbonData.count), kind: .pakbon)])
        if request.bagit { try BagIt.write(bag: top, selection: selection, packageId: packageId, policy: policy, now: exporter.now) }

        // Container.
        let final: URL
        switch request.container {
        case .dir:
            final = top
        case .tar:
            final = temp.appendingPathComponent("package.tar")
            guard let spool = sidecarSpool else { throw ExportError.cannotWrite(temp.path, reason: "the sidecar spool is missing") }
            try spool.flush()
            // What the staging folder holds (series, dossiers, pakbon, BagIt files, conversations) joins the members.
            var staged: [TarMember] = []
            try FolderWalk.visit(top.path) { rel, isDirectory in
                staged.append(TarMember(path: rel, isDirectory: isDirectory))
                if staged.count >= 4096 {
                    try selection.record(staged)
                    staged.removeAll(keepingCapacity: true)
                }
            }
            try selection.record(staged)
            try TarWriter.pack(members: selection, folder: top, spool: spool, store: workspace.store, into: final, root: packageId,
                               mtime: Int64(exporter.now.timeIntervalSince1970))
        case .zip:
            final = temp.appendingPathComponent("package.zip")
            try ZipPacking.pack(folder: top, into: final, root: packageId, date: exporter.now)
        }

        let contents = counts[.content] ?? (0, 0)
        var copyIds: [Int64] = []
        try selection.forEachCopy { id, _ in copyIds.append(id) }
        let chatIds = chats.compactMap(\.conversation.id)
        let (overlaps, chatOverlaps) = try workspace.catalog.read(throwing: ExportError.self) { db in
            (try ExportPackageRecord.holding(db, copyIds: copyIds), try ExportChatRecord.holding(db, conversationIds: chatIds))
        }
        var summary = ExportSummary(
            packageId: packageId, location: out.path, container: request.container.rawValue + (request.bagit ? "+bagit" : ""),
            packageHash: packageHash, copies: copies, messages: messages, held: held,
            informatieobjecten: counts[.objectSidecar]?.0 ?? 0, bestanden: counts[.bestandSidecar]?.0 ?? 0,
            contentFiles: contents.0, contentBytes: contents.1, elapsed: 0, leftOut: leftOut)
        summary.conversations = chats.count
        summary.alreadyIn = overlaps.map { PackageOverlap(packageId: $0.package.id, copies: $0.copies, confirmedAt: $0.package.confirmedAt) }
        try addChatOverlaps(chatOverlaps, to: &summary)
        try record(summary, final: final, markRenamed: markRenamed)
        return summary
    }

    /// Adds to the summary's overlaps the packages (not withdrawn) that already hold conversations of this one.
    private func addChatOverlaps(_ held: [String: Int], to summary: inout ExportSummary) throws {
        for (id, n) in held.sorted(by: { $0.key < $1.key }) {
            if let i = summary.alreadyIn.firstIndex(where: { $0.packageId == id }) {
                summary.alreadyIn[i].conversations = n
                continue
            }
            let confirmedAt = try workspace.catalog.read(throwing: ExportError.self) { db in try ExportPackageRecord.find(db, id: id)?.confirmedAt }
            var overlap = PackageOverlap(packageId: id, copies: 0, confirmedAt: confirmedAt)
            overlap.conversations = n
            summary.alreadyIn.append(overlap)
        }
    }

    private var selectionText: String {
        var parts = ["actie transfer-due" + (request.allPermanent ? " of retain-permanent" : "")
            + " per \(AmsterdamTime.date(of: request.asOf).iso)"]
        if !request.mailboxes.isEmpty { parts.append("postvakken " + request.mailboxes.joined(separator: ", ")) }
        if !request.hotspots.isEmpty { parts.append("hotspots " + request.hotspots.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    // MARK: Messages

    private func dossierFolder(_ mailbox: String) -> String {
        PackageNames.bounded(PackageNames.slug(mailbox, fallback: "postvak"), max: PackageNames.dossierMax)
    }

    private func dossierRef(serie: SerieSpec, mailbox: String) -> ObjectRef {
        let owner = selection.owners[mailbox]
        let naam = "Postvak \(mailbox)" + (owner.map { " van \($0)" } ?? "") + " (\(serie.naam))"
        return ObjectRef(naam: XMLText.safe(naam),
                         id: ObjectId(kenmerk: "\(policy.archiefvormer.tooi)-email-dossier-\(serie.folder)-\(mailbox)", bron: context.bron))
    }

    private func ensureDirectory(_ rel: String) throws {
        guard !createdDirs.contains(rel) else { return }
        try PackageFiles.makeDirectory(root.appendingPathComponent(rel, isDirectory: true))
        createdDirs.insert(rel)
    }

    /// A batch of plan rows as the reader hands it over: with the metadata of their messages and of the first
    /// version of each, and the folder name of each primary row whose message has metadata.
    private struct Batch: Sendable {
        let rows: [ExportSelection.Row]
        let metas: [String: MessageMeta]
        let names: [String?]
    }

    /// Writes a batch's messages and hands what they wrote to `recorder`.
    private func process(_ batch: Batch, recorder: PipelineCommitter<[Recorded], Void, any Error>) throws {
        let rows = batch.rows, metas = batch.metas
        func meta(_ sha: String, _ r: ExportSelection.Row) throws -> MessageMeta {
            guard let m = metas[sha] else {
                throw ExportError.message(copy: "message \(r.messageId) in mailbox \(r.mailbox)", reason: "it is no longer in the catalog")
            }
            return m
        }

        var jobs: [MessageJob] = []
        for (i, r) in rows.enumerated() where r.isPrimary {
            guard let serie = selection.series[r.serie] else { continue }
            let m = try meta(r.sha256, r)
            let dossierDir = r.serie + "/" + dossierFolder(r.mailbox)
            try ensureDirectory(r.serie)
            try ensureDirectory(dossierDir)
            let synthetic = m.messageIdSynthetic
            var versionOf: ObjectRef? = nil
            if !synthetic && r.firstShaOfMessageId != r.sha256, !leftOutShas.contains(r.firstShaOfMessageId),
               let first = metas[r.firstShaOfMessageId] {
                versionOf = ObjectRef(naam: first.naam, id: context.messageId(first.sha256))
            }
            let name = batch.names[i] ?? PackageNames.message(date: r.messageDate, subject: m.subject, sha256: r.sha256)
            jobs.append(MessageJob(row: r, meta: m, serie: serie, parent: dossierRef(serie: serie, mailbox: r.mailbox),
                                   folder: dossierDir + "/" + name, name: name, owner: selection.owners[r.mailbox],
                                   withMessageId: !synthetic && r.firstShaOfMessageId == r.sha256, versionOf: versionOf))
        }
        var results = write(jobs)
        // A message whose sidecar does not validate (its metadata: a catalog value no sidecar can hold) is left out
        // and reported, so that it never blocks the others; any other failure (a damaged stored message, a full
        // disk) stops the export. A message that referred to a left-out one as its earlier version is written again
        // without that reference.
        var failedNow = false
        for (i, result) in results.enumerated() {
            if case .failure(let e) = result {
                try leaveOut(jobs[i], e)
                failedNow = true
            }
        }
        if failedNow {
            let redo = jobs.indices.filter { i in
                guard case .success = results[i], jobs[i].versionOf != nil else { return false }
                return leftOutShas.contains(jobs[i].row.firstShaOfMessageId)
            }
            for i in redo {
                PackageFiles.remove(root.appendingPathComponent(jobs[i].folder, isDirectory: true))
                jobs[i] = jobs[i].withoutVersion
            }
            for (i, result) in zip(redo, write(redo.map { jobs[$0] })) {
                results[i] = result
                if case .failure(let e) = result { try leaveOut(jobs[i], e) }
            }
        }

        // What this batch wrote is recorded by the recorder, in one transaction per table.
        var written: [Recorded] = []
        var next = 0
        for r in rows {
            let key = r.serie + "/" + r.mailbox
            if dossier?.key != key {
                try finishDossier()
                guard let serie = selection.series[r.serie] else { continue }
                let ref = dossierRef(serie: serie, mailbox: r.mailbox)
                try ensureDirectory(r.serie)
                try ensureDirectory(r.serie + "/" + dossierFolder(r.mailbox))
                spools += 1
                dossier = Dossier(key: key, serie: serie, mailbox: r.mailbox, folder: r.serie + "/" + dossierFolder(r.mailbox), ref: ref,
                                  children: try RefSpool(path: temp.path + "/dossier-\(spools).children"),
                                  references: try RefSpool(path: temp.path + "/dossier-\(spools).references"))
                serieChildren[r.serie, default: []].append(ref)
            }
            if r.isPrimary { next += 1 }
            if leftOutShas.contains(r.sha256) { continue }
            copies += 1
            if !r.holdRules.isEmpty { held += 1 }
            let m = try meta(r.sha256, r)
            let ref = ObjectRef(naam: m.naam, id: context.messageId(r.sha256))
            if r.isPrimary {
                messages += 1
                try dossier?.children.append(ref)
                if case .success(let output) = results[next - 1] {
                    written.append(Recorded(output: output, folder: jobs[next - 1].folder))
                }
            } else if !(r.primarySerie == r.serie && r.primaryMailbox == r.mailbox), dossier?.referenced.insert(r.sha256).inserted == true {
                try dossier?.references.append(ref)
            }
        }
        try recorder.submit(written)
    }

    private func write(_ jobs: [MessageJob]) -> [Result<MessageWriting.Output, ExportError>] {
        MessageWriting.run(jobs, root: root, context: context, schema: mdtoSchema, store: workspace.store,
                           extractAttachments: request.extractAttachments, inMemoryLimit: request.inMemoryLimit, toTar: toTar)
    }

    /// One written message, for the recorder: what it wrote and its folder.
    private struct Recorded: Sendable {
        let output: MessageWriting.Output
        let folder: String
    }

    /// Records the files of a batch's written messages in the selection (`queue`); for a tar export (`spool` given)
    /// also their tar members: each message's folder, its `.eml` (from the store), and the files not written to the
    /// staging folder (appended to the spool). Runs on the recorder's thread.
    private static func record(_ written: [Recorded], in queue: DatabaseQueue, spool: SidecarSpool?, prefix: String) throws {
        var files: [WrittenFile] = [], members: [TarMember] = []
        for w in written {
            files += w.output.files
            guard let spool else { continue }
            members.append(TarMember(path: prefix + w.folder, isDirectory: true))
            for (i, f) in w.output.files.enumerated() {
                if i == 0 {
                    members.append(TarMember(path: prefix + f.path, size: f.size, source: .stored, sha256: f.sha256))
                } else if let bytes = w.output.bytes[i] {
                    members.append(TarMember(path: prefix + f.path, size: f.size, source: .spool, offset: try spool.append(bytes)))
                }
            }
        }
        try ExportSelection.record(files, in: queue)
        try ExportSelection.record(members, in: queue)
    }

    /// Leaves the message of `job` out of the package when `error` is about its metadata (what it wrote is
    /// removed and it is reported); rethrows any other error.
    private func leaveOut(_ job: MessageJob, _ error: ExportError) throws {
        guard case .invalid(_, _, let rule) = error else { throw error }
        PackageFiles.remove(root.appendingPathComponent(job.folder, isDirectory: true))
        try selection.leaveOut(job.row.sha256)
        leftOutShas.insert(job.row.sha256)
        leftOut.append("\(job.about): its metadata does not validate (\(ExportError.brief(rule, max: 200))); it is not in this "
            + "package and stays selected for a next export")
        if firstLeftOutError == nil { firstLeftOutError = error }
    }

    private func finishDossier() throws {
        guard let d = dossier else { return }
        dossier = nil
        let serieRef = ObjectRef(naam: d.serie.naam, id: ObjectId(kenmerk: d.serie.kenmerk, bron: context.bron))
        let element = context.aggregation(
            level: "Dossier", ref: d.ref,
            omschrijving: "E-mail uit het postvak \(d.mailbox), blijvend te bewaren.",
            coverage: coverage.dossiers[d.key], serie: d.serie, parent: serieRef, children: [],
            references: [], owner: selection.owners[d.mailbox] ?? d.mailbox, streamed: true)
        let name = d.folder.split(separator: "/").last.map(String.init) ?? d.folder
        let children = try d.children.reader()
        let references = try d.references.reader()
        try writeStreamedSidecar(element, rel: d.folder + "/" + name + ".mdto.xml", about: "dossier of mailbox \(d.mailbox)",
                                 failure: { children.failure ?? references.failure }) {
            if let r = children.next() { return SidecarContext.child(r) }
            return references.next().map(SidecarContext.reference)
        }
    }

    /// Writes a sidecar whose streamed elements come from `next` straight to its file, validates the file as a stream
    /// and records it: memory does not follow the size of a dossier. `failure` tells whether `next` ended on an error.
    private func writeStreamedSidecar(_ element: XMLElement, rel: String, about: String, failure: () -> ExportError?,
                                      next: () -> XMLElement?) throws {
        let path = root.path + "/" + rel
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o644) } catch {
            throw ExportError.cannotWrite(path, reason: error.description)
        }
        defer { try? fd.close() }
        try XMLSerializer.write(element, to: fd, streamed: next)
        if let failure = failure() { throw failure }
        let issues: [XMLIssue]
        do { issues = try mdtoSchema.validateStreaming(file: fd, source: rel) } catch {
            throw ExportError.invalid(file: rel, about: about, rule: "\(error)")
        }
        if let issue = issues.first { throw ExportError.invalid(file: rel, about: about, rule: issue.description) }
        let digest: (hex: String, size: Int64)
        do { digest = try Digest.file(at: URL(fileURLWithPath: path)) } catch {
            throw ExportError.cannotWrite(path, reason: "it cannot be read back: \(error)")
        }
        try selection.record([WrittenFile(path: rel, sha256: digest.hex, size: digest.size, kind: .objectSidecar)])
    }

    private func writeSeries() throws {
        for (folder, children) in serieChildren.sorted(by: { $0.key < $1.key }) {
            guard let serie = selection.series[folder] else { continue }
            let ref = ObjectRef(naam: serie.naam, id: ObjectId(kenmerk: serie.kenmerk, bron: context.bron))
            let element = context.aggregation(
                level: "Serie", ref: ref, omschrijving: serie.omschrijving, coverage: coverage.series[folder], serie: serie,
                parent: context.doel, children: children, references: [], owner: nil)
            try writeSidecar(element, rel: folder + "/" + folder + ".mdto.xml", about: "serie \(serie.naam)")
        }
    }

    private func writeSidecar(_ element: XMLElement, rel: String, about: String) throws {
        let data = try MessageWriting.sidecarData(element, rel: rel, about: about, schema: mdtoSchema)
        try PackageFiles.write(data, to: root.appendingPathComponent(rel))
        try selection.record([WrittenFile(path: rel, sha256: Digest.hex(data), size: Int64(data.count), kind: .objectSidecar)])
    }

    // MARK: Pakbon and catalog

    private func newPackageId() throws -> String {
        let stamp = ISOTimestamp.format(exporter.now).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        // A demo/test archive's package says so in its very name.
        let base = "\(policy.archiefvormer.tooi)-email-\(workspace.kind == .demo ? "demo-" : "")\(stamp)"
        return try workspace.catalog.read(throwing: ExportError.self) { db in
            var id = base
            var n = 1
            while try ExportPackageRecord.find(db, id: id) != nil {
                n += 1
                id = "\(base)-\(n)"
            }
            return id
        }
    }

    private func pakbonElement(id: String, hash: String, counts: [WrittenFile.Kind: (Int, Int64)]) -> XMLElement {
        let ns = PackageExporter.pakbonNamespace
        func t(_ name: String, _ value: String) -> XMLElement { XMLElement(name, text: XMLText.safe(value)) }
        func n(_ name: String, _ children: [XMLElement]) -> XMLElement { XMLElement(name, children: children) }
        let archiefvormer = policy.archiefvormer.name
        var remarks = workspace.kind.documentNotice.map { $0 + " " } ?? ""
        remarks += "Selectie: \(selectionText). \(copies) berichtkopieën, \(messages) berichten"
        if copies > messages {
            remarks += " (\(copies - messages) kopieën verwijzen naar hetzelfde bericht in een ander dossier of komen vaker voor)"
        }
        remarks += "."
        if !chats.isEmpty {
            remarks += " \(chats.count) " + (chats.count == 1 ? "gesprek" : "gesprekken") + " (chat en sms, bijlage 5) over aangewezen hotspots."
        }
        if !leftOut.isEmpty {
            remarks += " \(leftOut.count) geselecteerde berichten zijn niet opgenomen, omdat hun metagegevens niet valideren; "
                + "ze blijven geselecteerd voor een volgende overdracht."
        }
        if held > 0 { remarks += " \(held) kopieën stonden bij de export onder een blokkade; dat staat in hun metagegevens." }
        remarks += " Gemaakt met Sluitsteen; pakkethash volgens Schemas/README.md (SHA-256 over de regels 'hash  pad')."
        return XMLElement("pakbon", namespaceURI: ns, children: [
            t("identificatie", id),
            t("titel", (workspace.kind == .demo ? "DEMO — " : "") + "Overdracht van blijvend te bewaren e-mail"
                + (chats.isEmpty ? "" : " en berichtenverkeer") + " van \(archiefvormer) aan \(policy.eDepot.contact)"),
            n("doel", [t("identificatieKenmerk", policy.eDepot.aggregationId), t("identificatieBron", policy.eDepot.contact)]),
            XMLElement("pakketHash", attributes: [XMLAttribute("algoritme", "SHA-256")], text: hash),
            t("aangemaaktOp", ISOTimestamp.format(exporter.now)),
            n("archiefvormer", [t("naam", archiefvormer),
                                n("identificatie", [t("identificatieKenmerk", policy.archiefvormer.tooi), t("identificatieBron", "TOOI")])]),
            n("contact", [t("naam", policy.eDepot.contact)]),
            t("aantalInformatieobjecten", String(counts[.objectSidecar]?.0 ?? 0)),
            t("aantalBestanden", String(counts[.bestandSidecar]?.0 ?? 0)),
            t("aantalBestandenInhoud", String(counts[.content]?.0 ?? 0)),
            t("totaleOmvang", String(counts[.content]?.1 ?? 0)),
            t("opmerkingen", remarks),
        ])
    }

    /// Records the package and its copies, appends the audit entry and renames the package into place, all in
    /// one catalog transaction: if the rename fails the records roll back; if the commit fails the package is
    /// removed again.
    private func record(_ summary: ExportSummary, final: URL, markRenamed: () -> Void) throws {
        var placed = false
        do {
            try workspace.catalog.write(throwing: ExportError.self) { db in
                let package = ExportPackageRecord(id: summary.packageId, createdAt: ISOTimestamp.format(exporter.now), createdBy: request.actor,
                                                  location: summary.location, container: summary.container,
                                                  packageSHA256: summary.packageHash, copyCount: summary.copies)
                try ExportPackageRecord.record(db, package) { item in try selection.forEachCopy(item) }
                try ExportChatRecord.record(db, packageId: summary.packageId,
                                            conversations: chats.compactMap { c in c.conversation.id.map { ($0, c.conversation.exportSHA256) } })
                try workspace.audit.append(db, kind: .export, command: request.command, actor: request.actor,
                                      objectIds: ["export:\(summary.packageId)"] + chats.compactMap { $0.conversation.id.map { "chat:\($0)" } },
                                      outcome: "package \(summary.packageId) at \(summary.location) (\(summary.container)): "
                                        + "\(summary.copies) copies, \(summary.messages) messages, "
                                        + (chats.isEmpty ? "" : "\(chats.count) conversation(s), ") + "\(summary.contentBytes) bytes; "
                                        + "pakketHash \(summary.packageHash)"
                                        + (summary.leftOut.isEmpty ? "" : "; left out \(summary.leftOut.count): "
                                            + ExportError.brief(summary.leftOut.joined(separator: " | "), max: 1000)))
                guard rename(final.path, out.path) == 0 else {
                    throw ExportError.cannotWrite(out.path, reason: Errno.currentText)
                }
                placed = true
                markRenamed()
            }
        } catch {
            if placed { PackageFiles.remove(out) }
            throw error
        }
    }
}

/// Reads message metadata from the catalog (never the body), with header values bounded by ``HeaderLimits`` in
/// the query itself, so that memory does not follow the length of a value.
enum MessageCatalog {
    static let limits = MessageHeaders.Limits(subject: HeaderLimits.subject, party: HeaderLimits.party, parties: HeaderLimits.parties,
                                              messageId: HeaderLimits.messageId)

    static func metadata(_ workspace: Workspace, shas: [String]) throws(ExportError) -> [String: MessageMeta] {
        let headers = try workspace.catalog.read(throwing: ExportError.self) { db in try MessageHeaders.fetch(db, sha256s: shas, limits: limits) }
        return headers.mapValues { h in
            MessageMeta(sha256: h.sha256, size: h.size, messageId: h.messageId, messageIdLength: h.messageIdLength,
                        messageIdSynthetic: h.messageIdSynthetic, date: h.date, subject: h.subject, subjectLength: h.subjectLength,
                        from: h.from.map(Party.init), to: h.to.map(Party.init), cc: h.cc.map(Party.init), partyCounts: h.partyCounts)
        }
    }
}

extension Party {
    init(_ address: CatalogAddress) { self.init(name: address.name, address: address.address) }
}

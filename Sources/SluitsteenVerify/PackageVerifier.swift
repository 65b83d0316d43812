// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenXML

/// What to verify against and how: schema locations, the optional policy check, and the number of threads.
public struct VerifyOptions: Sendable {
    /// The MDTO 1.0.1 XSD; nil finds `Schemas/MDTO-XML1.0.1.xsd` (see `SchemaLocator`).
    public var schema: URL?
    /// The pakbon XSD; nil finds `sluitsteen-pakbon-1.0.xsd` next to the MDTO XSD or in `Schemas/`.
    public var pakbonSchema: URL?
    /// `--policy`: every informatieobject must have waardering B (an e-mail package from Sluitsteen).
    public var requireWaarderingB: Bool
    /// `--expect-hash`: the package hash the export record (or the verklaring van overbrenging) names; a package whose
    /// computed hash differs fails check `package.expected-hash`.
    public var expectedHash: String?
    /// Threads used for parsing and hashing (default: all cores).
    public var workers: Int
    /// MDTO files of a package larger than this are read as a stream (``SidecarStream``) instead of into a tree, so
    /// that a dossier listing every message costs memory per reference, not per byte (a tree costs about ten times the
    /// file). Lowered by tests to stream small files.
    var treeLimit: Int64 = 4 << 20
    /// Children of a folder handled at a time (``FolderWalk``); lowered by tests to cut small folders in parts.
    var partSize = FolderWalk.partSize
    /// A folder of a folder package with more entries than this is sorted on disk (``FolderStore``); lowered by tests.
    var wideFolder = FolderStore.wide

    public init(
        schema: URL? = nil, pakbonSchema: URL? = nil, requireWaarderingB: Bool = false,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.schema = schema
        self.pakbonSchema = pakbonSchema
        self.requireWaarderingB = requireWaarderingB
        self.workers = max(1, workers)
    }
}

/// The auditor's verifier: judges an MDTO transfer package (folder, tar, zip, BagIt bag) or loose MDTO files
/// with nothing but the package and the published schemas. Independent of the exporter's code on purpose.
public enum PackageVerifier {
    static let pakbonName = "pakbon.xml"
    /// The note a report of a package from a demo/test archive starts with.
    static let demoNote = "DEMO-/TESTARCHIEF: volgens de pakbon komt dit pakket uit een demonstratie- of testarchief, mogelijk "
        + "met een gesimuleerde klok. Het is geen echte overdracht."
    static let pakbonSchemaName = "sluitsteen-pakbon-1.0.xsd"
    static let pakbonNamespace = "https://sluitsteen.eu/ns/pakbon/1.0"
    /// The largest loose MDTO file (`verify --sidecar`) and pakbon read; the MDTO files of a package larger than
    /// ``VerifyOptions/treeLimit`` are streamed, whatever their size.
    static let sidecarLimit: Int64 = 64 << 20

    /// Verifies loose MDTO files (`verify --sidecar`): safety, schema and the per-file MDTO rules, plus
    /// uniqueness of identifications across the files given. File sizes and checksums are not compared.
    public static func verify(sidecars urls: [URL], options: VerifyOptions = VerifyOptions()) throws(VerifyError)
        -> VerificationReport
    {
        let schema = try loadMDTO(options)
        var report = VerificationReport(
            subject: urls.map(\.path).joined(separator: " "), container: "sidecars", informatieobjecten: 0,
            bestanden: 0, contentFiles: 0, contentBytes: 0,
            checksRun: [.xmlSafety, .xmlWellFormed, .schema, .emptyValue, .omvang, .checksumAlgorithm, .checksumDatum,
                .waardering, .bewaartermijn, .bewaartermijnEinddatum, .dekkingInTijd, .begrippenlijst,
                .identificatieUnique],
            notes: [], findings: [])
        var seen: [Identity: String] = [:]
        for url in urls {
            let data: Data
            do {
                data = try InputFile.read(url.path, limit: sidecarLimit)
            } catch {
                guard case .tooLarge(let size, let limit) = error else {
                    throw .unreadableFile(path: url.path, reason: error.description)
                }
                report.findings.append(Finding(.xmlSafety, path: url.path,
                    SidecarAnalysis.dutch(.tooLarge(source: url.path, size: size, limit: limit))))
                continue
            }
            let (summary, findings) = SidecarAnalysis.analyse(data, path: url.path, schema: schema)
            report.findings += findings
            count(summary, into: &report)
            for identity in summary.identities {
                if let other = seen[identity] {
                    report.findings.append(Finding(.identificatieUnique, path: url.path, line: summary.identityLine,
                        "Identificatie \(identity) komt ook voor in \(other)."))
                } else {
                    seen[identity] = url.path
                }
            }
            if options.requireWaarderingB { policy(summary, path: url.path, into: &report.findings) }
        }
        if options.requireWaarderingB { report.checksRun.append(.policyWaardering) }
        report.checksRun.sort()
        report.findings.sort()
        return report
    }

    /// Verifies a whole package. Throws only when the package cannot be read at all (or a schema is missing);
    /// every other problem is a ``Finding`` in the report.
    public static func verify(package url: URL, options: VerifyOptions = VerifyOptions()) throws(VerifyError)
        -> VerificationReport
    {
        let schema = try loadMDTO(options)
        let store = try PackageStores.open(url, wideFolder: options.wideFolder)
        do {
            let layout = try Layout(store)
            var run = PackageRun(store: store, layout: layout, schema: schema, options: options, subject: url.path)
            try run.execute()
            if InputFile.linkTarget(url.path) != nil {
                run.report.notes.append("Het opgegeven pad is een symbolische koppeling; gecontroleerd is "
                    + "\(url.resolvingSymlinksInPath().path).")
            }
            return run.report
        } catch let error as VerifyError {
            throw error
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
    }

    static func loadMDTO(_ options: VerifyOptions) throws(VerifyError) -> XMLSchema {
        if let url = options.schema { try requireRegular(url) }
        do { return try MDTOSchema.load(path: options.schema) } catch { throw .schema(error) }
    }

    /// Refuses a schema path that is not a regular file before the XML library opens it (a named pipe would
    /// block that open forever).
    private static func requireRegular(_ url: URL) throws(VerifyError) {
        do {
            let kind = try InputFile.kind(of: url.path)
            guard kind == .regular else { throw InputError.wrongKind(kind, expected: "a schema file") }
        } catch {
            throw .schema(.schemaUnavailable(reason: "\(url.path) cannot be read: \(error)."))
        }
    }

    /// The pakbon schema: `--pakbon-schema`, else the file next to an explicit MDTO XSD, else the one built into the
    /// binary (``PakbonSchema``), so that a standalone verify needs no source folder.
    static func loadPakbonSchema(_ options: VerifyOptions) throws(VerifyError) -> XMLSchema {
        let url = options.pakbonSchema
            ?? options.schema.map { $0.deletingLastPathComponent().appendingPathComponent(pakbonSchemaName) }
                .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
        guard let url else {
            do { return try PakbonSchema.builtIn() } catch { throw .schema(error) }
        }
        try requireRegular(url)
        do { return try XMLSchema(contentsOf: url) } catch { throw .schema(error) }
    }

    static func count(_ summary: SidecarSummary, into report: inout VerificationReport) {
        switch summary.kind {
        case .informatieobject: report.informatieobjecten += 1
        case .bestand: report.bestanden += 1
        case .unknown: break
        }
    }

    static func policy(_ summary: SidecarSummary, path: String, into findings: inout [Finding]) {
        guard summary.kind == .informatieobject, summary.waarderingCode != "B" else { return }
        findings.append(Finding(.policyWaardering, path: path, line: summary.waarderingLine,
            "Een e-mailpakket van Sluitsteen mag alleen informatieobjecten met waardering B (blijvend te bewaren) "
                + "bevatten; dit object heeft waardering \(summary.waarderingCode ?? "onbekend")."))
    }
}

/// Where the package sits inside the container: an optional single top folder, and `data/` for a bag.
struct Layout {
    /// Prefix of the bag or package inside the container (`""` or `top/`).
    let prefix: String
    let isBag: Bool
    /// Prefix of the package root (`prefix` or `prefix + "data/"`).
    let payload: String

    /// Looks only at the container root and, when it holds a single folder, at that folder.
    init(_ store: any PackageStore) throws {
        func names(_ entries: [PackageEntry]) -> Set<String> {
            Set(entries.map { String($0.path.split(separator: "/").last ?? Substring($0.path)) })
        }
        let top = try store.children(of: "")
        var prefix = ""
        var here = names(top)
        if !here.contains("pakbon.xml") && !here.contains("bagit.txt"), top.count == 1, top[0].kind == .directory {
            let inner = names(try store.children(of: top[0].path))
            if inner.contains("pakbon.xml") || inner.contains("bagit.txt") {
                prefix = top[0].path + "/"
                here = inner
            }
        }
        self.prefix = prefix
        self.isBag = here.contains("bagit.txt")
        self.payload = isBag ? prefix + "data/" : prefix
    }

    /// The container path of the package root folder (no trailing `/`).
    var payloadFolder: String { String(payload.dropLast(payload.isEmpty ? 0 : 1)) }
}

/// One folder of the package and its direct children, in walk order; a folder with more than
/// ``FolderWalk/partSize`` children comes in parts.
struct FolderJob {
    /// Container path of the folder (`""` for the container root).
    let folder: String
    /// Path relative to the package root (`""` for the root itself).
    let rel: String
    let entries: [PackageEntry]
    /// Deeper than ``PackageStores/maxDepth`` below the package root: not listed, reported instead.
    var tooDeep = false
    /// A later part of the folder (its earlier parts, and the subfolders they hold, came before).
    var continued = false
    /// More parts of the folder follow (after the subfolders this part holds).
    var more = false
}

/// Visits the folders of a package depth first, each folder's children in walk order (see
/// ``PackageStores/walkSort(_:)``), so that files come out in the byte order of their full paths. Holds only
/// one part (at most ``partSize`` children) of each folder on the current path, so that memory does not grow with
/// the width of a folder; a folder deeper than ``PackageStores/maxDepth`` comes out unlisted
/// (``FolderJob/tooDeep``), so that a hostile tree cannot multiply the work and the report.
struct FolderWalk {
    static let partSize = 4096
    let store: any PackageStore
    let base: String
    let partSize: Int
    private var stack: [(listing: FolderListing, folder: String, entries: [PackageEntry], next: Int, more: Bool)] = []
    private var started = false

    init(store: any PackageStore, base: String, partSize: Int = Self.partSize) {
        self.store = store
        self.base = base
        self.partSize = max(1, partSize)
    }

    func relative(_ path: String) -> String {
        base.isEmpty ? path : path == base ? "" : String(path.dropFirst(base.count + 1))
    }

    mutating func next() throws -> FolderJob? {
        if !started {
            started = true
            return try open(base)
        }
        while let top = stack.indices.last {
            while stack[top].next < stack[top].entries.count {
                let entry = stack[top].entries[stack[top].next]
                stack[top].next += 1
                if entry.kind == .directory {
                    if stack.count >= PackageStores.maxDepth {
                        return FolderJob(folder: entry.path, rel: relative(entry.path), entries: [], tooDeep: true)
                    }
                    return try open(entry.path)
                }
            }
            if stack[top].more {
                let (entries, more) = try stack[top].listing.take(partSize)
                stack[top].entries = entries
                stack[top].next = 0
                stack[top].more = more
                let folder = stack[top].folder
                return FolderJob(folder: folder, rel: relative(folder), entries: entries, continued: true, more: more)
            }
            stack.removeLast()
        }
        return nil
    }

    private mutating func open(_ folder: String) throws -> FolderJob {
        var listing = try store.listing(of: folder)
        let (entries, more) = try listing.take(partSize)
        stack.append((listing, folder, entries, 0, more))
        return FolderJob(folder: folder, rel: relative(folder), entries: entries, more: more)
    }
}

// SPDX-License-Identifier: EUPL-1.2

/// The stable identifier of one verification check, cited in reports (for example `mdto-rules.checksum`).
///
/// Ids never change meaning; new checks get new ids. Families: `xml-safety`, `xml-wellformed`, `schema`,
/// `mdto-rules.*`, `structure.*`, `pakbon.*`, `bagit.*`, `policy.*`, `package.*`.
public struct CheckID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    init(_ raw: String) { self.rawValue = raw }
    public var description: String { rawValue }
    public static func < (a: CheckID, b: CheckID) -> Bool { a.rawValue < b.rawValue }

    // 1. XML safety and well-formedness
    public static let xmlSafety = CheckID("xml-safety")
    public static let xmlWellFormed = CheckID("xml-wellformed")
    // 2. Schema
    public static let schema = CheckID("schema")
    // 3. MDTO rules the XSD does not enforce
    public static let emptyValue = CheckID("mdto-rules.empty-value")
    public static let omvang = CheckID("mdto-rules.omvang")
    public static let checksum = CheckID("mdto-rules.checksum")
    public static let checksumAlgorithm = CheckID("mdto-rules.checksum-algorithm")
    public static let checksumDatum = CheckID("mdto-rules.checksum-datum")
    public static let waardering = CheckID("mdto-rules.waardering")
    public static let bewaartermijn = CheckID("mdto-rules.bewaartermijn")
    public static let bewaartermijnEinddatum = CheckID("mdto-rules.bewaartermijn-einddatum")
    public static let dekkingInTijd = CheckID("mdto-rules.dekking-in-tijd")
    public static let identificatieUnique = CheckID("mdto-rules.identificatie-unique")
    public static let begrippenlijst = CheckID("mdto-rules.begrippenlijst")
    // 4. Structure (NA SIP specification)
    public static let missingBestandSidecar = CheckID("structure.missing-bestand-sidecar")
    public static let missingFolderSidecar = CheckID("structure.missing-folder-sidecar")
    public static let orphanSidecar = CheckID("structure.orphan-sidecar")
    public static let sidecarKind = CheckID("structure.sidecar-kind")
    public static let representatie = CheckID("structure.representatie")
    public static let onderdeel = CheckID("structure.onderdeel")
    public static let oneParent = CheckID("structure.one-parent")
    public static let name = CheckID("structure.name")
    public static let pathLength = CheckID("structure.path-length")
    public static let fileType = CheckID("structure.file-type")
    /// A readable rendition (`weergave.html`, Schemas/README.md) refers only to files beside it and runs nothing.
    public static let rendition = CheckID("structure.rendition")
    // 5. Pakbon and BagIt
    public static let pakbonPresent = CheckID("pakbon.present")
    public static let pakbonSchema = CheckID("pakbon.schema")
    public static let pakbonCounts = CheckID("pakbon.counts")
    public static let pakbonOmvang = CheckID("pakbon.totale-omvang")
    public static let pakbonHash = CheckID("pakbon.pakket-hash")
    public static let bagitDeclaration = CheckID("bagit.declaration")
    public static let bagitManifest = CheckID("bagit.manifest")
    public static let bagitOxum = CheckID("bagit.payload-oxum")
    public static let bagitTagManifest = CheckID("bagit.tagmanifest")
    // 6. Policy
    public static let policyWaardering = CheckID("policy.waardering")
    // 7. The container (tar, zip)
    public static let memberName = CheckID("package.member-name")
    // 8. The package as the export record names it (`--expect-hash`)
    public static let expectedHash = CheckID("package.expected-hash")
}

/// One failed check: which check, which file (path inside the package), where in it, and why.
public struct Finding: Hashable, Sendable, Codable, Comparable {
    public let check: CheckID
    /// Path relative to the package root (`/`-separated); for `--sidecar`, the path as given.
    public let path: String
    /// Line in the file (1-based), or 0 when the finding concerns the whole file.
    public let line: Int
    /// Reason an auditor understands (Dutch).
    public let message: String

    public init(_ check: CheckID, path: String, line: Int = 0, _ message: String) {
        self.check = check
        self.path = path
        self.line = line
        self.message = message
    }

    public static func < (a: Finding, b: Finding) -> Bool {
        if a.path != b.path { return a.path.utf8.lexicographicallyPrecedes(b.path.utf8) }
        if a.line != b.line { return a.line < b.line }
        if a.check != b.check { return a.check < b.check }
        return a.message < b.message
    }
}

/// The outcome of verifying one package (or a set of sidecars): what was checked and every failure, ordered by
/// path so that the same package always gives the same report.
public struct VerificationReport: Sendable, Codable, Equatable {
    /// What was verified (the path given).
    public var subject: String
    /// `folder`, `tar`, `zip`, `bagit-folder`, `bagit-tar`, `bagit-zip` or `sidecars`.
    public var container: String
    public var informatieobjecten: Int
    public var bestanden: Int
    /// Regular files that are neither sidecars nor pakbon.xml.
    public var contentFiles: Int
    public var contentBytes: Int64
    /// Checks that ran (ids), sorted.
    public var checksRun: [CheckID]
    /// Notes that are not failures (for example "no pakbon.xml present").
    public var notes: [String]
    /// Every failure, sorted by path, line and check id.
    public var findings: [Finding]
    /// The package's identification, archiefvormer and creation time as its pakbon states them (nil without one).
    public var packageId: String?
    public var archiefvormer: String?
    public var packageCreatedAt: String?
    /// The package hash computed from the package itself (Schemas/README.md); nil for loose sidecars.
    public var packageHash: String?
    /// The hash given with `--expect-hash`, when one was.
    public var expectedHash: String?

    /// True when no check failed.
    public var passed: Bool { findings.isEmpty }

    /// Number of failures per check id, sorted by id.
    public var failuresByCheck: [(CheckID, Int)] {
        Dictionary(grouping: findings, by: \.check).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation
import SluitsteenHashing

/// A compiled XSD, compiled once and shared between threads; each validation gets its own context.
///
/// The schema file itself is read with the same safe parser as documents (no DOCTYPE); `xs:include` and
/// `xs:import` may only load files from the schema's own folder (the process-wide entity loader refuses the rest).
public final class XMLSchema: @unchecked Sendable {
    // xmlSchema is read-only after compilation; libxml2 allows concurrent validation with separate contexts.
    let schema: xmlSchemaPtr
    private let document: XMLDocument
    /// The file the schema was compiled from.
    public let url: URL

    deinit { xmlSchemaFree(schema) }

    /// Compiles the XSD at `url`.
    public convenience init(contentsOf url: URL) throws(XMLError) {
        LibXMLRuntime.allowSchemaFolder(url.deletingLastPathComponent())
        try self.init(document: try XMLDocument(contentsOf: url), url: url, source: url.path)
    }

    /// Compiles an XSD held in memory (one that includes or imports no other file), e.g. a schema built into the
    /// binary; `source` names it in errors.
    public convenience init(data: Data, source: String) throws(XMLError) {
        try self.init(document: try XMLDocument(data: data, source: source), url: URL(fileURLWithPath: source), source: source)
    }

    private init(document: XMLDocument, url: URL, source: String) throws(XMLError) {
        let collector = IssueCollector()
        guard let parser = xmlSchemaNewDocParserCtxt(document.pointer) else {
            throw .schemaInvalid(source: source, issues: [XMLIssue(line: 0, message: "no parser context")])
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        xmlSchemaSetParserStructuredErrors(parser, IssueCollector.schemaCallback, collector.opaque)
        guard let schema = xmlSchemaParse(parser) else {
            throw .schemaInvalid(source: source, issues: collector.issues)
        }
        self.schema = schema
        self.document = document
        self.url = url
    }

    /// Validates a parsed document; returns the problems found (empty when valid), each with its line.
    public func validate(_ document: XMLDocument) -> [XMLIssue] {
        let collector = IssueCollector()
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLIssue(line: 0, message: "libxml2 could not create a validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, IssueCollector.schemaCallback, collector.opaque)
        let result = xmlSchemaValidateDoc(context, document.pointer)
        var issues = collector.issues
        if result != 0 && issues.isEmpty {
            issues.append(XMLIssue(line: 0, message: "libxml2 reported the document invalid (code \(result))"))
        }
        if collector.dropped > 0 {
            issues.append(XMLIssue(line: 0, message: "\(collector.dropped) further errors not shown"))
        }
        return withExtendedLifetime(document) { issues }
    }

    /// Parses `data` safely and validates it; parse refusals are thrown, schema errors returned.
    public func validate(data: Data, source: String, limits: XMLLimits = XMLLimits()) throws(XMLError) -> [XMLIssue] {
        validate(try XMLDocument(data: data, source: source, limits: limits))
    }
}

/// The MDTO 1.0.1 XSD of the Nationaal Archief, accepted only with its published SHA-256.
///
/// The XSD is not part of the repository; `make schemas` places it in `Schemas/`.
public enum MDTOSchema {
    /// File name of the XSD in `Schemas/`.
    public static let fileName = "MDTO-XML1.0.1.xsd"
    /// SHA-256 of the official MDTO-XML 1.0.1 XSD (as published, CRLF line endings).
    public static let sha256 = "048d745a17f479995f14c938d342b2f13382072d0fdf1f1b28113126df715648"
    /// The MDTO namespace.
    public static let namespace = "https://www.nationaalarchief.nl/mdto"

    /// The environment variable that names the XSD once for every command (`SLUITSTEEN_MDTO_XSD=/pad/MDTO-XML1.0.1.xsd`).
    public static let environmentVariable = "SLUITSTEEN_MDTO_XSD"

    /// Finds the XSD (`path` if given, else `$SLUITSTEEN_MDTO_XSD`, else via ``SchemaLocator``), checks its hash and
    /// compiles it.
    public static func load(path: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws(XMLError) -> XMLSchema {
        let fromEnvironment = environment[environmentVariable].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        if path == nil, let named = fromEnvironment, !FileManager.default.isReadableFile(atPath: named.path) {
            throw .schemaUnavailable(reason: "\(environmentVariable) names \(named.path), which cannot be read. "
                + "Correct the variable, or unset it to use Schemas/\(fileName).")
        }
        guard let url = path ?? fromEnvironment ?? SchemaLocator.locate(fileName) else {
            throw .schemaUnavailable(
                reason: "The MDTO 1.0.1 schema (\(fileName)) was not found in Schemas/. "
                    + "Run `make schemas` in the Sluitsteen folder, set \(environmentVariable) to the file once, "
                    + "or pass the file with --schema.")
        }
        let data = try XMLDocument.readBounded(url, limit: 8 << 20)
        let digest = Digest.hex(data)
        guard digest == sha256 else {
            throw .schemaUnavailable(
                reason: "\(url.path) is not the official MDTO 1.0.1 schema (SHA-256 \(digest), expected \(sha256)). "
                    + "Run `make schemas` to place the official file.")
        }
        return try XMLSchema(contentsOf: url)
    }
}

/// Finds the project's schema files: `$SLUITSTEEN_SCHEMAS`, then `./Schemas`, then a `Schemas` folder next
/// to or above the running executable (covers `.build/debug/sluitsteen` in a checkout), or `share/sluitsteen/Schemas`
/// beside its `bin` folder (where `make install` puts them: `/usr/local/share/sluitsteen/Schemas`).
public enum SchemaLocator {
    /// The URL of `fileName` in the first schema folder that holds it, or nil.
    public static func locate(_ fileName: String) -> URL? {
        for folder in candidateFolders() {
            let url = folder.appendingPathComponent(fileName)
            if FileManager.default.isReadableFile(atPath: url.path) { return url.standardizedFileURL }
        }
        return nil
    }

    static func candidateFolders() -> [URL] {
        var folders: [URL] = []
        if let env = ProcessInfo.processInfo.environment["SLUITSTEEN_SCHEMAS"], !env.isEmpty {
            folders.append(URL(fileURLWithPath: env))
        }
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Schemas"))
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            folders.append(dir.appendingPathComponent("Schemas"))
            folders.append(dir.appendingPathComponent("share/sluitsteen/Schemas"))
            dir = dir.deletingLastPathComponent()
        }
        return folders
    }
}

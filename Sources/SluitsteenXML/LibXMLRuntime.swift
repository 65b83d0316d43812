// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation
import SluitsteenSupport

/// Process-wide libxml2 set-up: initialised once, with an external entity loader that refuses every URL
/// except files inside the folders of compiled schemas (for `xs:include`). libxml2's loader is global
/// state, so the allow-list is guarded by a lock.
enum LibXMLRuntime {
    /// The folders of compiled schemas, whose files the loader may open.
    private static let allowList = Locked<Set<String>>([])

    /// Initialises libxml2 and installs the loader; cheap after the first call.
    static let ready: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(refusingLoader)
    }()

    /// Lets the loader open files under `folder` (a schema's own folder).
    static func allowSchemaFolder(_ folder: URL) {
        _ = ready
        allowList.withLock { _ = $0.insert(folder.standardizedFileURL.resolvingSymlinksInPath().path) }
    }

    /// Whether the loader would open `url` (exposed for tests).
    static func loaderAllows(_ url: String) -> Bool {
        var path = url
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard path.hasPrefix("/"), !path.contains("/../"), !path.hasSuffix("/..") else { return false }
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return allowList.withLock { folders in folders.contains { resolved.hasPrefix($0 + "/") } }
    }

    private static let refusingLoader: xmlExternalEntityLoader = { url, id, context in
        guard let url, LibXMLRuntime.loaderAllows(String(cString: url)) else { return nil }
        return xmlNoNetExternalEntityLoader(url, id, context)
    }
}

/// Collects libxml2's structured errors for one call; handed to C through an opaque pointer.
final class IssueCollector {
    private(set) var issues: [XMLIssue] = []
    private let cap: Int
    private(set) var dropped = 0
    /// How many of the errors came from the parser (the bytes are not well-formed), not from a schema.
    private(set) var parserErrors = 0
    /// Line of a refused DOCTYPE (set by the parser's internal-subset callback).
    var doctypeLine = 0

    init(cap: Int = 100) { self.cap = cap }

    func add(_ error: UnsafePointer<xmlError>) {
        let e = error.pointee
        guard e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        if e.domain == Int32(XML_FROM_PARSER.rawValue) { parserErrors += 1 }
        guard issues.count < cap else { dropped += 1; return }
        let text = e.message.map { String(cString: $0) } ?? "unknown error (code \(e.code))"
        issues.append(XMLIssue(line: Int(e.line), message: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> IssueCollector? {
        pointer.map { Unmanaged<IssueCollector>.fromOpaque($0).takeUnretainedValue() }
    }

    /// A C callback for `xmlSchemaSet*StructuredErrors`, whose user data is the collector itself.
    static let schemaCallback: xmlStructuredErrorFunc = { userData, error in
        guard let error, let collector = IssueCollector.from(userData) else { return }
        collector.add(error)
    }
}

/// Runs `body` with `string` as a NUL-terminated `xmlChar` pointer.
@inline(__always)
func withXMLChars<R>(_ string: String, _ body: (UnsafePointer<xmlChar>) throws -> R) rethrows -> R {
    try string.withCString { pointer in
        try pointer.withMemoryRebound(to: xmlChar.self, capacity: string.utf8.count + 1, body)
    }
}

/// Converts a libxml2 string (may be nil) to a Swift string.
@inline(__always)
func swiftString(_ chars: UnsafePointer<xmlChar>?) -> String? {
    chars.map { String(cString: $0) }
}

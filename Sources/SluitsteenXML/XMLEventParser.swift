// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation

/// One step of a document read as a stream by ``XMLEventParser``.
public enum XMLEvent {
    /// An element starts: its local name, namespace and the line of its start tag (as ``XMLElement/line``).
    case start(name: String, namespaceURI: String?, line: Int)
    /// Character data (text or CDATA) of the current element; an element's text may come in several pieces.
    case text(UnsafeRawBufferPointer)
    /// The current element ends.
    case end
}

/// Reads an XML document in pieces and hands its elements to a closure as they are parsed, optionally validating it
/// against a schema on the way (libxml2's SAX2 push parser with the schema plugged in): no tree is built, so memory
/// does not follow the size of the document. Parsing is as safe as ``XMLDocument``'s: no network, no DTD loaded, no
/// entities, a DOCTYPE refused as soon as its name is read (before any internal subset), nesting bounded by
/// ``XMLLimits/maxDepth``. There is no size limit: the caller decides how much it keeps.
///
/// Use: ``feed(_:)`` every piece in order, then ``finish()``; either throws the first refusal. One parser reads one
/// document, on one thread.
public final class XMLEventParser {
    /// Name used in errors (usually the file path).
    public let source: String
    private let limits: XMLLimits
    /// Nil when the document is only validated (``XMLSchema/validateStreaming(data:source:maxDepth:)``): no event is made.
    private let handler: ((XMLEvent) -> Void)?
    private let schema: XMLSchema?
    private let parseIssues = IssueCollector(cap: 20)
    private let schemaIssues = IssueCollector()
    private var context: xmlParserCtxtPtr?
    private var validation: xmlSchemaValidCtxtPtr?
    private var plug: xmlSchemaSAXPlugPtr?
    private var depth = 0
    private var refusal: XMLError?
    private var finished = false

    /// `schema` nil reads without validating; `handler` receives the events in document order.
    public convenience init(source: String, schema: XMLSchema? = nil, limits: XMLLimits = XMLLimits(),
                            handler: @escaping (XMLEvent) -> Void) {
        self.init(source: source, schema: schema, limits: limits, events: handler)
    }

    /// A parser that hands its events to `events`, or to nothing (only the schema sees them).
    init(source: String, schema: XMLSchema?, limits: XMLLimits, events handler: ((XMLEvent) -> Void)?) {
        self.source = source
        self.schema = schema
        self.limits = limits
        self.handler = handler
    }

    deinit { release() }

    private func release() {
        if let plug { xmlSchemaSAXUnplug(plug) }
        plug = nil
        if let context { xmlFreeParserCtxt(context) }
        context = nil
        if let validation { xmlSchemaFreeValidCtxt(validation) }
        validation = nil
    }

    /// Parses the next piece of the document.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(XMLError) {
        guard !finished else { return }
        if let refusal { throw refusal }
        guard bytes.count > 0 else { return }
        var at = 0
        if context == nil {
            at = min(4, bytes.count)
            try start(UnsafeRawBufferPointer(rebasing: bytes[0..<at]))
        }
        // Pieces of at most 1 MiB: libxml2 refuses one chunk over 10 MB as a "huge input lookup".
        while at < bytes.count {
            let n = min(1 << 20, bytes.count - at)
            try parse(UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)]), last: false)
            at += n
        }
    }

    /// Ends the document; returns the schema's findings (empty when valid or when no schema was given). Throws when
    /// the document was refused or is not well-formed.
    public func finish() throws(XMLError) -> [XMLIssue] {
        if let refusal { throw refusal }
        guard !finished else { return [] }
        guard context != nil else {
            throw .notWellFormed(source: source, issues: [XMLIssue(line: 0, message: "the file is empty")])
        }
        try parse(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
        finished = true
        defer { release() }
        var issues = schemaIssues.issues
        if let validation, xmlSchemaIsValid(validation) != 1, issues.isEmpty {
            issues.append(XMLIssue(line: 0, message: "libxml2 reported the document invalid"))
        }
        if schemaIssues.dropped > 0 {
            issues.append(XMLIssue(line: 0, message: "\(schemaIssues.dropped) further errors not shown"))
        }
        return issues
    }

    // MARK: - libxml2

    private func start(_ head: UnsafeRawBufferPointer) throws(XMLError) {
        _ = LibXMLRuntime.ready
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = Self.startCallback
        sax.endElementNs = Self.endCallback
        if handler != nil {
            sax.characters = Self.textCallback
            sax.cdataBlock = Self.textCallback
            sax.ignorableWhitespace = Self.textCallback
        }
        sax.internalSubset = Self.doctypeCallback
        sax.serror = Self.errorCallback
        let created = head.withMemoryRebound(to: CChar.self) { chars in
            xmlCreatePushParserCtxt(&sax, nil, chars.baseAddress, Int32(chars.count), nil)
        }
        guard let context = created else { throw .unreadable(source: source, reason: "libxml2 could not create a parser") }
        self.context = context
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        // NONET only: no NOENT, no DTDLOAD, no DTDATTR, no XINCLUDE, no HUGE.
        xmlCtxtUseOptions(context, Int32(bitPattern: XML_PARSE_NONET.rawValue))
        guard let schema else { return }
        guard let validation = xmlSchemaNewValidCtxt(schema.schema) else {
            throw .unreadable(source: source, reason: "libxml2 could not create a validation context")
        }
        self.validation = validation
        xmlSchemaSetValidStructuredErrors(validation, IssueCollector.schemaCallback, schemaIssues.opaque)
        // Without a tree the validator asks the parser where it is, for the line of each finding.
        xmlSchemaValidateSetLocator(validation, Self.locator, UnsafeMutableRawPointer(context))
        // The plug puts the validator in front of the callbacks above; they still receive the parser context.
        guard let plug = xmlSchemaSAXPlug(validation, &context.pointee.sax, &context.pointee.userData) else {
            throw .unreadable(source: source, reason: "libxml2 could not plug the schema into the parser")
        }
        self.plug = plug
    }

    private func parse(_ bytes: UnsafeRawBufferPointer, last: Bool) throws(XMLError) {
        guard let context else { return }
        _ = bytes.withMemoryRebound(to: CChar.self) { chars in
            xmlParseChunk(context, chars.baseAddress, Int32(chars.count), last ? 1 : 0)
        }
        if let refusal {
            throw refusal
        }
        if context.pointee.errNo == Int32(XML_ERR_USER_STOP.rawValue) {
            throw fail(.doctypeRefused(source: source, line: max(parseIssues.doctypeLine, 1)))
        }
        if context.pointee.wellFormed == 0 {
            var issues = parseIssues.issues
            if issues.isEmpty, let last = xmlCtxtGetLastError(context) {
                issues = [XMLIssue(line: Int(last.pointee.line), message: last.pointee.message.map { String(cString: $0) }?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "libxml2 rejected the document")]
            }
            if issues.isEmpty { issues = [XMLIssue(line: 0, message: "libxml2 rejected the document")] }
            throw fail(.notWellFormed(source: source, issues: issues))
        }
    }

    /// Keeps the first refusal and stops the parser.
    private func fail(_ error: XMLError) -> XMLError {
        if refusal == nil { refusal = error }
        if let context { xmlStopParser(context) }
        return refusal!
    }

    private static func parser(_ userData: UnsafeMutableRawPointer?) -> XMLEventParser? {
        guard let me = userData?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<XMLEventParser>.fromOpaque(me).takeUnretainedValue()
    }

    private static let locator: xmlSchemaValidityLocatorFunc = { userData, file, line in
        guard let userData else { return -1 }
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        file?.pointee = nil
        line?.pointee = UInt(context.pointee.input?.pointee.line ?? 0)
        return 0
    }

    private static let startCallback: startElementNsSAX2Func = { userData, localname, _, uri, _, _, _, _, _ in
        guard let me = parser(userData), me.refusal == nil, let context = me.context else { return }
        let line = Int(context.pointee.input?.pointee.line ?? 0)
        me.depth += 1
        guard me.depth <= me.limits.maxDepth else {
            _ = me.fail(.tooDeep(source: me.source, line: line, limit: me.limits.maxDepth))
            return
        }
        me.handler?(.start(name: swiftString(localname) ?? "", namespaceURI: swiftString(uri), line: line))
    }

    private static let endCallback: endElementNsSAX2Func = { userData, _, _, _ in
        guard let me = parser(userData), me.refusal == nil else { return }
        me.depth -= 1
        me.handler?(.end)
    }

    private static let textCallback: charactersSAXFunc = { userData, chars, length in
        guard let me = parser(userData), me.refusal == nil, let handler = me.handler, let chars, length > 0 else { return }
        handler(.text(UnsafeRawBufferPointer(start: chars, count: Int(length))))
    }

    /// Stops the parser as soon as `<!DOCTYPE name ...` is read, before any internal subset.
    private static let doctypeCallback: internalSubsetSAXFunc = { userData, _, _, _ in
        guard let me = parser(userData), let context = me.context else { return }
        me.parseIssues.doctypeLine = Int(context.pointee.input?.pointee.line ?? 1)
        xmlStopParser(context)
    }

    /// Parser errors; the context comes from the error itself (with a schema plugged in, `userData` is the plug).
    private static let errorCallback: xmlStructuredErrorFunc = { _, error in
        guard let error, let me = parser(error.pointee.ctxt) else { return }
        me.parseIssues.add(UnsafePointer(error))
    }
}

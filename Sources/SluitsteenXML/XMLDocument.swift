// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation
import SluitsteenSupport

/// Limits applied when reading an XML document, so that hostile files cannot exhaust memory or the stack.
public struct XMLLimits: Sendable, Hashable {
    /// Largest accepted document, in bytes (64 MiB by default).
    public var maxBytes: Int64
    /// Deepest accepted element nesting (128 by default; MDTO needs about 8).
    public var maxDepth: Int

    public init(maxBytes: Int64 = 64 << 20, maxDepth: Int = 128) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }
}

/// A parsed, read-only XML document, read safely.
///
/// Parsing never touches the network, never loads a DTD, never expands or resolves entities and refuses any
/// document that declares a DOCTYPE (before its internal subset is even read, so a billion-laughs file costs
/// nothing). Size and nesting are bounded by ``XMLLimits``. The tree is available as plain values in ``root``;
/// the libxml2 document is kept for schema validation (``XMLSchema/validate(_:)``).
public final class XMLDocument: @unchecked Sendable {
    // The libxml2 tree is never mutated after parsing; validation only reads it.
    let pointer: xmlDocPtr
    /// Name used in messages (usually the file path).
    public let source: String
    /// The root element and its subtree.
    public let root: XMLElement

    deinit { xmlFreeDoc(pointer) }

    /// Parses `data`; `source` names the document in errors, `baseURL` (a file path) is set as the document's
    /// URL so that relative references (schema includes) resolve.
    public init(data: Data, source: String, limits: XMLLimits = XMLLimits(), baseURL: URL? = nil) throws(XMLError) {
        let doc = try Self.parse(data, source: source, limits: limits)
        do {
            guard let rootNode = xmlDocGetRootElement(doc) else {
                throw XMLError.notWellFormed(source: source, issues: [XMLIssue(line: 0, message: "no root element")])
            }
            self.root = try Self.snapshot(rootNode, depth: 1, limits: limits, source: source)
        } catch let error as XMLError {
            xmlFreeDoc(doc)
            throw error
        } catch {
            xmlFreeDoc(doc)
            throw XMLError.unreadable(source: source, reason: "\(error)")
        }
        if let baseURL {
            withXMLChars(baseURL.path) { doc.pointee.URL = UnsafePointer(xmlStrdup($0)) }
        }
        self.pointer = doc
        self.source = source
    }

    /// Reads and parses the file at `url`, refusing it before reading when it exceeds `limits.maxBytes`.
    public convenience init(contentsOf url: URL, limits: XMLLimits = XMLLimits()) throws(XMLError) {
        let data = try Self.readBounded(url, limit: limits.maxBytes)
        try self.init(data: data, source: url.path, limits: limits, baseURL: url)
    }

    /// Reads a whole file, but refuses it (before reading) when larger than `limit` bytes.
    public static func readBounded(_ url: URL, limit: Int64) throws(XMLError) -> Data {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(source: url.path, reason: Errno.currentText) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(source: url.path, reason: Errno.currentText) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(source: url.path, reason: "not a regular file") }
        guard Int64(info.st_size) <= limit else { throw .tooLarge(source: url.path, size: Int64(info.st_size), limit: limit) }
        do {
            let data = try handle.read(upToCount: Int(limit) + 1) ?? Data()
            guard Int64(data.count) <= limit else { throw XMLError.tooLarge(source: url.path, size: Int64(data.count), limit: limit) }
            return data
        } catch let error as XMLError {
            throw error
        } catch {
            throw .unreadable(source: url.path, reason: error.localizedDescription)
        }
    }

    // MARK: - Parsing

    private static let parserErrorCallback: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        IssueCollector.from(context.pointee._private)?.add(UnsafePointer(error))
    }

    /// Stops the parser as soon as `<!DOCTYPE name ...` is read, before any internal subset.
    private static let doctypeCallback: internalSubsetSAXFunc = { userData, _, _, _ in
        guard let userData else { return }
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        if let collector = IssueCollector.from(context.pointee._private), let input = context.pointee.input {
            collector.doctypeLine = Int(input.pointee.line)
        }
        xmlStopParser(context)
    }

    private static func parse(_ data: Data, source: String, limits: XMLLimits) throws(XMLError) -> xmlDocPtr {
        _ = LibXMLRuntime.ready
        guard Int64(data.count) <= limits.maxBytes, data.count < Int(Int32.max) else {
            throw .tooLarge(source: source, size: Int64(data.count), limit: limits.maxBytes)
        }
        guard !data.isEmpty else {
            throw .notWellFormed(source: source, issues: [XMLIssue(line: 0, message: "the file is empty")])
        }
        let collector = IssueCollector(cap: 20)
        let outcome: Result<xmlDocPtr, XMLError> = data.withUnsafeBytes { raw in
            let bytes = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            // A push parser: the first bytes let libxml2 detect the encoding; the rest follows in chunks of 1 MiB, so
            // that libxml2 can let go of what it parsed (one chunk over 10 MB is refused as a "huge input lookup").
            let head = min(4, raw.count)
            guard let context = xmlCreatePushParserCtxt(nil, nil, bytes, Int32(head), nil) else {
                return .failure(.unreadable(source: source, reason: "libxml2 could not create a parser"))
            }
            defer { xmlFreeParserCtxt(context) }
            context.pointee._private = collector.opaque
            if let sax = context.pointee.sax {
                sax.pointee.serror = parserErrorCallback
                sax.pointee.internalSubset = doctypeCallback
                sax.pointee.externalSubset = nil
                sax.pointee.entityDecl = nil
                sax.pointee.unparsedEntityDecl = nil
            }
            // NONET only: no NOENT, no DTDLOAD, no DTDATTR, no XINCLUDE, no HUGE.
            xmlCtxtUseOptions(context, Int32(bitPattern: XML_PARSE_NONET.rawValue))
            var at = head
            repeat {
                let n = min(1 << 20, raw.count - at)
                let last = at + n == raw.count
                _ = xmlParseChunk(context, bytes + at, Int32(n), last ? 1 : 0)
                at += n
                if last || context.pointee.wellFormed == 0 || context.pointee.errNo == Int32(XML_ERR_USER_STOP.rawValue) { break }
            } while true
            let doc = context.pointee.myDoc
            context.pointee.myDoc = nil
            if context.pointee.errNo == Int32(XML_ERR_USER_STOP.rawValue) {
                if let doc { xmlFreeDoc(doc) }
                return .failure(.doctypeRefused(source: source, line: max(collector.doctypeLine, 1)))
            }
            guard context.pointee.wellFormed != 0, let doc else {
                if let doc { xmlFreeDoc(doc) }
                var issues = collector.issues
                if issues.isEmpty { issues = [XMLIssue(line: 0, message: "libxml2 rejected the document")] }
                return .failure(.notWellFormed(source: source, issues: issues))
            }
            return .success(doc)
        }
        return try outcome.get()
    }

    private static func snapshot(_ node: xmlNodePtr, depth: Int, limits: XMLLimits, source: String) throws(XMLError)
        -> XMLElement
    {
        let line = Int(xmlGetLineNo(node))
        guard depth <= limits.maxDepth else { throw .tooDeep(source: source, line: line, limit: limits.maxDepth) }
        var element = XMLElement(
            swiftString(node.pointee.name) ?? "", namespaceURI: swiftString(node.pointee.ns?.pointee.href),
            line: line)
        var attribute = node.pointee.properties
        while let current = attribute {
            var value = ""
            var valueNode = current.pointee.children
            while let v = valueNode {
                value += swiftString(v.pointee.content) ?? ""
                valueNode = v.pointee.next
            }
            var name = swiftString(current.pointee.name) ?? ""
            if let prefix = swiftString(current.pointee.ns?.pointee.prefix) { name = prefix + ":" + name }
            element.attributes.append(
                XMLAttribute(name, value, namespaceURI: swiftString(current.pointee.ns?.pointee.href)))
            attribute = current.pointee.next
        }
        var child = node.pointee.children
        var text: [UInt8] = []
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                element.children.append(try snapshot(current, depth: depth + 1, limits: limits, source: source))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    text.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            case XML_ENTITY_REF_NODE, XML_ENTITY_NODE, XML_ENTITY_DECL, XML_XINCLUDE_START:
                throw .doctypeRefused(source: source, line: Int(xmlGetLineNo(current)))
            default:
                break
            }
            child = current.pointee.next
        }
        // Whitespace between child elements (indentation) is not kept: MDTO has no mixed content.
        if !text.isEmpty && !(element.children.count > 0 && text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })) {
            element.text = String(decoding: text, as: UTF8.self)
        }
        return element
    }
}

// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation
import SluitsteenSupport

extension XMLSerializer {
    /// The name of the child element that ``write(_:to:indent:streamed:)`` replaces by the elements its `streamed`
    /// closure yields. It is not a valid XML name, so no real element can be taken for it.
    public static let streamMarker = "#streamed"

    /// Writes `root` to the open file `fd` exactly as ``data(_:indent:)`` would serialise it, in pieces: where the
    /// tree holds an element named ``streamMarker``, the elements `streamed` returns (until it returns nil) are written
    /// in its place. Memory then does not follow the number of those elements (a dossier of 100,000 messages).
    public static func write(_ root: XMLElement, to fd: FileDescriptor, indent: Bool = true, streamed: () -> XMLElement?)
        throws(XMLError)
    {
        _ = LibXMLRuntime.ready
        let sink = Sink(fd: fd)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        guard let output = xmlOutputBufferCreateIO(Sink.write, Sink.close, context.toOpaque(), nil) else {
            throw .unwritable(element: root.name, reason: "out of memory")
        }
        guard let writer = xmlNewTextWriter(output) else {
            _ = xmlOutputBufferClose(output)
            throw .unwritable(element: root.name, reason: "libxml2 could not create a writer")
        }
        var freed = false
        defer { if !freed { xmlFreeTextWriter(writer) } }
        try writeDocument(root, writer: writer, indent: indent, streamed: streamed)
        xmlFreeTextWriter(writer)  // flushes the rest and closes the output buffer (not the file)
        freed = true
        if let failure = sink.failure { throw .unwritable(element: root.name, reason: "cannot write the file: \(failure)") }
    }

    /// Receives libxml2's output and writes it to the file; the first failure stops the writing and is kept.
    private final class Sink {
        let fd: FileDescriptor
        var failure: Errno?
        init(fd: FileDescriptor) { self.fd = fd }

        static let write: xmlOutputWriteCallback = { context, buffer, length in
            guard let context, let buffer else { return -1 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            guard sink.failure == nil else { return -1 }
            do throws(Errno) {
                try sink.fd.writeAll(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            } catch {
                sink.failure = error
                return -1
            }
            return length
        }

        static let close: xmlOutputCloseCallback = { _ in 0 }
    }
}

extension XMLSchema {
    /// Validates serialised XML as a stream: libxml2's reader with this schema plugged in, so that no tree is built
    /// and memory does not follow the size of the document. Parsing is as safe as ``XMLDocument``'s (no network, no
    /// DTD loaded, no entities expanded, a DOCTYPE refused, nesting bounded), without its size limit. Returns the
    /// schema's findings (empty when valid); throws when the bytes are not well-formed XML.
    public func validateStreaming(data: Data, source: String, maxDepth: Int = XMLLimits().maxDepth) throws(XMLError) -> [XMLIssue] {
        _ = LibXMLRuntime.ready
        guard !data.isEmpty, data.count < Int(Int32.max) else {
            throw .notWellFormed(source: source, issues: [XMLIssue(line: 0, message: data.isEmpty ? "the file is empty" : "too large")])
        }
        let outcome: Result<[XMLIssue], XMLError> = data.withUnsafeBytes { raw in
            let bytes = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            return Result { () throws(XMLError) in
                try validate(source: source, maxDepth: maxDepth) { xmlReaderForMemory(bytes, Int32(raw.count), nil, nil, Self.readerOptions) }
            }
        }
        return try outcome.get()
    }

    /// As ``validateStreaming(data:source:maxDepth:)``, reading the open file `fd` from its start.
    public func validateStreaming(file fd: FileDescriptor, source: String, maxDepth: Int = XMLLimits().maxDepth) throws(XMLError) -> [XMLIssue] {
        _ = LibXMLRuntime.ready
        guard lseek(fd.rawValue, 0, SEEK_SET) == 0 else { throw .unreadable(source: source, reason: Errno.currentText) }
        return try validate(source: source, maxDepth: maxDepth) { xmlReaderForFd(fd.rawValue, nil, nil, Self.readerOptions) }
    }

    // NONET only: no NOENT, no DTDLOAD, no DTDATTR, no XINCLUDE.
    private static let readerOptions = Int32(bitPattern: XML_PARSE_NONET.rawValue)

    private func validate(source: String, maxDepth: Int, reader makeReader: () -> xmlTextReaderPtr?) throws(XMLError) -> [XMLIssue] {
        let collector = IssueCollector()
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLIssue(line: 0, message: "libxml2 could not create a validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        // The reader goes first (its defer runs before the context's): freeing it unplugs the schema from the context.
        guard let reader = makeReader() else { throw .unreadable(source: source, reason: "libxml2 could not create a reader") }
        defer { xmlFreeTextReader(reader) }
        // Set before the schema is plugged in, so that parse errors and the schema's findings reach the collector.
        xmlTextReaderSetStructuredErrorHandler(reader, IssueCollector.schemaCallback, collector.opaque)
        guard xmlTextReaderSchemaValidateCtxt(reader, context, 0) == 0 else {
            return [XMLIssue(line: 0, message: "libxml2 could not plug the schema into the reader")]
        }
        var result: Int32 = 1
        while true {
            result = xmlTextReaderRead(reader)
            guard result == 1 else { break }
            let line = Int(xmlTextReaderGetParserLineNumber(reader))
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue),
                 Int32(XML_READER_TYPE_ENTITY.rawValue):
                throw .doctypeRefused(source: source, line: max(line, 1))
            default:
                break
            }
            if Int(xmlTextReaderDepth(reader)) >= maxDepth { throw .tooDeep(source: source, line: line, limit: maxDepth) }
        }
        var issues = collector.issues
        if result < 0 && collector.parserErrors > 0 {
            throw .notWellFormed(source: source, issues: issues)
        }
        if (result < 0 || xmlTextReaderIsValid(reader) != 1) && issues.isEmpty {
            issues.append(XMLIssue(line: 0, message: "libxml2 reported the document invalid"))
        }
        if collector.dropped > 0 {
            issues.append(XMLIssue(line: 0, message: "\(collector.dropped) further errors not shown"))
        }
        return issues
    }
}

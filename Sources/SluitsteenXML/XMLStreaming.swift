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
    /// Validates serialised XML as a stream: libxml2's SAX2 parser with this schema plugged in (``XMLEventParser``
    /// without events), so that no tree is built and memory does not follow the size of the document. Parsing is as
    /// safe as ``XMLDocument``'s (no network, no DTD loaded, no entities expanded, a DOCTYPE refused, nesting bounded),
    /// without its size limit. Returns the schema's findings (empty when valid); throws when the bytes are not
    /// well-formed XML.
    public func validateStreaming(data: Data, source: String, maxDepth: Int = XMLLimits().maxDepth) throws(XMLError) -> [XMLIssue] {
        guard !data.isEmpty else {
            throw .notWellFormed(source: source, issues: [XMLIssue(line: 0, message: "the file is empty")])
        }
        let parser = validator(source: source, maxDepth: maxDepth)
        let fed: Result<Void, XMLError> = data.withUnsafeBytes { raw in Result { () throws(XMLError) in try parser.feed(raw) } }
        try fed.get()
        return try parser.finish()
    }

    /// As ``validateStreaming(data:source:maxDepth:)``, reading the open file `fd` from its start.
    public func validateStreaming(file fd: FileDescriptor, source: String, maxDepth: Int = XMLLimits().maxDepth) throws(XMLError) -> [XMLIssue] {
        let parser = validator(source: source, maxDepth: maxDepth)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.fileChunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while true {
            let n: Int
            do { n = try fd.read(into: buffer, at: offset) } catch { throw .unreadable(source: source, reason: error.description) }
            if n == 0 { break }
            try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += Int64(n)
        }
        return try parser.finish()
    }

    /// How much of a file ``validateStreaming(file:source:maxDepth:)`` reads at a time.
    static let fileChunk = 256 << 10

    private func validator(source: String, maxDepth: Int) -> XMLEventParser {
        XMLEventParser(source: source, schema: self, limits: XMLLimits(maxDepth: maxDepth), events: nil)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation

/// Writes a tree of ``XMLElement`` values as a UTF-8 XML document, deterministically.
///
/// Output: an XML declaration (`<?xml version="1.0" encoding="UTF-8"?>`), elements in the order given,
/// attributes in the order given, tab indentation, `\n` line ends, and a final newline. A namespace is declared
/// (as a default `xmlns`) only where an element's namespace differs from its parent's. Characters that XML 1.0
/// cannot hold (most control characters) are refused rather than written.
public enum XMLSerializer {
    /// The serialised document.
    public static func data(_ root: XMLElement, indent: Bool = true) throws(XMLError) -> Data {
        _ = LibXMLRuntime.ready
        guard let buffer = xmlBufferCreate() else { throw .unwritable(element: root.name, reason: "out of memory") }
        defer { xmlBufferFree(buffer) }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            throw .unwritable(element: root.name, reason: "libxml2 could not create a writer")
        }
        var freed = false
        defer { if !freed { xmlFreeTextWriter(writer) } }
        try writeDocument(root, writer: writer, indent: indent, streamed: { nil })
        xmlFreeTextWriter(writer)  // flushes into the buffer
        freed = true
        let length = Int(xmlBufferLength(buffer))
        guard let content = xmlBufferContent(buffer) else { return Data() }
        return Data(bytes: content, count: length)
    }

    /// The declaration, `root` and the end of the document, through `writer` (see ``write(_:to:indent:streamed:)``).
    static func writeDocument(_ root: XMLElement, writer: xmlTextWriterPtr, indent: Bool, streamed: () -> XMLElement?)
        throws(XMLError)
    {
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            _ = withXMLChars("\t") { xmlTextWriterSetIndentString(writer, $0) }
        }
        guard xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil) >= 0 else {
            throw .unwritable(element: root.name, reason: "cannot start the document")
        }
        try write(root, inheritedNamespace: nil, writer: writer, streamed: streamed)
        guard xmlTextWriterEndDocument(writer) >= 0 else {
            throw .unwritable(element: root.name, reason: "cannot end the document")
        }
    }

    private static func write(_ element: XMLElement, inheritedNamespace: String?, writer: xmlTextWriterPtr,
                              streamed: () -> XMLElement?) throws(XMLError)
    {
        try check(element.name, in: element.name, isName: true)
        guard withXMLChars(element.name, { xmlTextWriterStartElement(writer, $0) }) >= 0 else {
            throw .unwritable(element: element.name, reason: "cannot start the element")
        }
        if let ns = element.namespaceURI, ns != inheritedNamespace {
            try attribute("xmlns", ns, element: element.name, writer: writer)
        }
        for a in element.attributes {
            try check(a.name, in: element.name, isName: true)
            try attribute(a.name, a.value, element: element.name, writer: writer)
        }
        if !element.text.isEmpty {
            try check(element.text, in: element.name, isName: false)
            guard withXMLChars(element.text, { xmlTextWriterWriteString(writer, $0) }) >= 0 else {
                throw .unwritable(element: element.name, reason: "cannot write the text")
            }
        }
        for child in element.children {
            guard child.name == streamMarker else {
                try write(child, inheritedNamespace: element.namespaceURI, writer: writer, streamed: streamed)
                continue
            }
            while let next = streamed() {
                try write(next, inheritedNamespace: element.namespaceURI, writer: writer, streamed: { nil })
            }
        }
        // Full end tags keep empty elements as `<x></x>`; elements without content are written `<x/>`.
        let ended = element.children.isEmpty && element.text.isEmpty
            ? xmlTextWriterEndElement(writer) : xmlTextWriterFullEndElement(writer)
        guard ended >= 0 else { throw .unwritable(element: element.name, reason: "cannot end the element") }
    }

    private static func attribute(_ name: String, _ value: String, element: String, writer: xmlTextWriterPtr)
        throws(XMLError)
    {
        try check(value, in: element, isName: false)
        let result = withXMLChars(name) { n in withXMLChars(value) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
        guard result >= 0 else { throw .unwritable(element: element, reason: "cannot write attribute \(name)") }
    }

    private static func check(_ text: String, in element: String, isName: Bool) throws(XMLError) {
        if isName {
            guard !text.isEmpty, withXMLChars(text, { xmlValidateQName($0, 0) }) == 0
            else { throw .unwritable(element: element, reason: "\"\(text)\" is not a valid XML name") }
            return
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v)
                || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
            if !allowed {
                throw .unwritable(
                    element: element,
                    reason: String(format: "character U+%04X cannot appear in XML 1.0; remove or replace it", v))
            }
        }
    }
}

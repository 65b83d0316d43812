// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenXML
import Testing

@Suite("SluitsteenXML: safe parsing, schemas, serialising")
struct XMLSafetyTests {
    static func doc(_ text: String, limits: XMLLimits = XMLLimits()) throws(XMLError) -> XMLDocument {
        try XMLDocument(data: Data(text.utf8), source: "test.xml", limits: limits)
    }

    @Test("A plain document is read with names, namespaces, text, attributes and lines")
    func plainDocument() throws {
        let d = try Self.doc("<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\" xmlns:p=\"urn:p\" p:k=\"v\">\n"
                             + "  <b>één</b>\n  <b><![CDATA[<c>]]></b>\n</a>\n")
        #expect(d.root.name == "a")
        #expect(d.root.namespaceURI == "urn:x")
        #expect(d.root.attribute("k") == "v")
        #expect(d.root.attributes.first?.name == "p:k")
        #expect(d.root.children("b").map(\.text) == ["één", "<c>"])
        #expect(d.root.children("b").map(\.line) == [3, 4])
    }

    @Test("XXE (external entity to a local file) is refused as a DOCTYPE, and the file is not read")
    func xxe() {
        #expect(throws: XMLError.doctypeRefused(source: "test.xml", line: 2)) {
            _ = try Self.doc("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<a>&x;</a>")
        }
    }

    @Test("Billion laughs is refused before any expansion")
    func billionLaughs() {
        var dtd = "<!DOCTYPE a [<!ENTITY l0 \"lol\">"
        for i in 1...20 { dtd += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
        dtd += "]>"
        do {
            _ = try Self.doc(dtd + "<a>&l20;</a>")
            Issue.record("billion laughs was accepted")
        } catch {
            #expect(error.isSafetyRefusal)
        }
    }

    @Test("External DTD, parameter entities and XInclude do not load anything")
    func otherExternalReferences() throws {
        for text in [
            "<!DOCTYPE a SYSTEM \"http://example.invalid/a.dtd\"><a/>",
            "<!DOCTYPE a [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><a/>",
        ] {
            #expect(throws: XMLError.self) { _ = try Self.doc(text) }
        }
        // XInclude is not processed: the include element stays an ordinary element.
        let d = try Self.doc("<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"/etc/passwd\" parse=\"text\"/></a>")
        #expect(d.root.children.map(\.name) == ["include"])
        #expect(d.root.children[0].text == "")
    }

    @Test("Size and depth are bounded")
    func limits() {
        #expect(throws: XMLError.tooLarge(source: "test.xml", size: 30, limit: 10)) {
            _ = try Self.doc("<a>" + String(repeating: "x", count: 23) + "</a>", limits: XMLLimits(maxBytes: 10))
        }
        let deep = String(repeating: "<d>", count: 20) + String(repeating: "</d>", count: 20)
        #expect(throws: XMLError.tooDeep(source: "test.xml", line: 1, limit: 10)) {
            _ = try Self.doc(deep, limits: XMLLimits(maxDepth: 10))
        }
        #expect(throws: Never.self) { _ = try Self.doc(deep, limits: XMLLimits(maxDepth: 20)) }
    }

    /// A mailbox's aggregation sidecar lists every message of the mailbox: 100,000 messages make it over 10 MB, which
    /// libxml2 refused as a "huge input lookup" when given in one chunk.
    @Test("A document over 10 MB within the size limit is read whole, its last line too")
    func largeDocument() throws {
        let count = 300_000
        var text = "<?xml version=\"1.0\"?>\n<a>\n"
        text.reserveCapacity(count * 40)
        for i in 0..<count { text += "  <b>relatie \(i) van een grote map</b>\n" }
        text += "</a>\n"
        #expect(text.utf8.count > 10_000_000)
        let d = try Self.doc(text)
        #expect(d.root.children("b").count == count)
        #expect(d.root.children("b").last?.text == "relatie \(count - 1) van een grote map")
        // A fault near the end of a large document is still found, with its line.
        let broken = String(text.dropLast(5)) + "</c>\n"
        #expect(throws: XMLError.self) { _ = try Self.doc(broken) }
    }

    @Test("Malformed XML is reported with its line")
    func malformed() {
        do {
            _ = try Self.doc("<a>\n<b>\n</a>")
            Issue.record("expected an error")
        } catch {
            guard case .notWellFormed(_, let issues) = error else { Issue.record("wrong error \(error)"); return }
            #expect(issues.first?.line == 3)
            #expect(!error.isSafetyRefusal)
        }
    }

    @Test("Serialising is deterministic, escapes text, declares namespaces once and reads back identically")
    func serialise() throws {
        let tree = XMLElement("MDTO", namespaceURI: "urn:m",
            attributes: [XMLAttribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")],
            children: [XMLElement("naam", namespaceURI: "urn:m", text: "a < b & \"c\" — één"),
                       XMLElement("leeg", namespaceURI: "urn:m")])
        let a = try XMLSerializer.data(tree), b = try XMLSerializer.data(tree)
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MDTO xmlns=\"urn:m\""))
        #expect(text.contains("<naam>a &lt; b &amp; &quot;c&quot; — één</naam>"))
        #expect(text.components(separatedBy: "xmlns=").count == 2)
        let back = try XMLDocument(data: a, source: "round")
        #expect(back.root.child("naam")?.text == "a < b & \"c\" — één")
        #expect(back.root.child("naam")?.namespaceURI == "urn:m")
        #expect(throws: XMLError.self) { _ = try XMLSerializer.data(XMLElement("x", text: "bel\u{07}")) }
        #expect(throws: XMLError.self) { _ = try XMLSerializer.data(XMLElement("1x")) }
    }

    @Test("A schema include outside the schema's folder is refused by the entity loader")
    func loaderConfinesIncludes() throws {
        let tmp = try TemporaryDirectory("xsd")
        let dir = tmp.appending("xsd")
        let inside = dir.appendingPathComponent("schema")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        let part = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"b\" type=\"xs:string\"/></xs:schema>"
        try Data(part.utf8).write(to: inside.appendingPathComponent("part.xsd"))
        try Data(part.utf8).write(to: dir.appendingPathComponent("outside.xsd"))
        func main(_ href: String) -> String {
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:include schemaLocation=\"\(href)\"/>"
                + "<xs:element name=\"a\" type=\"xs:string\"/></xs:schema>"
        }
        try Data(main("part.xsd").utf8).write(to: inside.appendingPathComponent("good.xsd"))
        try Data(main("../outside.xsd").utf8).write(to: inside.appendingPathComponent("bad.xsd"))
        let good = try XMLSchema(contentsOf: inside.appendingPathComponent("good.xsd"))
        #expect(try good.validate(data: Data("<b>x</b>".utf8), source: "b") == [])
        #expect(throws: XMLError.self) { _ = try XMLSchema(contentsOf: inside.appendingPathComponent("bad.xsd")) }
    }

    @Test("MDTOSchema refuses a file whose SHA-256 is not the official one", .enabled(if: TestSchemas.mdto != nil))
    func mdtoHash() throws {
        let official = try #require(TestSchemas.mdto)
        #expect(throws: Never.self) { _ = try MDTOSchema.load(path: official) }
        let tmp = try TemporaryDirectory("xsd")
        let dir = tmp.url
        var data = try Data(contentsOf: official)
        data.append(contentsOf: Array("<!-- changed -->".utf8))
        let changed = dir.appendingPathComponent(MDTOSchema.fileName)
        try data.write(to: changed)
        do {
            _ = try MDTOSchema.load(path: changed)
            Issue.record("a changed XSD was accepted")
        } catch {
            #expect("\(error)".contains("make schemas"))
        }
        #expect(throws: XMLError.self) { _ = try MDTOSchema.load(path: dir.appendingPathComponent("missing.xsd")) }
    }
}

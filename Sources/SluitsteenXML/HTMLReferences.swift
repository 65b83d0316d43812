// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation

/// What an HTML page refers to and whether it can act: read with libxml2's HTML parser (no network), for the verifier's
/// check that a rendition in a package stands on its own (it refers only to files beside it and runs nothing).
public enum HTMLReferences {
    /// The page's references and its active content.
    public struct Scan: Sendable, Equatable {
        /// Every value of an attribute that loads or links something (`href`, `src`, `srcset`, `action`, `data`,
        /// `poster`, `background`), in document order.
        public var references: [String] = []
        /// Elements and attributes that can run or embed something (`script`, `iframe`, `object`, `embed`, `applet`,
        /// `base`, `form`, event handlers `on…`), one description each, in document order.
        public var active: [String] = []
    }

    static let referenceAttributes: Set<String> = ["href", "src", "srcset", "action", "data", "poster", "background", "formaction"]
    static let activeElements: Set<String> = ["script", "iframe", "frame", "object", "embed", "applet", "base", "form"]

    /// Scans `data` (UTF-8 HTML); at most `limit` bytes are read.
    public static func scan(_ data: Data, limit: Int = 64 << 20) -> Scan {
        _ = LibXMLRuntime.ready
        var bytes = Array(data.prefix(limit))
        guard !bytes.isEmpty else { return Scan() }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NODEFDTD.rawValue)
        let doc = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }
        guard let doc else { return Scan() }
        defer { xmlFreeDoc(doc) }
        var scan = Scan()
        var stack: [(UnsafeMutablePointer<xmlNode>, Int)] = []
        var node = doc.pointee.children
        while let n = node {
            stack.append((n, 0))
            node = n.pointee.next
        }
        stack.reverse()
        while let (n, depth) = stack.popLast() {
            guard n.pointee.type == XML_ELEMENT_NODE, depth < 256 else { continue }
            let tag = n.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            if activeElements.contains(tag) { scan.active.append("<\(tag)>") }
            var attr = n.pointee.properties
            while let a = attr {
                let name = a.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if name.hasPrefix("on") { scan.active.append("\(name)= op <\(tag)>") }
                if referenceAttributes.contains(name), let v = xmlGetProp(n, a.pointee.name) {
                    scan.references.append(String(cString: v))
                    sls_xml_free(v)
                }
                attr = a.pointee.next
            }
            var children: [(UnsafeMutablePointer<xmlNode>, Int)] = []
            var c = n.pointee.children
            while let child = c {
                children.append((child, depth + 1))
                c = child.pointee.next
            }
            stack.append(contentsOf: children.reversed())
        }
        return scan
    }
}

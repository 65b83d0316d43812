// SPDX-License-Identifier: EUPL-1.2
import CLibXML2
import Foundation
import SluitsteenSupport

/// The HTML part of a mail made inert for display: parsed with libxml2's HTML parser (no network) and written out
/// again with only plain text structure — paragraphs, emphasis, lists, tables, headings, quotes.
///
/// Scripts, styles, event handlers, forms, frames, objects, SVG and every attribute but a table cell's span are
/// dropped. Nothing can load from anywhere: an image becomes `[afbeelding: alt]`, a link keeps its text and shows
/// where it pointed as text (`[https://…]`), never as a link. The web layer shows the result in a sandboxed frame under
/// a Content-Security-Policy that blocks every load as well: two walls, not one.
public enum HTMLSanitizer {
    /// The inert HTML (a fragment, no `<html>` or `<body>`), and what was taken out.
    public struct Result: Sendable, Equatable {
        public var html: String
        /// Elements dropped with their content (script, style, iframe, object, form, …).
        public var droppedElements: Int
        /// References to elsewhere that were neutralised (images, link targets, background and src attributes).
        public var neutralisedReferences: Int
    }

    /// Elements kept (without attributes, but for a table cell's span).
    static let kept: Set<String> = [
        "p", "br", "div", "span", "b", "i", "u", "s", "strong", "em", "small", "sub", "sup", "blockquote", "pre", "code", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "caption", "address", "cite", "q", "abbr", "mark", "del", "ins", "tt", "big", "center",
    ]
    /// Elements whose content is kept but not the element itself.
    static let unwrapped: Set<String> = ["html", "body", "font", "section", "article", "header", "footer", "main", "nav", "aside", "label", "o:p"]
    /// Elements dropped with everything in them.
    static let dropped: Set<String> = [
        "head", "title", "meta", "link", "style", "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
        "form", "input", "button", "select", "textarea", "option", "svg", "math", "base", "template", "canvas", "audio", "video",
        "source", "track", "picture", "map", "area", "xml",
    ]

    /// Sanitises `html` (already decoded to text). At most `limit` bytes of it are read.
    public static func sanitize(_ html: String, limit: Int = 4 << 20) -> Result {
        _ = LibXMLRuntime.ready
        var bytes = Array(html.utf8.prefix(limit))
        if bytes.isEmpty { return Result(html: "", droppedElements: 0, neutralisedReferences: 0) }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NODEFDTD.rawValue)
        let doc = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }
        guard let doc else { return Result(html: escape(html), droppedElements: 0, neutralisedReferences: 0) }
        defer { xmlFreeDoc(doc) }
        var writer = Writer()
        var node = doc.pointee.children
        while let n = node {
            writer.emit(n, depth: 0)
            node = n.pointee.next
        }
        return Result(html: writer.out, droppedElements: writer.dropped, neutralisedReferences: writer.neutralised)
    }

    /// Text for HTML element content and attribute values (the one escaper, in SluitsteenSupport).
    static func escape(_ s: String) -> String { SluitsteenSupport.HTML.escape(s) }

    private struct Writer {
        var out = ""
        var dropped = 0
        var neutralised = 0

        static func name(_ n: UnsafeMutablePointer<xmlNode>) -> String {
            n.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        }

        static func attribute(_ n: UnsafeMutablePointer<xmlNode>, _ name: String) -> String? {
            guard let v = xmlGetProp(n, name) else { return nil }
            defer { sls_xml_free(v) }
            return String(cString: v)
        }

        mutating func children(_ n: UnsafeMutablePointer<xmlNode>, depth: Int) {
            var c = n.pointee.children
            while let child = c {
                emit(child, depth: depth + 1)
                c = child.pointee.next
            }
        }

        mutating func emit(_ n: UnsafeMutablePointer<xmlNode>, depth: Int) {
            guard depth < 200 else { return }
            switch n.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = n.pointee.content { out += HTMLSanitizer.escape(String(cString: content)) }
            case XML_ELEMENT_NODE:
                let tag = Self.name(n)
                // A reference to elsewhere in any attribute is counted as neutralised: none is written out.
                for attr in ["src", "href", "background", "srcset", "action", "poster", "data", "style", "lowsrc", "dynsrc"]
                where Self.attribute(n, attr) != nil && tag != "a" && tag != "img" {
                    neutralised += 1
                }
                if HTMLSanitizer.dropped.contains(tag) || tag.contains(":") && tag != "o:p" {
                    dropped += 1
                } else if tag == "img" {
                    neutralised += 1
                    let alt = Self.attribute(n, "alt")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                    out += "[afbeelding" + (alt.isEmpty ? "" : ": " + HTMLSanitizer.escape(String(alt.prefix(200)))) + "]"
                } else if tag == "a" {
                    children(n, depth: depth)
                    if let href = Self.attribute(n, "href")?.trimmingCharacters(in: .whitespacesAndNewlines), !href.isEmpty {
                        neutralised += 1
                        out += " [" + HTMLSanitizer.escape(String(href.prefix(500))) + "]"
                    }
                } else if HTMLSanitizer.kept.contains(tag) {
                    out += "<" + tag
                    if tag == "td" || tag == "th" {
                        for span in ["colspan", "rowspan"] {
                            if let v = Self.attribute(n, span), let number = Int(v), (1...100).contains(number) { out += " \(span)=\"\(number)\"" }
                        }
                    }
                    out += ">"
                    if tag != "br" && tag != "hr" {
                        children(n, depth: depth)
                        out += "</" + tag + ">"
                    }
                } else {
                    // Unknown or harmless wrapper elements: their text stays, the element goes.
                    children(n, depth: depth)
                }
            default:
                // Comments, processing instructions, DTDs, entity references: dropped.
                break
            }
        }
    }
}

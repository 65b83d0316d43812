// SPDX-License-Identifier: EUPL-1.2

/// An attribute of an ``XMLElement``: qualified name as written (`xsi:schemaLocation`), namespace and value.
public struct XMLAttribute: Sendable, Hashable {
    public var name: String
    public var namespaceURI: String?
    public var value: String

    public init(_ name: String, _ value: String, namespaceURI: String? = nil) {
        self.name = name
        self.value = value
        self.namespaceURI = namespaceURI
    }
}

/// A plain value copy of one XML element and its subtree.
///
/// Read side: ``XMLDocument/root`` gives the parsed tree (local names, namespaces, line numbers).
/// Write side: build a tree of these and serialise it with ``XMLSerializer``. Text is the concatenation of the
/// element's direct text children; for an element with child elements, whitespace-only text (indentation) is
/// dropped. MDTO and the pakbon have no mixed content.
public struct XMLElement: Sendable, Hashable {
    /// Local name (no prefix).
    public var name: String
    /// Namespace URI, or nil for no namespace. When writing, a child with the same namespace as its parent
    /// inherits the parent's default namespace declaration.
    public var namespaceURI: String?
    public var attributes: [XMLAttribute]
    public var text: String
    public var children: [XMLElement]
    /// Line in the source document (1-based); 0 for elements built in memory.
    public var line: Int

    public init(
        _ name: String, namespaceURI: String? = nil, attributes: [XMLAttribute] = [], text: String = "",
        children: [XMLElement] = [], line: Int = 0
    ) {
        self.name = name
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.text = text
        self.children = children
        self.line = line
    }

    /// The first child element with local name `name`.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// All child elements with local name `name`, in document order.
    public func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the element reached by following first children named `path`, or nil when absent.
    public func text(at path: String...) -> String? {
        var current = self
        for step in path {
            guard let next = current.child(step) else { return nil }
            current = next
        }
        return current.text
    }

    /// The value of the attribute with (qualified or local) name `name`.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name || $0.name.split(separator: ":").last.map(String.init) == name }?.value
    }

    /// Visits this element and every descendant, depth first in document order.
    public func forEachElement(_ body: (XMLElement) throws -> Void) rethrows {
        try body(self)
        for child in children { try child.forEachElement(body) }
    }
}

// SPDX-License-Identifier: EUPL-1.2

/// One problem libxml2 reported about a document or schema, with the line it concerns (0 when unknown).
public struct XMLIssue: Sendable, Hashable, CustomStringConvertible {
    /// Line in the document (1-based), or 0 when libxml2 did not give one.
    public let line: Int
    /// libxml2's message, trimmed.
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// Why an XML document or schema could not be used.
///
/// Refusals for safety (`doctypeRefused`, `tooLarge`, `tooDeep`) are distinct from plain syntax errors so a
/// verifier can report them under a separate check.
public enum XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document declares a DOCTYPE; DTDs, entities and external subsets are never accepted.
    case doctypeRefused(source: String, line: Int)
    /// The document is larger than the configured limit.
    case tooLarge(source: String, size: Int64, limit: Int64)
    /// Elements are nested deeper than the configured limit.
    case tooDeep(source: String, line: Int, limit: Int)
    /// The bytes are not well-formed XML.
    case notWellFormed(source: String, issues: [XMLIssue])
    /// The file could not be read.
    case unreadable(source: String, reason: String)
    /// The XSD could not be compiled.
    case schemaInvalid(source: String, issues: [XMLIssue])
    /// A schema file is not the expected one (hash mismatch) or is missing.
    case schemaUnavailable(reason: String)
    /// A value cannot be written as XML 1.0 (for example a control character).
    case unwritable(element: String, reason: String)

    /// True for the refusals made for safety rather than syntax.
    public var isSafetyRefusal: Bool {
        switch self {
        case .doctypeRefused, .tooLarge, .tooDeep: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .doctypeRefused(let source, let line):
            return "\(source): line \(line): the document declares a DOCTYPE (DTD or entities); "
                + "such documents are refused because entities can read files or exhaust memory. "
                + "Remove the DOCTYPE: MDTO files never need one."
        case .tooLarge(let source, let size, let limit):
            return "\(source): the document is \(size) bytes, more than the limit of \(limit) bytes for one XML file."
        case .tooDeep(let source, let line, let limit):
            return "\(source): line \(line): elements are nested more than \(limit) levels deep; refused."
        case .notWellFormed(let source, let issues):
            return "\(source): not well-formed XML: "
                + (issues.first.map(\.description) ?? "libxml2 gave no reason")
        case .unreadable(let source, let reason):
            return "\(source): cannot be read: \(reason)"
        case .schemaInvalid(let source, let issues):
            return "\(source): the XML schema cannot be compiled: "
                + issues.prefix(3).map(\.description).joined(separator: "; ")
        case .schemaUnavailable(let reason):
            return reason
        case .unwritable(let element, let reason):
            return "cannot write element <\(element)>: \(reason)"
        }
    }
}

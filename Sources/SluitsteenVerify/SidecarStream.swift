// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenXML

/// Reads a large MDTO file (a dossier or serie whose `bevatOnderdeel` lists every message) as a stream: the bytes are
/// hashed and parsed, and validated against the schema, block by block, so neither the file nor a libxml2 tree is held
/// in memory. What the checks need is kept as a tree without the reference lists of the informatieobject
/// (`isOnderdeelVan`, `bevatOnderdeel`, `heeftRepresentatie`): each reference is judged for empty values when it
/// ends and kept only as a fixed-size record in a ``ReferenceList`` (which spills to disk), so memory does not grow
/// with the number of references nor with the size of the file; the judgement is ``SidecarAnalysis``'s, on the same
/// tree minus those lists.
final class SidecarStream {
    private let path: String
    private let keys: RelationKeys
    private let describe: Set<ReferenceSlot>
    private var stack: [(element: XMLElement, text: [UInt8])] = []
    private var root: XMLElement?
    private var references = ReferenceList()
    /// The empty-value findings made inside the streamed reference lists.
    private var listFindings: [Finding] = []
    /// Whether the first informatieobject under an MDTO root has been entered (only its lists are streamed, as
    /// ``SidecarAnalysis`` judges only the first).
    private var sawObject = false
    private var inFirstObject = false

    private init(path: String, keys: RelationKeys, describe: Set<ReferenceSlot>) {
        self.path = path
        self.keys = keys
        self.describe = describe
    }

    /// Reads `entry` once: its digests (`algorithms`), its size, and its summary and findings. References are keyed
    /// with `keys`; the text of those in `describe` is kept as well.
    static func analyse(
        _ entry: PackageEntry, reader: any EntryReader, path: String, schema: XMLSchema, algorithms: [HashAlgorithm],
        keys: RelationKeys, describe: Set<ReferenceSlot> = []
    ) throws -> (summary: SidecarSummary, findings: [Finding], digests: [HashAlgorithm: String], size: Int64) {
        let builder = SidecarStream(path: path, keys: keys, describe: describe)
        let parser = XMLEventParser(source: path, schema: schema) { builder.handle($0) }
        let hashers = algorithms.map { Hashing($0) }
        var size: Int64 = 0
        var refused: XMLError?
        try reader.read(entry) { bytes in
            for hasher in hashers { hasher.update(bytes) }
            size += Int64(bytes.count)
            // After a refusal the rest is still hashed (checksums and the package hash need every byte).
            guard refused == nil else { return }
            do throws(XMLError) { try parser.feed(bytes) } catch { refused = error }
        }
        var digests: [HashAlgorithm: String] = [:]
        for (algorithm, hasher) in zip(algorithms, hashers) { digests[algorithm] = hasher.finish() }
        let issues: [XMLIssue]
        do {
            if let refused { throw refused }
            issues = try parser.finish()
        } catch let error as XMLError {
            return (SidecarSummary(), [SidecarAnalysis.refusal(error, path: path)], digests, size)
        }
        guard let root = builder.root else {
            let error = XMLError.notWellFormed(source: path, issues: [XMLIssue(line: 0, message: "no root element")])
            return (SidecarSummary(), [SidecarAnalysis.refusal(error, path: path)], digests, size)
        }
        let (summary, findings) = SidecarAnalysis.judge(root, schemaIssues: issues, path: path, keys: keys,
            describe: describe, streamed: (builder.references, builder.listFindings))
        return (summary, findings, digests, size)
    }

    private static let streamedLists: [String: RelationIndex.EdgeKind] = [
        "isOnderdeelVan": .isOnderdeelVan, "bevatOnderdeel": .bevatOnderdeel, "heeftRepresentatie": .heeftRepresentatie,
    ]

    private func handle(_ event: XMLEvent) {
        switch event {
        case .start(let name, let namespaceURI, let line):
            if stack.count == 1, !sawObject, name == "informatieobject", stack[0].element.name == "MDTO",
                stack[0].element.namespaceURI == MDTOSchema.namespace
            {
                sawObject = true
                inFirstObject = true
            }
            stack.append((XMLElement(name, namespaceURI: namespaceURI, line: line), []))
        case .text(let bytes):
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text.append(contentsOf: bytes)
        case .end:
            guard case (var element, let text)? = stack.popLast() else { return }
            // As XMLDocument: whitespace between child elements (indentation) is not kept.
            if !text.isEmpty && !(element.children.count > 0 && text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })) {
                element.text = String(decoding: text, as: UTF8.self)
            }
            if stack.isEmpty {
                root = element
            } else if stack.count == 2, inFirstObject, let kind = Self.streamedLists[element.name] {
                SidecarAnalysis.emptyValues(element, path: path, into: &listFindings)
                references.append(SidecarAnalysis.reference(element), kind, keys: keys, describe: describe)
            } else {
                if stack.count == 1 && inFirstObject { inFirstObject = false }
                stack[stack.count - 1].element.children.append(element)
            }
        }
    }
}

/// One running digest, in a box so that several can be kept in an array (a hasher cannot be copied).
private final class Hashing {
    private var hasher: StreamingHasher?
    init(_ algorithm: HashAlgorithm) { hasher = StreamingHasher(algorithm) }
    func update(_ bytes: UnsafeRawBufferPointer) { hasher!.update(bytes) }
    func finish() -> String { hasher.take()?.finalizeHex() ?? "" }
}

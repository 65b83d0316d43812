// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenMIME
import SluitsteenSupport
import SluitsteenXML

/// What one message folder needs: the plan row, the metadata, where it goes and what it points to.
struct MessageJob: Sendable {
    let row: ExportSelection.Row
    let meta: MessageMeta
    let serie: SerieSpec
    /// The dossier the message is part of.
    let parent: ObjectRef
    /// Folder path relative to the package root.
    let folder: String
    /// The message's base name (folder name and file stem).
    let name: String
    let owner: String?
    let withMessageId: Bool
    let versionOf: ObjectRef?

    /// The message in a few words, for error and report lines (header values cut short).
    var about: String {
        "message \(ExportError.brief(row.messageId, max: 100)) (\"\(ExportError.brief(meta.naam, max: 80))\") in mailbox \(row.mailbox), "
            + "folder \(row.folder.isEmpty ? "(top)" : ExportError.brief(row.folder, max: 100))"
    }

    /// The same job without its reference to an earlier version (which was left out of the package).
    var withoutVersion: MessageJob {
        MessageJob(row: row, meta: meta, serie: serie, parent: parent, folder: folder, name: name, owner: owner,
                   withMessageId: withMessageId, versionOf: nil)
    }
}

/// Writes message folders in parallel on every core: read the stored bytes (checked against their SHA-256),
/// write the `.eml` (and extracted attachments), build, validate and write the sidecars. Each job's result holds
/// the files it wrote; the first failure (in job order) is what the export reports.
enum MessageWriting {
    /// What one message's writing produced: the files of its folder (the `.eml` first) and, for a tar export written
    /// without a staging folder (`toTar`), the bytes of each file that was not written there (nil: written, or for the
    /// `.eml` read from the store when the tar is written).
    struct Output: Sendable {
        var files: [WrittenFile]
        var bytes: [Data?]
    }

    static func run(_ jobs: [MessageJob], root: URL, context: SidecarContext, schema: XMLSchema, store: ContentStore,
                    extractAttachments: Bool, inMemoryLimit: Int, toTar: Bool = false) -> [Result<Output, ExportError>] {
        // Where the batch's messages are stored, in one catalog read (not two per message).
        let locations = (try? store.locations(of: jobs.map(\.row.sha256))) ?? [:]
        return parallelMap(count: jobs.count) { i in
            Result { () throws(ExportError) in
                try write(jobs[i], root: root, context: context, schema: schema, store: store, location: locations[jobs[i].row.sha256],
                          extractAttachments: extractAttachments, inMemoryLimit: inMemoryLimit, toTar: toTar)
            }
        }
    }

    /// Writes one message folder; `location` is where its bytes are stored, when the caller looked it up already.
    static func write(_ job: MessageJob, root: URL, context: SidecarContext, schema: XMLSchema, store: ContentStore,
                      location: PackEntryRecord? = nil, extractAttachments: Bool, inMemoryLimit: Int,
                      toTar: Bool = false) throws(ExportError) -> Output {
        let sha = job.row.sha256
        let folderPath = root.path + "/" + job.folder
        let emlName = job.name + ".eml"
        // A message larger than the in-memory limit is copied (and unpacked) from its stored file in chunks.
        let large = (location?.length ?? store.size(of: sha) ?? 0) > Int64(inMemoryLimit)
        // Only large messages' extracted attachments go through the staging folder of a tar export.
        if !toTar || (large && extractAttachments) { try PackageFiles.makeDirectory(path: folderPath) }
        var attachments: [(name: String, format: FileFormat, sha256: String, size: Int64, bytes: Data?)] = []
        let emlSize: Int64
        if toTar && !extractAttachments {
            // The tar writer copies the bytes from the store, checking them against their SHA-256 on the way.
            let entry: PackEntryRecord?
            if let location { entry = location } else {
                do throws(ArchiveError) { entry = try store.location(of: sha) } catch { throw .message(copy: job.about, reason: error.description) }
            }
            guard let entry else { throw .message(copy: job.about, reason: "the stored message \(sha) is missing") }
            emlSize = entry.length
        } else if large {
            if toTar {
                do { try store.verify(sha) } catch { throw .message(copy: job.about, reason: error.description) }
                guard let size = store.size(of: sha) else { throw .message(copy: job.about, reason: "the stored message \(sha) is missing") }
                emlSize = size
            } else {
                do { emlSize = try store.copy(sha, to: folderPath + "/" + emlName) } catch {
                    throw .message(copy: job.about, reason: error.description)
                }
            }
            if extractAttachments {
                let extracted: [ExtractedAttachment]
                let range: FileRange
                do throws(ArchiveError) { range = try store.range(of: sha) } catch { throw .message(copy: job.about, reason: error.description) }
                do throws(MIMEError) {
                    extracted = try AttachmentExtraction.attachments(ofFile: range,
                                                                     scratchPrefix: folderPath + "/.bijlage-")
                } catch {
                    switch error {
                    case .cannotOpen(let path, let reason):
                        throw .cannotWrite(path, reason: "the stored message cannot be opened: \(reason)")
                    case .cannotWrite(let path, let reason), .cannotRead(let path, let reason):
                        throw .cannotWrite(path, reason: reason)
                    }
                }
                for (i, a) in extracted.enumerated() {
                    guard let scratch = a.file else { continue }
                    let format = a.isMessage
                        ? FormatIdentification.email : FormatIdentification.identify(try PackageFiles.head(of: scratch, bytes: 1 << 20))
                    let name = PackageNames.attachment(index: i + 1, filename: a.filename, fallbackExtension: format.fileExtension)
                    let path = folderPath + "/" + name
                    // link() refuses an existing name, as the in-memory path's O_EXCL does.
                    if link(scratch, path) != 0 { throw .cannotWrite(path, reason: Errno.currentText) }
                    unlink(scratch)
                    let digest: (hex: String, size: Int64)
                    do { digest = try Digest.file(at: URL(fileURLWithPath: path)) } catch {
                        throw .cannotWrite(path, reason: "it cannot be read back: \(error)")
                    }
                    attachments.append((name, format, digest.hex, digest.size, nil))
                }
            }
        } else {
            let bytes: Data
            do { bytes = try store.read(sha, at: location) } catch { throw .message(copy: job.about, reason: error.description) }
            if !toTar { try PackageFiles.write(bytes, path: folderPath + "/" + emlName) }
            emlSize = Int64(bytes.count)
            if extractAttachments {
                for (i, a) in AttachmentExtraction.attachments(of: bytes).enumerated() {
                    let format = a.isMessage ? FormatIdentification.email : FormatIdentification.identify(a.bytes)
                    let name = PackageNames.attachment(index: i + 1, filename: a.filename, fallbackExtension: format.fileExtension)
                    if !toTar { try PackageFiles.write(a.bytes, path: folderPath + "/" + name) }
                    attachments.append((name, format, Digest.hex(a.bytes), Int64(a.bytes.count), toTar ? a.bytes : nil))
                }
            }
        }
        var files = [WrittenFile(path: job.folder + "/" + emlName, sha256: sha, size: emlSize, kind: .content)]
        var bytes: [Data?] = [nil]
        let object = ObjectRef(naam: job.meta.naam, id: context.messageId(sha))
        let emlRef = ObjectRef(naam: emlName, id: context.fileId(sha, "eml"))
        var representations = [emlRef]
        var sidecars: [(String, XMLElement)] = [
            (emlName + ".bestand.mdto.xml", context.bestand(emlRef, size: emlSize, format: FormatIdentification.email,
                                                            sha256: sha, of: object)),
        ]
        for (i, a) in attachments.enumerated() {
            files.append(WrittenFile(path: job.folder + "/" + a.name, sha256: a.sha256, size: a.size, kind: .content))
            bytes.append(a.bytes)
            let ref = ObjectRef(naam: a.name, id: context.fileId(sha, String(format: "bijlage-%02d", i + 1)))
            representations.append(ref)
            sidecars.append((a.name + ".bestand.mdto.xml", context.bestand(ref, size: a.size, format: a.format, sha256: a.sha256, of: object)))
        }
        sidecars.append((job.name + ".mdto.xml", context.archiefstuk(
            job.meta, messageDate: job.row.messageDate, mailbox: job.row.mailbox, owner: job.owner, serie: job.serie,
            holdRules: job.row.holdRules, withMessageId: job.withMessageId, versionOf: job.versionOf, parent: job.parent,
            representations: representations)))
        for (name, element) in sidecars {
            let rel = job.folder + "/" + name
            let data = try sidecarData(element, rel: rel, about: job.about, schema: schema)
            if toTar { bytes.append(data) } else { try PackageFiles.write(data, path: folderPath + "/" + name) }
            files.append(WrittenFile(path: rel, sha256: Digest.hex(data), size: Int64(data.count),
                                     kind: name.hasSuffix(".bestand.mdto.xml") ? .bestandSidecar : .objectSidecar))
        }
        return Output(files: files, bytes: bytes)
    }

    /// A sidecar's bytes, serialised and checked against the MDTO schema: what every sidecar (of a message or of a
    /// conversation) passes before it is written; `rel` and `about` name it in the error (`about` is made only then).
    /// The bytes are validated as they are (a stream through libxml2's SAX parser), without building a tree of them.
    static func sidecarData(_ element: XMLElement, rel: String, about: @autoclosure () -> String,
                            schema: XMLSchema) throws(ExportError) -> Data {
        let data: Data
        let issues: [XMLIssue]
        do {
            data = try XMLSerializer.data(element)
            issues = try schema.validateStreaming(data: data, source: rel)
        } catch {
            throw .invalid(file: rel, about: about(), rule: "\(error)")
        }
        if let issue = issues.first { throw .invalid(file: rel, about: about(), rule: issue.description) }
        return data
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenChat
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenXML

/// A conversation (chat, bijlage 5) chosen for a transfer package, with the hotspot it is kept for.
struct ChatSelected: Sendable {
    let conversation: ChatConversationRecord
    let hotspot: Hotspot
    let serie: SerieSpec
}

/// Which conversations an export takes, by the same decision `plan` and `chat explain` give (``ChatRetention/decide``):
/// those kept permanently (B, under a designated hotspot) whose transfer is due as of the export's moment (with
/// `--all-permanent` also those not yet due), not yet in a package the e-depot confirmed, and handed over to DIV. A
/// conversation still under review is named in the report and left for a later export. `--mailbox` selects mail only;
/// `--hotspot` limits chat as it limits mail.
enum ChatExportSelection {
    static func select(_ request: ExportRequest, workspace: Workspace, policy: Policy) throws(ExportError)
        -> (selected: [ChatSelected], notHandedOver: [String]) {
        guard request.mailboxes.isEmpty else { return ([], []) }
        let store = RetentionStore(workspace: workspace)
        let hotspots: [Hotspot]
        let holds: [WooHold]
        do {
            hotspots = try store.hotspots()
            holds = try store.holds()
        } catch { throw .retention(error) }
        let (conversations, transfers) = try workspace.catalog.read(throwing: ExportError.self) { db in
            (try ChatConversationRecord.all(db), try ExportChatRecord.transfers(db))
        }
        let asOfDate = AmsterdamTime.date(of: request.asOf)
        let filter = Set(request.hotspots)
        var selected: [ChatSelected] = []
        var waiting: [String] = []
        var folders: [String: String] = [:]
        var used: Set<String> = []
        for c in conversations {
            guard let id = c.id, let hotspotId = c.hotspotId,
                  let h = hotspots.first(where: { $0.id == hotspotId }), h.status == .designated else { continue }
            if !filter.isEmpty && !filter.contains(h.name) { continue }
            // A conversation the e-depot accepted is `transferred`: not selected again (as a transferred mail copy).
            let transfer = transfers[id].map { ChatTransfer(packageId: $0.packageId, confirmedAt: $0.confirmedAt) }
            let d = ChatRetention.decide(c, policy: policy, hotspots: hotspots, holds: holds, asOfDate: asOfDate, transfer: transfer)
            guard d.waardering == .bewaren, d.action == .transferDue || (d.action == .retainPermanent && request.allPermanent) else {
                continue
            }
            guard c.state == .handedOver else {
                waiting.append("conversation \(id) (\"\(ExportError.brief(c.title, max: 80))\") is due for transfer but not yet handed "
                    + "over to DIV (`sluitsteen chat handover --conversation \(id)`); it is not in this package")
                continue
            }
            let folder: String
            if let known = folders[h.id] {
                folder = known
            } else {
                var f = PackageNames.bounded("berichtenverkeer-" + PackageNames.slug(h.name, fallback: h.id), max: PackageNames.serieMax)
                if used.contains(f.lowercased()) {
                    f = PackageNames.bounded("berichtenverkeer-" + PackageNames.slug(h.id, fallback: "x"), max: PackageNames.serieMax)
                }
                used.insert(f.lowercased())
                folders[h.id] = f
                folder = f
            }
            let tooi = policy.archiefvormer.tooi
            let serie = SerieSpec(folder: folder, naam: "Berichtenverkeer over hotspot \(h.name)",
                                  kenmerk: "\(tooi)-chat-serie-hotspot-\(h.id)", categorieLabel: h.name,
                                  categorieCode: h.decisionRef?.nonEmpty, categorieList: "Hotspotlijst \(policy.archiefvormer.name)",
                                  omschrijving: "Chat- en sms-gesprekken die zijn opgenomen voor de aangewezen hotspot \(h.name)"
                                    + (h.decisionRef.map { " (besluit \($0))" } ?? "") + "; blijvend te bewaren (bijlage 5).")
            selected.append(ChatSelected(conversation: c, hotspot: h, serie: serie))
        }
        return (selected, waiting)
    }
}

/// Writes the conversations into the package: per serie (hotspot) a folder with its sidecar, per conversation a folder
/// with one informatieobject (aggregatieniveau Archiefstuk) and its bestanden: the export file as received (byte for
/// byte from the content store, when it is still there), the readable rendition (HTML) and every stored media file.
struct ChatWriting {
    let workspace: Workspace
    let root: URL
    let context: SidecarContext
    let schema: XMLSchema
    let archiefvormer: String

    /// Writes every conversation and the series' sidecars; returns the files written.
    func write(_ chats: [ChatSelected]) throws(ExportError) -> [WrittenFile] {
        var files: [WrittenFile] = []
        var children: [String: [ObjectRef]] = [:]
        var coverage: [String: (String, String)] = [:]
        var series: [String: SerieSpec] = [:]
        for chat in chats {
            let folder = chat.serie.folder
            series[folder] = chat.serie
            try PackageFiles.makeDirectory(root.appendingPathComponent(folder, isDirectory: true))
            let (ref, written, range) = try conversation(chat)
            files += written
            children[folder, default: []].append(ref)
            if let range {
                let old = coverage[folder] ?? range
                coverage[folder] = (min(old.0, range.0), max(old.1, range.1))
            }
        }
        for (folder, refs) in children.sorted(by: { $0.key < $1.key }) {
            guard let serie = series[folder] else { continue }
            let ref = ObjectRef(naam: serie.naam, id: ObjectId(kenmerk: serie.kenmerk, bron: context.bron))
            let element = context.aggregation(level: "Serie", ref: ref, omschrijving: serie.omschrijving, coverage: coverage[folder],
                                              serie: serie, parent: context.doel, children: refs, references: [], owner: nil)
            files.append(try sidecar(element, rel: folder + "/" + folder + ".mdto.xml", about: "serie \(serie.naam)", kind: .objectSidecar))
        }
        return files
    }

    /// The object's identification: by the export file's SHA-256, so the same conversation has the same kenmerk in
    /// every package.
    func objectId(_ c: ChatConversationRecord) -> ObjectId { ObjectId(kenmerk: "\(context.tooi)-chat-gesprek-\(c.exportSHA256)", bron: context.bron) }

    private func fileId(_ c: ChatConversationRecord, _ suffix: String) -> ObjectId {
        ObjectId(kenmerk: "\(context.tooi)-chat-gesprek-\(c.exportSHA256)-\(suffix)", bron: context.bron)
    }

    private func conversation(_ chat: ChatSelected) throws(ExportError) -> (ObjectRef, [WrittenFile], (String, String)?) {
        let c = chat.conversation
        let id = c.id ?? 0
        let about = "conversation \(id) (\"\(ExportError.brief(c.title, max: 80))\")"
        let (messages, media, strips) = try workspace.catalog.read(throwing: ExportError.self) { db in
            (try ChatMessageRecord.all(db, conversationId: id), try ChatMediaRecord.all(db, conversationId: id),
             try ChatStripRecord.all(db, conversationId: id))
        }
        let firstDate = messages.first.map { AmsterdamTime.date(of: Instant(secondsSinceEpoch: $0.epoch)).iso }
        let lastDate = messages.last.map { AmsterdamTime.date(of: Instant(secondsSinceEpoch: $0.epoch)).iso }
        let name = PackageNames.message(date: firstDate ?? AmsterdamTime.date(of: Instant(secondsSinceEpoch: c.capturedEpoch)).iso,
                                        subject: c.title, sha256: c.exportSHA256)
        let rel = chat.serie.folder + "/" + name
        try PackageFiles.makeDirectory(root.appendingPathComponent(rel, isDirectory: true))
        let object = ObjectRef(naam: XMLText.safe(c.title.isEmpty ? "Gesprek zonder naam" : c.title), id: objectId(c))
        var files: [WrittenFile] = []
        var representations: [ObjectRef] = []
        var sidecars: [(String, XMLElement)] = []
        func add(_ fileName: String, _ bytes: Data, format: FileFormat, suffix: String) throws(ExportError) {
            let sha = Digest.hex(bytes)
            try PackageFiles.write(bytes, to: root.appendingPathComponent(rel + "/" + fileName))
            files.append(WrittenFile(path: rel + "/" + fileName, sha256: sha, size: Int64(bytes.count), kind: .content))
            let ref = ObjectRef(naam: fileName, id: fileId(c, suffix))
            representations.append(ref)
            sidecars.append((fileName + ".bestand.mdto.xml",
                             context.bestand(ref, size: Int64(bytes.count), format: format, sha256: sha, of: object)))
        }
        func stored(_ sha: String, what: String) throws(ExportError) -> Data {
            do { return try workspace.store.read(sha) } catch {
                throw .message(copy: about, reason: "its \(what) cannot be read from the store: \(error.description)")
            }
        }
        // The export file as received, byte for byte, while the store still has it.
        if c.exportState == .stored {
            let bytes = try stored(c.exportSHA256, what: "export file")
            let source = URL(fileURLWithPath: c.sourceFile).lastPathComponent
            try add(Self.fileName("origineel", source, fallbackExtension: "bin"), bytes, format: Self.exportFormat(c.format, bytes),
                    suffix: "export")
        }
        // The media, each a bestand of its own.
        var mediaFiles: [String: String] = [:]
        var mediaCount = 0
        for (i, m) in media.enumerated() where m.state == .stored {
            guard let sha = m.sha256 else { continue }
            let bytes = try stored(sha, what: "media file \(m.name)")
            let format = FormatIdentification.identify(bytes)
            let fileName = Self.fileName(String(format: "media-%02d", i + 1), m.name, fallbackExtension: format.fileExtension)
            mediaFiles[m.name] = fileName
            mediaCount += 1
            try add(fileName, bytes, format: format, suffix: String(format: "media-%02d", i + 1))
        }
        // The readable rendition.
        let input = ChatRendition.Input(
            title: c.title, formatName: c.format.displayName, takenInFor: "de aangewezen hotspot \(chat.hotspot.name)",
            archiefvormer: archiefvormer, handedOverByName: c.handedOverByName, capturedAt: c.capturedAt, handoverAt: c.handoverAt,
            messages: messages, strips: strips, mediaFiles: mediaFiles)
        let html = Data(ChatRendition.html(input).utf8)
        try add("weergave.html", html, format: Self.html5, suffix: "weergave")
        // Representations in a stable order: rendition first, then the export file, then the media.
        representations.sort { a, b in Self.order(a.naam) < Self.order(b.naam) || (Self.order(a.naam) == Self.order(b.naam) && a.naam < b.naam) }

        let element = archiefstuk(chat, object: object, messages: messages, strips: strips, mediaStored: mediaCount,
                                  mediaMissing: media.filter { $0.state == .missing }.count, firstDate: firstDate, lastDate: lastDate,
                                  representations: representations)
        sidecars.append((name + ".mdto.xml", element))
        for (fileName, element) in sidecars {
            let kind: WrittenFile.Kind = fileName.hasSuffix(".bestand.mdto.xml") ? .bestandSidecar : .objectSidecar
            files.append(try sidecar(element, rel: rel + "/" + fileName, about: about, kind: kind))
        }
        let range = firstDate.flatMap { f in lastDate.map { (f, $0) } }
        return (object, files, range)
    }

    private static func order(_ name: String) -> Int { name == "weergave.html" ? 0 : name.hasPrefix("origineel") ? 1 : 2 }

    /// The informatieobject of one conversation.
    private func archiefstuk(_ chat: ChatSelected, object: ObjectRef, messages: [ChatMessageRecord], strips: [ChatStripRecord],
                             mediaStored: Int, mediaMissing: Int, firstDate: String?, lastDate: String?,
                             representations: [ObjectRef]) -> XMLElement {
        let c = chat.conversation
        var e: [XMLElement] = [MDTO.identificatie(object.id.kenmerk, object.id.bron), MDTO.text("naam", object.naam),
                               SidecarContext.niveau("Archiefstuk")]
        for text in Self.omschrijvingen(c, hotspot: chat.hotspot, messages: messages.count, strips: strips, mediaStored: mediaStored,
                                        mediaMissing: mediaMissing) {
            e.append(MDTO.text("omschrijving", XMLText.safe(text)))
        }
        if let firstDate { e.append(SidecarContext.dekking("Looptijd", firstDate, lastDate)) }
        e.append(MDTO.node("event", [
            MDTO.begrip("eventType", label: "Opname", list: MDTO.eventTypes), MDTO.text("eventTijd", c.capturedAt),
            MDTO.verwijzing("eventVerantwoordelijkeActor", naam: XMLText.safe(c.handedOverByName), id: nil),
        ]))
        e.append(SidecarContext.waardering)
        e.append(SidecarContext.categorie(chat.serie))
        let serieRef = ObjectRef(naam: chat.serie.naam, id: ObjectId(kenmerk: chat.serie.kenmerk, bron: context.bron))
        e.append(MDTO.verwijzing("isOnderdeelVan", naam: serieRef.naam, id: serieRef.id))
        for r in representations { e.append(MDTO.verwijzing("heeftRepresentatie", naam: r.naam, id: r.id)) }
        e.append(context.archiefvormerElement)
        var senders: [String] = []
        for m in messages where m.kind != .system {
            if let s = m.sender?.nonEmpty, !senders.contains(s) { senders.append(s) }
        }
        for s in senders.prefix(HeaderLimits.parties) {
            e.append(MDTO.node("betrokkene", [
                MDTO.begrip("betrokkeneTypeRelatie", label: "Deelnemer aan het gesprek", list: Self.chatRollen),
                MDTO.verwijzing("betrokkeneActor", naam: XMLText.safe(String(s.prefix(HeaderLimits.party))), id: nil),
            ]))
        }
        e.append(context.beperkingElement)
        return MDTO.document(MDTO.node("informatieobject", e))
    }

    /// Sluitsteen's own list of roles in a conversation (its name must not contain "MDTO").
    static let chatRollen = "Sluitsteen rollen bij berichtenverkeer"

    /// What the object is, in Dutch: the conversation, its origin and hand-over, and what the review removed.
    static func omschrijvingen(_ c: ChatConversationRecord, hotspot: Hotspot, messages: Int, strips: [ChatStripRecord],
                               mediaStored: Int, mediaMissing: Int) -> [String] {
        var out: [String] = []
        let handover = c.handoverAt.map { " en op \(DutchWords.date(iso: $0)) overgedragen aan DIV" } ?? ""
        out.append("Gesprek uit \(c.format.displayName), opgenomen voor de aangewezen hotspot \(hotspot.name)"
            + (hotspot.decisionRef.map { " (besluit \($0))" } ?? "") + "; aangeleverd door \(c.handedOverByName) op "
            + "\(DutchWords.date(iso: c.capturedAt))\(handover). Het gesprek bevat \(messages) "
            + (messages == 1 ? "bericht" : "berichten") + "; de leesbare weergave (weergave.html) toont per bericht de afzender, "
            + "de tijd en de tekst, met verwijzingen naar de mediabestanden.")
        let stripped = strips.reduce(0) { $0 + $1.messageCount }
        let strippedMedia = strips.reduce(0) { $0 + $1.mediaCount }
        if stripped > 0 {
            out.append("Vóór de overdracht aan DIV " + (stripped == 1 ? "is 1 bericht" : "zijn \(stripped) berichten")
                + (strippedMedia > 0 ? " met \(strippedMedia) mediabestand" + (strippedMedia == 1 ? "" : "en") : "")
                + " als privébericht verwijderd na beoordeling door "
                + Array(Set(strips.map { ChatRendition.personName($0.strippedBy) })).sorted().joined(separator: " en ")
                + " (bijlage 4 van het informatiebeleid, privacy).")
        }
        if c.exportState == .removed {
            out.append("Het exportbestand zoals ontvangen (SHA-256 \(c.exportSHA256), \(c.exportSize) bytes) is bij de overdracht "
                + "uit het archief verwijderd, omdat het de verwijderde berichten bevatte; het is daarom niet in dit pakket "
                + "opgenomen. Dit object bestaat uit de leesbare weergave en \(mediaStored) bewaarde "
                + (mediaStored == 1 ? "mediabestand" : "mediabestanden") + ".")
        } else {
            out.append("Dit object bevat het exportbestand zoals ontvangen (ongewijzigd), de leesbare weergave en \(mediaStored) "
                + (mediaStored == 1 ? "mediabestand" : "mediabestanden") + " als afzonderlijke bestanden.")
        }
        if mediaMissing > 0 {
            out.append("\(mediaMissing) "
                + (mediaMissing == 1 ? "mediabestand dat een bericht noemt, zat" : "mediabestanden die berichten noemen, zaten")
                + " niet in de export en " + (mediaMissing == 1 ? "ontbreekt" : "ontbreken") + " daarom.")
        }
        return out
    }

    private func sidecar(_ element: XMLElement, rel: String, about: String, kind: WrittenFile.Kind) throws(ExportError) -> WrittenFile {
        let data = try MessageWriting.sidecarData(element, rel: rel, about: about, schema: schema)
        try PackageFiles.write(data, to: root.appendingPathComponent(rel))
        return WrittenFile(path: rel, sha256: Digest.hex(data), size: Int64(data.count), kind: kind)
    }

    /// The rendition's format: HTML 5.
    static let html5 = FileFormat(label: "Hypertext Markup Language 5", pronom: "fmt/471", fileExtension: "html")

    /// The export file's format: a zip or text by its bytes; the SMS backup as XML.
    static func exportFormat(_ format: ChatFormat, _ bytes: Data) -> FileFormat {
        if format == .smsBackupRestore { return FileFormat(label: "Extensible Markup Language 1.0", pronom: "fmt/101", fileExtension: "xml") }
        return FormatIdentification.identify(bytes)
    }

    /// `PREFIX_<name>.<ext>` within ``PackageNames/attachmentMax`` bytes, in the package's characters.
    static func fileName(_ prefix: String, _ original: String, fallbackExtension: String) -> String {
        var base = PackageNames.slug(original, fallback: "bestand")
        var ext = ""
        if let dot = base.lastIndex(of: "."), base.distance(from: dot, to: base.endIndex) <= 9, dot != base.startIndex {
            ext = String(base[dot...])
            base = String(base[..<dot]).trimmingCharacters(in: CharacterSet(charactersIn: "_.-"))
        }
        if ext.isEmpty { ext = "." + fallbackExtension }
        let room = PackageNames.attachmentMax - prefix.utf8.count - 1 - ext.utf8.count
        if base.utf8.count > room { base = String(base.prefix(room)).trimmingCharacters(in: CharacterSet(charactersIn: "_.-")) }
        return base.isEmpty ? prefix + ext : prefix + "_" + base + ext
    }
}

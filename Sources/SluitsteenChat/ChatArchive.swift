// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport

/// Chat in the archive: taking an export in, the project lead's review (strip private messages, hand over to DIV),
/// and reading conversations back.
///
/// Ingest keeps the export file byte for byte in the content store (SHA-256, stored once, flushed to disk before the
/// catalog commit, as ingest does for mail), every media file on its own beside it, and the parsed messages as rows.
/// A conversation is always linked to a hotspot or a Woo request and to the registered person who handed it over.
///
/// Strip and hand-over (bijlage 4, privacy): stripping removes the chosen messages (and their media) from the catalog
/// at once and records only how many, by whom and when. The export file as received stays in the store until the
/// hand-over, so that the review can be checked against it; at hand-over, when anything was stripped, the export file
/// and the stripped media are removed from the store (their SHA-256 and size stay in the catalog, and the audit trail
/// says so), because the stripped messages must not reach DIV. A conversation nothing was stripped from keeps its
/// export file for good. After hand-over the conversation is read-only.
public struct ChatArchive: Sendable {
    public let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    /// What an ingest did.
    public struct IngestOutcome: Sendable, Equatable {
        public var conversationId: Int64
        public var title: String
        public var format: ChatFormat
        public var messages: Int
        public var systemLines: Int
        public var deleted: Int
        public var mediaStored: Int
        /// Media the messages name that the export does not hold.
        public var mediaMissing: [String]
        /// Senders matched to the personnel register: name → person_id.
        public var persons: [String: String]
        /// The export was taken in before: nothing changed.
        public var alreadyPresent: Bool
    }

    /// Takes the exports at `urls` in under `link`, handed over by `actor` (a registered person): each export is one
    /// conversation. All of them are read before anything is stored, and all are committed in one transaction: an
    /// export that cannot be read, an actor who is not a registered person, or an export taken in before under another
    /// link refuses the whole command with nothing stored. An export taken in before under the same link changes nothing.
    public func ingest(_ urls: [URL], link: ChatLink, actor: Actor, registers: Registers, dateOrder: DateOrder? = nil,
                       command: String = "chat ingest") throws(ChatError) -> [IngestOutcome] {
        guard let personId = actor.personId else {
            throw .refused("--by must be the person_id of the person who hands the chat over (people.csv), e.g. P0007")
        }
        guard !urls.isEmpty else { throw .refused("give the export file(s) to take in") }
        let reader = ChatExportReader(dateOrder: dateOrder, ownerName: actor.name)
        var exports: [(url: URL, bytes: Data, chat: ParsedChat, sha: String)] = []
        for url in urls {
            let (bytes, chat) = try reader.read(url)
            exports.append((url, bytes, chat, Digest.hex(bytes)))
        }
        let matcher = PersonMatcher(people: registers.people)
        let now = workspace.clock.now()
        return try workspace.withStoreLock(for: command, now: now, failure: { ChatError.archive($0) }) { _ throws(ChatError) in
            let known = try workspace.catalog.read(throwing: ChatError.self) { db in
                try exports.compactMap { e in try ChatConversationRecord.find(db, exportSHA256: e.sha) }
            }
            for k in known where !Self.sameLink(k, link) {
                throw .refused("\(k.sourceFile) was taken in before as conversation \(k.id ?? 0) under "
                    + (k.hotspotName.map { "hotspot \($0)" } ?? "Woo request \(k.zaaknummer ?? "")")
                    + "; nothing was stored. A conversation is archived for one hotspot or Woo request")
            }
            // The bytes first, durable, then the catalog: the catalog never names bytes that are not whole on disk.
            var stored = Set(known.map(\.exportSHA256))
            var fresh: [(url: URL, bytes: Data, chat: ParsedChat, sha: String, media: [(name: String, sha: String?, size: Int64?)])] = []
            for e in exports where stored.insert(e.sha).inserted {
                try put(e.bytes, sha256: e.sha)
                var media: [(name: String, sha: String?, size: Int64?)] = []
                for file in e.chat.mediaFiles {
                    let mediaSHA = Digest.hex(file.data)
                    try put(file.data, sha256: mediaSHA)
                    media.append((file.name, mediaSHA, Int64(file.data.count)))
                }
                for name in e.chat.missingMedia { media.append((name, nil, nil)) }
                fresh.append((e.url, e.bytes, e.chat, e.sha, media))
            }
            if !fresh.isEmpty { do throws(ArchiveError) { try workspace.store.flush() } catch { throw .archive(error) } }
            let capturedAt = ISOTimestamp.format(now)
            var outcomes = exports.compactMap { e -> IngestOutcome? in
                guard let k = known.first(where: { $0.exportSHA256 == e.sha }) else { return nil }
                return IngestOutcome(conversationId: k.id ?? 0, title: k.title, format: k.format, messages: k.messageCount, systemLines: 0,
                                     deleted: 0, mediaStored: 0, mediaMissing: [], persons: [:], alreadyPresent: true)
            }
            try workspace.catalog.write(throwing: ChatError.self) { db in
                for e in fresh {
                    outcomes.append(try record(e.chat, url: e.url, size: Int64(e.bytes.count), sha: e.sha, media: e.media, link: link,
                                               personId: personId, actor: actor, matcher: matcher, capturedAt: capturedAt,
                                               capturedEpoch: Int64(now.timeIntervalSince1970.rounded(.down)), command: command, db))
                }
            }
            return outcomes
        }
    }

    /// Writes one conversation, its messages, its media and its audit entry, inside the caller's transaction.
    private func record(_ chat: ParsedChat, url: URL, size: Int64, sha: String, media: [(name: String, sha: String?, size: Int64?)],
                        link: ChatLink, personId: String, actor: Actor, matcher: PersonMatcher, capturedAt: String, capturedEpoch: Int64,
                        command: String, _ db: Database) throws -> IngestOutcome {
        var persons: [String: String] = [:]
        var conversation = ChatConversationRecord(
            format: chat.format, title: chat.title, sourceFile: url.path, exportSHA256: sha, exportSize: size,
            dateOrder: chat.dateOrder, hotspotId: link.hotspot?.id, hotspotName: link.hotspot?.name, wooHoldId: link.hold?.id,
            zaaknummer: link.hold?.zaaknummer, handedOverBy: personId, handedOverByName: actor.name, capturedAt: capturedAt,
            capturedEpoch: capturedEpoch, firstTime: chat.messages.first?.timeText,
            firstEpoch: chat.messages.first?.instant.secondsSinceEpoch,
            lastTime: chat.messages.last?.timeText, lastEpoch: chat.messages.last?.instant.secondsSinceEpoch,
            messageCount: chat.messages.count)
        try conversation.insert(db)
        let id = conversation.id ?? db.lastInsertedRowID
        var firstSeq: [String: Int] = [:]
        for (index, m) in chat.messages.enumerated() {
            let personId = m.kind == .system ? nil : matcher.personId(for: m.sender)
            if let personId, let sender = m.sender { persons[sender] = personId }
            for name in m.media where firstSeq[name] == nil { firstSeq[name] = index + 1 }
            try ChatMessageRecord(conversationId: id, seq: index + 1, line: m.line, kind: m.kind, sender: m.sender,
                                  senderAddress: m.senderAddress, personId: personId, time: m.timeText,
                                  epoch: m.instant.secondsSinceEpoch, text: m.text, media: m.media, mediaOmitted: m.mediaOmitted).insert(db)
        }
        for row in media {
            try ChatMediaRecord(conversationId: id, name: row.name, sha256: row.sha, size: row.size, messageSeq: firstSeq[row.name],
                                state: row.sha == nil ? .missing : .stored).insert(db)
        }
        let system = chat.messages.filter { $0.kind == .system }.count
        let deleted = chat.messages.filter { $0.kind == .deleted }.count
        let missing = chat.missingMedia
        try workspace.audit.append(
            db, kind: .chatIngest, command: command, actor: actor.auditText,
            objectIds: ["chat:\(id)", "sha256:\(sha)"] + (link.hotspot.map { ["hotspot:\($0.id)"] } ?? [])
                + (link.hold.map { ["hold:\($0.id)"] } ?? []),
            outcome: "\(chat.format.displayName) export \(url.lastPathComponent) (\(size) bytes) taken in as conversation \(id) "
                + "under \(link.text), handed over by \(actor.documentText): \(chat.messages.count) messages (\(system) system lines, "
                + "\(deleted) deleted), \(media.count - missing.count) media files stored"
                + (missing.isEmpty ? "" : ", \(missing.count) named but not in the export"))
        return IngestOutcome(conversationId: id, title: chat.title, format: chat.format, messages: chat.messages.count,
                             systemLines: system, deleted: deleted, mediaStored: media.count - missing.count,
                             mediaMissing: missing, persons: persons, alreadyPresent: false)
    }

    private func put(_ data: Data, sha256: String) throws(ChatError) {
        do { try data.withUnsafeBytes { raw in _ = try workspace.store.put(raw, sha256: sha256) } } catch {
            throw .archive(ArchiveError(wrapping: error))
        }
    }

    private static func sameLink(_ c: ChatConversationRecord, _ link: ChatLink) -> Bool {
        switch link {
        case .hotspot(let h): return c.hotspotId == h.id
        case .woo(let h): return c.wooHoldId == h.id
        }
    }

    // MARK: Reading

    /// Every conversation, by id.
    public func conversations() throws(ChatError) -> [ChatConversationRecord] {
        try workspace.catalog.read(throwing: ChatError.self) { try ChatConversationRecord.all($0) }
    }

    /// The refusal for a conversation id the catalog does not have.
    static func unknown(_ id: Int64) -> ChatError { .notFound("conversation \(id) (see `sluitsteen chat list`)") }

    /// Conversation `id`, or ``ChatError/notFound(_:)``.
    public func conversation(_ id: Int64) throws(ChatError) -> ChatConversationRecord {
        guard let c = try workspace.catalog.read(throwing: ChatError.self, { try ChatConversationRecord.find($0, id: id) }) else {
            throw Self.unknown(id)
        }
        return c
    }

    /// The messages of one conversation (or all), in conversation and export order.
    public func messages(conversationId: Int64? = nil) throws(ChatError) -> [ChatMessageRecord] {
        try workspace.catalog.read(throwing: ChatError.self) { try ChatMessageRecord.all($0, conversationId: conversationId) }
    }

    /// The media files of a conversation.
    public func media(conversationId: Int64) throws(ChatError) -> [ChatMediaRecord] {
        try workspace.catalog.read(throwing: ChatError.self) { try ChatMediaRecord.all($0, conversationId: conversationId) }
    }

    /// The conversations the e-depot accepted, with the package and when (`transfer confirm`).
    public func transfers() throws(ChatError) -> [Int64: ChatTransfer] {
        try workspace.catalog.read(throwing: ChatError.self) { db in
            try ExportChatRecord.transfers(db).mapValues { ChatTransfer(packageId: $0.packageId, confirmedAt: $0.confirmedAt) }
        }
    }

    /// The strips of a conversation.
    public func strips(conversationId: Int64) throws(ChatError) -> [ChatStripRecord] {
        try workspace.catalog.read(throwing: ChatError.self) { try ChatStripRecord.all($0, conversationId: conversationId) }
    }

    // MARK: Review

    /// What a strip removed: how many messages and media files.
    public struct StripOutcome: Sendable, Equatable {
        public var messages: Int
        public var media: Int
    }

    /// Strips messages `seqs` (their numbers in `chat messages`) from conversation `id`: the project lead's removal of
    /// private messages before the hand-over. The messages and their media leave the catalog at once (and the
    /// catalog's log is checkpointed, so no copy of the text stays there); recorded is how many, by whom and when.
    /// Only the project lead of the conversation's hotspot, or for a Woo request the Woo-coördinator, may strip
    /// (``StripAuthority``).
    public func strip(conversationId id: Int64, seqs: [Int], actor: Actor, authority: StripAuthority) throws(ChatError) -> StripOutcome {
        let wanted = Array(Set(seqs)).sorted()
        guard !wanted.isEmpty else {
            throw .refused("give the numbers of the messages to strip (--message N, as `chat messages` shows them)")
        }
        guard actor.personId != nil else {
            throw .refused("--by must be the person_id of the project lead who strips the messages (people.csv), e.g. P0007")
        }
        let outcome = try workspace.catalog.write(throwing: ChatError.self) { db -> StripOutcome in
            guard let c = try ChatConversationRecord.find(db, id: id) else { throw Self.unknown(id) }
            guard c.state == .review else {
                throw ChatError.refused("conversation \(id) was handed over to DIV on \(c.handoverAt ?? "?") and is read-only: "
                    + "nothing can be stripped from it any more")
            }
            try authority.check(actor, strips: c)
            let present = try ChatMessageRecord.existing(db, conversationId: id, seqs: wanted)
            let unknown = wanted.filter { !present.contains($0) }
            guard unknown.isEmpty else {
                throw ChatError.refused("conversation \(id) has no message " + unknown.map(String.init).joined(separator: ", ")
                    + " (stripped already, or not a number `chat messages --conversation \(id)` shows); nothing was stripped")
            }
            let removed = try ChatMessageRecord.remove(db, conversationId: id, seqs: wanted)
            let media = try ChatMediaRecord.markStripped(db, conversationId: id, messageSeqs: wanted)
            var record = ChatStripRecord(conversationId: id, messageCount: removed, mediaCount: media,
                                         strippedAt: ISOTimestamp.format(workspace.clock.now()), strippedBy: actor.auditText)
            try record.insert(db)
            try workspace.audit.append(db, kind: .chatStrip, command: "chat strip", actor: actor.auditText, objectIds: ["chat:\(id)"],
                                       outcome: "\(removed) private message(s) stripped from conversation \(id)"
                                           + (media > 0 ? " with \(media) media file(s)" : "") + " before hand-over")
            return StripOutcome(messages: removed, media: media)
        }
        do { try workspace.catalog.checkpoint() } catch { throw .archive(error) }
        return outcome
    }

    /// What a hand-over did.
    public struct HandoverOutcome: Sendable, Equatable {
        public var messages: Int
        public var strippedMessages: Int
        /// The export file as received was removed from the store (messages had been stripped from it).
        public var exportRemoved: Bool
        /// Media files of stripped messages removed from the store.
        public var mediaRemoved: Int
    }

    /// Hands conversation `id` over to DIV: from now on it is read-only. When messages were stripped, the export file
    /// as received and the stripped media are removed from the store (see the type's discussion).
    public func handover(conversationId id: Int64, actor: Actor) throws(ChatError) -> HandoverOutcome {
        guard actor.personId != nil else {
            throw .refused("--by must be the person_id of the person who hands the conversation over (people.csv), e.g. P0007")
        }
        let now = workspace.clock.now()
        return try workspace.withStoreLock(for: "chat handover \(id)", now: now, failure: { ChatError.archive($0) }) { _ throws(ChatError) in
            typealias Done = (HandoverOutcome, String?, [String])
            let (outcome, export, mediaSHAs) = try workspace.catalog.write(throwing: ChatError.self) { db -> Done in
                guard let c = try ChatConversationRecord.find(db, id: id) else { throw Self.unknown(id) }
                guard c.state == .review else {
                    throw ChatError.refused("conversation \(id) was handed over already (on \(c.handoverAt ?? "?"), by "
                        + "\(c.handoverBy ?? "?"))")
                }
                let stripped = try ChatStripRecord.all(db, conversationId: id).reduce(0) { $0 + $1.messageCount }
                let mediaSHAs = try ChatMediaRecord.removeStripped(db, conversationId: id)
                let removeExport = stripped > 0
                try ChatConversationRecord.markHandedOver(db, id: id, at: ISOTimestamp.format(now), by: actor.auditText,
                                                          exportRemoved: removeExport)
                let kept = try ChatMessageRecord.all(db, conversationId: id).count
                try workspace.audit.append(
                    db, kind: .chatHandover, command: "chat handover", actor: actor.auditText,
                    objectIds: ["chat:\(id)", "sha256:\(c.exportSHA256)"],
                    outcome: "conversation \(id) handed over to DIV with \(kept) messages; read-only from now on"
                        + (removeExport ? "; \(stripped) message(s) were stripped, so the export file as received (sha256 "
                            + "\(c.exportSHA256.prefix(12)), \(c.exportSize) bytes) and \(mediaSHAs.count) stripped media file(s) are "
                            + "removed from the store" : "; the export file is kept"))
                let done = HandoverOutcome(messages: kept, strippedMessages: stripped, exportRemoved: removeExport,
                                           mediaRemoved: mediaSHAs.count)
                return (done,
                        removeExport ? c.exportSHA256 : nil, mediaSHAs)
            }
            do throws(ArchiveError) {
                for sha in mediaSHAs + (export.map { [$0] } ?? []) { try workspace.store.remove(sha) }
                try workspace.store.flush()
            } catch {
                // The catalog no longer names them: `store verify --repair` removes what was left.
                throw ChatError.archive(error)
            }
            return outcome
        }
    }
}

extension ChatLink {
    var hotspot: Hotspot? { if case .hotspot(let h) = self { return h } else { return nil } }
    var hold: WooHold? { if case .woo(let h) = self { return h } else { return nil } }
}

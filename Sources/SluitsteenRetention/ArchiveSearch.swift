// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// What to look for: words in the text (the full-text index) and filters on the catalog and the decisions.
public struct SearchQuery: Sendable, Equatable {
    /// Words that must all occur in the subject or a text part (a quoted part is a phrase).
    public var text: String?
    /// Only these mailboxes (lowercase addresses); empty = every mailbox in scope.
    public var mailboxes: [String]
    /// Message date from and to (Amsterdam days, both included).
    public var from: CivilDate?
    public var to: CivilDate?
    /// A part of a sender's or a recipient's address or name.
    public var sender: String?
    public var recipient: String?
    /// A part of the folder's name (case-insensitive); only copies still in the archive have one (a destroyed copy's
    /// folder name went with it).
    public var folder: String?
    /// Only messages with (true) or without (false) attachments.
    public var hasAttachments: Bool?
    /// Only what this hotspot (name) or Woo request (hold id or zaaknummer) covers.
    public var hotspot: String?
    public var wooRequest: String?
    /// Only this class and action (as decided now).
    public var messageClass: MessageClass?
    public var action: RetentionAction?
    /// Also list destroyed, purged and transferred copies (metadata only).
    public var includeGone: Bool
    /// 1-based page, and results per page.
    public var page: Int
    public var pageSize: Int

    public init(text: String? = nil, mailboxes: [String] = [], from: CivilDate? = nil, to: CivilDate? = nil, sender: String? = nil,
                recipient: String? = nil, folder: String? = nil, hasAttachments: Bool? = nil, hotspot: String? = nil,
                wooRequest: String? = nil,
                messageClass: MessageClass? = nil, action: RetentionAction? = nil, includeGone: Bool = false, page: Int = 1,
                pageSize: Int = 50) {
        self.text = text
        self.mailboxes = mailboxes.map { $0.lowercased() }
        self.from = from
        self.to = to
        self.sender = sender
        self.recipient = recipient
        self.folder = folder
        self.hasAttachments = hasAttachments
        self.hotspot = hotspot
        self.wooRequest = wooRequest
        self.messageClass = messageClass
        self.action = action
        self.includeGone = includeGone
        self.page = max(1, page)
        self.pageSize = min(max(1, pageSize), 500)
    }
}

/// One copy found, with the facts a result list shows.
public struct SearchHit: Sendable, Equatable {
    public var copyId: Int64
    public var mailbox: String
    public var folder: String
    public var messageId: String
    /// The message date as written (ISO 8601 with its offset), if any.
    public var date: String?
    public var dateEpoch: Int64?
    public var sender: String
    public var subject: String
    public var attachmentCount: Int
    public var state: CopyState
    /// The decision now (nil for a copy no longer in the archive).
    public var messageClass: MessageClass?
    public var action: RetentionAction?
    public var rules: [RuleRef]
    /// Woo holds (ids) that cover it now.
    public var heldBy: [String]
}

/// A page of results and how many there are in all.
public struct SearchResult: Sendable, Equatable {
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var hits: [SearchHit]
    public var pages: Int { max(1, (total + pageSize - 1) / pageSize) }
}

/// Searches the archive: the full-text index and the catalog's metadata, with the decisions of now, within a scope of
/// mailboxes (the caller's access scope: nil = every mailbox). Reads only: the index is used as it is (commands that
/// must see every message bring it up to date first).
public struct ArchiveSearch: Sendable {
    public let workspace: Workspace
    public let policy: Policy

    public init(workspace: Workspace, policy: Policy) {
        self.workspace = workspace
        self.policy = policy
    }

    /// Runs `query` within `scope` (mailboxes; nil = all). Results are ordered by message date, newest first.
    public func run(_ query: SearchQuery, scope: Set<String>?) throws(RetentionError) -> SearchResult {
        if let scope, scope.isEmpty { return SearchResult(total: 0, page: query.page, pageSize: query.pageSize, hits: []) }
        var search = CopySearch()
        search.includeGone = query.includeGone
        var boxes = query.mailboxes
        if let scope { boxes = boxes.isEmpty ? Array(scope) : boxes.filter(scope.contains) }
        if !boxes.isEmpty || scope != nil {
            guard !boxes.isEmpty else { return SearchResult(total: 0, page: query.page, pageSize: query.pageSize, hits: []) }
            search.mailboxes = boxes
        }
        search.fromEpoch = query.from.map { AmsterdamTime.instant(date: $0, secondOfDay: 0).secondsSinceEpoch }
        search.beforeEpoch = query.to.map { AmsterdamTime.instant(date: $0.adding(days: 1), secondOfDay: 0).secondsSinceEpoch }
        search.sender = query.sender?.trimmingCharacters(in: .whitespaces).nonEmptyText
        search.recipient = query.recipient?.trimmingCharacters(in: .whitespaces).nonEmptyText
        search.folder = query.folder?.trimmingCharacters(in: .whitespaces).nonEmptyText
        search.hasAttachments = query.hasAttachments
        search.textQuery = query.text?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmptyText.map(Self.ftsQuery)
        let needsDecisions = query.messageClass != nil || query.action != nil || query.hotspot != nil || query.wooRequest != nil
        let holds = try RetentionStore(workspace: workspace).holds()
        let engine = RetentionEngine(workspace: workspace, policy: policy)
        return try workspace.catalog.read(throwing: RetentionError.self) { db -> SearchResult in
            var rows = try search.run(db)
            let present = Set(rows.filter { $0.state.isInArchive }.map(\.copyId))
            // Decisions: for every candidate when a filter needs them, else only for the page shown.
            var decided: [Int64: DecidedCopy] = [:]
            if needsDecisions {
                decided = try engine.decide(copyIds: present, asOf: Instant(workspace.clock.now()), in: db)
                rows = rows.filter { row in
                    guard let d = decided[row.copyId]?.decision else { return false }
                    if let c = query.messageClass, d.messageClass != c { return false }
                    if let a = query.action, d.action != a { return false }
                    if let h = query.hotspot, !d.rules.contains(.hotspot(name: h)) { return false }
                    if let w = query.wooRequest {
                        let zaak = holds.first { $0.id == w || $0.zaaknummer == w }?.zaaknummer ?? w
                        if !d.rules.contains(.wooHold(zaaknummer: zaak)) { return false }
                    }
                    return true
                }
            }
            let total = rows.count
            let pageRows = rows.dropFirst((query.page - 1) * query.pageSize).prefix(query.pageSize)
            if !needsDecisions {
                let ids = Set(pageRows.map(\.copyId)).intersection(present)
                decided = try engine.decide(copyIds: ids, asOf: Instant(workspace.clock.now()), in: db)
            }
            let hits = pageRows.map { row -> SearchHit in
                let d = decided[row.copyId]?.decision
                let held = (d?.rules ?? []).compactMap(\.zaaknummer).compactMap { zaak in holds.first { $0.zaaknummer == zaak }?.id }
                return SearchHit(copyId: row.copyId, mailbox: row.mailbox, folder: row.folder, messageId: row.messageId, date: row.date,
                                 dateEpoch: row.dateEpoch, sender: Self.firstAddress(row.fromJSON), subject: row.subject,
                                 attachmentCount: row.attachmentCount, state: row.state, messageClass: d?.messageClass,
                                 action: d?.action, rules: d?.rules ?? [], heldBy: held)
            }
            return SearchResult(total: total, page: query.page, pageSize: query.pageSize, hits: hits)
        }
    }

    /// The words of `text` as an FTS5 query: every word (or quoted phrase) must occur; operators are not passed on.
    static func ftsQuery(_ text: String) -> String {
        var parts: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "\"") {
            let before = rest[..<open]
            parts += TextMatcher.words(in: String(before)).map { "\"\($0)\"" }
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: "\"") else { break }
            let phrase = TextMatcher.words(in: String(rest[..<close]))
            if !phrase.isEmpty { parts.append("\"" + phrase.joined(separator: " ") + "\"") }
            rest = rest[rest.index(after: close)...]
        }
        parts += TextMatcher.words(in: String(rest)).map { "\"\($0)\"" }
        return parts.isEmpty ? "\"\"" : parts.joined(separator: " AND ")
    }

    /// "Name <address>" of the first sender in a catalog address list.
    static func firstAddress(_ json: String) -> String {
        CatalogAddress.list(json: json).first?.text ?? ""
    }
}

extension String {
    /// nil when empty.
    fileprivate var nonEmptyText: String? { isEmpty ? nil : self }
}

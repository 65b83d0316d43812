// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

extension ArchiveSearch {
    /// What ``run(_:scope:)`` gives — the same conditions, order, total and page — with the counting and the paging done
    /// by SQLite when no filter needs the decisions of now (class, action, hotspot, Woo request): one count and one page
    /// of rows are read, not every copy that matches. Used where a search runs on every request (the web service's
    /// search page, where reading all 100,000 rows of a broad search took a third of a second). With a filter on the
    /// decisions it is ``run(_:scope:)``, which decides every candidate.
    ///
    /// The conditions are ``run(_:scope:)``'s, written a second time (the tests compare the two on every filter);
    /// ``run(_:scope:)`` could page this way itself.
    public func runPaged(_ query: SearchQuery, scope: Set<String>?) throws(RetentionError) -> SearchResult {
        if query.messageClass != nil || query.action != nil || query.hotspot != nil || query.wooRequest != nil {
            return try run(query, scope: scope)
        }
        let empty = SearchResult(total: 0, page: query.page, pageSize: query.pageSize, hits: [])
        if let scope, scope.isEmpty { return empty }
        var conditions: [String] = [query.includeGone ? "1" : "c.state = 'present'"]
        var args: [any DatabaseValueConvertible] = []
        var boxes = query.mailboxes
        if let scope { boxes = boxes.isEmpty ? Array(scope) : boxes.filter(scope.contains) }
        if !boxes.isEmpty || scope != nil {
            guard !boxes.isEmpty else { return empty }
            conditions.append("c.mailbox IN (SELECT value FROM json_each(?))")
            args.append(JSONText.array(boxes.sorted()))
        }
        if let from = query.from {
            conditions.append("COALESCE(m.dateEpoch, c.capturedEpoch) >= ?")
            args.append(AmsterdamTime.instant(date: from, secondOfDay: 0).secondsSinceEpoch)
        }
        if let to = query.to {
            conditions.append("COALESCE(m.dateEpoch, c.capturedEpoch) < ?")
            args.append(AmsterdamTime.instant(date: to.adding(days: 1), secondOfDay: 0).secondsSinceEpoch)
        }
        if let s = query.sender?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
            conditions.append("instr(lower(m.fromJSON), ?) > 0")
            args.append(s.lowercased())
        }
        if let r = query.recipient?.trimmingCharacters(in: .whitespaces), !r.isEmpty {
            conditions.append("(instr(lower(m.toJSON), ?) > 0 OR instr(lower(m.ccJSON), ?) > 0 OR instr(lower(m.bccJSON), ?) > 0)")
            args += [r.lowercased(), r.lowercased(), r.lowercased()]
        }
        if let f = query.folder?.trimmingCharacters(in: .whitespaces), !f.isEmpty {
            conditions.append(CopySearch.folderCondition)
            args.append(f.lowercased())
        }
        if let a = query.hasAttachments { conditions.append(a ? "m.attachmentCount > 0" : "m.attachmentCount = 0") }
        if let text = query.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            conditions.append("c.messageRowid IN (SELECT rowid FROM messageText WHERE messageText MATCH ?)")
            args.append(Self.ftsQuery(text))
        }
        let from = "FROM copy c JOIN message m ON m.rowid = c.messageRowid WHERE \(conditions.joined(separator: " AND "))"
        let page = """
            SELECT c.id, c.mailbox, c.folder, m.messageId, m.date, m.dateEpoch, substr(m.fromJSON, 1, 2000) AS fromJSON,
                   substr(m.subject, 1, 1000) AS subject, m.attachmentCount, c.state
            \(from)
            ORDER BY COALESCE(m.dateEpoch, c.capturedEpoch) DESC, c.id DESC LIMIT ? OFFSET ?
            """
        let holds = try RetentionStore(workspace: workspace).holds()
        let engine = RetentionEngine(workspace: workspace, policy: policy)
        return try workspace.catalog.read(throwing: RetentionError.self) { db -> SearchResult in
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) " + from, arguments: StatementArguments(args)) ?? 0
                let rows = try Row.fetchAll(db, sql: page, arguments: StatementArguments(args + [query.pageSize, (query.page - 1) * query.pageSize]))
                let present = Set(rows.filter { ($0["state"] as String) != "destroyed" && ($0["state"] as String) != "purged" }
                                      .map { $0["id"] as Int64 })
                let decided = try engine.decide(copyIds: present, asOf: Instant(workspace.clock.now()), in: db)
                let hits = rows.map { row -> SearchHit in
                    let id: Int64 = row["id"]
                    let d = decided[id]?.decision
                    let held = (d?.rules ?? []).compactMap(\.zaaknummer).compactMap { zaak in holds.first { $0.zaaknummer == zaak }?.id }
                    return SearchHit(copyId: id, mailbox: row["mailbox"], folder: row["folder"], messageId: row["messageId"], date: row["date"],
                                     dateEpoch: row["dateEpoch"], sender: Self.firstAddress(row["fromJSON"]), subject: row["subject"],
                                     attachmentCount: row["attachmentCount"], state: row["state"], messageClass: d?.messageClass,
                                     action: d?.action, rules: d?.rules ?? [], heldBy: held)
                }
                return SearchResult(total: total, page: query.page, pageSize: query.pageSize, hits: hits)
        }
    }
}

// SPDX-License-Identifier: EUPL-1.2
import GRDB
import SluitsteenSupport

/// A message's header values as a transfer package describes them, each bounded in the query itself (so that memory
/// does not follow the length of a value: the catalog may hold a Subject of megabytes from a hostile message).
public struct MessageHeaders: Sendable, Equatable {
    /// How much of each value is read.
    public struct Limits: Sendable {
        /// Characters of the subject.
        public var subject: Int
        /// Characters of a person's name or address.
        public var party: Int
        /// Addresses per role (sender, addressees, cc).
        public var parties: Int
        /// Characters of a Message-ID (a longer one is read as empty).
        public var messageId: Int

        public init(subject: Int, party: Int, parties: Int, messageId: Int) {
            self.subject = subject
            self.party = party
            self.parties = parties
            self.messageId = messageId
        }
    }

    public var sha256: String
    public var size: Int64
    /// The Message-ID; empty when it is longer than the limit.
    public var messageId: String
    /// The length of the Message-ID in the catalog (characters).
    public var messageIdLength: Int
    public var messageIdSynthetic: Bool
    public var date: String?
    /// The subject, at most one character more than the limit (so that a longer one shows it is cut).
    public var subject: String
    /// The length of the subject in the catalog (characters).
    public var subjectLength: Int
    /// Senders, addressees and cc addressees (an entry without an address is left out), names and addresses cut.
    public var from: [CatalogAddress]
    public var to: [CatalogAddress]
    public var cc: [CatalogAddress]
    /// How many entries each list holds in the catalog.
    public var partyCounts: (from: Int, to: Int, cc: Int)

    public static func == (a: MessageHeaders, b: MessageHeaders) -> Bool {
        a.sha256 == b.sha256 && a.size == b.size && a.messageId == b.messageId && a.messageIdLength == b.messageIdLength
            && a.messageIdSynthetic == b.messageIdSynthetic && a.date == b.date && a.subject == b.subject
            && a.subjectLength == b.subjectLength && a.from == b.from && a.to == b.to && a.cc == b.cc && a.partyCounts == b.partyCounts
    }

    /// The headers of the messages with these SHA-256s, by SHA-256. A list column that is not valid JSON lists nobody.
    public static func fetch(_ db: Database, sha256s: [String], limits: Limits) throws -> [String: MessageHeaders] {
        let list = JSONText.array(sha256s)
        // Senders, addressees and cc addressees: role 0, 1, 2; at most `parties` of each, with names and addresses cut.
        var parties: [String: [[CatalogAddress]]] = [:]
        let partyRows = try Row.fetchCursor(db, sql: """
            SELECT m.sha256, r.role, substr(json_extract(j.value, '$.name'), 1, ?), substr(json_extract(j.value, '$.address'), 1, ?)
            FROM message m
            JOIN (SELECT 0 AS role UNION ALL SELECT 1 UNION ALL SELECT 2) r
            JOIN json_each(CASE WHEN json_valid(CASE r.role WHEN 0 THEN m.fromJSON WHEN 1 THEN m.toJSON ELSE m.ccJSON END)
                                THEN CASE r.role WHEN 0 THEN m.fromJSON WHEN 1 THEN m.toJSON ELSE m.ccJSON END ELSE '[]' END) j
            WHERE m.sha256 IN (SELECT value FROM json_each(?)) AND j.key < ?
            ORDER BY m.sha256, r.role, j.key
            """, arguments: [limits.party, limits.party, list, limits.parties])
        while let r = try partyRows.next() {
            let name: String? = r[2]
            guard let address: String = r[3], !address.isEmpty else { continue }
            parties[r[0], default: [[], [], []]][r[1] as Int].append(CatalogAddress(name: name, address: address))
        }
        var out: [String: MessageHeaders] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT sha256, size, CASE WHEN length(messageId) <= ? THEN messageId ELSE '' END, length(messageId), messageIdSynthetic,
                   date, substr(subject, 1, ?), length(subject),
                   CASE WHEN json_valid(fromJSON) THEN json_array_length(fromJSON) ELSE 0 END,
                   CASE WHEN json_valid(toJSON) THEN json_array_length(toJSON) ELSE 0 END,
                   CASE WHEN json_valid(ccJSON) THEN json_array_length(ccJSON) ELSE 0 END
            FROM message WHERE sha256 IN (SELECT value FROM json_each(?))
            """, arguments: [limits.messageId, limits.subject + 1, list])
        for r in rows {
            let sha: String = r[0]
            let p = parties[sha] ?? [[], [], []]
            out[sha] = MessageHeaders(sha256: sha, size: r[1], messageId: r[2], messageIdLength: r[3], messageIdSynthetic: r[4],
                                      date: r[5], subject: r[6], subjectLength: r[7], from: p[0], to: p[1], cc: p[2],
                                      partyCounts: (r[8], r[9], r[10]))
        }
        return out
    }
}

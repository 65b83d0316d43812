// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// A person in the personnel register (people.csv), with the period of employment.
public struct Person: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var employedFrom: CivilDate?
    /// Last day of employment; nil while employed.
    public var employedTo: CivilDate?
    public init(id: String, name: String, employedFrom: CivilDate?, employedTo: CivilDate?) {
        self.id = id
        self.name = name
        self.employedFrom = employedFrom
        self.employedTo = employedTo
    }
}

/// One period in which a person held a role (roles.csv); both days included, `validTo == nil` = ongoing.
public struct RoleAssignment: Sendable, Hashable, Codable {
    public var personId: String
    public var role: String
    public var validFrom: CivilDate
    public var validTo: CivilDate?
    public init(personId: String, role: String, validFrom: CivilDate, validTo: CivilDate?) {
        self.personId = personId
        self.role = role
        self.validFrom = validFrom
        self.validTo = validTo
    }
    public var period: DatePeriod { DatePeriod(from: validFrom, to: validTo) }
}

/// Whether a mailbox belongs to one person or to a team or function.
public enum MailboxKind: String, Sendable, Hashable, Codable {
    case personal
    case functional
}

/// A registered mailbox (mailboxes.csv). The address is kept in lowercase; addresses compare case-insensitively.
public struct MailboxEntry: Sendable, Hashable, Codable {
    public var address: String
    public var kind: MailboxKind
    /// The owner of a personal mailbox; nil for a functional one.
    public var personId: String?
    public init(address: String, kind: MailboxKind, personId: String?) {
        self.address = address.lowercased()
        self.kind = kind
        self.personId = personId
    }
}

/// One period in which a person may approve destruction lists in an approver role (approvers.csv), e.g. `div` or
/// `archivist` as the policy's destruction approvals name them; both days included, `validTo == nil` = ongoing.
public struct ApproverAssignment: Sendable, Hashable, Codable {
    public var personId: String
    public var approverRole: String
    public var validFrom: CivilDate
    public var validTo: CivilDate?
    public init(personId: String, approverRole: String, validFrom: CivilDate, validTo: CivilDate?) {
        self.personId = personId
        self.approverRole = approverRole
        self.validFrom = validFrom
        self.validTo = validTo
    }
    public var period: DatePeriod { DatePeriod(from: validFrom, to: validTo) }
}

/// One period in which a person belongs to a team, as a member or as its manager (teams.csv): who a teammanager may
/// read the mail of. Both days included, `validTo == nil` = ongoing.
public struct TeamMembership: Sendable, Hashable, Codable {
    /// A member of the team (`lid`) or its manager (`manager`).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case lid, manager
    }
    public var personId: String
    public var team: String
    public var membership: Kind
    public var validFrom: CivilDate
    public var validTo: CivilDate?
    public init(personId: String, team: String, membership: Kind, validFrom: CivilDate, validTo: CivilDate?) {
        self.personId = personId
        self.team = team
        self.membership = membership
        self.validFrom = validFrom
        self.validTo = validTo
    }
    public var period: DatePeriod { DatePeriod(from: validFrom, to: validTo) }
}

/// The registers Sluitsteen needs: people, their role periods and mailboxes (to classify mail), who may approve
/// destruction lists in which role (approvers; optional), and teams with their managers (teams; optional).
public struct Registers: Sendable, Hashable, Codable {
    public var people: [Person]
    public var roles: [RoleAssignment]
    public var mailboxes: [MailboxEntry]
    public var approvers: [ApproverAssignment]
    public var teams: [TeamMembership]
    public init(people: [Person] = [], roles: [RoleAssignment] = [], mailboxes: [MailboxEntry] = [],
                approvers: [ApproverAssignment] = [], teams: [TeamMembership] = []) {
        self.people = people
        self.roles = roles
        self.mailboxes = mailboxes
        self.approvers = approvers
        self.teams = teams
    }

    private enum CodingKeys: String, CodingKey { case people, roles, mailboxes, approvers, teams }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        people = try c.decode([Person].self, forKey: .people)
        roles = try c.decode([RoleAssignment].self, forKey: .roles)
        mailboxes = try c.decode([MailboxEntry].self, forKey: .mailboxes)
        // Registers imported before approvers were kept have none.
        approvers = try c.decodeIfPresent([ApproverAssignment].self, forKey: .approvers) ?? []
        teams = try c.decodeIfPresent([TeamMembership].self, forKey: .teams) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(people, forKey: .people)
        try c.encode(roles, forKey: .roles)
        try c.encode(mailboxes, forKey: .mailboxes)
        // Left out when empty, so that registers without approvers keep the JSON (and hash) they always had.
        if !approvers.isEmpty { try c.encode(approvers, forKey: .approvers) }
        if !teams.isEmpty { try c.encode(teams, forKey: .teams) }
    }
}

/// One problem found while importing a register, naming the file, line and column.
public struct RegisterIssue: Sendable, Hashable, CustomStringConvertible {
    /// An error stops the import; a warning is reported and the row is kept.
    public enum Severity: String, Sendable, Hashable { case error, warning }
    public var severity: Severity
    public var file: String
    public var line: Int
    /// 1-based column number, when the problem is in one field.
    public var column: Int?
    /// The column's header name, when the problem is in one field.
    public var columnName: String?
    public var message: String

    public init(severity: Severity, file: String, line: Int, column: Int?, columnName: String?, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    public var description: String {
        var place = "\(file):\(line)"
        if let column { place += ":\(column)" }
        let col = columnName.map { " (column \($0))" } ?? ""
        return "\(place)\(col): \(severity.rawValue): \(message)"
    }
}

/// A register file's name (for messages) and its text.
public struct RegisterSource: Sendable {
    public var name: String
    public var text: String
    /// How the file's bytes were read (``CSVText/decode(_:)``): a Windows-1252 file is read with a warning.
    public var encoding: CSVText.Encoding
    public init(name: String, text: String, encoding: CSVText.Encoding = .utf8) {
        self.name = name
        self.text = text
        self.encoding = encoding
    }

    /// Reads a register file: UTF-8 (with or without a byte order mark) or, as a Dutch Excel saves CSV, Windows-1252.
    public static func read(_ url: URL) throws(RegisterReadError) -> RegisterSource {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(file: url.path, reason: error.localizedDescription) }
        do throws(CSVText.Refusal) {
            let (text, encoding) = try CSVText.decode(data)
            return RegisterSource(name: url.lastPathComponent, text: text, encoding: encoding)
        } catch {
            throw .notText(file: url.path, refusal: error)
        }
    }
}

/// The result of importing the registers: what was read, and every error and warning.
/// Use `registers` only when `errors` is empty.
public struct RegisterImport: Sendable {
    public var registers: Registers
    public var errors: [RegisterIssue]
    public var warnings: [RegisterIssue]
    public var isValid: Bool { errors.isEmpty }
}

/// A register file could not be read at all.
public enum RegisterReadError: Error, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// The file is not a CSV text (UTF-16, a workbook, binary): what it is and how to save it.
    case notText(file: String, refusal: CSVText.Refusal)
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "Cannot read register file \(file): \(reason). Check the path; the file must be UTF-8 CSV."
        case .notText(let file, let refusal):
            return "Register file \(file) cannot be read: \(refusal)."
        }
    }
}

extension Registers {
    /// Reads and validates people.csv, roles.csv and mailboxes.csv, and approvers.csv and teams.csv when given.
    public static func load(people: URL, roles: URL, mailboxes: URL, approvers: URL? = nil, teams: URL? = nil,
                            policy: Policy) throws(RegisterReadError) -> RegisterImport {
        func read(_ url: URL) throws(RegisterReadError) -> RegisterSource { try RegisterSource.read(url) }
        var approverSource: RegisterSource? = nil, teamSource: RegisterSource? = nil
        if let approvers { approverSource = try read(approvers) }
        if let teams { teamSource = try read(teams) }
        return parse(people: try read(people), roles: try read(roles), mailboxes: try read(mailboxes), approvers: approverSource,
                     teams: teamSource, policy: policy)
    }

    /// Parses and validates the register files (RFC 4180 CSV with `,` or `;`, header line required).
    ///
    /// Files given in the wrong places are recognised by their headers: when every file's header is that of exactly
    /// one register and each register is given once, they are read as what they are, with a warning that names each
    /// file given in another register's place; otherwise the misplaced file's error names the register its header is of.
    public static func parse(people: RegisterSource, roles: RegisterSource, mailboxes: RegisterSource,
                             approvers: RegisterSource? = nil, teams: RegisterSource? = nil, policy: Policy) -> RegisterImport
    {
        var given: [(Kind, RegisterSource)] = [(.people, people), (.roles, roles), (.mailboxes, mailboxes)]
        if let approvers { given.append((.approvers, approvers)) }
        if let teams { given.append((.teams, teams)) }
        var warnings: [RegisterIssue] = []
        let recognised = given.map { Kind.recognise($0.1.text) }
        var byKind: [Kind: RegisterSource] = [:]
        for ((_, source), kind) in zip(given, recognised) { if let kind { byKind[kind] = source } }
        let misplaced = zip(given, recognised).filter { $0.1 != nil && $0.1 != $0.0.0 }
        if !misplaced.isEmpty, byKind.count == given.count, Set(given.map(\.0)) == Set(byKind.keys) {
            for ((slot, source), kind) in misplaced {
                warnings.append(RegisterIssue(severity: .warning, file: source.name, line: 1, column: nil, columnName: nil,
                    message: "this file was given as \(slot.fileName), but its header is that of \(kind!.fileName): "
                        + "it was read as \(kind!.fileName)"))
            }
            for (slot, _) in given { if let source = byKind[slot] { given[given.firstIndex { $0.0 == slot }!].1 = source } }
        }
        func source(_ kind: Kind) -> RegisterSource? { given.first { $0.0 == kind }?.1 }
        var parser = RegisterParser(policy: policy)
        for (_, s) in given where s.encoding == .windows1252 {
            parser.warnings.append(RegisterIssue(severity: .warning, file: s.name, line: 1, column: nil, columnName: nil,
                message: "the file is not UTF-8 and was read as Windows-1252 "
                    + "(as Excel saves \"CSV (gescheiden door lijstscheidingsteken)\"); "
                    + "check that names with accents are right, or save it as \"CSV UTF-8\""))
        }
        let result = parser.run(people: source(.people)!, roles: source(.roles)!, mailboxes: source(.mailboxes)!,
                                approvers: source(.approvers), teams: source(.teams))
        return RegisterImport(registers: result, errors: parser.errors, warnings: warnings + parser.warnings)
    }

    /// The register a CSV header belongs to, by its columns (so that files given in any order are recognised).
    public enum Kind: String, Sendable, CaseIterable {
        case people, roles, mailboxes, approvers, teams

        /// The columns the header must name.
        public var columns: [String] {
            switch self {
            case .people: return ["person_id", "name", "employed_from", "employed_to"]
            case .roles: return ["person_id", "role", "valid_from", "valid_to"]
            case .mailboxes: return ["address", "kind", "person_id"]
            case .approvers: return ["person_id", "approver_role", "valid_from", "valid_to"]
            case .teams: return ["person_id", "team", "membership", "valid_from", "valid_to"]
            }
        }

        /// The usual file name.
        public var fileName: String { rawValue + ".csv" }

        /// The register whose columns the first line of `text` names, if exactly one fits.
        public static func recognise(_ text: String) -> Kind? {
            let names = Set(headerNames(text))
            let fits = Kind.allCases.filter { Set($0.columns).isSubset(of: names) }
            return fits.count == 1 ? fits[0] : nil
        }

        /// The column names of the header line of `text` (read as ``CSVTable`` reads it: `,` or `;`, quotes, a byte
        /// order mark), lower-cased.
        static func headerNames(_ text: String) -> [String] {
            let firstLine = String(text.prefix { $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
            return (try? CSVTable(text: firstLine))?.header ?? []
        }
    }
}

struct RegisterParser {
    let policy: Policy
    var errors: [RegisterIssue] = []
    var warnings: [RegisterIssue] = []
    /// Files whose header could not be used: checks that depend on them are skipped, so that one bad header gives one
    /// error, not one per line of the other files.
    var unusable: Set<String> = []

    init(policy: Policy) { self.policy = policy }

    struct Row {
        let file: String
        let line: Int
        let columns: [String: Int]  // name → 0-based index
        let fields: [String]
        func value(_ name: String) -> String {
            guard let i = columns[name], i < fields.count else { return "" }
            return fields[i].trimmedSpaces
        }
        func column(_ name: String) -> Int? { columns[name].map { $0 + 1 } }
    }

    mutating func issue(_ severity: RegisterIssue.Severity, _ row: Row, _ column: String?, _ message: String) {
        let i = RegisterIssue(severity: severity, file: row.file, line: row.line, column: column.flatMap { row.column($0) },
                              columnName: column, message: message)
        if severity == .error { errors.append(i) } else { warnings.append(i) }
    }

    mutating func rows(_ source: RegisterSource, required: [String]) -> [Row] {
        // A header with no , or ; but with tabs or bars between the names: say so once, before any other error.
        let firstLine = source.text.prefix { $0 != "\n" && $0 != "\r" && $0 != "\r\n" }
        if !firstLine.contains(","), !firstLine.contains(";"),
           let other = [("\t", "tabs"), ("|", "vertical bars")].first(where: { firstLine.contains($0.0) }) {
            errors.append(RegisterIssue(
                severity: .error, file: source.name, line: 1, column: nil, columnName: nil,
                message: "the file separates its fields with \(other.1); a register is CSV with , or ; between fields "
                    + "(save it as \"CSV UTF-8\")"))
            unusable.insert(source.name)
            return []
        }
        let table: CSVTable
        do {
            table = try CSVTable(text: source.text)
        } catch {
            errors.append(RegisterIssue(severity: .error, file: source.name, line: error.line, column: error.column,
                                        columnName: nil, message: error.message))
            unusable.insert(source.name)
            return []
        }
        var columns: [String: Int] = [:]
        for (i, name) in table.header.enumerated() {
            if columns[name] != nil {
                errors.append(RegisterIssue(severity: .error, file: source.name, line: table.headerLine, column: i + 1,
                                            columnName: name, message: "column '\(name)' appears twice in the header"))
            } else {
                columns[name] = i
            }
            if !required.contains(name) {
                warnings.append(RegisterIssue(severity: .warning, file: source.name, line: table.headerLine,
                                              column: i + 1, columnName: name,
                                              message: "column '\(name)' is not used and will be ignored"))
            }
        }
        let missing = required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            // A header of another register: the files were given in the wrong places; say so, not which columns lack.
            if let other = Registers.Kind.recognise(source.text), other.columns != required,
               let slot = Registers.Kind.allCases.first(where: { $0.columns == required }) {
                errors.append(RegisterIssue(
                    severity: .error, file: source.name, line: table.headerLine, column: nil, columnName: nil,
                    message: "this file was given as \(slot.fileName), but its header (\(other.columns.joined(separator: ","))) is that of "
                        + "\(other.fileName); give each register in its place (`register import` recognises them in any order)"))
                unusable.insert(source.name)
                return []
            }
            errors.append(RegisterIssue(
                severity: .error, file: source.name, line: table.headerLine, column: nil, columnName: nil,
                message: "the header must name the columns \(required.joined(separator: ",")); missing: \(missing.joined(separator: ", ")). The " +
                         "first line of the file is the header."))
            unusable.insert(source.name)
            return []
        }
        if table.records.isEmpty, required == Registers.Kind.people.columns || required == Registers.Kind.mailboxes.columns {
            errors.append(RegisterIssue(
                severity: .error, file: source.name, line: table.headerLine, column: nil, columnName: nil,
                message: "the file has a header but no rows; importing it would empty the register (every mailbox would become unclassified). " +
                         "Give the full register."))
            unusable.insert(source.name)
            return []
        }
        var out: [Row] = []
        for r in table.records {
            let row = Row(file: source.name, line: r.line, columns: columns, fields: r.fields)
            if r.fields.count != table.header.count {
                issue(.error, row, nil, "this line has \(r.fields.count) field(s) but the header has \(table.header.count); check for a missing " +
                                        "or extra comma, or quote fields that contain commas")
                continue
            }
            out.append(row)
        }
        return out
    }

    /// ` (did you mean 'x'?)` when `word` is a slip of one of `candidates` (``EditDistance``), else empty.
    static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        let close = EditDistance.suggestions(for: word, among: candidates)
        return close.isEmpty ? "" : " (did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?)"
    }

    mutating func date(_ row: Row, _ column: String, required: Bool) -> (ok: Bool, date: CivilDate?) {
        let text = row.value(column)
        if text.isEmpty {
            if required { issue(.error, row, column, "a date is required here (YYYY-MM-DD)") }
            return (!required, nil)
        }
        guard let d = CivilDate(iso: text) else {
            issue(.error, row, column, "'\(text)' is not a date; write it as YYYY-MM-DD (e.g. 2024-01-31)")
            return (false, nil)
        }
        return (true, d)
    }

    /// The row's `person_id` when it names a person read from people.csv; otherwise nil, with the error (none for an
    /// unknown person when people.csv itself could not be used: its own error says why).
    mutating func knownPerson(_ row: Row, in people: [String: Person], peopleFile: String) -> String? {
        let id = row.value("person_id")
        if id.isEmpty {
            issue(.error, row, "person_id", "person_id is empty")
            return nil
        }
        guard people[id] != nil else {
            if !unusable.contains(peopleFile) {
                issue(.error, row, "person_id", "person '\(id)' is not in people.csv; add the person there first")
            }
            return nil
        }
        return id
    }

    /// The row's `valid_from` (required) and `valid_to`, when both are dates (each error reported) and, if the rest of
    /// the row is `usable`, in order; nil otherwise.
    mutating func validity(_ row: Row, usable: Bool) -> (from: CivilDate, to: CivilDate?)? {
        let from = date(row, "valid_from", required: true)
        let to = date(row, "valid_to", required: false)
        guard usable, from.ok, to.ok, let f = from.date else { return nil }
        if let t = to.date, t < f {
            issue(.error, row, "valid_to", "valid_to \(t.iso) is before valid_from \(f.iso)")
            return nil
        }
        return (f, to.date)
    }

    /// Whether `value`'s period (of `what`, under `key`) overlaps no earlier one with the same key; records it with
    /// its line when it does not, and reports the clash when it does.
    mutating func noOverlap<Value>(_ value: Value, period: KeyPath<Value, DatePeriod>, key: String, what: String, row: Row,
                                   in periods: inout [String: [(Value, Int)]]) -> Bool {
        let mine = value[keyPath: period]
        if let clash = periods[key]?.first(where: { $0.0[keyPath: period].overlaps(mine) }) {
            issue(.error, row, "valid_from",
                  "this period of \(what) (\(mine)) overlaps the one on line \(clash.1) (\(clash.0[keyPath: period])); merge or correct "
                      + "the periods")
            return false
        }
        periods[key, default: []].append((value, row.line))
        return true
    }

    mutating func run(people: RegisterSource, roles: RegisterSource, mailboxes: RegisterSource,
                      approvers: RegisterSource? = nil, teams: RegisterSource? = nil) -> Registers {
        var result = Registers()
        var personLines: [String: Int] = [:]
        var personById: [String: Person] = [:]

        for row in rows(people, required: ["person_id", "name", "employed_from", "employed_to"]) {
            let id = row.value("person_id")
            if id.isEmpty {
                issue(.error, row, "person_id", "person_id is empty; every person needs an id")
                continue
            }
            if let first = personLines[id] {
                issue(.error, row, "person_id", "person_id '\(id)' is already used on line \(first)")
                continue
            }
            let name = row.value("name")
            if name.isEmpty { issue(.warning, row, "name", "name is empty for person '\(id)'") }
            let from = date(row, "employed_from", required: false)
            if from.ok && from.date == nil {
                issue(.warning, row, "employed_from", "employed_from is empty; the start of employment is unknown")
            }
            let to = date(row, "employed_to", required: false)
            guard from.ok, to.ok else { continue }
            if let f = from.date, let t = to.date, t < f {
                issue(.error, row, "employed_to", "employed_to \(t.iso) is before employed_from \(f.iso)")
                continue
            }
            personLines[id] = row.line
            let p = Person(id: id, name: name, employedFrom: from.date, employedTo: to.date)
            personById[id] = p
            result.people.append(p)
        }

        var periods: [String: [(RoleAssignment, Int)]] = [:]  // "person\0role" → periods with lines
        for row in rows(roles, required: ["person_id", "role", "valid_from", "valid_to"]) {
            let person = knownPerson(row, in: personById, peopleFile: people.name)
            let role = row.value("role")
            var ok = person != nil
            if role.isEmpty {
                issue(.error, row, "role", "role is empty")
                ok = false
            } else if !policy.isKnownRole(role) {
                issue(.error, row, "role",
                      "unknown role '\(role)'\(Self.didYouMean(role, policy.keyRoles + policy.staffRoles)); the policy knows the key roles " +
                      "\(policy.keyRoles.joined(separator: ", ")) and the staff roles \(policy.staffRoles.joined(separator: ", ")) (add new roles " +
                      "to the policy file)")
                ok = false
            }
            let valid = validity(row, usable: ok)
            guard let id = person, let (f, t) = valid else { continue }
            let assignment = RoleAssignment(personId: id, role: role, validFrom: f, validTo: t)
            guard noOverlap(assignment, period: \.period, key: id + "\u{0}" + role, what: "role '\(role)' for person '\(id)'", row: row,
                            in: &periods) else { continue }
            if let p = personById[id] {
                let employment = DatePeriod(from: p.employedFrom, to: p.employedTo)
                if !employment.contains(f) || (p.employedTo != nil && (t == nil || p.employedTo! < t!)) {
                    issue(.warning, row, "valid_from",
                          "role period \(assignment.period) is not within the employment of '\(id)' (\(employment))")
                }
            }
            result.roles.append(assignment)
        }

        // A key role and a staff role held at the same time is allowed (the key role decides), but it is worth a
        // look: it often means a role period that should have ended.
        let byPerson = Dictionary(grouping: periods.values.flatMap { $0 }, by: { $0.0.personId })
        for (person, held) in byPerson.sorted(by: { $0.key < $1.key }) {
            let key = held.filter { policy.isKeyRole($0.0.role) }, staff = held.filter { !policy.isKeyRole($0.0.role) }
            for k in key {
                for s in staff where k.0.period.overlaps(s.0.period) {
                    warnings.append(RegisterIssue(
                        severity: .warning, file: roles.name, line: s.1, column: nil, columnName: nil,
                        message: "person '\(person)' holds the key role \(k.0.role) (line \(k.1), \(k.0.period)) and the staff role \(s.0.role) " +
                                 "(\(s.0.period)) at the same time; the key role decides (their mail is kept permanently). Check whether one of " +
                                 "the periods should have ended."))
                }
            }
        }

        var mailboxLines: [String: Int] = [:]
        for row in rows(mailboxes, required: ["address", "kind", "person_id"]) {
            let address = row.value("address").lowercased()
            let kindText = row.value("kind").lowercased()
            let personId = row.value("person_id")
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !address.contains(" ") else {
                issue(.error, row, "address", "'\(row.value("address"))' is not an e-mail address")
                continue
            }
            if let first = mailboxLines[address] {
                issue(.error, row, "address", "mailbox \(address) is already registered on line \(first) (addresses are compared without regard " +
                                              "to case)")
                continue
            }
            guard let kind = MailboxKind(rawValue: kindText) else {
                issue(.error, row, "kind", "kind must be 'personal' or 'functional', found '\(row.value("kind"))'")
                continue
            }
            switch kind {
            case .personal:
                if personId.isEmpty {
                    issue(.error, row, "person_id", "personal mailbox \(address) has no person_id; name its owner, or register it as functional")
                    continue
                }
                if personById[personId] == nil {
                    if !unusable.contains(people.name) {
                        issue(.error, row, "person_id", "person '\(personId)' of mailbox \(address) is not in people.csv")
                    }
                    continue
                }
            case .functional:
                if !personId.isEmpty {
                    issue(.error, row, "person_id", "functional mailbox \(address) must not have a person_id (found '\(personId)'); leave it " +
                                                    "empty, or register it as personal")
                    continue
                }
            }
            mailboxLines[address] = row.line
            result.mailboxes.append(MailboxEntry(address: address, kind: kind, personId: kind == .personal ? personId : nil))
        }

        if let approvers {
            var approverPeriods: [String: [(ApproverAssignment, Int)]] = [:]
            let known = policy.destruction.approvals
            for row in rows(approvers, required: Registers.Kind.approvers.columns) {
                let person = knownPerson(row, in: personById, peopleFile: people.name)
                let role = row.value("approver_role")
                var ok = person != nil
                if role.isEmpty {
                    issue(.error, row, "approver_role", "approver_role is empty")
                    ok = false
                } else if !known.contains(role) {
                    issue(.error, row, "approver_role",
                          "unknown approver role '\(role)'\(Self.didYouMean(role, known)); the policy's destruction approvals are " +
                          "\(known.joined(separator: ", "))")
                    ok = false
                }
                let valid = validity(row, usable: ok)
                guard let id = person, let (f, t) = valid else { continue }
                let assignment = ApproverAssignment(personId: id, approverRole: role, validFrom: f, validTo: t)
                guard noOverlap(assignment, period: \.period, key: id + "\u{0}" + role, what: "approver role '\(role)' for person '\(id)'",
                                row: row, in: &approverPeriods) else { continue }
                result.approvers.append(assignment)
            }
        }
        if let teams {
            var teamPeriods: [String: [(TeamMembership, Int)]] = [:]
            for row in rows(teams, required: Registers.Kind.teams.columns) {
                let person = knownPerson(row, in: personById, peopleFile: people.name)
                let team = row.value("team")
                let kindText = row.value("membership").lowercased()
                var ok = person != nil
                if team.isEmpty {
                    issue(.error, row, "team", "team is empty; name the team (e.g. Ruimte, Burgerzaken)")
                    ok = false
                }
                let kind = TeamMembership.Kind(rawValue: kindText)
                if kind == nil {
                    issue(.error, row, "membership", "membership must be 'lid' or 'manager', found '\(row.value("membership"))'")
                    ok = false
                }
                let valid = validity(row, usable: ok)
                guard let id = person, let kind, let (f, t) = valid else { continue }
                let m = TeamMembership(personId: id, team: team, membership: kind, validFrom: f, validTo: t)
                guard noOverlap(m, period: \.period, key: id + "\u{0}" + team + "\u{0}" + kind.rawValue,
                                what: "'\(id)' as \(kind.rawValue) of team '\(team)'", row: row, in: &teamPeriods) else { continue }
                result.teams.append(m)
            }
        }
        return result
    }
}

/// Fast lookups over the registers for deciding: mailbox → kind and owner, person → role periods.
public struct RegisterIndex: Sendable {
    public let registers: Registers
    private let resolvedByAddress: [String: ResolvedMailbox]
    private let personById: [String: Person]
    private let rolesByPerson: [String: [RoleAssignment]]
    private let keyRoleNames: Set<String>

    /// A mailbox with its owner and the owner's key-role periods, found with one lookup.
    final class ResolvedMailbox: Sendable {
        let entry: MailboxEntry
        let person: Person?
        let keyRoles: [RoleAssignment]

        init(entry: MailboxEntry, person: Person?, keyRoles: [RoleAssignment]) {
            self.entry = entry
            self.person = person
            self.keyRoles = keyRoles
        }

        @inline(__always)
        func keyRole(on date: CivilDate) -> RoleAssignment? {
            for a in keyRoles where a.period.contains(date) { return a }
            return nil
        }
    }

    /// Builds the index; `policy` says which roles are key roles.
    public init(_ registers: Registers, policy: Policy) {
        self.registers = registers
        var p: [String: Person] = [:]
        for person in registers.people { p[person.id] = person }
        personById = p
        var r: [String: [RoleAssignment]] = [:]
        for a in registers.roles { r[a.personId, default: []].append(a) }
        let sortedRoles = r.mapValues { $0.sorted { ($0.validFrom, $0.role) < ($1.validFrom, $1.role) } }
        rolesByPerson = sortedRoles
        let keys = Set(policy.keyRoles)
        keyRoleNames = keys
        var m: [String: ResolvedMailbox] = [:]
        for e in registers.mailboxes {
            let owner = e.personId.flatMap { p[$0] }
            let keyRoles = e.personId.flatMap { sortedRoles[$0] }?.filter { keys.contains($0.role) } ?? []
            m[e.address.lowercased()] = ResolvedMailbox(entry: e, person: owner, keyRoles: keyRoles)
        }
        resolvedByAddress = m
    }

    @inline(__always)
    func resolved(_ address: String) -> ResolvedMailbox? {
        resolvedByAddress[address] ?? resolvedByAddress[address.lowercased()]
    }

    /// The registered mailbox for `address` (case-insensitive), or nil when it is not registered.
    public func mailbox(_ address: String) -> MailboxEntry? { resolved(address)?.entry }

    public func person(_ id: String) -> Person? { personById[id] }

    /// All role periods of a person, by start date.
    public func roles(of personId: String) -> [RoleAssignment] { rolesByPerson[personId] ?? [] }

    /// The key-role period the person held on `date` (first and last day included), if any.
    public func keyRole(of personId: String, on date: CivilDate) -> RoleAssignment? {
        roles(of: personId).first { keyRoleNames.contains($0.role) && $0.period.contains(date) }
    }

    /// The teams the person manages on `date`.
    public func managedTeams(of personId: String, on date: CivilDate) -> [String] {
        registers.teams.filter { $0.personId == personId && $0.membership == .manager && $0.period.contains(date) }.map(\.team).sorted()
    }

    /// The members (person ids) of `team` on `date`, managers included.
    public func members(of team: String, on date: CivilDate) -> [String] {
        Array(Set(registers.teams.filter { $0.team == team && $0.period.contains(date) }.map(\.personId))).sorted()
    }

    /// The personal mailboxes of a person (addresses, lowercase).
    public func personalMailboxes(of personId: String) -> [String] {
        registers.mailboxes.filter { $0.kind == .personal && $0.personId == personId }.map(\.address).sorted()
    }

    /// The key persons on `date`: every registered person who held a key role that day, with that role period, in the
    /// order of the personnel register.
    public func keyPersons(on date: CivilDate) -> [(person: Person, role: RoleAssignment)] {
        registers.people.compactMap { p in keyRole(of: p.id, on: date).map { (p, $0) } }
    }

    /// The period in which the person may approve in `approverRole` that includes `date`, if any.
    public func approver(_ personId: String, role approverRole: String, on date: CivilDate) -> ApproverAssignment? {
        registers.approvers.first { $0.personId == personId && $0.approverRole == approverRole && $0.period.contains(date) }
    }
}

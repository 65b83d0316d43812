// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing
@testable import SluitsteenPolicy

@Suite("Registers: CSV import and validation")
struct RegisterTests {
    let peopleOK = """
        person_id,name,employed_from,employed_to
        p1,"Jansen, Piet",2015-01-01,
        p2,"Anna ""An"" de Vries",2018-03-01,2024-06-30
        p3,Carla,2020-01-01,

        """
    let rolesOK = """
        person_id,role,valid_from,valid_to
        p1,burgemeester,2015-01-01,
        p3,medewerker,2020-01-01,2023-12-31
        p3,wethouder,2024-01-01,

        """
    let mailboxesOK = "address,kind,person_id\r\nP.Jansen@Krimpenerwaard.nl,personal,p1\r\n"
        + "info@krimpenerwaard.nl,functional,\r\nc@krimpenerwaard.nl,personal,p3\r\n"

    func parse(people: String? = nil, roles: String? = nil, mailboxes: String? = nil) -> RegisterImport {
        Registers.parse(people: RegisterSource(name: "people.csv", text: people ?? peopleOK),
                        roles: RegisterSource(name: "roles.csv", text: roles ?? rolesOK),
                        mailboxes: RegisterSource(name: "mailboxes.csv", text: mailboxes ?? mailboxesOK),
                        policy: World.policy)
    }

    @Test("valid registers import, with RFC 4180 quoting and CRLF")
    func valid() throws {
        let r = parse()
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.registers.people.map(\.name) == ["Jansen, Piet", "Anna \"An\" de Vries", "Carla"])
        #expect(r.registers.people[1].employedTo == World.d("2024-06-30"))
        #expect(r.registers.roles.count == 3)
        let index = RegisterIndex(r.registers, policy: World.policy)
        // addresses compare case-insensitively
        #expect(index.mailbox("p.jansen@krimpenerwaard.nl")?.personId == "p1")
        #expect(index.mailbox("INFO@krimpenerwaard.nl")?.kind == .functional)
        #expect(index.mailbox("nobody@krimpenerwaard.nl") == nil)
        #expect(index.keyRole(of: "p3", on: World.d("2023-12-31")) == nil)
        #expect(index.keyRole(of: "p3", on: World.d("2024-01-01"))?.role == "wethouder")
        #expect(index.roles(of: "p3").map(\.role) == ["medewerker", "wethouder"])
    }

    @Test("a quoted field spanning lines keeps the line numbers of later records right")
    func multilineField() {
        let people = "person_id,name,employed_from,employed_to\np1,\"Jansen,\nPiet\",2015-01-01,\np2,Bob,2015-13-01,\n"
        let r = parse(people: people)
        // p2's record starts on line 4 (line 2 + the newline inside the quoted name), its bad date is column 3.
        let e = r.errors.first { $0.file == "people.csv" }
        #expect(e?.line == 4)
        #expect(e?.column == 3)
        #expect(e?.columnName == "employed_from")
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let file: String
        let text: String
        let line: Int
        let column: Int?
        let messageContains: String
        var description: String { name }
    }

    static let errorCases: [Case] = [
        Case(name: "missing header column", file: "people.csv",
             text: "person_id,name,employed_to\np1,A,\n", line: 1, column: nil, messageContains: "employed_from"),
        Case(name: "header missing entirely (data in first line)", file: "mailboxes.csv",
             text: "a@b.nl,personal,p1\n", line: 1, column: nil, messageContains: "header"),
        Case(name: "bad date", file: "people.csv",
             text: "person_id,name,employed_from,employed_to\np1,A,2015-01-01,\np9,B,01-02-2015,\n", line: 3, column: 3,
             messageContains: "YYYY-MM-DD"),
        Case(name: "duplicate person", file: "people.csv",
             text: "person_id,name,employed_from,employed_to\np1,A,2015-01-01,\np2,A,2015-01-01,\np3,C,2020-01-01,\np1,D,2015-01-01,\n",
             line: 5, column: 1, messageContains: "line 2"),
        Case(name: "unknown role", file: "roles.csv",
             text: "person_id,role,valid_from,valid_to\np1,wethoudr,2015-01-01,\n", line: 2, column: 2, messageContains: "wethoudr"),
        Case(name: "role for unknown person", file: "roles.csv",
             text: "person_id,role,valid_from,valid_to\npx,wethouder,2015-01-01,\n", line: 2, column: 1, messageContains: "px"),
        Case(name: "overlapping periods of the same role", file: "roles.csv",
             text: "person_id,role,valid_from,valid_to\np3,wethouder,2020-01-01,2022-12-31\np3,wethouder,2022-12-31,\n",
             line: 3, column: 3, messageContains: "line 2"),
        Case(name: "valid_to before valid_from", file: "roles.csv",
             text: "person_id,role,valid_from,valid_to\np3,wethouder,2020-01-01,2019-12-31\n", line: 2, column: 4,
             messageContains: "before"),
        Case(name: "personal mailbox without a person", file: "mailboxes.csv",
             text: "address,kind,person_id\nx@krimpenerwaard.nl,personal,\n", line: 2, column: 3, messageContains: "no person_id"),
        Case(name: "personal mailbox of an unknown person", file: "mailboxes.csv",
             text: "address,kind,person_id\nx@krimpenerwaard.nl,personal,p77\n", line: 2, column: 3, messageContains: "p77"),
        Case(name: "functional mailbox with a person", file: "mailboxes.csv",
             text: "address,kind,person_id\nteam@krimpenerwaard.nl,functional,p1\n", line: 2, column: 3,
             messageContains: "must not have a person_id"),
        Case(name: "unknown kind", file: "mailboxes.csv",
             text: "address,kind,person_id\nteam@krimpenerwaard.nl,shared,\n", line: 2, column: 2, messageContains: "shared"),
        Case(name: "duplicate address differing in case", file: "mailboxes.csv",
             text: "address,kind,person_id\nteam@krimpenerwaard.nl,functional,\nTEAM@Krimpenerwaard.nl,functional,\n",
             line: 3, column: 1, messageContains: "line 2"),
        Case(name: "not an address", file: "mailboxes.csv",
             text: "address,kind,person_id\nteam.krimpenerwaard.nl,functional,\n", line: 2, column: 1, messageContains: "not an e-mail"),
        Case(name: "wrong number of fields", file: "mailboxes.csv",
             text: "address,kind,person_id\nteam@krimpenerwaard.nl,functional\n", line: 2, column: nil, messageContains: "2 field(s)"),
        Case(name: "unterminated quote", file: "people.csv",
             text: "person_id,name,employed_from,employed_to\np1,A,2015-01-01,\np2,\"B,2015-01-01,\n", line: 3, column: 2,
             messageContains: "never closed"),
        Case(name: "text after closing quote", file: "people.csv",
             text: "person_id,name,employed_from,employed_to\np1,\"A\"x,2015-01-01,\n", line: 2, column: 2,
             messageContains: "after the closing quote"),
    ]

    @Test("every error names file, line and column", arguments: errorCases)
    func errors(c: Case) {
        let r = parse(people: c.file == "people.csv" ? c.text : nil, roles: c.file == "roles.csv" ? c.text : nil,
                      mailboxes: c.file == "mailboxes.csv" ? c.text : nil)
        let e = r.errors.first { $0.file == c.file }
        #expect(e != nil, "no error for \(c.name); errors: \(r.errors)")
        #expect(e?.line == c.line)
        #expect(e?.column == c.column)
        #expect(e?.message.contains(c.messageContains) == true, "\(e?.message ?? "")")
        #expect(!r.isValid)
    }

    @Test("warnings are kept apart from errors")
    func warnings() {
        let people = "person_id,name,employed_from,employed_to,remark\np1,A,2015-01-01,,x\np2,B,2018-01-01,2024-06-30,\np3,C,2020-01-01,,\n"
        let roles = "person_id,role,valid_from,valid_to\np1,burgemeester,2015-01-01,\np2,medewerker,2010-01-01,\n"
        let r = parse(people: people, roles: roles)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.warnings.contains { $0.file == "people.csv" && $0.line == 1 && $0.column == 5 && $0.columnName == "remark" })
        #expect(r.warnings.contains { $0.file == "roles.csv" && $0.line == 3 })  // outside employment
        #expect(r.isValid)
    }

    @Test("issue description names file:line:column and the column name")
    func description() {
        let i = RegisterIssue(severity: .error, file: "roles.csv", line: 7, column: 2, columnName: "role", message: "unknown role 'x'")
        #expect(i.description == "roles.csv:7:2 (column role): error: unknown role 'x'")
    }

    @Test("one bad header gives one error, not one per line of the other files")
    func badHeaderGivesOneError() {
        let r = parse(people: "id;naam;in dienst;uit dienst\np1;Jansen;2015-01-01;\n")
        #expect(r.errors.count == 1, "\(r.errors)")
        #expect(r.errors.first?.file == "people.csv" && r.errors.first?.message.contains("missing") == true)
    }

    @Test("a header-only people or mailboxes file is refused: it would empty the register")
    func headerOnlyIsRefused() {
        let people = parse(people: "person_id,name,employed_from,employed_to\n")
        #expect(people.errors.contains { $0.file == "people.csv" && $0.message.contains("no rows") })
        let mailboxes = parse(mailboxes: "address,kind,person_id\n")
        #expect(mailboxes.errors.contains { $0.file == "mailboxes.csv" && $0.message.contains("no rows") })
    }

    @Test("approvers: periods per person and role as the policy names the approvals")
    func approvers() {
        let ok = Registers.parse(people: RegisterSource(name: "people.csv", text: peopleOK), roles: RegisterSource(name: "roles.csv", text: rolesOK),
                                 mailboxes: RegisterSource(name: "mailboxes.csv", text: mailboxesOK),
                                 approvers: RegisterSource(name: "approvers.csv", text: """
                                    person_id,approver_role,valid_from,valid_to
                                    p1,div,2020-01-01,2024-12-31
                                    p3,archivist,2021-01-01,

                                    """), policy: World.policy)
        #expect(ok.errors.isEmpty, "\(ok.errors)")
        let index = RegisterIndex(ok.registers, policy: World.policy)
        #expect(index.approver("p1", role: "div", on: World.d("2024-12-31")) != nil)
        #expect(index.approver("p1", role: "div", on: World.d("2025-01-01")) == nil)
        #expect(index.approver("p3", role: "div", on: World.d("2025-01-01")) == nil)
        let bad = Registers.parse(people: RegisterSource(name: "people.csv", text: peopleOK), roles: RegisterSource(name: "roles.csv", text: rolesOK),
                                  mailboxes: RegisterSource(name: "mailboxes.csv", text: mailboxesOK),
                                  approvers: RegisterSource(name: "approvers.csv", text: """
                                     person_id,approver_role,valid_from,valid_to
                                     p9,div,2020-01-01,
                                     p1,archivaris-x,2020-01-01,
                                     p1,div,2020-01-01,
                                     p1,div,2022-01-01,

                                     """), policy: World.policy)
        #expect(bad.errors.map(\.line) == [2, 3, 5], "\(bad.errors)")
        #expect(bad.errors[1].message.contains("div, archivist"))
        #expect(bad.errors[2].message.contains("overlaps"))
    }

    @Test("the register a header belongs to is recognised, whatever the file is called")
    func recognised() {
        #expect(Registers.Kind.recognise(peopleOK) == .people)
        #expect(Registers.Kind.recognise(rolesOK) == .roles)
        #expect(Registers.Kind.recognise(mailboxesOK) == .mailboxes)
        #expect(Registers.Kind.recognise("\u{FEFF}person_id,approver_role,valid_from,valid_to\n") == .approvers)
        #expect(Registers.Kind.recognise("a;b;c\n") == nil)
    }

    @Test("a key role and a staff role at the same time is a warning")
    func keyAndStaffAtOnce() {
        let r = parse(roles: """
            person_id,role,valid_from,valid_to
            p1,burgemeester,2015-01-01,
            p1,medewerker,2014-01-01,2016-12-31
            p3,medewerker,2020-01-01,2023-12-31
            p3,wethouder,2024-01-01,

            """)
        #expect(r.errors.isEmpty, "\(r.errors)")
        let w = r.warnings.filter { $0.message.contains("at the same time") }
        #expect(w.count == 1 && w[0].line == 3 && w[0].message.contains("'p1'"))
    }

    // MARK: Registers from real spreadsheets (issue 15)

    @Test("a register saved by Dutch Excel (; and Windows-1252) is read, with a warning about the encoding")
    func dutchExcel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // people.csv: `;`, Windows-1252 (ü = 0xFC), a name with a comma; roles.csv: UTF-8 with a byte order mark and `;`.
        var people = Array("person_id;name;employed_from;employed_to\r\np1;\"Jansen, Piet\";2015-01-01;\r\np3;Carla M".utf8)
        people += [0xFC] + Array("ller;2020-01-01;\r\n".utf8)
        try Data(people).write(to: dir.appendingPathComponent("people.csv"))
        try Data([0xEF, 0xBB, 0xBF] + Array(rolesOK.replacingOccurrences(of: ",", with: ";").utf8)).write(to: dir.appendingPathComponent("roles.csv"))
        try Data(mailboxesOK.utf8).write(to: dir.appendingPathComponent("mailboxes.csv"))
        let r = try Registers.load(people: dir.appendingPathComponent("people.csv"), roles: dir.appendingPathComponent("roles.csv"),
                                   mailboxes: dir.appendingPathComponent("mailboxes.csv"), policy: World.policy)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.registers.people.map(\.name) == ["Jansen, Piet", "Carla Müller"])
        #expect(r.registers.roles.count == 3)
        #expect(r.warnings.contains { $0.file == "people.csv" && $0.message.contains("Windows-1252") })
        #expect(!r.warnings.contains { $0.file == "roles.csv" && $0.message.contains("Windows-1252") })
        // A workbook saved under a .csv name is refused with what it is, not with missing columns.
        try Data([0x50, 0x4B, 0x03, 0x04, 0x0A, 0x00]).write(to: dir.appendingPathComponent("people.csv"))
        #expect {
            try Registers.load(people: dir.appendingPathComponent("people.csv"), roles: dir.appendingPathComponent("roles.csv"),
                               mailboxes: dir.appendingPathComponent("mailboxes.csv"), policy: World.policy)
        } throws: { ($0 as? RegisterReadError)?.description.contains("workbook") == true }
    }

    @Test("files given in each other's places are recognised and named")
    func wrongOrder() {
        // people.csv and roles.csv swapped: read as what they are, with a warning naming each.
        let swapped = Registers.parse(people: RegisterSource(name: "roles.csv", text: rolesOK),
                                      roles: RegisterSource(name: "people.csv", text: peopleOK),
                                      mailboxes: RegisterSource(name: "mailboxes.csv", text: mailboxesOK), policy: World.policy)
        #expect(swapped.errors.isEmpty, "\(swapped.errors)")
        #expect(swapped.registers.people.count == 3 && swapped.registers.roles.count == 3)
        #expect(swapped.warnings.filter { $0.message.contains("was given as") }.map(\.file).sorted() == ["people.csv", "roles.csv"])
        // people.csv given twice (as people and as roles): one error that names the register its header is of.
        let twice = Registers.parse(people: RegisterSource(name: "people.csv", text: peopleOK),
                                    roles: RegisterSource(name: "people2.csv", text: peopleOK),
                                    mailboxes: RegisterSource(name: "mailboxes.csv", text: mailboxesOK), policy: World.policy)
        let errors = twice.errors.filter { $0.file == "people2.csv" }
        #expect(errors.count == 1, "\(twice.errors)")
        #expect(errors.first?.message.contains("was given as roles.csv, but its header") == true)
        #expect(errors.first?.message.contains("people.csv") == true)
        #expect(!twice.errors.contains { $0.message.contains("missing:") })
    }

    @Test("a tab-separated register gets one error that says so, and no knock-on errors")
    func tabs() {
        let r = parse(people: peopleOK.replacingOccurrences(of: ",", with: "\t"))
        #expect(r.errors.count == 1, "\(r.errors)")
        #expect(r.errors.first?.message.contains("separates its fields with tabs") == true)
    }

    @Test("an unknown role that is a slip of a known one gets a suggestion")
    func didYouMean() {
        let r = parse(roles: "person_id,role,valid_from,valid_to\np1,burgemeestr,2015-01-01,\np3,kok,2020-01-01,\n")
        #expect(r.errors.count == 2, "\(r.errors)")
        #expect(r.errors[0].message.contains("unknown role 'burgemeestr' (did you mean 'burgemeester'?)"))
        #expect(!r.errors[1].message.contains("did you mean"))
    }

    @Test("register files with ; and a byte order mark are recognised by their header")
    func recognisedFromExcel() {
        #expect(Registers.Kind.recognise("\u{FEFF}person_id;name;employed_from;employed_to\r\n") == .people)
        #expect(Registers.Kind.recognise("\"address\";\"kind\";\"person_id\"\n") == .mailboxes)
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import TOMLKit

/// Reads a policy TOML document into a `Policy`, collecting every problem with its line.
///
/// TOMLKit gives positions only for syntax errors, so the lines of keys are found by scanning the text
/// (`KeyLines`).
final class PolicyReader {
    let text: String
    let file: String?
    let lines: KeyLines
    private(set) var diagnostics: [PolicyDiagnostic] = []

    init(text: String, file: String?) {
        self.text = text
        self.file = file
        self.lines = KeyLines(text: text)
    }

    private static let schema: [String: Set<String>] = [
        "policy": ["name", "version", "in-force", "go-live"],
        "archiefvormer": ["name", "tooi"],
        "roles": ["key", "staff"],
        "rules": ["key-person", "staff", "staff-left", "functional"],
        "rules.key-person": ["id", "waardering", "after"],
        "rules.staff": ["id", "waardering", "after"],
        "rules.staff-left": ["id", "after"],
        "rules.functional": ["id", "waardering", "after"],
        "hotspots": ["transfer-after"],
        "optout": ["window", "folders", "keywords"],
        "destruction": ["approvals", "bedenktijd", "legal-ground", "selectielijst", "role-names"],
        "edepot": ["aggregation-id", "contact"],
        "mdto": ["beperking-gebruik"],
        "woo": ["decision-term", "extension", "objection-period", "objection-margin", "redact-staff-names"],
        "contact": ["name", "address", "email", "phone", "web", "text"],
    ]

    func error(_ path: [String], _ key: String?, _ message: String, line: Int? = nil) {
        let dotted = (path + (key.map { [$0] } ?? [])).joined(separator: ".")
        let at = line ?? key.flatMap { lines.line(of: path, key: $0) } ?? lines.tableLine(path)
        diagnostics.append(PolicyDiagnostic(file: file, line: at, key: dotted, message: message))
    }

    func read() -> Policy? {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            diagnostics.append(PolicyDiagnostic(
                file: file, line: e.source.begin.line, key: "",
                message: "TOML syntax error: \(e.description) (column \(e.source.begin.column)). Later errors are only reported once this one is " +
                         "fixed."))
            return nil
        } catch {
            diagnostics.append(PolicyDiagnostic(file: file, line: nil, key: "", message: "cannot parse TOML: \(error)"))
            return nil
        }
        checkUnknownKeys(root, path: [])

        let policyT = table(root, ["policy"])
        let name = string(policyT, ["policy"], "name")
        let inForce = date(policyT, ["policy"], "in-force")
        let goLive = date(policyT, ["policy"], "go-live")
        let version = optionalString(policyT, ["policy"], "version")

        let avT = table(root, ["archiefvormer"])
        let avName = string(avT, ["archiefvormer"], "name")
        var tooi = string(avT, ["archiefvormer"], "tooi")
        if let t = tooi, !Self.isTOOICode(t) {
            error(["archiefvormer"], "tooi", "'\(t)' is not a TOOI organisation code (e.g. gm1931 for a municipality)")
            tooi = nil
        }

        let rolesT = table(root, ["roles"])
        let key = roleList(rolesT, "key")
        let staff = roleList(rolesT, "staff")
        if let key, let staff {
            for r in Set(key).intersection(staff).sorted() {
                error(["roles"], "staff", "role '\(r)' is listed both as key role and as staff role; keep it in one list",
                      line: lines.line(ofValue: r, path: ["roles"], key: "staff"))
            }
        }

        let rulesT = table(root, ["rules"])
        let kp = rule(rulesT, "key-person", hasWaardering: true)
        let st = rule(rulesT, "staff", hasWaardering: true)
        let sl = rule(rulesT, "staff-left", hasWaardering: false)
        let fn = rule(rulesT, "functional", hasWaardering: true)
        var seenIds: [String: String] = [:]
        for (slot, r) in [("key-person", kp), ("staff", st), ("staff-left", sl), ("functional", fn)] {
            guard let r else { continue }
            if let other = seenIds[r.id] {
                error(["rules", slot], "id", "rule id '\(r.id)' is also used by rules.\(other); every rule needs its own id")
            }
            seenIds[r.id] = slot
        }

        let hsT = table(root, ["hotspots"])
        let hsAfter = duration(hsT, ["hotspots"], "transfer-after")

        let ooT = table(root, ["optout"])
        let window = duration(ooT, ["optout"], "window")
        if let window, window == ISODuration() {
            error(["optout"], "window", "the opt-out window must be longer than zero (e.g. P10W)")
        }
        let folders = stringArray(ooT, ["optout"], "folders", allowEmpty: true)
        let keywords = stringArray(ooT, ["optout"], "keywords", allowEmpty: true)

        let deT = table(root, ["destruction"])
        let approvals = stringArray(deT, ["destruction"], "approvals", allowEmpty: false)
        if let approvals {
            var seen = Set<String>()
            for a in approvals {
                if !Self.isIdentifier(a) {
                    error(["destruction"], "approvals", "approver role '\(a)' must be lowercase letters, digits and '-'",
                          line: lines.line(ofValue: a, path: ["destruction"], key: "approvals"))
                }
                if !seen.insert(a).inserted {
                    error(["destruction"], "approvals", "approver role '\(a)' is listed twice",
                          line: lines.line(ofValue: a, path: ["destruction"], key: "approvals"))
                }
            }
        }
        // Optional: what the documents call each approver role ("DIV-medewerker"); defaults for div and archivist.
        var roleNames: [String: String] = [:]
        if let namesT = deT?["role-names"]?.table {
            for k in namesT.keys.sorted() {
                guard let text = namesT[k]?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    error(["destruction", "role-names"], k, "must be a non-empty text in double quotes (the role's name in documents)")
                    continue
                }
                if let approvals, !approvals.contains(k) {
                    error(["destruction", "role-names"], k, "'\(k)' is not one of the approvals (\(approvals.joined(separator: ", ")))")
                }
                roleNames[k] = text
            }
        } else if let v = deT?["role-names"] {
            error(["destruction"], "role-names", "'role-names' must be a table ([destruction.role-names]), found a \(v.type)")
        }
        let bedenktijd = duration(deT, ["destruction"], "bedenktijd")
        let legal = string(deT, ["destruction"], "legal-ground")
        let selectielijst = string(deT, ["destruction"], "selectielijst")

        let edT = table(root, ["edepot"])
        let aggregation = string(edT, ["edepot"], "aggregation-id")
        let contact = string(edT, ["edepot"], "contact")

        let mdT = table(root, ["mdto"])
        let beperking = string(mdT, ["mdto"], "beperking-gebruik")

        // Optional: the Woo workflow's terms and choices; the law's terms for what is not given.
        var woo = WooPolicySettings()
        if let v = root["woo"], v.table == nil {
            error([], "woo", "'woo' must be a table ([woo]), found a \(v.type)")
        } else if let wooT = root["woo"]?.table {
            func term(_ key: String, _ into: inout ISODuration) {
                guard wooT[key] != nil, let d = duration(wooT, ["woo"], key) else { return }
                if d == ISODuration() { error(["woo"], key, "must be longer than zero (e.g. P6W)") } else { into = d }
            }
            term("decision-term", &woo.decisionTerm)
            term("extension", &woo.extensionTerm)
            term("objection-period", &woo.objectionPeriod)
            if wooT["objection-margin"] != nil, let d = duration(wooT, ["woo"], "objection-margin") { woo.objectionMargin = d }
            if let v = wooT["redact-staff-names"] {
                if let b = v.bool { woo.redactStaffNames = b } else {
                    error(["woo"], "redact-staff-names", "must be true or false (without quotes), found a \(v.type)")
                }
            }
        }
        let contactBlock = readContact(root)

        if let sl, sl.after == ISODuration() {
            error(["rules", "staff-left"], "after", "the term after leaving must be longer than zero (e.g. P3M)")
        }

        guard diagnostics.isEmpty, let name, let inForce, let goLive, let avName, let tooi, let key, let staff,
              let kp, let st, let sl, let fn, let hsAfter, let window, let folders, let keywords, let approvals,
              let bedenktijd, let legal, let selectielijst, let aggregation, let contact, let beperking
        else { return nil }
        var policy = Policy(
            name: name, inForce: inForce, goLive: goLive, archiefvormer: Archiefvormer(name: avName, tooi: tooi),
            keyRoles: key, staffRoles: staff, keyPerson: kp, staff: st, staffLeft: sl, functional: fn,
            hotspotTransferAfter: hsAfter,
            optOut: OptOutSettings(window: window, folders: folders, keywords: keywords),
            destruction: DestructionSettings(
                approvals: approvals, bedenktijd: bedenktijd, legalGround: legal, selectielijst: selectielijst,
                roleNames: roleNames),
            eDepot: EDepotSettings(aggregationId: aggregation, contact: contact),
            mdto: MDTOSettings(beperkingGebruik: beperking), woo: woo)
        policy.version = version
        policy.contact = contactBlock
        return policy
    }

    /// An optional text: nil when absent; an error when present but not a non-empty text.
    private func optionalString(_ t: TOMLTable?, _ path: [String], _ key: String) -> String? {
        guard let t, t[key] != nil else { return nil }
        return string(t, path, key)
    }

    /// The optional `[contact]` table: where residents respond to the published hotspot list. `name` is required
    /// once the table is there, with at least one way to reach it (address, email, phone or web).
    private func readContact(_ root: TOMLTable) -> PolicyContact? {
        guard let v = root["contact"] else { return nil }
        guard let t = v.table else {
            error([], "contact", "'contact' must be a table ([contact])")
            return nil
        }
        let path = ["contact"]
        let name = string(t, path, "name")
        let c = PolicyContact(
            name: name ?? "", address: optionalString(t, path, "address"), email: optionalString(t, path, "email"),
            phone: optionalString(t, path, "phone"), web: optionalString(t, path, "web"), text: optionalString(t, path, "text"))
        if c.address == nil && c.email == nil && c.phone == nil && c.web == nil {
            error(path, nil, "[contact] needs at least one of address, email, phone or web: how residents reach the municipality")
            return nil
        }
        if let email = c.email, !email.contains("@") {
            error(path, "email", "'\(email)' is not an e-mail address")
            return nil
        }
        return name == nil ? nil : c
    }

    // MARK: - Pieces

    private func checkUnknownKeys(_ table: TOMLTable, path: [String]) {
        let dotted = path.joined(separator: ".")
        let allowed = path.isEmpty ? Set(Self.schema.keys.filter { !$0.contains(".") }) : Self.schema[dotted]
        guard let allowed else { return }
        for k in table.keys.sorted() {
            if !allowed.contains(k) {
                let known = allowed.sorted().joined(separator: ", ")
                if path.isEmpty {
                    error([k], nil, "unknown table or key '\(k)'; known tables: \(known)")
                } else {
                    error(path, k, "unknown key '\(k)' in [\(dotted)]; known keys: \(known)")
                }
            } else if let sub = table[k]?.table {
                checkUnknownKeys(sub, path: path + [k])
            }
        }
    }

    private func table(_ parent: TOMLTable?, _ path: [String]) -> TOMLTable? {
        guard let parent else { return nil }
        let k = path.last!
        guard let value = parent[k] else {
            error(Array(path.dropLast()), nil, "table [\(path.joined(separator: "."))] is missing",
                  line: path.count > 1 ? lines.tableLine(Array(path.dropLast())) : nil)
            return nil
        }
        guard let t = value.table else {
            error(Array(path.dropLast()), k, "'\(k)' must be a table ([\(path.joined(separator: "."))])")
            return nil
        }
        return t
    }

    private func value(_ t: TOMLTable?, _ path: [String], _ key: String) -> TOMLValueConvertible? {
        guard let t else { return nil }
        guard let v = t[key] else {
            error(path, key, "required key '\(key)' is missing in [\(path.joined(separator: "."))]")
            return nil
        }
        return v
    }

    private func string(_ t: TOMLTable?, _ path: [String], _ key: String) -> String? {
        guard let v = value(t, path, key) else { return nil }
        guard let s = v.string else {
            error(path, key, "must be a text in double quotes, found a \(v.type)")
            return nil
        }
        if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(path, key, "must not be empty")
            return nil
        }
        return s
    }

    private func date(_ t: TOMLTable?, _ path: [String], _ key: String) -> CivilDate? {
        guard let v = value(t, path, key) else { return nil }
        if let d = v.date {
            if let c = CivilDate(year: d.year, month: d.month, day: d.day) { return c }
        } else if let s = v.string, let c = CivilDate(iso: s) {
            return c
        }
        error(path, key, "must be a date written YYYY-MM-DD (e.g. 2025-01-01)")
        return nil
    }

    private func duration(_ t: TOMLTable?, _ path: [String], _ key: String) -> ISODuration? {
        guard let v = value(t, path, key) else { return nil }
        guard let s = v.string, let d = ISODuration(iso: s) else {
            // Say what is wrong with a duration that has the right form but numbers too long to be meant.
            if let s = v.string, s.hasPrefix("P"), s.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || "YMWD".contains($0)) }),
               s.split(whereSeparator: { "PYMWD".contains($0) }).contains(where: { $0.count > 6 }) {
                error(path, key, "'\(s.prefix(40))' has a number of more than six digits; a retention term is at most 999999 years, months, weeks " +
                                 "or days")
            } else {
                error(path, key, "must be an ISO 8601 duration in quotes, such as \"P7Y\", \"P3M\", \"P10W\" or \"P7D\"")
            }
            return nil
        }
        return d
    }

    private func stringArray(_ t: TOMLTable?, _ path: [String], _ key: String, allowEmpty: Bool) -> [String]? {
        guard let v = value(t, path, key) else { return nil }
        guard let a = v.array else {
            error(path, key, "must be a list of texts, e.g. [\"a\", \"b\"]")
            return nil
        }
        var out: [String] = []
        var ok = true
        for element in a {
            guard let s = element.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                error(path, key, "every entry must be a non-empty text in double quotes")
                ok = false
                continue
            }
            out.append(s)
        }
        if out.isEmpty && ok && !allowEmpty {
            error(path, key, "must list at least one entry")
            return nil
        }
        return ok ? out : nil
    }

    private func roleList(_ t: TOMLTable?, _ key: String) -> [String]? {
        guard let roles = stringArray(t, ["roles"], key, allowEmpty: key == "staff") else { return nil }
        var ok = true
        var seen = Set<String>()
        for r in roles {
            if !Self.isIdentifier(r) {
                error(["roles"], key, "role '\(r)' must be lowercase letters, digits and '-' (e.g. plv-algemeen-directeur)",
                      line: lines.line(ofValue: r, path: ["roles"], key: key))
                ok = false
            } else if !seen.insert(r).inserted {
                error(["roles"], key, "role '\(r)' is listed twice", line: lines.line(ofValue: r, path: ["roles"], key: key))
                ok = false
            }
        }
        return ok ? roles : nil
    }

    private func rule(_ rules: TOMLTable?, _ slot: String, hasWaardering: Bool) -> RetentionRule? {
        let path = ["rules", slot]
        let t = table(rules, path)
        guard t != nil else { return nil }
        var id = string(t, path, "id")
        if let i = id, !Self.isIdentifier(i) {
            error(path, "id", "rule id '\(i)' must be lowercase letters, digits and '-' (e.g. staff-7y)")
            id = nil
        }
        var waardering: Waardering? = .vernietigen
        if hasWaardering {
            if let w = string(t, path, "waardering") {
                waardering = Waardering(rawValue: w)
                if waardering == nil { error(path, "waardering", "must be \"B\" (bewaren) or \"V\" (vernietigen), found \"\(w)\"") }
            } else {
                waardering = nil
            }
        }
        let after = duration(t, path, "after")
        if let after, after == ISODuration(), slot != "staff-left" {
            error(path, "after", "a term of zero (P0D) would destroy or transfer mail on the day it is written; give a term longer than zero " +
                                 "(e.g. P7Y)")
        }
        guard let id, let waardering, let after else { return nil }
        return RetentionRule(id: id, waardering: waardering, after: after)
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
            && s.first != "-" && s.last != "-"
    }

    static func isTOOICode(_ s: String) -> Bool {
        // Organisation codes such as gm1931 (gemeente), pv28 (provincie), ws0155 (waterschap), mnre1034 (ministerie).
        let u = Array(s.utf8)
        guard let firstDigit = u.firstIndex(where: { $0 >= 48 && $0 <= 57 }), firstDigit >= 2, firstDigit < u.count
        else { return false }
        return u[..<firstDigit].allSatisfy { $0 >= 97 && $0 <= 122 } && u[firstDigit...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}

/// Finds the line of a key in TOML text by scanning it: tracks `[table]` headers and `key =` lines.
struct KeyLines {
    private var keys: [String: Int] = [:]     // "a.b\u{0}key" → line
    private var tables: [String: Int] = [:]   // "a.b" → line
    private let allLines: [Substring]

    init(text: String) {
        allLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var current: [String] = []
        var inMultilineString = false
        for (index, raw) in allLines.enumerated() {
            let lineNo = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            let tripleCount = line.components(separatedBy: "\"\"\"").count - 1
            if inMultilineString {
                if tripleCount % 2 == 1 { inMultilineString = false }
                continue
            }
            if line.hasPrefix("[") && !line.hasPrefix("[[") {
                if let close = line.firstIndex(of: "]") {
                    let inner = line[line.index(after: line.startIndex)..<close]
                    current = KeyLines.splitKey(String(inner))
                    let name = current.joined(separator: ".")
                    if tables[name] == nil { tables[name] = lineNo }
                }
                continue
            }
            guard let eq = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let keyPart = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            guard !keyPart.isEmpty, !keyPart.hasPrefix("\"\"\""), !keyPart.contains(",") else { continue }
            let parts = KeyLines.splitKey(keyPart)
            let full = current + parts
            let k = full.dropLast().joined(separator: ".") + "\u{0}" + full.last!
            if keys[k] == nil { keys[k] = lineNo }
            // implicit tables from dotted keys
            for n in 1..<full.count {
                let name = full.prefix(n).joined(separator: ".")
                if tables[name] == nil { tables[name] = lineNo }
            }
            if tripleCount % 2 == 1 { inMultilineString = true }
        }
    }

    static func splitKey(_ s: String) -> [String] {
        s.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
    }

    func line(of path: [String], key: String) -> Int? {
        keys[path.joined(separator: ".") + "\u{0}" + key]
    }

    func tableLine(_ path: [String]) -> Int? { tables[path.joined(separator: ".")] }

    /// The line, at or after the key's line, holding `"value"` (for entries of multi-line arrays).
    func line(ofValue value: String, path: [String], key: String) -> Int? {
        guard let start = line(of: path, key: key) else { return nil }
        let needle = "\"" + value + "\""
        var i = start - 1
        while i < allLines.count {
            if allLines[i].contains(needle) { return i + 1 }
            if i > start - 1, allLines[i].trimmingCharacters(in: .whitespaces).hasPrefix("[") { break }
            i += 1
        }
        return start
    }
}

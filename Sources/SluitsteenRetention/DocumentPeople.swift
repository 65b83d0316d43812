// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The people documents name as their maker: the registered person's name with their roles in words on a date.
extension RetentionStore {
    /// The person `actor` is, for a document's "opgemaakt door": name and person id, with the approver roles (DIV,
    /// archivaris, …) they hold on `date`, else their roles in the personnel register; a name that is not a
    /// registered person is said to be so.
    public func documentPerson(_ actor: Actor, on date: CivilDate) -> DocumentFrame.Person {
        let registers = (try? self.registers()) ?? nil
        return Self.documentPerson(personId: actor.personId, name: actor.documentText, registers: registers, on: date)
    }

    /// The person named by a stored document text (``Actor/documentText``, e.g. `Dora de Wit (P0007)`), as
    /// ``documentPerson(_:on:)`` words them.
    public func documentPerson(documentText: String, on date: CivilDate) -> DocumentFrame.Person {
        let registers = (try? self.registers()) ?? nil
        let person = registers?.people.first { "\($0.name.isEmpty ? $0.id : $0.name) (\($0.id))" == documentText }
        return Self.documentPerson(personId: person?.id, name: documentText, registers: registers, on: date)
    }

    /// The words for a person: approver roles on `date`, else register roles on `date`, else why there is none.
    public static func documentPerson(personId: String?, name: String, registers: Registers?, on date: CivilDate)
        -> DocumentFrame.Person {
        guard let personId, let registers else {
            return DocumentFrame.Person(name: name, role: "geen geregistreerde persoon (naam zoals opgegeven)")
        }
        var roles = registers.approvers.filter { $0.personId == personId && $0.period.contains(date) }.map(\.approverRole)
        if roles.isEmpty {
            roles = registers.roles.filter { $0.personId == personId && $0.period.contains(date) }.map(\.role)
        }
        var words: [String] = []
        for r in roles.map(DutchWords.role) where !words.contains(r) { words.append(r) }
        return DocumentFrame.Person(name: name, role: words.isEmpty ? "geen rol geregistreerd op \(date.words)" : words.joined(separator: " en "))
    }
}

extension RetentionStore {
    /// Mailbox address → the name of the person it belongs to (mailbox register), for overviews per person.
    public func mailboxOwners() -> [String: String] {
        guard let registers = (try? self.registers()) ?? nil else { return [:] }
        let names = Dictionary(registers.people.map { ($0.id, $0.name.isEmpty ? $0.id : $0.name) }, uniquingKeysWith: { a, _ in a })
        var out: [String: String] = [:]
        for m in registers.mailboxes { if let p = m.personId, let n = names[p] { out[m.address.lowercased()] = "\(n) (\(p))" } }
        return out
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
@testable import SluitsteenPolicy

/// A small municipality for decision tests. Policy: the shipped Krimpenerwaard default (go-live 2025-01-01).
enum World {
    static let policy: Policy = {
        do { return try Policy.krimpenerwaard } catch { fatalError("shipped policy does not load: \(error)") }
    }()

    static func d(_ s: String) -> CivilDate {
        guard let d = CivilDate(iso: s) else { fatalError("bad test date \(s)") }
        return d
    }

    static func t(_ s: String) -> Instant {
        guard let i = Instant(iso: s) else { fatalError("bad test instant \(s)") }
        return i
    }

    static let registers = Registers(
        people: [
            Person(id: "p-burg", name: "B. Burgemeester", employedFrom: d("2015-01-01"), employedTo: nil),
            Person(id: "p-staff", name: "S. Staf", employedFrom: d("2018-01-01"), employedTo: nil),
            Person(id: "p-later", name: "W. Later", employedFrom: d("2019-01-01"), employedTo: nil),
            Person(id: "p-left-before", name: "L. Voor", employedFrom: d("2010-01-01"), employedTo: d("2024-06-30")),
            Person(id: "p-left-after", name: "L. Na", employedFrom: d("2010-01-01"), employedTo: d("2025-03-31")),
            Person(id: "p-edge", name: "G. Rand", employedFrom: d("2010-01-01"), employedTo: nil),
        ],
        roles: [
            RoleAssignment(personId: "p-burg", role: "burgemeester", validFrom: d("2015-01-01"), validTo: nil),
            RoleAssignment(personId: "p-staff", role: "medewerker", validFrom: d("2018-01-01"), validTo: nil),
            RoleAssignment(personId: "p-later", role: "medewerker", validFrom: d("2019-01-01"), validTo: d("2024-04-30")),
            RoleAssignment(personId: "p-later", role: "wethouder", validFrom: d("2024-05-01"), validTo: nil),
            RoleAssignment(personId: "p-edge", role: "griffier", validFrom: d("2025-03-10"), validTo: d("2025-03-20")),
        ],
        mailboxes: [
            MailboxEntry(address: "burgemeester@krimpenerwaard.nl", kind: .personal, personId: "p-burg"),
            MailboxEntry(address: "s.staf@krimpenerwaard.nl", kind: .personal, personId: "p-staff"),
            MailboxEntry(address: "w.later@krimpenerwaard.nl", kind: .personal, personId: "p-later"),
            MailboxEntry(address: "l.voor@krimpenerwaard.nl", kind: .personal, personId: "p-left-before"),
            MailboxEntry(address: "l.na@krimpenerwaard.nl", kind: .personal, personId: "p-left-after"),
            MailboxEntry(address: "g.rand@krimpenerwaard.nl", kind: .personal, personId: "p-edge"),
            MailboxEntry(address: "Info@Krimpenerwaard.nl", kind: .functional, personId: nil),
        ])

    static let index = RegisterIndex(registers, policy: policy)

    static func context(asOf: Instant, hotspots: [Hotspot] = [], holds: [WooHold] = [], marks: [OptOutMark] = [])
        -> DecisionContext
    {
        DecisionContext(policy: policy, registers: index, hotspots: hotspots, holds: holds, marks: marks, asOf: asOf)
    }

    static func context(asOfDate: String, hotspots: [Hotspot] = [], holds: [WooHold] = [], marks: [OptOutMark] = [])
        -> DecisionContext
    {
        DecisionContext(policy: policy, registers: index, hotspots: hotspots, holds: holds, marks: marks,
                        asOfDate: d(asOfDate))
    }

    /// A copy; captured one day after sending unless given.
    static func copy(_ mailbox: String, sent: String, captured: String? = nil, folder: String = "Inbox",
                     keywords: [String] = [], from: [String] = [], textHits: Set<TextHitKey> = [],
                     messageId: String = "<m1@example.org>") -> MessageCopy {
        let s = t(sent)
        return MessageCopy(mailbox: mailbox, messageId: messageId, sha256: "00", messageInstant: s,
                           captureInstant: captured.map(t) ?? s.adding(seconds: 86_400), folderPath: folder,
                           keywords: keywords, from: from, textHits: textHits)
    }

    /// The package root (folder holding Package.swift), found from this file.
    static var packageRoot: URL { PackagePaths.root }
}

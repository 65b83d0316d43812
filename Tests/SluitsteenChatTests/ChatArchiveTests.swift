// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenChat
import SluitsteenPolicy
import SluitsteenTestSupport
import Testing

/// Chat in a workspace: ingest keeps the export byte for byte and its messages as rows; refusals store nothing; strip
/// and hand-over as bijlage 4's privacy paragraph asks.
@Suite struct ChatArchiveTests {
    static let folder = PackagePaths.fixtures.appendingPathComponent("chat")
    static let android = folder.appendingPathComponent("WhatsApp Chat met Dijkteam.txt")
    static let zipExport = folder.appendingPathComponent("WhatsApp Chat - Dijkteam.zip")

    static let registers = Registers(people: [
        Person(id: "P0010", name: "Dora de Wit", employedFrom: nil, employedTo: nil),
        Person(id: "P0020", name: "Karel  Smit", employedFrom: nil, employedTo: nil),
        Person(id: "P0030", name: "Jan de Vries", employedFrom: nil, employedTo: nil),
        Person(id: "P0031", name: "jan de vries", employedFrom: nil, employedTo: nil),
    ])
    static let lead = Actor(personId: "P0010", name: "Dora de Wit", osUser: "test")
    static let dijk = Hotspot(id: "H1", name: "Dijkdoorbraak", status: .designated, criteria: MatchCriteria(terms: ["dijk"]),
                              decisionRef: "B-2024-7", projectLead: "P0010")
    /// Dora de Wit (P0010) is the hotspot's project lead.
    static let authority = StripAuthority(hotspots: [dijk], registers: registers, today: CivilDate(iso: "2024-11-01")!)
    static let hold = WooHold(id: "W1", zaaknummer: "Z-2024-001", received: CivilDate(iso: "2024-04-01")!,
                              criteria: MatchCriteria(terms: ["dijk"]))

    let dir: TemporaryDirectory
    let ws: Workspace
    var chat: ChatArchive { ChatArchive(workspace: ws) }

    init() throws {
        dir = try TemporaryDirectory("chat")
        ws = try Workspace.create(at: dir.appending("ws"))
    }

    /// The files in the store (fan-out folders only), by name.
    /// The SHA-256s of the entries in the store's packs, walked from the pack files themselves (each entry's header
    /// names its length and SHA-256: 16-byte pack header, then 4 + 4 + 8 + 32 bytes before each entry's bytes).
    func storedFiles() throws -> [String] {
        let packs = ws.store.root.appendingPathComponent("packs")
        guard FileManager.default.fileExists(atPath: packs.path) else { return [] }
        var out: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: packs.path) {
            let data = [UInt8](try Data(contentsOf: packs.appendingPathComponent(name)))
            var at = 16
            while at + 48 <= data.count {
                let length = (0..<8).reduce(0) { $0 | Int(data[at + 8 + $1]) << (8 * $1) }
                out.append(data[(at + 16)..<(at + 48)].map { String(format: "%02x", $0) }.joined())
                at += 48 + length
            }
        }
        return out.sorted()
    }

    func auditKinds() throws -> [String] {
        try ws.catalog.read { db in try AuditTrail.entries(db).map(\.kind) }
    }

    @Test func ingestKeepsTheExportByteForByteAndItsMessages() throws {
        let outcome = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)
        #expect(outcome.count == 1)
        let o = outcome[0]
        #expect(o.messages == 10 && o.systemLines == 3 && o.deleted == 1 && o.mediaStored == 0 && !o.alreadyPresent)
        #expect(o.mediaMissing == ["IMG-20240302-WA0005.jpg"])
        // Names match the register ignoring case and extra spaces; a name two people share matches no one.
        #expect(o.persons == ["Dora de Wit": "P0010", "Karel Smit": "P0020"])

        let c = try chat.conversation(o.conversationId)
        let original = try Data(contentsOf: Self.android)
        #expect(try ws.store.read(c.exportSHA256) == original)
        #expect(c.exportSize == Int64(original.count) && c.hotspotId == "H1" && c.hotspotName == "Dijkdoorbraak" && c.wooHoldId == nil)
        #expect(c.handedOverBy == "P0010" && c.state == .review && c.dateOrder == .dmy && c.format == .whatsAppAndroid)
        #expect(c.firstTime == "2024-03-01T08:59:00+01:00" && c.lastTime == "2024-03-31T03:06:00+02:00")

        let messages = try chat.messages(conversationId: o.conversationId)
        #expect(messages.map(\.seq) == Array(1...10))
        #expect(messages.map { $0.sender ?? "-" } == ["-", "-", "Dora de Wit", "Karel Smit", "Karel Smit", "Karel Smit", "Dora de Wit",
                                                      "Jan de Vries", "Dora de Wit", "-"])
        #expect(messages[3].text == "Ik ben onderweg.\nBen er over tien minuten.\n\nNeem zandzakken mee!")
        #expect(messages[4].media == ["IMG-20240302-WA0005.jpg"])
        #expect(messages.map(\.personId) == [nil, nil, "P0010", "P0020", "P0020", "P0020", "P0010", nil, "P0010", nil])
        #expect(try chat.media(conversationId: o.conversationId).map(\.state) == [.missing])
        #expect(try auditKinds() == ["chat-ingest"])

        // `store verify` knows the export file: not an orphan, nothing missing.
        let report = try StoreCheck(workspace: ws).run(repair: true)
        #expect(report.orphans.isEmpty && report.isSound && report.checked == 1)
        #expect(try ws.store.read(c.exportSHA256) == original)
    }

    @Test func zipMediaAreStoredOnTheirOwn() throws {
        let o = try chat.ingest([Self.zipExport], link: .woo(Self.hold), actor: Self.lead, registers: Self.registers)[0]
        #expect(o.format == .whatsAppIOS && o.messages == 8 && o.mediaStored == 2 && o.mediaMissing.isEmpty)
        let media = try chat.media(conversationId: o.conversationId)
        #expect(media.map(\.name) == ["00000003-PHOTO-2024-03-02-10-15-00.jpg", "00000007-AUDIO-2024-10-28-08-00-00.opus"])
        #expect(media.map(\.messageSeq) == [3, 8])
        let parsed = try ChatExportReader().read(Self.zipExport).chat
        for (row, file) in zip(media, parsed.mediaFiles) { #expect(try ws.store.read(row.sha256!) == file.data) }
        #expect(try storedFiles().count == 3)
        let c = try chat.conversation(o.conversationId)
        #expect(c.zaaknummer == "Z-2024-001" && c.hotspotId == nil && c.title == "Dijkteam")
        let report = try StoreCheck(workspace: ws).run(repair: false)
        #expect(report.orphans.isEmpty && report.isSound && report.checked == 3)
    }

    @Test(arguments: ["broken/impossible-date.txt", "broken/ambiguous.txt", "broken/not-a-chat.txt", "broken/mixed-platforms.txt",
                      "broken/not-utf8.txt", "broken/doctype.xml"])
    func refusedExportsStoreNothing(name: String) throws {
        // The good export is given first: one bad file refuses the whole command.
        #expect(throws: ChatError.self) {
            _ = try chat.ingest([Self.android, Self.folder.appendingPathComponent(name)], link: .hotspot(Self.dijk), actor: Self.lead,
                                registers: Self.registers)
        }
        #expect(try storedFiles().isEmpty)
        #expect(try chat.conversations().isEmpty)
        #expect(try auditKinds().isEmpty)
    }

    @Test func anUnregisteredActorIsRefused() throws {
        #expect(throws: ChatError.self) {
            _ = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Actor(personId: nil, name: "Iemand", osUser: "t"),
                                registers: Self.registers)
        }
        #expect(try storedFiles().isEmpty)
    }

    @Test func theSameExportAgainChangesNothingAndCannotMoveToAnotherLink() throws {
        let first = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        let again = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        #expect(again.alreadyPresent && again.conversationId == first.conversationId)
        #expect {
            _ = try chat.ingest([Self.android], link: .woo(Self.hold), actor: Self.lead, registers: Self.registers)
        } throws: { "\($0)".contains("taken in before as conversation \(first.conversationId) under hotspot Dijkdoorbraak") }
        #expect(try chat.conversations().count == 1)
        #expect(try auditKinds() == ["chat-ingest"])
    }

    @Test func linksAreRequiredAndMustBeInForce() throws {
        let today = CivilDate(iso: "2024-06-01")!
        let rejected = Hotspot(id: "H2", name: "Kermis", status: .rejected, criteria: MatchCriteria(terms: ["kermis"]))
        let released = WooHold(id: "W2", zaaknummer: "Z-2023-009", received: CivilDate(iso: "2023-01-01")!,
                               released: CivilDate(iso: "2023-06-01")!, releaseReason: "besluit onherroepelijk", criteria: MatchCriteria())
        func refusal(_ hotspot: String?, _ woo: String?) -> String? {
            do {
                _ = try ChatLink.resolve(hotspot: hotspot, woo: woo, hotspots: [Self.dijk, rejected], holds: [Self.hold, released], on: today)
                return nil
            } catch { return error.description }
        }
        #expect(refusal(nil, nil)?.contains("give --hotspot NAME") == true)
        #expect(refusal("Dijkdoorbraak", "Z-2024-001")?.contains("not both") == true)
        #expect(refusal("Onbekend", nil)?.contains("no hotspot named 'Onbekend'") == true)
        #expect(refusal("Kermis", nil)?.contains("was rejected") == true)
        #expect(refusal(nil, "Z-2023-009")?.contains("released on 2023-06-01") == true)
        #expect(refusal(nil, "Z-9")?.contains("no Woo request") == true)
        #expect(refusal("Dijkdoorbraak", nil) == nil && refusal(nil, "Z-2024-001") == nil && refusal(nil, "W1") == nil)
        #expect(try ChatLink.resolve(hotspot: nil, woo: "Z-2024-001", hotspots: [], holds: [Self.hold], on: today) == .woo(Self.hold))
    }

    /// Everything the catalog's files hold, the write-ahead log included.
    func catalogBytes() throws -> Data {
        var all = Data()
        for suffix in ["", "-wal"] {
            let url = URL(fileURLWithPath: ws.catalog.path + suffix)
            if FileManager.default.fileExists(atPath: url.path) { all.append(try Data(contentsOf: url)) }
        }
        return all
    }

    @Test func stripThenHandover() throws {
        let o = try chat.ingest([Self.zipExport], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        let id = o.conversationId
        let before = try chat.conversation(id)
        let secret = "Eerste keer half drie"
        #expect(try catalogBytes().range(of: Data(secret.utf8)) != nil)

        // Message 6 is private; message 3 carries a photo.
        let stripped = try chat.strip(conversationId: id, seqs: [6, 3], actor: Self.lead, authority: Self.authority)
        #expect(stripped.messages == 2 && stripped.media == 1)
        #expect(try chat.messages(conversationId: id).map(\.seq) == [1, 2, 4, 5, 7, 8])
        // Gone from the catalog, its log included; the record says how many, by whom, when — not what.
        #expect(try catalogBytes().range(of: Data(secret.utf8)) == nil)
        let strips = try chat.strips(conversationId: id)
        #expect(strips.count == 1 && strips[0].messageCount == 2 && strips[0].mediaCount == 1)
        #expect(strips.first?.strippedBy.hasPrefix("P0010 Dora de Wit") == true)
        let entry = try ws.catalog.read { db in try AuditTrail.entries(db, kind: .chatStrip) }
        #expect(entry.count == 1 && entry[0].outcome.contains("2 private message(s)") && !entry[0].outcome.contains(secret))
        // Until the hand-over the export as received stays, so that the review can be checked against it.
        #expect(try ws.store.read(before.exportSHA256).count == before.exportSize)
        // A number not (or no longer) in the conversation refuses the whole strip.
        #expect { _ = try chat.strip(conversationId: id, seqs: [6, 7], actor: Self.lead, authority: Self.authority) } throws: {
            "\($0)".contains("no message 6")
        }
        #expect(try chat.messages(conversationId: id).count == 6)

        let handed = try chat.handover(conversationId: id, actor: Self.lead)
        #expect(handed.messages == 6 && handed.strippedMessages == 2 && handed.exportRemoved && handed.mediaRemoved == 1)
        let after = try chat.conversation(id)
        #expect(after.state == .handedOver && after.exportState == .removed && after.exportSHA256 == before.exportSHA256)
        #expect(!ws.store.contains(before.exportSHA256))
        let media = try chat.media(conversationId: id)
        #expect(media.map(\.name) == ["00000007-AUDIO-2024-10-28-08-00-00.opus"] && ws.store.contains(media[0].sha256!))
        #expect(try storedFiles() == [media[0].sha256!])
        let report = try StoreCheck(workspace: ws).run(repair: false)
        #expect(report.isSound && report.orphans.isEmpty)

        // Read-only from now on.
        #expect { _ = try chat.strip(conversationId: id, seqs: [7], actor: Self.lead, authority: Self.authority) } throws: {
            "\($0)".contains("read-only")
        }
        #expect { _ = try chat.handover(conversationId: id, actor: Self.lead) } throws: { "\($0)".contains("handed over already") }
        #expect(try auditKinds() == ["chat-ingest", "chat-strip", "chat-handover"])
    }

    @Test func aConversationNothingWasStrippedFromKeepsItsExport() throws {
        let o = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        let handed = try chat.handover(conversationId: o.conversationId, actor: Self.lead)
        #expect(!handed.exportRemoved && handed.messages == 10)
        let c = try chat.conversation(o.conversationId)
        let kept = try ws.store.read(c.exportSHA256)
        let original = try Data(contentsOf: Self.android)
        #expect(c.exportState == .stored && kept == original)
    }

    @Test func strippedMessagesDoNotComeBackWithTheSameExport() throws {
        let o = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        _ = try chat.strip(conversationId: o.conversationId, seqs: [4], actor: Self.lead, authority: Self.authority)
        _ = try chat.handover(conversationId: o.conversationId, actor: Self.lead)
        // The same file handed in again is recognised by its SHA-256: nothing is stored, the stripped message stays out.
        let again = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        #expect(again.alreadyPresent && again.conversationId == o.conversationId)
        #expect(try storedFiles().isEmpty)
        #expect(try chat.messages(conversationId: o.conversationId).map(\.seq) == [1, 2, 3, 5, 6, 7, 8, 9, 10])
    }

    @Test func mediaAnotherConversationNeedsStay() throws {
        // The same photo in two exports: stored once; stripping it from one conversation leaves it for the other.
        let first = try chat.ingest([Self.zipExport], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        let text = try Data(contentsOf: Self.folder.appendingPathComponent("WhatsApp Chat - Dijkteam.zip"))
        let copy = dir.appending("WhatsApp Chat - Dijkteam (kopie).zip")
        try ChatHostileZip.rewrite(text, to: copy, appendingLine: "[29-10-2024 09:00:00] Dora de Wit: Nog een bericht\n")
        let second = try chat.ingest([copy], link: .hotspot(Self.dijk), actor: Self.lead, registers: Self.registers)[0]
        #expect(second.messages == 9 && second.mediaStored == 2)
        let photo = try #require(try chat.media(conversationId: first.conversationId).first?.sha256)
        #expect(try chat.media(conversationId: second.conversationId).first?.sha256 == photo)
        _ = try chat.strip(conversationId: second.conversationId, seqs: [3], actor: Self.lead, authority: Self.authority)
        let handed = try chat.handover(conversationId: second.conversationId, actor: Self.lead)
        #expect(handed.exportRemoved && handed.mediaRemoved == 0)
        #expect(ws.store.contains(photo))
        let report = try StoreCheck(workspace: ws).run(repair: false)
        #expect(report.isSound && report.orphans.isEmpty)
    }

    @Test func onlyTheProjectLeadOrTheWooCoordinatorStrips() throws {
        let registers = Registers(
            people: Self.registers.people + [Person(id: "P0008", name: "Mirjam Kuipers", employedFrom: nil, employedTo: nil)],
            roles: [RoleAssignment(personId: "P0008", role: "woo-coordinator", validFrom: CivilDate(iso: "2024-01-01")!, validTo: nil)])
        let onHotspot = try chat.ingest([Self.android], link: .hotspot(Self.dijk), actor: Self.lead, registers: registers)[0]
        let onRequest = try chat.ingest([Self.zipExport], link: .woo(Self.hold), actor: Self.lead, registers: registers)[0]
        let karel = Actor(personId: "P0020", name: "Karel Smit", osUser: "test")
        let mirjam = Actor(personId: "P0008", name: "Mirjam Kuipers", osUser: "test")
        let today = CivilDate(iso: "2024-11-01")!
        let authority = StripAuthority(hotspots: [Self.dijk], registers: registers, today: today)
        // Under a hotspot: its project lead only (not the Woo-coördinator, not a sender of the chat).
        for other in [karel, mirjam] {
            #expect {
                _ = try chat.strip(conversationId: onHotspot.conversationId, seqs: [4], actor: other, authority: authority)
            } throws: { "\($0)".contains("is not the project lead of hotspot Dijkdoorbraak (that is P0010)") }
        }
        // A hotspot without a project lead: no one, with what to do.
        var leaderless = Self.dijk
        leaderless.projectLead = nil
        #expect {
            _ = try chat.strip(conversationId: onHotspot.conversationId, seqs: [4], actor: Self.lead,
                               authority: StripAuthority(hotspots: [leaderless], registers: registers, today: today))
        } throws: { "\($0)".contains("has no project lead") && "\($0)".contains("sluitsteen hotspot lead") }
        // Under a Woo request: the Woo-coördinator on the day of the strip only.
        for other in [Self.lead, karel] {
            #expect {
                _ = try chat.strip(conversationId: onRequest.conversationId, seqs: [6], actor: other, authority: authority)
            } throws: { "\($0)".contains("is not the Woo-coördinator") }
        }
        let before = StripAuthority(hotspots: [Self.dijk], registers: registers, today: CivilDate(iso: "2023-12-31")!)
        #expect(throws: ChatError.self) {
            _ = try chat.strip(conversationId: onRequest.conversationId, seqs: [6], actor: mirjam, authority: before)
        }
        // Nothing was stripped by the refusals; the rightful ones strip.
        #expect(try chat.messages(conversationId: onHotspot.conversationId).count == 10)
        #expect(try chat.messages(conversationId: onRequest.conversationId).count == 8)
        #expect(try chat.strip(conversationId: onHotspot.conversationId, seqs: [4], actor: Self.lead, authority: authority).messages == 1)
        #expect(try chat.strip(conversationId: onRequest.conversationId, seqs: [6], actor: mirjam, authority: authority).messages == 1)
        #expect(try auditKinds() == ["chat-ingest", "chat-ingest", "chat-strip", "chat-strip"])
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenXML

/// Reads an SMS Backup & Restore XML file (`<smses>` with `<sms>` and `<mms>` elements) with libxml2, through
/// ``XMLDocument`` (which refuses a DOCTYPE and bounds size and nesting).
///
/// `<sms>`: `date` (milliseconds since the epoch), `type` (1 received; 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued:
/// all written on this phone), `address`, `contact_name`, `body`. `<mms>`: `date`, `msg_box` (1 received, 2 sent),
/// `<parts><part ct= text= name= cl= data=>` (text parts make the text; other parts are media, their bytes base64 in
/// `data`), `<addrs><addr address= type=>` (137 is the sender). Messages written on the phone have the phone's owner
/// as sender (``ownerName``). The app writes emoji as two numeric references to UTF-16 surrogates, which XML forbids;
/// they are joined into one reference before libxml2 reads the file (the stored file keeps them as written).
public struct SMSBackupParser: Sendable {
    public let source: String
    /// The sender of messages written on the phone: the person who handed the backup over.
    public let ownerName: String

    public init(source: String, ownerName: String = "eigenaar van de telefoon") {
        self.source = source
        self.ownerName = ownerName
    }

    public func parse(_ bytes: Data, title: String) throws(ChatError) -> ParsedChat {
        let document: XMLDocument
        do {
            document = try XMLDocument(data: Self.joiningSurrogateReferences(bytes), source: source,
                                       limits: XMLLimits(maxBytes: ChatExportReader.maxBytes, maxDepth: 16))
        } catch {
            throw .xml(file: source, reason: error.description)
        }
        let root = document.root
        guard root.name == "smses" else {
            throw .unknownFormat(file: source, reason: "its XML root element is <\(root.name)>, not <smses> as SMS Backup & Restore writes")
        }
        var messages: [ParsedChatMessage] = []
        var media: [ChatMediaFile] = []
        var mediaNames = Set<String>()
        for element in root.children {
            switch element.name {
            case "sms": messages.append(try sms(element))
            case "mms":
                let (message, files) = try mms(element, taken: &mediaNames)
                messages.append(message)
                media += files
            default: continue
            }
        }
        guard !messages.isEmpty else { throw .unknownFormat(file: source, reason: "the backup holds no <sms> or <mms> element") }
        // The backup lists messages per kind; a conversation is read in time order (stable for equal times).
        let ordered = messages.enumerated().sorted { ($0.element.instant, $0.offset) < ($1.element.instant, $1.offset) }.map(\.element)
        return ParsedChat(format: .smsBackupRestore, dateOrder: nil, title: title, messages: ordered, mediaFiles: media)
    }

    /// The instant of a `date` attribute (milliseconds since the epoch).
    private func instant(_ e: XMLElement) throws(ChatError) -> Instant {
        guard let text = e.attribute("date"), let ms = Int64(text), ms > 0 else {
            throw .xml(file: source, reason: "line \(e.line): <\(e.name)> has no valid date (milliseconds since 1970)")
        }
        return Instant(secondsSinceEpoch: ms / 1000)
    }

    /// The contact as the backup names them: the contact name, unless it is `(Unknown)` or missing, else the number.
    private static func contact(_ e: XMLElement, address: String?) -> String {
        if let name = e.attribute("contact_name")?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name != "(Unknown)", name != "null" {
            return name
        }
        return address ?? "(onbekend nummer)"
    }

    private func sms(_ e: XMLElement) throws(ChatError) -> ParsedChatMessage {
        let time = try instant(e)
        let address = e.attribute("address").flatMap { $0.isEmpty || $0 == "null" ? nil : $0 }
        let received = e.attribute("type") == "1"
        let body = e.attribute("body").map { $0 == "null" ? "" : $0 } ?? ""
        return ParsedChatMessage(line: e.line, kind: .message, sender: received ? Self.contact(e, address: address) : ownerName,
                                 senderAddress: received ? address : nil, instant: time, text: body)
    }

    private func mms(_ e: XMLElement, taken: inout Set<String>) throws(ChatError) -> (ParsedChatMessage, [ChatMediaFile]) {
        let time = try instant(e)
        let received = e.attribute("msg_box") == "1"
        let from = e.child("addrs")?.children("addr").first { $0.attribute("type") == "137" }?.attribute("address")
        let address = from ?? e.attribute("address")
        var texts: [String] = []
        var names: [String] = []
        var files: [ChatMediaFile] = []
        for (index, part) in (e.child("parts")?.children("part") ?? []).enumerated() {
            let type = (part.attribute("ct") ?? "").lowercased()
            if type == "application/smil" { continue }
            if type.hasPrefix("text/plain") {
                if let t = part.attribute("text"), t != "null" { texts.append(t) }
                continue
            }
            var name = [part.attribute("cl"), part.attribute("name")].compactMap { $0 }.first { !$0.isEmpty && $0 != "null" }
                ?? "mms-\(time.secondsSinceEpoch)-\(index + 1)"
            name = (name as NSString).lastPathComponent
            if taken.contains(name) { name = "\(time.secondsSinceEpoch)-\(index + 1)-\(name)" }
            taken.insert(name)
            names.append(name)
            if let encoded = part.attribute("data"), !encoded.isEmpty, encoded != "null" {
                guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                    throw .xml(file: source, reason: "line \(part.line): the data of MMS part \(name) is not base64")
                }
                files.append(ChatMediaFile(name: name, data: data))
            }
        }
        let message = ParsedChatMessage(line: e.line, kind: .message, sender: received ? Self.contact(e, address: address) : ownerName,
                                        senderAddress: received ? address : nil, instant: time, text: texts.joined(separator: "\n"),
                                        media: names)
        return (message, files)
    }

    /// `bytes` with each pair of numeric references to a UTF-16 surrogate pair (`&#55357;&#56832;`) replaced by one
    /// reference to the character they encode (`&#128512;`). Other text is left as it is.
    static func joiningSurrogateReferences(_ bytes: Data) -> Data {
        let marker = Array("&#5".utf8)
        guard bytes.firstRange(of: marker) != nil else { return bytes }
        let b = [UInt8](bytes)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        /// The decimal reference `&#N;` at `i`: its value and length.
        func reference(at i: Int) -> (value: Int, length: Int)? {
            guard i + 3 < b.count, b[i] == 0x26, b[i + 1] == 0x23 else { return nil }
            var j = i + 2, v = 0
            while j < b.count, j - i < 10, b[j] >= 48, b[j] <= 57 { v = v * 10 + Int(b[j] - 48); j += 1 }
            guard j > i + 2, j < b.count, b[j] == 0x3B else { return nil }
            return (v, j + 1 - i)
        }
        var i = 0
        while i < b.count {
            if b[i] == 0x26, let high = reference(at: i), (0xD800...0xDBFF).contains(high.value),
               let low = reference(at: i + high.length), (0xDC00...0xDFFF).contains(low.value) {
                let scalar = 0x10000 + ((high.value - 0xD800) << 10) + (low.value - 0xDC00)
                out.append(contentsOf: Array("&#\(scalar);".utf8))
                i += high.length + low.length
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return Data(out)
    }
}

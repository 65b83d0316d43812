// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// One address of a message's From, To, Cc or Bcc header as the catalog keeps it (`message.fromJSON` and the
/// others hold a JSON list of them): the display name, when there is one, and the address.
///
/// The one definition of that list: ingest writes it with ``json(_:)``, and everything that reads it (decisions that
/// match addresses, search, the web pages) decodes it with ``list(json:)``.
public struct CatalogAddress: Sendable, Hashable, Codable {
    public var name: String?
    public var address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
    }

    /// "Name <address>", the name alone when there is no address, the address alone when there is no name.
    public var text: String {
        guard let name, !name.isEmpty else { return address }
        return address.isEmpty ? name : "\(name) <\(address)>"
    }

    /// The JSON list the catalog keeps: `[{"name":…,"address":…},…]` (`null` for a missing name), built as bytes (it is
    /// written once per address header of every message ingested).
    public static func json(_ list: [CatalogAddress]) -> String {
        if list.isEmpty { return "[]" }
        var out: [UInt8] = [0x5B]
        for (i, a) in list.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendRaw("{\"name\":", to: &out)
            if let name = a.name { JSONText.appendString(name, to: &out) } else { JSONText.appendRaw("null", to: &out) }
            JSONText.appendRaw(",\"address\":", to: &out)
            JSONText.appendString(a.address, to: &out)
            out.append(0x7D)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    /// The addresses of a list the catalog keeps; text that is not such a list gives none.
    public static func list(json: String) -> [CatalogAddress] {
        if json == "[]" { return [] }
        return (try? JSONDecoder().decode([CatalogAddress].self, from: Data(json.utf8))) ?? []
    }
}

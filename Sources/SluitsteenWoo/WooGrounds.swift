// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// One ground for withholding information under the Woo, e.g. `5.1.2e` (art. 5.1 lid 2 sub e, the respect for
/// personal privacy).
public struct WooGround: Sendable, Hashable, Codable {
    /// The code as Dutch publishers write it in the inventarislijst (`5.1.1e`, `5.1.2e`, …).
    public var code: String
    /// The article, lid and sub in words ("art. 5.1 lid 2 sub e").
    public var article: String
    /// `absoluut` (lid 1: no weighing), `relatief` (lid 2: weighed against openness), or another class.
    public var category: String
    /// What the ground protects, in Dutch, in our own words.
    public var summary: String
    /// Whether the code was checked against the text of the law (see ``WooGrounds/source``).
    public var checked: Bool

    private enum CodingKeys: String, CodingKey {
        case code, article = "artikel", category = "soort", summary = "omschrijving", checked = "gecontroleerd"
    }
}

/// The Woo grounds and which ground each recogniser suggests, as data (`Resources/woo-grounds.json`), so that a
/// wrong article number is corrected in one data file and never in code.
public struct WooGrounds: Sendable, Hashable, Codable {
    /// Where the article numbers come from and how far they were checked.
    public var source: String
    public var grounds: [WooGround]
    /// Recogniser kind (``SuggestionKind`` raw value) → ground code.
    public var byKind: [String: String]

    private enum CodingKeys: String, CodingKey { case source = "bron", grounds = "gronden", byKind = "herkenners" }

    /// The ground with this code, if listed.
    public func ground(code: String) -> WooGround? { grounds.first { $0.code == code } }

    /// The ground code a kind of suggestion is withheld on.
    public func code(for kind: SuggestionKind) -> String { byKind[kind.rawValue] ?? "" }

    /// Decodes and checks a grounds file: every kind has a ground, and every ground it names is listed.
    public static func decode(_ data: Data, file: String) throws(WooError) -> WooGrounds {
        let grounds: WooGrounds
        do { grounds = try JSONDecoder().decode(WooGrounds.self, from: data) } catch {
            throw .invalidGrounds(file: file, reason: "\(error)")
        }
        for kind in SuggestionKind.allCases {
            guard let code = grounds.byKind[kind.rawValue] else {
                throw .invalidGrounds(file: file, reason: "no ground for the recogniser \"\(kind.rawValue)\"")
            }
            guard grounds.ground(code: code) != nil else {
                throw .invalidGrounds(file: file, reason: "the recogniser \"\(kind.rawValue)\" names ground \(code), which is not listed")
            }
        }
        return grounds
    }

    /// The shipped list (`woo-grounds.json` in the SluitsteenWoo resources).
    public static func shipped() throws(WooError) -> WooGrounds { try shippedResult.get() }

    private static let shippedResult: Result<WooGrounds, WooError> = {
        guard let url = Bundle.module.url(forResource: "woo-grounds", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return .failure(.missingGrounds) }
        do throws(WooError) { return .success(try decode(data, file: url.lastPathComponent)) } catch { return .failure(error) }
    }()
}

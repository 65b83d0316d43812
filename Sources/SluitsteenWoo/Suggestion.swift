// SPDX-License-Identifier: EUPL-1.2

/// What a recogniser found: the kind of sensitive item a suggested redaction covers.
///
/// The raw values are the `kind` field of `sluitsteen woo suggest --json` and of the labelled test set; they are
/// stable names, not display text. Which Woo ground each kind suggests is data (``WooGrounds``), not code.
public enum SuggestionKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A burgerservicenummer that passes the elfproef.
    case bsn
    /// An IBAN (ISO 13616) whose check digits are right (mod 97 = 1).
    case iban
    /// A Dutch telephone number (mobile, geographic, +31/0031, 08xx/09xx service numbers).
    case phone
    /// An e-mail address outside the organisation's own domains.
    case email
    /// A postcode with or without house number, or a street with house number in an address.
    case address
    /// A Dutch licence plate in one of the RDW sidecodes.
    case plate
    /// A KvK (Kamer van Koophandel) number, only where a keyword says so.
    case kvk
    /// A date of birth: a date right after geboren, geboortedatum, geb., born, ….
    case birthdate
    /// A person's name: staff who are not key persons (from the registers), or a name after a form of address.
    case name

    /// Order used to break ties deterministically (declaration order).
    public static func < (a: SuggestionKind, b: SuggestionKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One suggested redaction: a span of the text with what it is and the Woo ground it would be withheld on.
///
/// `start` and `end` count Unicode scalars from the start of the text (`end` exclusive), the way Python's `str`
/// indexes and `String.unicodeScalars` count: a byte order mark or a CR of a CRLF pair counts as one scalar.
/// A suggestion is never applied by itself: a person accepts or rejects it.
public struct Suggestion: Sendable, Hashable, Codable {
    /// First scalar of the span.
    public var start: Int
    /// Scalar after the last one of the span.
    public var end: Int
    /// The text of the span, exactly as it occurs.
    public var text: String
    public var kind: SuggestionKind
    /// The Woo ground code, e.g. `5.1.2e` (art. 5.1 lid 2 sub e), from ``WooGrounds``.
    public var ground: String
    /// Why it was suggested, in Dutch for the reviewer (e.g. "BSN, elfproef klopt").
    public var note: String

    public init(start: Int, end: Int, text: String, kind: SuggestionKind, ground: String, note: String) {
        self.start = start
        self.end = end
        self.text = text
        self.kind = kind
        self.ground = ground
        self.note = note
    }
}

// SPDX-License-Identifier: EUPL-1.2

/// The Dutch recognisers that suggest redactions for a Woo disclosure: BSN, IBAN, phone numbers, e-mail addresses
/// outside the organisation, postcodes and addresses, licence plates, KvK numbers, dates of birth and names.
///
/// Pure and deterministic: the same text and settings give the same suggestions, ordered by start. Where spans
/// overlap the longest is kept. One pass over the text (and one more for the names found in it), with bounded
/// look-around at each token, so the time grows linearly with the text.
public struct Recognisers: Sendable {
    public let settings: RecogniserSettings
    public let grounds: WooGrounds
    private let email: EmailRecogniser
    private let names: NameRecogniser

    /// Recognisers with the shipped grounds list.
    public init(settings: RecogniserSettings) throws(WooError) {
        self.init(settings: settings, grounds: try WooGrounds.shipped())
    }

    public init(settings: RecogniserSettings, grounds: WooGrounds) {
        self.settings = settings
        self.grounds = grounds
        email = EmailRecogniser(ownDomains: settings.ownDomains,
                                staffAddresses: settings.redactStaffNames ? Set(settings.staffAddresses) : [])
        names = NameRecogniser(staff: settings.staff, redactStaffNames: settings.redactStaffNames)
    }

    /// The suggested redactions in `text`, ordered by start.
    public func suggestions(in text: String) -> [Suggestion] {
        let t = ScalarText(text)
        let selected = SpanSelection.select(candidates(in: t))
        return selected.map {
            Suggestion(start: $0.start, end: $0.end, text: t.string($0.start, $0.end), kind: $0.kind,
                       ground: grounds.code(for: $0.kind), note: $0.note)
        }
    }

    /// Every candidate span, overlapping ones included.
    func candidates(in t: ScalarText) -> [Candidate] {
        var found: [Candidate] = []
        var i = 0
        let n = t.count
        while i < n {
            let c = t[i]
            if c == 0x40 {  // @
                if let m = email.match(at: i, in: t) { found.append(m) }
                i += 1
                continue
            }
            let isDigit = t.isDigit(i)
            let isLetter = !isDigit && t.isLetter(i)
            guard isDigit || isLetter || c == 0x2B || c == 0x28, t.startsToken(i) else {
                i += 1
                continue
            }
            if c == 0x2B || c == 0x28 {  // + or ( : only a phone number starts here; what follows is a token of its own
                if let m = PhoneRecogniser.match(at: i, in: t) { found.append(m) }
                i += 1
                continue
            }
            if isDigit {
                if c == 0x30, let m = PhoneRecogniser.match(at: i, in: t) { found.append(m) }
                if let m = BSNRecogniser.match(at: i, in: t) { found.append(m) }
                if let m = KvKRecogniser.match(at: i, in: t) { found.append(m) }
                if let m = BirthDateRecogniser.match(at: i, in: t) { found.append(m) }
                if let m = PlateRecogniser.match(at: i, in: t) { found.append(m) }
                found += AddressRecogniser.match(at: i, in: t)
            } else {
                if let m = IBANRecogniser.match(at: i, in: t) { found.append(m) }
                if t.isUpper(i), let m = PlateRecogniser.match(at: i, in: t) { found.append(m) }
                if t.isUpper(i), let m = AddressRecogniser.streetWithNumber(at: i, in: t) { found.append(m) }
                if let m = names.match(at: i, in: t) {
                    found += m.candidates
                    i = max(i + 1, m.skipTo)
                    continue
                }
            }
            // On to the next token: past this run of letters and digits.
            i += 1
            while i < n, t.isAlnum(i) { i += 1 }
        }
        let names = found.filter { $0.kind == .name }
        if !names.isEmpty { found += self.names.propagate(names, in: t) }
        return found
    }
}

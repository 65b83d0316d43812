// SPDX-License-Identifier: EUPL-1.2
import HTTPTypes

/// Why a sign-in was refused. Each has an HTTP status, a Dutch page text for the person, and a reason code for the log
/// and the audit trail (never a token, code or secret).
public enum SignInRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The callback came without a `state`.
    case stateMissing
    /// The `state` is unknown: already used (a replay), expired, or never issued.
    case stateUnknown
    /// The `state` belongs to a sign-in another browser started.
    case stateFromOtherBrowser
    /// The provider sent an error instead of a code (its error code, e.g. `access_denied`).
    case providerError(String)
    /// The provider could not be reached or answered something unusable (what, for the log).
    case providerUnavailable(String)
    /// The token endpoint refused the code (its HTTP status).
    case tokenExchangeFailed(Int)
    case malformedToken
    case unsupportedAlgorithm(String)
    case signatureInvalid
    case unknownKey
    case wrongIssuer
    case wrongAudience
    case expired
    case issuedInFuture
    case nonceMismatch
    case missingClaim(String)
    /// The provider says the e-mail address is not verified.
    case emailNotVerified
    /// No registers have been imported in the workspace.
    case noRegisters
    /// The claim value matches no registered person (the value, for the audit trail).
    case unknownPerson(String)
    /// The person matched has left service (person id).
    case leftService(String)

    /// The reason code for the log and the audit trail.
    public var reason: String {
        switch self {
        case .stateMissing: return "state-missing"
        case .stateUnknown: return "state-unknown-or-reused"
        case .stateFromOtherBrowser: return "state-from-other-browser"
        case .providerError(let code): return "provider-error:\(code.prefix(60))"
        case .providerUnavailable(let what): return "provider-unavailable:\(what)"
        case .tokenExchangeFailed(let status): return "token-exchange-failed:\(status)"
        case .malformedToken: return "id-token-malformed"
        case .unsupportedAlgorithm(let alg): return "id-token-algorithm:\(alg.prefix(20))"
        case .signatureInvalid: return "id-token-signature-invalid"
        case .unknownKey: return "id-token-key-unknown"
        case .wrongIssuer: return "id-token-wrong-issuer"
        case .wrongAudience: return "id-token-wrong-audience"
        case .expired: return "id-token-expired"
        case .issuedInFuture: return "id-token-issued-in-future"
        case .nonceMismatch: return "id-token-nonce-mismatch"
        case .missingClaim(let name): return "id-token-claim-missing:\(name)"
        case .emailNotVerified: return "email-not-verified"
        case .noRegisters: return "no-registers"
        case .unknownPerson: return "person-unknown"
        case .leftService: return "person-left-service"
        }
    }

    public var description: String { reason }

    public var status: HTTPResponse.Status {
        switch self {
        case .stateMissing, .stateUnknown, .stateFromOtherBrowser, .providerError: return .badRequest
        case .providerUnavailable: return .badGateway
        case .tokenExchangeFailed, .malformedToken, .unsupportedAlgorithm, .signatureInvalid, .unknownKey, .wrongIssuer,
             .wrongAudience, .expired, .issuedInFuture, .nonceMismatch, .missingClaim:
            return .unauthorized
        case .emailNotVerified, .noRegisters, .unknownPerson, .leftService: return .forbidden
        }
    }

    /// The page's heading.
    public var title: String {
        switch self {
        case .stateMissing, .stateUnknown, .stateFromOtherBrowser: return "Deze aanmelding is niet meer geldig"
        case .providerError: return "De aanmeldservice heeft de aanmelding afgebroken"
        case .providerUnavailable: return "De aanmeldservice is niet bereikbaar"
        case .tokenExchangeFailed, .malformedToken, .unsupportedAlgorithm, .signatureInvalid, .unknownKey, .wrongIssuer,
             .wrongAudience, .expired, .issuedInFuture, .nonceMismatch, .missingClaim:
            return "Uw aanmelding kon niet worden gecontroleerd"
        case .emailNotVerified, .noRegisters, .unknownPerson, .leftService: return "U hebt geen toegang tot het mailarchief"
        }
    }

    /// The page's explanation: what happened and what to do.
    public var explanation: String {
        switch self {
        case .stateMissing:
            return "De terugkeer van de aanmeldservice bevatte geen kenmerk van een aanmelding. Begin opnieuw met aanmelden."
        case .stateUnknown:
            return "Deze aanmelding is al gebruikt of te lang geleden begonnen. Een aanmelding kan maar één keer worden afgerond. "
                + "Begin opnieuw met aanmelden."
        case .stateFromOtherBrowser:
            return "Deze aanmelding is in een andere browser of een ander venster begonnen. Begin opnieuw met aanmelden in deze browser."
        case .providerError:
            return "De aanmeldservice van de gemeente gaf een foutmelding terug. Probeer het opnieuw; blijft het mislukken, neem dan "
                + "contact op met de servicedesk."
        case .providerUnavailable:
            return "Het mailarchief kon de aanmeldservice van de gemeente niet bereiken of kreeg een onbruikbaar antwoord. Probeer het "
                + "over enkele minuten opnieuw."
        case .expired:
            return "Het bewijs van aanmelding dat de aanmeldservice meegaf, was verlopen. Controleer of de klok van uw computer en van "
                + "de server juist staan, en meld u opnieuw aan."
        case .tokenExchangeFailed, .malformedToken, .unsupportedAlgorithm, .signatureInvalid, .unknownKey, .wrongIssuer,
             .wrongAudience, .issuedInFuture, .nonceMismatch, .missingClaim:
            return "Het bewijs van aanmelding dat de aanmeldservice meegaf, is niet echt, niet voor deze dienst bestemd of niet "
                + "volledig. U bent niet aangemeld. De poging is vastgelegd. Meld u opnieuw aan; blijft het mislukken, neem dan "
                + "contact op met de servicedesk."
        case .emailNotVerified:
            return "De aanmeldservice meldt dat uw e-mailadres niet is bevestigd. Neem contact op met de servicedesk."
        case .noRegisters:
            return "In het mailarchief zijn nog geen personeelsregisters ingelezen, dus niemand kan worden herkend. Neem contact op "
                + "met DIV (sluitsteen register import)."
        case .unknownPerson:
            return "U bent wel aangemeld bij de gemeente, maar u komt niet voor in het personeelsregister van het mailarchief "
                + "(uw persoonlijke mailbox, of de koppeling voor medewerkers zonder mailbox). Neem contact op met DIV als u "
                + "toegang nodig hebt."
        case .leftService:
            return "Volgens het personeelsregister bent u niet meer in dienst. Neem contact op met DIV als dit niet klopt."
        }
    }
}

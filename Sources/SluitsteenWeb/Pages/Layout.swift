// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird

/// The one page layout: Dutch, semantic HTML, a skip link, the signed-in person and the sign-out form in the header,
/// the stylesheet served by the service itself. No scripts, no external assets.
public enum Layout {
    /// The path of the stylesheet.
    public static let stylesheetPath = "/static/sluitsteen.css"
    /// The path of the icon.
    public static let iconPath = "/static/sluitsteen.svg"

    /// A whole page. `person` and `csrfToken` (both or neither) fill the header's sign-out form.
    public static func page(title: String, body: HTML, person: SignedInPerson?, csrfToken: String?) -> HTML {
        let account: HTML
        if let person, let csrfToken {
            account = """
                <div class="account"><p>Aangemeld als <strong>\(person.name)</strong></p>\
                <form method="post" action="/logout">\(csrfField(csrfToken))<button type="submit">Afmelden</button></form></div>
                """
        } else {
            account = HTML.empty
        }
        return """
            <!doctype html>
            <html lang="nl">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) — Sluitsteen mailarchief</title>
            <link rel="stylesheet" href="\(stylesheetPath)">
            <link rel="icon" href="\(iconPath)" type="image/svg+xml">
            </head>
            <body>
            <a class="skip" href="#inhoud">Direct naar de inhoud</a>
            <header><p class="brand"><a href="/">Sluitsteen mailarchief</a></p>\(account)</header>
            <main id="inhoud" tabindex="-1">
            <h1>\(title)</h1>
            \(body)
            </main>
            <footer><p>Sluitsteen — archivering van e-mail volgens de Capstone-methode.</p></footer>
            </body>
            </html>

            """
    }

    /// The hidden field that carries the session's CSRF token in a form.
    public static func csrfField(_ token: String) -> HTML {
        "<input type=\"hidden\" name=\"\(CSRF.fieldName)\" value=\"\(token)\">"
    }

    /// An HTML response.
    public static func response(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.rendered)))
    }

    /// The error page for a status, with what happened and what to do. Never a stack trace.
    public static func errorPage(status: HTTPResponse.Status, title: String? = nil, explanation: String? = nil,
                                 person: SignedInPerson? = nil, csrfToken: String? = nil) -> Response {
        let (defaultTitle, defaultText) = errorText(status)
        let signIn: HTML = status == .unauthorized || person == nil && status.code >= 400 && status.code < 500
            ? "<p><a href=\"/login\">Aanmelden</a></p>" : HTML.empty
        let body: HTML = """
            <p>\(explanation ?? defaultText)</p>
            \(signIn)<p><a href="/">Naar de startpagina</a></p>
            <p class="status">Foutcode \(Int(status.code))</p>
            """
        return response(page(title: title ?? defaultTitle, body: body, person: person, csrfToken: csrfToken), status: status)
    }

    static func errorText(_ status: HTTPResponse.Status) -> (String, String) {
        switch status.code {
        case 400: return ("Dit verzoek kan niet worden verwerkt", "Het verzoek is onvolledig of onjuist. Ga terug en probeer het opnieuw.")
        case 401: return ("U bent niet aangemeld", "Voor deze pagina moet u zijn aangemeld. Uw sessie is misschien verlopen.")
        case 403: return ("Geen toegang", "U bent aangemeld, maar uw rol geeft geen toegang tot deze pagina. Neem contact op met DIV "
            + "als u denkt dat u deze toegang nodig hebt.")
        case 404: return ("Pagina niet gevonden", "Deze pagina bestaat niet (of nog niet). Controleer het adres.")
        case 405: return ("Deze handeling kan hier niet", "Deze pagina ondersteunt deze soort verzoek niet.")
        case 413: return ("Het formulier is te groot", "Het verstuurde formulier is groter dan deze dienst aanneemt.")
        case 502, 503: return ("De dienst is tijdelijk niet beschikbaar", "Een onderdeel waarvan het mailarchief afhangt, is niet "
            + "bereikbaar. Probeer het over enkele minuten opnieuw.")
        default:
            if status.code >= 500 {
                return ("Er ging iets mis", "Er is een fout opgetreden in het mailarchief. De fout is vastgelegd. Probeer het opnieuw; "
                    + "blijft het mislukken, neem dan contact op met de servicedesk.")
            }
            return ("Dit verzoek kan niet worden verwerkt", "Het verzoek kan niet worden verwerkt.")
        }
    }
}

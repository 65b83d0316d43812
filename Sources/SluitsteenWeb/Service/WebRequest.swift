// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import SluitsteenArchive

/// What every page handler can use: the workspace, the configuration, the route table, the event log, the audit
/// trail, and the clock that decides session expiry.
public struct WebServices: Sendable {
    public let workspace: Workspace
    public let configuration: ServeConfiguration
    public let routes: RouteTable
    /// The start page's links (each shown to the roles it names).
    public let navigation: [NavigationItem]
    public let events: EventLog
    public let audit: WebAudit
    /// "Now" for sessions and tokens (the system clock; a test may pass its own).
    public let now: @Sendable () -> Date
    /// The retention policy in force, read again only when its file changes.
    public let policies = PolicyCache()
    let sessionStorage: SessionStorage<WebSession>
}

/// One request as a page handler sees it: the HTTP request, the gatekeeper's findings (the signed-in person, the
/// path parameters, the checked form), and the services. Reaching a handler means the route's access allowed it and,
/// for a POST, that the CSRF token was right.
public struct WebRequest: Sendable {
    public let request: Request
    public let context: WebRequestContext
    public let services: WebServices

    /// The signed-in person; never nil on a `.signedIn` or `.roles` route.
    public var person: SignedInPerson? { context.person }
    /// The session's CSRF token, for the page's forms (see ``Layout/csrfField(_:)``).
    public var csrfToken: String? { context.csrfToken }
    /// The fields of a submitted form (POST), CSRF-checked.
    public var form: [String: String] { context.form }

    /// A path parameter (`:id` in the route's path), percent-decoded.
    public func parameter(_ name: String) -> String? { context.parameters[name] }

    /// A query parameter.
    public func query(_ name: String) -> String? { request.uri.queryParameters.get(name) }

    /// A page in the layout.
    public func page(title: String, body: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Layout.response(Layout.page(title: title, body: body, person: person, csrfToken: person == nil ? nil : csrfToken), status: status)
    }

    /// A redirect after a state change (303 See Other), to a path on this service.
    public func redirect(to path: String) -> Response { Gatekeeper.redirect(to: path) }

    /// The audit actor for the signed-in person (the OS account is the service's).
    public var actor: Actor? { person.map { Actor(personId: $0.personId, name: $0.name) } }
}

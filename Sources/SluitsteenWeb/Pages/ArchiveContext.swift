// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// What the archive's pages need for one request: the signed-in person, the workspace and its "now", the retention
/// policy in force and the access policy of today (registers, teams, designations). Built at the start of a handler;
/// what the person may see of the mail is asked of ``access`` (``AccessPolicy``), never decided here.
struct ArchiveContext: Sendable {
    let request: WebRequest
    let person: SignedInPerson
    let workspace: Workspace
    let policy: PolicyInForce
    let access: AccessPolicy
    /// The workspace's clock (a demo archive replays one; see `SLUITSTEEN_NOW`).
    let now: Instant

    init(_ req: WebRequest) throws(WebError) {
        guard let person = req.person else { throw WebError(.unauthorized, reason: "sign-in-required") }
        request = req
        self.person = person
        workspace = req.services.workspace
        now = Instant(workspace.clock.now())
        do { policy = try req.services.policies.current(workspace) } catch {
            throw ArchiveContext.unavailable("policy-unreadable", "Het bewaarbeleid van het archief kan niet worden gelezen.")
        }
        do { access = try AccessStore(workspace: workspace).policy(policy.policy) } catch {
            throw ArchiveContext.unavailable("access-policy-unreadable", "De registers en machtigingen kunnen niet worden gelezen.")
        }
    }

    var roles: Set<Role> { person.roles }
    var today: CivilDate { access.today }
    /// The signed-in person as the actor of a change (the OS account is the service's).
    var actor: Actor { Actor(personId: person.personId, name: person.name) }

    /// The mailboxes whose mail the person may find (nil: every mailbox), from the access policy.
    var searchableMailboxes: Set<String>? { access.searchableMailboxes(person: person.personId, roles: roles) }

    /// Every Woo request (hold), by zaaknummer.
    func holds() throws(WebError) -> [WooHold] {
        do { return try RetentionStore(workspace: workspace).holds() } catch {
            throw Self.unavailable("holds-unreadable", "De Woo-verzoeken kunnen niet worden gelezen.")
        }
    }

    /// The Woo requests (hold ids) the person may search within.
    func searchableRequests(_ holds: [WooHold]) -> Set<String> {
        access.searchableRequests(person: person.personId, roles: roles, all: holds.filter { $0.released == nil }.map(\.id))
    }

    /// A page in the layout (for the signed-in person).
    func page(title: String, body: HTML, status: HTTPStatus = .ok) -> Response {
        request.page(title: title, body: body, status: status)
    }

    /// The session's CSRF field for a form.
    var csrf: HTML { Layout.csrfField(request.csrfToken ?? "") }

    /// 503: a part of the archive cannot be read now.
    static func unavailable(_ reason: String, _ text: String) -> WebError {
        WebError(.serviceUnavailable, reason: reason, title: "Het archief is tijdelijk niet leesbaar",
                 explanation: text + " Probeer het over enkele minuten opnieuw; blijft het mislukken, neem dan contact op met de servicedesk.")
    }
}

/// A response status (Hummingbird's).
typealias HTTPStatus = HTTPResponse.Status

// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Hummingbird
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// `/mijn-mail`: the employee's own opt-out (informatiebeleid, bijlage 3 punt 6). The mail captured in the person's own
/// personal mailboxes during the policy's window (P10W) back from now, each with the moment its window closes: while it
/// is open a message can be marked private or informal, and the mark undone. Mail captured in the window before that,
/// whose window has closed since, stays on the page read-only, with the reason. Every view of the page is in the access
/// log.
enum OptOutPage {
    static let pageSize = 50

    static var group: RouteGroup {
        RouteGroup(name: "mijn-mail", routes: [
            .get("/mijn-mail", access: .only(.medewerker), handler: show),
            .post("/mijn-mail/uitzonderen", access: .only(.medewerker), handler: mark),
            .post("/mijn-mail/terugdraaien", access: .only(.medewerker), handler: undo),
        ], navigation: [
            NavigationItem(title: "Mijn mail en uitzonderingen", path: "/mijn-mail",
                           summary: "Uw eigen mailboxen; privé of informele mail uitzonderen binnen de termijn.", roles: [.medewerker]),
        ])
    }

    /// The notices after a change (by code, never text from the request).
    static let notices = ["private": "Het bericht is uitgezonderd als privé: het wordt na de termijn ongelezen geschoond.",
                          "informal": "Het bericht is uitgezonderd als informeel: het wordt na de termijn ongelezen geschoond.",
                          "teruggedraaid": "De uitzondering is ongedaan gemaakt: het bericht valt weer onder de gewone bewaarregels."]

    /// The person's own personal mailboxes.
    static func ownMailboxes(_ ctx: ArchiveContext) -> [String] { ctx.access.registers.personalMailboxes(of: ctx.person.personId) }

    /// The earliest capture moment shown: twice the window's length back from now (days of a month or year counted
    /// long, and an hour more for a change of summer time): the open windows, and those that closed in the last window.
    static func since(_ ctx: ArchiveContext) -> Int64 {
        let w = ctx.policy.policy.optOut.window
        let days = Int64(w.years * 366 + w.months * 31 + w.weeks * 7 + w.days)
        return ctx.now.secondsSinceEpoch - 2 * days * 86_400 - 3600
    }

    @Sendable static func show(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let boxes = ownMailboxes(ctx)
        guard !boxes.isEmpty else {
            return ctx.page(title: "Mijn mail", body: """
                <p>U hebt geen persoonlijke mailbox in het mailboxregister van het archief, dus er is niets om uit te zonderen. \
                Klopt dat niet, neem dan contact op met DIV.</p>
                """)
        }
        for box in boxes {
            do {
                try AccessStore(workspace: ctx.workspace).record(.optOutPage, copyIds: [], mailbox: box, actor: ctx.actor, role: .medewerker,
                                                                  basis: .ownMailbox, reason: "eigen opt-outpagina")
            } catch {
                throw ArchiveContext.unavailable("access-log-unwritable", "Het bekijken van deze pagina kon niet worden vastgelegd.")
            }
        }
        let page = Parts.pageNumber(req.query("pagina"))
        let since = since(ctx)
        let copies: [CatalogCopy]
        let total: Int
        let marks: [OptOutMark]
        do {
            total = try ctx.workspace.catalog.countCopies(mailboxes: boxes, capturedSince: since)
            copies = try ctx.workspace.catalog.copies(mailboxes: boxes, capturedSince: since, limit: pageSize, offset: (page - 1) * pageSize)
            marks = try RetentionStore(workspace: ctx.workspace).optOutMarks().filter { boxes.contains($0.mailbox) }
        } catch {
            throw ArchiveContext.unavailable("catalog-unreadable", "Uw mail kan nu niet worden gelezen.")
        }
        let window = ctx.policy.policy.optOut.window
        var nextClose: Instant?
        let rows: [HTML] = copies.map { c in
            let w = OptOutWindow(messageInstant: Instant(secondsSinceEpoch: c.dateEpoch ?? c.capturedEpoch),
                                 captureInstant: Instant(secondsSinceEpoch: c.capturedEpoch), length: window)
            let open = w.isOpen(at: ctx.now)
            if open {
                nextClose = min(nextClose ?? w.closesAt, w.closesAt)
            }
            let mark = marks.last { $0.mailbox == c.mailbox && $0.messageId == c.messageId }
            let status: HTML = mark.map { "Uitgezonderd als \(DutchText.ground($0.ground))" } ?? "Wordt bewaard volgens het beleid"
            let subject = c.subject.isEmpty ? "(geen onderwerp)" : c.subject
            let action: HTML
            if !open {
                action = "<span class=\"gesloten\">Termijn gesloten op \(DutchText.time(w.closesAt)); niet meer te wijzigen.</span>"
            } else if mark != nil {
                action = """
                    <form method="post" action="/mijn-mail/terugdraaien">\(ctx.csrf)<input type="hidden" name="kopie" value="\(c.copyId)">\
                    <button type="submit" class="secundair" aria-label="Uitzondering ongedaan maken: \(subject)">Ongedaan maken</button></form>
                    """
            } else {
                action = """
                    <form method="post" action="/mijn-mail/uitzonderen" class="knoppen">\(ctx.csrf)\
                    <input type="hidden" name="kopie" value="\(c.copyId)">\
                    <button type="submit" name="grond" value="private" aria-label="Markeer als privé: \(subject)">Privé</button> \
                    <button type="submit" name="grond" value="informal" aria-label="Markeer als informeel: \(subject)">Informeel</button></form>
                    """
            }
            return """
                <tr><td>\(DutchText.messageDay(c.dateEpoch))</td><td>\(AddressList.text(c.fromJSON, limit: 3))</td>\
                <td><a href="/berichten/\(c.copyId)">\(subject)</a></td><td>\(c.mailbox)<br>\(c.folder.isEmpty ? "(hoofdmap)" : c.folder)</td>\
                <td>\(DutchText.time(w.closesAt))</td><td>\(status)</td><td>\(action)</td></tr>
                """
        }
        let notice = Parts.notice(req.query("gedaan").flatMap { notices[$0] })
        let intro: HTML = """
            <p>Hieronder staat de mail die in de afgelopen \(window.weeks > 0 ? "\(window.weeks) weken" : window.iso) is vastgelegd in uw \
            eigen mailbox(en): \(boxes.joined(separator: ", ")), en de mail van de periode daarvoor, waarvan de termijn inmiddels is \
            gesloten. Privé of informele mail kunt u binnen de termijn uitzonderen; die wordt dan na afloop van de termijn ongelezen \
            uit het archief geschoond (informatiebeleid, bijlage 3 punt 6). Zakelijke mail moet u niet uitzonderen.</p>
            """
        let state: HTML
        if copies.isEmpty {
            state = "<p>Er is in deze periode geen mail van u vastgelegd.</p>"
        } else if let nextClose {
            state = """
                <p class="termijn"><strong>De eerstvolgende termijn sluit op \(DutchText.time(nextClose)).</strong> Per bericht staat \
                hieronder wanneer de termijn sluit.</p>
                """
        } else {
            state = """
                <p class="termijn"><strong>De termijn is voor al deze berichten gesloten;</strong> de pagina is alleen nog te lezen. \
                Een uitzondering na de termijn telt niet meer (bijlage 3 punt 6). Mag een bericht toch niet bewaard worden, neem dan \
                contact op met DIV.</p>
                """
        }
        let table: HTML = copies.isEmpty ? HTML.empty : """
            <table>
            <caption>Uw mail van de afgelopen periode (\(DutchText.count(total)) berichten)</caption>
            <thead><tr><th scope="col">Datum</th><th scope="col">Van</th><th scope="col">Onderwerp</th><th scope="col">Mailbox en map</th>\
            <th scope="col">Termijn sluit</th><th scope="col">Status</th><th scope="col">Uitzonderen</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(Parts.pagination(path: "/mijn-mail", query: [], page: page, pages: max(1, (total + pageSize - 1) / pageSize)))
            """
        return ctx.page(title: "Mijn mail", body: "\(Parts.demoBanner(ctx))\(notice)\(intro)\(state)\(table)")
    }

    /// The copy of the form's `kopie`, which must be in one of the person's own personal mailboxes.
    static func ownCopy(_ ctx: ArchiveContext) throws(WebError) -> CatalogCopy {
        guard let text = ctx.request.form["kopie"], let id = Int64(text) else {
            throw WebError.badRequest("optout-copy-missing", explanation: "Het formulier noemt geen bericht. Ga terug en probeer het opnieuw.")
        }
        let copy: CatalogCopy?
        do { copy = try ctx.workspace.catalog.copy(id: id) } catch {
            throw ArchiveContext.unavailable("catalog-unreadable", "De catalogus kan niet worden gelezen.")
        }
        guard let copy else {
            throw WebError(.notFound, reason: "optout-copy-unknown", title: "Bericht niet gevonden", explanation: "Er is geen bericht \(id).")
        }
        guard ownMailboxes(ctx).contains(copy.mailbox), copy.state == .present else {
            throw WebError(.forbidden, reason: "optout-not-own-mailbox", title: "Niet uw eigen mail",
                           explanation: "U kunt alleen mail uit uw eigen persoonlijke mailbox uitzonderen. Het verzoek is vastgelegd.")
        }
        return copy
    }

    static func windowIsOpen(_ ctx: ArchiveContext, _ c: CatalogCopy) -> OptOutWindow {
        OptOutWindow(messageInstant: Instant(secondsSinceEpoch: c.dateEpoch ?? c.capturedEpoch),
                     captureInstant: Instant(secondsSinceEpoch: c.capturedEpoch), length: ctx.policy.policy.optOut.window)
    }

    static func closed(_ w: OptOutWindow) -> WebError {
        WebError(.conflict, reason: "optout-window-closed", title: "De termijn is gesloten",
                 explanation: "De termijn om dit bericht uit te zonderen sloot op \(DutchText.time(w.closesAt)); het is niet meer te wijzigen "
                    + "(bijlage 3 punt 6). Mag het toch niet bewaard worden, neem dan contact op met DIV.")
    }

    @Sendable static func mark(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let copy = try ownCopy(ctx)
        guard let ground = OptOutGround(rawValue: req.form["grond"] ?? "") else {
            throw WebError.badRequest("optout-ground-invalid", explanation: "Kies ‘privé’ of ‘informeel’.")
        }
        let w = windowIsOpen(ctx, copy)
        guard w.isOpen(at: ctx.now) else { throw closed(w) }
        let marked: Bool
        do {
            marked = try RetentionStore(workspace: ctx.workspace).optOutMarks().contains {
                $0.mailbox == copy.mailbox && $0.messageId == copy.messageId
            }
        } catch {
            throw ArchiveContext.unavailable("catalog-unreadable", "De uitzonderingen kunnen niet worden gelezen.")
        }
        guard !marked else {
            throw WebError(.conflict, reason: "optout-already-marked", title: "Al uitgezonderd",
                           explanation: "Dit bericht is al uitgezonderd. Maak de uitzondering eerst ongedaan als u de grond wilt wijzigen.")
        }
        do {
            try RetentionStore(workspace: ctx.workspace).markOptOut(mailbox: copy.mailbox, messageId: copy.messageId, ground: ground,
                                                                    policy: ctx.policy.policy, actor: ctx.actor, source: "web")
        } catch {
            throw WebError(.conflict, reason: "optout-refused", title: "Uitzonderen is niet gelukt",
                           explanation: "Het archief weigerde de uitzondering: \(error.description)")
        }
        return req.redirect(to: "/mijn-mail?gedaan=\(ground.rawValue)")
    }

    @Sendable static func undo(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let copy = try ownCopy(ctx)
        let w = windowIsOpen(ctx, copy)
        guard w.isOpen(at: ctx.now) else { throw closed(w) }
        do {
            _ = try RetentionStore(workspace: ctx.workspace).undoOptOut(mailbox: copy.mailbox, messageId: copy.messageId,
                                                                        reason: "ongedaan gemaakt door de medewerker (webdienst)", actor: ctx.actor)
        } catch {
            throw WebError(.conflict, reason: "optout-undo-refused", title: "Ongedaan maken is niet gelukt",
                           explanation: "Er is geen uitzondering van dit bericht om ongedaan te maken.")
        }
        return req.redirect(to: "/mijn-mail?gedaan=teruggedraaid")
    }
}

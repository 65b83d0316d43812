// SPDX-License-Identifier: EUPL-1.2
import Foundation
import HTTPTypes
import Hummingbird
import SluitsteenArchive
import SluitsteenMIME
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenXML

/// `/berichten/:id`: one message copy (by its copy id, as search results link to it).
///
/// Everyone whose search scope holds the copy sees its metadata (headers from the catalog) and the decision of the
/// retention policy with its explanation. Its content — the text, the HTML part, the attachments — is shown only after
/// the person stated why they read it (a Woo request or words) in a form (POST, CSRF-checked), the access policy allowed
/// it, and the read was written to the access log. The reason is remembered in the session for a quarter of an hour
/// (``ReadGrant``); every later use (the HTML frame, each attachment download) is decided again, and each download is
/// logged too. The HTML part is made inert by ``HTMLSanitizer`` and served from its own route, shown in a frame that is
/// sandboxed twice: by the `sandbox` attribute (no scripts, an opaque origin) and by its own Content-Security-Policy.
enum MessagePage {
    static var group: RouteGroup {
        RouteGroup(name: "berichten", routes: [
            .get("/berichten/:id", access: .roles(SearchPage.roles), handler: show),
            .post("/berichten/:id/lezen", access: .roles(SearchPage.roles), handler: read),
            .get("/berichten/:id/html", access: .roles(SearchPage.roles), handler: htmlPart),
            .get("/berichten/:id/bijlagen/:nummer", access: .roles(SearchPage.roles), handler: attachment),
        ])
    }

    /// The roles whose access policy can ever allow content (the others see metadata only).
    static let contentRoles: Set<Role> = [.medewerker, .teammanager, .wooCoordinator, .gemachtigde]

    /// One copy as the pages need it: the catalog's facts, the decision of now (nil when it is no longer in the
    /// archive), the Woo requests that hold it, and the facts access is decided on.
    struct Found {
        let copy: CatalogCopy
        let decided: DecidedCopy?
        let heldBy: Set<String>
        let holds: [WooHold]
        /// Where a copy no longer present stands: the list that destroyed it, the package that transferred it.
        var standing: CopyStanding? = nil
        var forAccess: CopyForAccess {
            let day = decided?.decision.messageDate
                ?? AmsterdamTime.date(of: Instant(secondsSinceEpoch: copy.dateEpoch ?? copy.capturedEpoch))
            return CopyForAccess(mailbox: copy.mailbox, messageDate: day, heldBy: heldBy)
        }
        var isPresent: Bool { copy.state == .present }
    }

    /// Finds the copy of the path's `:id` and checks that it lies in the person's scope (404 for an unknown id, 403
    /// for another person's message: both logged by the error pages).
    static func find(_ ctx: ArchiveContext, explain: Bool) throws(WebError) -> Found {
        guard let text = ctx.request.parameter("id"), let id = Int64(text), id > 0 else {
            throw WebError(.notFound, reason: "message-id-invalid", title: "Bericht niet gevonden",
                           explanation: "Dit adres wijst geen bericht aan. Zoek het bericht op via Zoeken.")
        }
        let copy: CatalogCopy?
        do { copy = try ctx.workspace.catalog.copy(id: id) } catch {
            throw ArchiveContext.unavailable("catalog-unreadable", "De catalogus kan niet worden gelezen.")
        }
        guard let copy else {
            throw WebError(.notFound, reason: "message-unknown", title: "Bericht niet gevonden",
                           explanation: "Er is geen bericht met nummer \(id) in het archief.")
        }
        let holds = try ctx.holds()
        let engine = RetentionEngine(workspace: ctx.workspace, policy: ctx.policy.policy)
        let decided: DecidedCopy?
        do {
            if explain {
                try engine.prepareTextIndexForTerms()
                decided = try engine.explain(copyIds: [id], asOf: ctx.now)[id]
            } else {
                decided = try engine.decide(copyIds: [id], asOf: ctx.now)[id]
            }
        } catch {
            throw ArchiveContext.unavailable("decision-failed", "Het besluit over dit bericht kan nu niet worden bepaald.")
        }
        let zaken = Set((decided?.decision.rules ?? []).compactMap(\.zaaknummer))
        let heldBy = Set(holds.filter { $0.released == nil && zaken.contains($0.zaaknummer) }.map(\.id))
        var found = Found(copy: copy, decided: decided, heldBy: heldBy, holds: holds)
        if copy.state != .present { found.standing = try? ctx.workspace.catalog.standings(copyIds: [id])[id] }
        let scope = ctx.searchableMailboxes
        let inScope = scope.map { $0.contains(copy.mailbox) } ?? true
            || !heldBy.isDisjoint(with: ctx.searchableRequests(holds))
        guard inScope else {
            throw WebError(.forbidden, reason: "message-not-in-scope", title: "Geen toegang tot dit bericht",
                           explanation: "Dit bericht staat in een mailbox waartoe uw rol geen toegang geeft. Het verzoek is vastgelegd.")
        }
        return found
    }

    // MARK: - The page

    @Sendable static func show(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let found = try find(ctx, explain: true)
        var content: HTML = HTML.empty
        if found.isPresent, let grant = req.context.sessions.session?.read(of: found.copy.copyId, at: req.services.now()),
           case .allowed(let basis) = decide(ctx, found, grant: grant) {
            content = try contentSection(ctx, found, grant: grant, basis: basis)
        } else {
            content = readForm(ctx, found)
        }
        let untitled = (found.standing?.descriptionKept ?? true) ? "(geen onderwerp)" : "(onderwerp niet bewaard)"
        var response = ctx.page(title: found.copy.subject.isEmpty ? untitled : found.copy.subject, body: """
            \(Parts.demoBanner(ctx))\(metadata(found))
            \(decisionSection(found))
            \(content)
            <p><a href="/zoeken">Terug naar zoeken</a></p>
            """)
        response.headers[.contentSecurityPolicy] = SecurityHeaders.framingPagePolicy
        return response
    }

    static func metadata(_ f: Found) -> HTML {
        let c = f.copy
        // A message read only as far as its header block (ingest) has attachments not yet known: not "geen".
        let attachments: HTML = c.parsePending ? "nog niet gelezen (het bericht wordt nog volledig gelezen)"
            : c.attachmentNames.isEmpty ? "geen"
            : "<ul>\(c.attachmentNames.map { n -> HTML in "<li>\(n.isEmpty ? "(zonder naam)" : n)</li>" })</ul>"
        let state: String
        switch c.state {
        case .present: state = "in het archief"
        case .destroyed:
            state = "vernietigd\(f.standing?.destructionList.map { " volgens \($0)" } ?? "") (alleen de beschrijving is bewaard)"
        case .purged: state = "opt-out: de inhoud is ongelezen geschoond"
        case .transferred: state = "overgebracht naar het e-depot\(f.standing?.package.map { " (pakket \($0))" } ?? "")"
        }
        let kept = f.standing?.descriptionKept ?? true
        let bcc: HTML = c.bccJSON == "[]" ? HTML.empty : "<dt>Bcc</dt><dd>\(AddressList.text(c.bccJSON))</dd>"
        let defects: HTML = c.defects.isEmpty ? HTML.empty : "<dt>Gebreken</dt><dd>\(c.defects.joined(separator: ", "))</dd>"
        return """
            <section aria-labelledby="kenmerken"><h2 id="kenmerken">Kenmerken</h2>
            <dl class="gegevens">
            <dt>Onderwerp</dt><dd>\(c.subject.isEmpty ? (kept ? "(geen onderwerp)" : "(onderwerp niet bewaard)") : c.subject)</dd>
            <dt>Van</dt><dd>\(AddressList.text(c.fromJSON))</dd>
            <dt>Aan</dt><dd>\(AddressList.text(c.toJSON))</dd>
            <dt>Cc</dt><dd>\(AddressList.text(c.ccJSON))</dd>\(bcc)
            <dt>Datum</dt><dd>\(c.dateEpoch.map { DutchText.time(Instant(secondsSinceEpoch: $0)) } ?? "zonder datum")</dd>
            <dt>Mailbox</dt><dd>\(c.mailbox)</dd>
            <dt>Map</dt><dd>\(Tombstone.isFolderKey(c.folder) ? "(niet bewaard)" : c.folder.isEmpty ? "(hoofdmap)" : c.folder)</dd>
            <dt>Message-ID</dt><dd><code>\(c.messageId)</code></dd>
            <dt>Grootte</dt><dd>\(DutchText.size(c.size))</dd>
            <dt>Bijlagen</dt><dd>\(attachments)</dd>
            <dt>Vastgelegd</dt><dd>\(DutchText.timestamp(c.capturedAt))</dd>
            <dt>Status</dt><dd>\(state)</dd>\(defects)
            </dl></section>
            """
    }

    static func decisionSection(_ f: Found) -> HTML {
        guard let d = f.decided?.decision else {
            return "<section aria-labelledby=\"besluit\"><h2 id=\"besluit\">Besluit</h2><p>Dit bericht is niet meer in het archief.</p></section>"
        }
        let due: HTML = d.dueDate.map { "<dt>Datum</dt><dd>\(DutchText.date($0))</dd>" } ?? HTML.empty
        let optOut: HTML = d.optOut.map { "<dt>Opt-out</dt><dd>\(DutchText.ground($0))</dd>" } ?? HTML.empty
        let window: HTML = d.window.map { "<dt>Opt-outtermijn tot</dt><dd>\(DutchText.time($0.closesAt))</dd>" } ?? HTML.empty
        let requests = f.holds.filter { f.heldBy.contains($0.id) }.map { "\($0.zaaknummer) (\($0.id))" }.joined(separator: ", ")
        let held: HTML = f.heldBy.isEmpty ? HTML.empty : "<dt>Woo-verzoek</dt><dd>\(requests)</dd>"
        let steps: [HTML] = d.steps.map { "<li>\($0.text(.dutch))</li>" }
        return """
            <section aria-labelledby="besluit"><h2 id="besluit">Besluit volgens het bewaarbeleid</h2>
            <dl class="gegevens">
            <dt>Klasse</dt><dd>\(DutchText.messageClass(d.messageClass))</dd>
            <dt>Waardering</dt><dd>\(d.waardering.map { $0.rawValue } ?? "—")</dd>
            <dt>Actie</dt><dd>\(d.action.dutchName)</dd>\(due)\(optOut)\(window)\(held)
            <dt>Regels</dt><dd><code>\(d.rules.map(\.description).joined(separator: ", "))</code></dd>
            </dl>
            <h3>Toelichting</h3>
            <ol class="toelichting">\(steps)</ol>
            </section>
            """
    }

    /// The form to ask for the content, with the reasons the person could give.
    static func readForm(_ ctx: ArchiveContext, _ f: Found) -> HTML {
        guard f.isPresent else { return HTML.empty }
        guard !ctx.roles.isDisjoint(with: contentRoles) else {
            return """
                <section aria-labelledby="inhoud"><h2 id="inhoud">Inhoud</h2>
                <p>Uw rol geeft toegang tot de kenmerken van berichten, niet tot hun inhoud (bijlage 3 punt 9 van het \
                informatiebeleid).</p></section>
                """
        }
        let requests = f.heldBy.intersection(ctx.searchableRequests(f.holds))
        let own = ctx.roles.contains(.medewerker) && ctx.access.registers.personalMailboxes(of: ctx.person.personId).contains(f.copy.mailbox)
        let woo: HTML = requests.isEmpty ? HTML.empty : """
            <label for="woo">Woo-verzoek</label>
            <select id="woo" name="woo">\(Parts.options([("", "Geen: ik geef hieronder een reden")]
                + f.holds.filter { requests.contains($0.id) }.map { ($0.id, "\($0.zaaknummer) (\($0.id))") }, selected: nil))</select>
            """
        let hint = own ? "Dit is uw eigen mailbox; een reden is niet nodig. Het lezen wordt wel vastgelegd."
            : "Geef een reden van ten minste \(AccessPolicy.minimumReasonLength) tekens, of kies het Woo-verzoek waarvoor u leest."
        return """
            <section aria-labelledby="inhoud"><h2 id="inhoud">Inhoud lezen</h2>
            <p>De inhoud van archiefmail is alleen voor wie die voor zijn of haar taak nodig heeft. Wie leest, met welke reden, \
            wordt vastgelegd in het toegangslogboek van de audittrail.</p>
            <form method="post" action="/berichten/\(f.copy.copyId)/lezen">\(ctx.csrf)
            \(woo)
            <label for="reden">Reden</label>
            <p class="hulp" id="reden-hulp">\(hint)</p>
            <textarea id="reden" name="reden" rows="2" cols="60" aria-describedby="reden-hulp"></textarea>
            <p><button type="submit">Inhoud tonen</button></p>
            </form></section>
            """
    }

    // MARK: - Reading

    /// POST: the reason for reading; decided by the access policy, written to the access log, then the page again.
    @Sendable static func read(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let found = try find(ctx, explain: false)
        guard found.isPresent else {
            throw WebError(.gone, reason: "message-not-present", title: "De inhoud is er niet meer",
                           explanation: "Dit bericht is vernietigd, geschoond of overgebracht; de inhoud is niet meer in het archief.")
        }
        let wooId = (req.form["woo"] ?? "").trimmingCharacters(in: .whitespaces)
        let words = (req.form["reden"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard words.count <= 1000 else {
            throw WebError.badRequest("reason-too-long", explanation: "De reden is langer dan 1000 tekens. Vat haar korter samen.")
        }
        if !wooId.isEmpty, !found.holds.contains(where: { $0.id == wooId }) {
            throw WebError.badRequest("unknown-woo-request", explanation: "Er is geen Woo-verzoek ‘\(wooId)’ in het archief.")
        }
        let grant = ReadGrant(copyId: found.copy.copyId, wooRequest: wooId.isEmpty ? nil : wooId, statedReason: words.isEmpty ? nil : words,
                              until: req.services.now().addingTimeInterval(ReadGrant.lifetime))
        if let text = grant.statedReason, grant.wooRequest == nil, text.count < AccessPolicy.minimumReasonLength {
            throw WebError(.badRequest, reason: "reason-too-short", title: "Geef een duidelijkere reden",
                           explanation: "Een reden heeft ten minste \(AccessPolicy.minimumReasonLength) tekens; die wordt vastgelegd in het "
                               + "toegangslogboek. Ga terug en vul haar aan.")
        }
        let basis: AccessBasis
        switch decide(ctx, found, grant: grant) {
        case .allowed(let b): basis = b
        case .refused(let why):
            throw WebError(.forbidden, reason: "content-refused", title: "U mag de inhoud van dit bericht niet lezen", explanation: why)
        }
        try record(ctx, found, .body, basis: basis, grant: grant)
        let sessions = req.context.sessions
        if var session = sessions.session {
            session.reads.removeAll { $0.copyId == grant.copyId || $0.until <= req.services.now() }
            session.reads.append(grant)
            if session.reads.count > ReadGrant.maximum { session.reads.removeFirst(session.reads.count - ReadGrant.maximum) }
            _ = sessions.updateSession(session, expiresIn: nil)
        }
        return req.redirect(to: "/berichten/\(found.copy.copyId)#inhoud")
    }

    /// The access policy's decision for the grant's reason. A read that is not of one's own mailbox needs a reason
    /// here even where the policy would allow it without one (a designation): every read says why.
    static func decide(_ ctx: ArchiveContext, _ f: Found, grant: ReadGrant) -> AccessPolicy.Decision {
        let reason: ReadReason? = grant.wooRequest.map { .wooRequest(holdId: $0) } ?? grant.statedReason.map { .stated($0) }
        let decision = ctx.access.content(of: f.forAccess, person: ctx.person.personId, roles: ctx.roles, reason: reason)
        if case .allowed(let basis) = decision, basis != .ownMailbox, reason == nil {
            return .refused("Het lezen van archiefmail vraagt een reden: een Woo-verzoek of een omschrijving. Die wordt vastgelegd.")
        }
        return decision
    }

    /// The role a ground of access belongs to (for the access log).
    static func role(of basis: AccessBasis) -> Role {
        switch basis {
        case .ownMailbox: return .medewerker
        case .team: return .teammanager
        case .wooRequest, .statedReason: return .wooCoordinator
        case .delegation: return .gemachtigde
        }
    }

    /// Writes the read into the access log; when that fails, nothing is shown.
    static func record(_ ctx: ArchiveContext, _ f: Found, _ reading: AccessStore.Reading, basis: AccessBasis, grant: ReadGrant)
        throws(WebError) {
        let reason = grant.wooRequest.map { ReadReason.wooRequest(holdId: $0).text } ?? grant.statedReason ?? "eigen mailbox"
        do {
            try AccessStore(workspace: ctx.workspace).record(reading, copyIds: [f.copy.copyId], mailbox: f.copy.mailbox, actor: ctx.actor,
                                                              role: role(of: basis), basis: basis, reason: reason)
        } catch {
            ctx.request.services.events.record("audit-failed", ["person": ctx.person.personId, "what": "access"])
            throw ArchiveContext.unavailable("access-log-unwritable", "Het lezen kon niet in het toegangslogboek worden vastgelegd, en "
                + "zonder vastlegging wordt niets getoond.")
        }
    }

    /// The stored bytes of a copy, or (for a message larger than the in-memory limit) its range of a pack file.
    enum Stored {
        case bytes(Data)
        case file(FileRange)
    }

    static func stored(_ ctx: ArchiveContext, _ f: Found) throws(WebError) -> Stored {
        let store = ctx.workspace.store
        do {
            if f.copy.size > Int64(ContentStore.defaultInMemoryLimit) { return .file(try store.range(of: f.copy.sha256)) }
            return .bytes(try store.read(f.copy.sha256))
        } catch {
            ctx.request.services.events.record("store-unreadable", ["copy": String(f.copy.copyId)])
            throw ArchiveContext.unavailable("store-unreadable", "Het opgeslagen bericht kan niet worden gelezen.")
        }
    }

    static func bodies(_ ctx: ArchiveContext, _ f: Found) throws(WebError) -> MessageBodies {
        switch try stored(ctx, f) {
        case .bytes(let data): return data.withUnsafeBytes { MessageParser.bodies($0) }
        case .file(let path):
            do { return try MessageParser.bodies(file: path) } catch {
                throw ArchiveContext.unavailable("store-unreadable", "Het opgeslagen bericht kan niet worden gelezen.")
            }
        }
    }

    /// The attachments, decoded (a large message's into the workspace's scratch folder; the caller removes the files).
    static func attachments(_ ctx: ArchiveContext, _ f: Found) throws(WebError) -> [ExtractedAttachment] {
        switch try stored(ctx, f) {
        case .bytes(let data): return AttachmentExtraction.attachments(of: data)
        case .file(let path):
            do {
                let folder = try ctx.workspace.scratchFolder(named: "web")
                return try AttachmentExtraction.attachments(ofFile: path, scratchPrefix: folder.appendingPathComponent(UUID().uuidString).path)
            } catch {
                throw ArchiveContext.unavailable("attachments-unreadable", "De bijlagen kunnen niet worden gelezen.")
            }
        }
    }

    static func contentSection(_ ctx: ArchiveContext, _ f: Found, grant: ReadGrant, basis: AccessBasis) throws(WebError) -> HTML {
        let b = try bodies(ctx, f)
        let id = f.copy.copyId
        let reason = grant.wooRequest.map { ReadReason.wooRequest(holdId: $0).text } ?? grant.statedReason ?? "eigen mailbox"
        let plain: HTML = b.plain.map { "<h3>Tekst</h3><pre class=\"berichttekst\">\($0)</pre>" } ?? HTML.empty
        let html: HTML = b.html == nil ? HTML.empty : """
            <h3>Opgemaakte weergave</h3>
            <p class="hulp">Onschadelijk gemaakt: geen scripts, geen afbeeldingen of andere inhoud van buiten; links staan als tekst.</p>
            <iframe class="htmlweergave" sandbox="" src="/berichten/\(id)/html" title="Opgemaakte weergave van het bericht" \
            referrerpolicy="no-referrer"></iframe>
            """
        let none: HTML = b.plain == nil && b.html == nil ? "<p>Dit bericht heeft geen leesbare tekst.</p>" : HTML.empty
        let cut: HTML = b.cut ? "<p class=\"hulp\">De tekst is ingekort; het opgeslagen bericht is volledig.</p>" : HTML.empty
        var list: HTML = HTML.empty
        let parts = try attachments(ctx, f)
        defer { for a in parts { if let file = a.file { unlink(file) } } }
        if !parts.isEmpty {
            let items: [HTML] = parts.enumerated().map { n, a in
                let size = a.file.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? NSNumber)?.int64Value }
                    ?? Int64(a.bytes.count)
                return """
                    <li><a href="/berichten/\(id)/bijlagen/\(n + 1)">\(safeFileName(a.filename, number: n + 1, isMessage: a.isMessage))</a> \
                    (\(DutchText.size(size)), downloaden; wordt vastgelegd)</li>
                    """
            }
            list = "<h3>Bijlagen</h3><ul class=\"bijlagen\">\(items)</ul>"
        }
        return """
            <section aria-labelledby="inhoud"><h2 id="inhoud">Inhoud</h2>
            <p class="vastgelegd" role="status">U leest dit bericht op grond van: \(basis.dutch); reden: \(reason). Dit is vastgelegd in het \
            toegangslogboek. De inhoud blijft tot \(DutchText.time(Instant(grant.until))) zichtbaar.</p>
            \(cut)\(plain)\(html)\(none)\(list)
            </section>
            """
    }

    /// The content of a grant that is valid now and still allowed, or why not (403).
    static func granted(_ ctx: ArchiveContext, _ f: Found) throws(WebError) -> (ReadGrant, AccessBasis) {
        guard f.isPresent else {
            throw WebError(.gone, reason: "message-not-present", title: "De inhoud is er niet meer",
                           explanation: "Dit bericht is niet meer in het archief.")
        }
        guard let grant = ctx.request.context.sessions.session?.read(of: f.copy.copyId, at: ctx.request.services.now()) else {
            throw WebError(.forbidden, reason: "content-without-reason", title: "Geef eerst een reden",
                           explanation: "De inhoud van een bericht is pas te zien nadat u op de berichtpagina hebt aangegeven waarom u "
                               + "het leest. Ga naar het bericht en geef een reden.")
        }
        switch decide(ctx, f, grant: grant) {
        case .allowed(let basis): return (grant, basis)
        case .refused(let why): throw WebError(.forbidden, reason: "content-refused", title: "U mag de inhoud niet (meer) lezen", explanation: why)
        }
    }

    /// GET: the HTML part, made inert, for the sandboxed frame of the message page.
    @Sendable static func htmlPart(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let found = try find(ctx, explain: false)
        _ = try granted(ctx, found)
        let inert = HTMLSanitizer.sanitize(try bodies(ctx, found).html ?? "")
        // The sanitizer's output is inert HTML (only text structure, no attributes but a cell's span): taken as it is.
        let document = """
            <!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Bericht</title>\
            <style>body{font-family:system-ui,sans-serif;line-height:1.5;margin:.5rem;color:#1a1a1a;background:#fff}</style></head>\
            <body>\(inert.html)</body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = SecurityHeaders.sandboxedMailPolicy
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    /// GET: one attachment as a download (never shown in the browser), each download in the access log.
    @Sendable static func attachment(_ req: WebRequest) async throws -> Response {
        let ctx = try ArchiveContext(req)
        let found = try find(ctx, explain: false)
        guard let text = req.parameter("nummer"), let n = Int(text), n >= 1 else {
            throw WebError(.notFound, reason: "attachment-number-invalid", title: "Bijlage niet gevonden",
                           explanation: "Dit adres wijst geen bijlage aan.")
        }
        let (grant, basis) = try granted(ctx, found)
        let parts = try attachments(ctx, found)
        defer { for a in parts { if let file = a.file { unlink(file) } } }
        guard n <= parts.count else {
            throw WebError(.notFound, reason: "attachment-unknown", title: "Bijlage niet gevonden",
                           explanation: "Dit bericht heeft \(parts.count) bijlage(n); bijlage \(n) bestaat niet.")
        }
        let part = parts[n - 1]
        let name = safeFileName(part.filename, number: n, isMessage: part.isMessage)
        let bytes: Data
        if let file = part.file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ArchiveContext.unavailable("attachment-unreadable", "De bijlage kan niet worden gelezen.")
            }
            bytes = data
        } else {
            bytes = part.bytes
        }
        try record(ctx, found, .attachment(name), basis: basis, grant: grant)
        var headers = HTTPFields()
        headers[.contentType] = part.isMessage ? "message/rfc822" : "application/octet-stream"
        headers[.contentDisposition] = contentDisposition(name)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A file name that is safe to offer: the last path component, without control, format or quote characters,
    /// at most 150 characters; `bijlage-N` (`.eml` for an attached message) when nothing is left.
    static func safeFileName(_ raw: String?, number: Int, isMessage: Bool) -> String {
        var name = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        name = String(String.UnicodeScalarView(name.unicodeScalars.filter { s in
            !(SafeText.isControl(s) || s.properties.generalCategory == .format || "\"';:*?<>|".unicodeScalars.contains(s))
        }))
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: " .")).trimmingCharacters(in: .whitespacesAndNewlines)
        if name.count > 150 {
            let ext = (name as NSString).pathExtension
            name = String(name.prefix(140)) + (ext.isEmpty || ext.count > 9 ? "" : "." + ext)
        }
        return name.isEmpty ? "bijlage-\(number)\(isMessage ? ".eml" : "")" : name
    }

    /// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
    static func contentDisposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\\" && $0 != "\"" ? Character($0) : "_" })
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(Parts.formEncode(name))"
    }
}

// SPDX-License-Identifier: EUPL-1.2
import CEtpan
import Foundation

/// How the connection to the IMAP server is protected.
public enum TLSMode: String, Sendable, CaseIterable {
    /// TLS from the first byte (port 993).
    case implicit
    /// A plain connection upgraded with STARTTLS before anything else is sent (port 143); refused when the server does
    /// not offer it.
    case starttls
    /// No TLS: only to a server on this machine (loopback), for tests.
    case none
}

/// One folder as the server lists it.
struct IMAPFolder: Sendable, Equatable {
    /// The name exactly as the server sent it (modified UTF-7), used in commands.
    var name: String
    /// The hierarchy delimiter (nil for a flat name space).
    var delimiter: Character?
    /// `\Noselect` or `\NonExistent`: a folder that only holds other folders.
    var selectable: Bool
}

/// What EXAMINE says about a folder.
struct FolderStatus: Sendable, Equatable {
    var uidValidity: UInt32
    var uidNext: UInt32?
    var exists: UInt32
    /// HIGHESTMODSEQ, when the server has CONDSTORE.
    var highestModseq: UInt64?
}

/// One message's UID with its size and flags (no body).
struct UIDSummary: Sendable, Equatable {
    var uid: UInt32
    var size: Int
    var flags: [String]
}

/// One message's bytes as the server returned them, with its flags at that moment.
struct FetchedMessage: Sendable {
    var uid: UInt32
    var bytes: Data
    var flags: [String]
}

/// An IMAP session through libetpan: the only code that calls it.
///
/// Read-only by construction: folders are opened with EXAMINE, bodies are fetched with `BODY.PEEK[]`, and no command
/// that changes the mailbox (STORE, EXPUNGE, COPY, APPEND) is ever sent. The server's certificate is checked (see
/// `shim.h`) before a credential is sent. One session is used by one thread at a time (the capture hands it from
/// the planning thread to the ingest reader and back, never at the same time), hence `@unchecked Sendable`.
final class IMAPConnection: @unchecked Sendable {
    private let session: UnsafeMutablePointer<mailimap>
    let server: String
    let port: UInt16
    private(set) var selected: String?
    private var serverName: UnsafeMutablePointer<CChar>?

    /// Connects, protects the connection as `tls` says and checks the server's certificate against `caFile` (nil: the
    /// system's trust store). `timeout` is the network timeout in seconds.
    init(server: String, port: UInt16, tls: TLSMode, caFile: String?, timeout: Int) throws(CaptureError) {
        guard let s = mailimap_new(0, nil) else { throw .connect(server: server, reason: "out of memory") }
        session = s
        self.server = server
        self.port = port
        mailimap_set_timeout(s, time_t(timeout))
        serverName = strdup(server)
        let r: Int32
        switch tls {
        case .implicit:
            r = mailimap_ssl_connect_with_callback(s, server, port, sluitsteen_etpan_set_server_name, UnsafeMutableRawPointer(serverName))
        case .starttls, .none:
            r = mailimap_socket_connect(s, server, port)
        }
        guard r == Int32(MAILIMAP_NO_ERROR_AUTHENTICATED) || r == Int32(MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
                || r == Int32(MAILIMAP_NO_ERROR) else {
            throw .connect(server: "\(server):\(port)", reason: IMAPConnection.describe(r, response: nil))
        }
        if tls == .starttls {
            // libetpan stores the result through the pointer it is given (a NULL one crashes it).
            var data: UnsafeMutablePointer<mailimap_capability_data>?
            if mailimap_capability(s, &data) == Int32(MAILIMAP_NO_ERROR), let data { mailimap_capability_data_free(data) }
            guard mailimap_has_extension(s, "STARTTLS") != 0 else { throw .tlsUnavailable(server: "\(server):\(port)") }
            let t = mailimap_socket_starttls_with_callback(s, sluitsteen_etpan_set_server_name, UnsafeMutableRawPointer(serverName))
            guard t == Int32(MAILIMAP_NO_ERROR) else {
                throw .connect(server: "\(server):\(port)", reason: "STARTTLS failed: " + IMAPConnection.describe(t, response: response))
            }
        }
        if tls != .none {
            var why = [CChar](repeating: 0, count: 512)
            let ok = why.withUnsafeMutableBufferPointer { buffer in
                sluitsteen_etpan_verify_peer(s.pointee.imap_stream, server, caFile, buffer.baseAddress, buffer.count)
            }
            guard ok == 1 else {
                throw .certificate(server: "\(server):\(port)",
                                   reason: String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
    }

    deinit {
        mailimap_free(session)
        free(serverName)
    }

    /// The server's last response text (for error messages; it never holds a credential, which is sent, not received).
    private var response: String? {
        guard let text = session.pointee.imap_response else { return nil }
        let s = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        return s.isEmpty ? nil : String(s.prefix(300))
    }

    private static func describe(_ code: Int32, response: String?) -> String {
        let what: String
        switch code {
        case Int32(MAILIMAP_ERROR_STREAM): what = "the connection was closed or timed out"
        case Int32(MAILIMAP_ERROR_CONNECTION_REFUSED): what = "the connection was refused"
        case Int32(MAILIMAP_ERROR_SSL): what = "the TLS handshake failed"
        case Int32(MAILIMAP_ERROR_PARSE): what = "the server's answer could not be parsed"
        case Int32(MAILIMAP_ERROR_BAD_STATE): what = "the command is not allowed in this state"
        case Int32(MAILIMAP_ERROR_MEMORY): what = "out of memory"
        default: what = "libetpan error \(code)"
        }
        return response.map { "\(what) (server: \($0))" } ?? what
    }

    /// Whether a libetpan result means the connection itself is gone (worth a new connection and a retry).
    private static func isTransport(_ code: Int32) -> Bool {
        code == Int32(MAILIMAP_ERROR_STREAM) || code == Int32(MAILIMAP_ERROR_PARSE) || code == Int32(MAILIMAP_ERROR_SSL)
            || code == Int32(MAILIMAP_ERROR_CONNECTION_REFUSED)
    }

    private func failure(_ code: Int32, _ command: String) -> CaptureError {
        let reason = IMAPConnection.describe(code, response: IMAPConnection.isTransport(code) ? nil : response)
        return IMAPConnection.isTransport(code) ? .connection(server: "\(server):\(port)", reason: "\(command): \(reason)")
            : .command(server: "\(server):\(port)", command: command, reason: reason)
    }

    /// The server's capabilities (refreshed after login, when servers announce more).
    func capabilities() -> Set<String> {
        var data: UnsafeMutablePointer<mailimap_capability_data>?
        guard mailimap_capability(session, &data) == Int32(MAILIMAP_NO_ERROR), let data else { return [] }
        defer { mailimap_capability_data_free(data) }
        var out = Set<String>()
        var cell = data.pointee.cap_list?.pointee.first
        while let c = cell {
            if let cap = c.pointee.data?.assumingMemoryBound(to: mailimap_capability.self) {
                if cap.pointee.cap_type == Int32(MAILIMAP_CAPABILITY_NAME), let name = cap.pointee.cap_data.cap_name {
                    out.insert(String(cString: name).uppercased())
                } else if cap.pointee.cap_type == Int32(MAILIMAP_CAPABILITY_AUTH_TYPE), let name = cap.pointee.cap_data.cap_auth_type {
                    out.insert("AUTH=" + String(cString: name).uppercased())
                }
            }
            cell = c.pointee.next
        }
        return out
    }

    /// LOGIN with a password.
    func login(user: String, password: Secret) throws(CaptureError) {
        let r = password.value.withCString { mailimap_login(session, user, $0) }
        guard r == Int32(MAILIMAP_NO_ERROR) else {
            if IMAPConnection.isTransport(r) { throw failure(r, "LOGIN") }
            throw .authentication(server: "\(server):\(port)", user: user, reason: response ?? "the server refused the user name or password")
        }
    }

    /// AUTHENTICATE XOAUTH2 with a bearer token (`user=…^Aauth=Bearer …^A^A`, base64, as Exchange Online expects).
    func authenticateOAuth2(user: String, token: Secret) throws(CaptureError) {
        let r = token.value.withCString { mailimap_oauth2_authenticate(session, user, $0) }
        guard r == Int32(MAILIMAP_NO_ERROR) else {
            if IMAPConnection.isTransport(r) { throw failure(r, "AUTHENTICATE XOAUTH2") }
            throw .authentication(server: "\(server):\(port)", user: user,
                                  reason: (response ?? "the server refused the token")
                                    + " (an expired, wrongly signed or wrongly scoped OAuth token is refused this way)")
        }
    }

    /// Every folder (LIST "" "*").
    func listFolders() throws(CaptureError) -> [IMAPFolder] {
        var list: UnsafeMutablePointer<clist>?
        let r = mailimap_list(session, "", "*", &list)
        guard r == Int32(MAILIMAP_NO_ERROR) else { throw failure(r, "LIST") }
        defer { if let list { mailimap_list_result_free(list) } }
        var out: [IMAPFolder] = []
        var cell = list?.pointee.first
        while let c = cell {
            if let mb = c.pointee.data?.assumingMemoryBound(to: mailimap_mailbox_list.self), let raw = mb.pointee.mb_name {
                var selectable = true
                if let flags = mb.pointee.mb_flag {
                    if flags.pointee.mbf_type == Int32(MAILIMAP_MBX_LIST_FLAGS_SFLAG)
                        && flags.pointee.mbf_sflag == Int32(MAILIMAP_MBX_LIST_SFLAG_NOSELECT) { selectable = false }
                    var o = flags.pointee.mbf_oflags?.pointee.first
                    while let oc = o {
                        if let of = oc.pointee.data?.assumingMemoryBound(to: mailimap_mbx_list_oflag.self),
                           of.pointee.of_type == Int32(MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT), let ext = of.pointee.of_flag_ext,
                           String(cString: ext).caseInsensitiveCompare("NonExistent") == .orderedSame { selectable = false }
                        o = oc.pointee.next
                    }
                }
                let d = mb.pointee.mb_delimiter
                out.append(IMAPFolder(name: String(cString: raw), delimiter: d == 0 ? nil : Character(UnicodeScalar(UInt8(bitPattern: d))),
                                      selectable: selectable))
            }
            cell = c.pointee.next
        }
        return out
    }

    /// Opens `folder` read-only (EXAMINE; with CONDSTORE when `condstore`).
    func examine(_ folder: String, condstore: Bool) throws(CaptureError) -> FolderStatus {
        var modseq: UInt64 = 0
        let r = condstore ? mailimap_examine_condstore(session, folder, &modseq) : mailimap_examine(session, folder)
        guard r == Int32(MAILIMAP_NO_ERROR) else {
            selected = nil
            if IMAPConnection.isTransport(r) { throw failure(r, "EXAMINE") }
            throw .folder(server: "\(server):\(port)", folder: folder, reason: response ?? "the server refused to open it")
        }
        selected = folder
        guard let info = session.pointee.imap_selection_info else {
            throw .command(server: "\(server):\(port)", command: "EXAMINE", reason: "the server sent no folder status")
        }
        let s = info.pointee
        return FolderStatus(uidValidity: s.sel_uidvalidity, uidNext: s.sel_uidnext == 0 ? nil : s.sel_uidnext, exists: s.sel_exists,
                            highestModseq: condstore && modseq > 0 ? modseq : nil)
    }

    /// UIDs from `first` on, with size and flags (`UID FETCH first:* (UID RFC822.SIZE FLAGS)`). Only UIDs >= `first`
    /// are returned (a server answers `n:*` with the last message even when its UID is below n).
    func summaries(from first: UInt32) throws(CaptureError) -> [UIDSummary] {
        try fetch(set: mailimap_set_new_interval(max(1, first), 0), attributes: [mailimap_fetch_att_new_uid(),
                  mailimap_fetch_att_new_rfc822_size(), mailimap_fetch_att_new_flags()], changedSince: nil) { items in
            items.compactMap { m in m.uid >= first ? UIDSummary(uid: m.uid, size: m.size, flags: m.flags) : nil }
        }
    }

    /// The flags of the UIDs up to `last` (only those changed since `modseq`, when given: CONDSTORE).
    func flags(upTo last: UInt32, changedSince modseq: UInt64?) throws(CaptureError) -> [(uid: UInt32, flags: [String])] {
        guard last > 0 else { return [] }
        return try fetch(set: mailimap_set_new_interval(1, last), attributes: [mailimap_fetch_att_new_uid(), mailimap_fetch_att_new_flags()],
                         changedSince: modseq) { items in items.map { ($0.uid, $0.flags) } }
    }

    /// The UIDs of the messages up to `last` that are on the server (`UID FETCH 1:last (UID)`).
    func uids(upTo last: UInt32) throws(CaptureError) -> [UInt32] {
        guard last > 0 else { return [] }
        return try fetch(set: mailimap_set_new_interval(1, last), attributes: [mailimap_fetch_att_new_uid()], changedSince: nil) { items in
            items.map(\.uid).filter { $0 <= last }
        }
    }

    /// The exact bytes of the messages `uids` (`UID FETCH … (UID FLAGS BODY.PEEK[])`: never sets \Seen), in UID order.
    func bodies(_ uids: [UInt32]) throws(CaptureError) -> [FetchedMessage] {
        guard !uids.isEmpty, let set = mailimap_set_new_empty() else { return [] }
        let sorted = uids.sorted()
        var start = sorted[0], previous = sorted[0]
        for uid in sorted.dropFirst() {
            if uid == previous + 1 { previous = uid; continue }
            mailimap_set_add_interval(set, start, previous)
            start = uid
            previous = uid
        }
        mailimap_set_add_interval(set, start, previous)
        return try fetch(set: set, attributes: [mailimap_fetch_att_new_uid(), mailimap_fetch_att_new_flags(),
                                                mailimap_fetch_att_new_body_peek_section(mailimap_section_new(nil))], changedSince: nil) { items in
            items.compactMap { m in m.body.map { FetchedMessage(uid: m.uid, bytes: $0, flags: m.flags) } }.sorted { $0.uid < $1.uid }
        }
    }

    /// One FETCH response, decoded.
    private struct Item {
        var uid: UInt32 = 0
        var size = 0
        var flags: [String] = []
        var body: Data?
    }

    private func fetch<T>(set: UnsafeMutablePointer<mailimap_set>?, attributes: [UnsafeMutablePointer<mailimap_fetch_att>?],
                          changedSince: UInt64?, _ decode: ([Item]) -> T) throws(CaptureError) -> T {
        guard let set, let type = mailimap_fetch_type_new_fetch_att_list_empty() else {
            throw .command(server: "\(server):\(port)", command: "UID FETCH", reason: "out of memory")
        }
        defer { mailimap_set_free(set); mailimap_fetch_type_free(type) }
        for a in attributes { mailimap_fetch_type_new_fetch_att_list_add(type, a) }
        var result: UnsafeMutablePointer<clist>?
        let r = changedSince.map { mailimap_uid_fetch_changedsince(session, set, type, $0, &result) }
            ?? mailimap_uid_fetch(session, set, type, &result)
        guard r == Int32(MAILIMAP_NO_ERROR) else { throw failure(r, "UID FETCH") }
        defer { if let result { mailimap_fetch_list_free(result) } }
        var items: [Item] = []
        var cell = result?.pointee.first
        while let c = cell {
            if let att = c.pointee.data?.assumingMemoryBound(to: mailimap_msg_att.self) {
                items.append(IMAPConnection.item(att))
            }
            cell = c.pointee.next
        }
        return decode(items.filter { $0.uid > 0 })
    }

    private static func item(_ att: UnsafeMutablePointer<mailimap_msg_att>) -> Item {
        var item = Item()
        var cell = att.pointee.att_list?.pointee.first
        while let c = cell {
            defer { cell = c.pointee.next }
            guard let it = c.pointee.data?.assumingMemoryBound(to: mailimap_msg_att_item.self) else { continue }
            if it.pointee.att_type == Int32(MAILIMAP_MSG_ATT_ITEM_STATIC), let st = it.pointee.att_data.att_static {
                switch st.pointee.att_type {
                case Int32(MAILIMAP_MSG_ATT_UID): item.uid = st.pointee.att_data.att_uid
                case Int32(MAILIMAP_MSG_ATT_RFC822_SIZE): item.size = Int(st.pointee.att_data.att_rfc822_size)
                case Int32(MAILIMAP_MSG_ATT_BODY_SECTION):
                    if let section = st.pointee.att_data.att_body_section {
                        let length = section.pointee.sec_length
                        item.body = section.pointee.sec_body_part.map { Data(bytes: $0, count: length) } ?? Data()
                    }
                default: break
                }
            } else if it.pointee.att_type == Int32(MAILIMAP_MSG_ATT_ITEM_DYNAMIC), let dyn = it.pointee.att_data.att_dyn {
                var f = dyn.pointee.att_list?.pointee.first
                while let fc = f {
                    if let fetched = fc.pointee.data?.assumingMemoryBound(to: mailimap_flag_fetch.self) {
                        if fetched.pointee.fl_type == Int32(MAILIMAP_FLAG_FETCH_RECENT) {
                            item.flags.append("\\Recent")
                        } else if let flag = fetched.pointee.fl_flag, let name = IMAPConnection.flagName(flag) {
                            item.flags.append(name)
                        }
                    }
                    f = fc.pointee.next
                }
            }
        }
        return item
    }

    /// A flag as the server names it (`\Seen`, `$Forwarded`, `Priv&AOk-`).
    private static func flagName(_ flag: UnsafeMutablePointer<mailimap_flag>) -> String? {
        switch flag.pointee.fl_type {
        case Int32(MAILIMAP_FLAG_ANSWERED): return "\\Answered"
        case Int32(MAILIMAP_FLAG_FLAGGED): return "\\Flagged"
        case Int32(MAILIMAP_FLAG_DELETED): return "\\Deleted"
        case Int32(MAILIMAP_FLAG_SEEN): return "\\Seen"
        case Int32(MAILIMAP_FLAG_DRAFT): return "\\Draft"
        case Int32(MAILIMAP_FLAG_KEYWORD): return flag.pointee.fl_data.fl_keyword.map { String(cString: $0) }
        case Int32(MAILIMAP_FLAG_EXTENSION): return flag.pointee.fl_data.fl_extension.map { "\\" + String(cString: $0) }
        default: return nil
        }
    }

    /// Whether the server offers IDLE.
    var hasIdle: Bool { mailimap_has_idle(session) != 0 }

    /// IDLE on the selected folder until the server reports a change or `seconds` pass; true when something arrived.
    func idle(seconds: Int) throws(CaptureError) -> Bool {
        let r = mailimap_idle(session)
        guard r == Int32(MAILIMAP_NO_ERROR) else { throw failure(r, "IDLE") }
        let fd = mailimap_idle_get_fd(session)
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let n = poll(&p, 1, Int32(min(seconds, 29 * 60)) * 1000)
        let d = mailimap_idle_done(session)
        guard d == Int32(MAILIMAP_NO_ERROR) else { throw failure(d, "DONE") }
        return n > 0
    }

    /// LOGOUT (best effort).
    func logout() {
        _ = mailimap_logout(session)
    }
}

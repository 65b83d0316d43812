import Foundation
import SluitsteenTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real Dovecot (Debian's dovecot-imapd) for one test: a generated configuration, a Maildir and a passwd-file userdb
/// in a temporary folder, listening on free loopback ports, stopped when the test ends.
///
/// It runs without privileges: every process (master, imap-login, auth, imap) as one user — the current one, or when
/// the tests run as root, `nobody` (root starts it through `setpriv`; Dovecot refuses to run imap-login as root and to
/// give mail UID 0). What that takes in Dovecot 2.3: `default_internal_user`, `default_internal_group` and
/// `default_login_user` set to that user, `chroot =` for the services that chroot by default (imap-login, anvil),
/// base_dir and state_dir in the temporary folder, the users' uid/gid in the passwd file, and a daemonised start:
/// `dovecot -c CONFIG` returns once the listeners are bound, so no test waits for it.
final class Dovecot: @unchecked Sendable {
    let root: URL
    let imapPort: Int
    let imapsPort: Int
    let tls: Bool
    /// The users (name → password) in the passwd file.
    let users: [String: String]
    /// The HS256 key of the oauth2 passdb's local JWT validation.
    let jwtKey = Data("sluitsteen-test-jwt-key-0123456789abcdef".utf8)
    private var masterPid: pid_t?

    static let binary = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let isRoot = getuid() == 0

    /// Why Dovecot cannot be used here (nil when it can): probed once by starting one.
    static let unavailable: String? = {
        guard binary != nil else { return "dovecot is not installed (make deps installs dovecot-imapd)" }
        if isRoot && !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") { return "setpriv is missing (util-linux)" }
        do { _ = try Dovecot() } catch { return "dovecot does not start: \(error)" }
        return nil
    }()

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(users: [String: String] = ["alice": "alice-Geheim-1", "bob": "bob-Geheim-2"], tls: Bool = false) throws {
        self.users = users
        self.tls = tls
        // A short name (mkdtemp's six characters, not a UUID): Dovecot's unix sockets live under root/run, and a socket
        // path over 107 bytes (sun_path) stops Dovecot ("File name too long") when TMPDIR is itself a longer folder, as
        // under `make test` (scripts/run-tests.sh). stop() removes it.
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("sluitsteen-dovecot-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw Failure(description: "no temporary folder: \(String(cString: strerror(errno)))") }
        // mkdtemp filled in the template itself; its result points into the array, valid only during the call.
        root = URL(fileURLWithPath: template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }, isDirectory: true)
        let fm = FileManager.default
        for sub in ["run", "state", "mail", "keys/default/HS256"] {
            try fm.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        imapPort = try LoopbackPorts.free()
        imapsPort = tls ? try LoopbackPorts.free() : 0
        let (uid, gid, user, group) = Dovecot.isRoot
            ? (65534, 65534, "nobody", "nogroup") : (Int(getuid()), Int(getgid()), Dovecot.userName(), Dovecot.groupName())
        let passwd = users.sorted { $0.key < $1.key }.map { "\($0.key):{PLAIN}\($0.value):\(uid):\(gid)::\(root.path)/mail/\($0.key)::" }
        try (passwd.joined(separator: "\n") + "\n").write(to: root.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        try (jwtKey.base64EncodedString() + "\n").write(to: root.appendingPathComponent("keys/default/HS256/default"), atomically: true,
                                                        encoding: .utf8)
        try """
            introspection_mode = local
            local_validation_key_dict = fs:posix:prefix=\(root.path)/keys/
            username_attribute = sub

            """.write(to: root.appendingPathComponent("oauth2.conf"), atomically: true, encoding: .utf8)
        if tls { try makeCertificates() }
        var config = """
            base_dir = \(root.path)/run
            state_dir = \(root.path)/state
            log_path = \(root.path)/dovecot.log
            listen = 127.0.0.1
            protocols = imap
            disable_plaintext_auth = no
            auth_mechanisms = plain login xoauth2
            auth_failure_delay = 0
            default_internal_user = \(user)
            default_internal_group = \(group)
            default_login_user = \(user)
            mail_location = maildir:~/Maildir
            mail_fsync = never
            passdb {
              driver = passwd-file
              args = scheme=PLAIN \(root.path)/passwd
            }
            passdb {
              driver = oauth2
              mechanisms = xoauth2
              args = \(root.path)/oauth2.conf
            }
            userdb {
              driver = passwd-file
              args = \(root.path)/passwd
            }
            service anvil {
              chroot =
            }
            service imap-login {
              chroot =
              inet_listener imap {
                port = \(imapPort)
              }
              inet_listener imaps {
                port = \(imapsPort)
              }
            }

            """
        config += tls ? "ssl = yes\nssl_cert = <\(root.path)/server.pem\nssl_key = <\(root.path)/server.key\n" : "ssl = no\n"
        try config.write(to: root.appendingPathComponent("dovecot.conf"), atomically: true, encoding: .utf8)
        if Dovecot.isRoot { try Dovecot.run("/bin/chown", ["-R", "65534:65534", root.path]) }
        // In the foreground (-F), as this process's child: its pid is known at once, it is reaped by waitpid, and the
        // listeners are up when a connection to them succeeds.
        let output = root.appendingPathComponent("start.out").path
        let command = [Dovecot.binary!, "-F", "-c", root.path + "/dovecot.conf"]
        let pid = Dovecot.isRoot
            ? try Dovecot.spawn("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups"] + command, output: output)
            : try Dovecot.spawn(command[0], Array(command.dropFirst()), output: output)
        masterPid = pid
        let deadline = Date().addingTimeInterval(15)
        for port in [imapPort, imapsPort] where port != 0 {
            while !Dovecot.accepts(port) {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    masterPid = nil
                    let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                    let log2 = (try? String(contentsOf: root.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
                    throw Failure(description: "dovecot exited at start: \(log)\(log2)".trimmingCharacters(in: .whitespacesAndNewlines))
                }
                guard Date() < deadline else { throw Failure(description: "dovecot did not listen on port \(port) within 15 s") }
                usleep(10_000)
            }
        }
    }

    deinit { stop() }

    /// Stops the master (SIGTERM; SIGKILL if it is still there after five seconds) and removes the temporary folder.
    func stop() {
        if let pid = masterPid {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            let deadline = Date().addingTimeInterval(5)
            while waitpid(pid, &status, WNOHANG) == 0 {
                if Date() > deadline { kill(pid, SIGKILL); _ = waitpid(pid, &status, 0); break }
                usleep(10_000)
            }
        }
        masterPid = nil
        try? FileManager.default.removeItem(at: root)
    }

    /// The CA that signed the server's certificate (PEM), and another CA that did not.
    var caFile: URL { root.appendingPathComponent("ca.pem") }
    var otherCAFile: URL { root.appendingPathComponent("other-ca.pem") }

    /// A test CA, a server certificate from it for `localhost` (DNS name only, so that 127.0.0.1 does not match), and
    /// an unrelated CA; made with the openssl command.
    private func makeCertificates() throws {
        let p = root.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Dovecot.openssl(["req", "-x509"] + ec + ["-keyout", "\(p)/ca.key", "-out", "\(p)/ca.pem", "-days", "2",
                                                     "-subj", "/CN=Sluitsteen test CA"])
        try Dovecot.openssl(["req", "-x509"] + ec + ["-keyout", "\(p)/other-ca.key", "-out", "\(p)/other-ca.pem", "-days", "2",
                                                     "-subj", "/CN=Other CA"])
        try Dovecot.openssl(["req"] + ec + ["-keyout", "\(p)/server.key", "-out", "\(p)/server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: "\(p)/server.ext", atomically: true, encoding: .utf8)
        try Dovecot.openssl(["x509", "-req", "-in", "\(p)/server.csr", "-CA", "\(p)/ca.pem", "-CAkey", "\(p)/ca.key", "-CAcreateserial",
                             "-out", "\(p)/server.pem", "-days", "2", "-extfile", "\(p)/server.ext"])
    }

    private static func openssl(_ args: [String]) throws {
        let r = try run("/usr/bin/openssl", args)
        guard r.status == 0 else { throw Failure(description: "openssl \(args.first ?? "") failed: \(r.output)") }
    }

    /// A signed JWT for `sub` (HS256 with the server's key, or `key`), expiring at `expires` (seconds since 1970).
    func token(for sub: String, expires: Int, key: Data? = nil) -> String {
        func b64(_ d: Data) -> String {
            d.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let header = b64(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let body = b64(Data(#"{"sub":"\#(sub)","exp":\#(expires),"iat":\#(Int(Date().timeIntervalSince1970) - 60)}"#.utf8))
        let signature = HMAC256.sign(Data((header + "." + body).utf8), key: key ?? jwtKey)
        return header + "." + body + "." + b64(signature)
    }

    /// Runs IMAP client operations with Python's imaplib (an independent client): append, create, delete, rename,
    /// store flags, expunge, fetch. `ops` is a list of JSON objects; the result is one JSON value per operation.
    @discardableResult
    func imap(user: String, _ ops: [[String: Any]]) throws -> [Any] {
        let spec = try JSONSerialization.data(withJSONObject: ["port": imapPort, "user": user, "password": users[user]!, "ops": ops])
        let input = root.appendingPathComponent("ops-\(UUID().uuidString).json")
        try spec.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let r = try Dovecot.run(Dovecot.python, ["-c", Dovecot.client, input.path])
        guard r.status == 0, let data = r.output.split(separator: "\n").last.map({ Data($0.utf8) }),
              let out = try JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw Failure(description: "imaplib client failed: \(r.output)")
        }
        return out
    }

    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? "/usr/bin/python3"

    /// The imaplib client: reads the operations, prints one JSON list of results.
    private static let client = #"""
import imaplib, json, sys, base64, hashlib, re
spec = json.load(open(sys.argv[1]))
def q(name):
    return '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
def ok(result, what):
    if result[0] != 'OK': raise SystemExit('%s failed: %r' % (what, result))
    return result[0]
m = imaplib.IMAP4('127.0.0.1', spec['port'])
m.login(spec['user'], spec['password'])
out = []
for op in spec['ops']:
    kind = op['op']
    if kind == 'append':
        data = base64.b64decode(op['data'])
        try:
            typ, resp = m.append(q(op['folder']), op.get('flags'), None, data)
        except imaplib.IMAP4.error:
            typ, resp = 'NO', [b'']
        if typ != 'OK':
            out.append(None)
            continue
        uid = re.search(rb'APPENDUID (\d+) (\d+)', resp[0])
        out.append([int(uid.group(1)), int(uid.group(2))] if uid else None)
    elif kind == 'create':
        out.append(ok(m.create(q(op['folder'])), 'create'))
    elif kind == 'delete':
        out.append(ok(m.delete(q(op['folder'])), 'delete'))
    elif kind == 'rename':
        out.append(ok(m.rename(q(op['from']), q(op['to'])), 'rename'))
    elif kind == 'store':
        ok(m.select(q(op['folder'])), 'select')
        out.append(ok(m.uid('STORE', str(op['uid']), '+FLAGS', op['flags']), 'store'))
    elif kind == 'expunge':
        ok(m.select(q(op['folder'])), 'select')
        ok(m.uid('STORE', str(op['uid']), '+FLAGS', '(\\Deleted)'), 'store')
        out.append(ok(m.expunge(), 'expunge'))
    elif kind == 'fetch':
        if m.select(q(op['folder']), readonly=True)[0] != 'OK':
            out.append(None)
            continue
        typ, data = m.uid('FETCH', '1:*', '(BODY.PEEK[])')
        out.append([hashlib.sha256(item[1]).hexdigest() for item in data if isinstance(item, tuple)])
    elif kind == 'generate':
        # Pipelined APPENDs with LITERAL+ (RFC 7888): imaplib would wait for a continuation per message.
        pending = []
        def drain():
            for tag in pending:
                while True:
                    line = m.readline()
                    if line.startswith(tag + b' '):
                        if not line.startswith(tag + b' OK'): raise SystemExit('append failed: %r' % line)
                        break
            del pending[:]
        for i in range(op['count']):
            body = ('From: Burger %d <burger%d@example.org>\r\nTo: burgemeester@krimpenerwaard.example\r\n'
                    'Subject: Bericht %d\r\nMessage-ID: <gen-%s-%d@example.org>\r\nDate: Mon, 03 Mar 2025 10:00:00 +0100\r\n\r\n'
                    % (i, i, i, op['tag'], i)) + ('Regel %d van een lang bericht.\r\n' % i) * op.get('lines', 40)
            data = body.encode()
            tag = b'G%d' % i
            m.send(tag + b' APPEND ' + q(op['folder']).encode() + b' {%d+}\r\n' % len(data) + data + b'\r\n')
            pending.append(tag)
            if len(pending) == 100: drain()
        drain()
        out.append(op['count'])
    elif kind == 'flags':
        if m.select(q(op['folder']), readonly=True)[0] != 'OK':
            out.append(None)
            continue
        typ, data = m.uid('FETCH', '1:*', '(FLAGS)')
        out.append([d.decode() for d in data if d])
m.logout()
print(json.dumps(out))
"""#

    /// Starts `tool` as a child with its output in the file `output`; returns its pid.
    static func spawn(_ tool: String, _ args: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // A clean signal mask and default handlers: the test runner's threads block signals, and a child inherits the
        // mask (Dovecot would then ignore the SIGTERM that stops it).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let r = posix_spawn(&pid, tool, &actions, &attributes, argv, environ)
        guard r == 0 else { throw Failure(description: "cannot start \(tool): \(String(cString: strerror(r)))") }
        return pid
    }

    /// Whether something accepts a TCP connection on the loopback `port`.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func userName() -> String { getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "\(getuid())" }
    private static func groupName() -> String { getgrgid(getgid()).map { String(cString: $0.pointee.gr_name) } ?? "\(getgid())" }
}

/// HMAC-SHA256 (RFC 2104) over the package's SHA-256, to sign the test JWTs.
enum HMAC256 {
    static func sign(_ message: Data, key: Data) -> Data {
        var k = key.count > 64 ? sha(key) : key
        k.append(Data(repeating: 0, count: 64 - k.count))
        let inner = sha(Data(k.map { $0 ^ 0x36 }) + message)
        return sha(Data(k.map { $0 ^ 0x5c }) + inner)
    }
    private static func sha(_ d: Data) -> Data {
        let hex = Digest.hex(d)
        var out = Data()
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }
}

import SluitsteenHashing

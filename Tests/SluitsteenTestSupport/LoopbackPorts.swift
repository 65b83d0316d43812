// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Free loopback ports for the servers the tests start (the web service, the OpenID provider, Dovecot).
///
/// A port is found by binding port 0 and letting it go; the server binds it a moment later. Two tests running at the
/// same time could be given the same port in that moment (the kernel may hand out a released port again), and the
/// second server's bind then fails while the first one answers in its place. So a port is handed out once per test
/// process: every caller gets one no other caller got.
public enum LoopbackPorts {
    private static let handedOut = Mutex<Set<Int>>([])

    /// A loopback port nobody listens on now, and not handed out before in this process.
    public static func free() throws -> Int {
        for _ in 0..<1000 {
            let port = try unused()
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { return port }
        }
        throw LoopbackPortError(description: "no free loopback port not handed out before (1,000 tries)")
    }

    /// A port the kernel gives for port 0 on 127.0.0.1, released again.
    private static func unused() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackPortError(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw LoopbackPortError(description: "bind to 127.0.0.1:0: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// No loopback port could be found.
public struct LoopbackPortError: Error, CustomStringConvertible {
    public let description: String
}

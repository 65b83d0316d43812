// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Builds hostile tars and zips from a ``TestPackage`` folder with Python 3 (zipfile's own writer cannot lie, so
/// the zip is written byte by byte here; the tar with tarfile). Independent of the verifier's code.
enum HostileArchives {
    static let python = "/usr/bin/python3"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// A zip of `package` shaped by `spec` (see the script: `extra`, `drop`, `understate`, `localname`, `descriptor`,
    /// `overlap`).
    static func zip(_ package: TestPackage, _ name: String, _ spec: [String: Any] = [:]) throws -> URL {
        try build("zip", package, name, spec)
    }

    /// A tar of `package` shaped by `spec` (`extra` with types file, symlink, hardlink; `prefix`; `drop`).
    static func tar(_ package: TestPackage, _ name: String, _ spec: [String: Any] = [:]) throws -> URL {
        try build("tar", package, name, spec)
    }

    private static func build(_ kind: String, _ package: TestPackage, _ name: String, _ spec: [String: Any]) throws -> URL {
        let out = package.root.deletingLastPathComponent().appendingPathComponent(name)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        let (status, output) = try TestPackage.run(python, ["-c", script, kind, package.root.path, out.path, json])
        guard status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: output]) }
        return out
    }

    private static let script = #"""
import io, json, os, struct, sys, tarfile, zlib
kind, src, out, spec = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])

def files():
    found = []
    for d, _, names in os.walk(src):
        for n in names:
            p = os.path.join(d, n)
            found.append((os.path.relpath(p, src), open(p, "rb").read()))
    return sorted(f for f in found if f[0] not in spec.get("drop", []))

def deflate(chunks):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b"".join(c.compress(x) for x in chunks) + c.flush()

def content(e):
    if "zeros" in e:
        return [b"\0" * (1 << 20)] * e["zeros"]
    return [e.get("text", "").encode()]

def member(name, chunks, method=8):
    data = b"".join(chunks) if method == 0 else deflate(chunks)
    crc, size = 0, 0
    for x in chunks:
        crc, size = zlib.crc32(x, crc), size + len(x)
    return dict(name=name.encode("utf-8", "surrogatepass"), data=data, crc=crc, size=size, method=method)

def write_zip(members):
    buf, central = bytearray(), bytearray()
    for m in members:
        offset = m.get("offset", len(buf))
        local = m.get("local_name", m["name"])
        flags = (8 if "descriptor" in m else 0) | 0x800  # bit 11: the name is UTF-8
        lcrc, lcsize, lsize = (0, 0, 0) if flags & 8 else (m["crc"], len(m["data"]), m.get("declared", m["size"]))
        if "offset" not in m:
            buf += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, flags, m["method"], 0, 0x21, lcrc, lcsize, lsize,
                               len(local), 0) + local + m["data"]
            if flags & 8:
                buf += struct.pack("<IIII", 0x08074b50, *m["descriptor"])
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 0x031e, 20, flags, m["method"], 0, 0x21, m["crc"],
                               len(m["data"]), m.get("declared", m["size"]), len(m["name"]), 0, 0, 0, 0,
                               0o100644 << 16, offset) + m["name"]
    start = len(buf)
    buf += central + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(members), len(members), len(central), start, 0)
    open(out, "wb").write(buf)

if kind == "zip":
    members = [member(n, [d]) for n, d in files()]
    for e in spec.get("extra", []):
        members.append(member(e["name"], content(e), e.get("method", 8)))
    for m in members:
        n = m["name"].decode("utf-8", "surrogatepass")
        if n == spec.get("localname"):
            m["local_name"] = m["name"][:-1] + b"_"
        if n == spec.get("descriptor"):
            m["descriptor"] = (m["crc"], len(m["data"]) + 100, m["size"] + 7)
        if n in spec.get("understate", {}):
            u = spec["understate"][n]
            m.update(member(n, [b"\0" * (1 << 20)] * u["zeros"]))
            m["declared"] = u["declared"]
    if spec.get("overlap"):
        # Fifield's construction: a stored entry whose data quotes the next entry's local header and data.
        inner = member("serie-sleutelfunctionarissen/b.txt", [b"binnen"], 0)
        quoted = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 0, 0, 0x21, inner["crc"], len(inner["data"]),
                             inner["size"], len(inner["name"]), 0) + inner["name"] + inner["data"]
        outer = member("serie-sleutelfunctionarissen/a.txt", [quoted], 0)
        head = sum(30 + len(m["name"]) + len(m["data"]) for m in members)
        inner["offset"] = head + 30 + len(outer["name"])
        members += [outer, inner]
    write_zip(members)
else:
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        for n, d in files():
            info = tarfile.TarInfo(spec.get("prefix", "") + n)
            info.size = len(d)
            t.addfile(info, io.BytesIO(d))
        for e in spec.get("extra", []):
            info = tarfile.TarInfo(e["name"])
            kinds = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "file": tarfile.REGTYPE}
            info.type = kinds[e.get("type", "file")]
            info.linkname = e.get("link", "")
            data = b"".join(content(e)) if info.type == tarfile.REGTYPE else b""
            info.size = len(data)
            if "\0" in e["name"]:
                info.pax_headers = {"path": e["name"]}
            t.addfile(info, io.BytesIO(data))
"""#
}

/// Runs the built `sluitsteen` as a subprocess, killed by a watchdog if it does not end (a verifier that blocks
/// on a named pipe must fail the test, not hang it).
enum CLIRun {
    static let binary = TestSchemas.root.appendingPathComponent(".build/debug/sluitsteen")
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        /// Ended by the watchdog.
        var killed: Bool
    }

    static func verify(_ arguments: [String], watchdog seconds: Int = 60) throws -> Result {
        let process = Process()
        process.executableURL = binary
        var args = ["verify"] + arguments
        if let schema = TestSchemas.mdto { args += ["--schema", schema.path, "--pakbon-schema", TestSchemas.pakbon.path] }
        process.arguments = args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let killed = Flag()
        let watchdog = DispatchWorkItem {
            killed.set()
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds), execute: watchdog)
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self),
            killed: killed.value)
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var isSet = false
        func set() { lock.lock(); isSet = true; lock.unlock() }
        var value: Bool { lock.lock(); defer { lock.unlock() }; return isSet }
    }
}

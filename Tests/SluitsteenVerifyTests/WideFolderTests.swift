// SPDX-License-Identifier: EUPL-1.2
import Foundation
import Testing

@testable import SluitsteenVerify

/// Issue 17: memory that does not grow with the number of messages. A wide folder is checked in parts and a tar's or
/// zip's members are sorted on disk; the verdict must be the one of reading every folder whole.
@Suite("Wide folders in parts, members sorted on disk", .enabled(if: TestSchemas.mdto != nil, "needs the MDTO XSD"))
struct WideFolderTests {
    private func verify(_ url: URL, parts: Int? = nil) throws -> VerificationReport {
        var options = VerifyOptions(schema: TestSchemas.mdto, pakbonSchema: TestSchemas.pakbon)
        if let parts {
            options.partSize = parts
            options.wideFolder = parts
        }
        return try PackageVerifier.verify(package: url, options: options)
    }

    @Test("A folder read in parts gives the same findings, counts and package hash as read whole")
    func parts() throws {
        let package = try TestPackage.build(messages: 7)
        let dossier = "\(TestPackage.serie)/\(TestPackage.dossier)"
        // Rules that need the whole folder, with the names involved in different parts: two names that differ only in
        // case, files without their sidecar, a sidecar without its file, a folder without its own sidecar.
        try package.put("\(dossier)/Notitie.txt", "a")
        try package.put("\(dossier)/notitie.txt", "b")
        try package.put("\(dossier)/zonder.bestand.mdto.xml", "<x/>")
        try FileManager.default.createDirectory(at: package.url("\(dossier)/lege-map"), withIntermediateDirectories: true)
        try package.writePakbon()
        let whole = try verify(package.root)
        #expect(whole.findings.contains { $0.check == .name && $0.path == "\(dossier)/notitie.txt" })
        #expect(whole.findings.contains { $0.check == .missingBestandSidecar && $0.path == "\(dossier)/Notitie.txt" })
        #expect(whole.findings.contains { $0.check == .orphanSidecar })
        #expect(whole.findings.contains { $0.check == .missingFolderSidecar && $0.path == "\(dossier)/lege-map" })

        let tar = package.root.deletingLastPathComponent().appendingPathComponent("pakket.tar")
        #expect(try TestPackage.run("/usr/bin/tar", ["-cf", tar.path, "-C", package.root.path, "."]).0 == 0)
        for url in [package.root, tar] {
            for parts in [1, 2, 3] {
                let report = try verify(url, parts: parts)
                #expect(report.findings == whole.findings, "\(url.lastPathComponent), parts of \(parts)")
                #expect(report.packageHash == whole.packageHash)
                #expect(report.informatieobjecten == whole.informatieobjecten && report.bestanden == whole.bestanden)
                #expect(report.contentFiles == whole.contentFiles && report.contentBytes == whole.contentBytes)
            }
        }
    }

    @Test("Members sorted in many runs give the tree of one run, each folder in walk order, whatever the container order")
    func runs() throws {
        var members: [(String, PackageEntry.Kind)] = (0..<300).map { ("a/m\($0 % 37)/f\($0).txt", .file) }
        members += [
            ("a/m1", .directory), ("a/m1.mdto.xml", .file), ("a/m1-2", .directory), ("a/m1-2/x", .file),
            ("dup.txt", .file), ("dup.txt", .file), ("a/m2/f2.txt", .directory), ("b", .file), ("b/c", .file),
        ]
        // A fixed shuffle: the container order must not matter to the tree (only to which duplicate is kept).
        var state: UInt64 = 17
        for i in members.indices.reversed() {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            members.swapAt(i, Int(state >> 33) % (i + 1))
        }
        func tree(runBytes: Int) throws -> (entries: [String], problems: Set<String>) {
            let table = MemberTable(runBytes: runBytes)
            for (i, (path, kind)) in members.enumerated() { try table.append(path: path, kind: kind, size: kind == .file ? Int64(i) : 0) }
            var problems: [MemberProblem] = []
            try table.finish(container: "tar", problems: &problems)
            var entries: [String] = []
            var folders = [""]
            while let folder = folders.popLast() {
                let children = try table.children(of: folder)
                var sorted = children
                PackageStores.walkSort(&sorted)
                #expect(children.map(\.path) == sorted.map(\.path), "walk order of \(folder)")
                for child in children {
                    entries.append("\(child.path) \(child.kind) \(child.size)")
                    if child.kind == .directory { folders.append(child.path) }
                }
            }
            return (entries, Set(problems.map { "\($0.name): \($0.reason)" }))
        }
        let one = try tree(runBytes: 1 << 20)
        let many = try tree(runBytes: 256)
        #expect(one.entries == many.entries)
        #expect(one.problems == many.problems)
        #expect(one.entries.contains("a/m0 directory 0"))  // implied
        #expect(one.entries.contains("a/m2/f2.txt directory 0"))
        #expect(one.entries.contains("b directory 0"))
        #expect(one.entries.count(where: { $0.hasPrefix("dup.txt ") }) == 1)
        #expect(one.problems.count == 3)
    }
}

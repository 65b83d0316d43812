import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
@testable import SluitsteenExport
import Testing

/// Issue 19 point 12 (a killed export's hidden working folder holds mail: the next export removes it) and point 14
/// (a full disk while packing is reported as a full disk); issue 11 point 2 (a demo archive's package says so).
@Suite(.enabled(if: ExportFixture.available, "needs the MDTO XSD (make schemas, or ../shared/schemas/mdto) and xmllint"))
struct ExportLeftoverTests {
    @Test func aKilledExportsWorkingFolderIsRemovedByTheNextExport() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-left")
        let base = tmp.url
        // A process that has ended: its pid is free.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let pid = gone.processIdentifier
        let leftover = base.appendingPathComponent(".overdracht\(PackageExporter.tempMarker)\(pid)-1")
        try FileManager.default.createDirectory(at: leftover.appendingPathComponent("dossier"), withIntermediateDirectories: true)
        try Data("From: geheim\n\nmail".utf8).write(to: leftover.appendingPathComponent("dossier/bericht.eml"))
        let registrations = try ws.scratchFolder(named: "exports")
        try Data(leftover.path.utf8).write(to: registrations.appendingPathComponent("\(pid)-test.path"))
        // A folder of a process that still runs (this one) is left alone.
        let running = base.appendingPathComponent(".ander\(PackageExporter.tempMarker)\(getpid())-2")
        try FileManager.default.createDirectory(at: running, withIntermediateDirectories: true)
        try Data(running.path.utf8).write(to: registrations.appendingPathComponent("\(getpid())-test.path"))

        _ = try ExportFixture.export(ws, ExportFixture.request(base.appendingPathComponent("overdracht-2")))
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(FileManager.default.fileExists(atPath: running.path))
        #expect(!FileManager.default.fileExists(atPath: registrations.appendingPathComponent("\(pid)-test.path").path))
        // The export's own registration is gone once it finished.
        #expect(try FileManager.default.contentsOfDirectory(atPath: registrations.path) == ["\(getpid())-test.path"])
    }

    @Test func aFullDiskIsCalledAFullDisk() {
        let enospc = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        #expect(PackageFiles.writeFailure(enospc).contains("disk is full"))
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteUnknownError, userInfo: [NSUnderlyingErrorKey: enospc])
        #expect(PackageFiles.writeFailure(wrapped).contains("disk is full"))
        #expect(!PackageFiles.writeFailure(NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))).contains("disk is full"))
    }

    @Test func aDemoArchivesPackageSaysSoInItsNameTitleAndRemarks() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        #expect(ws.kind == .demo)
        let tmp = try TemporaryDirectory("export-demo")
        let out = tmp.appending("p")
        let summary = try ExportFixture.export(ws, ExportFixture.request(out))
        #expect(summary.packageId.contains("-email-demo-"))
        let pakbon = try String(contentsOf: out.appendingPathComponent("pakbon.xml"), encoding: .utf8)
        #expect(pakbon.contains("DEMO — Overdracht") && pakbon.contains("DEMO-/TESTARCHIEF"))
    }
}

// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The command-line tools the PDF tests read their results with (poppler-utils and qpdf), found on the PATH.
enum PDFTools {
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    static let popplerInstalled = ["pdftotext", "pdftoppm", "pdfinfo", "pdffonts"].allSatisfy { find($0) != nil }
    static let qpdfInstalled = find("qpdf") != nil
    static let libreOfficeInstalled = find("soffice") != nil || find("libreoffice") != nil
        || FileManager.default.isExecutableFile(atPath: "/usr/lib/libreoffice/program/soffice")
    static let dejaVuInstalled = FileManager.default.fileExists(atPath: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        && FileManager.default.fileExists(atPath: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    static let reason = "poppler-utils, qpdf or fonts-dejavu-core is not installed (make deps): PDF tests skipped"
    static let all = popplerInstalled && qpdfInstalled && dejaVuInstalled

    /// Runs a tool and returns its standard output (standard error is dropped); nil when it fails.
    static func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = find(name)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sls-pdf-test-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: output))
    }

    /// A scratch folder, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sls-pdf-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The text poppler extracts from a PDF.
    static func text(of pdf: URL) throws -> String {
        let result = try run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"])
        return String(decoding: result.output, as: UTF8.self)
    }

    /// The file's bytes with every stream decompressed and object streams unpacked (qpdf's QDF form), as Latin-1
    /// text so that byte strings can be searched in it. Also the raw file, for what qpdf would normalise.
    static func decompressed(_ pdf: URL) throws -> String {
        let result = try run("qpdf", ["--qdf", "--object-streams=disable", "--stream-data=uncompress",
                                      "--decode-level=all", pdf.path, "-"])
        return String(decoding: result.output, as: UTF8.self) + String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
    }
}

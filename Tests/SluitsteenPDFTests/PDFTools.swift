// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport

/// The command-line tools the PDF tests read their results with (poppler-utils and qpdf), found on the PATH.
enum PDFTools {
    static func find(_ name: String) -> URL? { PackagePaths.tool(name) }

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
        let r = try Subprocess.run(tool: name, arguments)
        return (r.status, r.stdout)
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

    /// The file's bytes with every stream decompressed and object streams unpacked (qpdf's QDF form), followed by
    /// the raw file (for what qpdf would normalise).
    static func decompressed(_ pdf: URL) throws -> Data {
        let result = try run("qpdf", ["--qdf", "--object-streams=disable", "--stream-data=uncompress",
                                      "--decode-level=all", pdf.path, "-"])
        return result.output + (try Data(contentsOf: pdf))
    }

    /// Whether `bytes` hold `text` in UTF-8 or in UTF-16 (big-endian, as PDF text strings are written).
    static func holds(_ bytes: Data, _ text: String) -> Bool {
        var utf16 = Data()
        for unit in text.utf16 { utf16.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
        return bytes.range(of: Data(text.utf8)) != nil || bytes.range(of: utf16) != nil
    }
}

import CCairo

/// Test PDFs drawn with cairo's own simple text API (not with SluitsteenPDF), and their pixels read back.
enum TestPDF {
    /// A PDF of A4 pages, each a list of lines in DejaVu Sans 12 pt, written to `url`.
    static func write(_ pages: [[String]], to url: URL) {
        let surface = cairo_pdf_surface_create(url.path, 595, 842)
        let cairo = cairo_create(surface)
        cairo_select_font_face(cairo, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cairo, 12)
        for lines in pages {
            for (index, line) in lines.enumerated() {
                cairo_move_to(cairo, 72, 100 + Double(index) * 24)
                cairo_show_text(cairo, line)
            }
            cairo_show_page(cairo)
        }
        cairo_destroy(cairo)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
    }

    /// The share of dark pixels (all channels below 0x60) in a rectangle given in points, on page `page` (from 1)
    /// of `pdf` rasterised at `dpi`.
    static func darkShare(of pdf: URL, page: Int, dpi: Int, x: Double, y: Double, width: Double, height: Double)
        throws -> Double {
        let folder = try PDFTools.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stem = folder.appendingPathComponent("p")
        _ = try PDFTools.run("pdftoppm", ["-png", "-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile",
                                           pdf.path, stem.path])
        let image = cairo_image_surface_create_from_png(stem.path + ".png")
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS else { return -1 }
        let stride = Int(cairo_image_surface_get_stride(image))
        let data = cairo_image_surface_get_data(image)!
        let scale = Double(dpi) / 72
        var dark = 0
        var all = 0
        for py in Int(y * scale)..<Int((y + height) * scale) {
            for px in Int(x * scale)..<Int((x + width) * scale) {
                let pixel = data.advanced(by: py * stride + px * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                let (r, g, b) = ((pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF)
                if r < 0x60, g < 0x60, b < 0x60 { dark += 1 }
                all += 1
            }
        }
        return all == 0 ? 0 : Double(dark) / Double(all)
    }
}

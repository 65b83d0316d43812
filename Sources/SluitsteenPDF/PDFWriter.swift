// SPDX-License-Identifier: EUPL-1.2
import CCairo
import Foundation
import SluitsteenSupport

/// Writes a PDF with cairo into memory: the pages drawn by the caller, the document information, and nothing that
/// depends on the clock (the creation date comes from the input), so that the same drawing gives the same bytes.
///
/// What cairo (Debian 12: 1.16) writes, and what it cannot: a PDF 1.5 file (1.4 and 1.5 are the only versions
/// 1.16 offers; later cairo releases add 1.6 and 1.7) with the fonts embedded as TrueType subsets (simple fonts for
/// Latin text, CID fonts for other characters), each with a ToUnicode map so the text can be searched and copied,
/// and an Info dictionary (Title, Author, Subject, Keywords, Creator, CreationDate; Producer is always
/// "cairo 1.16.0 (https://cairographics.org)"). It cannot write an XMP metadata stream, an output intent with an ICC
/// profile, or a trailer ID, which PDF/A-2b requires, and the dates it is given lack the "D:" prefix (readers such
/// as poppler accept them); so the files are not PDF/A, and claim nothing of it.
enum PDFWriter {
    /// The bytes cairo writes, collected through its stream callback.
    private final class Sink {
        var data = Data()
    }

    static func write(document: String, info: PDFDocumentInfo, pageSizes: [(width: Double, height: Double)],
                      draw: (_ cairo: OpaquePointer, _ page: Int) throws(PDFProductionError) -> Void)
        throws(PDFProductionError) -> Data {
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        let first = pageSizes.first ?? (width: 595.2756, height: 841.8898)
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, unmanaged.toOpaque(), first.width, first.height) else {
            throw .renderingFailed(document: document, detail: "cairo could not create a PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        let metadata: [(cairo_pdf_metadata_t, String)] = [
            (CAIRO_PDF_METADATA_TITLE, info.title), (CAIRO_PDF_METADATA_AUTHOR, info.author),
            (CAIRO_PDF_METADATA_SUBJECT, info.subject), (CAIRO_PDF_METADATA_KEYWORDS, info.keywords),
            (CAIRO_PDF_METADATA_CREATOR, info.creator),
            // Without it cairo writes the current time; with it, the same input gives the same file.
            (CAIRO_PDF_METADATA_CREATE_DATE, ISOTimestamp.format(info.creationDate)),
        ]
        for (key, value) in metadata where !value.isEmpty {
            cairo_pdf_surface_set_metadata(surface, key, value)
        }
        guard let cairo = cairo_create(surface) else {
            throw .renderingFailed(document: document, detail: "cairo could not create a drawing context")
        }
        defer { cairo_destroy(cairo) }
        for (page, size) in pageSizes.enumerated() {
            cairo_pdf_surface_set_size(surface, size.width, size.height)
            cairo_save(cairo)
            try draw(cairo, page)
            cairo_restore(cairo)
            cairo_show_page(cairo)
            try check(cairo_status(cairo), document: document)
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), document: document)
        return sink.data
    }

    static func check(_ status: cairo_status_t, document: String) throws(PDFProductionError) {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw .renderingFailed(document: document, detail: String(cString: cairo_status_to_string(status)))
    }
}

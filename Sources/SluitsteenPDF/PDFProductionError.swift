// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Why a disclosure PDF could not be made. Every case names the document or file and what to do; none is ever
/// swallowed: a document that cannot be redacted reliably must be withheld whole with its ground, disclosed whole
/// after review, or redacted by hand.
public enum PDFProductionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The fonts the production PDFs are set in (DejaVu Sans, Debian's fonts-dejavu-core) are not at `path`.
    case fontsMissing(path: String)
    /// A redaction of a mail lies outside its field, is empty, or names an attachment the mail does not list.
    case invalidRedaction(document: String, field: String, start: Int, end: Int, length: Int)
    /// cairo or pango failed while writing the PDF (`detail` is the library's own message).
    case renderingFailed(document: String, detail: String)
    /// A command-line tool the redaction of attachments needs is not installed.
    case toolMissing(tool: String, package: String, file: String)
    /// LibreOffice is not installed: an Office attachment cannot be turned into a PDF to redact.
    case libreOfficeMissing(file: String)
    /// The attachment cannot be redacted reliably (encrypted, damaged, unreadable, or a text to redact was not found
    /// in its text layer).
    case cannotRedactReliably(file: String, reason: String)

    public var description: String {
        switch self {
        case .fontsMissing(let path):
            return "the fonts for the disclosure PDFs are missing (\(path)): install fonts-dejavu-core (make deps)"
        case .invalidRedaction(let document, let field, let start, let end, let length):
            return "document \(document): the redaction \(start)..<\(end) of \(field) does not lie within its text "
                + "(\(length) characters): the review's spans do not fit this document; review it again"
        case .renderingFailed(let document, let detail):
            return "document \(document): the PDF could not be written (\(detail)); nothing was produced"
        case .toolMissing(let tool, let package, let file):
            return "\(file) cannot be redacted reliably: \(tool) is not installed (Debian package \(package), "
                + "make deps); install it, or handle this attachment by hand"
        case .libreOfficeMissing(let file):
            return "\(file): LibreOffice is not installed: this attachment needs manual handling "
                + "(redact it by hand, or withhold it whole with its ground)"
        case .cannotRedactReliably(let file, let reason):
            return "\(file) cannot be redacted reliably: \(reason); handle it by hand "
                + "(redact it manually, or withhold it whole with its ground)"
        }
    }
}

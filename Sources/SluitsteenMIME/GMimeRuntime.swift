// SPDX-License-Identifier: EUPL-1.2
import CGMime

/// GMime's process-wide set-up, made once before the first message is read (parsing, text extraction and
/// attachment extraction all call ``ready``).
enum GMimeRuntime {
    static let ready: Void = {
        g_mime_init()
        // GMime opens an iconv converter for every encoded header it decodes, and glibc unloads a charset's
        // module when its last converter closes: without a converter that stays open, every such header cost a
        // dlopen/dlclose. One converter per common mail charset is opened here and never closed.
        for charset in ["ISO-8859-1", "ISO-8859-2", "ISO-8859-15", "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252",
                        "UTF-16", "KOI8-R", "ISO-2022-JP", "SHIFT_JIS", "EUC-JP", "GB18030", "BIG5", "EUC-KR"] {
            _ = iconv_open("UTF-8", charset)
        }
    }()

    /// Parts nested deeper than this are not followed (a hostile message must not exhaust the stack).
    static let maxDepth = 48
}

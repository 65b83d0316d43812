// SPDX-License-Identifier: EUPL-1.2
import CCairo
import Foundation

/// Lays out text with pango in a fixed font set: DejaVu Sans (regular and bold) from `fontDirectory`, loaded into a
/// private fontconfig set so that no other installed font is ever picked (the same text gives the same layout on
/// every machine with the same DejaVu files). Hinting is off and glyph positions are not rounded, so the layout
/// does not depend on the output resolution. One per rendering: pango objects are not shared between threads.
final class Typesetter {
    static let family = "DejaVu Sans"
    static let fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]

    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    private var fonts: [FontKey: OpaquePointer] = [:]

    private struct FontKey: Hashable {
        var size: Double
        var bold: Bool
    }

    init(fontDirectory: String) throws(PDFProductionError) {
        guard let config = FcConfigCreate() else { throw .renderingFailed(document: "-", detail: "fontconfig failed") }
        defer { FcConfigDestroy(config) }
        for file in Self.fontFiles {
            let path = (fontDirectory as NSString).appendingPathComponent(file)
            guard FileManager.default.isReadableFile(atPath: path),
                  FcConfigAppFontAddFile(config, path) != 0 else { throw .fontsMissing(path: path) }
        }
        guard let map = sls_pdf_font_map_new(config), let context = pango_font_map_create_context(map) else {
            throw .renderingFailed(document: "-", detail: "pango could not create a font map")
        }
        self.fontMap = map
        self.context = context
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_cairo_context_set_resolution(context, 72)  // one pango point is one PDF point
        pango_context_set_round_glyph_positions(context, 0)
        pango_context_set_base_dir(context, PANGO_DIRECTION_LTR)
    }

    deinit {
        for font in fonts.values { pango_font_description_free(font) }
        sls_pdf_unref(UnsafeMutableRawPointer(context))
        sls_pdf_unref(UnsafeMutableRawPointer(fontMap))
    }

    /// The font description of DejaVu Sans at `size` points (owned by the typesetter).
    func font(size: Double, bold: Bool = false) -> OpaquePointer {
        let key = FontKey(size: size, bold: bold)
        if let font = fonts[key] { return font }
        let font = pango_font_description_new()!
        pango_font_description_set_family(font, Self.family)
        pango_font_description_set_size(font, Int32((size * Double(PANGO_SCALE)).rounded()))
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        fonts[key] = font
        return font
    }

    /// A new layout of `text` in `font`, wrapped at `width` points (nil: one line per paragraph). The caller owns it.
    func layout(_ text: String, font: OpaquePointer, width: Double?, attributes: OpaquePointer? = nil) -> Layout {
        let layout = pango_layout_new(context)!
        pango_layout_set_font_description(layout, font)
        if let width {
            pango_layout_set_width(layout, Int32((width * Double(PANGO_SCALE)).rounded(.down)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        if let attributes { pango_layout_set_attributes(layout, attributes) }
        pango_layout_set_text(layout, text, -1)
        return Layout(pointer: layout)
    }

    /// The width in points of `text` set on one line in `font`.
    func width(of text: String, font: OpaquePointer) -> Double {
        let layout = self.layout(text, font: font, width: nil)
        return layout.logicalSize.width
    }

    /// The ascent and descent of `font` in points.
    func metrics(of font: OpaquePointer) -> (ascent: Double, descent: Double) {
        let metrics = pango_context_get_metrics(context, font, nil)
        defer { pango_font_metrics_unref(metrics) }
        return (Double(pango_font_metrics_get_ascent(metrics)) / Double(PANGO_SCALE),
                Double(pango_font_metrics_get_descent(metrics)) / Double(PANGO_SCALE))
    }
}

/// A pango layout (released with the value).
final class Layout {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }
    deinit { sls_pdf_unref(UnsafeMutableRawPointer(pointer)) }

    var logicalSize: (width: Double, height: Double) {
        var logical = PangoRectangle()
        pango_layout_get_extents(pointer, nil, &logical)
        return (Double(logical.width) / Double(PANGO_SCALE), Double(logical.height) / Double(PANGO_SCALE))
    }

    /// The baseline of the first line, from the layout's top, in points.
    var baseline: Double { Double(pango_layout_get_baseline(pointer)) / Double(PANGO_SCALE) }

    /// Characters the fonts have no glyph for (drawn as boxes with their code).
    var unknownGlyphs: Int { Int(pango_layout_get_unknown_glyphs_count(pointer)) }

    /// Each line's logical extents and baseline in points, relative to the layout's top left.
    var lines: [LayoutLine] {
        var result: [LayoutLine] = []
        guard let iter = pango_layout_get_iter(pointer) else { return result }
        defer { pango_layout_iter_free(iter) }
        var index = 0
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            let scale = Double(PANGO_SCALE)
            result.append(LayoutLine(index: index, x: Double(logical.x) / scale, top: Double(logical.y) / scale,
                                     height: Double(logical.height) / scale,
                                     baseline: Double(pango_layout_iter_get_baseline(iter)) / scale))
            index += 1
        } while pango_layout_iter_next_line(iter) != 0
        return result
    }
}

/// One line of a layout: where it starts, its top, height and baseline (points, from the layout's top left).
struct LayoutLine {
    var index: Int
    var x: Double
    var top: Double
    var height: Double
    var baseline: Double
}

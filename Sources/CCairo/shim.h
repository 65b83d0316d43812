// SPDX-License-Identifier: EUPL-1.2
// cairo (PDF and PNG surfaces) and pango (text layout on cairo, fonts through a private fontconfig set) for Swift.
// GObject cast macros do not import, so the one cast needed is wrapped here.
#ifndef SLUITSTEEN_CCAIRO_H
#define SLUITSTEEN_CCAIRO_H
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

/// A pango font map for cairo that sees only the fonts of `config` (never the machine's other fonts), so that the
/// same text is laid out with the same fonts on every machine. The map keeps its own reference to `config`.
static inline PangoFontMap *sls_pdf_font_map_new(FcConfig *config) {
    PangoFontMap *map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (map != NULL) pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
    return map;
}

static inline void sls_pdf_unref(void *object) { if (object != NULL) g_object_unref(object); }
#endif

// SPDX-License-Identifier: EUPL-1.2
// libxml2 for Swift. ICU support is undefined to avoid the UErrorCode clash with Foundation.
#ifndef SLUITSTEEN_CLIBXML2_H
#define SLUITSTEEN_CLIBXML2_H
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>

/* xmlFree is a global function pointer, which Swift 6 does not let code read from several threads: wrapped here. */
static inline void sls_xml_free(void *p) { xmlFree(p); }
#endif

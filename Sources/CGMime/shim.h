// SPDX-License-Identifier: EUPL-1.2
// GMime 3 for Swift: GObject type-check and cast macros do not import, so they are wrapped here.
#ifndef SLUITSTEEN_CGMIME_H
#define SLUITSTEEN_CGMIME_H
#include <gmime/gmime.h>

static inline int sls_is_part(GMimeObject *o) { return GMIME_IS_PART(o) ? 1 : 0; }
static inline int sls_is_multipart(GMimeObject *o) { return GMIME_IS_MULTIPART(o) ? 1 : 0; }
static inline int sls_is_message_part(GMimeObject *o) { return GMIME_IS_MESSAGE_PART(o) ? 1 : 0; }
static inline int sls_is_text_part(GMimeObject *o) { return GMIME_IS_TEXT_PART(o) ? 1 : 0; }
static inline GMimePart *sls_as_part(GMimeObject *o) { return GMIME_PART(o); }
static inline GMimeTextPart *sls_as_text_part(GMimeObject *o) { return GMIME_TEXT_PART(o); }
static inline GMimeMultipart *sls_as_multipart(GMimeObject *o) { return GMIME_MULTIPART(o); }
static inline GMimeMessagePart *sls_as_message_part(GMimeObject *o) { return GMIME_MESSAGE_PART(o); }
static inline GMimeObject *sls_message_as_object(GMimeMessage *m) { return GMIME_OBJECT(m); }
static inline void sls_unref(void *p) { if (p) g_object_unref(p); }
static inline GMimeStreamFilter *sls_as_stream_filter(GMimeStream *s) { return GMIME_STREAM_FILTER(s); }
static inline GMimeStreamCat *sls_as_stream_cat(GMimeStream *s) { return GMIME_STREAM_CAT(s); }
static inline int sls_is_mailbox(InternetAddress *a) { return INTERNET_ADDRESS_IS_MAILBOX(a) ? 1 : 0; }
static inline int sls_is_group(InternetAddress *a) { return INTERNET_ADDRESS_IS_GROUP(a) ? 1 : 0; }
static inline InternetAddressMailbox *sls_as_mailbox(InternetAddress *a) { return INTERNET_ADDRESS_MAILBOX(a); }
static inline InternetAddressGroup *sls_as_group(InternetAddress *a) { return INTERNET_ADDRESS_GROUP(a); }
#endif

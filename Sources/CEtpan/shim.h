// SPDX-License-Identifier: EUPL-1.2
// libetpan (the IMAP client of live capture) for Swift, and the one thing it leaves to its user: checking the server's
// certificate. Debian's libetpan does TLS with GnuTLS and accepts any certificate; the chain the server sent is checked
// here with OpenSSL's libcrypto (the CA file or the system's trust store, the host name or IP address) before any
// credential is sent.
#ifndef SLUITSTEEN_CETPAN_H
#define SLUITSTEEN_CETPAN_H
#include <libetpan/libetpan.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/// Sends the server name (SNI) in the TLS handshake; `data` is the host name as a C string.
static inline void sluitsteen_etpan_set_server_name(struct mailstream_ssl_context *context, void *data) {
    if (data != NULL) mailstream_ssl_set_server_name(context, (char *)data);
}

/// Checks the certificate chain the server sent on `stream` against `ca_file` (PEM; NULL or empty: the system's trust
/// store) and `host` (a DNS name, or an IPv4/IPv6 address). Returns 1 when it holds; else 0 with the reason in `why`.
static inline int sluitsteen_etpan_verify_peer(mailstream *stream, const char *host, const char *ca_file,
                                               char *why, size_t why_length) {
    carray *chain = mailstream_get_certificate_chain(stream);
    if (chain == NULL || carray_count(chain) == 0) {
        if (chain != NULL) mailstream_certificate_chain_free(chain);
        snprintf(why, why_length, "the server sent no certificate");
        return 0;
    }
    int ok = 0;
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *intermediates = sk_X509_new_null();
    X509 *leaf = NULL;
    X509_STORE_CTX *context = NULL;
    if (store == NULL || intermediates == NULL) { snprintf(why, why_length, "out of memory"); goto done; }
    if (ca_file != NULL && ca_file[0] != '\0') {
        if (X509_STORE_load_file(store, ca_file) != 1) {
            snprintf(why, why_length, "the CA file %s cannot be read as PEM certificates", ca_file);
            goto done;
        }
    } else if (X509_STORE_set_default_paths(store) != 1) {
        snprintf(why, why_length, "the system's trusted certificates cannot be loaded");
        goto done;
    }
    for (unsigned int i = 0; i < carray_count(chain); i++) {
        MMAPString *der = (MMAPString *)carray_get(chain, i);
        const unsigned char *bytes = (const unsigned char *)der->str;
        X509 *certificate = d2i_X509(NULL, &bytes, (long)der->len);
        if (certificate == NULL) { snprintf(why, why_length, "the server's certificate cannot be decoded"); goto done; }
        if (i == 0) leaf = certificate; else sk_X509_push(intermediates, certificate);
    }
    context = X509_STORE_CTX_new();
    if (context == NULL || X509_STORE_CTX_init(context, store, leaf, intermediates) != 1) {
        snprintf(why, why_length, "out of memory");
        goto done;
    }
    X509_VERIFY_PARAM *parameters = X509_STORE_CTX_get0_param(context);
    X509_VERIFY_PARAM_set_purpose(parameters, X509_PURPOSE_SSL_SERVER);
    unsigned char address[16];
    if (inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1) {
        X509_VERIFY_PARAM_set1_ip_asc(parameters, host);
    } else {
        X509_VERIFY_PARAM_set1_host(parameters, host, 0);
    }
    if (X509_verify_cert(context) == 1) {
        ok = 1;
    } else {
        snprintf(why, why_length, "%s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(context)));
    }
done:
    if (context != NULL) X509_STORE_CTX_free(context);
    if (leaf != NULL) X509_free(leaf);
    if (intermediates != NULL) sk_X509_pop_free(intermediates, X509_free);
    if (store != NULL) X509_STORE_free(store);
    mailstream_certificate_chain_free(chain);
    return ok;
}
#endif

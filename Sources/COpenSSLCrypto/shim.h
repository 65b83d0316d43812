// SPDX-License-Identifier: EUPL-1.2
// OpenSSL's libcrypto (EVP digests) for Swift: SHA-2 hashing at the machine's full speed.
#ifndef SLUITSTEEN_COPENSSLCRYPTO_H
#define SLUITSTEEN_COPENSSLCRYPTO_H
#include <openssl/evp.h>
#endif

/* SPDX-License-Identifier: EUPL-1.2
 *
 * bench-floor: the least work issue 2 asks of an ingest, done in plain C, to show what this machine allows.
 * Not part of Sluitsteen; `make bench` builds and runs it on the same mbox as the ingest benchmark.
 *
 * Work per message, on N threads (messages dealt round-robin):
 *   parse  - GMime parses the message (as Sluitsteen does: whole MIME tree, subject decoded, parts walked);
 *   store  - SHA-256 of the bytes, and one new file named by it (O_CREAT|O_EXCL, write, close);
 *   both   - the two together (no catalog, no index, no provenance: a floor, not an ingest).
 * `both` and `store` end with syncfs(), as an ingest must put the bytes on disk before the catalog lists them.
 * Messages are cut at "\nFrom " lines before the clock starts (cutting is not timed); for a floor the exact mboxrd
 * rule does not matter.
 *
 * Usage: bench-floor parse|store|both THREADS MBOX STOREDIR     (prints "<mode> <threads> <seconds> <messages>")
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct span { size_t offset, length; };

static const char *data;
static struct span *spans;
static size_t span_count;
static int threads;
static int do_parse, do_store;
static const char *store_dir;

static void count_part(GMimeObject *parent, GMimeObject *part, gpointer user) {
    (void)parent;
    size_t *attachments = user;
    if (GMIME_IS_PART(part) && g_mime_part_get_filename(GMIME_PART(part)) != NULL) (*attachments)++;
}

static void parse_one(const char *bytes, size_t length) {
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(bytes, length);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
    if (message != NULL) {
        size_t attachments = 0;
        (void)g_mime_message_get_subject(message);
        (void)g_mime_message_get_message_id(message);
        (void)g_mime_message_get_date(message);
        g_mime_message_foreach(message, count_part, &attachments);
        g_object_unref(message);
    }
    g_object_unref(parser);
    g_object_unref(stream);
}

static void store_one(const char *bytes, size_t length) {
    unsigned char digest[32];
    unsigned int digest_length = 0;
    EVP_Digest(bytes, length, digest, &digest_length, EVP_sha256(), NULL);
    char hex[65];
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%.2s/%s", store_dir, hex, hex) >= (int)sizeof path) {
        fprintf(stderr, "bench-floor: store path too long\n");
        exit(1);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (fd < 0) {
        if (errno == EEXIST) return;
        perror(path);
        exit(1);
    }
    size_t done = 0;
    while (done < length) {
        ssize_t w = write(fd, bytes + done, length - done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { perror(path); exit(1); }
        done += (size_t)w;
    }
    if (close(fd) != 0) { perror(path); exit(1); }
}

static void *work(void *arg) {
    size_t index = (size_t)arg;
    for (size_t i = index; i < span_count; i += (size_t)threads) {
        const char *bytes = data + spans[i].offset;
        if (do_parse) parse_one(bytes, spans[i].length);
        if (do_store) store_one(bytes, spans[i].length);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: bench-floor parse|store|both THREADS MBOX STOREDIR\n");
        return 2;
    }
    do_parse = strcmp(argv[1], "parse") == 0 || strcmp(argv[1], "both") == 0;
    do_store = strcmp(argv[1], "store") == 0 || strcmp(argv[1], "both") == 0;
    threads = atoi(argv[2]);
    store_dir = argv[4];
    if ((!do_parse && !do_store) || threads < 1) {
        fprintf(stderr, "bench-floor: mode must be parse, store or both, and THREADS at least 1\n");
        return 2;
    }
    int fd = open(argv[3], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror(argv[3]); return 1; }
    if (st.st_size == 0) { fprintf(stderr, "bench-floor: %s is empty\n", argv[3]); return 1; }
    size_t size = (size_t)st.st_size;
    data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) { perror("mmap"); return 1; }

    size_t capacity = 1 << 16;
    spans = malloc(capacity * sizeof *spans);
    if (spans == NULL) { perror("malloc"); return 1; }
    size_t start = 0;
    for (;;) {
        const char *next = memmem(data + start, size - start, "\nFrom ", 6);
        size_t end = next ? (size_t)(next - data) + 1 : size;
        /* skip the From_ line itself */
        const char *eol = memchr(data + start, '\n', end - start);
        size_t body = eol ? (size_t)(eol - data) + 1 : end;
        if (span_count == capacity) {
            struct span *grown = realloc(spans, (capacity *= 2) * sizeof *spans);
            if (grown == NULL) { perror("realloc"); return 1; }
            spans = grown;
        }
        spans[span_count++] = (struct span){ body, end - body };
        if (!next) break;
        start = end;
    }

    if (do_store) {
        char path[4096];
        for (int i = 0; i < 256; i++) {
            snprintf(path, sizeof path, "%s/%02x", store_dir, i);
            if (mkdir(path, 0755) != 0 && errno != EEXIST) { perror(path); return 1; }
        }
    }
    g_mime_init();

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t ids[64];
    if (threads > 64) threads = 64;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&ids[i], NULL, work, (void *)(size_t)i) != 0) { fprintf(stderr, "bench-floor: no thread\n"); return 1; }
    }
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    if (do_store) {
        int dir = open(store_dir, O_RDONLY | O_DIRECTORY);
        if (dir < 0 || syncfs(dir) != 0) { perror(store_dir); return 1; }
        close(dir);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%s %d %.2f %zu\n", argv[1], threads, seconds, span_count);
    g_mime_shutdown();
    return 0;
}

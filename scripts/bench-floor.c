/* SPDX-License-Identifier: EUPL-1.2
 *
 * bench-floor: the least work an ingest must do, done in plain C, to show what this machine allows.
 * Not part of Sluitsteen; `make bench` builds and runs it on the same mbox as the ingest benchmark.
 *
 * Issue 2's design (one store file per message), work per message on N threads (messages dealt round-robin):
 *   parse  - GMime parses the message (as Sluitsteen did then: whole MIME tree, subject decoded, parts walked);
 *   store  - SHA-256 of the bytes, and one new file named by it (O_CREAT|O_EXCL, write, close);
 *   both   - the two together (no catalog, no index, no provenance: a floor, not an ingest).
 * `both` and `store` end with syncfs(), as an ingest must put the bytes on disk before the catalog lists them.
 *
 * Issue 17's design (pack files, capture first and parse later):
 *   pack   - two phases, each timed:
 *            front: on N threads, SHA-256 of every message and a GMime parse of its header block only (Message-ID,
 *                   Date, Subject, From, To, Cc);
 *            back:  on one thread, as SQLite allows one writer, in batches of 4,096 messages: each new message's
 *                   bytes appended to one pack file, fdatasync of the pack, then one transaction with a row per
 *                   message (its SHA-256 and those header fields) and a map row (SHA-256 -> offset, length), both
 *                   keyed by the SHA-256 in hexadecimal, in WAL mode with synchronous=NORMAL, as the catalog is.
 *            It records less than an ingest must (no copy row with the message's mailbox, folder and place in its
 *            export, no audit), so an ingest can be no faster than the slower of the two phases.
 *
 * Messages are cut at "\nFrom " lines before the clock starts (cutting is not timed); for a floor the exact mboxrd
 * rule does not matter.
 *
 * Usage: bench-floor parse|store|both|pack THREADS MBOX STOREDIR
 * Prints "<mode> <threads> <seconds> <messages>"; pack adds "<front seconds> <back seconds> <SQLite's part of back>"
 * (seconds = front + back; the rest of back is writing the pack and its fdatasync).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sqlite3.h>
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
static int do_parse, do_store, do_pack;

/* What the front phase of `pack` keeps of a message for the back phase. */
struct header_fields {
    char sha256[65];
    char *message_id, *subject, *sender, *recipients;
    long long date;
};
static struct header_fields *fields;
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

/* Writes all `length` bytes to `fd` (again after EINTR); exits naming `what` on any other error. */
static void write_all(int fd, const char *bytes, size_t length, const char *what) {
    size_t done = 0;
    while (done < length) {
        ssize_t w = write(fd, bytes + done, length - done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { perror(what); exit(1); }
        done += (size_t)w;
    }
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
    write_all(fd, bytes, length, path);
    if (close(fd) != 0) { perror(path); exit(1); }
}

static char *copy_or_empty(const char *text) { return strdup(text != NULL ? text : ""); }

/* The addresses of one header field, as Sluitsteen reads them (each mailbox's address, no name, no IDN
 * conversion), one per line, appended to `out` of `size` bytes at `*used`. */
static void addresses(GMimeMessage *message, GMimeAddressType type, char *out, size_t size, size_t *used) {
    InternetAddressList *list = g_mime_message_get_addresses(message, type);
    int count = list != NULL ? internet_address_list_length(list) : 0;
    for (int i = 0; i < count; i++) {
        InternetAddress *address = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
        int n = snprintf(out + *used, size - *used, "%s\n", addr != NULL ? addr : "");
        if (n > 0) *used = *used + (size_t)n < size ? *used + (size_t)n : size - 1;
    }
}

/* Where the header block of a message ends (after its empty line), or its length if it has none. */
static size_t header_end(const char *bytes, size_t length) {
    const char *p = bytes, *end = bytes + length;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        p++;
        if (p < end && *p == '\n') return (size_t)(p - bytes) + 1;
        if (p + 1 < end && p[0] == '\r' && p[1] == '\n') return (size_t)(p - bytes) + 2;
    }
    return length;
}

/* The front phase of `pack` for one message: its SHA-256 and its header block read by GMime. */
static void front_one(size_t index, const char *bytes, size_t length) {
    struct header_fields *f = &fields[index];
    unsigned char digest[32];
    unsigned int digest_length = 0;
    EVP_Digest(bytes, length, digest, &digest_length, EVP_sha256(), NULL);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        f->sha256[2 * i] = hex[digest[i] >> 4];
        f->sha256[2 * i + 1] = hex[digest[i] & 15];
    }
    f->sha256[64] = 0;
    size_t header = header_end(bytes, length);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(bytes, header);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
    f->date = 0;
    if (message != NULL) {
        f->message_id = copy_or_empty(g_mime_message_get_message_id(message));
        f->subject = copy_or_empty(g_mime_message_get_subject(message));
        GDateTime *date = g_mime_message_get_date(message);
        if (date != NULL) f->date = g_date_time_to_unix(date);
        char buffer[8192];
        size_t used = 0;
        buffer[0] = 0;
        addresses(message, GMIME_ADDRESS_TYPE_FROM, buffer, sizeof buffer, &used);
        f->sender = strdup(buffer);
        used = 0;
        buffer[0] = 0;
        addresses(message, GMIME_ADDRESS_TYPE_TO, buffer, sizeof buffer, &used);
        addresses(message, GMIME_ADDRESS_TYPE_CC, buffer, sizeof buffer, &used);
        f->recipients = strdup(buffer);
        g_object_unref(message);
    } else {
        f->message_id = strdup("");
        f->subject = strdup("");
        f->sender = strdup("");
        f->recipients = strdup("");
    }
    g_object_unref(parser);
    g_object_unref(stream);
}

static void sql(sqlite3 *db, const char *statement) {
    char *error = NULL;
    if (sqlite3_exec(db, statement, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "bench-floor: %s: %s\n", statement, error != NULL ? error : "?");
        exit(1);
    }
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *statement) {
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, statement, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench-floor: %s: %s\n", statement, sqlite3_errmsg(db));
        exit(1);
    }
    return s;
}

static void step(sqlite3 *db, sqlite3_stmt *s) {
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) { fprintf(stderr, "bench-floor: insert: %s\n", sqlite3_errmsg(db)); exit(1); }
    sqlite3_reset(s);
}

static double since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The back phase of `pack`: pack file, fdatasync and catalog rows, in batches, on the calling thread. Returns the
 * seconds spent writing the pack and making it durable (the rest of the phase is SQLite's). */
static double back(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s/pack-1", store_dir);
    int pack = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (pack < 0) { perror(path); exit(1); }
    snprintf(path, sizeof path, "%s/catalog.sqlite", store_dir);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) { fprintf(stderr, "bench-floor: %s: cannot open\n", path); exit(1); }
    sql(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
            "CREATE TABLE message (sha256 TEXT PRIMARY KEY NOT NULL, messageId TEXT NOT NULL, dateEpoch INTEGER,"
            " subject TEXT NOT NULL, sender TEXT NOT NULL, recipients TEXT NOT NULL);"
            "CREATE TABLE packEntry (sha256 TEXT NOT NULL PRIMARY KEY, offset INTEGER NOT NULL,"
            " length INTEGER NOT NULL) WITHOUT ROWID;");
    sqlite3_stmt *map = prepare(db, "INSERT OR IGNORE INTO packEntry (sha256, offset, length) VALUES (?, ?, ?)");
    sqlite3_stmt *row = prepare(db, "INSERT OR IGNORE INTO message (sha256, messageId, dateEpoch, subject, sender,"
                                    " recipients) VALUES (?, ?, ?, ?, ?, ?)");
    long long offset = 0;
    double writing = 0;
    struct timespec t0;
    for (size_t first = 0; first < span_count; first += 4096) {
        size_t last = first + 4096 < span_count ? first + 4096 : span_count;
        sql(db, "BEGIN");
        for (size_t i = first; i < last; i++) {
            struct header_fields *f = &fields[i];
            sqlite3_bind_text(map, 1, f->sha256, 64, SQLITE_STATIC);
            sqlite3_bind_int64(map, 2, offset);
            sqlite3_bind_int64(map, 3, (long long)spans[i].length);
            step(db, map);
            if (sqlite3_changes(db) == 1) {
                clock_gettime(CLOCK_MONOTONIC, &t0);
                write_all(pack, data + spans[i].offset, spans[i].length, "pack");
                offset += (long long)spans[i].length;
                writing += since(&t0);
            }
            sqlite3_bind_text(row, 1, f->sha256, 64, SQLITE_STATIC);
            sqlite3_bind_text(row, 2, f->message_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(row, 3, f->date);
            sqlite3_bind_text(row, 4, f->subject, -1, SQLITE_STATIC);
            sqlite3_bind_text(row, 5, f->sender, -1, SQLITE_STATIC);
            sqlite3_bind_text(row, 6, f->recipients, -1, SQLITE_STATIC);
            step(db, row);
        }
        /* The batch's bytes are durable before the catalog lists them. */
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (fdatasync(pack) != 0) { perror("fdatasync"); exit(1); }
        writing += since(&t0);
        sql(db, "COMMIT");
    }
    sqlite3_finalize(map);
    sqlite3_finalize(row);
    if (sqlite3_close(db) != SQLITE_OK || close(pack) != 0) { fprintf(stderr, "bench-floor: closing failed\n"); exit(1); }
    return writing;
}

static void *work(void *arg) {
    size_t index = (size_t)arg;
    for (size_t i = index; i < span_count; i += (size_t)threads) {
        const char *bytes = data + spans[i].offset;
        if (do_parse) parse_one(bytes, spans[i].length);
        if (do_store) store_one(bytes, spans[i].length);
        if (do_pack) front_one(i, bytes, spans[i].length);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: bench-floor parse|store|both|pack THREADS MBOX STOREDIR\n");
        return 2;
    }
    do_parse = strcmp(argv[1], "parse") == 0 || strcmp(argv[1], "both") == 0;
    do_store = strcmp(argv[1], "store") == 0 || strcmp(argv[1], "both") == 0;
    do_pack = strcmp(argv[1], "pack") == 0;
    threads = atoi(argv[2]);
    store_dir = argv[4];
    if ((!do_parse && !do_store && !do_pack) || threads < 1) {
        fprintf(stderr, "bench-floor: mode must be parse, store, both or pack, and THREADS at least 1\n");
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
    if (do_pack) {
        fields = calloc(span_count, sizeof *fields);
        if (fields == NULL) { perror("calloc"); return 1; }
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
    double seconds = since(&t0);
    if (do_pack) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double writing = back();
        double back_seconds = since(&t1);
        printf("pack %d %.2f %zu %.2f %.2f %.2f\n", threads, seconds + back_seconds, span_count, seconds, back_seconds,
               back_seconds - writing);
    } else {
        printf("%s %d %.2f %zu\n", argv[1], threads, seconds, span_count);
    }
    g_mime_shutdown();
    return 0;
}

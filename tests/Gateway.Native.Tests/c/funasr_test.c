/*
 * C test of libfunasr (funasr.h), driven by tests/Gateway.Native.Tests against the FunASR simulator.
 *
 *   funasr_test api        <ws_url> <pcm_path> <wav_path> <expected_text>
 *   funasr_test concurrent <ws_url> <pcm_path> <expected_text> <threads> <calls_per_thread>
 *   funasr_test errors     <ws_url> <unreachable_ws_url> <pcm_path>
 *   funasr_test fault      <ws_url> <pcm_path> <expected_code> [option=value ...]
 *   funasr_test tls        <wss_url> <pcm_path> <expected_text> <sha256_thumbprint>
 *   funasr_test evict      <ws_url> <pcm_path> <expected_text>   (prints "idle", waits for a line on stdin)
 *
 * Prints one line per check ("ok ..." / "FAIL ...") and exits 1 when any check failed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funasr.h"

static int failures = 0;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (cond) {                                        \
            printf("ok   ");                               \
        } else {                                           \
            printf("FAIL %s:%d ", __FILE__, __LINE__);     \
            failures++;                                    \
        }                                                  \
        printf(__VA_ARGS__);                               \
        printf("\n");                                      \
        fflush(stdout);                                    \
    } while (0)

static uint8_t* read_file(const char* path, uint32_t* len) {
    FILE* f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t* data = malloc((size_t)n);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    fclose(f);
    *len = (uint32_t)n;
    return data;
}

/* Calls funasr_pcm and checks the text; returns 1 when it matched. */
static int expect_text(const char* label, const uint8_t* pcm, uint32_t len, const char* url, const char* expected) {
    const char* text = funasr_pcm(pcm, len, url);
    uint32_t err = funasr_last_error();
    int ok = text != NULL && err == FUNASR_OK && strcmp(text, expected) == 0;
    CHECK(ok, "%s: text '%s' (expected '%s'), last_error %u", label, text ? text : "(null)", expected, err);
    funasr_free(text);
    return ok;
}

static void expect_null(const char* label, const char* result, uint32_t code) {
    uint32_t err = funasr_last_error();
    CHECK(result == NULL && err == code, "%s: %s, last_error %u (expected NULL, %u)", label, result ? result : "NULL", err, code);
    funasr_free(result);
}

static int api(int argc, char** argv) {
    if (argc < 6) return 2;
    const char *url = argv[2], *pcm_path = argv[3], *wav_path = argv[4], *expected = argv[5];
    uint32_t len;
    uint8_t* pcm = read_file(pcm_path, &len);
    funasr_metrics_t m;
    funasr_profile_t p;

    funasr_get_metrics(&m);
    CHECK(m.total_requests == 0 && funasr_last_error() == FUNASR_OK, "metrics before init are zero");
    CHECK(funasr_set_option(FUNASR_OPT_MAX_CONNECTIONS, "8") == 0 && funasr_last_error() == FUNASR_OK, "set_option before init");
    expect_text("funasr_pcm without funasr_init initialises (as the DLL)", pcm, len, url, expected);
    CHECK(funasr_init() == 0 && funasr_last_error() == FUNASR_OK, "init");
    CHECK(funasr_init() == 0, "init again is harmless");

    int warmed = funasr_warmup(url, 3);
    CHECK(warmed == 2 && funasr_last_error() == FUNASR_OK, "warmup(3) with 1 idle warms %d", warmed);
    warmed = funasr_warmup(url, 3);
    CHECK(warmed == 0 && funasr_last_error() == FUNASR_OK, "warmup(3) again warms %d", warmed);
    warmed = funasr_warmup(url, 100);
    CHECK(warmed == 5 && funasr_last_error() == FUNASR_OK, "warmup(100) is capped at pool.max_connections=8: warms %d", warmed);

    expect_text("funasr_pcm", pcm, len, url, expected);
    const char* text = funasr_pcm_file(pcm_path, url);
    CHECK(text && funasr_last_error() == FUNASR_OK && strcmp(text, expected) == 0, "funasr_pcm_file raw: '%s'", text ? text : "(null)");
    funasr_free(text);
    text = funasr_pcm_file(wav_path, url);
    CHECK(text && funasr_last_error() == FUNASR_OK && strcmp(text, expected) == 0, "funasr_pcm_file wav: '%s'", text ? text : "(null)");
    funasr_free(text);
    funasr_free(NULL);
    char foreign[] = "hello";
    funasr_free(foreign);
    CHECK(1, "funasr_free(NULL) and of a pointer it never returned are no-ops");

    memset(&m, 0xff, sizeof m);
    funasr_get_metrics(&m);
    CHECK(m.total_requests == 4 && m.total_success == 4 && m.total_fail == 0 && m.total_timeout == 0,
          "metrics requests %llu success %llu fail %llu timeout %llu", (unsigned long long)m.total_requests,
          (unsigned long long)m.total_success, (unsigned long long)m.total_fail, (unsigned long long)m.total_timeout);
    CHECK(m.pool_new_connects == 8 && m.pool_reuse_hits == 3, "pool: %llu new connects (1 + the warm-up), %llu reuse hits",
          (unsigned long long)m.pool_new_connects, (unsigned long long)m.pool_reuse_hits);

    memset(&p, 0, sizeof p);
    funasr_get_profile(&p);
    CHECK(p.calls == 4 && p.us_total > 0 && p.us_pool_acquire > 0 && p.us_connect > 0 && p.us_send_config > 0 &&
          p.us_send_audio > 0 && p.us_send_eos > 0 && p.us_recv_frame > 0 && p.us_json_parse > 0,
          "profile: %llu calls, us total %llu acquire %llu connect %llu config %llu audio %llu eos %llu recv %llu parse %llu",
          (unsigned long long)p.calls, (unsigned long long)p.us_total, (unsigned long long)p.us_pool_acquire,
          (unsigned long long)p.us_connect, (unsigned long long)p.us_send_config, (unsigned long long)p.us_send_audio,
          (unsigned long long)p.us_send_eos, (unsigned long long)p.us_recv_frame, (unsigned long long)p.us_json_parse);
    CHECK(p.us_total >= p.us_recv_frame, "the calls' total covers their wait for the final");

    funasr_cleanup();
    CHECK(funasr_last_error() == FUNASR_OK, "cleanup");
    funasr_get_metrics(&m);
    CHECK(m.total_requests == 0 && m.pool_new_connects == 0, "metrics after cleanup are zero");

    CHECK(funasr_init() == 0, "init after cleanup");
    expect_text("funasr_pcm after re-init", pcm, len, url, expected);
    funasr_get_metrics(&m);
    CHECK(m.total_requests == 1 && m.total_success == 1 && m.pool_new_connects == 1 && m.pool_reuse_hits == 0,
          "counters restarted and the old pool is gone: requests %llu, new connects %llu, reuse %llu",
          (unsigned long long)m.total_requests, (unsigned long long)m.pool_new_connects, (unsigned long long)m.pool_reuse_hits);

    CHECK(funasr_live_strings() == 0, "every returned string was freed: %llu live", (unsigned long long)funasr_live_strings());
    text = funasr_pcm(pcm, len, url);
    CHECK(funasr_live_strings() == 1, "a returned string is the caller's until funasr_free: %llu live", (unsigned long long)funasr_live_strings());
    funasr_free(text);
    funasr_free(text == NULL ? NULL : foreign);
    CHECK(funasr_live_strings() == 0, "funasr_free released it");
    uint64_t allocated = funasr_allocated_bytes();
    CHECK(allocated > 0, "funasr_allocated_bytes %llu", (unsigned long long)allocated);
    funasr_cleanup();
    free(pcm);
    return failures ? 1 : 0;
}

typedef struct {
    const char* url;
    const uint8_t* pcm;
    uint32_t len;
    const char* expected;
    int calls;
    int good;
} worker_t;

static void* worker(void* arg) {
    worker_t* w = arg;
    for (int i = 0; i < w->calls; i++) {
        const char* text = funasr_pcm(w->pcm, w->len, w->url);
        if (text && funasr_last_error() == FUNASR_OK && strcmp(text, w->expected) == 0) w->good++;
        else fprintf(stderr, "thread call %d: '%s' error %u\n", i, text ? text : "(null)", funasr_last_error());
        funasr_free(text);
    }
    return NULL;
}

static int concurrent(int argc, char** argv) {
    if (argc < 7) return 2;
    const char *url = argv[2], *expected = argv[4];
    int threads = atoi(argv[5]), calls = atoi(argv[6]);
    uint32_t len;
    uint8_t* pcm = read_file(argv[3], &len);
    funasr_init();
    pthread_t* ids = calloc((size_t)threads, sizeof *ids);
    worker_t* ws = calloc((size_t)threads, sizeof *ws);
    for (int i = 0; i < threads; i++) {
        ws[i] = (worker_t){ url, pcm, len, expected, calls, 0 };
        pthread_create(&ids[i], NULL, worker, &ws[i]);
    }
    int good = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        good += ws[i].good;
    }
    CHECK(good == threads * calls, "%d threads x %d calls: %d right texts", threads, calls, good);
    funasr_metrics_t m;
    funasr_get_metrics(&m);
    unsigned long long n = (unsigned long long)threads * (unsigned long long)calls;
    CHECK(m.total_requests == n && m.total_success == n && m.total_fail == 0, "metrics: %llu requests, %llu success",
          (unsigned long long)m.total_requests, (unsigned long long)m.total_success);
    CHECK(funasr_live_strings() == 0, "no string left unfreed");
    CHECK(m.pool_new_connects <= (unsigned long long)threads && m.pool_new_connects + m.pool_reuse_hits == n,
          "pool: %llu new connects (<= %d threads), %llu reuse hits", (unsigned long long)m.pool_new_connects, threads,
          (unsigned long long)m.pool_reuse_hits);
    funasr_cleanup();
    free(ids);
    free(ws);
    free(pcm);
    return failures ? 1 : 0;
}

static void* other_thread_error(void* arg) {
    (void)arg;
    return (void*)(uintptr_t)funasr_last_error();
}

static int errors(int argc, char** argv) {
    if (argc < 5) return 2;
    const char *url = argv[2], *unreachable = argv[3];
    uint32_t len;
    uint8_t* pcm = read_file(argv[4], &len);
    funasr_init();

    expect_null("NULL pcm_data", funasr_pcm(NULL, len, url), FUNASR_ERR_NULL_ARGUMENT);
    expect_null("NULL ws_url", funasr_pcm(pcm, len, NULL), FUNASR_ERR_NULL_ARGUMENT);
    expect_null("NULL pcm_path", funasr_pcm_file(NULL, url), FUNASR_ERR_NULL_ARGUMENT);
    expect_null("NULL ws_url (file)", funasr_pcm_file("x.pcm", NULL), FUNASR_ERR_NULL_ARGUMENT);
    CHECK(funasr_warmup(NULL, 1) == -1 && funasr_last_error() == FUNASR_ERR_NULL_ARGUMENT, "warmup NULL url");
    CHECK(funasr_set_option(NULL, "1") == -1 && funasr_last_error() == FUNASR_ERR_NULL_ARGUMENT, "set_option NULL key");
    CHECK(funasr_set_option(FUNASR_OPT_ITN, NULL) == -1 && funasr_last_error() == FUNASR_ERR_NULL_ARGUMENT, "set_option NULL value");
    funasr_get_metrics(NULL);
    CHECK(funasr_last_error() == FUNASR_ERR_NULL_ARGUMENT, "get_metrics(NULL)");
    funasr_get_profile(NULL);
    CHECK(funasr_last_error() == FUNASR_ERR_NULL_ARGUMENT, "get_profile(NULL)");

    pthread_t t;
    void* other;
    pthread_create(&t, NULL, other_thread_error, NULL);
    pthread_join(t, &other);
    CHECK((uintptr_t)other == FUNASR_OK && funasr_last_error() == FUNASR_ERR_NULL_ARGUMENT,
          "last_error is thread-local (other thread %u, this %u)", (unsigned)(uintptr_t)other, funasr_last_error());

    expect_null("http:// URL", funasr_pcm(pcm, len, "http://127.0.0.1/"), FUNASR_ERR_BAD_URL);
    expect_null("not a URL", funasr_pcm(pcm, len, "not a url"), FUNASR_ERR_BAD_URL);
    expect_null("empty URL", funasr_pcm(pcm, len, ""), FUNASR_ERR_BAD_URL);
    CHECK(funasr_warmup("tcp://x", 1) == -1 && funasr_last_error() == FUNASR_ERR_BAD_URL, "warmup bad URL");

    expect_null("empty PCM", funasr_pcm(pcm, 0, url), FUNASR_ERR_EMPTY_AUDIO);
    expect_null("empty PCM as (NULL, 0)", funasr_pcm(NULL, 0, url), FUNASR_ERR_EMPTY_AUDIO);
    expect_null("odd PCM length", funasr_pcm(pcm, 3, url), FUNASR_ERR_BAD_AUDIO);
    expect_null("missing file", funasr_pcm_file("/nonexistent/funasr/x.pcm", url), FUNASR_ERR_FILE);

    CHECK(funasr_set_option("no.such.option", "1") == -1 && funasr_last_error() == FUNASR_ERR_BAD_OPTION, "unknown option");
    CHECK(funasr_set_option(FUNASR_OPT_FLAVOUR, "kaldi") == -1 && funasr_last_error() == FUNASR_ERR_BAD_OPTION, "bad flavour");
    CHECK(funasr_set_option(FUNASR_OPT_CONNECT_TIMEOUT_MS, "-5") == -1 && funasr_last_error() == FUNASR_ERR_BAD_OPTION, "negative timeout");
    CHECK(funasr_set_option(FUNASR_OPT_TLS_PINNED, "abc") == -1 && funasr_last_error() == FUNASR_ERR_BAD_OPTION, "bad thumbprint");
    CHECK(funasr_set_option(FUNASR_OPT_MAX_CONNECTIONS, "0") == -1 && funasr_last_error() == FUNASR_ERR_BAD_OPTION, "zero connections");

    expect_null("unreachable URL", funasr_pcm(pcm, len, unreachable), FUNASR_ERR_CONNECT_FAILED);
    CHECK(funasr_warmup(unreachable, 2) == 0 && funasr_last_error() == FUNASR_ERR_CONNECT_FAILED, "warmup of an unreachable URL warms 0");

    funasr_metrics_t m;
    funasr_get_metrics(&m);
    CHECK(m.total_requests == 1 && m.total_fail == 1 && m.total_success == 0,
          "only the unreachable request reached the pool: requests %llu fail %llu", (unsigned long long)m.total_requests,
          (unsigned long long)m.total_fail);
    funasr_cleanup();
    free(pcm);
    return failures ? 1 : 0;
}

/* One request that the test's fault injection makes fail with expected_code, then one that succeeds. */
static int fault(int argc, char** argv) {
    if (argc < 5) return 2;
    const char* url = argv[2];
    uint32_t expected_code = (uint32_t)atoi(argv[4]);
    for (int i = 5; i < argc; i++) {
        char* eq = strchr(argv[i], '=');
        if (!eq) return 2;
        *eq = 0;
        CHECK(funasr_set_option(argv[i], eq + 1) == 0, "set_option %s=%s", argv[i], eq + 1);
    }
    uint32_t len;
    uint8_t* pcm = read_file(argv[3], &len);
    funasr_init();
    expect_null("faulted request", funasr_pcm(pcm, len, url), expected_code);
    const char* text = funasr_pcm(pcm, len, url);
    CHECK(text != NULL && funasr_last_error() == FUNASR_OK, "next request succeeds on a new connection: '%s'", text ? text : "(null)");
    funasr_free(text);
    funasr_metrics_t m;
    funasr_get_metrics(&m);
    int is_timeout = expected_code == FUNASR_ERR_RESULT_TIMEOUT || expected_code == FUNASR_ERR_CONNECT_TIMEOUT;
    CHECK(m.total_requests == 2 && m.total_fail == 1 && m.total_success == 1 && m.total_timeout == (uint64_t)is_timeout,
          "metrics: requests %llu fail %llu timeout %llu", (unsigned long long)m.total_requests,
          (unsigned long long)m.total_fail, (unsigned long long)m.total_timeout);
    funasr_cleanup();
    free(pcm);
    return failures ? 1 : 0;
}

static int tls(int argc, char** argv) {
    if (argc < 6) return 2;
    const char *url = argv[2], *expected = argv[4], *pin = argv[5];
    uint32_t len;
    uint8_t* pcm = read_file(argv[3], &len);
    funasr_init();
    expect_null("self-signed certificate, no trust option", funasr_pcm(pcm, len, url), FUNASR_ERR_TLS_REJECTED);
    funasr_cleanup();
    CHECK(funasr_set_option(FUNASR_OPT_TLS_PINNED, pin) == 0, "pin the simulator's SHA-256");
    funasr_init();
    expect_text("pinned wss://", pcm, len, url, expected);
    funasr_cleanup();
    CHECK(funasr_set_option(FUNASR_OPT_TLS_PINNED, "") == 0 && funasr_set_option(FUNASR_OPT_TLS_ACCEPT_ANY, "1") == 0, "accept any instead");
    funasr_init();
    expect_text("accept-any wss://", pcm, len, url, expected);
    funasr_cleanup();
    free(pcm);
    return failures ? 1 : 0;
}

/* pool.idle_evict_ms reaches the pool: the idle connection is closed (the test waits for the server to see it). */
static int evict(int argc, char** argv) {
    if (argc < 5) return 2;
    const char *url = argv[2], *expected = argv[4];
    uint32_t len;
    uint8_t* pcm = read_file(argv[3], &len);
    CHECK(funasr_set_option(FUNASR_OPT_IDLE_EVICT_MS, "1000") == 0, "pool.idle_evict_ms=1000");
    funasr_init();
    expect_text("first request", pcm, len, url, expected);
    printf("idle\n");
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof line, stdin)) return 2;
    expect_text("request after eviction", pcm, len, url, expected);
    funasr_metrics_t m;
    funasr_get_metrics(&m);
    CHECK(m.pool_new_connects == 2 && m.pool_reuse_hits == 0, "the evicted connection was not reused: %llu new, %llu reused",
          (unsigned long long)m.pool_new_connects, (unsigned long long)m.pool_reuse_hits);
    funasr_cleanup();
    free(pcm);
    return failures ? 1 : 0;
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    int rc = 2;
    if (!strcmp(argv[1], "api")) rc = api(argc, argv);
    else if (!strcmp(argv[1], "concurrent")) rc = concurrent(argc, argv);
    else if (!strcmp(argv[1], "errors")) rc = errors(argc, argv);
    else if (!strcmp(argv[1], "fault")) rc = fault(argc, argv);
    else if (!strcmp(argv[1], "tls")) rc = tls(argc, argv);
    else if (!strcmp(argv[1], "evict")) rc = evict(argc, argv);
    printf("%d failed\n", failures);
    return rc;
}

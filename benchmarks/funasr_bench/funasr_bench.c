/*
 * funasr_bench: waves of concurrent funasr_pcm calls through libfunasr, printing what the FunASR DLL's test
 * program prints (wall time, QPS, P95, P99, fail and timeout rates, pool reuse rate, per-phase profile means) plus
 * the wave spread (standard deviation and range of the per-round times) and the client's CPU time per request.
 *
 *   funasr_bench <pcm_file> <ws_url> <concurrency> <rounds> [option=value ...]
 *
 * Options are passed to funasr_set_option (e.g. mode=2pass, flavour=funasr-python, tls.accept_any=1).
 * Build: gcc -O2 -pthread -I <dir of funasr.h> funasr_bench.c -o funasr_bench -L <dir> -lfunasr -Wl,-rpath,<dir> -lm
 * Each round starts <concurrency> threads' requests together and waits for all of them. One untimed round runs
 * first (after funasr_warmup(url, concurrency)), as benchmarks/Gateway.Wave does for the managed library.
 * Exit code: 0 when no request failed.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "funasr.h"

typedef struct {
    const uint8_t* pcm;
    uint32_t len;
    const char* url;
    int rounds;
    double* latency_ms; /* [round] */
    int* ok;            /* [round] */
} worker_t;

static pthread_barrier_t start_barrier, end_barrier;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_us(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

static void* worker(void* arg) {
    worker_t* w = arg;
    for (int r = 0; r <= w->rounds; r++) { /* round 0 is the untimed one */
        pthread_barrier_wait(&start_barrier);
        double t0 = now_ms();
        const char* text = funasr_pcm(w->pcm, w->len, w->url);
        w->latency_ms[r] = now_ms() - t0;
        w->ok[r] = text != NULL;
        funasr_free(text);
        pthread_barrier_wait(&end_barrier);
    }
    return NULL;
}

static int by_value(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static double percentile(const double* sorted, int n, double q) {
    if (n == 0) return 0;
    int i = (int)ceil(q * n) - 1;
    return sorted[i < 0 ? 0 : (i >= n ? n - 1 : i)];
}

/* Skips a RIFF/WAVE header to its "data" chunk; raw PCM is used as it is. */
static uint8_t* read_pcm(const char* path, uint32_t* len) {
    FILE* f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t* data = malloc((size_t)n);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    fclose(f);
    long at = 0, end = n;
    if (n >= 12 && !memcmp(data, "RIFF", 4) && !memcmp(data + 8, "WAVE", 4)) {
        for (at = 12; at + 8 <= n;) {
            uint32_t size = data[at + 4] | data[at + 5] << 8 | data[at + 6] << 16 | (uint32_t)data[at + 7] << 24;
            if (!memcmp(data + at, "data", 4)) { end = at + 8 + (long)size > n ? n : at + 8 + (long)size; at += 8; break; }
            at += 8 + (long)size + (size & 1);
        }
    }
    memmove(data, data + at, (size_t)(end - at));
    *len = (uint32_t)(end - at);
    return data;
}

int main(int argc, char** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: funasr_bench <pcm_file> <ws_url> <concurrency> <rounds> [option=value ...]\n");
        return 2;
    }
    const char* url = argv[2];
    int concurrency = atoi(argv[3]), rounds = atoi(argv[4]);
    if (concurrency <= 0 || rounds <= 0) { fprintf(stderr, "concurrency and rounds must be positive\n"); return 2; }
    uint32_t len;
    uint8_t* pcm = read_pcm(argv[1], &len);

    char max_connections[16];
    snprintf(max_connections, sizeof max_connections, "%d", concurrency);
    funasr_set_option(FUNASR_OPT_MAX_CONNECTIONS, max_connections);
    for (int i = 5; i < argc; i++) {
        char* eq = strchr(argv[i], '=');
        if (!eq) { fprintf(stderr, "option '%s' is not key=value\n", argv[i]); return 2; }
        *eq = 0;
        if (funasr_set_option(argv[i], eq + 1) != 0) { fprintf(stderr, "option %s=%s refused (error %u)\n", argv[i], eq + 1, funasr_last_error()); return 2; }
    }
    funasr_init();
    int warmed = funasr_warmup(url, (uint32_t)concurrency);

    pthread_barrier_init(&start_barrier, NULL, (unsigned)concurrency + 1);
    pthread_barrier_init(&end_barrier, NULL, (unsigned)concurrency + 1);
    worker_t* ws = calloc((size_t)concurrency, sizeof *ws);
    pthread_t* ids = calloc((size_t)concurrency, sizeof *ids);
    for (int i = 0; i < concurrency; i++) {
        ws[i] = (worker_t){ pcm, len, url, rounds, calloc((size_t)rounds + 1, sizeof(double)), calloc((size_t)rounds + 1, sizeof(int)) };
        pthread_create(&ids[i], NULL, worker, &ws[i]);
    }

    /* untimed round 0 */
    pthread_barrier_wait(&start_barrier);
    pthread_barrier_wait(&end_barrier);

    funasr_metrics_t m0, m1;
    funasr_profile_t p0, p1;
    funasr_get_metrics(&m0);
    funasr_get_profile(&p0);
    double cpu0 = cpu_us();
    uint64_t alloc0 = funasr_allocated_bytes();
    double* round_ms = calloc((size_t)rounds, sizeof(double));
    double wall0 = now_ms();
    for (int r = 1; r <= rounds; r++) {
        double t0 = now_ms();
        pthread_barrier_wait(&start_barrier);
        pthread_barrier_wait(&end_barrier);
        round_ms[r - 1] = now_ms() - t0;
    }
    double wall = now_ms() - wall0;
    double cpu = cpu_us() - cpu0;
    uint64_t allocated = funasr_allocated_bytes() - alloc0;
    funasr_get_metrics(&m1);
    funasr_get_profile(&p1);
    for (int i = 0; i < concurrency; i++) pthread_join(ids[i], NULL);

    int total = concurrency * rounds, good = 0;
    double* lat = calloc((size_t)total, sizeof(double));
    for (int i = 0; i < concurrency; i++)
        for (int r = 1; r <= rounds; r++)
            if (ws[i].ok[r]) lat[good++] = ws[i].latency_ms[r];
    qsort(lat, (size_t)good, sizeof(double), by_value);

    double mean = 0, sq = 0, lo = round_ms[0], hi = round_ms[0];
    for (int r = 0; r < rounds; r++) {
        mean += round_ms[r] / rounds;
        lo = round_ms[r] < lo ? round_ms[r] : lo;
        hi = round_ms[r] > hi ? round_ms[r] : hi;
    }
    for (int r = 0; r < rounds; r++) sq += (round_ms[r] - mean) * (round_ms[r] - mean);
    double std = rounds > 1 ? sqrt(sq / (rounds - 1)) : 0;

    uint64_t requests = m1.total_requests - m0.total_requests;
    uint64_t reuse = m1.pool_reuse_hits - m0.pool_reuse_hits, connects = m1.pool_new_connects - m0.pool_new_connects;
    uint64_t calls = p1.calls - p0.calls;
    double per = calls ? 1.0 / (double)calls : 0;
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);

    printf("funasr_bench: %d concurrent x %d rounds, %u bytes PCM (%.2f s), %s (warm-up opened %d)\n", concurrency, rounds, len,
           len / 32000.0, url, warmed);
    printf("wall time        %.1f ms\n", wall);
    printf("QPS              %.1f\n", total / (wall / 1e3));
    printf("latency ms       P50 %.2f  P95 %.2f  P99 %.2f  max %.2f\n", percentile(lat, good, 0.50), percentile(lat, good, 0.95),
           percentile(lat, good, 0.99), good ? lat[good - 1] : 0);
    printf("fail rate        %.2f %% (%d of %d)\n", 100.0 * (total - good) / total, total - good, total);
    printf("timeout rate     %.2f %%\n", requests ? 100.0 * (double)(m1.total_timeout - m0.total_timeout) / (double)requests : 0);
    printf("pool reuse rate  %.2f %% (%llu reused, %llu new connections)\n", reuse + connects ? 100.0 * (double)reuse / (double)(reuse + connects) : 0,
           (unsigned long long)reuse, (unsigned long long)connects);
    printf("wave spread      std %.1f ms, range %.1f ms (min %.1f, max %.1f, mean %.1f)\n", std, hi - lo, lo, hi, mean);
    printf("client CPU       %.0f us per request (user+sys of this process), peak RSS %ld KB\n", cpu / total, u.ru_maxrss);
    printf("allocated        %.0f managed bytes per request (inside the library)\n", (double)allocated / total);
    printf("profile means us total %.1f  acquire %.1f  connect %.1f  send_config %.1f  send_audio %.1f  send_eos %.1f  recv_frame %.1f  json_parse %.1f\n",
           (double)(p1.us_total - p0.us_total) * per, (double)(p1.us_pool_acquire - p0.us_pool_acquire) * per,
           (double)(p1.us_connect - p0.us_connect) * per, (double)(p1.us_send_config - p0.us_send_config) * per,
           (double)(p1.us_send_audio - p0.us_send_audio) * per, (double)(p1.us_send_eos - p0.us_send_eos) * per,
           (double)(p1.us_recv_frame - p0.us_recv_frame) * per, (double)(p1.us_json_parse - p0.us_json_parse) * per);

    funasr_cleanup();
    for (int i = 0; i < concurrency; i++) { free(ws[i].latency_ms); free(ws[i].ok); }
    free(ws); free(ids); free(lat); free(round_ms); free(pcm);
    return good == total ? 0 : 1;
}

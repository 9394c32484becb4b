/*
 * funasr.h: C API of libfunasr, a FunASR WebSocket client library (NativeAOT build of Gateway.Upstream).
 * Same names, signatures and ownership rules as the FunASR client DLL it replaces; docs/native.md is the manual.
 *
 * Audio:     16 kHz, mono, signed 16-bit little-endian PCM. funasr_pcm_file also takes a .wav of that format
 *            (its RIFF header is skipped).
 * Results:   the recognised text as plain UTF-8 (no JSON), NUL-terminated, allocated by the library; the caller
 *            frees it with funasr_free. A recognition with no words returns "" (not NULL).
 * Errors:    functions returning a pointer return NULL, functions returning int return -1; funasr_last_error()
 *            then gives a FUNASR_ERR_* code. It is thread-local and set by every call except funasr_last_error
 *            and funasr_free (to FUNASR_OK on success).
 * Threads:   every function may be called from any number of threads at once, except funasr_cleanup, which must
 *            not run while other calls are in flight (calls racing it fail with FUNASR_ERR_SHUT_DOWN).
 *            Connections are pooled per URL and reused; calls block the calling thread.
 */
#ifndef FUNASR_H
#define FUNASR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define FUNASR_API __declspec(dllimport)
#else
#define FUNASR_API
#endif

/* funasr_last_error() codes. The values never change. */
#define FUNASR_OK                      0u  /* the last call succeeded */
#define FUNASR_ERR_NULL_ARGUMENT       1u  /* a required pointer was NULL */
#define FUNASR_ERR_BAD_URL             2u  /* ws_url is not an absolute ws:// or wss:// URL with a host */
#define FUNASR_ERR_EMPTY_AUDIO         3u  /* pcm_len is 0, or the file holds no samples */
#define FUNASR_ERR_BAD_AUDIO           4u  /* odd byte count, or a .wav that is not 16 kHz mono PCM16 */
#define FUNASR_ERR_FILE                5u  /* the file could not be opened or read */
#define FUNASR_ERR_CONNECT_FAILED      6u  /* TCP connect refused or failed; from funasr_warmup: fewer connections than asked */
#define FUNASR_ERR_CONNECT_TIMEOUT     7u  /* TCP + TLS + WebSocket handshake exceeded timeout.connect_ms */
#define FUNASR_ERR_TLS_REJECTED        8u  /* the server certificate was not trusted (see the tls.* options) */
#define FUNASR_ERR_HANDSHAKE_FAILED    9u  /* the HTTP upgrade was refused (not 101) or malformed */
#define FUNASR_ERR_CONNECTION_LOST    10u  /* the connection dropped mid-utterance */
#define FUNASR_ERR_RESULT_TIMEOUT     11u  /* no final result within timeout.final_ms after the end of the audio */
#define FUNASR_ERR_PROTOCOL           12u  /* the server sent something FunASR never sends */
#define FUNASR_ERR_BUSY               13u  /* every pooled connection stayed busy for timeout.acquire_ms, or the queue was full */
#define FUNASR_ERR_UNAVAILABLE        14u  /* the server failed repeatedly; its circuit is open for a while */
#define FUNASR_ERR_SHUT_DOWN          15u  /* funasr_cleanup ran while the call was in flight */
#define FUNASR_ERR_BAD_OPTION         16u  /* funasr_set_option: unknown key or invalid value */
#define FUNASR_ERR_INTERNAL           17u  /* unexpected failure inside the library (a bug) */

/* funasr_set_option keys. Values are strings; booleans are "1"/"0" (or true/false, yes/no, on/off), times are
 * milliseconds. A URL's pool takes the options current when it is created (its first request or warm-up):
 * set them before, or call funasr_cleanup and funasr_init to apply them to URLs already used. */
#define FUNASR_OPT_FLAVOUR            "flavour"               /* "funasr-2pass" (default), "funasr-offline", "funasr-python" */
#define FUNASR_OPT_MODE               "mode"                  /* "offline" (default, as the DLL: sentences only), "2pass", "online" */
#define FUNASR_OPT_ITN                "itn"                   /* inverse text normalisation, default "1" */
#define FUNASR_OPT_TLS_PINNED         "tls.pinned_thumbprint" /* SHA-256 (64 hex) or SHA-1 (40 hex); "" clears. Trusts exactly that certificate */
#define FUNASR_OPT_TLS_ACCEPT_ANY     "tls.accept_any"        /* "1": trust any certificate (FunASR's self-signed one). Default "0" */
#define FUNASR_OPT_CONNECT_TIMEOUT_MS "timeout.connect_ms"    /* default 5000 */
#define FUNASR_OPT_ACQUIRE_TIMEOUT_MS "timeout.acquire_ms"    /* wait for a free pooled connection, default 10000 */
#define FUNASR_OPT_FINAL_TIMEOUT_MS   "timeout.final_ms"      /* end of audio -> final result, default 15000 */
#define FUNASR_OPT_UTTERANCE_TIMEOUT_MS "timeout.utterance_ms" /* whole request before the end of audio, default 600000 */
#define FUNASR_OPT_IDLE_PROBE_MS      "pool.idle_probe_ms"    /* ping a connection idle this long before reuse, default 30000 */
#define FUNASR_OPT_PROBE_TIMEOUT_MS   "pool.probe_timeout_ms" /* pong deadline, default 2000 */
#define FUNASR_OPT_IDLE_EVICT_MS      "pool.idle_evict_ms"    /* close idle connections beyond min_idle after, default 300000 */
#define FUNASR_OPT_MAX_CONNECTIONS    "pool.max_connections"  /* connections per URL at most, default 64 */
#define FUNASR_OPT_MIN_IDLE           "pool.min_idle"         /* idle connections kept per URL, default 0 */

/* Counters since funasr_init (zeros before it). total_requests counts calls that passed the argument checks;
 * total_timeout is the part of total_fail whose cause was a timeout (connect, acquire or final). */
typedef struct funasr_metrics_t {
    uint64_t total_requests;
    uint64_t total_success;
    uint64_t total_fail;
    uint64_t total_timeout;
    uint64_t pool_reuse_hits;   /* requests served by an already open connection */
    uint64_t pool_new_connects; /* connections opened (warm-up included) */
} funasr_metrics_t;

/* Cumulative microseconds since funasr_init over every URL, the DLL's layout: a mean is us_x / calls. */
typedef struct funasr_profile_t {
    uint64_t calls;           /* requests that reached the pool (= total_requests) */
    uint64_t us_total;        /* funasr_pcm calls, end to end */
    uint64_t us_pool_acquire; /* getting a connection: pool wait, probe, connect when none is idle */
    uint64_t us_connect;      /* new connections: TCP + TLS + WebSocket handshake (warm-up included) */
    uint64_t us_send_config;  /* framing the start-of-utterance message */
    uint64_t us_send_audio;   /* audio frames */
    uint64_t us_send_eos;     /* the last audio and the end-of-speech message */
    uint64_t us_recv_frame;   /* end of audio -> the server's final message (server decode time included) */
    uint64_t us_json_parse;   /* parsing server messages */
} funasr_profile_t;

/* 0. Idempotent. Like the DLL, a request or warm-up without it initialises the library itself. */
FUNASR_API int funasr_init(void);

/* Transcribes pcm_len bytes of 16 kHz mono PCM16LE. Returns the text (free with funasr_free) or NULL. */
FUNASR_API const char* funasr_pcm(const uint8_t* pcm_data, uint32_t pcm_len, const char* ws_url);

/* The same for a raw PCM16 file or a 16 kHz mono PCM16 .wav. */
FUNASR_API const char* funasr_pcm_file(const char* pcm_path, const char* ws_url);

/* Frees a string returned by this library. NULL is a no-op, and so is a pointer the library never returned (a
 * binding that passes back a copy of the text, such as koffi with 'str', frees the matching string this thread
 * received instead; see docs/native.md). */
FUNASR_API void funasr_free(const char* ptr);

/* The calling thread's FUNASR_ERR_* code of its last call. */
FUNASR_API uint32_t funasr_last_error(void);

FUNASR_API void funasr_get_metrics(funasr_metrics_t* out_metrics);

FUNASR_API void funasr_get_profile(funasr_profile_t* out_profile);

/* Opens connections to ws_url until target_idle are idle (capped at pool.max_connections) and keeps at least
 * that many idle from now on. Returns the number of connections newly warmed, or -1 (NULL or bad URL).
 * Ending with fewer idle than asked sets FUNASR_ERR_CONNECT_FAILED. */
FUNASR_API int funasr_warmup(const char* ws_url, uint32_t target_idle);

/* Closes every connection and resets the counters; options are kept. The library may be used again afterwards. */
FUNASR_API void funasr_cleanup(void);

/* Sets one FUNASR_OPT_* option. Returns 0, or -1 with FUNASR_ERR_BAD_OPTION / FUNASR_ERR_NULL_ARGUMENT. */
FUNASR_API int funasr_set_option(const char* key, const char* value);

/* Diagnostics beyond the DLL's API. */

/* Managed heap bytes the library allocated since it was loaded (all threads), for benchmarks. */
FUNASR_API uint64_t funasr_allocated_bytes(void);

/* Strings returned by funasr_pcm / funasr_pcm_file and not yet freed, for leak checks. */
FUNASR_API uint64_t funasr_live_strings(void);

#ifdef __cplusplus
}
#endif

#endif /* FUNASR_H */

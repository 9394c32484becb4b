"""ctypes smoke test of libfunasr.so. Usage: python3 ctypes_test.py <libfunasr.so> <pcm_file> <wav_file> <ws_url> <expected>"""
import ctypes
import sys


class Metrics(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "total_requests", "total_success", "total_fail", "total_timeout", "pool_reuse_hits", "pool_new_connects")]


class Profile(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "calls", "us_total", "us_pool_acquire", "us_connect", "us_send_config", "us_send_audio", "us_send_eos",
        "us_recv_frame", "us_json_parse")]


def main():
    library, pcm_path, wav_path, url, expected = sys.argv[1:6]
    lib = ctypes.CDLL(library)
    lib.funasr_init.restype = ctypes.c_int
    # c_void_p, not c_char_p: the pointer must survive to be handed back to funasr_free.
    lib.funasr_pcm.restype = ctypes.c_void_p
    lib.funasr_pcm.argtypes = [ctypes.c_char_p, ctypes.c_uint32, ctypes.c_char_p]
    lib.funasr_pcm_file.restype = ctypes.c_void_p
    lib.funasr_pcm_file.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.funasr_free.argtypes = [ctypes.c_void_p]
    lib.funasr_last_error.restype = ctypes.c_uint32
    lib.funasr_warmup.restype = ctypes.c_int
    lib.funasr_warmup.argtypes = [ctypes.c_char_p, ctypes.c_uint32]
    lib.funasr_set_option.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.funasr_get_metrics.argtypes = [ctypes.POINTER(Metrics)]
    lib.funasr_get_profile.argtypes = [ctypes.POINTER(Profile)]

    def transcribe(ptr):
        if not ptr:
            return None
        try:
            return ctypes.string_at(ptr).decode("utf-8")
        finally:
            lib.funasr_free(ptr)

    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    ws = url.encode()
    check(lib.funasr_set_option(b"timeout.final_ms", b"20000") == 0, "set_option")
    check(lib.funasr_init() == 0, "init")
    check(lib.funasr_warmup(ws, 2) == 2, "warmup 2")
    pcm = open(pcm_path, "rb").read()
    text = transcribe(lib.funasr_pcm(pcm, len(pcm), ws))
    check(text == expected, "funasr_pcm: %r" % text)
    text = transcribe(lib.funasr_pcm_file(wav_path.encode(), ws))
    check(text == expected, "funasr_pcm_file wav: %r" % text)
    check(lib.funasr_pcm(pcm, len(pcm), b"http://nowhere/") is None and lib.funasr_last_error() == 2, "bad URL: None, FUNASR_ERR_BAD_URL")
    m = Metrics()
    lib.funasr_get_metrics(ctypes.byref(m))
    check(m.total_requests == 2 and m.total_success == 2 and m.pool_reuse_hits == 2 and m.pool_new_connects == 2,
          "metrics %d requests, %d reuse, %d connects" % (m.total_requests, m.pool_reuse_hits, m.pool_new_connects))
    p = Profile()
    lib.funasr_get_profile(ctypes.byref(p))
    check(p.calls == 2 and p.us_total > 0, "profile %d calls, mean %.0f us" % (p.calls, p.us_total / max(p.calls, 1)))
    lib.funasr_cleanup()
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

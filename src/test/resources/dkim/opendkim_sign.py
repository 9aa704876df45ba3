#!/usr/bin/python3
"""Signs a message with libopendkim (the library inside the opendkim milter), through ctypes.

opendkim-testmsg 2.11.0~beta2 (Debian 12) fails on every message with "dkim_chunk(): Syntax
error", so this calls the library the way the milter does: dkim_header per field, dkim_eoh,
dkim_body, dkim_eom, dkim_getsighdr. No DNS is involved in signing.

  opendkim_sign.py MESSAGE KEYFILE DOMAIN SELECTOR rsa-sha256|ed25519-sha256
      prints the DKIM-Signature field (relaxed/relaxed), lines ending in CRLF
"""
import ctypes
import sys

DKIM_STAT_OK = 0
DKIM_CANON_RELAXED = 1
ALGORITHMS = {"rsa-sha256": 1, "ed25519-sha256": 2}  # DKIM_SIGN_RSASHA256, DKIM_SIGN_ED25519SHA256


def main(message_path, key_path, domain, selector, algorithm):
    lib = ctypes.CDLL("libopendkim.so.11")
    lib.dkim_init.restype = ctypes.c_void_p
    lib.dkim_init.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.dkim_sign.restype = ctypes.c_void_p
    lib.dkim_sign.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                              ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ssize_t,
                              ctypes.POINTER(ctypes.c_int)]
    lib.dkim_header.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.dkim_eoh.argtypes = [ctypes.c_void_p]
    lib.dkim_body.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.dkim_eom.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.dkim_getsighdr.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t]
    lib.dkim_geterror.restype = ctypes.c_char_p
    lib.dkim_geterror.argtypes = [ctypes.c_void_p]
    lib.dkim_free.argtypes = [ctypes.c_void_p]
    lib.dkim_close.argtypes = [ctypes.c_void_p]

    def check(dkim, status, step):
        if status != DKIM_STAT_OK:
            error = lib.dkim_geterror(dkim) if dkim else None
            sys.exit("%s failed: status %d %s" % (step, status, error.decode() if error else ""))

    message = open(message_path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    head, _, body = message.partition(b"\r\n\r\n")
    fields = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)

    handle = lib.dkim_init(None, None)
    status = ctypes.c_int(0)
    key = open(key_path, "rb").read()
    dkim = lib.dkim_sign(handle, b"interop", None, key, selector.encode(), domain.encode(),
                         DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, ALGORITHMS[algorithm], -1, ctypes.byref(status))
    if not dkim:
        sys.exit("dkim_sign failed: status %d" % status.value)
    for field in fields:
        check(dkim, lib.dkim_header(dkim, field, len(field)), "dkim_header")
    check(dkim, lib.dkim_eoh(dkim), "dkim_eoh")
    check(dkim, lib.dkim_body(dkim, body, len(body)), "dkim_body")
    check(dkim, lib.dkim_eom(dkim, None), "dkim_eom")
    prefix = b"DKIM-Signature: "
    buf = ctypes.create_string_buffer(8192)
    check(dkim, lib.dkim_getsighdr(dkim, buf, len(buf), len(prefix)), "dkim_getsighdr")
    value = buf.value.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    sys.stdout.buffer.write(prefix + value + b"\r\n")
    lib.dkim_free(dkim)
    lib.dkim_close(handle)


if __name__ == "__main__":
    if len(sys.argv) != 6 or sys.argv[5] not in ALGORITHMS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])

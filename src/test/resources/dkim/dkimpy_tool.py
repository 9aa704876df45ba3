#!/usr/bin/python3
"""dkimpy (python3-dkim) as an independent DKIM implementation for Petrel's interop tests.

No DNS is asked: key records come from a file of lines "NAME<TAB>RECORD TEXT".

  dkimpy_tool.py verify MESSAGE KEYS
      prints one line per DKIM-Signature, top to bottom: "pass" or "fail"
  dkimpy_tool.py sign MESSAGE KEYFILE DOMAIN SELECTOR
      prints the DKIM-Signature field dkimpy makes (relaxed/relaxed); KEYFILE is a PKCS#8 PEM
      file (RSA or Ed25519, as petrel dkim keygen writes) or a PKCS#1 RSA PEM file
  dkimpy_tool.py arc-verify MESSAGE KEYS
      prints the chain validation result (pass, fail or none), then dkimpy's reason
  dkimpy_tool.py arc-sign MESSAGE KEYFILE DOMAIN SELECTOR AUTHSERV_ID
      prints the ARC set dkimpy adds (rsa-sha256; RSA keys only), from the message's
      Authentication-Results fields of AUTHSERV_ID (python3-authres needed)
"""
import base64
import sys

import dkim


def key_records(path):
    records = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                name, text = line.split("\t", 1)
                records[name.lower().rstrip(".")] = text.encode("ascii")
    return records


def dns_from(keys_path):
    records = key_records(keys_path)

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii")
        return records.get(name.lower().rstrip("."))
    return dnsfunc


def verify(message_path, keys_path):
    dnsfunc = dns_from(keys_path)
    message = open(message_path, "rb").read()
    d = dkim.DKIM(message, minkey=1024)
    count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
    for i in range(count):
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
        except dkim.DKIMException as e:
            print("error: %s" % e, file=sys.stderr)
            ok = False
        print("pass" if ok else "fail")


ED25519_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")


def sign(message_path, key_path, domain, selector):
    pem = open(key_path, "rb").read()
    algorithm = b"rsa-sha256"
    if b"BEGIN PRIVATE KEY" in pem:
        body = b"".join(line for line in pem.splitlines() if line and not line.startswith(b"-----"))
        der = base64.b64decode(body)
        if der.startswith(ED25519_PKCS8_PREFIX):
            # dkimpy takes an Ed25519 key as its base64 32-byte seed.
            pem = base64.b64encode(der[len(ED25519_PKCS8_PREFIX):])
            algorithm = b"ed25519-sha256"
    message = open(message_path, "rb").read()
    field = dkim.sign(message, selector.encode("ascii"), domain.encode("ascii"), pem,
                      canonicalize=(b"relaxed", b"relaxed"), signature_algorithm=algorithm,
                      include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
    sys.stdout.buffer.write(field)


def arc_verify(message_path, keys_path):
    message = open(message_path, "rb").read()
    cv, _, reason = dkim.arc_verify(message, dnsfunc=dns_from(keys_path), minkey=1024)
    print(cv.decode("ascii") if cv else "terminated")
    print(reason)


def arc_sign(message_path, key_path, domain, selector, srv_id):
    message = open(message_path, "rb").read()
    fields = dkim.arc_sign(message, selector.encode("ascii"), domain.encode("ascii"), open(key_path, "rb").read(),
                           srv_id.encode("ascii"))
    for field in fields:
        sys.stdout.buffer.write(field if field.endswith(b"\r\n") else field + b"\r\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "arc-verify":
        arc_verify(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 7 and sys.argv[1] == "arc-sign":
        arc_sign(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "sign":
        sign(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)

"""Python smtplib as a real SMTP client for Petrel's interop tests.

Usage: python3 smtplib_client.py ARGS.json
ARGS.json (UTF-8) holds: mode, port, cafile, user, password, sender, recipients, and
  message_file (bytes to send as-is) or, for mode "utf8", expected_file (where to write the
  bytes that send_message will put on the wire).
Prints one JSON object on stdout describing what the client saw; exits 0 when the client
behaved as the mode expects, 1 otherwise (the traceback goes to stderr).
"""
import email.generator
import email.message
import io
import json
import smtplib
import ssl
import sys

HOST = "127.0.0.1"
TIMEOUT = 20


def context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)  # verifies chain and host name (IP SAN)
    assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
    return ctx


def transaction(s, a, out):
    """MAIL, RCPT, DATA by hand so that the replies the user would see are reported."""
    with open(a["message_file"], "rb") as f:
        data = f.read()
    out["mail"] = list(map(text, s.mail(a["sender"])))
    out["rcpt"] = [list(map(text, s.rcpt(r))) for r in a["recipients"]]
    out["data"] = list(map(text, s.data(data)))


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else v


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        a = json.load(f)
    mode = a["mode"]
    out = {"mode": mode}
    if mode == "ssl":
        with smtplib.SMTP_SSL(HOST, a["port"], context=context(a["cafile"]), timeout=TIMEOUT) as s:
            out["ehlo"] = list(map(text, s.ehlo("py.petrel.test")))
            out["tls"] = s.sock.version()
            out["login"] = list(map(text, s.login(a["user"], a["password"])))
            transaction(s, a, out)
    elif mode == "starttls":
        with smtplib.SMTP(HOST, a["port"], timeout=TIMEOUT) as s:
            s.ehlo("py.petrel.test")
            out["starttls_offered"] = s.has_extn("starttls")
            out["starttls"] = list(map(text, s.starttls(context=context(a["cafile"]))))
            out["ehlo"] = list(map(text, s.ehlo("py.petrel.test")))
            out["tls"] = s.sock.version()
            out["login"] = list(map(text, s.login(a["user"], a["password"])))
            transaction(s, a, out)
    elif mode == "badauth":
        with smtplib.SMTP(HOST, a["port"], timeout=TIMEOUT) as s:
            s.ehlo("py.petrel.test")
            s.starttls(context=context(a["cafile"]))
            s.ehlo("py.petrel.test")
            try:
                s.login(a["user"], a["password"])
                out["error"] = "login succeeded with a wrong password"
            except smtplib.SMTPAuthenticationError as e:
                out["auth_error"] = [e.smtp_code, text(e.smtp_error)]
            # The session stays usable: an unauthenticated MAIL is refused, not accepted.
            out["mail_after_failure"] = list(map(text, s.mail(a["sender"])))
    elif mode == "utf8":
        msg = email.message.EmailMessage()
        msg["From"] = a["sender"]
        msg["To"] = ", ".join(a["recipients"])
        msg["Subject"] = "Grüße aus Zürich — 你好"
        msg["Message-ID"] = "<utf8-1@py.petrel.test>"
        msg.set_content("Hallo 用户,\n\nein Brief mit Umlauten: äöü ß.\n.eine Zeile mit Punkt\n")
        with smtplib.SMTP(HOST, a["port"], timeout=TIMEOUT) as s:
            out["ehlo"] = list(map(text, s.ehlo("py.petrel.test")))
            out["smtputf8_offered"] = s.has_extn("smtputf8")
            # What send_message writes for an international message (see smtplib.send_message).
            buf = io.BytesIO()
            email.generator.BytesGenerator(buf, policy=msg.policy.clone(utf8=True)).flatten(msg, linesep="\r\n")
            with open(a["expected_file"], "wb") as f:
                f.write(buf.getvalue())
            s.set_debuglevel(1)  # the transcript goes to stderr, for the assertion message
            out["refused"] = s.send_message(msg, mail_options=a.get("mail_options", ["SMTPUTF8"]))
            out["noop"] = list(map(text, s.noop()))
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps(out, ensure_ascii=False))
    return 1 if "error" in out else 0


if __name__ == "__main__":
    sys.exit(main())

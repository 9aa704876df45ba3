package dev.petrel.junit;

import dev.petrel.server.SmtpTestClient;
import dev.petrel.server.tls.InsecureTrustAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sends mail to Petrel over real SMTP the way an application would, for the helper's tests:
 * plaintext to the MX listener (loopback is a trusted network), or STARTTLS plus AUTH PLAIN to
 * submission. Each message must be accepted with 250, else the test fails right there.
 */
final class TestMailer {
    private TestMailer() {}

    /** A plain message with CRLF line ends: headers (each "Name: value"), an empty line, the body. */
    static String message(String from, String to, String subject, String body, String... extraHeaders) {
        StringBuilder sb = new StringBuilder("From: ").append(from).append("\r\nTo: ").append(to)
                .append("\r\nSubject: ").append(subject).append("\r\n");
        for (String h : extraHeaders) sb.append(h).append("\r\n");
        return sb.append("\r\n").append(body.replace("\n", "\r\n")).append("\r\n").toString();
    }

    /** Plaintext SMTP to the MX listener, no AUTH. */
    static void sendMx(int port, String mailFrom, String rcptTo, String message) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.connect(port)) {
            c.startData(mailFrom, rcptTo);
            expect(c.command(message + "."), 250);
        }
    }

    /** Submission: EHLO, STARTTLS, EHLO, AUTH PLAIN, then the transaction. */
    static void submit(int port, String user, String password, String mailFrom, String rcptTo, String message) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.connect(port)) {
            expect(c.read(), 220);
            expect(c.command("EHLO app.example.com"), 250);
            c.startTls(InsecureTrustAll.clientContext());
            expect(c.command("EHLO app.example.com"), 250);
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            expect(c.command("AUTH PLAIN " + plain), 235);
            expect(c.command("MAIL FROM:<" + mailFrom + ">"), 250);
            expect(c.command("RCPT TO:<" + rcptTo + ">"), 250);
            expect(c.command("DATA"), 354);
            expect(c.command(message + "."), 250);
        }
    }

    private static void expect(SmtpTestClient.Response r, int code) throws IOException {
        if (r.code() != code) throw new IOException("expected " + code + ", got " + r.lines());
    }
}

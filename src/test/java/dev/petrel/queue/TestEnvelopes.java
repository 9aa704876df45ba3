package dev.petrel.queue;

import dev.petrel.message.IpLiteral;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Envelopes for spool tests: one with every field set, one with the least allowed. */
final class TestEnvelopes {
    private TestEnvelopes() {}

    static Envelope full() {
        return new Envelope(
                new MailAddress("\"odd@local\"", "Example.ORG"),
                List.of(
                        new Recipient(new MailAddress("a", "b.example"), Set.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE, Recipient.Notify.DELAY), "rfc822;a@b.example"),
                        new Recipient(new MailAddress("never", "b.example"), Set.of(Recipient.Notify.NEVER), null),
                        Recipient.of(new MailAddress("üser", "bücher.example"))),
                Envelope.BodyType.EIGHT_BIT_MIME,
                true,
                Envelope.Ret.HDRS,
                "env-id \"with\" quotes\nand a line feed",
                "alice@example.org",
                IpLiteral.parse("2001:db8::1:0:0:1"),
                "client.example.org",
                "submission",
                new Envelope.TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
                Instant.parse("2026-03-01T12:34:56.123456789Z"));
    }

    static Envelope minimal() {
        return new Envelope(null, List.of(Recipient.of(new MailAddress("postmaster", "example.net"))),
                Envelope.BodyType.SEVEN_BIT, false, null, null, null,
                IpLiteral.parse("192.0.2.7"), null, null, null, Instant.parse("2026-01-01T00:00:00Z"));
    }

    static Envelope simple(String tag) {
        return new Envelope(new MailAddress("sender", "example.org"), List.of(Recipient.of(new MailAddress(tag, "example.net"))),
                Envelope.BodyType.SEVEN_BIT, false, null, null, null,
                IpLiteral.parse("127.0.0.1"), "localhost", "mx", null, Instant.now());
    }
}

package dev.petrel.dsn;

import dev.petrel.message.Envelope;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Envelopes and messages for the dsn tests. */
final class DsnFixtures {
    static final Instant ARRIVED = Instant.parse("2026-03-02T09:15:00Z");
    static final Instant NOW = Instant.parse("2026-03-02T09:20:30Z");

    private DsnFixtures() {}

    static Envelope envelope(MailAddress sender, List<Recipient> recipients, Envelope.Ret ret, String envId) {
        return envelope(sender, recipients, ret, envId, false, Envelope.BodyType.SEVEN_BIT);
    }

    static Envelope envelope(MailAddress sender, List<Recipient> recipients, Envelope.Ret ret, String envId,
                             boolean smtpUtf8, Envelope.BodyType body) {
        return new Envelope(sender, recipients, body, smtpUtf8, ret, envId, null,
                IpLiteral.parse("192.0.2.10"), "client.example.org", "mx", null, ARRIVED);
    }

    static final String HEADERS = """
            Received: from client.example.org ([192.0.2.10]) by mx.example.org with ESMTP id 0AbCdEfGhIjKlMnO\r
            From: Alice <alice@example.org>\r
            To: Bob <bob@b.example>\r
            Subject: Lunch on Friday?\r
            Message-ID: <lunch-1@example.org>\r
            Date: Mon, 2 Mar 2026 09:14:58 +0000\r
            """;

    static final String BODY = """
            Hi Bob,\r
            \r
            shall we meet at noon?\r
            -- \r
            Alice\r
            """;

    static byte[] message() {
        return (HEADERS + "\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    }
}

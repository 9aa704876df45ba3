package dev.petrel.delivery.capture;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.message.Envelope;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InboxRulesTest {
    private static final InboxRules DEFAULT = new InboxRules(List.of("header:X-Petrel-Inbox", "tag", "user"));

    private static Envelope envelope(String user) {
        return new Envelope(new MailAddress("app", "example.com"), List.of(Recipient.of(new MailAddress("x", "example.org"))),
                Envelope.BodyType.SEVEN_BIT, false, null, null, user, IpLiteral.parse("127.0.0.1"), "app", "submission", null,
                Instant.now());
    }

    private static MailMessage message(String headers) {
        return MailMessage.parse((headers + "Subject: x\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstRuleThatNamesAnInboxWins() {
        MailAddress tagged = new MailAddress("bob+Run-7", "example.org");
        MailAddress plain = new MailAddress("bob", "example.org");
        assertThat(DEFAULT.inboxFor(envelope("alice"), message("X-Petrel-Inbox: Checkout Tests\r\n"), tagged)).isEqualTo("checkout_tests");
        assertThat(DEFAULT.inboxFor(envelope("alice"), message(""), tagged)).isEqualTo("run-7");
        assertThat(DEFAULT.inboxFor(envelope("alice"), message(""), plain)).isEqualTo("alice");
        assertThat(DEFAULT.inboxFor(envelope(null), message(""), plain)).isEqualTo("default");
    }

    @Test
    void namesAreMadeSafeAndBounded() {
        MailAddress plain = new MailAddress("bob", "example.org");
        assertThat(DEFAULT.inboxFor(envelope(null), message("X-Petrel-Inbox: a/../b?c=d\r\n"), plain)).isEqualTo("a_.._b_c_d");
        assertThat(DEFAULT.inboxFor(envelope(null), message("X-Petrel-Inbox: " + "x".repeat(100) + "\r\n"), plain)).hasSize(64);
        assertThat(DEFAULT.inboxFor(envelope(null), message("X-Petrel-Inbox:   \r\n"), plain)).isEqualTo("default");
    }
}

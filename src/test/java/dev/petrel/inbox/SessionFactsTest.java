package dev.petrel.inbox;

import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionFactsTest {
    @Test
    void takesTheEnvelopeOfASpooledMessage() throws Exception {
        Envelope envelope = new Envelope(new MailAddress("alice", "example.com"),
                List.of(Recipient.of(new MailAddress("bob", "example.org")), Recipient.of(new MailAddress("carol", "example.net"))),
                Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, "alice", InetAddress.getByName("127.0.0.7"), "client.example",
                "submission", new Envelope.TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384"), Instant.parse("2026-07-14T08:15:00Z"));
        AuthenticationFacts auth = new AuthenticationFacts("mx; spf=pass", List.of(), "pass", null);

        SessionFacts facts = SessionFacts.of(envelope, auth);

        assertThat(facts).isEqualTo(new SessionFacts("alice@example.com", List.of("bob@example.org", "carol@example.net"), "alice",
                "127.0.0.7", "client.example", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "submission",
                Instant.parse("2026-07-14T08:15:00Z"), auth));
        assertThat(facts.usedTls()).isTrue();
    }

    @Test
    void theNullSenderIsEmptyAndARecipientIsRequired() {
        SessionFacts bounce = SessionFacts.of(null, List.of("bob@example.org"), Instant.EPOCH);
        assertThat(bounce.mailFrom()).isEmpty();
        assertThat(bounce.usedTls()).isFalse();
        assertThat(bounce.authentication()).isEqualTo(AuthenticationFacts.NONE);
        assertThatThrownBy(() -> SessionFacts.of("a@example.com", List.of(), Instant.EPOCH))
                .hasMessage("a captured message needs at least one RCPT TO");
    }
}

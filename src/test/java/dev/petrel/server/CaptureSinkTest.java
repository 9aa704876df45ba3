package dev.petrel.server;

import dev.petrel.message.Envelope;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A capture that breaks becomes an IOException (451 4.3.0 to the client), never an unchecked end of the session. */
class CaptureSinkTest {
    private static Envelope envelope() {
        return new Envelope(new MailAddress("a", "example.org"), List.of(Recipient.of(new MailAddress("b", "example.com"))),
                Envelope.BodyType.SEVEN_BIT, false, null, null, null, IpLiteral.parse("127.0.0.1"), "h", "smtp", null, Instant.now());
    }

    @Test
    void anUncheckedFailureOfTheStoreIsReportedAsAnIoFailureAndCountsNothing() {
        List<Envelope> counted = new ArrayList<>();
        DirectCapture broken = new DirectCapture() {
            @Override
            public boolean takesAll(Envelope e) {
                return true;
            }

            @Override
            public String store(Envelope e, byte[] content) {
                throw new IllegalStateException("bug in a capture rule");
            }
        };
        CaptureSink sink = new CaptureSink(broken, envelope(), counted::add);
        sink.write("Subject: x\r\n\r\nhi\r\n".getBytes(), 0, 18);
        assertThatThrownBy(sink::commit).isInstanceOf(IOException.class).hasMessageContaining("bug in a capture rule");
        assertThat(counted).isEmpty();
    }
}

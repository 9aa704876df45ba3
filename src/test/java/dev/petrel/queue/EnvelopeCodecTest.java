package dev.petrel.queue;

import dev.petrel.message.Envelope;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTest {
    @Test
    void roundTripsEveryField() throws IOException {
        Envelope e = TestEnvelopes.full();
        assertThat(decode(EnvelopeCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void roundTripsNullSenderAndAbsentOptions() throws IOException {
        Envelope e = TestEnvelopes.minimal();
        Envelope back = decode(EnvelopeCodec.encode(e));
        assertThat(back).isEqualTo(e);
        assertThat(back.hasNullSender()).isTrue();
    }

    @Test
    void encodingIsOneLineAndDeterministic() {
        byte[] a = EnvelopeCodec.encode(TestEnvelopes.full());
        assertThat(a).doesNotContain((byte) '\n').doesNotContain((byte) '\r');
        assertThat(EnvelopeCodec.encode(TestEnvelopes.full())).isEqualTo(a);
    }

    @Test
    void ignoresUnknownFieldsFromNewerVersions() throws IOException {
        String json = new String(EnvelopeCodec.encode(TestEnvelopes.minimal()), StandardCharsets.UTF_8);
        String newer = json.substring(0, json.length() - 1) + ",\"future\":{\"x\":[1,2]},\"priority\":5}";
        assertThat(decode(newer.getBytes(StandardCharsets.UTF_8))).isEqualTo(TestEnvelopes.minimal());
    }

    @Test
    void rejectsBrokenEnvelopesWithTheReason() {
        assertThatThrownBy(() -> decode("{\"body\":\"SEVEN_BIT\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("recipients");
        assertThatThrownBy(() -> decode("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("JSON");
        String json = new String(EnvelopeCodec.encode(TestEnvelopes.minimal()), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> decode(json.replace("SEVEN_BIT", "NINE_BIT").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("NINE_BIT");
        assertThatThrownBy(() -> decode(json.replace("192.0.2.7", "mail.example").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    private static Envelope decode(byte[] b) throws IOException {
        return EnvelopeCodec.decode(b, 0, b.length);
    }
}

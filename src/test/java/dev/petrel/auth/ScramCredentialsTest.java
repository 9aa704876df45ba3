package dev.petrel.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petrel.protocol.sasl.CredentialStore.ScramCredential;
import org.junit.jupiter.api.Test;

class ScramCredentialsTest {
    @Test
    void freshVerifierHasRandomSixteenByteSaltAndRfcIterations() {
        ScramCredential a = ScramCredentials.derive("pencil");
        ScramCredential b = ScramCredentials.derive("pencil");
        assertThat(a.salt()).hasSize(16).isNotEqualTo(b.salt());
        assertThat(a.iterations()).isEqualTo(4096);
        assertThat(a.storedKey()).hasSize(32).isNotEqualTo(b.storedKey());
        assertThat(a.serverKey()).hasSize(32);
    }

    @Test
    void textFormRoundTrips() {
        ScramCredential c = ScramCredentials.derive("pencil");
        String text = ScramCredentials.format(c);
        assertThat(text).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}");
        ScramCredential back = ScramCredentials.parse(text);
        assertThat(back.salt()).isEqualTo(c.salt());
        assertThat(back.iterations()).isEqualTo(c.iterations());
        assertThat(back.storedKey()).isEqualTo(c.storedKey());
        assertThat(back.serverKey()).isEqualTo(c.serverKey());
    }

    @Test
    void badTextSaysWhatIsWrong() {
        assertThatThrownBy(() -> ScramCredentials.parse("SCRAM-SHA-1$4096:c2FsdA==$a:b"))
                .hasMessageContaining("expected SCRAM-SHA-256$");
        assertThatThrownBy(() -> ScramCredentials.parse("SCRAM-SHA-256$100:c2FsdA==$a:b"))
                .hasMessageContaining("at least 4096");
        assertThatThrownBy(() -> ScramCredentials.parse("SCRAM-SHA-256$4096:c2FsdA==$!!:b"))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> ScramCredentials.parse("SCRAM-SHA-256$4096:c2FsdA==$c2FsdA==:c2FsdA=="))
                .hasMessageContaining("32 bytes");
    }
}

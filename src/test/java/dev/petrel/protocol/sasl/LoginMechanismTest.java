package dev.petrel.protocol.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginMechanismTest {
    private final LoginMechanism login = new LoginMechanism(new MapCredentialStore().with("alice", "s3cret"));

    private static String challenge(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        return new String(((SaslStep.Challenge) step).data(), UTF_8);
    }

    @Test
    void asksUsernameThenPasswordAndSucceeds() {
        SaslExchange exchange = login.start();
        assertThat(challenge(exchange.respond(null))).isEqualTo("Username:");
        assertThat(challenge(exchange.respond("alice".getBytes(UTF_8)))).isEqualTo("Password:");
        assertThat(exchange.respond("s3cret".getBytes(UTF_8))).isEqualTo(new SaslStep.Success("alice"));
    }

    @Test
    void initialResponseIsTheUsername() {
        SaslExchange exchange = login.start();
        assertThat(challenge(exchange.respond("alice".getBytes(UTF_8)))).isEqualTo("Password:");
        assertThat(exchange.respond("s3cret".getBytes(UTF_8))).isEqualTo(new SaslStep.Success("alice"));
    }

    @Test
    void wrongPasswordIsBadCredentials() {
        SaslExchange exchange = login.start();
        exchange.respond("alice".getBytes(UTF_8));
        assertThat(exchange.respond("nope".getBytes(UTF_8)))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "alice"));
    }

    @Test
    void garbageNeverThrows() {
        byte[][] usernames = {{}, {(byte) 0xFF}, {'a', 0, 'b'}, {'\r', '\n'}, {(byte) 0xC3}};
        for (byte[] name : usernames) {
            SaslExchange exchange = login.start();
            exchange.respond(null);
            assertThat(exchange.respond(name)).isInstanceOfSatisfying(SaslStep.Failure.class,
                    f -> assertThat(f.reason()).isEqualTo(SaslStep.Reason.MALFORMED));
        }
        byte[][] passwords = {{(byte) 0xFF, 'x'}, {'a', 0, 'b'}};
        for (byte[] password : passwords) {
            SaslExchange exchange = login.start();
            exchange.respond("alice".getBytes(UTF_8));
            assertThat(exchange.respond(password))
                    .isEqualTo(new SaslStep.Failure(SaslStep.Reason.MALFORMED, "alice"));
        }
    }
}

package dev.petrel.protocol.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PlainMechanismTest {
    private final PlainMechanism plain = new PlainMechanism(new MapCredentialStore().with("alice", "s3cret"));

    private SaslStep once(String message) {
        return plain.start().respond(message.getBytes(UTF_8));
    }

    @Test
    void initialResponseWithRightPasswordSucceeds() {
        assertThat(once("\0alice\0s3cret")).isEqualTo(new SaslStep.Success("alice"));
        assertThat(once("alice\0alice\0s3cret")).isEqualTo(new SaslStep.Success("alice"));
    }

    @Test
    void withoutInitialResponseAsksWithEmptyChallenge() {
        SaslExchange exchange = plain.start();
        SaslStep first = exchange.respond(null);
        assertThat(first).isInstanceOf(SaslStep.Challenge.class);
        assertThat(((SaslStep.Challenge) first).data()).isEmpty();
        assertThat(exchange.respond("\0alice\0s3cret".getBytes(UTF_8))).isEqualTo(new SaslStep.Success("alice"));
    }

    @Test
    void wrongPasswordOrUnknownUserIsBadCredentialsNamingTheUser() {
        assertThat(once("\0alice\0wrong"))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "alice"));
        assertThat(once("\0mallory\0s3cret"))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "mallory"));
    }

    @Test
    void cannotAuthorizeAsSomeoneElse() {
        assertThat(once("bob\0alice\0s3cret"))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "\0alice", "\0alice\0", "\0\0s3cret", "\0alice\0s3cret\0",
            "\0al\u0001ice\0s3cret", "\0\nalice\0s3cret", "a\tb\0alice\0s3cret"})
    void malformedMessagesAreRefusedWithoutThrowing(String message) {
        assertThat(once(message)).isInstanceOfSatisfying(SaslStep.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(SaslStep.Reason.MALFORMED));
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bad = {0, 'a', (byte) 0xC3, 0, 'p'};
        assertThat(plain.start().respond(bad)).isInstanceOfSatisfying(SaslStep.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(SaslStep.Reason.MALFORMED));
    }
}

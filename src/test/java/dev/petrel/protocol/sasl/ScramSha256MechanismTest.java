package dev.petrel.protocol.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.auth.ScramCredentials;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramSha256MechanismTest {
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    private final MapCredentialStore store = new MapCredentialStore().with("alice", "s3cret").with("a,b=c", "pw");
    private final ScramSha256Mechanism scram = new ScramSha256Mechanism(store, () -> SERVER_NONCE);

    private static String text(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        return new String(((SaslStep.Challenge) step).data(), UTF_8);
    }

    private static SaslStep send(SaslExchange exchange, String message) {
        return exchange.respond(message.getBytes(UTF_8));
    }

    private static void assertMalformed(SaslStep step) {
        assertThat(step).isInstanceOfSatisfying(SaslStep.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(SaslStep.Reason.MALFORMED));
    }

    @Test
    void rfc7677ExampleByteForByte() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        store.withScram("user", ScramCredentials.derive("pencil", salt, 4096));
        SaslExchange exchange = scram.start();

        assertThat(text(send(exchange, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertThat(text(send(exchange, "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")))
                .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThat(exchange.respond(new byte[0])).isEqualTo(new SaslStep.Success("user"));
    }

    @Test
    void fullExchangeWithoutInitialResponse() throws Exception {
        SaslExchange exchange = scram.start();
        assertThat(text(exchange.respond(null))).isEmpty();
        String serverFinal = text(send(exchange, clientFinal(exchange, "n,,", "alice", "s3cret")));
        assertThat(serverFinal).startsWith("v=");
        assertThat(exchange.respond(null)).isEqualTo(new SaslStep.Success("alice"));
    }

    @Test
    void yFlagAndMatchingAuthzidAreAccepted() throws Exception {
        SaslExchange exchange = scram.start();
        send(exchange, clientFinal(exchange, "y,a=alice,", "alice", "s3cret"));
        assertThat(exchange.respond(new byte[0])).isEqualTo(new SaslStep.Success("alice"));
    }

    @Test
    void escapedUsernameIsDecoded() throws Exception {
        SaslExchange exchange = scram.start();
        send(exchange, clientFinal(exchange, "n,,", "a=2Cb=3Dc", "pw"));
        assertThat(exchange.respond(new byte[0])).isEqualTo(new SaslStep.Success("a,b=c"));
    }

    @Test
    void wrongPasswordFailsAtTheProof() throws Exception {
        SaslExchange exchange = scram.start();
        assertThat(send(exchange, clientFinal(exchange, "n,,", "alice", "wrong")))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "alice"));
    }

    @Test
    void unknownUserGetsAStablePlausibleSaltAndFailsOnlyAtTheProof() throws Exception {
        String first1 = text(send(scram.start(), "n,,n=nobody,r=abc"));
        String first2 = text(send(scram.start(), "n,,n=nobody,r=abc"));
        String other = text(send(scram.start(), "n,,n=someoneelse,r=abc"));
        assertThat(first1).matches("r=abc" + Pattern.quote(SERVER_NONCE) + ",s=[A-Za-z0-9+/]{22}==,i=4096");
        assertThat(first1).isEqualTo(first2).isNotEqualTo(other);

        SaslExchange exchange = scram.start();
        assertThat(send(exchange, clientFinal(exchange, "n,,", "nobody", "guess")))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "nobody"));
    }

    @Test
    void authorizingAsSomeoneElseIsRefused() {
        assertThat(send(scram.start(), "n,a=bob,n=alice,r=abc"))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "alice"));
    }

    @Test
    void realNoncesAreFreshAndPrintable() {
        ScramSha256Mechanism real = new ScramSha256Mechanism(store);
        String a = text(send(real.start(), "n,,n=alice,r=abc"));
        String b = text(send(real.start(), "n,,n=alice,r=abc"));
        assertThat(a).matches("r=abc[\\x21-\\x2b\\x2d-\\x7e]{16,},s=.*");
        assertThat(a).isNotEqualTo(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "n", "n,", "n,,", "p=tls-unique,,n=alice,r=abc", "x,,n=alice,r=abc",
            "n,,r=abc,n=alice", "n,,n=alice", "n,,n=,r=abc", "n,,n=alice,r=", "n,,n=al=2Xice,r=abc",
            "n,,n=al=ice,r=abc", "n,,n=al\u0007ice,r=abc", "n,,m=ext,n=alice,r=abc", "n,b=x,n=alice,r=abc",
            "n,a=bo=b,n=alice,r=abc", "n,,n=alice,r=a\u00e9b"})
    void malformedClientFirstNeverThrows(String message) {
        assertMalformed(send(scram.start(), message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "c=biws,r=abc" + SERVER_NONCE, "c=biws,p=AAAA",
            "c=biws,r=abcWRONG,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=biws,r=ab,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=eSws,r=abc" + SERVER_NONCE + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=!!!,r=abc" + SERVER_NONCE + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=biws,r=abc" + SERVER_NONCE + ",p=not*base64",
            "c=biws,r=abc" + SERVER_NONCE + ",p=AAAA",
            "r=abc" + SERVER_NONCE + ",c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="})
    void malformedClientFinalNeverThrows(String message) {
        SaslExchange exchange = scram.start();
        text(send(exchange, "n,,n=alice,r=abc"));
        assertMalformed(send(exchange, message));
    }

    @Test
    void invalidUtf8AndNonEmptyAckAreMalformed() throws Exception {
        assertMalformed(scram.start().respond(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xFF, ',', 'r', '=', 'x'}));

        SaslExchange exchange = scram.start();
        send(exchange, clientFinal(exchange, "n,,", "alice", "s3cret"));
        assertMalformed(send(exchange, "extra"));
    }

    /**
     * Plays the client: sends client-first through {@code exchange} and returns the client-final
     * message computed from the server-first it got back.
     */
    private static String clientFinal(SaslExchange exchange, String gs2Header, String saslUser, String password)
            throws Exception {
        String clientFirstBare = "n=" + saslUser + ",r=clientnonce";
        String serverFirst = text(send(exchange, gs2Header + clientFirstBare));
        Matcher m = Pattern.compile("r=([^,]+),s=([^,]+),i=(\\d+)").matcher(serverFirst);
        assertThat(m.matches()).as(serverFirst).isTrue();
        Map<String, String> attrs = Map.of("r", m.group(1), "s", m.group(2), "i", m.group(3));
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(attrs.get("s")),
                        Integer.parseInt(attrs.get("i")), 256))
                .getEncoded();
        byte[] clientKey = hmac(salted, "Client Key".getBytes(UTF_8));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(UTF_8)) + ",r=" + attrs.get("r");
        byte[] signature = hmac(storedKey, (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(UTF_8));
        for (int i = 0; i < signature.length; i++) {
            signature[i] ^= clientKey[i];
        }
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(signature);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}

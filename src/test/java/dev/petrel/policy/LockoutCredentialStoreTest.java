package dev.petrel.policy;

import dev.petrel.auth.ScramCredentials;
import dev.petrel.protocol.sasl.CredentialStore;
import dev.petrel.protocol.sasl.SaslExchange;
import dev.petrel.protocol.sasl.SaslStep;
import dev.petrel.protocol.sasl.ScramSha256Mechanism;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** A locked name fails like a wrong password, with PLAIN's check and with SCRAM (same salt, no server signature). */
class LockoutCredentialStoreTest {
    private final CredentialStore.ScramCredential alice = ScramCredentials.derive("s3cret");
    private final CredentialStore users = new CredentialStore() {
        @Override
        public boolean verifyPassword(String username, String password) {
            return username.equals("alice") && password.equals("s3cret");
        }

        @Override
        public Optional<ScramCredential> scramSha256(String username) {
            return username.equals("alice") ? Optional.of(alice) : Optional.empty();
        }
    };
    private final Set<String> locked = new HashSet<>();
    private final LockoutCredentialStore store = new LockoutCredentialStore(users, locked::contains);

    @Test
    void passwordCheckFailsWhileLocked() {
        assertThat(store.verifyPassword("alice", "s3cret")).isTrue();
        locked.add("alice");
        assertThat(store.verifyPassword("alice", "s3cret")).isFalse();
        locked.clear();
        assertThat(store.verifyPassword("alice", "s3cret")).isTrue();
    }

    @Test
    void scramWithTheRightPasswordFailsAtTheProofWhileLockedAndShowsTheSameSalt() throws Exception {
        ScramSha256Mechanism scram = new ScramSha256Mechanism(store);
        String saltBefore = salt(scram.start());
        assertThat(scramLogin(scram.start(), "s3cret")).isInstanceOf(SaslStep.Challenge.class); // v=server signature
        locked.add("alice");
        assertThat(salt(scram.start())).isEqualTo(saltBefore);
        assertThat(scramLogin(scram.start(), "s3cret"))
                .isEqualTo(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "alice"));
        assertThat(store.scramSha256("nobody")).isEmpty();
    }

    private static String salt(SaslExchange e) {
        Matcher m = Pattern.compile("r=[^,]+,s=([^,]+),i=\\d+").matcher(first(e));
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    private static String first(SaslExchange e) {
        SaslStep step = e.respond("n,,n=alice,r=clientnonce".getBytes(UTF_8));
        return new String(((SaslStep.Challenge) step).data(), UTF_8);
    }

    /** Plays a SCRAM-SHA-256 client up to its proof; returns the server's answer to the proof. */
    private static SaslStep scramLogin(SaslExchange e, String password) throws Exception {
        String serverFirst = first(e);
        Matcher m = Pattern.compile("r=([^,]+),s=([^,]+),i=(\\d+)").matcher(serverFirst);
        assertThat(m.matches()).isTrue();
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                password.toCharArray(), Base64.getDecoder().decode(m.group(2)), Integer.parseInt(m.group(3)), 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString("n,,".getBytes(UTF_8)) + ",r=" + m.group(1);
        byte[] proof = hmac(storedKey, "n=alice,r=clientnonce," + serverFirst + "," + withoutProof);
        for (int i = 0; i < proof.length; i++) proof[i] ^= clientKey[i];
        return e.respond((withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(UTF_8));
    }
}

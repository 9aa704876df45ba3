package dev.petrel.interop;

import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) from the client side. swaks does not speak it and Python's
 * standard library has no SCRAM client, so this is an independent client written from the RFCs
 * with javax.crypto (it shares no code with the server's mechanism), run over real TLS sockets.
 * It also checks the server's signature, so a server that merely said 235 would fail here.
 */
@Timeout(60)
class ScramSha256InteropTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "p\u00e4ss w\u00f6rd";

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
        server.addUser(USER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void scramOverImplicitTlsThenSubmit() throws Exception {
        try (SmtpWire w = SmtpWire.implicitTls(server.clientTls(), server.submissionsPort())) {
            assertThat(w.reply().code()).isEqualTo(220);
            SmtpWire.Reply ehlo = w.command("EHLO client.petrel.test");
            assertThat(ehlo.lines()).as(ehlo.toString()).anyMatch(l -> l.startsWith("250 AUTH ") && l.contains(" SCRAM-SHA-256"));

            SmtpWire.Reply result = scram(w, USER, PASSWORD);
            assertThat(result.toString()).isEqualTo("235 2.7.0 Authentication successful");

            assertThat(w.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
            assertThat(w.command("RCPT TO:<zoe@elsewhere.test>").code()).isEqualTo(250);
            assertThat(w.command("DATA").code()).isEqualTo(354);
            SmtpWire.Reply queued = w.command("Subject: scram\r\n\r\nsent after SCRAM\r\n.");
            assertThat(queued.code()).as(queued.toString()).isEqualTo(250);
            assertThat(w.command("QUIT").code()).isEqualTo(221);
        }
        assertThat(server.messages()).hasSize(1);
        SpooledMessage m = server.messages().getFirst();
        assertThat(m.envelope().authIdentity()).isEqualTo(USER);
        assertThat(m.envelope().listener()).isEqualTo("submissions");
        assertThat(m.envelope().tls().protocol()).isEqualTo("TLSv1.3");
        assertThat(Spooled.split(m.content()).withKeyword()).isEqualTo("ESMTPSA");
        assertThat(Spooled.split(m.content()).originalText()).isEqualTo("Subject: scram\r\n\r\nsent after SCRAM\r\n");
    }

    @Test
    void scramAfterStartTlsOnSubmission() throws Exception {
        try (SmtpWire w = SmtpWire.plain(server.submissionPort())) {
            w.reply();
            SmtpWire.Reply plainEhlo = w.command("EHLO client.petrel.test");
            assertThat(plainEhlo.lines()).as("no AUTH before TLS").noneMatch(l -> l.substring(4).startsWith("AUTH"));
            assertThat(w.command("STARTTLS").code()).isEqualTo(220);
            w.startTls(server.clientTls());
            w.command("EHLO client.petrel.test");
            assertThat(scram(w, USER, PASSWORD).code()).isEqualTo(235);
        }
    }

    @Test
    void wrongPasswordIs535AndTheSessionIsNotAuthenticated() throws Exception {
        try (SmtpWire w = SmtpWire.implicitTls(server.clientTls(), server.submissionsPort())) {
            w.reply();
            w.command("EHLO client.petrel.test");
            assertThat(scram(w, USER, "wrong").toString()).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(scram(w, "nobody", PASSWORD).toString()).as("unknown user looks the same")
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(w.command("MAIL FROM:<alice@petrel.test>").toString()).isEqualTo("530 5.7.0 Authentication required");
        }
        assertThat(server.messages()).isEmpty();
    }

    /**
     * Runs a SCRAM-SHA-256 exchange without channel binding and returns the final reply (or the
     * failing one). On success the server's signature must verify.
     */
    private static SmtpWire.Reply scram(SmtpWire w, String user, String password) throws Exception {
        String gs2 = "n,,";
        String clientNonce = nonce();
        String clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        SmtpWire.Reply r = w.command("AUTH SCRAM-SHA-256 " + b64(gs2 + clientFirstBare));
        if (r.code() != 334) return r;
        String serverFirst = unb64(r.text());
        Map<String, String> sf = attributes(serverFirst);
        assertThat(sf.get("r")).as("server nonce extends ours").startsWith(clientNonce).isNotEqualTo(clientNonce);
        byte[] salt = Base64.getDecoder().decode(sf.get("s"));
        int iterations = Integer.parseInt(sf.get("i"));
        assertThat(iterations).as("RFC 7677 minimum").isGreaterThanOrEqualTo(4096);

        byte[] salted = pbkdf2(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String clientFinalNoProof = "c=" + b64(gs2) + ",r=" + sf.get("r");
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinalNoProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) proof[i] = (byte) (clientKey[i] ^ signature[i]);

        r = w.command(b64(clientFinalNoProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
        if (r.code() != 334) return r;
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        String expected = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
        assertThat(unb64(r.text())).as("server signature").isEqualTo(expected);
        return w.command("");
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> out = new HashMap<>();
        for (String part : message.split(",")) out.put(part.substring(0, 1), part.substring(2));
        return out;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        // SASLprep of this password is itself (no mapping or normalization applies to it).
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static String nonce() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b).replace(',', '-');
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}

package dev.petrel.protocol.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: the password never crosses the
 * wire and the server proves it knows the verifier too.
 *
 * <p>Exchange in SMTP: client-first → Challenge(server-first) → client-final → Challenge(server-final
 * {@code v=...}) → empty client response → Success. A wrong proof fails with BAD_CREDENTIALS
 * right after client-final. Any syntax error, at any step, is MALFORMED.
 *
 * <p>Unknown users get a server-first with a salt derived from a per-process secret and the
 * name (stable across attempts, as a real salt would be) and fail only at the proof, so the
 * exchange does not reveal which users exist.
 */
public final class ScramSha256Mechanism implements SaslMechanism {
    static final int FAKE_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] FAKE_SALT_SECRET = randomBytes(32);

    private final CredentialStore store;
    private final Supplier<String> serverNonces;

    public ScramSha256Mechanism(CredentialStore store) {
        this(store, () -> Base64.getEncoder().encodeToString(randomBytes(18)));
    }

    /** For tests: {@code serverNonces} supplies the server's part of the nonce (printable, no comma). */
    ScramSha256Mechanism(CredentialStore store, Supplier<String> serverNonces) {
        this.store = Objects.requireNonNull(store, "store");
        this.serverNonces = Objects.requireNonNull(serverNonces, "serverNonces");
    }

    @Override
    public String name() {
        return "SCRAM-SHA-256";
    }

    @Override
    public SaslExchange start() {
        return new Exchange();
    }

    /** Thrown inside the parser only; every exit of {@link Exchange#respond} turns it into MALFORMED. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private enum State { START, CLIENT_FIRST, CLIENT_FINAL, CLIENT_ACK, DONE }

    private final class Exchange implements SaslExchange {
        private State state = State.START;
        private String gs2Header;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private String username;
        private CredentialStore.ScramCredential credential; // null for an unknown user

        @Override
        public SaslStep respond(byte[] clientData) {
            State at = state;
            state = State.DONE; // any return below that continues the exchange sets the next state
            try {
                return switch (at) {
                    case START -> {
                        if (clientData == null) {
                            state = State.CLIENT_FIRST;
                            yield new SaslStep.Challenge(new byte[0]);
                        }
                        yield clientFirst(clientData);
                    }
                    case CLIENT_FIRST -> clientFirst(clientData);
                    case CLIENT_FINAL -> clientFinal(clientData);
                    case CLIENT_ACK -> {
                        if (clientData != null && clientData.length != 0) {
                            throw new Malformed();
                        }
                        yield new SaslStep.Success(username);
                    }
                    case DONE -> throw new Malformed();
                };
            } catch (Malformed | IllegalArgumentException e) {
                // IllegalArgumentException: bad base64 inside an attribute.
                state = State.DONE;
                return new SaslStep.Failure(SaslStep.Reason.MALFORMED, username);
            }
        }

        private SaslStep clientFirst(byte[] data) throws Malformed {
            String text = text(data);
            // gs2-header = ("n" / "y") "," [ "a=" saslname ] ","; "p=" asks for channel binding we do not offer.
            if (!(text.startsWith("n,") || text.startsWith("y,"))) {
                throw new Malformed();
            }
            int headerEnd = text.indexOf(',', 2);
            if (headerEnd < 0) {
                throw new Malformed();
            }
            String authzidField = text.substring(2, headerEnd);
            String authzid = "";
            if (!authzidField.isEmpty()) {
                if (!authzidField.startsWith("a=")) {
                    throw new Malformed();
                }
                authzid = saslname(authzidField.substring(2));
            }
            gs2Header = text.substring(0, headerEnd + 1);
            clientFirstBare = text.substring(headerEnd + 1);

            // client-first-message-bare = username "," nonce ["," extensions]; a leading "m=" is a
            // mandatory extension we do not know, which RFC 5802 says must fail.
            String[] attrs = clientFirstBare.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=")) {
                throw new Malformed();
            }
            username = saslname(attrs[0].substring(2));
            String clientNonce = attrs[1].substring(2);
            if (!isPrintableNonce(clientNonce)) {
                throw new Malformed();
            }
            if (!authzid.isEmpty() && !authzid.equals(username)) {
                return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, username);
            }

            Optional<CredentialStore.ScramCredential> found = store.scramSha256(username);
            credential = found.orElse(null);
            byte[] salt = found.map(CredentialStore.ScramCredential::salt).orElseGet(() -> fakeSalt(username));
            int iterations = found.map(CredentialStore.ScramCredential::iterations).orElse(FAKE_ITERATIONS);

            String serverNonce = serverNonces.get();
            if (!isPrintableNonce(serverNonce)) {
                throw new IllegalStateException("server nonce source returned an unusable nonce");
            }
            nonce = clientNonce + serverNonce;
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
            state = State.CLIENT_FINAL;
            return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
        }

        private SaslStep clientFinal(byte[] data) throws Malformed {
            String text = text(data);
            // client-final = "c=" b64(gs2-header) "," "r=" nonce ["," extensions] "," "p=" b64(proof)
            int proofAt = text.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new Malformed();
            }
            String withoutProof = text.substring(0, proofAt);
            byte[] proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
            String[] attrs = withoutProof.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("c=") || !attrs[1].startsWith("r=")) {
                throw new Malformed();
            }
            byte[] binding = Base64.getDecoder().decode(attrs[0].substring(2));
            if (!Arrays.equals(binding, gs2Header.getBytes(StandardCharsets.UTF_8))
                    || !attrs[1].substring(2).equals(nonce)
                    || proof.length != 32) {
                throw new Malformed();
            }
            if (credential == null) {
                return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, username);
            }
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] clientKey = hmac(credential.storedKey(), authMessage);
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] ^= proof[i]; // ClientKey = ClientProof XOR ClientSignature
            }
            if (!MessageDigest.isEqual(sha256(clientKey), credential.storedKey())) {
                return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, username);
            }
            byte[] serverSignature = hmac(credential.serverKey(), authMessage);
            state = State.CLIENT_ACK;
            return new SaslStep.Challenge(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(byte[] data) throws Malformed {
        String text = data == null ? null : SaslText.utf8(data);
        if (text == null) {
            throw new Malformed();
        }
        return text;
    }

    /** Decodes a SCRAM saslname: "=2C" is ',' and "=3D" is '='; any other '=' is an error. */
    private static String saslname(String raw) throws Malformed {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '=') {
                if (raw.startsWith("=2C", i)) {
                    out.append(',');
                } else if (raw.startsWith("=3D", i)) {
                    out.append('=');
                } else {
                    throw new Malformed();
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        String name = out.toString();
        if (!SaslText.isAcceptableName(name)) {
            throw new Malformed();
        }
        return name;
    }

    private static boolean isPrintableNonce(String nonce) {
        return !nonce.isEmpty() && nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',');
    }

    private static byte[] fakeSalt(String username) {
        return Arrays.copyOf(hmac(FAKE_SALT_SECRET, username.getBytes(StandardCharsets.UTF_8)), 16);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

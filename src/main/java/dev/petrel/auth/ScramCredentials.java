package dev.petrel.auth;

import dev.petrel.protocol.sasl.CredentialStore.ScramCredential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 verifiers (RFC 5802 section 3): StoredKey and ServerKey derived from the
 * password, and their text form in the users file, the same as PostgreSQL's:
 * {@code SCRAM-SHA-256$<iterations>:<b64 salt>$<b64 StoredKey>:<b64 ServerKey>}.
 */
public final class ScramCredentials {
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final String PREFIX = "SCRAM-SHA-256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramCredentials() {}

    /** A verifier with a fresh 16-byte salt and {@value #DEFAULT_ITERATIONS} iterations. */
    public static ScramCredential derive(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return derive(password, salt, DEFAULT_ITERATIONS);
    }

    public static ScramCredential derive(String password, byte[] salt, int iterations) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("password is empty");
        }
        // Clients SASLprep the password; NFKC is the part of it that changes real passwords.
        char[] chars = Normalizer.normalize(password, Normalizer.Form.NFKC).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] serverKey = hmac(salted, "Server Key");
            return new ScramCredential(salt.clone(), iterations, storedKey, serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /** The users-file form of {@code credential}. */
    public static String format(ScramCredential c) {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + c.iterations() + ":" + b64.encodeToString(c.salt())
                + "$" + b64.encodeToString(c.storedKey()) + ":" + b64.encodeToString(c.serverKey());
    }

    /** Parses {@link #format}; throws IllegalArgumentException saying what is wrong (never echoing keys). */
    public static ScramCredential parse(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        String[] halves = text.substring(PREFIX.length()).split("\\$", -1);
        if (halves.length != 2) {
            throw new IllegalArgumentException("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        String[] first = halves[0].split(":", -1);
        String[] second = halves[1].split(":", -1);
        if (first.length != 2 || second.length != 2) {
            throw new IllegalArgumentException("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(first[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iteration count is not a number");
        }
        if (iterations < 4096) {
            throw new IllegalArgumentException("iteration count must be at least 4096 (RFC 7677)");
        }
        byte[] salt = base64(first[1]);
        byte[] storedKey = base64(second[0]);
        byte[] serverKey = base64(second[1]);
        if (salt.length == 0 || storedKey.length != 32 || serverKey.length != 32) {
            throw new IllegalArgumentException("salt must not be empty and both keys must be 32 bytes");
        }
        return new ScramCredential(salt, iterations, storedKey, serverKey);
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("salt or key is not valid base64");
        }
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    }
}

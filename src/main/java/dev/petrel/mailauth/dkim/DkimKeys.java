package dev.petrel.mailauth.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * DKIM keys on disk and in DNS: generating a key pair, writing and reading the private key as PEM,
 * and the key record to publish for the public key. Uses only the JDK's providers.
 *
 * <p>{@link #load} reads PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code petrel dkim keygen} and
 * {@code openssl genpkey} write) for RSA and Ed25519, and PKCS#1 ({@code BEGIN RSA PRIVATE KEY},
 * what {@code opendkim-genkey} writes) for RSA. Encrypted keys are refused: the server must be able
 * to read its keys unattended, so they are protected by file permissions instead.
 */
public final class DkimKeys {
    /** Why a key file could not be used; the message names the file and says what to do. */
    public static final class KeyFileException extends IOException {
        public KeyFileException(String message) {
            super(message);
        }
    }

    private DkimKeys() {}

    /** A new key pair: {@code rsaBits} RSA (e.g. 2048), or Ed25519 when {@code rsaBits} is 0. */
    public static KeyPair generate(int rsaBits) {
        try {
            if (rsaBits == 0) return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(rsaBits);
            return rsa.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate this key", e);
        }
    }

    /** The private key as PKCS#8 PEM, lines of 64 characters. */
    public static String toPem(PrivateKey key) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** Reads a private key from a PEM file; errors name the file. */
    public static PrivateKey load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("DKIM key file " + file + " does not exist (create one with: petrel dkim keygen)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new KeyFileException("DKIM key file " + file + " is not a PEM file (it holds non-ASCII bytes)");
        } catch (IOException e) {
            throw new KeyFileException("cannot read DKIM key file " + file + ": " + e.getMessage());
        }
        return parsePem(text, file.toString());
    }

    /** Reads a private key from PEM text; {@code source} names it in errors. */
    public static PrivateKey parsePem(String text, String source) throws KeyFileException {
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new KeyFileException("DKIM key file " + source + " is encrypted; Petrel needs an unencrypted key protected by "
                    + "file permissions (decrypt it with: openssl pkey -in KEY -out KEY.pem)");
        }
        boolean pkcs1 = text.contains("-----BEGIN RSA PRIVATE KEY-----");
        String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
        int begin = text.indexOf("-----BEGIN " + label + "-----");
        int end = text.indexOf("-----END " + label + "-----");
        if (begin < 0 || end < begin) {
            throw new KeyFileException("DKIM key file " + source + " holds no PEM private key "
                    + "(expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + ("-----BEGIN " + label + "-----").length(), end).strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("DKIM key file " + source + " is damaged: its PEM body is not base64");
        }
        if (pkcs1) der = Der.rsaPrivateKeyInfo(der);
        for (String algorithm : new String[] {"RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisType) {
                // try the next type
            }
        }
        throw new KeyFileException("DKIM key file " + source + " holds neither an RSA nor an Ed25519 private key");
    }

    /** The key record text to publish for {@code key}: {@code v=DKIM1; k=rsa; p=...} or {@code k=ed25519}. */
    public static String keyRecord(PublicKey key) {
        if (key instanceof EdECPublicKey) {
            return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Der.ed25519RawPublicKey(key.getEncoded()));
        }
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * A zone-file line publishing {@code record} at {@code selector._domainkey.domain}, the text
     * split into quoted strings of at most 255 characters (the limit of one DNS character-string).
     */
    public static String zoneFileLine(String selector, String domain, String record) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < record.length(); i += 255) parts.add('"' + record.substring(i, Math.min(record.length(), i + 255)) + '"');
        return selector + "._domainkey." + domain + ". IN TXT ( " + String.join(" ", parts) + " )";
    }
}

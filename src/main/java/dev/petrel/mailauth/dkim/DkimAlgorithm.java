package dev.petrel.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;

/**
 * The signing algorithms of {@code a=}: rsa-sha256 (RFC 6376), ed25519-sha256 (RFC 8463) and the
 * retired rsa-sha1, which Petrel recognises only to refuse it (RFC 8301 section 3.1) and never signs.
 */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "sha256"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "sha256"),
    RSA_SHA1("rsa-sha1", "rsa", "sha1");

    private final String tagValue;
    private final String keyType;
    private final String hash;

    DkimAlgorithm(String tagValue, String keyType, String hash) {
        this.tagValue = tagValue;
        this.keyType = keyType;
        this.hash = hash;
    }

    /** As written in {@code a=}. */
    public String tagValue() {
        return tagValue;
    }

    /** The key type of the key record's {@code k=}: {@code rsa} or {@code ed25519}. */
    public String keyType() {
        return keyType;
    }

    /** The hash name of the key record's {@code h=}: {@code sha256} or {@code sha1}. */
    public String hash() {
        return hash;
    }

    /** The algorithm {@code a=} names (case-insensitive), or null when Petrel does not know it. */
    public static DkimAlgorithm fromTagValue(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (DkimAlgorithm a : values()) {
            if (a.tagValue.equals(lower)) return a;
        }
        return null;
    }

    /** The hash of {@code data} ({@code bh=} is this over the canonicalized body). */
    public byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(this == RSA_SHA1 ? "SHA-1" : "SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + hash, e);
        }
    }

    /** The signature ({@code b=}) over the header data. */
    public byte[] sign(PrivateKey key, byte[] headerData) throws GeneralSecurityException {
        Signature signature = signature();
        signature.initSign(key);
        signature.update(input(headerData));
        return signature.sign();
    }

    /** Whether {@code b} is a valid signature over the header data. */
    public boolean verify(PublicKey key, byte[] headerData, byte[] b) throws GeneralSecurityException {
        Signature signature = signature();
        signature.initVerify(key);
        signature.update(input(headerData));
        try {
            return signature.verify(b);
        } catch (java.security.SignatureException malformed) {
            return false; // wrong length or encoding: it simply does not verify
        }
    }

    private Signature signature() throws GeneralSecurityException {
        return switch (this) {
            case RSA_SHA256 -> Signature.getInstance("SHA256withRSA");
            case ED25519_SHA256 -> Signature.getInstance("Ed25519");
            case RSA_SHA1 -> Signature.getInstance("SHA1withRSA");
        };
    }

    /** RSA signs the data itself (hashing inside); Ed25519 signs its SHA-256 hash (RFC 8463 section 3). */
    private byte[] input(byte[] headerData) {
        return this == ED25519_SHA256 ? digest(headerData) : headerData;
    }
}

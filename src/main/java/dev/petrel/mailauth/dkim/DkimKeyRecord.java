package dev.petrel.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A DKIM key record, the TXT record at {@code selector._domainkey.domain} (RFC 6376 section 3.6.1,
 * RFC 8463 section 4).
 *
 * @param keyType        {@code k=}, lower case; {@code rsa} when absent
 * @param hashes         {@code h=}: the hash algorithms the key may be used with, lower case; empty = any
 * @param publicKeyData  {@code p=} decoded; empty when the key has been revoked
 * @param services       {@code s=}: the service types, lower case; {@code ["*"]} when absent
 * @param testing        {@code t=y}: the domain is testing DKIM
 * @param strict         {@code t=s}: the {@code i=} domain must equal {@code d=}, not be a subdomain
 */
public record DkimKeyRecord(String keyType, List<String> hashes, byte[] publicKeyData, List<String> services,
                            boolean testing, boolean strict) {
    /** The record cannot be used; the message says why (for the result's reason). */
    public static final class InvalidException extends Exception {
        public InvalidException(String message) {
            super(message);
        }
    }

    public DkimKeyRecord {
        hashes = List.copyOf(hashes);
        services = List.copyOf(services);
        publicKeyData = publicKeyData.clone();
    }

    /** Parses the record's text (its character-strings already joined). */
    public static DkimKeyRecord parse(String text) throws InvalidException {
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (TagList.SyntaxException e) {
            throw new InvalidException("key record syntax: " + e.getMessage());
        }
        String version = tags.get("v");
        if (version != null) {
            if (!version.equals("DKIM1")) throw new InvalidException("key record v=" + version + " is not DKIM1");
            if (!tags.tags().keySet().iterator().next().equals("v")) throw new InvalidException("key record v= is not the first tag");
        }
        String p = tags.get("p");
        if (p == null) throw new InvalidException("key record has no p=");
        byte[] keyData;
        try {
            keyData = Base64.getDecoder().decode(TagList.withoutWhiteSpace(p));
        } catch (IllegalArgumentException e) {
            throw new InvalidException("key record p= is not base64");
        }
        String k = tags.get("k");
        String keyType = k == null ? "rsa" : k.strip().toLowerCase(Locale.ROOT);
        List<String> flags = list(tags.get("t"));
        return new DkimKeyRecord(keyType, list(tags.get("h")), keyData,
                tags.has("s") ? list(tags.get("s")) : List.of("*"), flags.contains("y"), flags.contains("s"));
    }

    /** Colon-separated list, white space dropped, lower case; empty for null. */
    private static List<String> list(String value) {
        if (value == null) return List.of();
        return Arrays.stream(TagList.withoutWhiteSpace(value).split(":"))
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether {@code p=} is empty: the signer revoked this key. */
    public boolean revoked() {
        return publicKeyData.length == 0;
    }

    /** Whether the key may sign email ({@code s=} is absent, {@code *} or lists {@code email}). */
    public boolean allowsEmail() {
        return services.contains("*") || services.contains("email");
    }

    /** Whether {@code h=} allows {@code hash} (any hash when {@code h=} is absent). */
    public boolean allowsHash(String hash) {
        return hashes.isEmpty() || hashes.contains(hash);
    }

    /**
     * The public key. RSA keys are read as SubjectPublicKeyInfo (what RFC 6376 specifies) or, as
     * some signers publish them, bare PKCS#1 RSAPublicKey; Ed25519 keys are 32 raw bytes.
     */
    public PublicKey publicKey() throws InvalidException {
        try {
            return switch (keyType) {
                case "rsa" -> rsaKey();
                case "ed25519" -> {
                    if (publicKeyData.length != 32) throw new InvalidException("ed25519 key is not 32 bytes");
                    yield KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Der.ed25519PublicKeyInfo(publicKeyData)));
                }
                default -> throw new InvalidException("unknown key type k=" + keyType);
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidException("key record p= is not a valid " + keyType + " key");
        }
    }

    private PublicKey rsaKey() throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(publicKeyData));
        } catch (GeneralSecurityException notSpki) {
            return rsa.generatePublic(new X509EncodedKeySpec(Der.rsaPublicKeyInfo(publicKeyData)));
        }
    }

    /** The size in bits of an RSA key, or 0 for other key types. */
    public static int rsaBits(PublicKey key) {
        return key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DkimKeyRecord r && keyType.equals(r.keyType) && hashes.equals(r.hashes)
                && Arrays.equals(publicKeyData, r.publicKeyData) && services.equals(r.services)
                && testing == r.testing && strict == r.strict;
    }

    @Override
    public int hashCode() {
        return keyType.hashCode() * 31 + Arrays.hashCode(publicKeyData);
    }

    @Override
    public String toString() {
        return "DkimKeyRecord[k=" + keyType + ", h=" + hashes + ", p=" + Base64.getEncoder().encodeToString(publicKeyData)
                + ", s=" + services + ", testing=" + testing + ", strict=" + strict + "]";
    }

    @Override
    public byte[] publicKeyData() {
        return publicKeyData.clone();
    }
}

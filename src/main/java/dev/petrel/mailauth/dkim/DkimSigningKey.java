package dev.petrel.mailauth.dkim;

import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Locale;

/**
 * One key Petrel signs with: the signing domain ({@code d=}), the selector ({@code s=}) under which
 * its public half is published, the algorithm and the private key.
 */
public record DkimSigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey) {
    public DkimSigningKey {
        domain = domain.strip().toLowerCase(Locale.ROOT);
        selector = selector.strip().toLowerCase(Locale.ROOT);
        if (!DkimSignature.validDomain(domain)) throw new IllegalArgumentException("not a domain name: " + domain);
        if (!DkimSignature.validDomain(selector)) throw new IllegalArgumentException("not a valid selector: " + selector);
        switch (algorithm) {
            case RSA_SHA256 -> {
                if (!(privateKey instanceof RSAPrivateKey rsa)) throw new IllegalArgumentException("rsa-sha256 needs an RSA key");
                // RFC 8301 section 3.2: signers MUST use at least 1024 bits (and SHOULD use 2048).
                if (rsa.getModulus().bitLength() < 1024) throw new IllegalArgumentException("RSA key of "
                        + rsa.getModulus().bitLength() + " bits is too short: DKIM needs at least 1024 (2048 recommended)");
            }
            case ED25519_SHA256 -> {
                if (!(privateKey instanceof EdECPrivateKey)) throw new IllegalArgumentException("ed25519-sha256 needs an Ed25519 key");
            }
            case RSA_SHA1 -> throw new IllegalArgumentException("rsa-sha1 must not be used for signing (RFC 8301)");
        }
    }

    /** A key whose algorithm follows from the key: rsa-sha256 for RSA, ed25519-sha256 for Ed25519. */
    public static DkimSigningKey of(String domain, String selector, PrivateKey privateKey) {
        DkimAlgorithm algorithm = privateKey instanceof EdECPrivateKey ? DkimAlgorithm.ED25519_SHA256 : DkimAlgorithm.RSA_SHA256;
        return new DkimSigningKey(domain, selector, algorithm, privateKey);
    }

    @Override
    public String toString() {
        return "DkimSigningKey[d=" + domain + ", s=" + selector + ", a=" + algorithm.tagValue() + "]"; // never the key
    }
}

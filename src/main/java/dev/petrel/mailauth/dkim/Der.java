package dev.petrel.mailauth.dkim;

import java.io.ByteArrayOutputStream;

/**
 * The few DER structures DKIM keys need, wrapped by hand so that only the JDK is involved: an
 * Ed25519 public key is published raw (RFC 8463 section 4), and RSA keys are sometimes published
 * or stored in PKCS#1 form rather than the X.509 and PKCS#8 forms the JDK reads.
 */
final class Der {
    private Der() {}

    /** AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** SubjectPublicKeyInfo prefix for a 32-byte Ed25519 key (OID 1.3.101.112). */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 public key. */
    static byte[] ed25519PublicKeyInfo(byte[] raw) {
        byte[] out = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, out, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, out, ED25519_SPKI_PREFIX.length, raw.length);
        return out;
    }

    /** The raw 32 bytes of an Ed25519 SubjectPublicKeyInfo (as the JDK encodes it). */
    static byte[] ed25519RawPublicKey(byte[] spki) {
        if (spki.length != ED25519_SPKI_PREFIX.length + 32) throw new IllegalArgumentException("not an Ed25519 public key");
        byte[] raw = new byte[32];
        System.arraycopy(spki, ED25519_SPKI_PREFIX.length, raw, 0, 32);
        return raw;
    }

    /** SubjectPublicKeyInfo around a PKCS#1 RSAPublicKey. */
    static byte[] rsaPublicKeyInfo(byte[] pkcs1) {
        byte[] bitString = new byte[pkcs1.length + 1]; // leading 0: no unused bits
        System.arraycopy(pkcs1, 0, bitString, 1, pkcs1.length);
        return sequence(RSA_ALGORITHM, element(0x03, bitString));
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey ("BEGIN RSA PRIVATE KEY", as opendkim-genkey writes). */
    static byte[] rsaPrivateKeyInfo(byte[] pkcs1) {
        return sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, element(0x04, pkcs1));
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) body.writeBytes(p);
        return element(0x30, body.toByteArray());
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}

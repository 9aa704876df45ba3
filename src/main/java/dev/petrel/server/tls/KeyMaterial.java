package dev.petrel.server.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A private key and the certificate chain that goes with it (leaf first), as loaded from PEM files.
 *
 * <p>PEM parsing uses BouncyCastle's {@link PEMParser}; the keys and certificates are converted to
 * the JDK's own classes (no BouncyCastle provider is registered), so the JDK's JSSE uses them as
 * if they came from a keystore.
 *
 * @param privateKey the server's private key
 * @param chain      the certificate chain, leaf (the key's own certificate) first; never empty
 */
public record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {

    public KeyMaterial {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) throw new IllegalArgumentException("chain is empty");
    }

    /** The server's own certificate, the first of the chain. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /**
     * Loads a PEM certificate chain and a PEM private key, and checks that the key belongs to the
     * first certificate.
     *
     * <p>The certificate file may hold several certificates (leaf first, then intermediates, as in
     * Let's Encrypt's {@code fullchain.pem}); other PEM blocks in it are ignored. The key file may
     * hold a PKCS#8 {@code PRIVATE KEY}, a PKCS#1 {@code RSA PRIVATE KEY} or an SEC1
     * {@code EC PRIVATE KEY}; the first key found is used. Encrypted keys are refused, because the
     * server has nobody to ask for a passphrase.
     *
     * @throws TlsSetupException naming the file and the problem
     */
    public static KeyMaterial fromPem(Path certificateFile, Path privateKeyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(privateKeyFile);
        if (!List.of("RSA", "EC", "Ed25519", "Ed448", "EdDSA").contains(key.getAlgorithm())) {
            throw new TlsSetupException(privateKeyFile + ": unsupported key type " + key.getAlgorithm()
                    + " (use an RSA, EC or Ed25519 key)");
        }
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new TlsSetupException(privateKeyFile + ": private key does not match the certificate"
                    + " (the first certificate in " + certificateFile
                    + " must be the server's own certificate, issued for this key)");
        }
        return new KeyMaterial(key, chain);
    }

    static List<X509Certificate> readCertificates(Path file) {
        var converter = new JcaX509CertificateConverter(); // JDK provider: the JDK's X509Certificate
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : readPemObjects(file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new TlsSetupException(file + ": certificate " + (chain.size() + 1)
                            + " cannot be decoded: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException(file + ": no certificate found (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    static PrivateKey readPrivateKey(Path file) {
        var converter = new JcaPEMKeyConverter(); // JDK KeyFactory: the JDK's PrivateKey classes
        for (Object o : readPemObjects(file)) {
            try {
                switch (o) {
                    case PrivateKeyInfo info -> { return converter.getPrivateKey(info); }
                    case PEMKeyPair pair -> { return converter.getKeyPair(pair).getPrivate(); }
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encryptedKey(file);
                    case PEMEncryptedKeyPair encrypted -> throw encryptedKey(file);
                    default -> { } // EC PARAMETERS, certificates etc.: not what we look for here
                }
            } catch (IOException e) {
                throw new TlsSetupException(file + ": private key cannot be decoded: " + e.getMessage(), e);
            }
        }
        throw new TlsSetupException(file + ": no private key found (expected -----BEGIN PRIVATE KEY-----,"
                + " -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    private static TlsSetupException encryptedKey(Path file) {
        return new TlsSetupException(file + ": private key is encrypted; the server cannot ask for a passphrase."
                + " Decrypt it with: openssl pkey -in " + file + " -out key-plain.pem");
    }

    private static List<Object> readPemObjects(Path file) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) objects.add(o);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(file + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new TlsSetupException(file + ": permission denied (the user running petrel cannot read it)", e);
        } catch (IOException e) {
            // BouncyCastle reports malformed PEM as IOException too; the message says which.
            throw new TlsSetupException(file + ": cannot read: " + e.getMessage(), e);
        }
        return objects;
    }

    /**
     * Whether the private key belongs to the public key. Signing a probe and verifying it works for
     * every key type alike, where comparing key internals would need one branch per algorithm.
     */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> privateKey.getAlgorithm();
            default -> "";
        };
        if (algorithm.isEmpty()) return false;
        try {
            byte[] probe = "petrel key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA certificate with an EC key: the verifier refuses the key
        }
    }
}

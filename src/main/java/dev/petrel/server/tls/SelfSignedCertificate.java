package dev.petrel.server.tls;

import dev.petrel.io.DurableFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * The self-signed certificate used when no {@code [tls] certificate} is configured, so that
 * STARTTLS and port 465 work out of the box (most MX peers encrypt opportunistically and do not
 * verify certificates, so even a self-signed one protects against passive eavesdropping).
 *
 * <p>The key (EC P-256) and certificate live in {@code <dataDir>/tls/selfsigned-key.pem} and
 * {@code selfsigned-cert.pem}. They are reused on the next start so that clients that pinned the
 * certificate keep working; they are regenerated when missing, unreadable, not valid at this
 * moment, or not issued for the current hostname. Both files are written atomically (temporary
 * file, fsync, rename, fsync of the directory); the key file is mode 0600.
 *
 * <p>Thread safety: {@link #loadOrCreate} is synchronized, so two listeners starting at once do
 * not both write the files.
 */
public final class SelfSignedCertificate {
    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);

    /** How long a generated certificate is valid. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    /** Back-date notBefore a little, so that clients whose clock is behind accept a fresh certificate. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private SelfSignedCertificate() {}

    /** {@code <dataDir>/tls/selfsigned-cert.pem}: the certificate clients may choose to trust. */
    public static Path certificateFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("selfsigned-cert.pem");
    }

    /** {@code <dataDir>/tls/selfsigned-key.pem}. */
    public static Path privateKeyFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("selfsigned-key.pem");
    }

    /** Loads the self-signed pair for {@code hostname}, or generates it valid for one year from now. */
    public static KeyMaterial loadOrCreate(Path dataDir, String hostname) {
        return loadOrCreate(dataDir, hostname, Clock.systemUTC(), DEFAULT_VALIDITY);
    }

    /**
     * Loads the self-signed pair if it is usable at {@code clock}'s now for {@code hostname},
     * otherwise generates a new one valid for {@code validity}. The clock and validity are
     * parameters so that tests can produce an expired certificate.
     *
     * @throws TlsSetupException if the files cannot be written
     */
    public static synchronized KeyMaterial loadOrCreate(Path dataDir, String hostname, Clock clock, Duration validity) {
        Path certFile = certificateFile(dataDir);
        Path keyFile = privateKeyFile(dataDir);
        Instant now = clock.instant();
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            String problem;
            try {
                KeyMaterial existing = KeyMaterial.fromPem(certFile, keyFile);
                problem = unusableBecause(existing.certificate(), hostname, now);
                if (problem == null) {
                    log.debug("Reusing self-signed TLS certificate {}", certFile);
                    return existing;
                }
            } catch (TlsSetupException e) {
                problem = e.getMessage();
            }
            log.info("Generating a new self-signed TLS certificate; the old one cannot be used: {}", problem);
        }
        KeyMaterial fresh = generate(hostname, now, validity);
        try {
            Path dir = certFile.getParent();
            Files.createDirectories(dir);
            // Key first: if we crash in between, the old certificate no longer matches the new key,
            // and the next start regenerates both instead of serving a mismatched pair.
            writeAtomically(keyFile, pem("PRIVATE KEY", fresh.privateKey().getEncoded()), "rw-------");
            writeAtomically(certFile, pem("CERTIFICATE", fresh.certificate().getEncoded()), "rw-r--r--");
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException(certFile.getParent() + ": cannot write the self-signed certificate: " + e, e);
        }
        log.info("Generated self-signed TLS certificate {} for {}, valid until {}",
                certFile, hostname, fresh.certificate().getNotAfter().toInstant());
        return fresh;
    }

    /** Why {@code cert} cannot be reused, or null if it can. */
    private static String unusableBecause(X509Certificate cert, String hostname, Instant now) {
        Date at = Date.from(now);
        if (at.after(cert.getNotAfter())) return "expired since " + cert.getNotAfter().toInstant();
        if (at.before(cert.getNotBefore())) return "not valid before " + cert.getNotBefore().toInstant();
        if (!dnsNames(cert).contains(hostname.toLowerCase(Locale.ROOT))) {
            return "issued for " + dnsNames(cert) + ", not for " + hostname;
        }
        return null;
    }

    static List<String> dnsNames(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) return List.of();
            return names.stream()
                    .filter(n -> Integer.valueOf(GeneralName.dNSName).equals(n.get(0)))
                    .map(n -> ((String) n.get(1)).toLowerCase(Locale.ROOT))
                    .toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** A fresh EC P-256 key and a certificate for it: SAN dNSName=hostname and IP 127.0.0.1. */
    static KeyMaterial generate(String hostname, Instant now, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();

            X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, hostname)
                    .addRDN(BCStyle.O, "Petrel self-signed")
                    .build();
            // Positive 127-bit random serial: unique per generation, as RFC 5280 asks.
            BigInteger serial = new BigInteger(127, new SecureRandom()).setBit(0);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, serial,
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)),
                    name, pair.getPublic());
            var extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, hostname),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            // No provider set: the JDK's own SunEC signs and the JDK's CertificateFactory decodes.
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new KeyMaterial(pair.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e, e);
        }
    }

    static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The key is created 0600 before any byte is written; see {@link DurableFiles#replace}. */
    static void writeAtomically(Path target, byte[] data, String permissions) throws IOException {
        DurableFiles.replace(target, data, permissions);
    }
}

package dev.petrel.server.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedCertificateTest {
    private static final String HOST = "mail.example.test";

    @TempDir Path dataDir;

    @Test
    void generatesCertificateForHostnameAndLoopbackWithPrivateKeyFile() throws Exception {
        KeyMaterial km = SelfSignedCertificate.loadOrCreate(dataDir, HOST);

        Path certFile = dataDir.resolve("tls/selfsigned-cert.pem");
        Path keyFile = dataDir.resolve("tls/selfsigned-key.pem");
        assertThat(certFile).exists();
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        try (var files = Files.list(dataDir.resolve("tls"))) {
            assertThat(files).as("no temporary files left behind").hasSize(2);
        }

        X509Certificate cert = km.certificate();
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, HOST), List.of(7, "127.0.0.1"));
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        Duration validity = Duration.between(Instant.now(), cert.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(364), Duration.ofDays(366));
        cert.verify(cert.getPublicKey()); // really self-signed
    }

    @Test
    void reusesTheSamePairOnTheNextStart() {
        KeyMaterial first = SelfSignedCertificate.loadOrCreate(dataDir, HOST);
        KeyMaterial second = SelfSignedCertificate.loadOrCreate(dataDir, HOST);

        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(second.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    }

    @Test
    void regeneratesWhenExpired() {
        Clock twoYearsAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(730)), ZoneOffset.UTC);
        KeyMaterial old = SelfSignedCertificate.loadOrCreate(dataDir, HOST, twoYearsAgo, Duration.ofDays(365));
        assertThat(old.certificate().getNotAfter().toInstant()).isBefore(Instant.now());

        KeyMaterial renewed = SelfSignedCertificate.loadOrCreate(dataDir, HOST);

        assertThat(renewed.certificate()).isNotEqualTo(old.certificate());
        assertThat(renewed.certificate().getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
        // and the renewed pair is what is on disk now
        assertThat(SelfSignedCertificate.loadOrCreate(dataDir, HOST).certificate()).isEqualTo(renewed.certificate());
    }

    @Test
    void regeneratesWhenHostnameChanged() throws Exception {
        KeyMaterial old = SelfSignedCertificate.loadOrCreate(dataDir, HOST);

        KeyMaterial renamed = SelfSignedCertificate.loadOrCreate(dataDir, "mx2.example.test");

        assertThat(renamed.certificate()).isNotEqualTo(old.certificate());
        assertThat(renamed.certificate().getSubjectAlternativeNames()).contains(List.of(2, "mx2.example.test"));
    }

    @Test
    void regeneratesWhenFilesAreDamaged() throws Exception {
        KeyMaterial old = SelfSignedCertificate.loadOrCreate(dataDir, HOST);
        Files.writeString(SelfSignedCertificate.certificateFile(dataDir), "garbage\n");

        KeyMaterial fresh = SelfSignedCertificate.loadOrCreate(dataDir, HOST);

        assertThat(fresh.certificate()).isNotEqualTo(old.certificate());
        assertThat(KeyMaterial.fromPem(SelfSignedCertificate.certificateFile(dataDir),
                SelfSignedCertificate.privateKeyFile(dataDir)).certificate()).isEqualTo(fresh.certificate());
    }
}

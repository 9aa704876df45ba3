package dev.petrel.server.tls;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Loading PEM pairs made by the openssl command line, and the errors for bad ones. */
class KeyMaterialTest {
    @TempDir Path dir;

    @BeforeEach
    void needOpenssl() {
        Openssl.assumeInstalled();
    }

    /** A self-signed certificate for localhost and 127.0.0.1 over {@code keyFile}. */
    private Path certificateFor(String keyFile, String certFile) throws Exception {
        Openssl.ok(dir, "req", "-x509", "-key", keyFile, "-out", certFile, "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        return dir.resolve(certFile);
    }

    private Path rsaPair(String name) throws Exception {
        Openssl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + "-key.pem");
        return certificateFor(name + "-key.pem", name + "-cert.pem");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // key format,  openssl commands that write key.pem,                                            expected PEM header
            "RSA PKCS#8,    genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem,               PRIVATE KEY",
            "RSA PKCS#1,    genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k8.pem|rsa -in k8.pem -traditional -out key.pem, RSA PRIVATE KEY",
            "EC SEC1,       ecparam -name prime256v1 -genkey -out key.pem,                                     EC PRIVATE KEY",
            "EC PKCS#8,     genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem,             PRIVATE KEY",
    })
    void loadsOpensslPairAndHandshakes(String format, String commands, String header) throws Exception {
        for (String command : commands.split("\\|")) Openssl.ok(dir, command.trim().split(" +"));
        assertThat(Files.readString(dir.resolve("key.pem"))).contains("-----BEGIN " + header + "-----");
        Path cert = certificateFor("key.pem", "cert.pem");

        KeyMaterial km = KeyMaterial.fromPem(cert, dir.resolve("key.pem"));

        assertThat(km.chain()).hasSize(1);
        assertThat(km.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        var serverContext = TlsContextFactory.serverContext(cert, dir.resolve("key.pem"), dir, "unused");
        try (var server = new OneShotTlsServer(serverContext, null);
             var client = TlsClient.connect(TlsContextFactory.clientContextTrusting(km.certificate()), server.port())) {
            assertThat(client.readLine()).isEqualTo("hello");
            assertThat(server.session().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void servesTheWholeChainSoClientsTrustingOnlyTheCaVerify() throws Exception {
        Openssl.ok(dir, "req", "-x509", "-newkey", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA");
        Openssl.ok(dir, "req", "-new", "-newkey", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "leaf.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Openssl.ok(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "leaf.pem");
        Files.writeString(dir.resolve("fullchain.pem"),
                Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));

        KeyMaterial km = KeyMaterial.fromPem(dir.resolve("fullchain.pem"), dir.resolve("key.pem"));
        assertThat(km.chain()).hasSize(2);

        X509Certificate ca;
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        try (var server = new OneShotTlsServer(TlsContextFactory.serverContext(km), null);
             var client = TlsClient.connect(TlsContextFactory.clientContextTrusting(ca), server.port())) {
            assertThat(client.readLine()).isEqualTo("hello");
            assertThat(client.socket().getSession().getPeerCertificates()).hasSize(2);
        }
    }

    @Test
    void mismatchedKeyIsNamed() throws Exception {
        Path certA = rsaPair("a");
        rsaPair("b");
        Path keyB = dir.resolve("b-key.pem");

        assertThatThrownBy(() -> KeyMaterial.fromPem(certA, keyB))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith(keyB + ": private key does not match the certificate");
    }

    @Test
    void ecKeyWithRsaCertificateIsAMismatchToo() throws Exception {
        Path certA = rsaPair("a");
        Openssl.ok(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-key.pem");

        assertThatThrownBy(() -> KeyMaterial.fromPem(certA, dir.resolve("ec-key.pem")))
                .hasMessageStartingWith(dir.resolve("ec-key.pem") + ": private key does not match the certificate");
    }

    @Test
    void certificateFileWithoutCertificate() throws Exception {
        rsaPair("a");
        Path key = dir.resolve("a-key.pem");

        assertThatThrownBy(() -> KeyMaterial.fromPem(key, key))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage(key + ": no certificate found (expected -----BEGIN CERTIFICATE-----)");
    }

    @Test
    void keyFileWithoutKey() throws Exception {
        Path cert = rsaPair("a");

        assertThatThrownBy(() -> KeyMaterial.fromPem(cert, cert))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith(cert + ": no private key found (expected -----BEGIN PRIVATE KEY-----");
    }

    @Test
    void missingFile() throws Exception {
        Path cert = rsaPair("a");
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> KeyMaterial.fromPem(cert, missing))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage(missing + ": file not found");
        assertThatThrownBy(() -> KeyMaterial.fromPem(missing, dir.resolve("a-key.pem")))
                .hasMessage(missing + ": file not found");
    }

    @Test
    void unreadableFile() throws Exception {
        Path cert = rsaPair("a");
        Path key = dir.resolve("a-key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(key), "running as root: permissions are not enforced");

        assertThatThrownBy(() -> KeyMaterial.fromPem(cert, key))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith(key + ": permission denied");
    }

    @Test
    void directoryInsteadOfFile() throws Exception {
        Path key = rsaPair("a").resolveSibling("a-key.pem");

        assertThatThrownBy(() -> KeyMaterial.fromPem(dir, key))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith(dir + ": cannot read: ");
    }

    @Test
    void encryptedKeyIsRefusedWithTheFix() throws Exception {
        Path cert = rsaPair("a");
        Openssl.ok(dir, "pkey", "-in", "a-key.pem", "-aes256", "-passout", "pass:secret", "-out", "enc.pem");

        assertThatThrownBy(() -> KeyMaterial.fromPem(cert, dir.resolve("enc.pem")))
                .hasMessageStartingWith(dir.resolve("enc.pem") + ": private key is encrypted")
                .hasMessageContaining("openssl pkey -in");
    }

    @Test
    void certificateWithoutKeyInConfigIsRefused() throws Exception {
        Path cert = rsaPair("a");

        assertThatThrownBy(() -> TlsContextFactory.serverContext(cert, null, dir, "localhost"))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("[tls] certificate is set but private_key is not");
    }
}

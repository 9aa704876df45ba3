package dev.petrel.server.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real handshakes over 127.0.0.1 against a server using the generated self-signed certificate. */
class TlsHandshakeTest {
    @TempDir static Path dataDir;
    static SSLContext serverContext;
    static SSLContext trustingClient;

    @BeforeAll
    static void setUp() {
        serverContext = TlsContextFactory.serverContext(null, null, dataDir, "mail.example.test");
        // What a test or `petrel doctor` does: trust exactly the certificate the server wrote.
        var cert = KeyMaterial.readCertificates(SelfSignedCertificate.certificateFile(dataDir)).getFirst();
        trustingClient = TlsContextFactory.clientContextTrusting(cert);
    }

    @Test
    void tls13WithVerifiedSelfSignedCertificate() throws Exception {
        try (var server = new OneShotTlsServer(serverContext, null);
             var client = TlsClient.connect(trustingClient, server.port())) {
            assertThat(client.readLine()).isEqualTo("hello");
            assertThat(client.socket().getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(server.session().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void tls12NegotiatesAForwardSecretAeadSuite() throws Exception {
        try (var server = new OneShotTlsServer(serverContext, null);
             var client = TlsClient.connect(trustingClient, server.port(), "TLSv1.2")) {
            assertThat(client.readLine()).isEqualTo("hello");
            assertThat(server.session().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(server.session().getCipherSuite())
                    .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"); // the server's first choice for an EC key
        }
    }

    @Test
    void starttlsStyleUpgradeAfterPlaintext() throws Exception {
        try (var server = new OneShotTlsServer(serverContext, "220 2.0.0 Ready to start TLS\r\n");
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            var plainReader = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(plainReader.readLine()).isEqualTo("220 2.0.0 Ready to start TLS");
            try (var client = TlsClient.layer(trustingClient, plain)) {
                assertThat(client.readLine()).isEqualTo("hello");
                assertThat(server.session().getProtocol()).isEqualTo("TLSv1.3");
            }
        }
    }

    @Test
    void clientTrustingAnotherCertificateRefusesTheServer() throws Exception {
        var other = SelfSignedCertificate.generate("other.example.test", java.time.Instant.now(), java.time.Duration.ofDays(1));
        try (var server = new OneShotTlsServer(serverContext, null)) {
            assertThatThrownBy(() -> TlsClient.connect(TlsContextFactory.clientContextTrusting(other.certificate()), server.port()))
                    .isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(server::session).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void hardenedSocketOffersOnlyModernProtocolsAndSuites() throws Exception {
        try (SSLSocket socket = (SSLSocket) serverContext.getSocketFactory().createSocket()) {
            socket.setUseClientMode(false);
            TlsContextFactory.hardenServerSocket(socket);

            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(socket.getEnabledCipherSuites())
                    .isNotEmpty()
                    .allSatisfy(suite -> assertThat(suite).matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"
                            + "|TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
            assertThat(Arrays.asList(socket.getEnabledCipherSuites())).containsExactlyElementsOf(TlsContextFactory.CIPHER_SUITES);
            assertThat(socket.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1", "-tls1_1"})
    void opensslClientLimitedToOldTlsIsRefused(String option) throws Exception {
        Openssl.assumeInstalled();
        try (var server = new OneShotTlsServer(serverContext, null)) {
            // SECLEVEL=0: OpenSSL 3 would otherwise refuse to even offer TLS 1.0/1.1 itself, and
            // the test would prove nothing about the server.
            var result = Openssl.run(dataDir, "s_client", "-connect", "127.0.0.1:" + server.port(),
                    option, "-cipher", "DEFAULT@SECLEVEL=0");

            assertThat(result.exitCode()).as(result.output()).isNotZero();
            assertThatThrownBy(server::session)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .cause().hasMessageContaining("protocol").hasMessageContaining("not enabled");
        }
    }

    @Test
    void opensslClientWithCbcOnlyTls12IsRefused() throws Exception {
        Openssl.assumeInstalled();
        try (var server = new OneShotTlsServer(serverContext, null)) {
            var result = Openssl.run(dataDir, "s_client", "-connect", "127.0.0.1:" + server.port(),
                    "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA");

            assertThat(result.exitCode()).as(result.output()).isNotZero();
            assertThatThrownBy(server::session).hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void opensslClientHandshakes(String option) throws Exception {
        Openssl.assumeInstalled();
        try (var server = new OneShotTlsServer(serverContext, null)) {
            var result = Openssl.run(dataDir, "s_client", "-connect", "127.0.0.1:" + server.port(), option,
                    "-CAfile", SelfSignedCertificate.certificateFile(dataDir).toString(), "-verify_return_error",
                    "-verify_ip", "127.0.0.1", "-ign_eof");

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("Verify return code: 0 (ok)").contains("hello");
            assertThat(server.session().getProtocol()).isEqualTo(option.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3");
        }
    }
}

package dev.petrel.server.tls;

import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol versions on the implicit-TLS submission port of a running server: TLS 1.2 and 1.3
 * work end to end, TLS 1.1 is refused by the server. The JDK client will not even offer TLS 1.1
 * (jdk.tls.disabledAlgorithms), so the refusal is shown with openssl s_client at security level 0.
 */
@Timeout(60)
class ImplicitTlsVersionsTest {
    @TempDir Path dir;

    @Test
    void tls12AndTls13ClientsGetTheGreetingAndAuth() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                try (SmtpTestClient c = SmtpTestClient.connectTls(server.clientTls(), server.submissionsPort(), protocol)) {
                    assertThat(((SSLSocket) c.socket()).getSession().getProtocol()).isEqualTo(protocol);
                    assertThat(c.read().line()).isEqualTo("220 mx.petrel.test ESMTP Petrel");
                    assertThat(c.command("EHLO client.test").texts()).contains("AUTH PLAIN LOGIN SCRAM-SHA-256");
                    assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
                }
            }
        }
    }

    @Test
    void tls11IsRefusedByTheServer() throws Exception {
        Openssl.assumeInstalled();
        try (TestServer server = TestServer.start(dir)) {
            String target = "127.0.0.1:" + server.submissionsPort();
            // Control: the same openssl invocation with TLS 1.2 succeeds, so a failure below is the server's doing.
            Openssl.Result ok = Openssl.run(dir, "s_client", "-connect", target, "-tls1_2", "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("Protocol  : TLSv1.2");

            Openssl.Result old = Openssl.run(dir, "s_client", "-connect", target, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(old.exitCode()).as(old.output()).isNotZero();
            assertThat(old.output()).as(old.output()).contains("alert protocol version");
            assertThat(old.output()).doesNotContain("ESMTP Petrel");

            // The refused handshake did not leave a connection slot taken.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> server.server().openConnections() == 0);
        }
    }
}

package dev.petrel.inbox.api;

import dev.petrel.server.SmtpTestClient;
import dev.petrel.server.tls.TlsContextFactory;
import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * [capture] auth = "users" and tls = true, through a whole Petrel over real sockets: the inbox UI
 * and API answer only Petrel users, only over HTTPS with the server's certificate.
 */
@Timeout(60)
class InboxAccessTest {
    @TempDir Path dir;
    private TestPetrel petrel;
    private HttpClient https;

    @BeforeEach
    void start() throws Exception {
        petrel = TestPetrel.start(dir, """
                [server]
                hostname = "staging.example.com"
                data_dir = "data"

                [mail_auth]
                verify = false

                [capture]
                enabled = true
                auth = "users"
                tls = true
                """, TestPetrel.listener("mx", MX, STARTTLS));
        petrel.addUser("tester", "correct horse");
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(petrel.certificateFile())) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        https = HttpClient.newBuilder().sslContext(TlsContextFactory.clientContextTrusting(certificate))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        if (https != null) https.close();
        if (petrel != null) petrel.close();
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(petrel.inboxUrl() + path)).timeout(Duration.ofSeconds(20));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyAPetrelUserGetsInAndSeesTheMailCapturedOverSmtp() throws Exception {
        assertThat(petrel.inboxUrl()).startsWith("https://");
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.port("mx"))) {
            c.startData("app@example.com", "bob@example.org");
            assertThat(c.command("Subject: for the team\r\n\r\nhello\r\n.").code()).isEqualTo(250);
        }

        HttpResponse<String> anonymous = get("/api/v1/messages", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Petrel inbox\", charset=\"UTF-8\"");
        assertThat(anonymous.body()).doesNotContain("for the team");
        assertThat(get("/", null, null).statusCode()).as("the UI too").isEqualTo(401);
        assertThat(get("/livez", null, null).statusCode()).as("health checks need no password").isEqualTo(200);
        assertThat(get("/api/v1/tags", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/messages", "tester", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/messages", "nobody", "correct horse").statusCode()).isEqualTo(401);

        HttpResponse<String> user = get("/api/v1/messages", "tester", "correct horse");
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.body()).contains("for the team");
        assertThat(get("/", "tester", "correct horse").body()).contains("<html");
    }

    @Test
    void plainHttpIsNotServed() {
        String plain = petrel.inboxUrl().replace("https://", "http://") + "/api/v1/messages";
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            assertThatThrownBy(() -> {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(plain)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("a plain request must not be answered with mail").isNotEqualTo(200);
                throw new IOException("answered " + r.statusCode());
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void repeatedFailuresFromOneAddressAreRefusedForAWhileEvenWithTheRightPassword() throws Exception {
        for (int i = 0; i < BasicAuthGuard.MAX_FAILURES; i++) {
            assertThat(get("/api/v1/messages", "tester", "guess" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = get("/api/v1/messages", "tester", "correct horse");
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).startsWith("too many failed logins from ");
    }
}

package dev.petrel.junit;

import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static dev.petrel.junit.MailQueries.subject;
import static dev.petrel.junit.TestMailer.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code PetrelInbox.connect(url)} to a staging Petrel whose inbox has {@code auth = "users"} and
 * {@code tls = true}: the helper logs in and trusts the server's generated certificate.
 */
@Timeout(120)
class PetrelInboxSecuredConnectTest {
    private static final Path DIR = tempDir();
    private static final TestPetrel SERVER = start();

    @RegisterExtension
    PetrelInbox inbox = PetrelInbox.connect(SERVER.inboxUrl())
            .withCredentials("ci", "s3cret").trusting(SERVER.certificateFile());

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("petrel-secured-connect-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestPetrel start() {
        try {
            TestPetrel p = TestPetrel.start(DIR, """
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
            p.addUser("ci", "s3cret");
            return p;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        SERVER.close();
        try (Stream<Path> paths = Files.walk(DIR)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void logsInOverHttpsAndAwaitsTheMail() throws Exception {
        assertThat(SERVER.inboxUrl()).startsWith("https://");
        String dave = inbox.address("dave@example.org");
        TestMailer.sendMx(SERVER.port("mx"), "app@example.com", dave, message("App <app@example.com>", dave, "Your code", "1234"));
        inbox.await(subject("Your code")).hasTextContaining("1234");
    }

    @Test
    void withoutCredentialsTheServerSays401() {
        PetrelInbox anonymous = PetrelInbox.connect(SERVER.inboxUrl()).trusting(SERVER.certificateFile());
        assertThatThrownBy(() -> anonymous.beforeAll(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(" answered 401 ");
        assertThatThrownBy(() -> PetrelInbox.inProcess().withCredentials("a", "b")).isInstanceOf(IllegalStateException.class);
    }
}

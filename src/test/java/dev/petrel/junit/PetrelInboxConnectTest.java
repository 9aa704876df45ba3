package dev.petrel.junit;

import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static dev.petrel.junit.MailQueries.from;
import static dev.petrel.junit.TestMailer.message;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code PetrelInbox.connect(url)} against a Petrel that runs on its own (started here from a TOML
 * file with [capture] on, as an operator would run a staging server): the extension, registered in an
 * instance field, talks to it only over the HTTP API.
 */
@Timeout(120)
class PetrelInboxConnectTest {
    private static final Path DIR = tempDir();
    private static final TestPetrel SERVER = start();

    @RegisterExtension
    PetrelInbox inbox = PetrelInbox.connect(SERVER.inboxUrl() + "/");

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("petrel-connect-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestPetrel start() {
        try {
            return TestPetrel.start(DIR, """
                    [server]
                    hostname = "staging.example.com"
                    data_dir = "data"

                    [capture]
                    enabled = true
                    """, TestPetrel.listener("mx", MX, STARTTLS));
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
    void awaitsMailCapturedByAServerRunningElsewhere() throws Exception {
        String carol = inbox.address("carol@example.org");
        TestMailer.sendMx(SERVER.port("mx"), "news@example.com", carol, message("News <news@example.com>", carol, "Weekly news", "Hello."));

        inbox.await(from("news@example.com")).hasSubject("Weekly news").envelopeTo("carol@example.org");
        assertThatThrownBy(inbox::smtpPort).isInstanceOf(IllegalStateException.class)
                .hasMessage("this PetrelInbox is connected to " + SERVER.inboxUrl() + "; listener ports and users belong to that server's config");
    }

    @Test
    void aUrlWhereNothingListensFailsAtStartNamingIt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PetrelInbox nowhere = PetrelInbox.connect("http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> nowhere.beforeAll(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot reach Petrel's inbox API at http://127.0.0.1:" + closedPort + " (")
                .hasMessageEndingWith("is Petrel running with [capture] enabled, and is this its web UI address?");
        assertThatThrownBy(() -> PetrelInbox.connect("127.0.0.1:8025")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'127.0.0.1:8025' is not the URL of Petrel's inbox; write it as http://127.0.0.1:8025");
    }
}

package dev.petrel.server;

import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Many idle clients at once: each is greeted, counted, and released when it goes. */
@Timeout(120)
class IdleConnectionsTest {
    private static final int CLIENTS = 500;

    @TempDir Path dir;

    @Test
    void fiveHundredIdleConnectionsAreAllGreetedAndCounted() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.connectionLimits(c, 1000, 1000))) {
            List<SmtpTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) clients.add(SmtpTestClient.connect(server.mxPort()));
                for (SmtpTestClient c : clients) assertThat(c.read().line()).isEqualTo("220 mx.petrel.test ESMTP Petrel");
                assertThat(server.server().openConnections()).isEqualTo(CLIENTS);
                // Still responsive while they sit there.
                assertThat(clients.get(CLIENTS / 2).command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            } finally {
                for (SmtpTestClient c : clients) c.close();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server().openConnections() == 0);
        }
    }
}

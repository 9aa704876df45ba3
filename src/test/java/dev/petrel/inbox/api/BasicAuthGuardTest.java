package dev.petrel.inbox.api;

import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.Retention;
import dev.petrel.protocol.sasl.CredentialStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard hashes a password once and then remembers the pair, so a browser's many requests stay cheap. */
class BasicAuthGuardTest {
    @TempDir Path dir;
    private InboxStore store;
    private InboxServer server;
    private final AtomicInteger checks = new AtomicInteger();

    /** Counts the (expensive, in real life) password checks; alice's password is "right". */
    private final CredentialStore users = new CredentialStore() {
        @Override
        public boolean verifyPassword(String username, String password) {
            checks.incrementAndGet();
            return username.equals("alice") && password.equals("right");
        }

        @Override
        public Optional<ScramCredential> scramSha256(String username) {
            return Optional.empty();
        }
    };

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    private int get(HttpClient http, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/messages"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aVerifiedPairIsCheckedOnceAndAWrongOneEveryTime() throws Exception {
        store = InboxStore.open(dir, Retention.unlimited());
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0), null, null, new InboxAccess(users, null));
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 3; i++) assertThat(get(http, "alice", "right")).isEqualTo(200);
            assertThat(checks.get()).isEqualTo(1);
            assertThat(get(http, "alice", "wrong")).isEqualTo(401);
            assertThat(get(http, "alice", "wrong")).isEqualTo(401);
            assertThat(checks.get()).as("a wrong password is never remembered").isEqualTo(3);
            assertThat(get(http, "alice", "right")).isEqualTo(200);
            assertThat(checks.get()).isEqualTo(3);
        }
    }
}

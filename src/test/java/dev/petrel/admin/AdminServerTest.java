package dev.petrel.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.config.PetrelConfig;
import dev.petrel.message.QueueId;
import dev.petrel.queue.QueueControl.QueueEntry;
import dev.petrel.queue.QueueControl.RecipientState;
import dev.petrel.queue.QueueControl.State;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
    static final QueueId A = new QueueId("00VcKlFNi103rj9T");
    static final QueueId B = new QueueId("00VcKlFNi103rj9U");
    static final QueueId UNKNOWN = new QueueId("ZZZZZZZZZZZZZZZZ");

    @TempDir
    Path dataDir;

    private final FakeQueueControl queue = new FakeQueueControl();
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminServer server;
    private String token;

    static PetrelConfig.Admin loopback() {
        return new PetrelConfig.Admin(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @BeforeEach
    void start() throws IOException {
        queue.add(new QueueEntry(A, 460, Instant.parse("2020-11-29T04:38:58Z"), "alice@example.com", false,
                List.of(new RecipientState("bob@example.org", State.DEFERRED, 3, Instant.parse("2020-11-29T05:00:00Z"),
                        "connect to mx.example.com[192.0.2.1]:25: Connection refused"))));
        queue.add(new QueueEntry(B, 2048, Instant.parse("2020-11-29T04:40:00Z"), "", false,
                List.of(new RecipientState("carol@example.net", State.PENDING, 0, null, null))));
        server = new AdminServer(loopback(), queue, dataDir).start();
        token = Files.readString(dataDir.resolve("admin.token")).trim();
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + AdminServer.hostPort(server.address()) + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return call(method, path, "Bearer " + token);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return AdminJson.MAPPER.readTree(r.body());
    }

    @Test
    void writesTokenAndAddressFilesAndRemovesThemOnClose() throws Exception {
        Path tokenFile = dataDir.resolve("admin.token");
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dataDir.resolve("admin.address")).trim())
                .isEqualTo("127.0.0.1:" + server.address().getPort());
        assertThat(server.address().getPort()).isPositive();
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("admin.token", "admin.address");
        }

        server.close();
        assertThat(dataDir.resolve("admin.token")).doesNotExist();
        assertThat(dataDir.resolve("admin.address")).doesNotExist();
        server.close(); // idempotent
    }

    @Test
    void eachStartMakesANewToken() throws Exception {
        server.close();
        server = new AdminServer(loopback(), queue, dataDir).start();
        assertThat(Files.readString(dataDir.resolve("admin.token")).trim()).isNotEqualTo(token);
    }

    @Test
    void refusesANonLoopbackAddress() {
        AdminServer wildcard = new AdminServer(new PetrelConfig.Admin(new InetSocketAddress("0.0.0.0", 0)), queue, dataDir.resolve("other"));
        assertThatThrownBy(wildcard::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0.0.0.0:0 is not a loopback address")
                .hasMessageContaining("listens only on 127.0.0.1 or [::1]");
        assertThat(dataDir.resolve("other")).doesNotExist();
    }

    @Test
    void everyRouteNeedsTheToken() throws Exception {
        for (String[] route : new String[][] {{"GET", "/queue"}, {"GET", "/queue/" + A}, {"POST", "/queue/flush"},
                {"POST", "/queue/" + A + "/hold"}, {"DELETE", "/queue/" + A}, {"GET", "/nowhere"}}) {
            for (String auth : new String[] {null, "Bearer " + "0".repeat(64), "Bearer " + token + "x", token, "bearer " + token}) {
                HttpResponse<String> r = call(route[0], route[1], auth);
                assertThat(r.statusCode()).as("%s %s with %s", route[0], route[1], auth).isEqualTo(401);
                assertThat(json(r).get("error").asText()).contains("missing or wrong token");
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            }
        }
        assertThat(queue.mutations).hasValue(0);
        assertThat(queue.show(A).orElseThrow().held()).isFalse();
    }

    @Test
    void listAndShow() throws Exception {
        HttpResponse<String> list = call("GET", "/queue");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode messages = json(list).get("messages");
        assertThat(messages).hasSize(2);
        JsonNode first = messages.get(0);
        assertThat(first.get("id").asText()).isEqualTo(A.value());
        assertThat(first.get("size").asLong()).isEqualTo(460);
        assertThat(first.get("arrival").asText()).isEqualTo("2020-11-29T04:38:58Z");
        assertThat(first.get("sender").asText()).isEqualTo("alice@example.com");
        assertThat(first.get("held").asBoolean()).isFalse();
        JsonNode rcpt = first.get("recipients").get(0);
        assertThat(rcpt.get("recipient").asText()).isEqualTo("bob@example.org");
        assertThat(rcpt.get("state").asText()).isEqualTo("DEFERRED");
        assertThat(rcpt.get("attempts").asInt()).isEqualTo(3);
        assertThat(rcpt.get("nextAttempt").asText()).isEqualTo("2020-11-29T05:00:00Z");
        assertThat(rcpt.get("lastError").asText()).contains("Connection refused");

        HttpResponse<String> show = call("GET", "/queue/" + B);
        assertThat(show.statusCode()).isEqualTo(200);
        QueueEntry b = AdminJson.MAPPER.readValue(show.body(), QueueEntry.class);
        assertThat(b).isEqualTo(queue.show(B).orElseThrow());

        HttpResponse<String> unknown = call("GET", "/queue/" + UNKNOWN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("no such message: " + UNKNOWN);

        HttpResponse<String> invalid = call("GET", "/queue/not-an-id");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("error").asText()).startsWith("not a queue id: 'not-an-id'");

        assertThat(call("GET", "/queue?x=1").statusCode()).isEqualTo(200);
        assertThat(queue.mutations).as("GET never changes state").hasValue(0);
    }

    @Test
    void flush() throws Exception {
        HttpResponse<String> all = call("POST", "/queue/flush");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).get("flushed").asInt()).isEqualTo(2);

        HttpResponse<String> one = call("POST", "/queue/" + A + "/flush");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("flushed").asInt()).isEqualTo(1);

        assertThat(call("POST", "/queue/" + UNKNOWN + "/flush").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/queue/bad/flush").statusCode()).isEqualTo(400);
        assertThat(queue.calls).containsExactly("flush ALL", "flush " + A, "flush " + UNKNOWN);
    }

    @Test
    void holdReleaseBounceDelete() throws Exception {
        HttpResponse<String> hold = call("POST", "/queue/" + A + "/hold");
        assertThat(hold.statusCode()).isEqualTo(200);
        assertThat(json(hold).get("id").asText()).isEqualTo(A.value());
        assertThat(json(hold).get("status").asText()).isEqualTo("held");
        assertThat(queue.show(A).orElseThrow().held()).isTrue();

        HttpResponse<String> release = call("POST", "/queue/" + A + "/release");
        assertThat(release.statusCode()).isEqualTo(200);
        assertThat(json(release).get("status").asText()).isEqualTo("released");
        assertThat(queue.show(A).orElseThrow().held()).isFalse();

        HttpResponse<String> bounce = call("POST", "/queue/" + A + "/bounce");
        assertThat(bounce.statusCode()).isEqualTo(200);
        assertThat(json(bounce).get("status").asText()).isEqualTo("bounced");

        HttpResponse<String> delete = call("DELETE", "/queue/" + B);
        assertThat(delete.statusCode()).isEqualTo(200);
        assertThat(json(delete).get("status").asText()).isEqualTo("deleted");
        assertThat(queue.list()).isEmpty();

        for (String action : new String[] {"hold", "release", "bounce"}) {
            HttpResponse<String> r = call("POST", "/queue/" + A + "/" + action);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json(r).get("error").asText()).isEqualTo("no such message: " + A);
            assertThat(call("POST", "/queue/0123/" + action).statusCode()).isEqualTo(400);
        }
        assertThat(call("DELETE", "/queue/" + B).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/queue/x").statusCode()).isEqualTo(400);
    }

    @Test
    void wrongMethodsAre405AndChangeNothing() throws Exception {
        String[][] cases = {
                {"POST", "/queue", "GET"}, {"DELETE", "/queue", "GET"},
                {"GET", "/queue/flush", "POST"}, {"DELETE", "/queue/flush", "POST"},
                {"POST", "/queue/" + A, "GET, DELETE"}, {"PUT", "/queue/" + A, "GET, DELETE"},
                {"GET", "/queue/" + A + "/hold", "POST"}, {"GET", "/queue/" + A + "/flush", "POST"},
                {"GET", "/queue/" + A + "/release", "POST"}, {"GET", "/queue/" + A + "/bounce", "POST"},
                {"DELETE", "/queue/" + A + "/hold", "POST"}};
        for (String[] c : cases) {
            HttpResponse<String> r = call(c[0], c[1]);
            assertThat(r.statusCode()).as("%s %s", c[0], c[1]).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue(c[2]);
            assertThat(json(r).get("error").asText()).isEqualTo(c[0] + " is not allowed here; use " + c[2]);
        }
        assertThat(queue.mutations).hasValue(0);
        assertThat(queue.show(A).orElseThrow().held()).isFalse();
    }

    @Test
    void unknownPathsAre404() throws Exception {
        for (String path : new String[] {"/", "/queues", "/queue/", "/queue/" + A + "/explode", "/queue/" + A + "/hold/x"}) {
            HttpResponse<String> r = call("POST", path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("error").asText()).startsWith("no such resource");
        }
        assertThat(queue.mutations).hasValue(0);
    }

    @Test
    void failuresAreJsonWithoutStackTrace() throws Exception {
        queue.failure = new IllegalStateException("spool is read-only");
        HttpResponse<String> r = call("GET", "/queue");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(json(r).get("error").asText()).isEqualTo("internal error: IllegalStateException: spool is read-only");
        assertThat(r.body()).doesNotContain("at dev.petrel", "Exception:\n");
    }

    @Test
    void largeBodiesAreRefused() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + AdminServer.hostPort(server.address()) + "/queue/flush"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000)))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(queue.mutations).hasValue(0);

        HttpRequest small = HttpRequest.newBuilder(request.uri()).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(http.send(small, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}

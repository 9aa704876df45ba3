package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.inbox.InboxEvent;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.Retention;
import dev.petrel.inbox.TestMail;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/events over real HTTP, and the drop rule for a client that stops reading. */
class InboxEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    InboxStore store;
    InboxServer server;

    @BeforeEach
    void start() throws Exception {
        store = InboxStore.open(dir, Retention.unlimited());
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void aStoredMessageArrivesAsAnEventWithItsSummary() throws Exception {
        try (SseReader events = new SseReader(server.port())) {
            assertThat(events.response().statusCode()).isEqualTo(200);
            assertThat(events.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            events.awaitLine(": petrel inbox events", WAIT); // subscribed from here on

            MessageSummary stored = store.store(TestMail.mail().subject("Live one").attachment("a.pdf").captured("signup"));

            SseReader.Event event = events.nextEvent(WAIT);
            assertThat(event.name()).isEqualTo("stored");
            JsonNode data = ApiClient.parse(event.data());
            assertThat(data.path("ID").asText()).isEqualTo(stored.id());
            assertThat(data.path("Subject").asText()).isEqualTo("Live one");
            assertThat(data.path("Inbox").asText()).isEqualTo("signup");
            assertThat(data.path("Attachments").asInt()).isEqualTo(1);
            assertThat(data.path("Read").asBoolean()).isFalse();
        }
    }

    @Test
    void readChangesAndDeletionsArriveAsEvents() throws Exception {
        MessageSummary first = store.store(TestMail.mail().subject("one").captured("x"));
        MessageSummary second = store.store(TestMail.mail().subject("two").captured("x"));
        try (SseReader events = new SseReader(server.port())) {
            events.awaitLine(": petrel inbox events", WAIT);
            ApiClient api = new ApiClient(server.port());

            api.put("/api/v1/messages", "{\"Read\": true, \"IDs\": [\"" + first.id() + "\"]}");
            SseReader.Event read = events.nextEvent(WAIT);
            api.delete("/api/v1/messages", "{\"IDs\": [\"" + second.id() + "\"]}");
            SseReader.Event deleted = events.nextEvent(WAIT);

            assertThat(read.name()).isEqualTo("read");
            assertThat(ApiClient.parse(read.data()).path("IDs")).extracting(JsonNode::asText).containsExactly(first.id());
            assertThat(ApiClient.parse(read.data()).path("Read").asBoolean()).isTrue();
            assertThat(deleted.name()).isEqualTo("deleted");
            assertThat(ApiClient.parse(deleted.data()).path("IDs")).extracting(JsonNode::asText).containsExactly(second.id());
        }
    }

    @Test
    void closingTheServerEndsTheStream() throws Exception {
        try (SseReader events = new SseReader(server.port())) {
            events.awaitLine(": petrel inbox events", WAIT);
            long started = System.nanoTime();

            server.close();

            events.awaitEnd(WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() throws Exception {
        try (LiveEvents live = new LiveEvents(store, 4, 16, Duration.ofMillis(200));
             EventsOnlyServer app = EventsOnlyServer.start(live);
             SseReader events = new SseReader(app.port())) {
            events.awaitLine(": petrel inbox events", WAIT);
            events.awaitLine(": heartbeat", Duration.ofSeconds(5));
            events.awaitLine(": heartbeat", Duration.ofSeconds(5));
        }
    }

    @Test
    void clientsBeyondTheLimitAreRefusedWith503UntilOneLeaves() throws Exception {
        try (LiveEvents live = new LiveEvents(store, 1, 16, Duration.ofMillis(200));
             EventsOnlyServer app = EventsOnlyServer.start(live)) {
            ApiClient api = new ApiClient(app.port());
            SseReader first = new SseReader(app.port());
            first.awaitLine(": petrel inbox events", WAIT);

            HttpResponse<String> refused = api.get("/api/v1/events");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("too many live event clients (at most 1)");

            first.close(); // the server notices at its next heartbeat write and frees the place
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (live.clientCount() > 0 && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(50);
            try (SseReader again = new SseReader(app.port())) {
                assertThat(again.response().statusCode()).isEqualTo(200);
                again.awaitLine(": petrel inbox events", WAIT);
            }
        }
    }

    @Test
    void aClientThatFallsBehindIsDroppedWithoutBlockingTheStoresWriter() throws Exception {
        List<MessageSummary> stored = List.of(
                store.store(TestMail.mail().subject("a").captured("x")),
                store.store(TestMail.mail().subject("b").captured("x")),
                store.store(TestMail.mail().subject("c").captured("x")));
        CountDownLatch aborted = new CountDownLatch(1);
        try (LiveEvents live = new LiveEvents(store, 4, 2, Duration.ofSeconds(15))) {
            ClientQueue slow = live.join(aborted::countDown).orElseThrow();
            ClientQueue keepingUp = live.join(() -> { }).orElseThrow();

            long started = System.nanoTime();
            live.onEvent(new InboxEvent.Stored(stored.subList(0, 2))); // fills both queues
            drain(keepingUp, 2);
            live.onEvent(new InboxEvent.Stored(stored.subList(2, 3))); // one more than the slow queue holds
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(slow.dropped()).isTrue();
            assertThat(aborted.await(5, TimeUnit.SECONDS)).as("the slow client's connection is closed").isTrue();
            assertThat(slow.next(Duration.ofMillis(10))).isInstanceOf(ClientQueue.Next.End.class);
            assertThat(keepingUp.dropped()).isFalse();
            assertThat(keepingUp.next(Duration.ofSeconds(1))).isInstanceOfSatisfying(ClientQueue.Next.Frame.class,
                    frame -> assertThat(frame.text()).startsWith("event: stored\n").contains("\"Subject\":\"c\""));
            assertThat(live.clientCount()).isEqualTo(1);
        }
    }

    private static void drain(ClientQueue queue, int frames) throws InterruptedException {
        for (int i = 0; i < frames; i++) {
            assertThat(queue.next(Duration.ofSeconds(1))).isInstanceOf(ClientQueue.Next.Frame.class);
        }
    }

    /** A server with only the events route, for limits and heartbeats shorter than the defaults. */
    private record EventsOnlyServer(Javalin app) implements AutoCloseable {
        static EventsOnlyServer start(LiveEvents live) {
            Consumer<io.javalin.config.JavalinConfig> setup = config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.concurrency.useVirtualThreads = true;
                config.jetty.host = "127.0.0.1";
                config.jetty.port = 0;
                new EventStreamRoute(live).register(config.routes);
            };
            return new EventsOnlyServer(Javalin.create(setup).start());
        }

        int port() {
            return app.port();
        }

        @Override
        public void close() {
            app.stop();
        }
    }
}

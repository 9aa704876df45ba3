package dev.petrel.inbox.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a {@code text/event-stream} over real HTTP (java.net.http) for the live-events tests: a
 * virtual thread copies the lines into a queue, and the test takes them with a bounded wait.
 */
final class SseReader implements AutoCloseable {
    /** One event as the stream spelled it: its name and its data lines joined with newlines. */
    record Event(String name, String data) {
    }

    private static final String END = "\u0000end of stream";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;

    SseReader(int port) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("Accept", "text/event-stream").GET().build();
        response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        Thread.ofVirtual().name("sse-reader").start(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            } catch (RuntimeException e) {
                // closed by the test or cut by the server: END below says so
            } finally {
                lines.add(END);
            }
        });
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The next line, or null when none came within {@code timeout}; END_OF_STREAM when the server ended it. */
    String nextLine(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static boolean isEnd(String line) {
        return END.equals(line);
    }

    /** Skips comments and lines until a line equal to {@code wanted}; fails when it does not come in time. */
    void awaitLine(String wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < 10_000; i++) {
            String line = nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line == null || isEnd(line)) throw new AssertionError("no line '" + wanted + "' within " + timeout + " (got " + line + ")");
            if (line.equals(wanted)) return;
        }
        throw new AssertionError("no line '" + wanted + "' in 10000 lines");
    }

    /** The next event (comments and retry lines skipped), or fails after {@code timeout}. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String name = null;
        List<String> data = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String line = nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line == null || isEnd(line)) throw new AssertionError("no event within " + timeout + (line == null ? "" : ": the stream ended"));
            if (line.isEmpty()) {
                if (name != null || !data.isEmpty()) return new Event(name, String.join("\n", data));
            } else if (line.startsWith("event: ")) {
                name = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                data.add(line.substring("data: ".length()));
            }
        }
        throw new AssertionError("no event in 10000 lines");
    }

    /** Waits until the server ends the stream; fails when it does not within {@code timeout}. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < 100_000; i++) {
            String line = nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line == null) throw new AssertionError("the stream did not end within " + timeout);
            if (isEnd(line)) return;
        }
        throw new AssertionError("the stream did not end within 100000 lines");
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}

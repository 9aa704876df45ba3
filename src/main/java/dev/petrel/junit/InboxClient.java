package dev.petrel.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The few calls of the inbox's HTTP API ({@code /api/v1}, docs/inbox-api.md) the helper needs, over
 * {@link HttpClient}. Thread-safe. Any answer other than the expected one is an
 * {@link IllegalStateException} carrying the status and the server's text (for a refused query the
 * server says what to write), or naming the URL when the server cannot be reached.
 */
final class InboxClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final HttpClient http;
    private final String authorization; // the Basic header value, or null

    /** @param baseUrl e.g. {@code http://127.0.0.1:8025} (a trailing slash is ignored) */
    InboxClient(String baseUrl) {
        this(baseUrl, null, null, null);
    }

    /**
     * @param user     a Petrel user for an inbox with {@code [capture] auth = "users"}, or null
     * @param password its password
     * @param tls      the trust for an {@code https} inbox, or null for the JDK's default trust
     */
    InboxClient(String baseUrl, String user, String password, SSLContext tls) {
        String b = baseUrl.strip();
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        URI uri;
        try {
            uri = URI.create(b);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + baseUrl + "' is not the URL of Petrel's inbox; write it as http://127.0.0.1:8025");
        }
        this.base = b;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) builder.sslContext(tls);
        this.http = builder.build();
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String baseUrl() {
        return base;
    }

    /**
     * The server's wait-for: the oldest message matching {@code query} stored after {@code after}
     * (null: any), or empty when none arrived within {@code timeout} (the server's 408).
     */
    Optional<JsonNode> await(String query, String after, Duration timeout) {
        String path = "/api/v1/wait?timeout=" + Math.max(1, timeout.toMillis()) + "ms&query=" + encode(query)
                + (after == null ? "" : "&after=" + encode(after));
        HttpResponse<String> r = send(request(path, timeout.plus(REQUEST_TIMEOUT)).GET());
        if (r.statusCode() == 408) return Optional.empty();
        return Optional.of(json(expectOk(r, path)));
    }

    /** The full message JSON (text, HTML, attachments, envelope, authentication). */
    JsonNode message(String id) {
        String path = "/api/v1/message/" + encode(id);
        return json(expectOk(get(path), path));
    }

    /** The message as received, byte for byte. */
    byte[] raw(String id) {
        String path = "/api/v1/message/" + encode(id) + "/raw";
        try {
            HttpResponse<byte[]> r = http.send(request(path, REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + base + path + " answered " + r.statusCode() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + base + path, e);
        }
    }

    /** The newest message summaries matching {@code query} (empty: all), newest first, at most {@code limit}. */
    List<JsonNode> latest(String query, int limit) {
        String path = query.isEmpty() ? "/api/v1/messages?limit=" + limit
                : "/api/v1/search?limit=" + limit + "&query=" + encode(query);
        List<JsonNode> out = new ArrayList<>();
        json(expectOk(get(path), path)).path("messages").forEach(out::add);
        return out;
    }

    /** The ID of the newest stored message, or null when the inbox is empty: a cursor for "after now". */
    String newestId() {
        List<JsonNode> newest = latest("", 1);
        return newest.isEmpty() ? null : newest.getFirst().path("ID").asText();
    }

    /** Deletes every message matching {@code query}, which must not be empty (the server refuses that anyway). */
    void deleteMatching(String query) {
        String path = "/api/v1/search?query=" + encode(query);
        expectOk(send(request(path, REQUEST_TIMEOUT).DELETE()), "DELETE " + path);
    }

    private HttpResponse<String> get(String path) {
        return send(request(path, REQUEST_TIMEOUT).GET());
    }

    /** A request to {@code path} with this client's credentials. */
    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout);
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + built.uri(), e);
        }
    }

    private String expectOk(HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Petrel's inbox API at " + base + " answered " + r.statusCode() + " to " + what + ": " + r.body());
        }
        return r.body();
    }

    private IllegalStateException unreachable(IOException e) {
        return new IllegalStateException("cannot reach Petrel's inbox API at " + base + " (" + e
                + "); is Petrel running with [capture] enabled, and is this its web UI address?", e);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the inbox API answered something that is not JSON: " + body, e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

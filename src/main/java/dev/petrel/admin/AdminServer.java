package dev.petrel.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.petrel.io.DurableFiles;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.petrel.config.PetrelConfig;
import dev.petrel.message.QueueId;
import dev.petrel.queue.QueueControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local HTTP endpoint that {@code petrel queue} talks to, over a {@link QueueControl}.
 *
 * <p>Lifecycle: {@code new AdminServer(config, queue, dataDir)} does nothing yet; {@link #start()}
 * refuses a non-loopback address, binds, then writes {@code <dataDir>/admin.token} (a fresh
 * 256-bit token, mode 0600) and {@code <dataDir>/admin.address} ({@code 127.0.0.1:PORT}), in that
 * order so a client that sees the address also finds the token. {@link #close()} removes both
 * files and stops the listener; it is idempotent. The files are how the CLI finds the server, so
 * only whoever can read the data dir can control the queue.
 *
 * <p>Routes (all need {@code Authorization: Bearer <token>}, else 401): {@code GET /queue},
 * {@code GET /queue/{id}}, {@code POST /queue/flush}, {@code POST /queue/{id}/flush|hold|release|bounce},
 * {@code DELETE /queue/{id}}. Answers are JSON; errors are {@code {"error": "..."}}. And
 * {@code GET /metrics}, the Prometheus text format, which needs no token: counts are all it shows,
 * and the endpoint is on loopback only, for a local agent to scrape. GET never
 * changes state. Handlers run on virtual threads; each is a few lines over {@link QueueControl}
 * so that moving to another HTTP server later only replaces the dispatch.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("petrel.admin");
    static final String TOKEN_FILE = "admin.token";
    static final String ADDRESS_FILE = "admin.address";
    /** No route takes a body; anything beyond this is refused rather than read. */
    private static final int MAX_BODY = 4096;

    private final InetSocketAddress configured;
    private final QueueControl queue;
    private final Path dataDir;
    private HttpServer http;
    private ExecutorService executor;
    private byte[] expectedAuthorization;
    private boolean stopped;
    private volatile PrometheusMeterRegistry metrics;

    /**
     * @param config  the [admin] section; its address must be loopback (port 0 picks a free port)
     * @param queue   the running scheduler's queue control
     * @param dataDir where admin.token and admin.address are written (server.data_dir)
     */
    public AdminServer(PetrelConfig.Admin config, QueueControl queue, Path dataDir) {
        this.configured = Objects.requireNonNull(config, "config").address();
        this.queue = Objects.requireNonNull(queue, "queue");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    /** Serves {@code registry} at {@code GET /metrics}. */
    public AdminServer withMetrics(PrometheusMeterRegistry registry) {
        this.metrics = registry;
        return this;
    }

    /** The same, taking the [admin] section from a whole config. */
    public AdminServer(PetrelConfig config, QueueControl queue, Path dataDir) {
        this(config.admin(), queue, dataDir);
    }

    /**
     * Binds and publishes the token and address files.
     *
     * @throws IllegalStateException when the address is not loopback, or when started twice
     * @throws IOException           when the port cannot be bound or the files cannot be written
     */
    public synchronized AdminServer start() throws IOException {
        if (http != null || stopped) throw new IllegalStateException("an AdminServer starts once");
        if (configured.getAddress() == null || !configured.getAddress().isLoopbackAddress()) {
            // The admin API can delete and bounce mail; a token alone is thin protection on a
            // public interface, so it never leaves the machine. Remote access: an SSH tunnel.
            throw new IllegalStateException("admin.address " + configured.getHostString() + ":" + configured.getPort()
                    + " is not a loopback address; the admin endpoint controls the queue, so it listens only on"
                    + " 127.0.0.1 or [::1] (use an SSH tunnel for remote access)");
        }
        String token = HexFormat.of().formatHex(randomBytes(32));
        expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);

        http = HttpServer.create(configured, 50);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        try {
            Files.createDirectories(dataDir);
            writeAtomically(dataDir, TOKEN_FILE, token + "\n");
            writeAtomically(dataDir, ADDRESS_FILE, hostPort(address()) + "\n");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("admin endpoint listening on {} (token in {})", hostPort(address()), dataDir.resolve(TOKEN_FILE));
        return this;
    }

    /** Where it listens (with the real port once started). */
    public synchronized InetSocketAddress address() {
        return http == null ? configured : http.getAddress();
    }

    /** Removes the token and address files and stops listening. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        // Address first: a client that still finds it would at worst get a refused connection.
        for (String name : new String[] {ADDRESS_FILE, TOKEN_FILE}) {
            try {
                Files.deleteIfExists(dataDir.resolve(name));
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", dataDir.resolve(name), e.toString());
            }
        }
        if (http != null) {
            http.stop(1); // let a running request finish, for at most a second
            executor.close();
        }
    }

    // ---- dispatch ----

    private void handle(HttpExchange exchange) throws IOException {
        if (metrics != null && exchange.getRequestURI().getRawPath().equals("/metrics")) {
            serveMetrics(exchange);
            return;
        }
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (RuntimeException e) {
                // The operator gets a short reason; the stack trace goes to the server log only.
                log.error("admin {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                reply = Reply.error(500, "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            send(exchange, reply);
        }
    }

    private void serveMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Reply route(HttpExchange exchange) throws IOException {
        if (!bodyWithinLimit(exchange)) return Reply.error(413, "no admin request takes a body");
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"petrel-admin\"");
            return Reply.error(401, "missing or wrong token; send 'Authorization: Bearer <token>' with the token from "
                    + TOKEN_FILE + " in the server's data directory");
        }
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getRawPath().split("/", -1);
        // parts[0] is the empty string before the leading slash.
        if (parts.length < 2 || !parts[1].equals("queue")) return notFound();
        if (parts.length == 2) {
            return method.equals("GET") ? Reply.ok(Map.of("messages", queue.list())) : notAllowed(exchange, "GET");
        }
        if (parts.length == 3 && parts[2].equals("flush")) {
            return method.equals("POST") ? Reply.ok(Map.of("flushed", queue.flush(Optional.empty()))) : notAllowed(exchange, "POST");
        }
        if (parts.length == 3 && !parts[2].isEmpty()) {
            return switch (method) {
                case "GET" -> withId(parts[2], id -> queue.show(id).map(Reply::ok).orElseGet(() -> noSuchMessage(id)));
                case "DELETE" -> withId(parts[2], id -> done(queue.delete(id), id, "deleted"));
                default -> notAllowed(exchange, "GET, DELETE");
            };
        }
        if (parts.length == 4) {
            String action = parts[3];
            if (!action.equals("flush") && !action.equals("hold") && !action.equals("release") && !action.equals("bounce")) {
                return notFound();
            }
            if (!method.equals("POST")) return notAllowed(exchange, "POST");
            return withId(parts[2], id -> switch (action) {
                case "flush" -> flushOne(id);
                case "hold" -> done(queue.hold(id), id, "held");
                case "release" -> done(queue.release(id), id, "released");
                default -> done(queue.bounce(id), id, "bounced");
            });
        }
        return notFound();
    }

    private Reply flushOne(QueueId id) {
        int n = queue.flush(Optional.of(id));
        // flush reports 0 both for "nothing deferred" and "no such message"; only the latter is a 404.
        if (n == 0 && queue.show(id).isEmpty()) return noSuchMessage(id);
        return Reply.ok(Map.of("flushed", n));
    }

    private static Reply withId(String raw, java.util.function.Function<QueueId, Reply> action) {
        if (!QueueId.isValid(raw)) {
            return Reply.error(400, "not a queue id: '" + raw + "' (16 characters of 0-9, A-Z, a-z)");
        }
        return action.apply(new QueueId(raw));
    }

    private static Reply done(boolean found, QueueId id, String status) {
        if (!found) return noSuchMessage(id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("status", status);
        return Reply.ok(body);
    }

    private static Reply noSuchMessage(QueueId id) {
        return Reply.error(404, "no such message: " + id);
    }

    private static Reply notFound() {
        return Reply.error(404, "no such resource; the admin API has /queue, /queue/flush and /queue/{id}[/flush|hold|release|bounce]");
    }

    private static Reply notAllowed(HttpExchange exchange, String allow) {
        exchange.getResponseHeaders().set("Allow", allow);
        return Reply.error(405, exchange.getRequestMethod() + " is not allowed here; use " + allow);
    }

    private boolean authorized(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        // MessageDigest.isEqual takes the same time wherever the first difference is.
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII), expectedAuthorization);
    }

    /** Reads and discards at most MAX_BODY bytes; false when there is more (or more is announced). */
    private static boolean bodyWithinLimit(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) return false;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        InputStream in = exchange.getRequestBody();
        return in.readNBytes(MAX_BODY + 1).length <= MAX_BODY;
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body = AdminJson.MAPPER.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** One answer: a status and a value Jackson turns into the JSON body. */
    private record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message));
        }
    }

    // ---- files ----

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Created 0600 (the token is never readable by others), durable once written; see {@link DurableFiles#replace}. */
    private static void writeAtomically(Path dir, String name, String content) throws IOException {
        DurableFiles.replace(dir.resolve(name), content.getBytes(StandardCharsets.US_ASCII), "rw-------");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}

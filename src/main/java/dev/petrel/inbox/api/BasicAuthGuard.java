package dev.petrel.inbox.api;

import dev.petrel.policy.FailureWindow;
import dev.petrel.protocol.sasl.CredentialStore;
import io.javalin.http.Context;
import io.javalin.security.BasicAuthCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication (RFC 7617) of every inbox request against Petrel's users, as Mailpit's
 * {@code --ui-auth-file} does. A request without valid credentials gets 401 with a challenge, so a
 * browser asks for them and then sends them with every request, event streams included. An IP
 * that fails {@link #MAX_FAILURES} times within {@link #WINDOW} gets 429 until its failures age
 * out, so passwords cannot be guessed at the speed of HTTP. Passwords are never logged.
 *
 * <p>Checking a password costs an Argon2id hash (tens of milliseconds), and a browser sends the
 * credentials with every request; so a pair that verified is remembered, as a SHA-256 digest only,
 * for {@link #REMEMBER}. A changed password therefore takes up to that long to lock the old one out.
 */
final class BasicAuthGuard {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthGuard.class);
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final String CHALLENGE = "Basic realm=\"Petrel inbox\", charset=\"UTF-8\"";

    static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 1_000;

    private final CredentialStore users;
    private final FailureWindow<String> failures;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> verified = new ConcurrentHashMap<>();

    BasicAuthGuard(CredentialStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
        this.failures = new FailureWindow<>(WINDOW, MAX_FAILURES, 100_000, clock);
    }

    /** Runs before every request: lets it through, or ends it with 401 or 429. */
    void check(Context ctx) {
        if (ctx.path().equals(InfoRoutes.LIVE) || ctx.path().equals(InfoRoutes.READY)) return; // health checks say nothing
        String ip = ctx.ip();
        if (failures.count(ip) >= MAX_FAILURES) {
            throw new Refused(429, "too many failed logins from " + ip + "; try again in " + WINDOW.toMinutes() + " minutes", false);
        }
        BasicAuthCredentials credentials = credentials(ctx);
        if (credentials != null && verify(credentials)) return;
        if (credentials != null) {
            failures.add(ip);
            LOG.warn("inbox: failed login from {} as {}", ip, dev.petrel.message.ClientText.printable(credentials.getUsername()));
        }
        throw new Refused(401, "log in with a Petrel user name and password (petrel user add NAME)", true);
    }

    private boolean verify(BasicAuthCredentials credentials) {
        String key = digest(credentials.getUsername(), credentials.getPassword());
        Instant now = clock.instant();
        Instant until = verified.get(key);
        if (until != null && now.isBefore(until)) return true;
        if (!users.verifyPassword(credentials.getUsername(), credentials.getPassword())) return false;
        if (verified.size() >= MAX_REMEMBERED) verified.clear(); // bounded; the next requests simply hash again
        verified.put(key, now.plus(REMEMBER));
        return true;
    }

    private static String digest(String user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static BasicAuthCredentials credentials(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            return ctx.basicAuthCredentials();
        } catch (RuntimeException e) {
            return null; // malformed base64 or no colon: no credentials
        }
    }

    /** The refusal, answered as text by the server's exception handler. */
    static final class Refused extends RuntimeException {
        final int status;
        final boolean challenge;

        Refused(int status, String message, boolean challenge) {
            super(message, null, false, false);
            this.status = status;
            this.challenge = challenge;
        }

        void answer(Context ctx) {
            if (challenge) ctx.header("WWW-Authenticate", CHALLENGE);
            ctx.status(status).contentType("text/plain; charset=utf-8").result(getMessage());
        }
    }
}

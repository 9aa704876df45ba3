package dev.petrel.inbox.api;

import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.InboxStoreException;
import dev.petrel.inbox.TooManyWaitersException;
import dev.petrel.policy.FaultPlan;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * The inbox HTTP API, its live events ({@code /api/v1/events}) and the web UI (at {@code /}) on an
 * embedded Javalin (Jetty) server. Start it with {@link #start}; close it to stop listening and end
 * the event streams (the store stays open: its owner closes it).
 *
 * <p>Requests run on virtual threads; a wait-for holds no thread while it waits, an event stream
 * holds one while it is open. The connection idle timeout is longer than the longest wait-for, so
 * Jetty does not cut a long poll short; event streams send a heartbeat well within it.
 */
public final class InboxServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxServer.class);
    private static final Duration IDLE_TIMEOUT = WaitParameters.MAX_TIMEOUT.plusMinutes(1);

    private final Javalin app;
    private final LiveEvents events;

    private InboxServer(Javalin app, LiveEvents events) {
        this.app = app;
        this.events = events;
    }

    /** Serves {@code store}'s API on {@code address} (port 0 picks a free port; see {@link #port()}). */
    public static InboxServer start(InboxStore store, InetSocketAddress address) {
        return start(store, address, null);
    }

    /** As {@link #start(InboxStore, InetSocketAddress)}, also serving {@code /api/v1/faults} when {@code faults} is not null. */
    public static InboxServer start(InboxStore store, InetSocketAddress address, FaultPlan faults) {
        return start(store, address, faults, null);
    }

    /**
     * As {@link #start(InboxStore, InetSocketAddress, FaultPlan)}, also serving
     * {@code POST /api/v1/message/{ID}/release} when {@code releaser} is not null.
     */
    public static InboxServer start(InboxStore store, InetSocketAddress address, FaultPlan faults, Releaser releaser) {
        return start(store, address, faults, releaser, InboxAccess.OPEN);
    }

    /**
     * As {@link #start(InboxStore, InetSocketAddress, FaultPlan, Releaser)}, with {@code access}
     * deciding who may use it (HTTP Basic against Petrel's users) and whether it is HTTPS.
     */
    public static InboxServer start(InboxStore store, InetSocketAddress address, FaultPlan faults, Releaser releaser,
                                    InboxAccess access) {
        ApiRoutes routes = new ApiRoutes(store);
        BasicAuthGuard guard = access.users() == null ? null : new BasicAuthGuard(access.users(), Clock.systemUTC());
        LiveEvents events = LiveEvents.withDefaults(store);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = 16L * 1024 * 1024;
            config.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = access.tls() == null
                        ? new ServerConnector(server, new HttpConnectionFactory(httpConfig))
                        : new ServerConnector(server, tls(access.tls(), httpConfig), new HttpConnectionFactory(httpConfig));
                connector.setHost(address.getHostString());
                connector.setPort(address.getPort());
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
            if (guard != null) config.routes.before(guard::check); // first: nothing is served before it
            config.routes.exception(BasicAuthGuard.Refused.class, (e, ctx) -> e.answer(ctx));
            routes.register(config.routes);
            new TagRoutes(store).register(config.routes);
            new InfoRoutes(store).register(config.routes);
            if (faults != null) new FaultRoutes(faults).register(config.routes);
            if (releaser != null) new ReleaseRoute(store, releaser).register(config.routes);
            new EventStreamRoute(events).register(config.routes);
            new UiRoutes().register(config.routes);
            config.routes.exception(BadRequest.class, (e, ctx) -> text(ctx, 400, e.getMessage()));
            config.routes.exception(NotFound.class, (e, ctx) -> text(ctx, 404, e.getMessage()));
            config.routes.exception(TooManyWaitersException.class, (e, ctx) -> text(ctx, 503, e.getMessage()));
            config.routes.exception(InboxStoreException.class, (e, ctx) -> {
                LOG.error("inbox API: {} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
                text(ctx, 500, e.getMessage());
            });
            config.routes.exception(RuntimeException.class, (e, ctx) -> {
                LOG.error("inbox API: {} {} failed unexpectedly", ctx.method(), ctx.path(), e);
                text(ctx, 500, "internal error: " + e);
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }
        return new InboxServer(app, events);
    }

    /**
     * TLS with {@code context}, the server's own (the [tls] certificate or the generated one). The
     * host name check of SNI is off: people reach a staging inbox by IP address as often as by name.
     */
    private static SslConnectionFactory tls(SSLContext context, HttpConfiguration httpConfig) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(context);
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        httpConfig.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        return new SslConnectionFactory(factory, "http/1.1");
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        events.close(); // ends the event streams first, so stopping the server does not wait for them
        app.stop();
    }

    private static void text(Context ctx, int status, String message) {
        ctx.status(status).contentType("text/plain; charset=utf-8").result(message);
    }
}

package dev.petrel.inbox.api;

import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.InboxStoreException;
import dev.petrel.inbox.TooManyWaitersException;
import dev.petrel.policy.FaultPlan;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
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
        ApiRoutes routes = new ApiRoutes(store);
        LiveEvents events = LiveEvents.withDefaults(store);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = 16L * 1024 * 1024;
            config.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(address.getHostString());
                connector.setPort(address.getPort());
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
            routes.register(config.routes);
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

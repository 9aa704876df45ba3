package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessagePage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * Mailpit's {@code GET /api/v1/info} (the fields that mean the same here) and the health checks
 * {@code /livez} and {@code /readyz} that container setups poll. The health checks answer without
 * credentials: they say only that the server is up.
 */
final class InfoRoutes {
    static final String LIVE = "/livez";
    static final String READY = "/readyz";

    private final InboxStore store;
    private final Instant started = Instant.now();

    InfoRoutes(InboxStore store) {
        this.store = store;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/info", this::info);
        routes.get(LIVE, ctx -> ctx.contentType("text/plain").result("ok"));
        routes.get(READY, this::ready);
    }

    private void info(Context ctx) {
        MessagePage counts = store.list(0, 0);
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        String version = InfoRoutes.class.getPackage().getImplementationVersion();
        node.put("Version", "Petrel " + (version == null ? "(development build)" : version));
        node.put("LatestVersion", "");
        node.put("Database", store.databaseFile().toString());
        node.put("DatabaseSize", store.sizeOnDisk());
        node.put("Messages", counts.total());
        node.put("Unread", counts.unread());
        ObjectNode tags = node.putObject("Tags");
        store.tagCounts().forEach(tags::put);
        ObjectNode runtime = node.putObject("RuntimeStats");
        runtime.put("Uptime", Duration.between(started, Instant.now()).toSeconds());
        runtime.put("Memory", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        ApiRoutes.json(ctx, node);
    }

    /** Ready when the store answers a read. */
    private void ready(Context ctx) {
        store.list(0, 0);
        ctx.contentType("text/plain").result("ok");
    }
}

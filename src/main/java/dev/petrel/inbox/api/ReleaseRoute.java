package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.inbox.InboxMessage;
import dev.petrel.inbox.InboxStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/message/{ID}/release} with {@code {"To": ["real@example.com"]}} (Mailpit's
 * shape): sends the captured message, byte for byte, to those addresses through Petrel's queue
 * and relay path, bypassing capture. The envelope sender is the captured one's MAIL FROM.
 */
final class ReleaseRoute {
    private static final int MAX_RECIPIENTS = 100;
    private static final String USAGE = "send {\"To\": [\"someone@example.com\", ...]}";

    private final InboxStore store;
    private final Releaser releaser;

    ReleaseRoute(InboxStore store, Releaser releaser) {
        this.store = store;
        this.releaser = releaser;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/v1/message/{id}/release", this::release);
    }

    private void release(Context ctx) {
        String id = ctx.pathParam("id");
        JsonNode body = ApiRoutes.jsonBody(ctx, USAGE);
        JsonNode to = body.get("To");
        if (to == null || !to.isArray() || to.isEmpty()) throw new BadRequest("no recipients: " + USAGE);
        if (to.size() > MAX_RECIPIENTS) throw new BadRequest("at most " + MAX_RECIPIENTS + " recipients");
        List<String> recipients = new ArrayList<>();
        for (JsonNode r : to) {
            if (!r.isTextual() || r.asText().isBlank()) throw new BadRequest("To must hold address strings: " + USAGE);
            recipients.add(r.asText().strip());
        }
        InboxMessage message = store.get(id).orElseThrow(() -> new NotFound("no message " + id));
        byte[] raw = store.raw(id).orElseThrow(() -> new NotFound("no message " + id));
        String queueId;
        try {
            queueId = releaser.release(raw, message.facts().mailFrom(), recipients);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        } catch (IOException e) {
            ctx.status(503).contentType("text/plain; charset=utf-8").result("could not queue the message: " + e.getMessage());
            return;
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("QueueID", queueId);
        ApiRoutes.json(ctx, out);
    }
}

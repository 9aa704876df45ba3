package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.petrel.inbox.InboxStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * Mailpit's tag endpoints: list the tags in use, set a message's tags, rename a tag, delete a
 * tag. Tags are cleaned as Mailpit cleans them (letters, digits, {@code -}, {@code .}, {@code _}
 * and spaces; the rest is dropped). Tag changes send no live event.
 */
final class TagRoutes {
    private static final String SET_USAGE = "send {\"IDs\": [\"<id>\", ...], \"Tags\": [\"tag\", ...]}; an empty or absent "
            + "Tags removes the messages' tags";

    private final InboxStore store;

    TagRoutes(InboxStore store) {
        this.store = store;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/tags", this::list);
        routes.put("/api/v1/tags", this::set);
        routes.put("/api/v1/tags/{tag}", this::rename);
        routes.delete("/api/v1/tags/{tag}", this::delete);
    }

    private void list(Context ctx) {
        ArrayNode tags = ApiJson.MAPPER.createArrayNode();
        store.tags().forEach(tags::add);
        ApiRoutes.json(ctx, tags);
    }

    private void set(Context ctx) {
        JsonNode body = ApiRoutes.jsonBody(ctx, SET_USAGE);
        List<String> ids = ApiRoutes.ids(body, true);
        if (ids.isEmpty()) throw new BadRequest("no message IDs given: " + SET_USAGE);
        store.setTags(ids, strings(body.get("Tags")));
        ApiRoutes.ok(ctx);
    }

    private void rename(Context ctx) {
        String tag = ctx.pathParam("tag");
        JsonNode body = ApiRoutes.jsonBody(ctx, "send {\"Name\": \"new name\"} to rename tag " + tag);
        String name = body.path("Name").asText("").strip();
        if (name.isEmpty()) throw new BadRequest("send {\"Name\": \"new name\"} to rename tag " + tag);
        try {
            store.renameTag(tag, name);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        ApiRoutes.ok(ctx);
    }

    private void delete(Context ctx) {
        store.deleteTag(ctx.pathParam("tag"));
        ApiRoutes.ok(ctx);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) throw new BadRequest("Tags must be an array of strings: " + SET_USAGE);
        for (JsonNode n : node) {
            if (!n.isTextual()) throw new BadRequest("Tags must hold only strings, not " + n);
            out.add(n.asText());
        }
        return out;
    }
}

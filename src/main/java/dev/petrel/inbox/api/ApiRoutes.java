package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.PartContent;
import dev.petrel.inbox.search.QuerySyntaxException;
import dev.petrel.inbox.search.SearchQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The handlers of the inbox HTTP API ({@code /api/v1}, Mailpit's paths). Every GET only reads;
 * state changes are PUT and DELETE. Errors are {@code text/plain} like Mailpit's, with a message that
 * says what to send instead.
 */
final class ApiRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 10_000;
    /** Parts of these types would run script in the API's origin if shown inline, so they are served as downloads. */
    private static final Set<String> ACTIVE_CONTENT = Set.of("text/html", "text/xml", "application/xhtml+xml", "image/svg+xml",
            "application/xml", "text/xsl", "text/javascript", "application/javascript");

    private final InboxStore store;

    ApiRoutes(InboxStore store) {
        this.store = store;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/messages", this::list);
        routes.put("/api/v1/messages", this::setRead);
        routes.delete("/api/v1/messages", this::deleteByIds);
        routes.get("/api/v1/search", this::search);
        routes.delete("/api/v1/search", this::deleteBySearch);
        routes.get("/api/v1/message/{id}", this::message);
        routes.get("/api/v1/message/{id}/raw", this::raw);
        routes.get("/api/v1/message/{id}/headers", this::headers);
        routes.get("/api/v1/message/{id}/part/{partId}", this::part);
        routes.get("/api/v1/wait", this::await);
        routes.get("/api/v1/inboxes", ctx -> json(ctx, ApiJson.inboxes(store.inboxes())));
        routes.get("/api/v1/openapi.yaml", this::openApi);
    }

    private void list(Context ctx) {
        json(ctx, ApiJson.page(store.list(intParam(ctx, "start", 0), limit(ctx))));
    }

    private void search(Context ctx) {
        SearchQuery query = requiredQuery(ctx, "search");
        json(ctx, ApiJson.page(store.search(query, intParam(ctx, "start", 0), limit(ctx))));
    }

    private void message(Context ctx) {
        String id = resolveId(ctx);
        json(ctx, ApiJson.message(store.get(id).orElseThrow(() -> notFound(id))));
    }

    private void raw(Context ctx) {
        String id = resolveId(ctx);
        byte[] raw = store.raw(id).orElseThrow(() -> notFound(id));
        ctx.contentType("text/plain; charset=utf-8");
        if ("1".equals(ctx.queryParam("dl"))) ctx.header("Content-Disposition", "attachment; filename=\"" + id + ".eml\"");
        ctx.result(raw);
    }

    private void headers(Context ctx) {
        String id = resolveId(ctx);
        json(ctx, ApiJson.headers(store.get(id).orElseThrow(() -> notFound(id)).parsed().headers()));
    }

    private void part(Context ctx) {
        String id = resolveId(ctx);
        String partId = ctx.pathParam("partId");
        if (store.summary(id).isEmpty()) throw notFound(id);
        PartContent part = store.part(id, partId)
                .orElseThrow(() -> new NotFound("message " + id + " has no part " + partId + " (multipart containers have no content of their own)"));
        String type = part.contentType();
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String disposition = "inline";
        if (ACTIVE_CONTENT.contains(mediaType)) {
            type = "application/octet-stream";
            disposition = "attachment";
        }
        String name = part.fileName().isEmpty() ? "part-" + partId : part.fileName();
        ctx.contentType(type);
        ctx.header("Content-Disposition", disposition + "; filename=\"" + asciiFileName(name) + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(part.content());
    }

    private void setRead(Context ctx) {
        JsonNode body = jsonBody(ctx, "{\"Read\": true, \"IDs\": [\"...\"]} or {\"Read\": true, \"Search\": \"from:bob\"}");
        boolean read = body.path("Read").asBoolean(false);
        List<String> ids = ids(body, false);
        String search = body.path("Search").asText("").strip();
        if (!ids.isEmpty() && !search.isEmpty()) throw new BadRequest("give either IDs or Search, not both");
        if (!ids.isEmpty()) store.setRead(ids, read);
        else store.setReadMatching(search.isEmpty() ? SearchQuery.ALL : parse(search, zone(ctx)), read);
        ok(ctx);
    }

    private void deleteByIds(Context ctx) {
        String usage = "send {\"IDs\": [\"<id>\", ...]} to delete messages by id, or {\"All\": true} to delete every message. "
                + "Unlike Mailpit, Petrel never deletes everything on an empty or malformed body";
        JsonNode body = jsonBody(ctx, usage);
        boolean all = body.path("All").asBoolean(false);
        List<String> ids = ids(body, true);
        if (all && !ids.isEmpty()) throw new BadRequest("give either IDs or All, not both");
        if (all) store.deleteMatching(SearchQuery.ALL);
        else if (ids.isEmpty()) throw new BadRequest("no message IDs given: " + usage);
        else store.delete(ids);
        ok(ctx);
    }

    private void deleteBySearch(Context ctx) {
        SearchQuery query = requiredQuery(ctx, "delete by search");
        store.deleteMatching(query);
        ok(ctx);
    }

    private void await(Context ctx) {
        String text = ctx.queryParam("query");
        SearchQuery query = text == null || text.isBlank() ? SearchQuery.ALL : parse(text, zone(ctx));
        String after = ctx.queryParam("after");
        String cursor;
        if (after == null || after.isBlank()) cursor = null;
        else if (after.strip().equalsIgnoreCase("now")) cursor = store.newestId();
        else if (InboxStore.isWellFormedId(after.strip())) cursor = after.strip();
        else throw new BadRequest("after=" + after + " is not a message ID; give the ID of the last message you saw, or after=now");
        Duration timeout = WaitParameters.timeout(ctx.queryParam("timeout"));
        CompletableFuture<Optional<MessageSummary>> waiting = store.await(query, cursor, timeout);
        ctx.future(() -> waiting.handle((match, failure) -> {
            if (failure != null) {
                ctx.status(500).contentType("text/plain; charset=utf-8").result("wait-for failed: " + failure.getMessage());
            } else if (match.isPresent()) {
                json(ctx, ApiJson.summary(match.get()));
            } else {
                ctx.status(408).contentType("text/plain; charset=utf-8").result("no message matching "
                        + (query.isEmpty() ? "any query" : "'" + query.text() + "'")
                        + (cursor == null ? "" : " after " + cursor) + " arrived within " + WaitParameters.describe(timeout));
            }
            return null;
        }));
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("/inbox/openapi.yaml")) {
            if (in == null) throw new NotFound("the OpenAPI document is missing from this build");
            ctx.contentType("application/yaml").result(in.readAllBytes());
        }
    }

    // ---- helpers ----

    private String resolveId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!id.equals("latest")) return id;
        String text = ctx.queryParam("query");
        SearchQuery query = text == null || text.isBlank() ? SearchQuery.ALL : parse(text, zone(ctx));
        return store.latestId(query).orElseThrow(() -> new NotFound(query.isEmpty() ? "there are no messages"
                : "no message matches '" + query.text() + "'"));
    }

    private static SearchQuery requiredQuery(Context ctx, String what) {
        String text = ctx.queryParam("query");
        if (text == null || text.isBlank()) {
            throw new BadRequest("no search query: " + what + " needs ?query=... (e.g. query=to:bob@example.com)");
        }
        return parse(text, zone(ctx));
    }

    private static SearchQuery parse(String text, ZoneId zone) {
        try {
            return SearchQuery.parse(text, zone);
        } catch (QuerySyntaxException e) {
            throw new BadRequest("invalid search query: " + e.getMessage());
        }
    }

    private static ZoneId zone(Context ctx) {
        String tz = ctx.queryParam("tz");
        if (tz == null || tz.isBlank()) return ZoneOffset.UTC;
        try {
            return ZoneId.of(tz.strip());
        } catch (DateTimeException e) {
            throw new BadRequest("tz=" + tz + " is not a time zone; use an identifier such as Europe/Berlin or UTC");
        }
    }

    static JsonNode jsonBody(Context ctx, String usage) {
        String body = ctx.body();
        if (body.isBlank()) throw new BadRequest("empty body: " + usage);
        JsonNode node;
        try {
            node = ApiJson.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON (" + e.getOriginalMessage() + "): " + usage);
        }
        if (node == null || !node.isObject()) throw new BadRequest("the body must be a JSON object: " + usage);
        return node;
    }

    static List<String> ids(JsonNode body, boolean strict) {
        JsonNode ids = body.get("IDs");
        if (ids == null || ids.isNull()) return List.of();
        if (!ids.isArray()) throw new BadRequest("IDs must be an array of message ID strings");
        List<String> result = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isBlank()) {
                if (strict) throw new BadRequest("IDs must hold only non-empty message ID strings, not " + id);
                continue;
            }
            result.add(id.asText().strip());
        }
        return result;
    }

    private static int limit(Context ctx) {
        return Math.min(intParam(ctx, "limit", DEFAULT_LIMIT), MAX_LIMIT);
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + "=" + value + " is not a whole number of 0 or more");
        }
    }

    private static NotFound notFound(String id) {
        return new NotFound("message " + id + " not found");
    }

    private static String asciiFileName(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(c < 32 || c > 126 || c == '"' || c == '\\' ? '_' : c);
        return sb.toString();
    }

    static void json(Context ctx, Object node) {
        ctx.contentType("application/json").result(ApiJson.write(node));
    }

    static void ok(Context ctx) {
        ctx.contentType("text/plain; charset=utf-8").result("ok");
    }
}

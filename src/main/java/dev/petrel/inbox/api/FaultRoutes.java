package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.policy.FaultPlan;
import dev.petrel.policy.FaultPlan.Action;
import dev.petrel.policy.FaultPlan.Fault;
import dev.petrel.policy.FaultPlan.Stage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/faults}: capture mode's fault injection, managed over HTTP. A test adds a fault
 * ("the next 2 RCPT to x get 451 4.3.0"), runs its application against the SMTP listeners, and
 * clears it. Like the rest of the API: GET only reads, and a DELETE without an explicit target
 * deletes nothing.
 */
final class FaultRoutes {
    private static final Pattern REPLY = Pattern.compile("([45]\\d\\d)(?: ([245]\\.\\d{1,3}\\.\\d{1,3}))?(?: (.*))?");
    private static final String USAGE = "send {\"Stage\": \"MAIL\"|\"RCPT\"|\"DATA\", \"Action\": \"reply\"|\"delay\"|\"drop\", "
            + "\"Reply\": \"451 4.3.0 Try again later\" (for reply), \"Delay\": \"2s\" (for delay), "
            + "\"Recipient\": \"bob@example.com\" and/or \"Inbox\": \"signup\" (optional scope), \"Count\": 2 (optional; 0 or absent: until removed)}";

    private final FaultPlan faults;

    FaultRoutes(FaultPlan faults) {
        this.faults = faults;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/faults", this::list);
        routes.post("/api/v1/faults", this::add);
        routes.delete("/api/v1/faults", this::clear);
        routes.delete("/api/v1/faults/{id}", this::remove);
    }

    private void list(Context ctx) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("faults");
        for (Fault f : faults.list()) list.add(json(f));
        ApiRoutes.json(ctx, out);
    }

    private void add(Context ctx) {
        JsonNode body = ApiRoutes.jsonBody(ctx, USAGE);
        Stage stage = choice(body, "Stage", Stage.class);
        Action action = choice(body, "Action", Action.class);
        int code = 0;
        String enhanced = null;
        String text = null;
        if (action == Action.REPLY) {
            Matcher m = REPLY.matcher(body.path("Reply").asText("").strip());
            if (!m.matches()) throw new BadRequest("Reply must be an SMTP reply such as \"451 4.3.0 Try again later\": " + USAGE);
            code = Integer.parseInt(m.group(1));
            enhanced = m.group(2) != null ? m.group(2) : (code >= 500 ? "5.0.0" : "4.0.0");
            text = m.group(3) != null ? m.group(3) : "Injected fault";
            if (enhanced.charAt(0) != m.group(1).charAt(0)) throw new BadRequest("the enhanced status must start like the code: " + USAGE);
        }
        Duration delay = action == Action.DELAY ? WaitParameters.timeout(body.path("Delay").asText("")) : null;
        int count = body.path("Count").asInt(0);
        Fault added;
        try {
            added = faults.add(new Fault(0, stage, text(body, "Recipient"), text(body, "Inbox"), action, code, enhanced, text,
                    delay, count));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new BadRequest(e.getMessage() + ": " + USAGE);
        }
        ctx.status(201);
        ApiRoutes.json(ctx, json(added));
    }

    private void remove(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new BadRequest("a fault ID is a number, as GET /api/v1/faults lists them");
        }
        if (!faults.remove(id)) throw new NotFound("no fault " + id);
        ApiRoutes.ok(ctx);
    }

    private void clear(Context ctx) {
        JsonNode body = ApiRoutes.jsonBody(ctx, "send {\"All\": true} to remove every fault, or DELETE /api/v1/faults/{ID} for one");
        if (!body.path("All").asBoolean(false)) throw new BadRequest("send {\"All\": true} to remove every fault");
        faults.clear();
        ApiRoutes.ok(ctx);
    }

    private static <E extends Enum<E>> E choice(JsonNode body, String field, Class<E> type) {
        String v = body.path(field).asText("").strip().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field + " is missing or not one of the choices: " + USAGE);
        }
    }

    private static String text(JsonNode body, String field) {
        String v = body.path(field).asText("").strip();
        return v.isEmpty() ? null : v;
    }

    private static ObjectNode json(Fault f) {
        ObjectNode n = ApiJson.MAPPER.createObjectNode();
        n.put("ID", f.id());
        n.put("Stage", f.stage().name());
        n.put("Action", f.action().name().toLowerCase(Locale.ROOT));
        if (f.recipient() != null) n.put("Recipient", f.recipient());
        if (f.inbox() != null) n.put("Inbox", f.inbox());
        if (f.action() == Action.REPLY) n.put("Reply", f.code() + " " + f.enhanced() + " " + f.text());
        if (f.action() == Action.DELAY) n.put("Delay", WaitParameters.describe(f.delay()));
        n.put("Remaining", f.remaining());
        return n;
    }
}

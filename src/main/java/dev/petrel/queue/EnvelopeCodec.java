package dev.petrel.queue;

import dev.petrel.message.IpLiteral;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes an {@link Envelope} as one line of JSON and reads it back exactly.
 *
 * <p>Written by hand over Jackson's tree model rather than by data binding so that the on-disk
 * form is explicit and stable: renaming a record component must not silently change the spool
 * format. Rules: null values are omitted; enums by name; IP addresses as their literal text (so
 * reading never touches DNS); instants as ISO-8601 with full precision. Unknown fields are
 * ignored, so a spool written by a newer Petrel stays readable by an older one.
 *
 * <p>Jackson escapes every control character inside strings, so the output never contains a raw
 * line feed: the spool file relies on that to find the end of the header line.
 */
public final class EnvelopeCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EnvelopeCodec() {}

    /** The envelope as UTF-8 JSON on a single line, without the line feed. */
    public static byte[] encode(Envelope e) {
        ObjectNode o = JSON.createObjectNode();
        if (e.sender() != null) o.set("sender", address(e.sender()));
        ArrayNode rcpts = o.putArray("recipients");
        for (Recipient r : e.recipients()) {
            ObjectNode rn = rcpts.addObject();
            rn.set("address", address(r.address()));
            if (!r.notifyOn().isEmpty()) {
                ArrayNode n = rn.putArray("notify");
                // Sorted so that equal envelopes give equal bytes.
                EnumSet.copyOf(r.notifyOn()).forEach(v -> n.add(v.name()));
            }
            if (r.orcpt() != null) rn.put("orcpt", r.orcpt());
        }
        o.put("body", e.body().name());
        if (e.smtpUtf8()) o.put("smtpUtf8", true);
        if (e.ret() != null) o.put("ret", e.ret().name());
        if (e.envId() != null) o.put("envId", e.envId());
        if (e.authIdentity() != null) o.put("authIdentity", e.authIdentity());
        o.put("client", e.client().getHostAddress());
        if (e.helo() != null) o.put("helo", e.helo());
        if (e.listener() != null) o.put("listener", e.listener());
        if (e.tls() != null) {
            ObjectNode t = o.putObject("tls");
            t.put("protocol", e.tls().protocol());
            t.put("cipherSuite", e.tls().cipherSuite());
        }
        o.put("receivedAt", e.receivedAt().toString());
        if (e.quarantine() != null) o.put("quarantine", e.quarantine());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JacksonException ex) {
            throw new IllegalStateException("cannot serialize an in-memory JSON tree", ex);
        }
    }

    /**
     * Parses what {@link #encode} wrote.
     *
     * @throws IOException when the bytes are not a valid envelope; the message says which field
     */
    public static Envelope decode(byte[] bytes, int offset, int length) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(bytes, offset, length);
        } catch (JacksonException ex) {
            throw new IOException("envelope is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (o == null || !o.isObject()) throw new IOException("envelope is not a JSON object");
        try {
            List<Recipient> recipients = new ArrayList<>();
            for (JsonNode rn : required(o, "recipients")) {
                Set<Recipient.Notify> notify = EnumSet.noneOf(Recipient.Notify.class);
                for (JsonNode n : rn.path("notify")) notify.add(Recipient.Notify.valueOf(n.asText()));
                recipients.add(new Recipient(address(required(rn, "address")), notify, text(rn, "orcpt")));
            }
            JsonNode sender = o.get("sender");
            JsonNode tls = o.get("tls");
            String ret = text(o, "ret");
            return new Envelope(
                    sender == null || sender.isNull() ? null : address(sender),
                    recipients,
                    Envelope.BodyType.valueOf(required(o, "body").asText()),
                    o.path("smtpUtf8").asBoolean(false),
                    ret == null ? null : Envelope.Ret.valueOf(ret),
                    text(o, "envId"),
                    text(o, "authIdentity"),
                    IpLiteral.parse(required(o, "client").asText()),
                    text(o, "helo"),
                    text(o, "listener"),
                    tls == null || tls.isNull() ? null
                            : new Envelope.TlsInfo(required(tls, "protocol").asText(), required(tls, "cipherSuite").asText()),
                    Instant.parse(required(o, "receivedAt").asText()),
                    text(o, "quarantine"));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException ex) {
            // Enum names, address literals and record invariants all report through these.
            throw new IOException("envelope is invalid: " + ex.getMessage(), ex);
        }
    }

    private static ObjectNode address(MailAddress a) {
        // Two fields, not "local@domain": a quoted local part may itself contain '@'.
        ObjectNode n = JSON.createObjectNode();
        n.put("local", a.localPart());
        n.put("domain", a.domain());
        return n;
    }

    private static MailAddress address(JsonNode n) throws IOException {
        return new MailAddress(required(n, "local").asText(), required(n, "domain").asText());
    }

    private static JsonNode required(JsonNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) throw new IOException("envelope lacks field '" + field + "'");
        return v;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.config.PetrelConfig.Limits;

/**
 * Reads [limits]: header size, MIME depth, commands per session, the minimum data rate, new
 * connections per IP per minute and unauthenticated pipelining. Same contract as the other
 * binders: defaults from {@link PetrelConfig.Policy#DEFAULTS}, every problem recorded on its line.
 */
final class LimitsBinder {
    private static final String RATE_HINT = "write octets per second as a whole number or a string such as \"1KiB\" "
            + "or \"1KiB/s\" (units B, KB, KiB, MB, MiB), or 0 to turn the check off";

    private LimitsBinder() {}

    static Limits bind(Section s) {
        Limits d = PetrelConfig.Policy.DEFAULTS.limits();
        long header = s.size("max_header_size", d.maxHeaderSize());
        if (header < 1024 || header > Integer.MAX_VALUE) {
            // Below 1 KiB ordinary mail (a few Received: fields and a DKIM signature) would be refused.
            s.invalid("max_header_size", s.take("max_header_size"), "is out of range: use at least \"1KiB\" and less than \"2GiB\"");
            header = d.maxHeaderSize();
        }
        int depth = s.integer("max_mime_depth", d.maxMimeDepth(), 1, 1000);
        int commands = s.integer("max_commands_per_session", d.maxCommandsPerSession(), 10, 100_000_000);
        int rate = rate(s, "min_data_rate", d.minDataRate());
        int perMinute = s.integer("max_new_connections_per_ip_per_minute", d.maxNewConnectionsPerIpPerMinute(), 0, 1_000_000);
        boolean pipelining = s.bool("forbid_unauth_pipelining", d.forbidUnauthPipelining());
        int busy = s.integer("busy_connections", d.busyConnections(), 0, 10_000_000);
        s.rejectUnknown();
        return new Limits((int) header, depth, commands, rate, perMinute, pipelining, busy);
    }

    /** Octets per second: a size, optionally written with "/s"; 0 is allowed and means off. */
    private static int rate(Section s, String key, int fallback) {
        JsonNode v = s.take(key);
        if (v == null) return fallback;
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.longValue();
        } else if (v.isTextual()) {
            String text = v.textValue().strip();
            if (text.endsWith("/s")) text = text.substring(0, text.length() - 2);
            try {
                value = Units.parseSize(text);
            } catch (IllegalArgumentException e) {
                s.invalid(key, v, "is not a rate; " + RATE_HINT);
                return fallback;
            }
        } else {
            s.invalid(key, v, "is not valid; " + RATE_HINT);
            return fallback;
        }
        if (value >= 0 && value <= Integer.MAX_VALUE) return (int) value;
        s.invalid(key, v, "is out of range; " + RATE_HINT);
        return fallback;
    }
}

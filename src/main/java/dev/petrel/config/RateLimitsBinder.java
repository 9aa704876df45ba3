package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads [rate_limits]: token buckets per authenticated user and per client IP, written
 * {@code "N/duration"} ({@code "100/1m"}), and the per-user AUTH failure lockout.
 */
final class RateLimitsBinder {
    private static final Pattern RATE = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\S+)\\s*");
    private static final String RATE_HINT = "write \"N/duration\" such as \"100/1m\" or \"1000/1h\" (units ms, s, m, h, d), "
            + "or \"0\" for no limit";

    private RateLimitsBinder() {}

    static PetrelConfig.RateLimits bind(Section s) {
        PetrelConfig.RateLimits d = PetrelConfig.Policy.DEFAULTS.rates();
        PetrelConfig.Rate messagesPerUser = rate(s, "messages_per_user", d.messagesPerUser());
        PetrelConfig.Rate recipientsPerUser = rate(s, "recipients_per_user", d.recipientsPerUser());
        PetrelConfig.Rate messagesPerIp = rate(s, "messages_per_ip", d.messagesPerIp());
        PetrelConfig.Rate recipientsPerIp = rate(s, "recipients_per_ip", d.recipientsPerIp());
        int authFailuresPerUser = s.integer("auth_failures_per_user", d.authFailuresPerUser(), 0, 1_000_000);
        Duration authFailureWindow = s.duration("auth_failure_window", d.authFailureWindow(), false);
        s.rejectUnknown();
        return new PetrelConfig.RateLimits(messagesPerUser, recipientsPerUser, messagesPerIp, recipientsPerIp,
                authFailuresPerUser, authFailureWindow);
    }

    /** {@code "N/duration"}; {@code 0} or {@code "0"} is no limit (kept with the default window). */
    static PetrelConfig.Rate rate(Section s, String key, PetrelConfig.Rate fallback) {
        JsonNode v = s.take(key);
        if (v == null) return fallback;
        if ((v.isIntegralNumber() && v.canConvertToLong() && v.longValue() == 0) || (v.isTextual() && v.textValue().strip().equals("0"))) {
            return PetrelConfig.Rate.NONE;
        }
        Matcher m = v.isTextual() ? RATE.matcher(v.textValue()) : null;
        if (m == null || !m.matches()) {
            s.invalid(key, v, "is not valid; " + RATE_HINT);
            return fallback;
        }
        int count = Integer.parseInt(m.group(1));
        Duration window;
        try {
            window = Units.parseDuration(m.group(2));
        } catch (IllegalArgumentException e) {
            s.invalid(key, v, "is not valid: \"" + m.group(2) + "\" " + e.getMessage());
            return fallback;
        }
        if (count == 0) return PetrelConfig.Rate.NONE;
        if (window.isZero()) {
            s.invalid(key, v, "is not valid: the window is zero; use a window of at least 1ms, such as \"" + count + "/1m\"");
            return fallback;
        }
        return new PetrelConfig.Rate(count, window);
    }
}

package dev.petrel.inbox.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code timeout} of a wait-for: {@code 500ms}, {@code 10s}, {@code 2m}, or plain seconds. */
final class WaitParameters {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private WaitParameters() {
    }

    static Duration timeout(String text) {
        if (text == null || text.isBlank()) return DEFAULT_TIMEOUT;
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadRequest("timeout=" + text + " is not a duration; write 500ms, 10s, 2m or a number of seconds");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new BadRequest("timeout=" + text + " is longer than the maximum of 5m; wait again after a timeout instead");
        }
        return d;
    }

    static String describe(Duration d) {
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        return d.toSeconds() + "s";
    }
}

package dev.petrel.config;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human-friendly sizes ({@code "25MiB"}) and durations ({@code "5m"}) used in the
 * configuration file. One unit per value, no fractions, so a value reads one way only.
 */
public final class Units {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");

    // KB/MB/GB are decimal and KiB/MiB/GiB binary, as in IEC 80000-13; both appear in the wild.
    private static final Map<String, Long> SIZE_UNITS = Map.of(
            "", 1L, "B", 1L,
            "KB", 1000L, "KiB", 1024L,
            "MB", 1000L * 1000, "MiB", 1024L * 1024,
            "GB", 1000L * 1000 * 1000, "GiB", 1024L * 1024 * 1024);

    private static final Map<String, Duration> DURATION_UNITS = Map.of(
            "ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1),
            "h", Duration.ofHours(1), "d", Duration.ofDays(1));

    static final String SIZE_HINT = "write a whole number of octets or a string such as \"25MiB\" (units B, KB, KiB, MB, MiB, GB, GiB)";
    static final String DURATION_HINT = "write a whole number of seconds or a string such as \"300s\", \"5m\", \"1h\" or \"250ms\" (units ms, s, m, h, d)";

    private Units() {}

    /**
     * @return the size in octets, for example 26214400 for {@code "25MiB"}
     * @throws IllegalArgumentException if the text is not a whole number with an optional unit; the
     *         message continues a sentence about the value ("is not a size; write ...")
     */
    public static long parseSize(String text) {
        Matcher m = AMOUNT.matcher(text.strip());
        Long unit = m.matches() ? SIZE_UNITS.get(m.group(2)) : null;
        if (unit == null) throw new IllegalArgumentException("is not a size; " + SIZE_HINT);
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large", e);
        }
    }

    /**
     * @return the duration, for example 5 minutes for {@code "5m"}; a bare number means seconds
     * @throws IllegalArgumentException if the text is not a whole number with an optional unit; the
     *         message continues a sentence about the value ("is not a duration; write ...")
     */
    public static Duration parseDuration(String text) {
        Matcher m = AMOUNT.matcher(text.strip());
        Duration unit = !m.matches() ? null : m.group(2).isEmpty() ? Duration.ofSeconds(1) : DURATION_UNITS.get(m.group(2));
        if (unit == null) throw new IllegalArgumentException("is not a duration; " + DURATION_HINT);
        try {
            return unit.multipliedBy(Long.parseLong(m.group(1)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too long", e);
        }
    }

    /** The shortest exact way to write {@code d} in the file's own units: "1h", "90s", "250ms". */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) return ms / sizes[i] + names[i];
        }
        return ms + "ms";
    }
}

package dev.petrel.delivery.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the text served at {@code /.well-known/mta-sts.txt} (RFC 8461 section 3.2): lines of
 * {@code key: value}, CRLF or LF ends. {@code version: STSv1}, {@code mode} and {@code max_age}
 * exactly once, {@code mx} at least once unless mode is {@code none}; unknown keys are ignored
 * (the RFC's extension rule). Anything else is an {@link InvalidPolicyException}, which callers
 * treat as "no policy". Pure code.
 */
public final class StsPolicyParser {
    /** More mx lines than any real domain needs; bounds the work a hostile policy can cause. */
    public static final int MAX_MX = 100;
    /** More lines than a policy with {@link #MAX_MX} mx patterns and some extensions needs. */
    static final int MAX_LINES = 1000;
    /** RFC 8461 section 3.2: max_age is at most 31557600 seconds (about a year). */
    static final long MAX_AGE_SECONDS = 31_557_600;

    /** An mx pattern: a host name, optionally with "*." in front; labels of letters, digits and hyphens. */
    private static final Pattern MX = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

    private StsPolicyParser() {}

    public static StsPolicy parse(String text) throws InvalidPolicyException {
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        if (lines.length > MAX_LINES) throw new InvalidPolicyException("more than " + MAX_LINES + " lines");
        for (String line : lines) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new InvalidPolicyException("line without \"key: value\": " + shorten(line));
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = once(key, version, value);
                case "mode" -> mode = once(key, mode, value);
                case "max_age" -> maxAge = once(key, maxAge, value);
                case "mx" -> {
                    if (mx.size() >= MAX_MX) throw new InvalidPolicyException("more than " + MAX_MX + " mx lines");
                    mx.add(mxPattern(value));
                }
                default -> { } // RFC 8461 3.2: unknown fields are ignored, for extensions
            }
        }
        if (!"STSv1".equals(version)) throw new InvalidPolicyException("version is " + (version == null ? "missing" : shorten(version)) + ", not STSv1");
        StsPolicy.Mode m = switch (mode == null ? "" : mode) {
            case "enforce" -> StsPolicy.Mode.ENFORCE;
            case "testing" -> StsPolicy.Mode.TESTING;
            case "none" -> StsPolicy.Mode.NONE;
            default -> throw new InvalidPolicyException("mode is " + (mode == null ? "missing" : shorten(mode))
                    + ", not enforce, testing or none");
        };
        if (maxAge == null || !DIGITS.matcher(maxAge).matches() || Long.parseLong(maxAge) > MAX_AGE_SECONDS) {
            throw new InvalidPolicyException("max_age is " + (maxAge == null ? "missing" : shorten(maxAge))
                    + ", not a whole number of seconds up to " + MAX_AGE_SECONDS);
        }
        if (mx.isEmpty() && m != StsPolicy.Mode.NONE) throw new InvalidPolicyException("no mx line in a " + m.word() + " policy");
        return new StsPolicy(m, mx, Duration.ofSeconds(Long.parseLong(maxAge)));
    }

    private static String once(String key, String earlier, String value) throws InvalidPolicyException {
        if (earlier != null) throw new InvalidPolicyException(key + " appears more than once");
        return value;
    }

    private static String mxPattern(String value) throws InvalidPolicyException {
        String p = StsPolicy.normalize(value);
        if (p.length() > 253 || !MX.matcher(p).matches()) throw new InvalidPolicyException("mx is not a host name pattern: " + shorten(value));
        return p;
    }

    /** Remote text in a log line: short and printable. */
    static String shorten(String s) {
        String printable = s.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 80 ? "\"" + printable.substring(0, 80) + "...\"" : "\"" + printable + "\"";
    }
}

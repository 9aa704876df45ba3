package dev.petrel.delivery.mtasts;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A parsed MTA-STS policy (RFC 8461 section 3.2).
 *
 * @param mode       what a sender does with it
 * @param mxPatterns allowed MX host names, lower case without trailing dot; a leading {@code *.}
 *                   stands for exactly one left-most label
 * @param maxAge     how long the policy may be cached
 */
public record StsPolicy(Mode mode, List<String> mxPatterns, Duration maxAge) {
    /** {@code enforce}: refuse MX hosts that do not match or lack verified TLS; {@code testing}: only report; {@code none}: no policy. */
    public enum Mode {
        ENFORCE, TESTING, NONE;

        /** As written in a policy and in log lines: {@code enforce}, {@code testing}, {@code none}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StsPolicy {
        mxPatterns = List.copyOf(mxPatterns);
    }

    /** Whether {@code host} (an MX host name, any case, trailing dot optional) is allowed by an mx pattern. */
    public boolean allows(String host) {
        String h = normalize(host);
        for (String pattern : mxPatterns) {
            if (matches(pattern, h)) return true;
        }
        return false;
    }

    /**
     * RFC 8461 section 4.1: "*.example.com" matches "mx.example.com" but neither "example.com" nor
     * "a.b.example.com"; anything else must be equal (case-insensitive).
     */
    static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1); // ".example.com"
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(suffix);
        }
        return pattern.equals(host);
    }

    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}

package dev.petrel.mailauth.spf;

import java.util.Locale;

/**
 * The outcome of one SPF check (RFC 7208 section 2.6), for one identity.
 *
 * @param kind        the result
 * @param identity    {@code "mailfrom"} or {@code "helo"}: which identity was checked
 * @param domain      the domain whose record was evaluated (after the {@code postmaster@HELO} rule), or null when there was none
 * @param explanation for {@code fail}: the expanded {@code exp=} text or the default explanation; otherwise null
 * @param problem     for {@code temperror} and {@code permerror}: what went wrong, for logs and diagnostics; otherwise null
 */
public record SpfResult(Kind kind, String identity, String domain, String explanation, String problem) {
    /** The result keyword: {@code pass}, {@code fail}, ... (as {@link Kind#keyword()}). */
    public String keyword() {
        return kind.keyword();
    }

    public enum Kind {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        /** The result keyword as RFC 7208 and RFC 8601 write it: {@code pass}, {@code softfail}, ... */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

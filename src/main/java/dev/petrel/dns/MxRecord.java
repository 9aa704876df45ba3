package dev.petrel.dns;

import java.util.Objects;

/**
 * One MX record.
 *
 * @param preference lower is tried first (RFC 5321 5.1)
 * @param exchange   the mail exchanger's host name in lower case without the trailing dot;
 *                   the root name is {@code "."} (a null MX, RFC 7505)
 */
public record MxRecord(int preference, String exchange) {
    public MxRecord {
        Objects.requireNonNull(exchange, "exchange");
        if (preference < 0 || preference > 0xFFFF) throw new IllegalArgumentException("preference " + preference);
    }

    /** True for an exchange of "." ; a lone one of these means "this domain accepts no mail" (RFC 7505). */
    public boolean isNullMx() {
        return exchange.equals(".");
    }
}

package dev.petrel.dns;

import java.util.List;

/**
 * The outcome of one DNS lookup, as a closed set so that callers handle every case in an
 * exhaustive {@code switch}. The distinction matters for mail: NXDOMAIN bounces, NODATA
 * falls back (no MX: use the domain's own address), TEMPFAIL retries later.
 *
 * @param <T> the record value: {@link MxRecord}, {@link java.net.InetAddress} or {@code String} (TXT)
 */
public sealed interface DnsResult<T> {

    /** The name exists and has at least one record of the asked type (after following CNAMEs). */
    record Found<T>(List<T> records) implements DnsResult<T> {
        public Found {
            records = List.copyOf(records);
            if (records.isEmpty()) throw new IllegalArgumentException("Found needs at least one record; use NoData");
        }
    }

    /** The name does not exist (rcode NXDOMAIN). Permanent. */
    record NxDomain<T>() implements DnsResult<T> {}

    /** The name exists but has no record of the asked type (NOERROR, empty answer). Permanent. */
    record NoData<T>() implements DnsResult<T> {}

    /** No answer we can trust: SERVFAIL, REFUSED, timeout, network error. Try again later. */
    record TempFail<T>(String reason) implements DnsResult<T> {}

    /** The records when {@link Found}, else an empty list (for callers that only want the happy path). */
    default List<T> recordsOrEmpty() {
        return this instanceof Found<T> found ? found.records() : List.of();
    }
}

/**
 * MTA-STS (RFC 8461) for MX delivery: is a recipient domain's mail to be sent only over verified
 * TLS to the MX hosts it names?
 *
 * <p>Roles, in call order: {@link dev.petrel.delivery.mtasts.MtaSts} answers "which policy applies
 * to this domain now"; it asks DNS for the {@code _mta-sts} TXT record
 * ({@link dev.petrel.delivery.mtasts.StsTxtRecord}), keeps policies in a
 * {@link dev.petrel.delivery.mtasts.PolicyCache} (in memory, and durably in the data directory, so a
 * restart does not forget an enforce policy), and fetches a new one over HTTPS
 * ({@link dev.petrel.delivery.mtasts.HttpsPolicyFetcher}) only when the TXT id changed or the cached
 * policy expired. {@link dev.petrel.delivery.mtasts.StsPolicyParser} turns the policy text into a
 * {@link dev.petrel.delivery.mtasts.StsPolicy}, which matches MX host names.
 *
 * <p>Does not: connect to MX hosts or decide what happens to a recipient (that is
 * {@code delivery.smtp.SmtpTransport}, which filters MX hosts and requires verified TLS under
 * {@code enforce}); send TLS reports (RFC 8460); do DANE (RFC 7672); refresh policies in the
 * background before they are needed.
 *
 * <p>Failure modes: a missing or bad TXT record, an unreachable or invalid policy are "no policy",
 * except that an unexpired cached policy keeps applying (RFC 8461 section 5.1 and 10.2): a failed
 * refresh never drops an enforce policy. Nothing here throws for remote trouble; it is logged.
 * Remote input is bounded: policy size 64 KiB, {@value dev.petrel.delivery.mtasts.StsPolicyParser#MAX_MX}
 * mx lines, connect and read timeouts with an overall deadline, no redirects.
 *
 * <p>Threading: {@code MtaSts} and the cache are thread-safe; two deliveries to one domain at the
 * same moment may both fetch, and the last write wins (both are the same policy). The HTTPS fetch
 * is the only socket use outside {@code server} and {@code delivery.smtp}: Jetty's HTTP client,
 * whose host lookups go through Petrel's resolver.
 */
package dev.petrel.delivery.mtasts;

package dev.petrel.delivery.mtasts;

import dev.petrel.delivery.mtasts.StsTxtRecord.Discovery;
import dev.petrel.dns.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which MTA-STS policy applies to a recipient domain now (RFC 8461 section 5.1):
 * <ol>
 * <li>Ask DNS for {@code _mta-sts.<domain>}. A valid record whose id equals the cached,
 *     unexpired policy's id: use the cached policy, no fetch, unless it is older than half its
 *     max_age (at most {@link #REFRESH_AFTER}): then fetch it again so that its lifetime starts
 *     anew (RFC 8461 section 10.2: a policy should not lapse while the domain still publishes
 *     it), keeping the cached one if that fails.</li>
 * <li>A valid record with another id, or nothing usable cached: fetch the policy. Success: cache
 *     it (durably) and use it. Failure (fetch or parse): use the unexpired cached policy if there
 *     is one, else none. A failed fetch is not repeated for the same id for
 *     {@link #RETRY_FAILED_FETCH}, so a dead policy host does not slow every delivery.</li>
 * <li>No record, a broken one, or a DNS failure: use the unexpired cached policy if any (an
 *     attacker who suppresses the TXT record must not downgrade a known enforce policy), else none.</li>
 * </ol>
 * A policy with mode {@code none} is cached like any other (it is how a domain retires MTA-STS)
 * and answered as "no policy". Thread-safe; never throws for remote trouble.
 */
public final class MtaSts {
    private static final Logger log = LoggerFactory.getLogger(MtaSts.class);
    static final Duration RETRY_FAILED_FETCH = Duration.ofMinutes(5);
    static final Duration REFRESH_AFTER = Duration.ofDays(1);
    private static final int MAX_FAILED_FETCHES = 10_000;

    private final Resolver dns;
    private final PolicyFetcher fetcher;
    private final PolicyCache cache;
    private final Clock clock;
    /** domain + " " + id → when a failed fetch of that id may be tried again. */
    private final Map<String, Instant> failedFetches = new ConcurrentHashMap<>();

    public MtaSts(Resolver dns, PolicyFetcher fetcher, PolicyCache cache, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.cache = cache;
        this.clock = clock;
    }

    /** The enforce or testing policy of {@code domain} (lower case, no trailing dot), or empty when MTA-STS does not apply. */
    public Optional<StsPolicy> policyFor(String domain) {
        Instant now = clock.instant();
        Optional<CachedPolicy> cached = cache.get(domain).filter(c -> !c.expired(now));
        Optional<CachedPolicy> current = switch (StsTxtRecord.lookup(dns, domain)) {
            case Discovery.Found found -> cached.isPresent() && cached.get().id().equals(found.id()) && !dueForRefresh(cached.get(), now)
                    ? cached
                    : fetch(domain, found.id(), now).or(() -> cached);
            case Discovery.Absent absent -> {
                if (cached.isPresent()) log.debug("mta-sts: {}: {}; the cached policy applies until {}", domain, absent.why(), cached.get().expiresAt());
                yield cached;
            }
            case Discovery.TempFail fail -> {
                if (cached.isPresent()) log.info("mta-sts: {}: TXT lookup failed ({}); the cached policy applies", domain, fail.reason());
                yield cached;
            }
        };
        return current.map(CachedPolicy::policy).filter(p -> p.mode() != StsPolicy.Mode.NONE);
    }

    private static boolean dueForRefresh(CachedPolicy p, Instant now) {
        Duration half = p.policy().maxAge().dividedBy(2);
        Duration after = half.compareTo(REFRESH_AFTER) < 0 ? half : REFRESH_AFTER;
        return !now.isBefore(p.fetchedAt().plus(after));
    }

    private Optional<CachedPolicy> fetch(String domain, String id, Instant now) {
        String key = domain + " " + id;
        Instant retry = failedFetches.get(key);
        if (retry != null && now.isBefore(retry)) return Optional.empty();
        try {
            String text = fetcher.fetch(domain);
            CachedPolicy fetched = new CachedPolicy(id, StsPolicyParser.parse(text), text, now);
            cache.put(domain, fetched);
            failedFetches.remove(key);
            log.info("mta-sts: {}: policy id {} fetched: mode {}, mx {}, max_age {}s", domain, id,
                    fetched.policy().mode().word(), fetched.policy().mxPatterns(), fetched.policy().maxAge().toSeconds());
            return Optional.of(fetched);
        } catch (IOException | InvalidPolicyException e) {
            if (failedFetches.size() >= MAX_FAILED_FETCHES) failedFetches.clear(); // a bound, not an LRU: forgetting only costs a fetch
            failedFetches.put(key, now.plus(RETRY_FAILED_FETCH));
            log.warn("mta-sts: {}: cannot use the policy for id {}: {}", domain, id, e.getMessage());
            return Optional.empty();
        }
    }
}

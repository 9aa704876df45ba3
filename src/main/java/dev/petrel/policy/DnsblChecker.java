package dev.petrel.policy;

import dev.petrel.config.PetrelConfig.Dnsbl;
import dev.petrel.config.PetrelConfig.DnsblStage;
import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;
import dev.petrel.message.IpNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Checks a client IP against the configured DNS block lists (RFC 5782): the reversed address
 * under each zone is looked up as an A record, all lists of a stage in parallel, within one
 * overall timeout. Thread-safe; one instance serves all sessions.
 *
 * <p>Listed means an answer in {@code codes}, or, with no codes, any answer in 127.0.0.0/8 except
 * 127.255.255.0/24 (the range Spamhaus and others use to say "your query was refused", which must
 * not block every client). Anything else, NXDOMAIN, NODATA, a DNS failure or the timeout is "not
 * listed": a broken DNS path must never stop mail (failures are logged as warnings).
 *
 * <p>Clients in trusted networks are never checked; loopback is not exempt by itself (it is in
 * the default trusted networks). Results are cached per IP and stage, so each RCPT of a session
 * does not ask DNS again; inconclusive results for a shorter time than definite ones.
 */
public final class DnsblChecker {
    private static final Logger log = LoggerFactory.getLogger("petrel.policy");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CACHE_TTL = Duration.ofMinutes(5);
    private static final Duration FAILURE_TTL = Duration.ofSeconds(30);
    private static final int MAX_CACHE = 50_000;
    /** Virtual threads: a lookup blocks on the network, and nothing is pooled that could run out. */
    private static final ExecutorService LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    private final List<Dnsbl> lists;
    private final List<IpNetwork> trusted;
    private final Resolver resolver;
    private final Duration timeout;
    private final Clock clock;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    private record Key(InetAddress ip, DnsblStage stage) {}

    private record Cached(Verdict verdict, Instant expires) {}

    /** The outcome of one list: listed (with the answer), not listed, or could not tell. */
    private record Answer(boolean listed, boolean failed, String detail) {}

    public DnsblChecker(List<Dnsbl> lists, List<IpNetwork> trusted, Resolver resolver, Duration timeout, Clock clock) {
        this.lists = List.copyOf(lists);
        this.trusted = List.copyOf(trusted);
        this.resolver = resolver;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** True when some list applies at {@code stage} (so callers can skip the check cheaply). */
    public boolean checks(DnsblStage stage) {
        return lists.stream().anyMatch(l -> l.stage() == stage);
    }

    /**
     * {@link Verdict#ACCEPT}, or a 554 5.7.1 {@link Verdict.Reject} with the first listing list's
     * reply (in config order) and rule {@code dnsbl:<zone>}. Blocks for at most the timeout.
     */
    public Verdict check(String sessionId, InetAddress client, DnsblStage stage) {
        if (!checks(stage) || trusted.stream().anyMatch(n -> n.contains(client))) return Verdict.ACCEPT;
        Key key = new Key(client, stage);
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && hit.expires().isAfter(now)) return hit.verdict();

        List<Dnsbl> mine = lists.stream().filter(l -> l.stage() == stage).toList();
        List<CompletableFuture<Answer>> futures = new ArrayList<>();
        for (Dnsbl l : mine) futures.add(CompletableFuture.supplyAsync(() -> lookup(l, client), LOOKUPS));

        long deadline = System.nanoTime() + timeout.toNanos();
        Verdict verdict = Verdict.ACCEPT;
        boolean failed = false;
        for (int i = 0; i < mine.size(); i++) {
            Dnsbl l = mine.get(i);
            Answer a;
            try {
                a = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                a = new Answer(false, true, "no answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                a = new Answer(false, true, e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                a = new Answer(false, true, "interrupted");
            }
            if (a.failed()) {
                failed = true;
                log.warn("{}: dnsbl {} lookup for {} failed ({}); treating the client as not listed",
                        sessionId, l.zone(), client.getHostAddress(), a.detail());
            } else if (a.listed()) {
                log.info("{}: dnsbl: client {} listed in {} ({})", sessionId, client.getHostAddress(), l.zone(), a.detail());
                verdict = switch (l.action()) {
                    case REJECT -> new Verdict.Reject(554, "5.7.1", replyText(l, client), "dnsbl:" + l.zone());
                    case QUARANTINE -> new Verdict.Quarantine("client " + client.getHostAddress() + " listed in " + l.zone(),
                            "dnsbl:" + l.zone());
                };
                break; // the first listing list in config order decides; the others need not be waited for
            }
        }
        remember(key, verdict, now.plus(failed && verdict == Verdict.ACCEPT ? FAILURE_TTL : CACHE_TTL));
        return verdict;
    }

    private Answer lookup(Dnsbl list, InetAddress client) {
        return switch (resolver.a(queryName(client, list.zone()))) {
            case DnsResult.Found<InetAddress> f -> {
                Set<String> answers = f.records().stream().map(InetAddress::getHostAddress)
                        .collect(Collectors.toCollection(java.util.TreeSet::new));
                boolean listed = answers.stream().anyMatch(a -> listedBy(list, a));
                yield new Answer(listed, false, "answer " + String.join(",", answers));
            }
            case DnsResult.NxDomain<InetAddress> n -> new Answer(false, false, "NXDOMAIN");
            case DnsResult.NoData<InetAddress> n -> new Answer(false, false, "NODATA");
            case DnsResult.TempFail<InetAddress> t -> new Answer(false, true, t.reason());
        };
    }

    private static boolean listedBy(Dnsbl list, String answer) {
        if (!list.codes().isEmpty()) return list.codes().contains(answer);
        return answer.startsWith("127.") && !answer.startsWith("127.255.255.");
    }

    private void remember(Key key, Verdict verdict, Instant expires) {
        if (cache.size() >= MAX_CACHE) {
            Instant now = clock.instant();
            cache.values().removeIf(c -> !c.expires().isAfter(now));
            if (cache.size() >= MAX_CACHE) cache.clear(); // a flood of distinct IPs: start over rather than grow
        }
        cache.put(key, new Cached(verdict, expires));
    }

    /** The configured reply with {@code $ip} and {@code $zone} filled in. */
    static String replyText(Dnsbl list, InetAddress client) {
        return list.reply().replace("$ip", client.getHostAddress()).replace("$zone", list.zone());
    }

    /**
     * The name to look up (RFC 5782 section 2.1 and 2.4): IPv4 octets reversed
     * ({@code 2.0.0.127.zone}); IPv6 as 32 nibbles reversed, lower-case hex.
     */
    public static String queryName(InetAddress ip, String zone) {
        byte[] b = ip.getAddress();
        StringBuilder s = new StringBuilder();
        if (ip instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) s.append(b[i] & 0xff).append('.');
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                s.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return s.append(zone).toString();
    }
}

package dev.petrel.delivery.mtasts;

import dev.petrel.io.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Policies per domain, in memory and in one file per domain under a directory (normally
 * {@code <data_dir>/mta-sts}), so that an enforce policy survives a restart: forgetting it would
 * let an attacker who blocks the policy host downgrade the next delivery (RFC 8461 section 10.2).
 *
 * <p>File format, UTF-8: {@code id: <id>}, {@code fetched: <ISO-8601 instant>}, an empty line,
 * then the policy text exactly as served. A write goes to a temporary file that is fsync'ed and
 * renamed over the old one, then the directory is fsync'ed: a crash leaves the old or the new
 * policy, never a torn one. A file that cannot be read or parsed is logged and ignored (the next
 * fetch replaces it). Expired entries are returned too: the caller decides (it may still want the
 * id). Thread-safe.
 */
public final class PolicyCache {
    private static final Logger log = LoggerFactory.getLogger(PolicyCache.class);
    /** A domain as a file name: lower-case labels only, so no path tricks ("..", "/") can come from DNS. */
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");

    private final Path dir;
    /** Only domains that have a policy: most domains have none, and remembering that for each would grow without bound. */
    private final Map<String, CachedPolicy> byDomain = new ConcurrentHashMap<>();

    /** Names of the policy files on disk, listed once: most domains have none, and asking costs no disk access. */
    private final java.util.Set<String> onDisk = ConcurrentHashMap.newKeySet();

    public PolicyCache(Path dir) {
        this.dir = dir;
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> key(n) != null).forEach(onDisk::add);
            } catch (IOException e) {
                log.warn("mta-sts: cannot list the policy cache {}: {}; cached policies are not used", dir, e.toString());
            }
        }
    }

    /** The cached policy of {@code domain}, expired or not; read from disk while not in memory. */
    public Optional<CachedPolicy> get(String domain) {
        String key = key(domain);
        if (key == null) return Optional.empty();
        CachedPolicy known = byDomain.get(key);
        if (known != null) return Optional.of(known);
        if (!onDisk.contains(key)) return Optional.empty();
        Optional<CachedPolicy> loaded = load(key);
        loaded.ifPresent(p -> byDomain.putIfAbsent(key, p));
        return loaded;
    }

    /**
     * Stores {@code policy} for {@code domain} durably, then in memory. When the disk write fails
     * the policy still applies from memory (logged): refusing to use a good policy helps no one.
     */
    public void put(String domain, CachedPolicy policy) {
        String key = key(domain);
        if (key == null) return;
        try {
            Files.createDirectories(dir);
            DurableFiles.replace(dir.resolve(key), format(policy).getBytes(StandardCharsets.UTF_8), null);
            onDisk.add(key);
        } catch (IOException e) {
            log.warn("mta-sts: cannot save the policy of {} in {}: {}; it applies until restart", key, dir, e.toString());
        }
        byDomain.put(key, policy);
    }

    private Optional<CachedPolicy> load(String key) {
        Path file = dir.resolve(key);
        try {
            return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | InvalidPolicyException | DateTimeParseException e) {
            log.warn("mta-sts: ignoring the cached policy file {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    static String format(CachedPolicy p) {
        return "id: " + p.id() + "\nfetched: " + p.fetchedAt() + "\n\n" + p.text();
    }

    static CachedPolicy parse(String file) throws InvalidPolicyException {
        int blank = file.indexOf("\n\n");
        if (blank < 0) throw new InvalidPolicyException("no empty line after the header");
        String id = null;
        Instant fetched = null;
        for (String line : file.substring(0, blank).split("\n")) {
            if (line.startsWith("id: ")) id = line.substring(4);
            else if (line.startsWith("fetched: ")) fetched = Instant.parse(line.substring(9));
        }
        if (id == null || fetched == null) throw new InvalidPolicyException("header without id or fetched");
        String text = file.substring(blank + 2);
        return new CachedPolicy(id, StsPolicyParser.parse(text), text, fetched);
    }

    private static String key(String domain) {
        String d = StsPolicy.normalize(domain).toLowerCase(Locale.ROOT);
        return d.length() <= 253 && DOMAIN.matcher(d).matches() ? d : null;
    }

}

package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.config.PetrelConfig.Admin;
import dev.petrel.config.PetrelConfig.Delivery;
import dev.petrel.config.PetrelConfig.Local;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.config.PetrelConfig.Queue;
import dev.petrel.config.PetrelConfig.Route;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The delivery side of {@link ConfigBinder}: [queue], [delivery] with its [[delivery.route]] and
 * [delivery.smarthost], [local] with [local.aliases], and [admin]. Same contract: defaults live
 * here, every problem is recorded with its line, and nothing is looked up or opened, except that
 * a {@code password_file} is read (its first line is the password).
 */
final class DeliveryBinder {
    /** Mailbox and alias names become directory names under maildir_root, so keep them tame. */
    private static final Pattern MAILBOX = Pattern.compile("[a-z0-9_+-][a-z0-9._+-]{0,63}");
    private static final String MAILBOX_RULE = "use 1 to 64 of a-z, 0-9, '.', '_', '+' and '-', not starting with '.'";
    private static final String RELAY_EXAMPLE = "write it as \"smtp.example.net\", \"smtp.example.net:587\", "
            + "\"192.0.2.1:2525\" or \"[2001:db8::1]:25\" (a host name or IP address; port 25 when left out)";

    private final Path baseDir;

    DeliveryBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    Queue queue(Section s) {
        Duration retryMin = s.duration("retry_min", Duration.ofMinutes(5), false);
        Duration retryMax = s.duration("retry_max", Duration.ofHours(1), false);
        Duration maxAge = s.duration("max_age", Duration.ofDays(5), false);
        Duration delayWarning = s.duration("delay_warning", Duration.ZERO, true);
        int maxConnections = s.integer("max_connections", 100, 1, 100_000);
        int perDestination = s.integer("max_connections_per_destination", 20, 1, 100_000);
        Duration idle = s.duration("connection_idle", Duration.ofSeconds(5), true);
        int perConnection = s.integer("max_messages_per_connection", 100, 1, 1_000_000);
        if (retryMax.compareTo(retryMin) < 0) {
            conflict(s, "retry_max", "retry_min", "queue.retry_max (" + Units.format(retryMax)
                    + ") must be at least queue.retry_min (" + Units.format(retryMin) + "); raise retry_max or lower retry_min");
        }
        if (!delayWarning.isZero() && delayWarning.compareTo(maxAge) >= 0) {
            conflict(s, "delay_warning", "max_age", "queue.delay_warning (" + Units.format(delayWarning)
                    + ") must be shorter than queue.max_age (" + Units.format(maxAge)
                    + "), or the message bounces before the warning is sent; lower it, or write \"0s\" for no warning");
        }
        if (perDestination > maxConnections) {
            conflict(s, "max_connections_per_destination", "max_connections", "queue.max_connections_per_destination ("
                    + perDestination + ") must not exceed queue.max_connections (" + maxConnections + "), the limit for all destinations together");
        }
        s.rejectUnknown();
        return new Queue(retryMin, retryMax, maxAge, delayWarning, maxConnections, perDestination, idle, perConnection);
    }

    /** A rule between two keys: reported on the line of {@code key}, or of {@code other} when only that one is written. */
    private static void conflict(Section s, String key, String other, String why) {
        if (!s.valid(key) || !s.valid(other)) return; // already reported; the default standing in proves nothing
        String blamed = s.has(key) || !s.has(other) ? key : other;
        s.invalid(blamed, s.take(blamed), "is not valid: " + why);
    }

    Delivery delivery(Section s, PetrelConfig.Server server, PetrelConfig.Relay relay) {
        boolean enabled = s.bool("enabled", true);
        InetSocketAddress resolver = numeric(s, "resolver", 53, "the resolver is what looks names up",
                "\"127.0.0.1\", \"127.0.0.1:53\" or \"[2001:db8::53]:53\"");
        String helo = s.string("helo_name", server.hostname());
        if (!ConfigBinder.HOSTNAME.matcher(helo).matches() || helo.length() > 253) {
            s.invalid("helo_name", s.take("helo_name"), "is not a host name; use this host's public name, such as \"mail.example.com\" (the default is server.hostname)");
        }
        Duration connect = s.duration("connect_timeout", Duration.ofSeconds(30), false);
        Duration command = s.duration("command_timeout", Duration.ofMinutes(5), false);
        Duration data = s.duration("data_timeout", Duration.ofMinutes(10), false);
        OutboundTls tls = s.choice("tls", OutboundTls.OPPORTUNISTIC, OutboundTls.class);
        boolean ipv6 = s.bool("ipv6", true);
        // On by default, as in KumoMTA: a domain that publishes enforce asks for it, and it only
        // ever defers mail, never sends it anywhere the MX records would not.
        boolean mtaSts = s.bool("mta_sts", true);
        Path caFile = caFile(s);
        List<Route> routes = routes(s.tables("route"), tls, relay.localDomains());
        Section smarthostTable = s.table("smarthost");
        Route smarthost = smarthostTable == null ? null : relayRoute(smarthostTable, "*", tls);
        s.rejectUnknown();
        return new Delivery(enabled, resolver, helo, connect, command, data, tls, routes, smarthost, ipv6, mtaSts, caFile);
    }

    /**
     * ca_file: must be a file with at least one PEM certificate. Only the PEM marker is checked
     * here (no crypto while loading); a certificate that cannot be decoded stops startup with its own message.
     */
    private Path caFile(Section s) {
        Path file = s.path("ca_file", null, baseDir);
        if (file == null) return null;
        String fix = "; name a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE-----), "
                + "relative to the configuration file's directory or absolute";
        try {
            if (!Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
                s.invalid("ca_file", s.take("ca_file"), "names " + file + ", which holds no PEM certificate" + fix);
                return null;
            }
        } catch (IOException e) {
            s.invalid("ca_file", s.take("ca_file"), "names " + file + ", which cannot be read (" + e.getClass().getSimpleName() + ")" + fix);
            return null;
        }
        return file;
    }

    private List<Route> routes(List<Section> tables, OutboundTls defaultTls, List<String> localDomains) {
        List<Route> routes = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Section s : tables) {
            String domain = routeDomain(s, localDomains);
            if (domain != null) {
                Integer earlier = seen.putIfAbsent(domain, s.line("domain"));
                if (earlier != null) {
                    s.invalid("domain", s.take("domain"), "already has a route (line " + earlier
                            + "); the first match wins, so this one would never be used; keep one");
                }
            }
            Route route = relayRoute(s, domain, defaultTls);
            if (route != null && domain != null) routes.add(route);
        }
        return routes;
    }

    /** "example.com" or ".example.com", lower case; null (reported) when missing or wrong. */
    private static String routeDomain(Section s, List<String> localDomains) {
        String written = s.string("domain", null);
        if (written == null) {
            if (!s.has("domain")) s.problem(s.displayName() + " has no domain; add domain = \"example.com\" (or \".example.com\" for it and its subdomains)");
            return null;
        }
        String domain = written.strip().toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
        boolean subdomains = domain.startsWith(".");
        String bare = subdomains ? domain.substring(1) : domain;
        if (domain.equals("*")) {
            s.invalid("domain", s.take("domain"), "is not valid here; for all other mail use a [delivery.smarthost] table");
            return null;
        }
        if (!ConfigBinder.HOSTNAME.matcher(bare).matches() || bare.length() > 253) {
            s.invalid("domain", s.take("domain"), "is not a domain; write \"example.com\" for that domain, or \".example.com\" for it and its subdomains");
            return null;
        }
        if (localDomains.contains(bare)) {
            // Local mail goes to mailboxes before routes are consulted: such a route could never be
            // used, and whoever wrote it probably meant something else.
            s.invalid("domain", s.take("domain"), "is a local domain (relay.local_domains): its mail is delivered to local mailboxes "
                    + "([local]) and never routed; remove this route, or remove \"" + bare + "\" from relay.local_domains to relay its mail");
            return null;
        }
        return domain;
    }

    /** A static route or the smarthost: to, mx, tls and the AUTH credentials. Null when unusable (reported). */
    private Route relayRoute(Section s, String domain, OutboundTls defaultTls) {
        HostPort to = null;
        String toText = s.string("to", null);
        if (toText != null) {
            try {
                to = HostPort.parse(toText, 25, false);
            } catch (IllegalArgumentException e) {
                s.invalid("to", s.take("to"), e.getMessage() + "; " + RELAY_EXAMPLE);
            }
        } else if (!s.has("to")) {
            s.problem(s.displayName() + " has no to; add to = \"smtp.example.net:587\" (" + RELAY_EXAMPLE + ")");
        }
        boolean mx = s.bool("mx", false);
        if (mx && to != null && to.ip() != null) {
            s.invalid("mx", s.take("mx"), "needs a host name with MX records in to, but \"" + to.host()
                    + "\" is an address; set mx = false to connect to it directly");
        }
        OutboundTls tls = s.choice("tls", null, OutboundTls.class);
        String username = s.string("username", null);
        String password = password(s);
        if (username != null && username.isEmpty()) {
            s.invalid("username", s.take("username"), "is empty; write the AUTH user name, or remove username and password");
        }
        if (tls == null) {
            // Never send a password in the clear by default: with credentials, at least "required".
            tls = username != null && defaultTls.compareTo(OutboundTls.REQUIRED) < 0 ? OutboundTls.REQUIRED : defaultTls;
        } else if (username != null && tls.compareTo(OutboundTls.REQUIRED) < 0 && to != null && !isLoopback(to)) {
            s.invalid("tls", s.take("tls"), "would send the password in the clear whenever STARTTLS is missing or stripped "
                    + "by an attacker; use \"required\" or \"verify\" (only a relay on loopback may do without TLS)");
        }
        s.rejectUnknown();
        if (to == null) return null;
        return new Route(domain, to.host(), to.port(), mx, tls, username, password);
    }

    private static boolean isLoopback(HostPort to) {
        return to.ip() != null && to.ip().isLoopbackAddress();
    }

    /** password or password_file, exactly one, and only with a username. Never puts the password in a message. */
    private String password(Section s) {
        String inline = s.secret("password");
        Path file = s.path("password_file", null, baseDir);
        if (s.has("password") && s.has("password_file")) {
            s.problem("password_file", s.displayName() + " has both password and password_file; keep exactly one "
                    + "(password_file keeps the secret out of this file)");
            return null;
        }
        boolean hasPassword = s.has("password") || s.has("password_file");
        if (!s.has("username") && hasPassword) {
            String key = s.has("password") ? "password" : "password_file";
            s.problem(key, s.displayName() + " has a " + key + " but no username; add username = \"...\" or remove " + key);
            return null;
        }
        if (s.has("username") && !hasPassword) {
            s.problem("username", s.displayName() + " has a username but no password; add password_file = \"/etc/petrel/relay.password\" "
                    + "(preferred; its first line is the password) or password = \"...\"");
            return null;
        }
        return file == null ? inline : readPassword(s, file);
    }

    private static String readPassword(Section s, Path file) {
        String fix = "; write the password on the first line of that file, readable only by Petrel's user (chmod 600)";
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String first = in.readLine();
            if (first != null && !first.isEmpty()) return first;
            s.invalid("password_file", s.take("password_file"), "names " + file + ", whose first line is empty" + fix);
        } catch (IOException e) {
            s.invalid("password_file", s.take("password_file"), "names " + file + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")" + fix);
        }
        return null;
    }

    /** An optional numeric address (resolver, lmtp): names are refused so that loading never needs DNS. */
    private static InetSocketAddress numeric(Section s, String key, int defaultPort, String why, String example) {
        String text = s.string(key, null);
        if (text == null) return null;
        try {
            HostPort a = HostPort.parse(text, defaultPort, false);
            if (a.ip() != null) return new InetSocketAddress(a.ip(), a.port());
            s.invalid(key, s.take(key), "is a host name; use a numeric IP address (" + why + "), such as " + example);
        } catch (IllegalArgumentException e) {
            s.invalid(key, s.take(key), e.getMessage() + "; write it as " + example + " (port " + defaultPort + " when left out)");
        }
        return null;
    }

    Local local(Section s, Path dataDir) {
        Path root = s.path("maildir_root", dataDir.resolve("mail"), baseDir);
        List<String> users = new ArrayList<>(new LinkedHashSet<>(names(s, "users")));
        String catchAll = s.string("catch_all", null);
        InetSocketAddress lmtp = numeric(s, "lmtp", 24, "Petrel does not look names up while loading",
                "\"127.0.0.1:24\" or \"[::1]:24\"");
        Section aliasTable = s.table("aliases");
        s.rejectUnknown();
        Map<String, List<String>> written = aliasTable == null ? Map.of() : writtenAliases(aliasTable, users);
        // RFC 5321 4.5.1: postmaster must always be deliverable, as a mailbox unless an alias says where.
        if (!written.containsKey("postmaster") && !users.contains("postmaster")) users.add("postmaster");
        Map<String, List<String>> aliases = aliasTable == null ? Map.of() : expand(aliasTable, written, users);
        if (catchAll != null) {
            catchAll = catchAll.toLowerCase(Locale.ROOT);
            if (!users.contains(catchAll)) {
                s.invalid("catch_all", s.take("catch_all"), "is not one of local.users (" + String.join(", ", users)
                        + "); add it to local.users, or name one of them (an alias cannot be the catch-all)");
                catchAll = null;
            }
        }
        return new Local(root, users, aliases, catchAll, lmtp);
    }

    /** local.users: names lower-cased and checked, since each becomes a directory. */
    private static List<String> names(Section s, String key) {
        List<String> out = new ArrayList<>();
        for (String name : s.strings(key, List.of())) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (MAILBOX.matcher(lower).matches()) {
                out.add(lower);
            } else {
                s.invalid(key, s.take(key), "is not valid: \"" + name + "\" is not a mailbox name; " + MAILBOX_RULE);
            }
        }
        return out;
    }

    /** [local.aliases] as written (lower-cased), in file order; bad names and values are reported and left out. */
    private static Map<String, List<String>> writtenAliases(Section s, List<String> users) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> keyOf = new HashMap<>();
        for (String key : s.keys()) {
            JsonNode v = s.take(key);
            String alias = key.toLowerCase(Locale.ROOT);
            List<String> targets = new ArrayList<>();
            if (v.isTextual()) targets.add(v.textValue().strip().toLowerCase(Locale.ROOT));
            if (v.isArray()) v.forEach(t -> targets.add(t.isTextual() ? t.textValue().strip().toLowerCase(Locale.ROOT) : null));
            if (!MAILBOX.matcher(alias).matches()) {
                s.invalid(key, v, "is not valid: \"" + key + "\" is not an alias name; " + MAILBOX_RULE);
            } else if (targets.isEmpty() || targets.contains(null)) {
                s.invalid(key, v, "is not valid; write a quoted name or an array of names, such as [\"alice\", \"bob\"]");
            } else if (users.contains(alias)) {
                s.invalid(key, v, "is not valid: \"" + alias + "\" is also in local.users; a name is either a mailbox or an alias, remove one");
            } else if (keyOf.containsKey(alias)) {
                s.invalid(key, v, "is not valid: it is the same alias as '" + keyOf.get(alias) + "' (line "
                        + s.line(keyOf.get(alias)) + "), as names ignore case; keep one");
            } else {
                keyOf.put(alias, key);
                out.put(alias, targets);
            }
        }
        return out;
    }

    /**
     * Resolves every alias down to mailboxes, so the router needs no recursion: unknown targets and
     * loops are reported on the alias's line. The result maps each alias to mailbox names, in the
     * order first written, without repeats.
     */
    private static Map<String, List<String>> expand(Section s, Map<String, List<String>> written, List<String> users) {
        Map<String, String> keyOf = new HashMap<>();
        for (String key : s.keys()) keyOf.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
        boolean ok = true;
        for (Map.Entry<String, List<String>> e : written.entrySet()) {
            for (String target : e.getValue()) {
                if (!users.contains(target) && !written.containsKey(target)) {
                    String key = keyOf.get(e.getKey());
                    s.invalid(key, s.take(key), "is not valid: alias '" + e.getKey() + "' names \"" + target
                            + "\", which is neither in local.users nor an alias; add it to local.users or define it in [local.aliases]");
                    ok = false;
                }
            }
        }
        Set<String> inReportedLoop = new HashSet<>();
        for (String alias : written.keySet()) {
            List<String> loop = findLoop(alias, written, new ArrayDeque<>());
            if (loop == null) continue;
            if (Collections.disjoint(loop, inReportedLoop)) { // each loop once, on its first alias's line
                String key = keyOf.get(loop.getFirst());
                s.invalid(key, s.take(key), "is not valid: aliases form a loop (" + String.join(" -> ", loop)
                        + "), so mail to them could never reach a mailbox; make one of them name users only");
            }
            inReportedLoop.addAll(loop);
            ok = false;
        }
        if (!ok) return Map.of();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String alias : written.keySet()) {
            Set<String> mailboxes = new LinkedHashSet<>();
            collect(alias, written, mailboxes);
            out.put(alias, List.copyOf(mailboxes));
        }
        return out;
    }

    /** The first loop reachable from {@code alias}, as "a -> b -> a", or null. */
    private static List<String> findLoop(String alias, Map<String, List<String>> written, Deque<String> path) {
        if (path.contains(alias)) {
            List<String> loop = new ArrayList<>();
            boolean in = false;
            for (String a : path.reversed()) {
                in |= a.equals(alias);
                if (in) loop.add(a);
            }
            loop.add(alias);
            return loop;
        }
        List<String> targets = written.get(alias);
        if (targets == null) return null; // a mailbox
        path.push(alias);
        for (String t : targets) {
            List<String> loop = findLoop(t, written, path);
            if (loop != null) return loop;
        }
        path.pop();
        return null;
    }

    private static void collect(String name, Map<String, List<String>> written, Set<String> mailboxes) {
        List<String> targets = written.get(name);
        if (targets == null) {
            mailboxes.add(name);
        } else {
            for (String t : targets) collect(t, written, mailboxes);
        }
    }

    Admin admin(Section s) {
        InetSocketAddress address = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        String text = s.string("address", null);
        String example = "\"127.0.0.1:8025\", \"[::1]:8025\" or \"127.0.0.1:0\" (0 picks a free port)";
        if (text != null) {
            try {
                HostPort a = HostPort.parse(text, 0, true);
                if (a.ip() != null && a.ip().isLoopbackAddress()) {
                    address = new InetSocketAddress(a.ip(), a.port());
                } else {
                    // The admin API can read and delete mail: keep it off the network entirely.
                    s.invalid("address", s.take("address"), "is not a loopback address; the admin API listens on loopback only, "
                            + "as it can read and delete queued mail; use " + example + " and reach it from elsewhere through an SSH tunnel");
                }
            } catch (IllegalArgumentException e) {
                s.invalid("address", s.take("address"), e.getMessage() + "; write it as " + example);
            }
        }
        s.rejectUnknown();
        return new Admin(address);
    }
}

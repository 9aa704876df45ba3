package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.config.PetrelConfig.Auth;
import dev.petrel.config.PetrelConfig.BareLineEndings;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.LongLines;
import dev.petrel.config.PetrelConfig.Relay;
import dev.petrel.config.PetrelConfig.Server;
import dev.petrel.config.PetrelConfig.Smtp;
import dev.petrel.config.PetrelConfig.Tls;
import dev.petrel.config.PetrelConfig.TlsMode;
import dev.petrel.message.IpNetwork;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a parsed TOML tree into a {@link PetrelConfig}: applies the defaults, checks types,
 * ranges and cross-field rules, and records every problem in {@link Problems}. The defaults live
 * here and, for the delivery-side tables, in {@link DeliveryBinder}, and nowhere else;
 * {@link ConfigLoader#defaults()} binds an empty tree.
 */
final class ConfigBinder {
    private static final List<String> TABLES = List.of("server", "smtp", "tls", "listener", "relay", "auth",
            "queue", "delivery", "local", "admin", "senders", "limits", "rate_limits", "dnsbl", "mail_auth", "dkim", "capture");
    static final Pattern HOSTNAME =
            Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    static final List<Listener> DEFAULT_LISTENERS = List.of(
            new Listener("smtp", ListenerAddress.parse("127.0.0.1:2525"), ListenerMode.MX, TlsMode.STARTTLS),
            new Listener("submission", ListenerAddress.parse("127.0.0.1:2587"), ListenerMode.SUBMISSION, TlsMode.STARTTLS),
            new Listener("submissions", ListenerAddress.parse("127.0.0.1:2465"), ListenerMode.SUBMISSION, TlsMode.IMPLICIT));

    private final ObjectNode root;
    private final TomlLocator locator;
    private final Problems problems;
    private final Path baseDir;

    /** @param baseDir the directory relative paths resolve against: the config file's, or the working directory */
    ConfigBinder(ObjectNode root, TomlLocator locator, Problems problems, Path baseDir) {
        this.root = root;
        this.locator = locator;
        this.problems = problems;
        this.baseDir = baseDir;
    }

    /** @return the configuration, or null when {@link Problems} holds at least one problem */
    PetrelConfig bind(Path source) {
        rejectUnknownTables();
        Server server = server(table("server"));
        Smtp smtp = smtp(table("smtp"));
        Tls tls = tls(table("tls"));
        List<Listener> listeners = listeners();
        Relay relay = relay(table("relay"));
        Auth auth = auth(table("auth"), server.dataDir());
        DeliveryBinder d = new DeliveryBinder(baseDir);
        PetrelConfig.Queue queue = d.queue(table("queue"));
        PetrelConfig.Delivery delivery = d.delivery(table("delivery"), server, relay);
        PetrelConfig.Local local = d.local(table("local"), server.dataDir());
        PetrelConfig.Admin admin = d.admin(table("admin"));
        PetrelConfig.Policy policy = new PetrelConfig.Policy(
                SendersBinder.bind(table("senders"), relay.localDomains()),
                LimitsBinder.bind(table("limits")),
                RateLimitsBinder.bind(table("rate_limits")),
                DnsblBinder.bind(root.get("dnsbl"), locator, problems));
        PetrelConfig.MailAuth mailAuth = MailAuthBinder.bind(table("mail_auth"), root.get("dkim"), locator, problems, baseDir);
        PetrelConfig.Capture capture = CaptureBinder.bind(table("capture"));
        return problems.isEmpty()
                ? new PetrelConfig(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth,
                        capture)
                : null;
    }

    private Server server(Section s) {
        String hostname = s.string("hostname", "localhost");
        if (!HOSTNAME.matcher(hostname).matches() || hostname.length() > 253) {
            s.invalid("hostname", s.take("hostname"), "is not a host name; use the server's fully qualified domain name, such as \"mail.example.com\"");
        }
        Path dataDir = s.path("data_dir", baseDir.resolve("petrel-data").normalize(), baseDir);
        int maxConnections = s.integer("max_connections", 1000, 1, 1_000_000);
        int perIp = s.integer("max_connections_per_ip", 50, 1, 1_000_000);
        s.rejectUnknown();
        return new Server(hostname, dataDir, maxConnections, perIp);
    }

    private Smtp smtp(Section s) {
        Smtp smtp = new Smtp(
                s.size("max_message_size", 25L * 1024 * 1024),
                s.integer("max_recipients", 100, 1, 100_000),
                s.choice("bare_line_endings", BareLineEndings.NORMALIZE, BareLineEndings.class),
                s.choice("long_lines", LongLines.REJECT, LongLines.class),
                s.integer("max_errors", 10, 1, 1000),
                s.duration("command_timeout", Duration.ofMinutes(5), false),
                s.duration("data_timeout", Duration.ofMinutes(3), false),
                s.duration("greet_pause", Duration.ZERO, true));
        s.rejectUnknown();
        return smtp;
    }

    private Tls tls(Section s) {
        Path certificate = s.path("certificate", null, baseDir);
        Path privateKey = s.path("private_key", null, baseDir);
        String both = "set both tls.certificate and tls.private_key, or neither to use a self-signed certificate generated in data_dir";
        if (certificate != null && privateKey == null && !s.has("private_key")) {
            s.invalid("certificate", s.take("certificate"), "is set but tls.private_key is not; " + both);
        } else if (privateKey != null && certificate == null && !s.has("certificate")) {
            s.invalid("private_key", s.take("private_key"), "is set but tls.certificate is not; " + both);
        }
        mustExist(s, "certificate", certificate);
        mustExist(s, "private_key", privateKey);
        s.rejectUnknown();
        return new Tls(certificate, privateKey);
    }

    private static void mustExist(Section s, String key, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            s.invalid(key, s.take(key), "names " + file + ", which does not exist or is not a file; check the path (relative paths start at the configuration file's directory)");
        }
    }

    private List<Listener> listeners() {
        JsonNode node = root.get("listener");
        if (node == null) return DEFAULT_LISTENERS;
        int headerLine = locator.line("listener");
        if (!node.isArray()) {
            problems.add(headerLine, "listener must be an array of tables; write each listener as a [[listener]] table (double brackets)");
            return List.of();
        }
        if (node.isEmpty()) {
            problems.add(headerLine, "listener = [] leaves Petrel with no listeners; add a [[listener]] table, or remove the key to use the defaults");
            return List.of();
        }
        List<Listener> out = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "listener[" + i + "]";
            String display = "[[listener]] #" + (i + 1);
            JsonNode element = node.get(i);
            if (!element.isObject()) {
                problems.add(locator.line(path), display + " is not a table; write each listener as a [[listener]] table");
                continue;
            }
            Listener l = listener(new Section((ObjectNode) element, path, display + ": ", display, locator, problems));
            if (l != null && unique(l, locator.line(path + ".name"), locator.line(path + ".address"), out, lines)) {
                out.add(l);
                lines.add(locator.line(path));
            }
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add(headerLine, "no valid listener; add a [[listener]] table with name and address");
        }
        return out;
    }

    private Listener listener(Section s) {
        String name = s.string("name", null);
        if (name != null && !LISTENER_NAME.matcher(name).matches()) {
            s.invalid("name", s.take("name"), "is not valid; use letters, digits, '-', '_' or '.', such as \"smtp\" or \"submission\"");
            name = null;
        }
        InetSocketAddress address = null;
        String addressText = s.string("address", null);
        if (addressText != null) {
            try {
                address = ListenerAddress.parse(addressText);
            } catch (IllegalArgumentException e) {
                s.invalid("address", s.take("address"), e.getMessage());
            }
        }
        ListenerMode mode = s.choice("mode", ListenerMode.MX, ListenerMode.class);
        TlsMode tls = s.choice("tls", TlsMode.STARTTLS, TlsMode.class);
        PetrelConfig.ListenerPolicy inherit = PetrelConfig.ListenerPolicy.INHERIT;
        PetrelConfig.ListenerPolicy policy = new PetrelConfig.ListenerPolicy(
                s.has("max_message_size") ? (Long) s.size("max_message_size", 0) : null,
                s.has("max_recipients") ? (Integer) s.integer("max_recipients", 0, 1, 100_000) : null,
                s.has("greet_pause") ? s.duration("greet_pause", Duration.ZERO, true) : null,
                s.bool("require_tls", inherit.requireTls()),
                s.bool("dnsbl", inherit.dnsbl()),
                s.bool("rate_limits", inherit.rateLimits()),
                s.bool("reject_non_fqdn_helo", inherit.rejectNonFqdnHelo()),
                s.bool("reject_unknown_helo", inherit.rejectUnknownHelo()));
        if (policy.requireTls() && tls == TlsMode.NONE) {
            problems.add(s.line("require_tls"), s.displayName() + ": require_tls = true with tls = \"none\" would refuse all mail; "
                    + "set tls = \"starttls\" or \"implicit\", or remove require_tls");
        }
        List<IpNetwork> proxyFrom = proxyFrom(s);
        int line = locator.line(s.path());
        if (!s.has("name")) problems.add(line, s.displayName() + " has no name; add name = \"smtp\" (any short, unique name for logs)");
        if (!s.has("address")) problems.add(line, s.displayName() + " has no address; add address = \"127.0.0.1:2525\" (" + ListenerAddress.HINT + ")");
        s.rejectUnknown();
        return name == null || address == null ? null : new Listener(name, address, mode, tls, policy, proxyFrom);
    }

    /**
     * proxy_protocol and proxy_from: the load balancers allowed to name the client. Without the list
     * anyone could claim any address and relay as a trusted network, so it is required.
     */
    private static List<IpNetwork> proxyFrom(Section s) {
        boolean on = s.bool("proxy_protocol", false);
        List<IpNetwork> from = new ArrayList<>();
        for (String n : s.strings("proxy_from", List.of())) {
            try {
                from.add(IpNetwork.parse(n));
            } catch (IllegalArgumentException e) {
                s.invalid("proxy_from", s.take("proxy_from"), "is not valid: " + e.getMessage());
            }
        }
        if (on && from.isEmpty()) {
            s.problem("proxy_protocol", s.displayName() + ": proxy_protocol = true needs proxy_from, the addresses of your load "
                    + "balancers (such as [\"10.0.0.5/32\"]); without it anyone could claim any client address");
        }
        if (!on && !from.isEmpty()) {
            s.problem("proxy_from", s.displayName() + ": proxy_from is set but proxy_protocol is not; add proxy_protocol = true");
        }
        return on ? from : List.of();
    }

    /** Names must differ, and two listeners cannot bind the same port on overlapping addresses. */
    private boolean unique(Listener l, int nameLine, int addressLine, List<Listener> earlier, List<Integer> earlierLines) {
        boolean ok = true;
        for (int i = 0; i < earlier.size(); i++) {
            Listener e = earlier.get(i);
            String where = " (line " + earlierLines.get(i) + ")";
            if (e.name().equals(l.name())) {
                problems.add(nameLine, "listener name '" + l.name() + "' is already used by the listener on " + ListenerAddress.format(e.address())
                        + where + "; give each [[listener]] a different name");
                ok = false;
            }
            if (ok && overlaps(e.address(), l.address())) { // the first clash is enough to act on
                problems.add(addressLine, "listener '" + l.name() + "' address " + ListenerAddress.format(l.address())
                        + " overlaps listener '" + e.name() + "' at " + ListenerAddress.format(e.address()) + where
                        + "; use a different port (0.0.0.0 covers every IPv4 address on its port, [::] every address)");
                ok = false;
            }
        }
        return ok;
    }

    private static boolean overlaps(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort()
                && (a.getAddress().equals(b.getAddress()) || covers(a.getAddress(), b.getAddress()) || covers(b.getAddress(), a.getAddress()));
    }

    /** 0.0.0.0 covers every IPv4 address; Java binds [::] dual-stack, so it covers every address. */
    private static boolean covers(InetAddress wildcard, InetAddress other) {
        return wildcard.isAnyLocalAddress() && (wildcard instanceof Inet6Address || other instanceof Inet4Address);
    }

    private Relay relay(Section s) {
        List<String> domains = new ArrayList<>();
        for (String d : s.strings("local_domains", List.of("localhost"))) {
            String domain = d.strip().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
            if (HOSTNAME.matcher(domain).matches()) {
                domains.add(domain);
            } else {
                s.invalid("local_domains", s.take("local_domains"), "is not valid: \"" + d + "\" is not a domain name; write domains such as \"example.com\"");
            }
        }
        List<IpNetwork> networks = new ArrayList<>();
        for (String n : s.strings("trusted_networks", List.of("127.0.0.0/8", "::1/128"))) {
            try {
                IpNetwork network = IpNetwork.parse(n);
                if (network.prefixLength() == 0) {
                    s.invalid("trusted_networks", s.take("trusted_networks"), "is not allowed: \"" + n
                            + "\" trusts every address on the Internet and makes Petrel an open relay; list only your own clients' networks, such as \"192.0.2.0/24\"");
                }
                networks.add(network);
            } catch (IllegalArgumentException e) {
                s.invalid("trusted_networks", s.take("trusted_networks"), "is not valid: " + e.getMessage());
            }
        }
        s.rejectUnknown();
        return new Relay(domains, networks);
    }

    private Auth auth(Section s, Path dataDir) {
        Auth auth = new Auth(
                s.path("users_file", dataDir.resolve("users"), baseDir),
                s.integer("max_failures_per_ip", 10, 1, 1_000_000),
                s.duration("failure_window", Duration.ofMinutes(15), false),
                s.duration("failure_delay", Duration.ofSeconds(1), true));
        s.rejectUnknown();
        return auth;
    }

    /** The section for a top-level table; a missing table reads as empty, so every default applies. */
    private Section table(String name) {
        JsonNode node = root.get(name);
        if (node != null && !node.isObject()) {
            problems.add(locator.line(name), name + " must be a table; write [" + name + "] on a line of its own with its keys below it");
            node = null;
        }
        ObjectNode table = node == null ? Section.emptyTable() : (ObjectNode) node;
        return new Section(table, name, name + ".", "[" + name + "]", locator, problems);
    }

    private void rejectUnknownTables() {
        String knownTables = "[server], [smtp], [tls], [[listener]], [relay], [auth], [queue], [delivery], [local], [admin]";
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (TABLES.contains(name)) continue;
            int line = locator.line(name);
            String suggestion = Spelling.closest(name, TABLES)
                    .map(t -> "; did you mean " + (t.equals("listener") ? "[[listener]]" : "[" + t + "]") + "?")
                    .orElse("");
            if (root.get(name).isObject() || root.get(name).isArray()) {
                problems.add(line, "unknown table [" + name + "]" + suggestion + " (known tables: " + knownTables + ")");
            } else {
                problems.add(line, "unknown key '" + name + "' outside any table" + suggestion
                        + "; keys belong under a table header (known tables: " + knownTables + ")");
            }
        }
    }
}

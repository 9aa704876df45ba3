package dev.petrel.config;

import dev.petrel.config.PetrelConfig.Capture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads [capture]. Same contract as the other binders: defaults from {@link Capture#OFF} (a
 * config file captures nothing unless it says so), every problem recorded on its line.
 */
final class CaptureBinder {
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]+"); // RFC 5322 ftext
    private static final String INBOX_BY_HINT = "use \"tag\", \"user\" or \"header:Name\", such as [\"header:X-Petrel-Inbox\", \"tag\", \"user\"]";

    private CaptureBinder() {}

    static Capture bind(Section s) {
        Capture d = Capture.OFF;
        boolean enabled = s.bool("enabled", d.enabled());
        List<String> domains = new ArrayList<>();
        for (String domain : s.strings("domains", d.domains())) {
            String clean = domain.strip().toLowerCase(Locale.ROOT);
            if (clean.endsWith(".")) clean = clean.substring(0, clean.length() - 1); // as recipients' domains are compared
            String bare = clean.startsWith(".") ? clean.substring(1) : clean;
            if (!clean.equals("*") && !(ConfigBinder.HOSTNAME.matcher(bare).matches() && bare.indexOf('.') > 0)) {
                s.invalid("domains", s.take("domains"), "is not valid: \"" + domain + "\" is not a domain; use \"*\" for all mail, "
                        + "\"example.com\", or \".example.com\" for it and its subdomains");
                domains = new ArrayList<>(d.domains());
                break;
            }
            domains.add(clean);
        }
        InetSocketAddress address = d.address();
        String listen = s.string("listen", null);
        if (listen != null) {
            try {
                address = ListenerAddress.parse(listen);
            } catch (IllegalArgumentException e) {
                s.invalid("listen", s.take("listen"), e.getMessage());
            }
        }
        long maxMessages = s.integer("max_messages", (int) d.maxMessages(), 0, 100_000_000);
        Duration maxAge = s.duration("max_age", d.maxAge(), true);
        List<String> inboxBy = new ArrayList<>();
        for (String rule : s.strings("inbox_by", d.inboxBy())) {
            String r = rule.strip();
            boolean header = r.regionMatches(true, 0, "header:", 0, 7) && HEADER_NAME.matcher(r.substring(7)).matches();
            if (!header && !r.equals("tag") && !r.equals("user")) {
                s.invalid("inbox_by", s.take("inbox_by"), "is not valid: \"" + rule + "\" is not a rule; " + INBOX_BY_HINT);
                inboxBy = new ArrayList<>(d.inboxBy());
                break;
            }
            inboxBy.add(header ? "header:" + r.substring(7) : r);
        }
        String auth = s.string("auth", "none");
        boolean usersOnly = false;
        switch (auth.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> { }
            case "users" -> usersOnly = true;
            default -> s.invalid("auth", s.take("auth"), "is not valid; use \"users\" (HTTP Basic with the users of "
                    + "petrel user add) or \"none\"");
        }
        boolean tls = s.bool("tls", d.tls());
        // Anyone who reaches an open inbox reads every captured message and can release it to any
        // address: off loopback, both the password and TLS (which keeps the password secret) are required.
        if (enabled && !address.getAddress().isLoopbackAddress() && !(usersOnly && tls)) {
            s.problem("listen", "[capture] listen = \"" + ListenerAddress.format(address) + "\" is reachable from other "
                    + "machines, so the inbox needs auth = \"users\" and tls = true (anyone who reaches it could read every "
                    + "captured message and release it to any address); or listen on 127.0.0.1 behind a proxy that authenticates");
        }
        s.rejectUnknown();
        return new Capture(enabled, domains, address, maxMessages, maxAge, inboxBy, usersOnly, tls);
    }
}

package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.config.PetrelConfig.Dnsbl;
import dev.petrel.config.PetrelConfig.DnsblStage;
import dev.petrel.message.IpLiteral;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads [[dnsbl]] (DNS block lists): one table per list, in file order, which is also the order
 * in which a listing is reported. Same contract as {@link ConfigBinder}: every problem is recorded
 * with its line, and nothing is looked up.
 */
final class DnsblBinder {
    static final String DEFAULT_REPLY = "Service unavailable; client [$ip] blocked using $zone";

    private DnsblBinder() {}

    /** @param node the value of the top-level "dnsbl" key, or null when absent */
    static List<Dnsbl> bind(JsonNode node, TomlLocator locator, Problems problems) {
        if (node == null) return List.of();
        if (!node.isArray()) {
            problems.add(locator.line("dnsbl"), "dnsbl must be an array of tables; write each block list as a [[dnsbl]] table (double brackets)");
            return List.of();
        }
        List<Dnsbl> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "dnsbl[" + i + "]";
            String display = "[[dnsbl]] #" + (i + 1);
            if (!(node.get(i) instanceof ObjectNode element)) {
                problems.add(locator.line(path), display + " is not a table; write each block list as a [[dnsbl]] table");
                continue;
            }
            Dnsbl d = dnsbl(new Section(element, path, display + ": ", display, locator, problems));
            if (d == null) continue;
            if (out.stream().anyMatch(e -> e.zone().equals(d.zone()) && e.stage() == d.stage())) {
                problems.add(locator.line(path + ".zone"), display + ": zone \"" + d.zone()
                        + "\" is already listed for the same stage; remove one of the two [[dnsbl]] tables");
                continue;
            }
            out.add(d);
        }
        return out;
    }

    private static Dnsbl dnsbl(Section s) {
        String zone = s.string("zone", null);
        if (zone != null) {
            zone = zone.strip().toLowerCase(Locale.ROOT);
            if (zone.endsWith(".")) zone = zone.substring(0, zone.length() - 1);
            // A single label is almost always a typo, and would send client IPs to a TLD's servers.
            if (!ConfigBinder.HOSTNAME.matcher(zone).matches() || zone.indexOf('.') < 0) {
                s.invalid("zone", s.take("zone"), "is not a DNS zone; write the list's zone, such as \"zen.spamhaus.org\"");
                zone = null;
            }
        }
        DnsblStage stage = s.choice("stage", DnsblStage.RCPT, DnsblStage.class);
        String reply = s.string("reply", DEFAULT_REPLY);
        // The text goes on the wire after "554 5.7.1 ": one line of printable ASCII.
        if (reply.isBlank() || reply.length() > 400 || !reply.chars().allMatch(c -> c >= 32 && c < 127)) {
            s.invalid("reply", s.take("reply"), "is not valid; use one line of up to 400 printable ASCII characters ($ip and $zone are replaced)");
            reply = DEFAULT_REPLY;
        }
        List<String> codes = new ArrayList<>();
        for (String c : s.strings("codes", List.of())) {
            try {
                if (!(IpLiteral.parse(c.strip()) instanceof Inet4Address a) || !a.getHostAddress().startsWith("127.")) {
                    throw new IllegalArgumentException(c);
                }
                codes.add(a.getHostAddress());
            } catch (IllegalArgumentException e) {
                s.invalid("codes", s.take("codes"), "is not valid: \"" + c
                        + "\" is not an answer a block list gives; write IPv4 addresses in 127.0.0.0/8, such as [\"127.0.0.2\", \"127.0.0.4\"]");
                codes.clear();
                break;
            }
        }
        PetrelConfig.DnsblAction action = s.choice("action", PetrelConfig.DnsblAction.REJECT, PetrelConfig.DnsblAction.class);
        if (!s.has("zone")) s.problem(s.displayName() + " has no zone; add zone = \"zen.spamhaus.org\" (the block list's DNS zone)");
        s.rejectUnknown();
        return zone == null ? null : new Dnsbl(zone, stage, reply, codes, action);
    }
}

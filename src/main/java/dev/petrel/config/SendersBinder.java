package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads [senders] and [senders.allowed]: which envelope senders and From: addresses each
 * authenticated user may use. Patterns are lower-cased here, so the policy compares plain strings.
 */
final class SendersBinder {
    /** Same rule as the users file (auth.UserStore): a key that no user can have is a typo. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
    /** A dot-atom local part (RFC 5322 atext and dots); quoted local parts are not worth the confusion here. */
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final String PATTERN_HINT = "write \"alice@example.com\" for one address, \"@example.com\" for any "
            + "address in that domain, or \"*\" for any address";

    private SendersBinder() {}

    /** {@code localDomains} is not needed here: the addresses of users without an entry are worked out by the policy. */
    static PetrelConfig.Senders bind(Section s, List<String> localDomains) {
        PetrelConfig.Senders d = PetrelConfig.Policy.DEFAULTS.senders();
        boolean checkFrom = s.bool("check_from_header", d.checkFromHeader());
        boolean refuseLocal = s.bool("refuse_local_sender_from_outside", d.refuseLocalSenderFromOutside());
        Section table = s.table("allowed");
        s.rejectUnknown();
        Map<String, List<String>> allowed = table == null ? d.allowed() : allowed(table);
        return new PetrelConfig.Senders(allowed, checkFrom, refuseLocal);
    }

    /** Each key is a user name; its value one pattern or an array of them. Bad entries are reported and left out. */
    private static Map<String, List<String>> allowed(Section t) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String user : t.keys()) {
            JsonNode v = t.take(user);
            if (!USERNAME.matcher(user).matches()) {
                t.invalid(user, v, "is not valid: '" + user + "' cannot be a user name (1 to 64 of A-Z, a-z, 0-9, '.', '_', '@', '+', '-'); "
                        + "write the name exactly as in the users file, quoted when it has '.' or '@'");
                continue;
            }
            List<JsonNode> elements = new ArrayList<>();
            if (v.isArray()) v.forEach(elements::add); else elements.add(v);
            List<String> patterns = new ArrayList<>();
            for (JsonNode e : elements) {
                String why = e.isTextual() ? problem(e.textValue()) : "is not a quoted string";
                if (why != null) {
                    t.invalid(user, v, "is not valid: " + (e.isTextual() ? "\"" + e.textValue() + "\" " : e + " ") + why + "; " + PATTERN_HINT);
                    patterns = null;
                    break;
                }
                patterns.add(e.textValue().strip().toLowerCase(Locale.ROOT));
            }
            if (patterns == null) continue;
            if (patterns.isEmpty()) {
                t.invalid(user, v, "is empty, which would forbid this user every sender but <>; " + PATTERN_HINT
                        + ", or remove the line to allow the user's own addresses");
                continue;
            }
            out.put(user, List.copyOf(patterns));
        }
        return out;
    }

    /** Null when {@code p} is a valid pattern, else what is wrong with it. */
    private static String problem(String p) {
        p = p.strip();
        if (p.equals("*")) return null;
        int at = p.lastIndexOf('@');
        if (at < 0) return "has no '@'";
        String domain = p.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!ConfigBinder.HOSTNAME.matcher(domain).matches() || domain.length() > 253) return "does not end in a domain name";
        String local = p.substring(0, at);
        // '*' is legal in a local part, but here it is far likelier a wildcard we do not support.
        if (local.indexOf('*') >= 0) return "has a local part with '*'; wildcards other than a lone \"*\" are not supported";
        if (!local.isEmpty() && (!LOCAL_PART.matcher(local).matches() || local.length() > 64)) {
            return "has a local part that is not a plain address local part";
        }
        return null;
    }
}

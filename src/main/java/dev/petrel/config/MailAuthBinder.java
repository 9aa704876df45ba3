package dev.petrel.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.config.PetrelConfig.DkimKey;
import dev.petrel.config.PetrelConfig.DmarcAction;
import dev.petrel.config.PetrelConfig.MailAuth;
import dev.petrel.mailauth.dkim.DkimSignature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads [mail_auth] and the [[dkim]] tables. Same contract as the other binders: defaults from
 * {@link MailAuth#DEFAULTS}, every problem recorded on its line. A key file is only checked to be
 * readable here; whether it holds a usable key is checked when the server starts.
 */
final class MailAuthBinder {
    private MailAuthBinder() {}

    static MailAuth bind(Section s, JsonNode dkim, TomlLocator locator, Problems problems, Path baseDir) {
        MailAuth d = MailAuth.DEFAULTS;
        boolean verify = s.bool("verify", d.verify());
        String authservId = s.string("authserv_id", d.authservId());
        if (authservId != null && !ConfigBinder.HOSTNAME.matcher(authservId).matches()) {
            s.invalid("authserv_id", s.take("authserv_id"), "is not valid; use this server's host name, such as \"mx.example.com\"");
            authservId = null;
        }
        DmarcAction action = s.choice("dmarc_action", d.dmarcAction(), DmarcAction.class);
        String arcDomain = s.string("arc_domain", null);
        String arcSelector = s.string("arc_selector", null);
        List<DkimKey> keys = keys(dkim, locator, problems, baseDir);
        DkimKey arcKey = null;
        if (arcDomain != null || arcSelector != null) {
            String domain = arcDomain == null ? "" : arcDomain.strip().toLowerCase(Locale.ROOT);
            arcKey = keys.stream().filter(k -> k.domain().equals(domain) && k.selector().equals(arcSelector)).findFirst().orElse(null);
            if (arcKey == null) {
                s.problem(arcDomain != null ? "arc_domain" : "arc_selector", "[mail_auth] arc_domain and arc_selector must name "
                        + "one of the [[dkim]] keys (an RSA one), e.g. arc_domain = \"example.net\" and arc_selector = \"arc2026\" "
                        + "with a [[dkim]] table of that domain and selector");
            }
        }
        List<String> sealers = new ArrayList<>();
        for (String sealer : s.strings("trusted_arc_sealers", List.of())) {
            String domain = sealer.strip().toLowerCase(Locale.ROOT);
            // The rule ARC-Seal d= is read with, so a listed sealer can always match one.
            if (!DkimSignature.validDomain(domain) || !domain.contains(".")) {
                s.problem("trusted_arc_sealers", "\"" + sealer + "\" is not a domain; list the d= domains of ARC sealers you trust, "
                        + "such as [\"lists.example.org\"]");
                continue;
            }
            sealers.add(domain);
        }
        s.rejectUnknown();
        return new MailAuth(verify, authservId, action, keys, arcKey, sealers);
    }

    private static List<DkimKey> keys(JsonNode node, TomlLocator locator, Problems problems, Path baseDir) {
        if (node == null) return List.of();
        if (!node.isArray()) {
            problems.add(locator.line("dkim"), "dkim must be an array of tables; write each signing key as a [[dkim]] table (double brackets)");
            return List.of();
        }
        List<DkimKey> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "dkim[" + i + "]";
            String display = "[[dkim]] #" + (i + 1);
            if (!(node.get(i) instanceof ObjectNode element)) {
                problems.add(locator.line(path), display + " is not a table; write each signing key as a [[dkim]] table");
                continue;
            }
            Section s = new Section(element, path, display + ": ", display, locator, problems);
            DkimKey key = key(s, baseDir);
            if (key == null) continue;
            if (out.stream().anyMatch(k -> k.domain().equals(key.domain()) && k.selector().equals(key.selector()))) {
                problems.add(locator.line(path + ".selector"), display + ": selector \"" + key.selector() + "\" of " + key.domain()
                        + " is already configured; remove one of the two [[dkim]] tables");
                continue;
            }
            out.add(key);
        }
        return out;
    }

    private static DkimKey key(Section s, Path baseDir) {
        String domain = s.string("domain", null);
        if (domain != null) {
            domain = domain.strip().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
            if (!ConfigBinder.HOSTNAME.matcher(domain).matches() || domain.indexOf('.') < 0) {
                s.invalid("domain", s.take("domain"), "is not a domain; write the From: domain to sign for, such as \"example.com\"");
                domain = null;
            }
        }
        String selector = s.string("selector", null);
        // A selector is one or more DNS labels (RFC 6376 3.1).
        if (selector != null && (!ConfigBinder.HOSTNAME.matcher(selector).matches() || selector.endsWith("."))) {
            s.invalid("selector", s.take("selector"), "is not valid; use DNS labels such as \"s2026\" or \"mail.2026\"");
            selector = null;
        }
        Path file = s.path("private_key", null, baseDir);
        if (file != null && !Files.isReadable(file)) {
            s.problem("private_key", s.displayName() + ": private_key " + file + " cannot be read; create it with "
                    + "petrel dkim keygen --domain D --selector S, or fix the path");
            file = null;
        }
        if (!s.has("domain")) s.problem(s.displayName() + " has no domain; add domain = \"example.com\"");
        if (!s.has("selector")) s.problem(s.displayName() + " has no selector; add selector = \"s2026\"");
        if (!s.has("private_key")) s.problem(s.displayName() + " has no private_key; add private_key = \"dkim/example.com.s2026.pem\"");
        s.rejectUnknown();
        return domain == null || selector == null || file == null ? null : new DkimKey(domain, selector, file);
    }
}

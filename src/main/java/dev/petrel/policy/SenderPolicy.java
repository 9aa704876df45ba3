package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.message.MailAddress;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sender identity ([senders]): which envelope senders and From: header addresses an
 * authenticated user may use (Postfix's smtpd_sender_login_maps with
 * reject_sender_login_mismatch), and the refusal of outside mail that claims to come from one of
 * our own domains. Immutable and thread-safe.
 *
 * <p>A user with an {@code allowed} entry owns the addresses its patterns match; a user without one
 * owns its user name when that is an address, else {@code <user>@<each local domain>}. Local
 * parts and domains compare case-insensitively (a quoted local part is compared unquoted).
 * Refusals name only the address the client gave and its own user name, never what other users own.
 */
public final class SenderPolicy {
    private final Map<String, List<String>> allowed;
    private final Set<String> localDomains;
    private final boolean checkFromHeader;
    private final boolean refuseLocalSenderFromOutside;

    /** @param localDomains the domains this server receives mail for (including its host name) */
    public SenderPolicy(PetrelConfig.Senders senders, List<String> localDomains) {
        this.allowed = Map.copyOf(senders.allowed());
        this.localDomains = localDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.checkFromHeader = senders.checkFromHeader();
        this.refuseLocalSenderFromOutside = senders.refuseLocalSenderFromOutside();
    }

    /** True when authenticated sessions must also have their From: header checked at end of data. */
    public boolean checksFromHeader() {
        return checkFromHeader;
    }

    /**
     * MAIL FROM.
     *
     * @param authIdentity the authenticated user, or null
     * @param sender       the envelope sender, null for {@code <>}
     * @param mode         the mode of the listener the client connected to
     * @param trusted      whether the client is in relay.trusted_networks
     */
    public Verdict checkEnvelopeSender(String authIdentity, MailAddress sender, ListenerMode mode, boolean trusted) {
        if (sender == null) return Verdict.ACCEPT; // bounces and auto-replies, from anyone
        if (authIdentity != null) {
            if (owns(authIdentity, sender)) return Verdict.ACCEPT;
            return new Verdict.Reject(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user "
                    + authIdentity, "sender_login");
        }
        // Mail from outside that claims to be from us is forged or misrouted: our own users send
        // through submission with AUTH, our own hosts are in trusted_networks.
        if (refuseLocalSenderFromOutside && mode == ListenerMode.MX && !trusted && isLocal(sender)) {
            return new Verdict.Reject(553, "5.7.1", "<" + sender
                    + ">: Sender address rejected: use an authenticated submission port to send as this domain", "local_sender");
        }
        return Verdict.ACCEPT;
    }

    /** End of data in an authenticated session: every From: address must be the user's. Empty: nothing to check. */
    public Verdict checkFromHeader(String authIdentity, List<MailAddress> fromAddresses) {
        for (MailAddress a : fromAddresses) {
            if (!owns(authIdentity, a)) {
                return new Verdict.Reject(553, "5.7.1", "From: header <" + a + "> is not owned by user " + authIdentity,
                        "from_header");
            }
        }
        return Verdict.ACCEPT;
    }

    /** May {@code user} send as {@code address}? */
    public boolean owns(String user, MailAddress address) {
        String local = normalizeLocalPart(address.localPart());
        String domain = address.domainKey();
        List<String> patterns = allowed.get(user);
        if (patterns == null) {
            String name = user.toLowerCase(Locale.ROOT);
            if (name.indexOf('@') >= 0) return name.equals(local + "@" + domain);
            return name.equals(local) && localDomains.contains(domain);
        }
        for (String p : patterns) { // lower-cased by the config binder
            if (p.equals("*") || p.equals("@" + domain) || p.equals(local + "@" + domain)) return true;
        }
        return false;
    }

    private boolean isLocal(MailAddress a) {
        return !a.isAddressLiteral() && localDomains.contains(a.domainKey());
    }

    /** {@code "Alice"} → {@code alice}: a quoted local part names the same mailbox as the unquoted one. */
    private static String normalizeLocalPart(String localPart) {
        String s = localPart;
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() - 1) c = s.charAt(++i);
                sb.append(c);
            }
            s = sb.toString();
        }
        return s.toLowerCase(Locale.ROOT);
    }
}

package dev.petrel.policy;

import dev.petrel.message.IpNetwork;
import dev.petrel.message.MailAddress;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a recipient may be accepted: the rule that keeps Petrel from ever being an
 * open relay, and the local recipient table that keeps it from accepting mail for users that do
 * not exist. Immutable and thread-safe.
 */
public final class RelayPolicy {
    private final Set<String> localDomains;
    private final List<IpNetwork> trustedNetworks;
    private final LocalRecipients localRecipients;

    /** Accepts any local part in a local domain (no local recipient table). */
    public RelayPolicy(List<String> localDomains, List<IpNetwork> trustedNetworks) {
        this(localDomains, trustedNetworks, null);
    }

    /** @param localRecipients the local users and aliases; null accepts any local part */
    public RelayPolicy(List<String> localDomains, List<IpNetwork> trustedNetworks, LocalRecipients localRecipients) {
        this.localDomains = localDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.trustedNetworks = List.copyOf(trustedNetworks);
        this.localRecipients = localRecipients;
    }

    public boolean isLocal(MailAddress address) {
        return !address.isAddressLiteral() && localDomains.contains(address.domainKey());
    }

    public boolean isTrusted(InetAddress client) {
        return trustedNetworks.stream().anyMatch(n -> n.contains(client));
    }

    /** May a client relay to any domain: trusted network or authenticated. */
    public boolean mayRelay(InetAddress client, String authIdentity) {
        return authIdentity != null || isTrusted(client);
    }

    public Verdict checkRecipient(InetAddress client, String authIdentity, MailAddress recipient) {
        boolean local = isLocal(recipient);
        if (!mayRelay(client, authIdentity)) {
            if (!local) {
                return new Verdict.Reject(554, "5.7.1", "<" + recipient + ">: Relay access denied", "relay");
            }
            if (hasRoutingSyntax(recipient.localPart())) {
                return new Verdict.Reject(554, "5.7.1", "<" + recipient + ">: Sender-specified routing is not accepted",
                        "routing");
            }
        }
        // Checked for every client, trusted and authenticated too (as Postfix's local_recipient_maps):
        // accepting an unknown user would only turn into a bounce later.
        if (local && localRecipients != null && !localRecipients.accepts(recipient.localPart())) {
            return new Verdict.Reject(550, "5.1.1",
                    "<" + recipient + ">: Recipient address rejected: User unknown in local recipient table",
                    "local_recipient");
        }
        return Verdict.ACCEPT;
    }

    /** The percent hack, bang paths and a quoted '@' all ask the next host to route the mail on. */
    private static boolean hasRoutingSyntax(String localPart) {
        return localPart.indexOf('%') >= 0 || localPart.indexOf('!') >= 0 || localPart.indexOf('@') >= 0;
    }
}

package dev.petrel.delivery.smtp;

import dev.petrel.delivery.Target;
import dev.petrel.delivery.mtasts.StsPolicy;
import dev.petrel.delivery.mtasts.StsPolicy.Mode;
import dev.petrel.message.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an MTA-STS policy (RFC 8461 section 5) means for one MX delivery. Under {@code enforce}
 * only MX hosts the policy names are tried, each with verified TLS (STARTTLS offered, certificate
 * chains to the trust and names the MX host); under {@code testing} every host is tried as without
 * MTA-STS, and what enforce would have refused is logged.
 */
record StsEnforcement(String domain, StsPolicy policy) {
    private static final Logger log = LoggerFactory.getLogger(StsEnforcement.class);

    /**
     * The status when enforce leaves no usable MX host. No X.7.x code is registered for MTA-STS;
     * like Postfix for TLS policy failures we use 4.7.5 ("cryptographic failure": no
     * authenticated channel could be made), and 4.x because the policy, DNS or the MX hosts may be
     * fixed before the message expires (RFC 8461 section 5: treat as a temporary failure).
     */
    static final String DSN = "4.7.5";

    boolean enforcing() {
        return policy.mode() == Mode.ENFORCE;
    }

    /** The mode as a log field value: {@code enforce} or {@code testing}. */
    String mode() {
        return policy.mode().word();
    }

    boolean allows(Target target) {
        return policy.allows(target.hostname());
    }

    /** The targets to try: under enforce only those the policy allows; under testing all, logging the others. */
    List<Target> candidates(QueueId id, List<Target> targets) {
        Set<String> refused = new LinkedHashSet<>();
        for (Target t : targets) {
            if (!allows(t)) refused.add(t.hostname());
        }
        if (!refused.isEmpty()) {
            log.info("{}: mta-sts={}: {}: MX host(s) {} not in the policy's mx list {}{}", id, mode(), domain, refused,
                    policy.mxPatterns(), enforcing() ? "; skipped" : "; enforce would skip them");
        }
        return enforcing() ? targets.stream().filter(this::allows).toList() : targets;
    }

    /** The reason when enforce allowed none of {@code targets}. */
    String noneAllowed(List<Target> targets) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Target t : targets) hosts.add(t.hostname());
        return explain("no MX host of " + domain + " " + hosts + " matches the policy's mx list " + policy.mxPatterns());
    }

    /** {@code text} with the policy in front, for a failure enforce caused. */
    String explain(String text) {
        return "MTA-STS policy of " + domain + " (mode enforce) not met: " + text;
    }
}

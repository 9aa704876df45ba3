package dev.petrel.mailauth.dmarc;

import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.spf.SpfResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * Evaluates DMARC (RFC 7489) for a received message from the SPF and DKIM results already
 * computed for it. Call order: SPF and DKIM first, then {@link #evaluate}; the evaluator does at
 * most two TXT lookups and never throws for DNS trouble.
 *
 * <p>Steps: the From domain ({@link FromDomain}), policy discovery ({@link PolicyDiscovery}),
 * alignment (section 3.1) and, for a failing message, {@code pct} sampling (section 6.6.4). The
 * sampling draw comes from an injected {@link IntSupplier} so that tests are deterministic.
 * Thread-safe if the resolver and the sampler are.
 */
public final class DmarcEvaluator {
    private final PolicyDiscovery discovery;
    private final IntSupplier percentile;

    /** An evaluator sampling {@code pct} with {@link ThreadLocalRandom}. */
    public DmarcEvaluator(Resolver resolver) {
        this(resolver, () -> ThreadLocalRandom.current().nextInt(100));
    }

    /**
     * @param percentile returns a number from 0 to 99 for each failing message under a policy with
     *                   {@code pct} below 100; the policy is applied when it is below {@code pct}
     */
    public DmarcEvaluator(Resolver resolver, IntSupplier percentile) {
        this.discovery = new PolicyDiscovery(resolver);
        this.percentile = percentile;
    }

    /**
     * The DMARC result for {@code message}.
     *
     * @param spf       the SPF result for the RFC5321.MailFrom identity (or for HELO when MAIL FROM
     *                  was empty, as RFC 7489 section 3.1.2 says), or null when SPF was not checked
     * @param spfDomain the domain SPF checked ({@code spf.domain()} normally; a whole MAIL FROM
     *                  address is accepted too and its domain used), or null
     * @param dkim      the results of every DKIM-Signature, in any order (empty when there were none)
     */
    public DmarcResult evaluate(MailMessage message, SpfResult spf, String spfDomain, List<DkimResult> dkim) {
        String from;
        switch (FromDomain.of(message)) {
            case FromDomain.Found found -> from = found.domain();
            case FromDomain.Invalid invalid -> {
                return new DmarcResult.PermError(null, invalid.problem());
            }
        }
        return switch (discovery.discover(from)) {
            case PolicyDiscovery.NotFound notFound -> new DmarcResult.None(from, notFound.reason());
            case PolicyDiscovery.TempError error -> new DmarcResult.TempError(from, error.reason());
            case PolicyDiscovery.Found found -> apply(from, found, align(from, found.record(), spf, spfDomain, dkim));
        };
    }

    private DmarcResult apply(String from, PolicyDiscovery.Found found, Alignment alignment) {
        DmarcRecord record = found.record();
        DmarcPolicy requested = record.requestedPolicy(found.subdomain());
        if (alignment.any()) {
            return new DmarcResult.Pass(from, new DmarcResult.AppliedPolicy(found.policyDomain(), record,
                    found.subdomain(), requested, DmarcPolicy.NONE, false), alignment);
        }
        boolean sampledOut = requested != DmarcPolicy.NONE && !sampled(record.percent());
        DmarcPolicy disposition = sampledOut ? requested.oneStepMilder() : requested;
        return new DmarcResult.Fail(from, new DmarcResult.AppliedPolicy(found.policyDomain(), record,
                found.subdomain(), requested, disposition, sampledOut), alignment);
    }

    /** Whether a failing message falls in the {@code pct} share that gets the requested policy. */
    private boolean sampled(int percent) {
        if (percent >= 100) return true;
        if (percent <= 0) return false;
        return percentile.getAsInt() < percent;
    }

    private static Alignment align(String from, DmarcRecord record, SpfResult spf, String spfDomain, List<DkimResult> dkim) {
        String spfAligned = null;
        if (spf != null && spf.kind() == SpfResult.Kind.PASS) {
            String domain = spfDomain == null ? null : DomainNames.normalize(spfDomain.substring(spfDomain.lastIndexOf('@') + 1));
            if (domain != null && record.spfAlignment().aligned(domain, from)) spfAligned = domain;
        }
        List<String> dkimAligned = new ArrayList<>();
        for (DkimResult signature : dkim) {
            if (signature.kind() != DkimResult.Kind.PASS) continue;
            String domain = DomainNames.normalize(signature.domain());
            if (domain != null && record.dkimAlignment().aligned(domain, from) && !dkimAligned.contains(domain)) {
                dkimAligned.add(domain);
            }
        }
        return new Alignment(spfAligned, dkimAligned);
    }
}

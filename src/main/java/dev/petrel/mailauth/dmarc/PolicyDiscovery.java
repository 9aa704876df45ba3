package dev.petrel.mailauth.dmarc;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the DMARC record that governs a From domain (RFC 7489 section 6.6.3): first at
 * {@code _dmarc.<from domain>}, then, only if there is no DMARC record there at all, at
 * {@code _dmarc.<organizational domain>}. Two DNS queries at most.
 *
 * <p>At each name, TXT records that do not start with {@code v=DMARC1} are ignored. What ends the
 * search with no policy: several DMARC records at one name (step 5), or one record that has no
 * valid policy and no valid {@code rua} (step 6); we do not then look further up, because the
 * RFC says discovery "terminates". NXDOMAIN and NODATA mean "no record here". A temporary DNS
 * failure at either name is {@link TempError}: the result could change when DNS answers, so the
 * caller should not act on a policy it could not read.
 */
public final class PolicyDiscovery {
    /** What discovery found. */
    public sealed interface Discovered {}

    /**
     * The record governing the From domain.
     *
     * @param policyDomain the domain whose {@code _dmarc} name held the record
     * @param record       the record
     * @param subdomain    whether the From domain is below {@code policyDomain} (the record came
     *                     from the Organizational Domain), so that {@code sp} applies
     */
    public record Found(String policyDomain, DmarcRecord record, boolean subdomain) implements Discovered {}

    /** No policy applies; {@code reason} says why, for logs and diagnostics. */
    public record NotFound(String reason) implements Discovered {}

    /** A lookup failed temporarily. */
    public record TempError(String reason) implements Discovered {}

    private final Resolver resolver;

    public PolicyDiscovery(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The policy for {@code fromDomain}, a normalized domain name. */
    public Discovered discover(String fromDomain) {
        Discovered atFrom = lookup(fromDomain, false);
        if (atFrom != null) return atFrom;
        String organizational = OrganizationalDomain.of(fromDomain);
        if (organizational.equals(fromDomain)) return new NotFound("no DMARC record at _dmarc." + fromDomain);
        Discovered atOrganizational = lookup(organizational, true);
        if (atOrganizational != null) return atOrganizational;
        return new NotFound("no DMARC record at _dmarc." + fromDomain + " or _dmarc." + organizational);
    }

    /** The outcome at {@code _dmarc.<domain>}, or null when there is no DMARC record there (look further). */
    private Discovered lookup(String domain, boolean subdomain) {
        String name = "_dmarc." + domain;
        DnsResult<String> answer = resolver.txt(name);
        if (answer instanceof DnsResult.TempFail<String> fail) {
            return new TempError("DNS lookup of " + name + " failed temporarily: " + fail.reason());
        }
        List<String> texts = answer.recordsOrEmpty(); // NXDOMAIN and NODATA: no record here
        List<DmarcRecordParser.Parsed> dmarc = new ArrayList<>();
        for (String text : texts) {
            DmarcRecordParser.Parsed parsed = DmarcRecordParser.parse(text);
            if (!(parsed instanceof DmarcRecordParser.NotDmarc)) dmarc.add(parsed);
        }
        if (dmarc.isEmpty()) return null;
        if (dmarc.size() > 1) return new NotFound(dmarc.size() + " DMARC records at " + name);
        return switch (dmarc.get(0)) {
            case DmarcRecordParser.Valid valid -> new Found(domain, valid.record(), subdomain);
            case DmarcRecordParser.Unusable unusable -> new NotFound("DMARC record at " + name + ": " + unusable.problem());
            case DmarcRecordParser.NotDmarc notDmarc -> throw new AssertionError("filtered above");
        };
    }
}

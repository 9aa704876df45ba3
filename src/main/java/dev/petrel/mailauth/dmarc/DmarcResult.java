package dev.petrel.mailauth.dmarc;

/**
 * The outcome of DMARC for one message, as a closed set (result names from RFC 7489 section 11.2
 * and RFC 8601). {@link #fromDomain} is the normalized RFC5322.From domain, or null in a
 * {@link PermError} when there was no single one.
 */
public sealed interface DmarcResult {
    String fromDomain();

    /** The result keyword for Authentication-Results: {@code pass}, {@code fail}, {@code none}, ... */
    default String keyword() {
        return switch (this) {
            case Pass pass -> "pass";
            case Fail fail -> "fail";
            case None none -> "none";
            case TempError error -> "temperror";
            case PermError error -> "permerror";
        };
    }

    /** An aligned identifier passed. {@code policy.disposition()} is always {@code none}. */
    record Pass(String fromDomain, AppliedPolicy policy, Alignment alignment) implements DmarcResult {}

    /** A policy exists and no aligned identifier passed; {@code policy.disposition()} is what to do. */
    record Fail(String fromDomain, AppliedPolicy policy, Alignment alignment) implements DmarcResult {}

    /** No DMARC policy applies to the From domain; {@code reason} says why. */
    record None(String fromDomain, String reason) implements DmarcResult {}

    /** Policy discovery failed temporarily (DNS): try again later. */
    record TempError(String fromDomain, String reason) implements DmarcResult {}

    /**
     * The message has no single From domain (none, several From fields, several domains, an
     * unparsable From): see {@link FromDomain}. Receivers commonly reject such mail.
     */
    record PermError(String fromDomain, String reason) implements DmarcResult {}

    /**
     * The policy that governed the message and what became of it.
     *
     * @param policyDomain the domain whose {@code _dmarc} record applied (the From domain or its Organizational Domain)
     * @param record       that record
     * @param subdomain    whether the From domain is a subdomain of {@code policyDomain}, so that {@code sp} was consulted
     * @param requested    the policy the domain owner asked for: {@code sp} when {@code subdomain} and present, else {@code p}
     * @param disposition  what the receiver should apply: {@code none} on pass; on fail the requested
     *                     policy, or one step milder when {@code pct} sampling left the message out
     * @param sampledOut   whether a failing message escaped the requested policy because of {@code pct}
     */
    record AppliedPolicy(String policyDomain, DmarcRecord record, boolean subdomain, DmarcPolicy requested,
                         DmarcPolicy disposition, boolean sampledOut) {}
}

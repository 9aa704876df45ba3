package dev.petrel.mailauth.spf;

/**
 * The eight mechanisms of RFC 7208 section 5, as parsed. A null {@code target} means "the current
 * {@code <domain>}" (the domain-spec is optional for {@code a}, {@code mx} and {@code ptr}).
 * Prefix lengths default to 32 and 128 (a single address).
 */
public sealed interface Mechanism {

    /** Whether evaluating it queries DNS, and so counts against the limit of 10 (section 4.6.4). */
    default boolean queriesDns() {
        return switch (this) {
            case All a -> false;
            case Ip4 ip -> false;
            case Ip6 ip -> false;
            case Include i -> true;
            case A a -> true;
            case Mx mx -> true;
            case Ptr p -> true;
            case Exists e -> true;
        };
    }

    /** Section 5.1: always matches. */
    record All() implements Mechanism {}

    /** Section 5.2: matches when check_host() for the target passes. */
    record Include(MacroString target) implements Mechanism {}

    /** Section 5.3: the target's A (IPv4 client) or AAAA (IPv6 client) addresses. */
    record A(MacroString target, int ip4Prefix, int ip6Prefix) implements Mechanism {}

    /** Section 5.4: the addresses of the target's MX hosts. */
    record Mx(MacroString target, int ip4Prefix, int ip6Prefix) implements Mechanism {}

    /** Section 5.5: a validated reverse name of the client at or below the target. */
    record Ptr(MacroString target) implements Mechanism {}

    /** Section 5.6: the client is in an IPv4 network. */
    record Ip4(CidrNetwork network) implements Mechanism {}

    /** Section 5.6: the client is in an IPv6 network. */
    record Ip6(CidrNetwork network) implements Mechanism {}

    /** Section 5.7: the target has an A record (whatever the client's address family). */
    record Exists(MacroString target) implements Mechanism {}
}

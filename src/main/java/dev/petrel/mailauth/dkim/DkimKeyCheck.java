package dev.petrel.mailauth.dkim;

import dev.petrel.dns.DnsResult;
import dev.petrel.mailauth.dkim.DkimResult.Kind;

import java.security.PublicKey;

/**
 * Turns the answer to a key lookup into a usable public key or the reason there is none (RFC 6376
 * section 6.1.2, RFC 8301 section 3.2): the checks DKIM signatures and ARC's signatures share.
 * See {@link DkimVerifier} for the results each problem gives.
 */
public final class DkimKeyCheck {
    private DkimKeyCheck() {}

    /** What the lookup gave. */
    public sealed interface Outcome permits Usable, Unusable {}

    /** A key that may verify the signature; {@code record.testing()} tells whether the domain is testing. */
    public record Usable(PublicKey key, DkimKeyRecord record) implements Outcome {}

    /** No key to verify with: the result to report and why. */
    public record Unusable(Kind kind, String reason) implements Outcome {}

    /**
     * Checks the answer for {@code keyName} against what the signature needs.
     *
     * @param identityDomain the domain of the signature's {@code i=} (for {@code t=s}); pass {@code domain} when there is none
     */
    public static Outcome check(DnsResult<String> lookup, String keyName, DkimAlgorithm algorithm, String domain,
                                String identityDomain) {
        DkimKeyRecord record = null;
        switch (lookup) {
            case DnsResult.TempFail<String> t -> {
                return new Unusable(Kind.TEMPERROR, "key lookup failed: " + t.reason());
            }
            case DnsResult.NxDomain<String> n -> {
                return new Unusable(Kind.PERMERROR, "no key record at " + keyName + " (NXDOMAIN)");
            }
            case DnsResult.NoData<String> n -> {
                return new Unusable(Kind.PERMERROR, "no key record at " + keyName + " (no TXT record)");
            }
            case DnsResult.Found<String> found -> {
                String problem = null;
                for (String text : found.records()) {
                    try {
                        record = DkimKeyRecord.parse(text);
                        break;
                    } catch (DkimKeyRecord.InvalidException e) {
                        if (problem == null) problem = e.getMessage();
                    }
                }
                if (record == null) return new Unusable(Kind.PERMERROR, "bad key record: " + problem);
            }
        }
        String testing = record.testing() ? " (key in testing mode, t=y)" : "";
        if (record.revoked()) return new Unusable(Kind.PERMERROR, "key revoked (empty p=)" + testing);
        if (!record.keyType().equals(algorithm.keyType())) {
            return new Unusable(Kind.PERMERROR, "key type k=" + record.keyType() + " does not fit a=" + algorithm.tagValue() + testing);
        }
        if (!record.allowsHash(algorithm.hash())) {
            return new Unusable(Kind.PERMERROR, "key h= does not allow " + algorithm.hash() + testing);
        }
        if (!record.allowsEmail()) return new Unusable(Kind.PERMERROR, "key s= does not allow email" + testing);
        if (record.strict() && !identityDomain.equals(domain)) {
            return new Unusable(Kind.PERMERROR, "key t=s forbids i= in a subdomain of d=" + testing);
        }
        PublicKey key;
        try {
            key = record.publicKey();
        } catch (DkimKeyRecord.InvalidException e) {
            return new Unusable(Kind.PERMERROR, "bad key record: " + e.getMessage() + testing);
        }
        int bits = DkimKeyRecord.rsaBits(key);
        if (algorithm.keyType().equals("rsa") && bits < 1024) {
            return new Unusable(Kind.POLICY, "RSA key of " + bits + " bits is too short (RFC 8301 needs 1024 or more)" + testing);
        }
        return new Usable(key, record);
    }
}

package dev.petrel.mailauth.arc;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimKeyCheck;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dkim.DkimSignature;
import dev.petrel.mailauth.dkim.DkimVerifier;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates a message's ARC chain (RFC 8617 section 5.2), in the RFC's order:
 * <ol>
 * <li>no ARC field: {@code none};</li>
 * <li>the sets must be complete and numbered 1..N without gaps or duplicates (N at most 50);</li>
 * <li>the newest ARC-Seal must not say {@code cv=fail}; the first must say {@code cv=none}, every
 *     later one {@code cv=pass};</li>
 * <li>the newest ARC-Message-Signature must verify exactly as a DKIM signature would (any result
 *     but DKIM pass, including a temporary DNS failure, fails the chain, since ARC has no
 *     temperror);</li>
 * <li>older ARC-Message-Signatures are checked newest first to find the oldest-pass instance (they
 *     may fail without failing the chain: intermediaries change messages, that is why ARC exists);</li>
 * <li>every ARC-Seal, newest first, must verify over the sets up to its own.</li>
 * </ol>
 * Keys are checked as for DKIM ({@link DkimKeyCheck}): RSA under 1024 bits, revoked keys and so on
 * fail the chain. Thread-safe; each key name is looked up once per message.
 */
public final class ArcVerifier {
    private final Resolver resolver;
    private final DkimVerifier dkim;

    public ArcVerifier(Resolver resolver, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.dkim = new DkimVerifier(resolver, clock);
    }

    public ArcResult verify(MailMessage message) {
        List<ArcSet> sets;
        switch (ArcSets.of(message)) {
            case ArcSets.Broken broken -> {
                return ArcResult.fail(broken.highestInstance(), broken.reason());
            }
            case ArcSets.Sets found -> sets = found.sets();
        }
        if (sets.isEmpty()) return ArcResult.none();
        int n = sets.size();

        ArcSeal[] seals = new ArcSeal[n];
        for (ArcSet set : sets) {
            try {
                seals[set.instance() - 1] = ArcSeal.parse(set.seal());
            } catch (ArcSeal.InvalidException e) {
                return ArcResult.fail(n, "i=" + set.instance() + ": " + e.getMessage());
            }
        }
        if (seals[n - 1].chainValidation().equals("fail")) {
            return ArcResult.fail(n, "ARC-Seal i=" + n + " says the chain had already failed (cv=fail)");
        }
        for (ArcSeal seal : seals) {
            String expected = seal.instance() == 1 ? "none" : "pass";
            if (!seal.chainValidation().equals(expected)) {
                return ArcResult.fail(n, "ARC-Seal i=" + seal.instance() + " has cv=" + seal.chainValidation() + ", expected " + expected);
            }
        }

        String newest = messageSignatureProblem(message, sets.get(n - 1));
        if (newest != null) return ArcResult.fail(n, "ARC-Message-Signature i=" + n + ": " + newest);
        int oldestPass = 0;
        for (int i = n - 1; i >= 1; i--) {
            if (messageSignatureProblem(message, sets.get(i - 1)) != null) {
                oldestPass = i + 1;
                break;
            }
        }

        Map<String, DnsResult<String>> keys = new HashMap<>();
        for (int i = n; i >= 1; i--) {
            String problem = sealProblem(seals[i - 1], sets.subList(0, i), keys);
            if (problem != null) return ArcResult.fail(n, "ARC-Seal i=" + i + ": " + problem);
        }
        return ArcResult.pass(n, oldestPass);
    }

    /** Null when the set's ARC-Message-Signature verifies, else why not. */
    private String messageSignatureProblem(MailMessage message, ArcSet set) {
        DkimSignature signature;
        try {
            signature = DkimSignature.parseArcMessageSignature(set.messageSignature());
        } catch (DkimSignature.InvalidException e) {
            return e.getMessage();
        }
        DkimResult result = dkim.verifySignature(message, signature);
        return result.kind() == DkimResult.Kind.PASS ? null : result.kind().keyword() + " (" + result.reason() + ")";
    }

    /** Null when {@code seal} verifies over {@code sets} (1 up to its own instance), else why not. */
    private String sealProblem(ArcSeal seal, List<ArcSet> sets, Map<String, DnsResult<String>> keys) {
        DnsResult<String> lookup = keys.computeIfAbsent(seal.keyName(), resolver::txt);
        switch (DkimKeyCheck.check(lookup, seal.keyName(), seal.algorithm(), seal.domain(), seal.domain())) {
            case DkimKeyCheck.Unusable u -> {
                return u.kind().keyword() + " (" + u.reason() + ")";
            }
            case DkimKeyCheck.Usable u -> {
                try {
                    return seal.algorithm().verify(u.key(), ArcSets.sealData(sets), seal.signature()) ? null : "signature did not verify";
                } catch (GeneralSecurityException e) {
                    return "signature did not verify";
                }
            }
        }
    }
}

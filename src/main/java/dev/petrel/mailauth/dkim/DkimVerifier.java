package dev.petrel.mailauth.dkim;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimResult.Kind;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies the DKIM-Signature fields of a message (RFC 6376 section 6, RFC 8463, RFC 8301): one
 * {@link DkimResult} per field, top to bottom, or a single {@link DkimResult#none()} when there is
 * none. Key records are fetched through the {@link Resolver}; each key name is asked once per message.
 *
 * <h2>Results (RFC 8601 section 2.7.1)</h2>
 * <table>
 * <caption>What each problem yields</caption>
 * <tr><th>kind</th><th>when</th></tr>
 * <tr><td>{@code none}</td><td>the message has no DKIM-Signature field</td></tr>
 * <tr><td>{@code pass}</td><td>body hash and signature verify with an acceptable key, the whole body is signed, not expired</td></tr>
 * <tr><td>{@code fail}</td><td>"body hash did not verify" (the body changed) or "signature did not verify" (a signed
 *     header field changed, or the key does not match)</td></tr>
 * <tr><td>{@code neutral}</td><td>the field cannot be used: tag-list syntax, a required tag missing, {@code v=} not 1,
 *     unknown {@code a=}, {@code c=} or {@code q=}, bad base64, {@code h=} without From, {@code i=} outside
 *     {@code d=}, {@code x=} not after {@code t=} ("contained syntax errors", as RFC 8601 puts it); and fields beyond
 *     the first {@link #DEFAULT_MAX_SIGNATURES} (or the configured cap), which are not checked at all</td></tr>
 * <tr><td>{@code policy}</td><td>a signature Petrel refuses by rule even if it verifies: {@code rsa-sha1} and RSA keys
 *     under 1024 bits (RFC 8301 says never valid), an expired {@code x=}, and {@code l=} shorter than the body
 *     (the signature may be cryptographically good, but it does not vouch for the unsigned rest, which anyone
 *     could have appended: reason "l= covers only N of M body octets")</td></tr>
 * <tr><td>{@code temperror}</td><td>the key lookup failed temporarily (SERVFAIL, timeout)</td></tr>
 * <tr><td>{@code permerror}</td><td>no usable key: NXDOMAIN or no TXT record, a record that does not parse or has
 *     {@code v=} other than DKIM1, a revoked key (empty {@code p=}: the signer withdrew it, so nothing can be
 *     verified), a key type ({@code k=}) other than {@code a=} needs, a hash not in the key's {@code h=}, a service
 *     type ({@code s=}) without email, {@code t=s} with {@code i=} in a subdomain of {@code d=}; and {@code l=}
 *     longer than the body</td></tr>
 * </table>
 * A key in testing mode ({@code t=y}) changes no result; its failures say so in the reason, since RFC 6376 asks
 * receivers to treat such mail like unsigned mail.
 *
 * <p>When a key lookup returns several TXT records, the first one that parses as a key record is used.
 * Thread-safe; blocks on DNS for at most the resolver's timeout per distinct key.
 */
public final class DkimVerifier {
    /** How many signatures are checked per message; the rest get a neutral "not checked" result. */
    public static final int DEFAULT_MAX_SIGNATURES = 10;

    private final Resolver resolver;
    private final Clock clock;
    private final int maxSignatures;

    public DkimVerifier(Resolver resolver, Clock clock) {
        this(resolver, clock, DEFAULT_MAX_SIGNATURES);
    }

    public DkimVerifier(Resolver resolver, Clock clock, int maxSignatures) {
        if (maxSignatures < 1) throw new IllegalArgumentException("maxSignatures must be at least 1");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSignatures = maxSignatures;
    }

    /** One result per DKIM-Signature field, top to bottom; {@code [none]} when there is none. */
    public List<DkimResult> verify(MailMessage message) {
        List<HeaderField> fields = message.headers(DkimSignature.FIELD_NAME);
        if (fields.isEmpty()) return List.of(DkimResult.none());
        Context context = new Context(message);
        List<DkimResult> results = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            HeaderField field = fields.get(i);
            results.add(i < maxSignatures ? verify(context, field)
                    : unparsed(Kind.NEUTRAL, tagsOf(field), "not checked: only the first " + maxSignatures + " signatures are verified"));
        }
        return List.copyOf(results);
    }

    /** Per-message state: canonicalized bodies and key lookups, each computed once. */
    private final class Context {
        final MailMessage message;
        final Map<Canonicalization, byte[]> bodies = new EnumMap<>(Canonicalization.class);
        final Map<String, DnsResult<String>> keys = new HashMap<>();

        Context(MailMessage message) {
            this.message = message;
        }

        byte[] body(Canonicalization c) {
            return bodies.computeIfAbsent(c, k -> k.body(message.bytes(), message.bodyOffset(), message.bodyLength()));
        }

        DnsResult<String> key(String name) {
            return keys.computeIfAbsent(name, resolver::txt);
        }
    }

    private DkimResult verify(Context context, HeaderField field) {
        DkimSignature sig;
        try {
            sig = DkimSignature.parse(field);
        } catch (DkimSignature.InvalidException e) {
            return unparsed(Kind.NEUTRAL, e.tags(), e.getMessage());
        }
        return check(context, sig);
    }

    /**
     * Verifies one parsed signature of {@code message}: the DKIM checks from the algorithm on, for a
     * signature parsed elsewhere (ARC's ARC-Message-Signature is one).
     */
    public DkimResult verifySignature(MailMessage message, DkimSignature signature) {
        return check(new Context(message), signature);
    }

    private DkimResult check(Context context, DkimSignature sig) {
        HeaderField field = sig.field();
        String prefix = DkimSignature.signaturePrefix(tagsOf(field));
        if (sig.algorithm() == DkimAlgorithm.RSA_SHA1) {
            return result(Kind.POLICY, sig, prefix, "rsa-sha1 is not accepted (RFC 8301)");
        }
        long now = clock.instant().getEpochSecond();
        if (sig.expiry() >= 0 && now > sig.expiry()) {
            return result(Kind.POLICY, sig, prefix, "signature expired (x=" + sig.expiry() + ")");
        }
        byte[] body = context.body(sig.bodyCanonicalization());
        if (sig.bodyLength() > body.length) {
            return result(Kind.PERMERROR, sig, prefix, "l=" + sig.bodyLength() + " is longer than the body (" + body.length + " octets)");
        }

        PublicKey key;
        String testing;
        switch (DkimKeyCheck.check(context.key(sig.keyName()), sig.keyName(), sig.algorithm(), sig.domain(), sig.identityDomain())) {
            case DkimKeyCheck.Unusable u -> {
                return result(u.kind(), sig, prefix, u.reason());
            }
            case DkimKeyCheck.Usable u -> {
                key = u.key();
                testing = u.record().testing() ? " (key in testing mode, t=y)" : "";
            }
        }

        byte[] signedBody = sig.bodyLength() >= 0 ? Arrays.copyOf(body, (int) sig.bodyLength()) : body;
        if (!MessageDigest.isEqual(sig.algorithm().digest(signedBody), sig.bodyHash())) {
            return result(Kind.FAIL, sig, prefix, "body hash did not verify" + testing);
        }
        byte[] data = SignedData.of(context.message.headers(), sig.signedHeaders(), field, sig.headerCanonicalization(), field.raw());
        boolean valid;
        try {
            valid = sig.algorithm().verify(key, data, sig.signature());
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) return result(Kind.FAIL, sig, prefix, "signature did not verify" + testing);
        if (sig.bodyLength() >= 0 && sig.bodyLength() < body.length) {
            return result(Kind.POLICY, sig, prefix, "l= covers only " + sig.bodyLength() + " of " + body.length + " body octets" + testing);
        }
        return result(Kind.PASS, sig, prefix, null);
    }

    private static DkimResult result(Kind kind, DkimSignature sig, String prefix, String reason) {
        return new DkimResult(kind, sig.domain(), sig.selector(), sig.identity(), sig.algorithm().tagValue(), prefix, reason);
    }

    /** A result for a field that could not be parsed: whatever tags could be read fill it in. */
    private static DkimResult unparsed(Kind kind, TagList tags, String reason) {
        if (tags == null) return new DkimResult(kind, null, null, null, null, null, reason);
        String domain = tags.get("d") == null ? null : tags.get("d").strip();
        String identity = tags.get("i") != null ? tags.get("i").strip() : domain == null ? null : "@" + domain;
        return new DkimResult(kind, domain, tags.get("s") == null ? null : tags.get("s").strip(), identity,
                tags.get("a"), DkimSignature.signaturePrefix(tags), reason);
    }

    private static TagList tagsOf(HeaderField field) {
        String text = new String(field.raw(), StandardCharsets.ISO_8859_1);
        try {
            return TagList.parse(text.substring(text.indexOf(':') + 1));
        } catch (TagList.SyntaxException e) {
            return null;
        }
    }
}

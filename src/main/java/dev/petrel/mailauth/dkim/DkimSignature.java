package dev.petrel.mailauth.dkim;

import dev.petrel.mailauth.MailMessage.HeaderField;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A parsed DKIM-Signature field (RFC 6376 section 3.5), checked for everything that can be checked
 * without DNS: required tags, version, known algorithm and canonicalization, {@code h=} including
 * From, {@code i=} inside {@code d=}, numbers that are numbers, {@code x=} after {@code t=}.
 *
 * @param field            the field as it appears in the message
 * @param algorithm        {@code a=}
 * @param signature        {@code b=}, decoded
 * @param bodyHash         {@code bh=}, decoded
 * @param headerCanonicalization {@code c=} before the slash (simple when absent)
 * @param bodyCanonicalization   {@code c=} after the slash (simple when absent)
 * @param domain           {@code d=}, lower case
 * @param selector         {@code s=}, lower case
 * @param signedHeaders    {@code h=}, in order, as written
 * @param identity         {@code i=}, or {@code @d} when absent
 * @param bodyLength       {@code l=}, or -1 when the whole body is signed
 * @param timestamp        {@code t=} in seconds since the epoch, or -1
 * @param expiry           {@code x=} in seconds since the epoch, or -1
 */
public record DkimSignature(HeaderField field, DkimAlgorithm algorithm, byte[] signature, byte[] bodyHash,
                            Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization,
                            String domain, String selector, List<String> signedHeaders, String identity,
                            long bodyLength, long timestamp, long expiry) {
    public static final String FIELD_NAME = "DKIM-Signature";

    /** Why a field is not a usable signature; carries what could be read of it, for the result. */
    public static final class InvalidException extends Exception {
        private final TagList tags;

        InvalidException(String message, TagList tags) {
            super(message);
            this.tags = tags;
        }

        /** The tags, when the tag list itself could be parsed; else null. */
        public TagList tags() {
            return tags;
        }
    }

    public DkimSignature {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /** Parses and checks {@code field}, a DKIM-Signature header field. */
    public static DkimSignature parse(HeaderField field) throws InvalidException {
        return parse(field, false);
    }

    /**
     * Parses and checks an ARC-Message-Signature (RFC 8617 section 4.1.2): DKIM-Signature syntax,
     * except that there is no {@code v=} (ignored if present) and {@code i=} is the ARC instance
     * number rather than an identity (the identity is then {@code @d}), and {@code h=} must not
     * list ARC-Seal.
     */
    public static DkimSignature parseArcMessageSignature(HeaderField field) throws InvalidException {
        return parse(field, true);
    }

    private static DkimSignature parse(HeaderField field, boolean arc) throws InvalidException {
        String value = new String(field.raw(), java.nio.charset.StandardCharsets.ISO_8859_1);
        value = value.substring(value.indexOf(':') + 1);
        TagList tags;
        try {
            tags = TagList.parse(value);
        } catch (TagList.SyntaxException e) {
            throw new InvalidException("signature syntax: " + e.getMessage(), null);
        }
        for (String required : arc ? List.of("i", "a", "b", "bh", "d", "h", "s") : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.has(required)) throw new InvalidException("signature has no " + required + "=", tags);
        }
        if (!arc && !tags.get("v").equals("1")) throw new InvalidException("signature v=" + tags.get("v") + " is not 1", tags);

        DkimAlgorithm algorithm = DkimAlgorithm.fromTagValue(tags.get("a"));
        if (algorithm == null) throw new InvalidException("unknown algorithm a=" + tags.get("a"), tags);

        byte[] b = base64(tags, "b");
        byte[] bh = base64(tags, "bh");
        if (b.length == 0) throw new InvalidException("signature b= is empty", tags);

        Canonicalization headerCanon = Canonicalization.SIMPLE;
        Canonicalization bodyCanon = Canonicalization.SIMPLE;
        String c = tags.get("c");
        if (c != null) {
            String[] parts = c.split("/", -1);
            if (parts.length > 2) throw new InvalidException("invalid c=" + c, tags);
            headerCanon = Canonicalization.fromTagValue(parts[0].strip());
            bodyCanon = parts.length == 2 ? Canonicalization.fromTagValue(parts[1].strip()) : Canonicalization.SIMPLE;
            if (headerCanon == null || bodyCanon == null) throw new InvalidException("unknown canonicalization c=" + c, tags);
        }

        String domain = tags.get("d").strip().toLowerCase(Locale.ROOT);
        if (!validDomain(domain)) throw new InvalidException("invalid domain d=" + tags.get("d"), tags);
        String selector = tags.get("s").strip().toLowerCase(Locale.ROOT);
        if (!validDomain(selector)) throw new InvalidException("invalid selector s=" + tags.get("s"), tags);

        List<String> signedHeaders = Arrays.stream(TagList.withoutWhiteSpace(tags.get("h")).split(":", -1)).toList();
        if (signedHeaders.stream().anyMatch(String::isEmpty)) throw new InvalidException("invalid h=" + tags.get("h"), tags);
        if (signedHeaders.stream().noneMatch(h -> h.equalsIgnoreCase("From"))) {
            throw new InvalidException("h= does not include From", tags);
        }

        if (arc && signedHeaders.stream().anyMatch(h -> h.equalsIgnoreCase("ARC-Seal"))) {
            throw new InvalidException("h= of an ARC-Message-Signature must not include ARC-Seal", tags);
        }
        String identity = tags.has("i") && !arc ? tags.get("i").strip() : "@" + domain;
        int at = identity.lastIndexOf('@');
        if (at < 0) throw new InvalidException("i=" + identity + " has no @", tags);
        String identityDomain = identity.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!identityDomain.equals(domain) && !identityDomain.endsWith("." + domain)) {
            throw new InvalidException("i=" + identity + " is not in d=" + domain, tags);
        }

        String q = tags.get("q");
        if (q != null && Arrays.stream(TagList.withoutWhiteSpace(q).split(":")).noneMatch(m -> m.equals("dns/txt"))) {
            throw new InvalidException("unknown query method q=" + q, tags);
        }

        long bodyLength = number(tags, "l");
        long timestamp = number(tags, "t");
        long expiry = number(tags, "x");
        if (timestamp >= 0 && expiry >= 0 && expiry <= timestamp) {
            throw new InvalidException("x= is not after t=", tags);
        }
        return new DkimSignature(field, algorithm, b, bh, headerCanon, bodyCanon, domain, selector, signedHeaders,
                identity, bodyLength, timestamp, expiry);
    }

    /** The first 8 characters of {@code b=} without white space, for {@code header.b} (RFC 6008); null when absent. */
    public static String signaturePrefix(TagList tags) {
        if (tags == null || tags.get("b") == null) return null;
        String b = TagList.withoutWhiteSpace(tags.get("b"));
        return b.substring(0, Math.min(8, b.length()));
    }

    /** The domain of {@code i=} (after the @), lower case. */
    public String identityDomain() {
        return identity.substring(identity.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** Where the key record lives: {@code selector._domainkey.domain}. */
    public String keyName() {
        return selector + "._domainkey." + domain;
    }

    private static byte[] base64(TagList tags, String name) throws InvalidException {
        try {
            return Base64.getDecoder().decode(TagList.withoutWhiteSpace(tags.get(name)));
        } catch (IllegalArgumentException e) {
            throw new InvalidException(name + "= is not base64", tags);
        }
    }

    /** A non-negative decimal tag value (at most 18 digits), or -1 when the tag is absent. */
    private static long number(TagList tags, String name) throws InvalidException {
        String value = tags.get(name);
        if (value == null) return -1;
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new InvalidException("invalid " + name + "=" + value, tags);
        }
        return Long.parseLong(value);
    }

    /** Letters, digits, hyphens and underscores in dot-separated non-empty labels: safe to ask DNS. */
    public static boolean validDomain(String name) {
        if (name.isEmpty() || name.length() > 253) return false;
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) return false;
            for (int i = 0; i < label.length(); i++) {
                char ch = label.charAt(i);
                if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_')) return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "DkimSignature[d=" + domain + ", s=" + selector + ", a=" + algorithm.tagValue() + ", h=" + signedHeaders + "]";
    }
}

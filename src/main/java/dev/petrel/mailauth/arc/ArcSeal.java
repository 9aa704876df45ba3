package dev.petrel.mailauth.arc;

import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimAlgorithm;
import dev.petrel.mailauth.dkim.DkimSignature;
import dev.petrel.mailauth.dkim.TagList;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A parsed ARC-Seal (RFC 8617 section 4.1.3): {@code i=}, {@code a=}, {@code b=}, {@code cv=},
 * {@code d=}, {@code s=} required, {@code h=} forbidden.
 */
record ArcSeal(int instance, DkimAlgorithm algorithm, byte[] signature, String chainValidation, String domain, String selector) {
    /** Why a seal cannot be used. */
    static final class InvalidException extends Exception {
        InvalidException(String message) {
            super(message);
        }
    }

    static ArcSeal parse(HeaderField field) throws InvalidException {
        String value = new String(field.raw(), StandardCharsets.ISO_8859_1);
        TagList tags;
        try {
            tags = TagList.parse(value.substring(value.indexOf(':') + 1));
        } catch (TagList.SyntaxException e) {
            throw new InvalidException("ARC-Seal syntax: " + e.getMessage());
        }
        for (String required : List.of("i", "a", "b", "cv", "d", "s")) {
            if (!tags.has(required)) throw new InvalidException("ARC-Seal has no " + required + "=");
        }
        if (tags.has("h")) throw new InvalidException("ARC-Seal must not have h=");
        DkimAlgorithm algorithm = DkimAlgorithm.fromTagValue(tags.get("a"));
        if (algorithm == null || algorithm == DkimAlgorithm.RSA_SHA1) {
            throw new InvalidException("ARC-Seal algorithm a=" + tags.get("a") + " is not accepted");
        }
        String cv = tags.get("cv").toLowerCase(Locale.ROOT);
        if (!List.of("none", "pass", "fail").contains(cv)) throw new InvalidException("ARC-Seal cv=" + tags.get("cv") + " is not none, pass or fail");
        byte[] b;
        try {
            b = Base64.getDecoder().decode(TagList.withoutWhiteSpace(tags.get("b")));
        } catch (IllegalArgumentException e) {
            throw new InvalidException("ARC-Seal b= is not base64");
        }
        String domain = tags.get("d").strip().toLowerCase(Locale.ROOT);
        String selector = tags.get("s").strip().toLowerCase(Locale.ROOT);
        if (!DkimSignature.validDomain(domain) || !DkimSignature.validDomain(selector)) {
            throw new InvalidException("ARC-Seal d= or s= is not a valid name");
        }
        return new ArcSeal(ArcSets.instanceOf(field), algorithm, b, cv, domain, selector);
    }

    String keyName() {
        return selector + "._domainkey." + domain;
    }
}

package dev.petrel.mailauth.dkim;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Signs messages with DKIM (RFC 6376, RFC 8463): one DKIM-Signature field per key, so an RSA key
 * and an Ed25519 key for the same domain give two signatures (RFC 8463 section 6 recommends
 * signing with both while receivers catch up). Relaxed/relaxed canonicalization by default, which
 * survives the white space and folding changes that relays make.
 *
 * <p>{@link #sign} returns the fields to place above the message's first field (with
 * {@link MailMessage#prepend}); it does not change the message. Each field is folded into lines of
 * at most 78 characters, breaking between tags, between the names of {@code h=} and inside the
 * base64 of {@code b=}.
 *
 * <p>Which fields are signed: each field of {@link #DEFAULT_HEADERS} as often as it occurs, and the
 * fields of {@link #DEFAULT_OVERSIGNED} once more than they occur (also once when absent), so that a
 * second From, Subject or List-Unsubscribe added on the way breaks the signature instead of being
 * shown to the reader (RFC 6376 section 8.15). From must be present: a signature that does not cover
 * it is worthless (section 5.4).
 *
 * <p>Immutable and thread-safe once built; {@code t=} comes from the injected {@link Clock}.
 */
public final class DkimSigner {
    /** Fields signed when present: identity, threading, MIME structure and mailing list fields. */
    public static final List<String> DEFAULT_HEADERS = List.of(
            "From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
            "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-Language",
            "List-Id", "List-Help", "List-Owner", "List-Post", "List-Subscribe", "List-Unsubscribe",
            "List-Unsubscribe-Post", "List-Archive", "Autocrypt");

    /** Fields signed once more than they occur, so that adding one breaks the signature. */
    public static final Set<String> DEFAULT_OVERSIGNED = Set.of(
            "From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "List-Unsubscribe",
            "List-Unsubscribe-Post", "Content-Type", "MIME-Version");

    private final List<DkimSigningKey> keys;
    private final Clock clock;
    private final Canonicalization headerCanonicalization;
    private final Canonicalization bodyCanonicalization;
    private final List<String> signedHeaders;
    private final Set<String> oversigned; // lower case
    private final boolean timestamp;
    private final Duration expireAfter;

    private DkimSigner(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.clock = b.clock;
        this.headerCanonicalization = b.headerCanonicalization;
        this.bodyCanonicalization = b.bodyCanonicalization;
        this.signedHeaders = List.copyOf(b.signedHeaders);
        this.oversigned = b.oversigned.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.timestamp = b.timestamp;
        this.expireAfter = b.expireAfter;
    }

    /** A signer with defaults: relaxed/relaxed, the default fields, {@code t=} set, no {@code x=}. */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** Configures a {@link DkimSigner}; add at least one key. */
    public static final class Builder {
        private final List<DkimSigningKey> keys = new ArrayList<>();
        private final Clock clock;
        private Canonicalization headerCanonicalization = Canonicalization.RELAXED;
        private Canonicalization bodyCanonicalization = Canonicalization.RELAXED;
        private List<String> signedHeaders = DEFAULT_HEADERS;
        private Set<String> oversigned = DEFAULT_OVERSIGNED;
        private boolean timestamp = true;
        private Duration expireAfter;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Adds a key: each key makes one signature, in the order added. */
        public Builder key(DkimSigningKey key) {
            keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        public Builder canonicalization(Canonicalization header, Canonicalization body) {
            this.headerCanonicalization = Objects.requireNonNull(header);
            this.bodyCanonicalization = Objects.requireNonNull(body);
            return this;
        }

        /** The fields to sign when present (From is always signed, and added when missing from the list). */
        public Builder signedHeaders(List<String> names) {
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            unique.add("From");
            for (String n : names) {
                if (unique.stream().noneMatch(u -> u.equalsIgnoreCase(n))) unique.add(n.strip());
            }
            this.signedHeaders = List.copyOf(unique);
            return this;
        }

        /** The fields to sign once more than they occur; must be among {@link #signedHeaders}. */
        public Builder oversignedHeaders(Set<String> names) {
            this.oversigned = Set.copyOf(names);
            return this;
        }

        /** Whether to write {@code t=} (default yes). */
        public Builder timestamp(boolean timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** Writes {@code x=}: the signature expires this long after {@code t=} (implies {@code t=}); null for none. */
        public Builder expireAfter(Duration expireAfter) {
            if (expireAfter != null && (expireAfter.isNegative() || expireAfter.isZero())) {
                throw new IllegalArgumentException("expiry must be positive: " + expireAfter);
            }
            this.expireAfter = expireAfter;
            return this;
        }

        public DkimSigner build() {
            if (keys.isEmpty()) throw new IllegalStateException("a DKIM signer needs at least one key");
            return new DkimSigner(this);
        }
    }

    /**
     * The DKIM-Signature fields for {@code message}, one per key in the order the keys were added.
     *
     * @throws IllegalArgumentException when the message has no From field
     */
    public List<HeaderField> sign(MailMessage message) {
        if (message.headers("From").isEmpty()) throw new IllegalArgumentException("cannot DKIM-sign a message without From");
        List<String> names = namesToSign(message);
        long now = clock.instant().getEpochSecond();
        Map<Canonicalization, byte[]> bodyHashes = new EnumMap<>(Canonicalization.class);
        List<HeaderField> fields = new ArrayList<>(keys.size());
        for (DkimSigningKey key : keys) {
            byte[] bodyHash = bodyHashes.computeIfAbsent(bodyCanonicalization, c -> key.algorithm().digest(
                    c.body(message.bytes(), message.bodyOffset(), message.bodyLength())));
            FoldedField folded = unsignedField(key, names, now, bodyHash);
            byte[] unsignedBytes = folded.unsigned().getBytes(StandardCharsets.ISO_8859_1);
            byte[] data = SignedData.of(message.headers(), names, null, headerCanonicalization, unsignedBytes);
            byte[] b;
            try {
                b = key.algorithm().sign(key.privateKey(), data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("signing with " + key + " failed", e);
            }
            String field = folded.signed(Base64.getEncoder().encodeToString(b));
            fields.add(new HeaderField(DkimSignature.FIELD_NAME, field.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return List.copyOf(fields);
    }

    private List<String> namesToSign(MailMessage message) {
        return namesToSign(message, signedHeaders, oversigned);
    }

    /**
     * The names for {@code h=}: each of {@code fields} as often as it occurs in the message, and
     * those in {@code oversigned} (compared ignoring case) once more, even when absent.
     */
    public static List<String> namesToSign(MailMessage message, List<String> fields, Set<String> oversigned) {
        Set<String> lower = oversigned.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> names = new ArrayList<>();
        for (String name : fields) {
            int present = message.headers(name).size();
            int times = present + (lower.contains(name.toLowerCase(Locale.ROOT)) ? 1 : 0);
            for (int i = 0; i < times; i++) names.add(name);
        }
        return names;
    }

    /** The whole field up to and including "b=", folded, as it is hashed. */
    private FoldedField unsignedField(DkimSigningKey key, List<String> names, long now, byte[] bodyHash) {
        FoldedField f = new FoldedField(DkimSignature.FIELD_NAME);
        f.tag("v=1;");
        f.tag("a=" + key.algorithm().tagValue() + ";");
        f.tag("c=" + headerCanonicalization.tagValue() + "/" + bodyCanonicalization.tagValue() + ";");
        f.tag("d=" + key.domain() + ";");
        f.tag("s=" + key.selector() + ";");
        if (timestamp || expireAfter != null) f.tag("t=" + now + ";");
        if (expireAfter != null) f.tag("x=" + (now + expireAfter.toSeconds()) + ";");
        f.list("h=", names);
        f.tag("bh=" + Base64.getEncoder().encodeToString(bodyHash) + ";");
        return f;
    }
}

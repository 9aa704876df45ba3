package dev.petrel.mailauth.arc;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.Canonicalization;
import dev.petrel.mailauth.dkim.DkimAlgorithm;
import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.mailauth.dkim.FoldedField;
import dev.petrel.mailauth.dkim.SignedData;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Adds an ARC set to a message (RFC 8617 section 5.1): ARC-Authentication-Results with the
 * Authentication-Results text this hop produced, ARC-Message-Signature over the message (like a
 * DKIM signature: relaxed/relaxed, the fields {@link DkimSigner} signs plus DKIM-Signature, the
 * same over-signing), and ARC-Seal over the chain.
 *
 * <p>The chain validation status ({@code cv=}) comes from the caller's {@link ArcVerifier} result
 * for the message as received: {@code none} for the first set, else {@code pass} or {@code fail}.
 * When it is {@code fail}, the new seal covers only its own set (the earlier ones cannot be vouched
 * for), as RFC 8617 section 5.1.1 asks. Returns no fields when the message already has 50 sets, or
 * when its ARC fields are too broken to number a new set.
 *
 * <p>Seals are made with RSA keys only: RFC 8617 borrows DKIM's algorithms, but deployed ARC
 * verifiers (dkimpy's among them) accept only rsa-sha256, and a seal nobody can check is worse than
 * none. {@link ArcVerifier} accepts ed25519-sha256 as well, as a DKIM verifier would.
 *
 * <p>Immutable and thread-safe; {@code t=} comes from the {@link Clock}.
 */
public final class ArcSealer {
    private static final List<String> SIGNED = Stream.concat(DkimSigner.DEFAULT_HEADERS.stream(), Stream.of("DKIM-Signature")).toList();

    private final DkimSigningKey key;
    private final Clock clock;

    /** @throws IllegalArgumentException for a key other than RSA (see the class comment) */
    public ArcSealer(DkimSigningKey key, Clock clock) {
        this(key, clock, false);
        if (key.algorithm() != DkimAlgorithm.RSA_SHA256) {
            throw new IllegalArgumentException("ARC seals with rsa-sha256 only: ARC verifiers such as dkimpy accept no other "
                    + "algorithm (" + key + ")");
        }
    }

    private ArcSealer(DkimSigningKey key, Clock clock, boolean unused) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A sealer for any algorithm: only to make the Ed25519 sets other implementations may send, for tests. */
    static ArcSealer anyAlgorithm(DkimSigningKey key, Clock clock) {
        return new ArcSealer(key, clock, false);
    }

    /**
     * The new set's fields, to place above the message's first field in this order:
     * ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results.
     *
     * @param authenticationResults the results this hop recorded, as in an Authentication-Results
     *                              field's value: {@code "mx.example.org; spf=pass smtp.mailfrom=..."}
     * @param chain                 the ARC validation of the message as received
     */
    public List<HeaderField> seal(MailMessage message, String authenticationResults, ArcResult chain) {
        if (message.headers("From").isEmpty()) throw new IllegalArgumentException("cannot ARC-seal a message without From");
        List<ArcSet> existing;
        boolean failed;
        int instance;
        switch (ArcSets.of(message)) {
            case ArcSets.Broken broken -> {
                existing = List.of();
                failed = true;
                instance = broken.highestInstance() + 1;
                if (broken.highestInstance() == 0) return List.of(); // nothing can be numbered
            }
            case ArcSets.Sets sets -> {
                existing = sets.sets();
                instance = existing.size() + 1;
                failed = !existing.isEmpty() && chain.kind() != ArcResult.Kind.PASS;
            }
        }
        if (instance > ArcSets.MAX_INSTANCE) return List.of();
        String cv = instance == 1 ? "none" : failed ? "fail" : "pass";
        long now = clock.instant().getEpochSecond();

        HeaderField aar = HeaderField.of(ArcSet.AAR, "i=" + instance + "; " + authenticationResults.strip());

        List<String> names = DkimSigner.namesToSign(message, SIGNED, DkimSigner.DEFAULT_OVERSIGNED);
        byte[] body = Canonicalization.RELAXED.body(message.bytes(), message.bodyOffset(), message.bodyLength());
        FoldedField ams = new FoldedField(ArcSet.AMS)
                .tag("i=" + instance + ";")
                .tag("a=" + key.algorithm().tagValue() + ";")
                .tag("c=relaxed/relaxed;")
                .tag("d=" + key.domain() + ";")
                .tag("s=" + key.selector() + ";")
                .tag("t=" + now + ";")
                .list("h=", names)
                .tag("bh=" + Base64.getEncoder().encodeToString(key.algorithm().digest(body)) + ";");
        byte[] amsData = SignedData.of(message.headers(), names, null, Canonicalization.RELAXED, bytes(ams.unsigned()));
        HeaderField amsField = new HeaderField(ArcSet.AMS, bytes(ams.signed(sign(amsData))));

        FoldedField seal = new FoldedField(ArcSet.AS)
                .tag("i=" + instance + ";")
                .tag("a=" + key.algorithm().tagValue() + ";")
                .tag("t=" + now + ";")
                .tag("cv=" + cv + ";")
                .tag("d=" + key.domain() + ";")
                .tag("s=" + key.selector() + ";");
        HeaderField unsignedSeal = new HeaderField(ArcSet.AS, bytes(seal.unsigned()));
        List<ArcSet> covered = new ArrayList<>(cv.equals("fail") ? List.of() : existing);
        covered.add(new ArcSet(instance, aar, amsField, unsignedSeal));
        HeaderField sealField = new HeaderField(ArcSet.AS, bytes(seal.signed(sign(ArcSets.sealData(covered)))));
        return List.of(sealField, amsField, aar);
    }

    private String sign(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(key.algorithm().sign(key.privateKey(), data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ARC signing with " + key + " failed", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

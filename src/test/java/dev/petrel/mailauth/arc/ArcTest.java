package dev.petrel.mailauth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.mailauth.dkim.TagList;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ArcSealer and ArcVerifier together: chains of one and two hops, and each way a chain breaks. */
class ArcTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC);
    static final String MESSAGE = String.join("\r\n",
            "From: Alice <alice@example.com>",
            "To: list@lists.example.org",
            "Subject: Meeting",
            "Date: Sun, 29 Nov 2026 08:00:00 +0000",
            "Message-ID: <m1@example.com>",
            "",
            "See you at noon.",
            "");

    static KeyPair listKey;   // RSA, lists.example.org
    static KeyPair relayKey;  // RSA, relay.example.net
    static KeyPair authorKey; // RSA, example.com (DKIM)

    @BeforeAll
    static void keys() {
        listKey = DkimKeys.generate(2048);
        relayKey = DkimKeys.generate(1024);
        authorKey = DkimKeys.generate(2048);
    }

    static MemoryResolver dns() {
        return new MemoryResolver()
                .txt("arc._domainkey.lists.example.org", DkimKeys.keyRecord(listKey.getPublic()))
                .txt("seal._domainkey.relay.example.net", DkimKeys.keyRecord(relayKey.getPublic()))
                .txt("dkim._domainkey.example.com", DkimKeys.keyRecord(authorKey.getPublic()));
    }

    static ArcSealer listSealer() {
        return new ArcSealer(DkimSigningKey.of("lists.example.org", "arc", listKey.getPrivate()), CLOCK);
    }

    static ArcSealer relaySealer() {
        return new ArcSealer(DkimSigningKey.of("relay.example.net", "seal", relayKey.getPrivate()), CLOCK);
    }

    static MailMessage message() {
        MailMessage plain = MailMessage.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        DkimSigner author = DkimSigner.builder(CLOCK).key(DkimSigningKey.of("example.com", "dkim", authorKey.getPrivate())).build();
        return plain.prepend(author.sign(plain));
    }

    static ArcResult verify(MailMessage m) {
        return new ArcVerifier(dns(), CLOCK).verify(m);
    }

    /** One hop: verify what arrived, seal with that result. */
    static MailMessage hop(MailMessage m, ArcSealer sealer, String results) {
        return m.prepend(sealer.seal(m, results, verify(m)));
    }

    static MailMessage edited(MailMessage m, String from, String to) {
        String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return MailMessage.parse(text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void unsealedMessageIsNone() {
        assertThat(verify(message())).isEqualTo(ArcResult.none());
    }

    @Test
    void oneHopPasses() {
        MailMessage sealed = hop(message(), listSealer(), "lists.example.org; dkim=pass header.d=example.com");
        List<HeaderField> top = sealed.headers().subList(0, 3);
        assertThat(top).extracting(HeaderField::name).containsExactly("ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results");
        assertThat(top.get(2).value()).isEqualTo("i=1; lists.example.org; dkim=pass header.d=example.com");
        assertThat(top.get(0).value()).contains("cv=none;");
        assertThat(verify(sealed)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 1, 0, null));
    }

    @Test
    void twoHopsPass() throws Exception {
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass header.d=example.com");
        MailMessage twice = hop(once, relaySealer(), "relay.example.net; arc=pass; dkim=pass header.d=example.com");
        assertThat(verify(twice)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 2, 0, null));
        TagList seal2 = TagList.parse(twice.headers().getFirst().value());
        assertThat(seal2.get("i")).isEqualTo("2");
        assertThat(seal2.get("cv")).isEqualTo("pass");
        assertThat(seal2.get("d")).isEqualTo("relay.example.net");
    }

    @Test
    void sealsAreRsaOnlyButEd25519SealsAreVerified() throws Exception {
        KeyPair ed = DkimKeys.generate(0);
        DkimSigningKey edKey = DkimSigningKey.of("relay.example.net", "ed", ed.getPrivate());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ArcSealer(edKey, CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ARC seals with rsa-sha256 only");
        // An Ed25519 set from another implementation verifies, on its own and on top of an RSA one.
        ArcSealer edSealer = ArcSealer.anyAlgorithm(edKey, CLOCK);
        var dnsWithEd = dns().txt("ed._domainkey.relay.example.net", DkimKeys.keyRecord(ed.getPublic()));
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass");
        MailMessage twice = once.prepend(edSealer.seal(once, "relay.example.net; arc=pass", verify(once)));
        assertThat(TagList.parse(twice.headers().getFirst().value()).get("a")).isEqualTo("ed25519-sha256");
        assertThat(new ArcVerifier(dnsWithEd, CLOCK).verify(twice)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 2, 0, null));
        assertThat(new ArcVerifier(dnsWithEd, CLOCK).verify(edited(twice, "noon", "one")).kind()).isEqualTo(ArcResult.Kind.FAIL);
    }

    @Test
    void aListThatChangesTheBodyKeepsAPassingChainWithOldestPass() {
        MailMessage once = hop(message(), relaySealer(), "relay.example.net; dkim=pass header.d=example.com");
        // The list checks the chain on arrival, then adds its footer, then seals with what it found.
        ArcResult onArrival = verify(once);
        assertThat(onArrival.kind()).isEqualTo(ArcResult.Kind.PASS);
        MailMessage footer = edited(once, "See you at noon.\r\n", "See you at noon.\r\n--\r\nlist footer\r\n");
        MailMessage twice = footer.prepend(listSealer().seal(footer, "lists.example.org; arc=pass", onArrival));
        // The first message signature no longer verifies; the chain does, and says where it still held: oldest-pass 2.
        assertThat(verify(twice)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 2, 2, null));
    }

    @Test
    void changesAfterTheLastSealFailTheChain() {
        MailMessage twice = hop(hop(message(), listSealer(), "lists.example.org; dkim=pass"), relaySealer(), "relay.example.net; arc=pass");
        assertThat(verify(edited(twice, "noon", "one"))).isEqualTo(new ArcResult(ArcResult.Kind.FAIL, 2, -1,
                "ARC-Message-Signature i=2: fail (body hash did not verify)"));
        assertThat(verify(edited(twice, "i=1; lists.example.org; dkim=pass", "i=1; lists.example.org; dkim=fail")))
                .isEqualTo(new ArcResult(ArcResult.Kind.FAIL, 2, -1, "ARC-Seal i=2: signature did not verify"));
        assertThat(verify(edited(twice, "Subject: Meeting", "Subject: Party")).reason())
                .isEqualTo("ARC-Message-Signature i=2: fail (signature did not verify)");
    }

    @Test
    void brokenStructuresFail() {
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass");
        MailMessage noAar = MailMessage.parse(new String(once.bytes(), StandardCharsets.ISO_8859_1)
                .replaceFirst("ARC-Authentication-Results: [^\r]*\r\n", "").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(verify(noAar)).isEqualTo(new ArcResult(ArcResult.Kind.FAIL, 1, -1,
                "ARC set i=1 is incomplete (it needs ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal)"));
        MailMessage duplicate = once.prepend(List.of(HeaderField.of("ARC-Authentication-Results", "i=1; evil.example; spf=pass")));
        assertThat(verify(duplicate).reason()).isEqualTo("two ARC-Authentication-Results fields with i=1");
        MailMessage gap = edited(hop(once, relaySealer(), "relay.example.net; arc=pass"), "i=2;", "i=3;");
        assertThat(verify(gap).kind()).isEqualTo(ArcResult.Kind.FAIL);
        MailMessage bad = once.prepend(List.of(HeaderField.of("ARC-Seal", "i=x; a=rsa-sha256; cv=none; d=a.example; s=s; b=AAAA")));
        assertThat(verify(bad).reason()).isEqualTo("ARC-Seal without a valid i= (1 to 50)");
    }

    @Test
    void cvMustMatchTheInstance() {
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass");
        MailMessage wrongCv = edited(once, "cv=none;", "cv=pass;");
        assertThat(verify(wrongCv).reason()).isEqualTo("ARC-Seal i=1 has cv=pass, expected none");
    }

    @Test
    void sealingAFailedChainSaysSoAndCoversOnlyItsOwnSet() throws Exception {
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass");
        MailMessage tampered = edited(once, "i=1; lists.example.org; dkim=pass", "i=1; lists.example.org; dkim=none");
        assertThat(verify(tampered).kind()).isEqualTo(ArcResult.Kind.FAIL);
        MailMessage twice = hop(tampered, relaySealer(), "relay.example.net; arc=fail");
        assertThat(TagList.parse(twice.headers().getFirst().value()).get("cv")).isEqualTo("fail");
        assertThat(verify(twice)).isEqualTo(new ArcResult(ArcResult.Kind.FAIL, 2, -1,
                "ARC-Seal i=2 says the chain had already failed (cv=fail)"));
    }

    @Test
    void keyProblemsFailTheChain() {
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass");
        var noKey = new MemoryResolver().txt("dkim._domainkey.example.com", DkimKeys.keyRecord(authorKey.getPublic()));
        assertThat(new ArcVerifier(noKey, CLOCK).verify(once).reason())
                .isEqualTo("ARC-Message-Signature i=1: permerror (no key record at arc._domainkey.lists.example.org (NXDOMAIN))");
        var tempfail = dns().tempfail("arc._domainkey.lists.example.org", MemoryResolver.Type.TXT, "SERVFAIL");
        assertThat(new ArcVerifier(tempfail, CLOCK).verify(once).reason())
                .isEqualTo("ARC-Message-Signature i=1: temperror (key lookup failed: SERVFAIL)");
    }

    @Test
    void theMessageSignatureCoversTheAuthorsDkimSignature() throws Exception {
        MailMessage once = hop(message(), listSealer(), "lists.example.org; dkim=pass");
        String h = TagList.withoutWhiteSpace(TagList.parse(once.headers("ARC-Message-Signature").getFirst().value()).get("h"));
        assertThat(h.split(":")).contains("DKIM-Signature").doesNotContain("ARC-Seal", "ARC-Authentication-Results");
        assertThat(verify(edited(once, "DKIM-Signature: v=1;", "DKIM-Signature: v=1; ")).kind()).isEqualTo(ArcResult.Kind.PASS);
        assertThat(verify(edited(once, "d=example.com;", "d=example.net;")).reason())
                .isEqualTo("ARC-Message-Signature i=1: fail (signature did not verify)");
    }

    @Test
    void noMoreThanFiftySets() {
        MailMessage m = message();
        for (int i = 0; i < 50; i++) {
            // Each hop found a passing chain (checked once at the end rather than 50 times on the way).
            ArcResult chain = i == 0 ? ArcResult.none() : new ArcResult(ArcResult.Kind.PASS, i, 0, null);
            m = m.prepend(relaySealer().seal(m, "relay.example.net; arc=" + chain.kind().keyword(), chain));
        }
        assertThat(verify(m)).isEqualTo(new ArcResult(ArcResult.Kind.PASS, 50, 0, null));
        assertThat(relaySealer().seal(m, "relay.example.net; arc=pass", verify(m))).isEmpty();
    }
}

package dev.petrel.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.MailMessage.HeaderField;
import dev.petrel.mailauth.dkim.DkimResult.Kind;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What DkimSigner writes, and that it verifies (and stops verifying when it should). */
class DkimSignerTest {
    static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static KeyPair rsa;
    static KeyPair ed25519;

    static final String MESSAGE = String.join("\r\n",
            "Received: from client (client [192.0.2.9]) by mx.example.com",
            "From: Alice <alice@example.com>",
            "To: bob@example.org,",
            "  carol@example.org",
            "Subject: Lunch",
            "Date: Sun, 29 Nov 2026 08:00:00 +0000",
            "Message-ID: <1@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "List-Unsubscribe: <https://example.com/u/1>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "X-Mailer: test",
            "",
            "Shall we meet at noon?",
            "");

    @BeforeAll
    static void keys() {
        rsa = DkimKeys.generate(2048);
        ed25519 = DkimKeys.generate(0);
    }

    static MailMessage message() {
        return MailMessage.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII));
    }

    static MemoryResolver dns() {
        return new MemoryResolver()
                .txt("rsa._domainkey.example.com", DkimKeys.keyRecord(rsa.getPublic()))
                .txt("ed._domainkey.example.com", DkimKeys.keyRecord(ed25519.getPublic()));
    }

    static DkimSigner both() {
        return DkimSigner.builder(CLOCK)
                .key(DkimSigningKey.of("example.com", "rsa", rsa.getPrivate()))
                .key(DkimSigningKey.of("example.com", "ed", ed25519.getPrivate()))
                .build();
    }

    static List<DkimResult> verify(MailMessage m) {
        return new DkimVerifier(dns(), CLOCK).verify(m);
    }

    static MailMessage edited(MailMessage m, String from, String to) {
        String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return MailMessage.parse(text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void rsaAndEd25519GiveTwoSignaturesThatBothPass() {
        List<HeaderField> fields = both().sign(message());
        assertThat(fields).hasSize(2).allMatch(f -> f.is("DKIM-Signature"));
        List<DkimResult> results = verify(message().prepend(fields));
        assertThat(results).extracting(DkimResult::kind, DkimResult::selector, DkimResult::algorithm).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.PASS, "rsa", "rsa-sha256"),
                org.assertj.core.groups.Tuple.tuple(Kind.PASS, "ed", "ed25519-sha256"));
    }

    @Test
    void writesTheExpectedTagsWithOverSigning() throws Exception {
        HeaderField field = both().sign(message()).getFirst();
        TagList tags = TagList.parse(field.value());
        assertThat(tags.tags().keySet()).containsExactly("v", "a", "c", "d", "s", "t", "h", "bh", "b");
        assertThat(tags.get("c")).isEqualTo("relaxed/relaxed");
        assertThat(tags.get("t")).isEqualTo(String.valueOf(NOW.getEpochSecond()));
        // Present fields once each, over-signed ones once more (absent Cc and Reply-To once: their absence is signed).
        assertThat(TagList.withoutWhiteSpace(tags.get("h")).split(":")).containsExactly(
                "From", "From", "Reply-To", "To", "To", "Cc", "Subject", "Subject", "Date", "Date",
                "Message-ID", "Message-ID", "MIME-Version", "MIME-Version", "Content-Type", "Content-Type",
                "List-Unsubscribe", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Unsubscribe-Post");
        byte[] body = Canonicalization.RELAXED.body(message().bytes(), message().bodyOffset(), message().bodyLength());
        assertThat(tags.get("bh")).isEqualTo(java.util.Base64.getEncoder().encodeToString(DkimAlgorithm.RSA_SHA256.digest(body)));
    }

    @Test
    void foldsIntoShortLines() {
        for (HeaderField field : both().sign(message())) {
            String text = new String(field.raw(), StandardCharsets.US_ASCII);
            assertThat(text).endsWith("\r\n").doesNotContain("\n\n").doesNotContain(" \r\n");
            String[] lines = text.split("\r\n");
            assertThat(lines.length).isGreaterThan(3);
            assertThat(Arrays.stream(lines)).allMatch(l -> l.length() <= 78, "every line at most 78 characters");
            assertThat(Arrays.stream(lines).skip(1)).allMatch(l -> l.startsWith(" "), "continuation lines start with a space");
            assertThat(Arrays.stream(lines).filter(l -> l.startsWith(" b=")).count()).isEqualTo(1);
        }
    }

    @Test
    void addedFromOrSubjectBreaksTheSignature() {
        MailMessage signed = message().prepend(both().sign(message()));
        MailMessage secondFrom = edited(signed, "X-Mailer: test\r\n", "X-Mailer: test\r\nFrom: Mallory <ceo@example.com>\r\n");
        assertThat(verify(secondFrom)).extracting(DkimResult::kind).containsOnly(Kind.FAIL);
        MailMessage addedCc = edited(signed, "X-Mailer: test\r\n", "X-Mailer: test\r\nCc: eve@example.net\r\n");
        assertThat(verify(addedCc)).extracting(DkimResult::reason).containsOnly("signature did not verify");
        MailMessage otherMailer = edited(signed, "X-Mailer: test", "X-Mailer: changed");
        assertThat(verify(otherMailer)).extracting(DkimResult::kind).containsOnly(Kind.PASS);
    }

    @Test
    void changedBodyFailsBoth() {
        MailMessage signed = edited(message().prepend(both().sign(message())), "noon", "midnight");
        assertThat(verify(signed)).extracting(DkimResult::reason).containsOnly("body hash did not verify");
    }

    @Test
    void expiryIsWrittenAfterTheTimestampAndHonoured() throws Exception {
        DkimSigner signer = DkimSigner.builder(CLOCK).key(DkimSigningKey.of("example.com", "ed", ed25519.getPrivate()))
                .expireAfter(Duration.ofDays(7)).build();
        HeaderField field = signer.sign(message()).getFirst();
        TagList tags = TagList.parse(field.value());
        assertThat(Long.parseLong(tags.get("x")) - Long.parseLong(tags.get("t"))).isEqualTo(7 * 86400);
        MailMessage signed = message().prepend(List.of(field));
        Clock later = Clock.fixed(NOW.plus(Duration.ofDays(8)), ZoneOffset.UTC);
        assertThat(new DkimVerifier(dns(), later).verify(signed).getFirst().kind()).isEqualTo(Kind.POLICY);
        assertThat(new DkimVerifier(dns(), CLOCK).verify(signed).getFirst().kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void withoutTimestampThereIsNoT() throws Exception {
        DkimSigner signer = DkimSigner.builder(CLOCK).key(DkimSigningKey.of("example.com", "ed", ed25519.getPrivate()))
                .timestamp(false).build();
        assertThat(TagList.parse(signer.sign(message()).getFirst().value()).has("t")).isFalse();
    }

    @Test
    void simpleCanonicalizationAndCustomHeaders() throws Exception {
        DkimSigner signer = DkimSigner.builder(CLOCK).key(DkimSigningKey.of("example.com", "rsa", rsa.getPrivate()))
                .canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE)
                .signedHeaders(List.of("Subject", "X-Mailer")).oversignedHeaders(java.util.Set.of()).build();
        HeaderField field = signer.sign(message()).getFirst();
        TagList tags = TagList.parse(field.value());
        assertThat(tags.get("c")).isEqualTo("simple/simple");
        assertThat(TagList.withoutWhiteSpace(tags.get("h"))).isEqualTo("From:Subject:X-Mailer");
        MailMessage signed = message().prepend(List.of(field));
        assertThat(verify(signed).getFirst().kind()).isEqualTo(Kind.PASS);
        assertThat(verify(edited(signed, "Subject: Lunch", "Subject:  Lunch")).getFirst().kind()).isEqualTo(Kind.FAIL);
    }

    @Test
    void emptyBodyAndBareLineFeedsSignAndVerify() {
        MailMessage noBody = MailMessage.parse("From: a@example.com\nSubject: x\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(verify(noBody.prepend(both().sign(noBody)))).extracting(DkimResult::kind).containsOnly(Kind.PASS);
        MailMessage lf = MailMessage.parse("From: a@example.com\nSubject: x\n\nline one\n\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(verify(lf.prepend(both().sign(lf)))).extracting(DkimResult::kind).containsOnly(Kind.PASS);
    }

    @Test
    void refusesWhatWouldBeUselessOrUnsafe() {
        MailMessage noFrom = MailMessage.parse("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> both().sign(noFrom)).hasMessage("cannot DKIM-sign a message without From");
        assertThatThrownBy(() -> DkimSigner.builder(CLOCK).build()).hasMessage("a DKIM signer needs at least one key");
        assertThatThrownBy(() -> new DkimSigningKey("example.com", "s", DkimAlgorithm.RSA_SHA1, rsa.getPrivate()))
                .hasMessage("rsa-sha1 must not be used for signing (RFC 8301)");
        assertThatThrownBy(() -> new DkimSigningKey("example.com", "s", DkimAlgorithm.ED25519_SHA256, rsa.getPrivate()))
                .hasMessage("ed25519-sha256 needs an Ed25519 key");
        assertThatThrownBy(() -> DkimSigningKey.of("exa mple.com", "s", rsa.getPrivate())).hasMessage("not a domain name: exa mple.com");
        assertThatThrownBy(() -> DkimSigningKey.of("example.com", "s", DkimKeys.generate(512).getPrivate()))
                .hasMessage("RSA key of 512 bits is too short: DKIM needs at least 1024 (2048 recommended)");
    }

    @Test
    void keyNeverAppearsInItsDescription() {
        DkimSigningKey key = DkimSigningKey.of("Example.COM", "Sel", rsa.getPrivate());
        assertThat(key.toString()).isEqualTo("DkimSigningKey[d=example.com, s=sel, a=rsa-sha256]");
    }
}
